/**
 * @module bench/fastify-relay
 * Experiment: a bare Fastify relay (JSON body parsed, undici pool, answer read whole and sent),
 * to size Fastify's own cost against bench/passthrough.ts. Prints `READY <url>`.
 */
import Fastify from 'fastify';
import { Pool } from 'undici';

const upstream = new URL(process.env.UPSTREAM ?? 'http://127.0.0.1:9100/v1');
const pool = new Pool(upstream.origin, { connections: 128, pipelining: 1 });
const app = Fastify({ logger: false });
app.post('/v1/chat/completions', async (req, reply) => {
  const r = await pool.request({
    path: '/v1/chat/completions',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(req.body),
  });
  const bytes = await r.body.bytes();
  reply.code(r.statusCode).header('content-type', 'application/json');
  return reply.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
});
const url = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log(`READY ${url}`);
