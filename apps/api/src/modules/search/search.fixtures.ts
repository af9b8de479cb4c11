import type { SearchDocument } from '#contracts';

/** Test documents: a small shop of clothing, footwear and kitchenware with a category tree. */
const clothing = { slug: 'clothing', name: 'Clothing' };
const jackets = { slug: 'jackets', name: 'Jackets' };
const shirts = { slug: 'shirts', name: 'Shirts' };
const footwear = { slug: 'footwear', name: 'Footwear' };
const boots = { slug: 'boots', name: 'Boots' };
const home = { slug: 'home', name: 'Home' };
const kitchen = { slug: 'kitchen', name: 'Kitchen' };

export const BRANDS = {
  northwind: { slug: 'northwind', name: 'Northwind' },
  alpina: { slug: 'alpina', name: 'Alpina' },
  hearth: { slug: 'hearth', name: 'Hearth & Co' },
};

export const CATEGORIES = { clothing, jackets, shirts, footwear, boots, home, kitchen };

/** A deterministic UUID per fixture number, so tests can name documents. */
export const productId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export function searchDocument(n: number, fields: Partial<SearchDocument> = {}): SearchDocument {
  return {
    productId: productId(n),
    slug: `product-${n}`,
    name: `Product ${n}`,
    description: '',
    brand: null,
    categories: [],
    priceMin: 1000,
    priceMax: 1000,
    currency: 'EUR',
    inStock: true,
    attributes: {},
    rating: null,
    imageUrl: null,
    createdAt: new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString(),
    ...fields,
  };
}

const COLORS = ['red', 'blue', 'green', 'black'];
const SHIRTS = ['Linen Shirt', 'Flannel Shirt', 'Oxford Shirt', 'Denim Shirt', 'Polo Shirt', 'Henley Shirt', 'Cotton Tee', 'Merino Tee'];
const KITCHEN = ['Cast Iron Skillet', 'Ceramic Mug', 'Chef Knife', 'Cutting Board', 'Espresso Cups', 'Salad Bowl', 'Tea Kettle', 'Bread Knife'];

/**
 * 50 documents. The ones tests name: 1-3 jackets (1 and 2 leather in the name), 4 boots with
 * leather only in the description, 5 a rain jacket, 6 a café-named mug with an accent.
 */
export function catalogue(): SearchDocument[] {
  const named: SearchDocument[] = [
    searchDocument(1, {
      name: 'Leather Biker Jacket', description: 'A heavy jacket with a quilted lining.', brand: BRANDS.northwind,
      categories: [jackets, clothing], priceMin: 24900, priceMax: 24900, attributes: { color: ['black'], size: ['M', 'L'] }, rating: 4.7,
    }),
    searchDocument(2, {
      name: 'Vintage Leather Jacket', description: 'Soft lambskin, worn look.', brand: BRANDS.alpina,
      categories: [jackets, clothing], priceMin: 19900, priceMax: 21900, attributes: { color: ['brown'], size: ['S', 'M'] }, rating: 4.2,
    }),
    searchDocument(3, {
      name: 'Down Puffer Jacket', description: 'Warm and light for cold winters.', brand: BRANDS.northwind,
      categories: [jackets, clothing], priceMin: 15900, priceMax: 15900, attributes: { color: ['red', 'blue'], size: ['M'] }, rating: 4.9,
    }),
    searchDocument(4, {
      name: 'Trail Hiking Boots', description: 'Full grain leather upper with a waterproof membrane.', brand: BRANDS.alpina,
      categories: [boots, footwear], priceMin: 12900, priceMax: 12900, attributes: { color: ['brown'], size: ['42', '43'] }, rating: 4.5,
    }),
    searchDocument(5, {
      name: 'Packable Rain Jacket', description: 'Keeps the rain out and folds into its pocket.', brand: BRANDS.northwind,
      categories: [jackets, clothing], priceMin: 7900, priceMax: 8900, attributes: { color: ['green'], size: ['S', 'M', 'L'] }, rating: 3.9,
    }),
    searchDocument(6, {
      name: 'Café Latte Mug', description: 'Stoneware, holds 350 ml.', brand: BRANDS.hearth,
      categories: [kitchen, home], priceMin: 1400, priceMax: 1400, attributes: { color: ['white'] }, rating: null,
    }),
  ];
  const filler = Array.from({ length: 44 }, (_, i) => {
    const n = 7 + i;
    const color = COLORS[i % COLORS.length]!;
    if (i < 24) {
      const name = SHIRTS[i % SHIRTS.length]!;
      return searchDocument(n, {
        name: `${name} ${color[0]!.toUpperCase()}${color.slice(1)}`, description: `A ${color} ${name.toLowerCase()} in regular fit.`,
        brand: i % 2 ? BRANDS.northwind : BRANDS.alpina, categories: [shirts, clothing], priceMin: 2500 + i * 100, priceMax: 2900 + i * 100,
        attributes: { color: [color], size: ['S', 'M', 'L'] }, rating: 3 + (i % 20) / 10, inStock: i % 5 !== 0,
      });
    }
    const name = KITCHEN[i % KITCHEN.length]!;
    return searchDocument(n, {
      name: `${name} No. ${n}`, description: `Everyday ${name.toLowerCase()} for the kitchen.`, brand: BRANDS.hearth,
      categories: [kitchen, home], priceMin: 800 + i * 37, priceMax: 800 + i * 37, attributes: { color: [color] }, rating: i % 3 ? 4 : null,
    });
  });
  return [...named, ...filler];
}
