import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_DOC } from '../idempotency/idempotency.decorators.js';

type SchemaObject = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];

export interface OpenApiInfo {
  title: string;
  description: string;
  version: string;
  /** The app takes `Idempotency-Key` on every POST (the IdempotencyModule): document it. */
  idempotencyKeys?: boolean;
}

const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'RFC 9457 problem details; every error response has this shape (application/problem+json)',
  required: ['type', 'title', 'status', 'detail', 'instance', 'requestId', 'code'],
  properties: {
    type: { type: 'string', example: '/problems/validation-failed' },
    title: { type: 'string', example: 'Validation failed' },
    status: { type: 'integer', example: 400 },
    detail: { type: 'string', example: '1 field failed validation' },
    instance: { type: 'string', example: '/api/v1/carts' },
    requestId: { type: 'string', example: '2f6b0c1e-8d7a-4c1e-9f55-0e6f3a3c2b10' },
    code: { type: 'string', example: 'REQUEST.VALIDATION_FAILED' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

/**
 * Serves the Swagger UI at /docs and the document at /docs/openapi.json, generated from controllers
 * and DTOs on the first request for either (then kept): scanning every route costs a tenth of the
 * boot, which a restarting instance should not pay before it serves traffic.
 */
export function setupOpenApi(app: INestApplication, info: OpenApiInfo): void {
  SwaggerModule.setup('docs', app, () => openApiDocument(app, info), { jsonDocumentUrl: 'docs/openapi.json', useGlobalPrefix: false });
}

function openApiDocument(app: INestApplication, info: OpenApiInfo): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(info.title)
    .setDescription(info.description)
    .setVersion(info.version)
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA } };
  documentProblems(document);
  if (info.idempotencyKeys) documentOptionalIdempotencyKeys(document);
  return document;
}

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** Every POST takes the header; the routes that require it say so already (`@RequireIdempotencyKey()`). */
function documentOptionalIdempotencyKeys(document: OpenAPIObject): void {
  for (const operations of Object.values(document.paths)) {
    const post = operations.post;
    if (!post) continue;
    const parameters = (post.parameters ??= []);
    if (parameters.some((p) => 'name' in p && p.name === IDEMPOTENCY_KEY_DOC.name)) continue;
    parameters.push({ ...IDEMPOTENCY_KEY_DOC, in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 255 } });
  }
}

/** Every operation may fail with a problem; routes behind a bearer token also with 401 and 403. */
function documentProblems(document: OpenAPIObject): void {
  for (const operations of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = operations[method];
      if (!operation) continue;
      const responses = operation.responses;
      if (operation.security?.some((requirement) => 'bearer' in requirement)) {
        responses['401'] ??= problemResponse('No, an expired or an invalid access token');
        responses['403'] ??= problemResponse('The token lacks a role this route needs');
      }
      responses.default ??= problemResponse('An RFC 9457 problem: 400 validation (with errors[]), 404, 409, 413, 415, 429 (Retry-After), 503, 500');
    }
  }
}
