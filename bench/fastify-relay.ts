/**
 * @module bench/fastify-relay
 * A reference target of the gateway benchmark: bench/passthrough.ts on Fastify. The body is kept
 * as raw bytes (no JSON parse), forwarded through the same undici pool and the answer streamed
 * back. No auth, limits, metering or events: the difference to the pass-through is Fastify's own
 * request/reply machinery, the floor of any gateway built on it. Prints `READY <url>`.
 */
import Fastify from 'fastify';
import { Pool } from 'undici';

const upstream = new URL(process.env.UPSTREAM ?? 'http://127.0.0.1:9100/v1');
const pool = new Pool(upstream.origin, { connections: 128, pipelining: 1 });
const app = Fastify({ logger: false });
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
app.post('/v1/chat/completions', async (req, reply) => {
  const r = await pool.request({
    path: '/v1/chat/completions',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: req.body as Buffer,
  });
  reply.code(r.statusCode).header('content-type', String(r.headers['content-type'] ?? 'application/json'));
  return reply.send(r.body);
});
const url = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log(`READY ${url}`);
