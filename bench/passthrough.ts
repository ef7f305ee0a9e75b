/**
 * @module bench/passthrough
 * The baseline of the gateway benchmark: a bare undici pass-through with no auth, limits,
 * metering or events. It forwards each request to UPSTREAM (keep-alive pool) and pipes the
 * answer back. Prints `READY <url>` when listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

const upstream = new URL(process.env.UPSTREAM ?? 'http://127.0.0.1:9100/v1');
const pool = new Pool(upstream.origin, { connections: 128, pipelining: 1 });

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    pool
      .request({
        path: req.url ?? '/',
        method: req.method === 'GET' ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: Buffer.concat(chunks),
      })
      .then(({ statusCode, headers, body }) => {
        res.writeHead(statusCode, { 'content-type': String(headers['content-type'] ?? 'application/json') });
        body.pipe(res);
      })
      .catch(() => {
        res.writeHead(502).end();
      });
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`READY http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
