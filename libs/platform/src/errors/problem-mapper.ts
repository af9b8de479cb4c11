import { HttpException } from '@nestjs/common';
import { DomainError, type DomainErrorKind, ServiceUnavailableError } from './domain-error.js';
import { isDatabaseUnavailable } from './database-unavailable.js';
import { type Problem, problemType, statusTitle } from './problem.js';
import { RequestValidationException } from './validation.js';
import { JSON_TOO_DEEP } from '../http/json-body.js';

const KIND_STATUS: Record<DomainErrorKind, number> = {
  moved_permanently: 301,
  bad_request: 400,
  unauthorized: 401,
  payment_required: 402,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

/** Fastify's own error codes, named for clients. */
const FASTIFY_CODES: Record<string, { code: string; title: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'REQUEST.MALFORMED_JSON', title: 'Malformed JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'REQUEST.MALFORMED_JSON', title: 'Malformed JSON' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'REQUEST.BODY_TOO_LARGE', title: 'Content too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', title: 'Unsupported media type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'REQUEST.INVALID_CONTENT_LENGTH', title: 'Invalid content length' },
  [JSON_TOO_DEEP]: { code: 'REQUEST.JSON_TOO_DEEP', title: 'JSON nested too deep' },
};

export interface MappedProblem {
  problem: Problem;
  headers: Record<string, string>;
  /** Unexpected failures are logged with their stack; client mistakes are not. */
  unexpected: boolean;
}

interface RequestFacts {
  instance: string;
  requestId: string;
}

function build(status: number, title: string, code: string, detail: string, facts: RequestFacts): Problem {
  return { type: problemType(title), title, status, detail, instance: facts.instance, requestId: facts.requestId, code };
}

function humanise(code: string): string {
  const last = code.split('.').pop() ?? code;
  const words = last.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function fromDomainError(error: DomainError, facts: RequestFacts): MappedProblem {
  const status = KIND_STATUS[error.kind];
  const problem = { ...build(status, humanise(error.code), error.code, error.message, facts), ...error.extensions };
  return { problem, headers: { ...error.headers }, unexpected: false };
}

function fromHttpException(error: HttpException, facts: RequestFacts): MappedProblem {
  const status = error.getStatus();
  if (error instanceof RequestValidationException) {
    const problem = build(status, 'Validation failed', 'REQUEST.VALIDATION_FAILED', error.message, facts);
    return { problem: { ...problem, errors: error.fieldErrors }, headers: {}, unexpected: false };
  }
  const fastifyCode = (error.cause as { code?: unknown } | undefined)?.code;
  const known = typeof fastifyCode === 'string' ? FASTIFY_CODES[fastifyCode] : undefined;
  const title = known?.title ?? statusTitle(status);
  const code = known?.code ?? `HTTP.${statusTitle(status).toUpperCase().replace(/\s+/g, '_')}`;
  const response = error.getResponse();
  const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
  const detail = Array.isArray(message) ? message.join('; ') : String(message ?? error.message);
  return { problem: build(status, title, code, detail, facts), headers: {}, unexpected: status >= 500 };
}

/** Maps anything thrown while serving a request to one RFC 9457 problem. */
export function toProblem(error: unknown, facts: RequestFacts): MappedProblem {
  if (error instanceof DomainError) return fromDomainError(error, facts);
  if (error instanceof HttpException) return fromHttpException(error, facts);
  if (isDatabaseUnavailable(error)) {
    return fromDomainError(new ServiceUnavailableError('The database is unavailable; retry shortly'), facts);
  }
  const problem = build(500, statusTitle(500), 'INTERNAL', 'An unexpected error occurred; quote the requestId when reporting it', facts);
  return { problem, headers: {}, unexpected: true };
}
