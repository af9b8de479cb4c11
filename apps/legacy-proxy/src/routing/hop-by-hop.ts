import type { IncomingHttpHeaders } from 'node:http';
import { util } from 'undici';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'upgrade', 'transfer-encoding', 'proxy-connection', 'http2-settings']);
const NONE: ReadonlySet<string> = new Set();
const KEEP_ALIVE_OR_CLOSE = new Set(['keep-alive', 'close']);

/** The names a `Connection` header lists: hop-by-hop too (RFC 9110 7.6.1). */
export function connectionNamed(headers: IncomingHttpHeaders): ReadonlySet<string> {
  const value = headers.connection;
  if (value === undefined) return NONE;
  const list = Array.isArray(value) ? value.join(',') : value;
  // The usual `keep-alive` or `close` names nothing that is not dropped already.
  if (!list.includes(',') && KEEP_ALIVE_OR_CLOSE.has(list.trim().toLowerCase())) return NONE;
  return new Set(list.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean));
}

/**
 * Headers for the next hop only, taken out in either direction: Connection and what it names,
 * Keep-Alive, TE (but `TE: trailers`), Trailer, Upgrade, Transfer-Encoding and every Proxy-*.
 * A websocket handshake keeps its Connection/Upgrade (the tunnel sets them itself). `alsoDrop`:
 * more (lower-case) names to leave out in the same pass.
 */
export function withoutHopByHop<T extends IncomingHttpHeaders>(headers: T, alsoDrop: ReadonlySet<string> = NONE): T {
  const named = connectionNamed(headers);
  const kept = {} as Record<string, unknown>;
  // Node and undici give header names in lower case.
  for (const name in headers) {
    const value = headers[name];
    if (name === 'te' && typeof value === 'string' && value.trim().toLowerCase() === 'trailers') kept[name] = value;
    else if (!HOP_BY_HOP.has(name) && !named.has(name) && !alsoDrop.has(name) && !name.startsWith('proxy-')) kept[name] = value;
  }
  return kept as T;
}

/**
 * A backend's raw answer headers (undici's name, value, name, value... list) as node:http's header
 * object, hop-by-hop ones left out in the same pass: lower-case names, a repeated header as an
 * array. No prototype: a header named like one of Object's properties is just a header.
 */
export function endToEndHeaders(raw: Buffer[]): IncomingHttpHeaders {
  const headers: Record<string, string | string[]> = Object.create(null);
  let connection: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    // undici's lookup gives the usual names without decoding them.
    const name = util.headerNameToString(raw[i]!);
    const value = raw[i + 1]!.toString('latin1');
    if (HOP_BY_HOP.has(name) || name.startsWith('proxy-')) {
      if (name === 'connection') connection = connection === undefined ? value : `${connection},${value}`;
      continue;
    }
    const seen = headers[name];
    if (seen === undefined) headers[name] = value;
    else if (typeof seen === 'string') headers[name] = [seen, value];
    else seen.push(value);
  }
  if (connection !== undefined) for (const name of connectionNamed({ connection })) delete headers[name];
  return headers;
}
