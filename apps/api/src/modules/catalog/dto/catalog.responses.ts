import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class MoneyView {
  @ApiProperty({ description: 'Integer minor units' }) amount!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
}

export class VariantViewDto {
  @ApiProperty() sku!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) options!: Record<string, string>;
  @ApiProperty({ type: MoneyView }) price!: MoneyView;
  @ApiProperty({ type: MoneyView, nullable: true }) compareAtPrice!: MoneyView | null;
  @ApiProperty({ nullable: true, type: Number }) weightGrams!: number | null;
  @ApiProperty({ nullable: true, type: String }) barcode!: string | null;
  @ApiProperty() inStock!: boolean;
}

export class CategoryRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
}

class BrandRefDto extends CategoryRefDto {}

class ImageDto {
  @ApiProperty() url!: string;
  @ApiProperty() alt!: string;
  @ApiProperty() position!: number;
}

class RatingDto {
  @ApiProperty() average!: number;
  @ApiProperty() count!: number;
}

export class ProductViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: ['draft', 'active', 'archived'] }) status!: string;
  @ApiProperty({ type: BrandRefDto, nullable: true }) brand!: BrandRefDto | null;
  @ApiProperty({ type: [CategoryRefDto] }) categories!: CategoryRefDto[];
  @ApiProperty({ type: [ImageDto] }) images!: ImageDto[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } }) attributes!: Record<string, string[]>;
  @ApiProperty({ type: RatingDto, nullable: true }) rating!: RatingDto | null;
  @ApiProperty({ type: [VariantViewDto] }) variants!: VariantViewDto[];
  @ApiProperty() inStock!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ProductDetailDto extends ProductViewDto {
  @ApiProperty({ type: [CategoryRefDto], description: 'Root first' }) breadcrumbs!: CategoryRefDto[];
}

export class ProductPageDto {
  @ApiProperty({ type: [ProductViewDto] }) items!: ProductViewDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class CategoryNodeDto extends CategoryRefDto {
  @ApiProperty() position!: number;
  @ApiProperty({ type: () => [CategoryNodeDto] }) children!: CategoryNodeDto[];
}

export class CategoryDetailDto extends CategoryRefDto {
  @ApiProperty() position!: number;
  @ApiProperty({ type: [CategoryRefDto], description: 'Root first, this category last' }) breadcrumbs!: CategoryRefDto[];
  @ApiProperty({ type: [CategoryRefDto] }) children!: CategoryRefDto[];
}

export class CategoryDto extends CategoryRefDto {
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) parentId!: string | null;
  @ApiProperty() position!: number;
  @ApiProperty({ description: 'Ids from the root, joined by /' }) path!: string;
}

export class BrandDto extends CategoryRefDto {}
