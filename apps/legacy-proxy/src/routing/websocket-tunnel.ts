import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { connect as tcpConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { REQUEST_ID_HEADER } from '#platform';
import { chooseBackend } from './backend-choice.js';
import { withoutHopByHop } from './hop-by-hop.js';
import type { Backend, RouteTable } from './route-table.js';

export interface WebsocketTunnelOptions {
  bases: Record<Backend, string>;
  routes: () => RouteTable;
  allowOverride: boolean;
  /** Secrets of the proxy's own that never go upstream. */
  dropHeaders: string[];
}

const SANE_ID = /^[\w.:-]{1,128}$/;

/**
 * A websocket handshake goes where the route table sends its path (override and canary included),
 * then bytes flow both ways untouched until either side closes. The backend's 101 (or refusal)
 * reaches the client as it was sent.
 */
export function tunnelWebsockets(server: Server, options: WebsocketTunnelOptions): void {
  server.on('upgrade', (req: IncomingMessage, client: Duplex, head: Buffer) => {
    if (req.headers.upgrade?.toLowerCase() !== 'websocket') return refuse(client, 400, 'Bad Request');
    const decision = options.routes().resolve(req.method ?? 'GET', req.url ?? '/');
    const { backend } = chooseBackend(decision, req.headers, options.allowOverride);
    const base = new URL(options.bases[backend]);
    const target = backend === 'api' ? decision.apiUrl : decision.legacyUrl;
    const port = Number(base.port || (base.protocol === 'https:' ? 443 : 80));
    const upstream: Socket =
      base.protocol === 'https:' ? tlsConnect({ host: base.hostname, port, servername: base.hostname }) : tcpConnect({ host: base.hostname, port });
    let connected = false;
    upstream.once(base.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      connected = true;
      upstream.write(handshake(req, base, target, options.dropHeaders));
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on('error', () => (connected ? client.destroy() : refuse(client, 502, 'Bad Gateway')));
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
}

function handshake(req: IncomingMessage, base: URL, target: string, dropHeaders: string[]): string {
  const headers: Record<string, string | string[] | undefined> = withoutHopByHop(req.headers);
  for (const name of dropHeaders) delete headers[name];
  const given = req.headers[REQUEST_ID_HEADER];
  const requestId = typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
  Object.assign(headers, {
    host: base.host,
    connection: 'Upgrade',
    upgrade: 'websocket',
    'x-forwarded-for': req.socket.remoteAddress ?? '',
    'x-forwarded-proto': 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http',
    'x-forwarded-host': req.headers.host ?? '',
    [REQUEST_ID_HEADER]: requestId,
  });
  const lines = [`${req.method} ${target} HTTP/1.1`];
  for (const [name, value] of Object.entries(headers)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) lines.push(`${name}: ${one}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function refuse(client: Duplex, status: number, reason: string): void {
  if (client.writable) client.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  else client.destroy();
}
