import type { IncomingHttpHeaders } from 'node:http';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'upgrade', 'transfer-encoding', 'proxy-connection', 'http2-settings']);

/** The names a `Connection` header lists: hop-by-hop too (RFC 9110 7.6.1). */
export function connectionNamed(headers: IncomingHttpHeaders): Set<string> {
  const value = headers.connection;
  const list = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(list.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean));
}

/**
 * Headers for the next hop only, taken out in either direction: Connection and what it names,
 * Keep-Alive, TE (but `TE: trailers`), Trailer, Upgrade, Transfer-Encoding and every Proxy-*.
 * A websocket handshake keeps its Connection/Upgrade (the tunnel sets them itself).
 */
export function withoutHopByHop<T extends IncomingHttpHeaders>(headers: T): T {
  const named = connectionNamed(headers);
  const kept = {} as Record<string, unknown>;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'te' && typeof value === 'string' && value.trim().toLowerCase() === 'trailers') kept[name] = value;
    else if (!HOP_BY_HOP.has(lower) && !named.has(lower) && !lower.startsWith('proxy-')) kept[name] = value;
  }
  return kept as T;
}
