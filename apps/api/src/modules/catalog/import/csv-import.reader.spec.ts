import { readCsv } from './csv-import.reader.js';
import { UnreadableImportError } from './import.errors.js';

const HEADER = 'handle,name,description,status,brand,categories,attr.color,image_urls,sku,option.size,price_amount,currency,compare_at_amount,weight_grams,barcode,in_stock';

describe('readCsv', () => {
  it('groups variant rows into products by handle, reading product columns from the first row', () => {
    const csv = [
      HEADER,
      'tee,Tee,"Soft, ""organic""",active,acme,tops|basics,red|blue,https://cdn.example.com/a.jpg|https://cdn.example.com/b.jpg,TEE-S,S,1999,EUR,2999,180,123,yes',
      'tee,,,,,,,,TEE-M,M,1999,EUR,,,,0',
    ].join('\n');
    const { candidates, rows } = readCsv(csv);
    expect(rows).toBe(2);
    expect(candidates).toHaveLength(1);
    expect(candidates[0]?.data).toEqual({
      slug: 'tee',
      name: 'Tee',
      description: 'Soft, "organic"',
      status: 'active',
      brand: 'acme',
      categories: ['tops', 'basics'],
      attributes: { color: ['red', 'blue'] },
      images: [{ url: 'https://cdn.example.com/a.jpg' }, { url: 'https://cdn.example.com/b.jpg' }],
      variants: [
        { sku: 'TEE-S', options: { size: 'S' }, price: { amount: 1999, currency: 'EUR' }, compareAtPrice: { amount: 2999, currency: 'EUR' }, weightGrams: 180, barcode: '123', inStock: true },
        { sku: 'TEE-M', options: { size: 'M' }, price: { amount: 1999, currency: 'EUR' }, inStock: false },
      ],
    });
  });

  it('keeps text that is not a number or flag for the DTO rules to reject', () => {
    const { candidates } = readCsv(['handle,name,sku,price_amount,currency,in_stock', 'x,X,X-1,12.5,EUR,maybe', 'x,,X-2,ten,EUR,'].join('\n'));
    const variants = candidates[0]?.data.variants as { price: { amount: unknown }; inStock?: unknown }[];
    expect(variants.map((v) => v.price.amount)).toEqual([12.5, 'ten']);
    expect(variants[0]?.inStock).toBe('maybe');
  });

  it('reports the line a row starts on, past quoted fields that span lines (LF and CRLF) and blank lines', () => {
    for (const eol of ['\n', '\r\n']) {
      const csv = ['handle,name,description,sku,price_amount,currency', 'a,A,"one', 'two', 'three",A-1,100,EUR', '', 'b,B,,B-1,100,EUR'].join(eol);
      const [a, b] = readCsv(csv).candidates;
      expect(a?.locate('variants.0.price.amount')).toEqual({ at: { line: 2, handle: 'a', sku: 'A-1' }, field: 'price_amount' });
      expect(b?.locate('name')).toEqual({ at: { line: 6, handle: 'b', sku: 'B-1' }, field: 'name' });
    }
  });

  it('names fields as the CSV does and points variant errors at their own row', () => {
    const [tee] = readCsv([HEADER, 'tee,Tee,,,,,,,TEE-S,S,1,EUR,,,,', 'tee,,,,,,,,TEE-M,M,1,EUR,,,,'].join('\n')).candidates;
    expect(tee?.locate('variants.1.compareAtPrice.amount')).toEqual({ at: { line: 3, handle: 'tee', sku: 'TEE-M' }, field: 'compare_at_amount' });
    expect(tee?.locate('variants.1.inStock').field).toBe('in_stock');
    expect(tee?.locate('attributes').field).toBe('attr.*');
    expect(tee?.locate('images.0.url').field).toBe('image_urls');
    expect(tee?.locate('slug').field).toBe('handle');
  });

  it('flags a row without handle, extra fields and product columns that contradict the first row', () => {
    const { candidates } = readCsv(['handle,name,sku,price_amount,currency', ',Lost,L-1,1,EUR', 'p,P,P-1,1,EUR', 'p,Other,P-2,1,EUR,surplus'].join('\n'));
    expect(candidates.flatMap((c) => c.problems.map((p) => [p.at.line, p.field]))).toEqual([
      [2, 'handle'],
      [4, 'row'],
      [4, 'name'],
    ]);
  });

  it('refuses a file without the required columns, with unknown columns or without rows', () => {
    expect(() => readCsv('handle,name,sku\n')).toThrow(/missing column\(s\): price_amount, currency/);
    expect(() => readCsv('handle,name,sku,price_amount,currency,colour\n')).toThrow(/unknown column\(s\): colour/);
    expect(() => readCsv('')).toThrow(UnreadableImportError);
    expect(() => readCsv('handle,name\n"unclosed')).toThrow(/cannot be read/);
  });
});
