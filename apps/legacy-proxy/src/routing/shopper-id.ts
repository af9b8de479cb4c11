import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { cookieValue } from './cookies.js';

export const BUCKET_COOKIE = 'ficus_bucket';
const BUCKET_COOKIE_MAX_AGE_S = 400 * 24 * 3600; // the longest browsers keep a cookie
const COOKIE_ID = /^[A-Za-z0-9_-]{16,64}$/;
const MAX_SUBJECT_LENGTH = 200;

export interface ShopperId {
  id: string;
  source: 'cookie' | 'token' | 'new';
}

/**
 * Who a request is, for canary bucketing only. The `ficus_bucket` cookie comes first, so logging in
 * mid-funnel never moves a shopper; a client without cookies is bucketed by its access token's
 * `sub`, decoded WITHOUT verifying the signature (a forged `sub` only picks a backend, which the
 * tester override allows anyway; nothing is authorised by it). Neither: a new random id, which
 * the caller sets as the cookie.
 */
export function shopperId(headers: IncomingHttpHeaders): ShopperId {
  const cookie = cookieValue(headers.cookie, BUCKET_COOKIE);
  if (cookie !== undefined && COOKIE_ID.test(cookie)) return { id: cookie, source: 'cookie' };
  const subject = unverifiedSubject(headers.authorization);
  if (subject !== undefined) return { id: `sub:${subject}`, source: 'token' };
  return { id: randomBytes(16).toString('base64url'), source: 'new' };
}

export function bucketCookie(id: string, secure: boolean): string {
  return `${BUCKET_COOKIE}=${id}; Path=/; Max-Age=${BUCKET_COOKIE_MAX_AGE_S}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

function unverifiedSubject(authorization: string | undefined): string | undefined {
  const token = /^Bearer ([\w-]+)\.([\w-]+)\.[\w-]*$/i.exec(authorization ?? '');
  if (!token) return undefined;
  try {
    const sub: unknown = JSON.parse(Buffer.from(token[2]!, 'base64url').toString('utf8')).sub;
    return typeof sub === 'string' && sub !== '' && sub.length <= MAX_SUBJECT_LENGTH ? sub : undefined;
  } catch {
    return undefined;
  }
}
