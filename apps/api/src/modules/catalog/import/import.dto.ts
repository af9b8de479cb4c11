import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsOptional, Matches } from 'class-validator';
import { ProductInput } from '../dto/product.dto.js';
import { SLUG_PATTERN } from '../slug.js';
import { IMPORT_FORMATS } from './import-report.js';

const SLUG_MESSAGE = 'must be a slug: lower-case letters and digits separated by single hyphens';

/** A product of an import: ProductInput's rules, with brand and category slugs instead of ids. */
export class ImportedProduct extends OmitType(ProductInput, ['brandId', 'categoryIds'] as const) {
  @ApiPropertyOptional({ example: 'acme-outdoor', description: 'Brand slug' }) @IsOptional() @Matches(SLUG_PATTERN, { message: `brand ${SLUG_MESSAGE}` }) brand?: string;
  @ApiPropertyOptional({ type: [String], example: ['shoes'], description: 'Category slugs' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(SLUG_PATTERN, { each: true, message: `each of categories ${SLUG_MESSAGE}` })
  categories?: string[];
}

export class ImportQuery {
  @ApiPropertyOptional({ description: 'Validate and report without writing' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  dryRun?: boolean;
}

class FieldErrorDto {
  @ApiProperty({ example: 'price_amount' }) field!: string;
  @ApiProperty({ example: 'amount must be an integer number' }) message!: string;
}

class RejectedLineDto {
  @ApiPropertyOptional({ description: 'Line in the file, from 1 (the CSV header is line 1)' }) line?: number;
  @ApiPropertyOptional({ description: 'Index in a JSON array, from 0' }) index?: number;
  @ApiPropertyOptional({ description: 'Product handle (slug)' }) handle?: string;
  @ApiPropertyOptional() sku?: string;
  @ApiProperty({ type: [FieldErrorDto] }) errors!: FieldErrorDto[];
}

class ImportCountsDto {
  @ApiProperty() created!: number;
  @ApiProperty() updated!: number;
  @ApiProperty({ description: 'Products with at least one bad line; nothing of them is written' }) rejected!: number;
}

export class ImportReportDto {
  @ApiProperty({ enum: IMPORT_FORMATS }) format!: string;
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ type: ImportCountsDto }) products!: ImportCountsDto;
  @ApiProperty({ description: 'Data rows (CSV) or products (JSON, NDJSON) read' }) rows!: number;
  @ApiProperty({ type: [RejectedLineDto], description: 'Every bad line' }) rejected!: RejectedLineDto[];
}
