// The stand-in backend for bench/proxy.ts: a small HTML page on every path, keep-alive.
import http from 'node:http';

const BODY = Buffer.from(`<!DOCTYPE html><html><body>${'<p>Ficus legacy page</p>'.repeat(20)}</body></html>`);
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8', 'content-length': BODY.length }).end(BODY);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
