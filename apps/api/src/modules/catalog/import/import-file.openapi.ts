import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiExtraModels, getSchemaPath } from '@nestjs/swagger';
import { IMPORT_MEDIA_TYPES } from './catalog-import.service.js';
import { ImportedProduct } from './import.dto.js';

const CSV_LAYOUT = [
  'CSV: one row per variant, grouped into products by `handle` (the product slug); product columns on the first row of a group:',
  '`name`, `description`, `status`, `brand` (slug), `categories` (slugs separated by `|`), `attr.<name>` (values separated by `|`), `image_urls` (`|`).',
  'Variant columns: `sku`, `option.<name>`, `price_amount` (integer minor units), `currency`, `compare_at_amount`, `weight_grams`, `barcode`, `in_stock`.',
  'JSON: an array of products; NDJSON: one product per line. An existing product (same slug) is updated and its variants upserted by SKU.',
].join(' ');

/** The import route's request body in the OpenAPI document. */
export const ImportFileBody = () =>
  applyDecorators(
    ApiExtraModels(ImportedProduct),
    ApiConsumes(...IMPORT_MEDIA_TYPES),
    ApiBody({
      description: CSV_LAYOUT,
      schema: {
        oneOf: [
          { type: 'array', items: { $ref: getSchemaPath(ImportedProduct) }, description: 'application/json' },
          { type: 'string', description: 'text/csv, or application/x-ndjson: one ImportedProduct per line' },
        ],
      },
    }),
    ApiBadRequestResponse({ description: 'The file cannot be read at all (no header, unknown columns, not JSON): problem+json' }),
  );
