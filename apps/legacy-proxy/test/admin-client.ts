import { randomUUID } from 'node:crypto';
import { anonymousContext, IDENTITY_API, type IdentityApi } from '#contracts';
import type { RunningApi } from '../../api/test/e2e/api-harness.js';

/** Accounts made through the real identity module: their access tokens are signed by the API and checked by the proxy with its JWKS. */
export async function accountTokens(api: RunningApi): Promise<{ admin: string; adminId: string; customer: string }> {
  const identity = api.app.get<IdentityApi>(IDENTITY_API, { strict: false });
  const account = (roles: ('customer' | 'admin')[]) =>
    identity.createAccount(anonymousContext('proxy-admin-test'), { email: `${randomUUID()}@example.com`, password: 'proxy admin password', roles });
  const admin = await account(['customer', 'admin']);
  const customer = await account(['customer']);
  return { admin: admin.tokens.accessToken, adminId: admin.account.id, customer: customer.tokens.accessToken };
}

/** The proxy's admin API, as one admin. */
export function adminClient(baseUrl: string, token: string | null) {
  const call = async (method: string, path: string, payload?: unknown) => {
    const response = await fetch(`${baseUrl}/_proxy/admin${path}`, {
      method,
      headers: { ...(token && { authorization: `Bearer ${token}` }), ...(payload !== undefined && { 'content-type': 'application/json' }) },
      ...(payload !== undefined && { body: JSON.stringify(payload) }),
    });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type'), body: text ? (JSON.parse(text) as any) : null };
  };
  return {
    call,
    get: (path: string) => call('GET', path),
    patch: (route: string, payload: unknown) => call('PATCH', `/routes/${route}`, payload),
    killSwitch: (engaged: boolean) => call('PUT', '/kill-switch', { engaged }),
  };
}
