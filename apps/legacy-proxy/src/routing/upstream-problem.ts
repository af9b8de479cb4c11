import type { ServerResponse } from 'node:http';
import { PROBLEM_CONTENT_TYPE, problemType } from '#platform';
import type { FallbackReason } from './api-fallback.js';
import { type AnswerContext, problemHeaders } from './forwarded-headers.js';
import type { Backend } from './route-table.js';

const UPSTREAM_NAME: Record<Backend, string> = { legacy: 'The legacy shop', api: 'The new API' };

/** 504 problem+json for a backend that did not answer in time, 502 for one that could not be reached. */
export function upstreamProblem(backend: Backend, reason: FallbackReason, url: string, requestId: string) {
  const status = reason === 'timeout' ? 504 : 502;
  return {
    type: problemType('upstream unavailable'),
    title: 'Upstream unavailable',
    status,
    detail: `${UPSTREAM_NAME[backend]} did not answer`,
    instance: url.split('?')[0],
    requestId,
    code: 'PROXY.UPSTREAM_UNAVAILABLE',
  };
}

export function answerUpstreamProblem(res: ServerResponse, reason: FallbackReason, url: string, context: AnswerContext): void {
  const problem = upstreamProblem(context.backend, reason, url, context.requestId);
  const body = JSON.stringify(problem);
  res.writeHead(problem.status, problemHeaders(context, `${PROBLEM_CONTENT_TYPE}; charset=utf-8`, Buffer.byteLength(body))).end(body);
}
