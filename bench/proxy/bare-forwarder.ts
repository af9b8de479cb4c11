// The floor any proxy engine sets: a node:http server piping each request to one undici pool.
import http from 'node:http';
import { Pool } from 'undici';

const pool = new Pool(process.env.UPSTREAM_URL!, { connections: 128, keepAliveTimeout: 30_000 });
const server = http.createServer(async (req, res) => {
  try {
    const { connection: _c, host: _h, 'keep-alive': _k, ...headers } = req.headers;
    const answer = await pool.request({ method: req.method as 'GET', path: req.url!, headers, body: req.method === 'GET' || req.method === 'HEAD' ? null : req });
    const { statusCode, body } = answer;
    res.writeHead(statusCode, answer.headers as http.OutgoingHttpHeaders);
    body.pipe(res);
  } catch {
    res.writeHead(502).end();
  }
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
