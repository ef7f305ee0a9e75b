import { describe, expect, it } from 'vitest';
import { clientIp, normalizeIp, TrustedProxies } from '../../src/gateway/client-ip.js';
import { GatewayError, toGatewayError } from '../../src/gateway/errors.js';
import { estimateTokens, meter, promptSize, readUsage } from '../../src/gateway/metering.js';
import { outgoingBody, replyHeaders, upstreamFailure, upstreamHeaders } from '../../src/gateway/proxy.js';
import { SseRelay } from '../../src/gateway/sse.js';

describe('client-ip', () => {
  const trusted = new TrustedProxies(['10.0.0.0/8', '::1', 'fd00::/8']);
  it('normalizes mapped IPv4 and rejects garbage', () => {
    expect(normalizeIp('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(normalizeIp('[::1]')).toBe('::1');
    expect(normalizeIp('nope')).toBeNull();
  });
  it('ignores X-Forwarded-For from an untrusted peer', () => {
    expect(clientIp('203.0.113.9', '1.2.3.4', trusted)).toBe('203.0.113.9');
  });
  it('takes the right-most untrusted hop from a trusted peer (IPv4 and IPv6)', () => {
    expect(clientIp('::ffff:10.0.0.5', '6.6.6.6, 198.51.100.7, 10.0.0.9', trusted)).toBe('198.51.100.7');
    expect(clientIp('fd00::1', '2001:db8::7', trusted)).toBe('2001:db8::7');
    expect(clientIp('::1', ['1.1.1.1', '10.2.2.2'], trusted)).toBe('1.1.1.1');
  });
  it('trusts nobody with an empty list, and rejects bad entries', () => {
    expect(clientIp('127.0.0.1', '1.2.3.4', new TrustedProxies([]))).toBe('127.0.0.1');
    expect(() => new TrustedProxies(['10.0.0.0/33'])).toThrow(/prefix/);
    expect(() => new TrustedProxies(['bogus'])).toThrow(/not an IP/);
  });
});

describe('errors', () => {
  it('renders the OpenAI shape and maps Fastify parser errors', () => {
    expect(new GatewayError('model_not_found', { param: 'model' }).body().error).toMatchObject({
      type: 'invalid_request_error',
      code: 'model_not_found',
      param: 'model',
    });
    expect(toGatewayError({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }).code).toBe(
      'request_too_large',
    );
    expect(toGatewayError({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }).status).toBe(415);
    expect(toGatewayError(new Error('secret detail')).body().error.message).not.toContain('secret');
  });
});

describe('metering', () => {
  it('reads chat, responses and embeddings usage', () => {
    expect(
      readUsage({
        prompt_tokens: 5,
        completion_tokens: 7,
        completion_tokens_details: { reasoning_tokens: 2 },
      }),
    ).toEqual({
      promptTokens: 5,
      completionTokens: 7,
      reasoningTokens: 2,
    });
    expect(readUsage({ input_tokens: 3, output_tokens: 4 })).toMatchObject({
      promptTokens: 3,
      completionTokens: 4,
    });
    expect(readUsage({ prompt_tokens: 4, total_tokens: 4 })).toMatchObject({
      promptTokens: 4,
      completionTokens: 0,
    });
    expect(readUsage(null)).toBeNull();
  });
  it('falls back to gpt-tokenizer and marks the record estimated, counting images', () => {
    const m = meter({
      reported: undefined,
      promptTokens: () => 10,
      completionText: () => 'hello world',
      images: 2,
    });
    expect(m).toMatchObject({
      promptTokens: 10 + 2 * 765,
      completionTokens: 2,
      imageTokens: 1530,
      estimated: true,
    });
  });
  it('estimates prompt size without building strings', () => {
    const body = {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'abcd' },
            { type: 'image_url', image_url: { url: 'x' } },
          ],
        },
        { role: 'user', content: 'efgh' },
      ],
    };
    expect(promptSize('chat', body)).toEqual({ chars: 8, images: 1 });
    expect(promptSize('completions', { prompt: ['ab', 'cd'] })).toEqual({ chars: 4, images: 0 });
    expect(estimateTokens(8, 1, 100, 2)).toBe(2 + 765 + 200);
  });
});

describe('proxy', () => {
  it('drops the client key and hop-by-hop headers', () => {
    const h = upstreamHeaders({
      authorization: 'Bearer dg-x',
      'api-key': 'dg-x',
      connection: 'keep-alive, x-hop',
      'x-hop': '1',
      'x-stainless-lang': 'js',
      'x-forwarded-for': '1.2.3.4',
    });
    expect(h).toEqual({ 'x-stainless-lang': 'js', 'content-type': 'application/json' });
  });
  it('copies only allowed reply headers', () => {
    expect(
      replyHeaders({
        'content-type': 'application/json',
        'openai-model': 'x',
        'set-cookie': ['a'],
        server: 'y',
      }),
    ).toEqual({
      'content-type': 'application/json',
      'openai-model': 'x',
    });
  });
  it('splices include_usage into a stream body and leaves other bodies unchanged', () => {
    const raw = Buffer.from(' {"model":"m","stream":true}');
    const out = outgoingBody('chat', raw, { model: 'm', stream: true });
    expect(out.injected).toBe(true);
    expect(JSON.parse(out.bytes.toString())).toEqual({
      stream_options: { include_usage: true },
      model: 'm',
      stream: true,
    });
    const other = { model: 'm', stream: true, stream_options: { foo: 1 } };
    const copy = outgoingBody('chat', Buffer.from(JSON.stringify(other)), other);
    expect(JSON.parse(copy.bytes.toString()).stream_options).toEqual({ foo: 1, include_usage: true });
    expect(other.stream_options).toEqual({ foo: 1 });
    const asked = { model: 'm', stream: true, stream_options: { include_usage: true } };
    expect(outgoingBody('chat', raw, asked)).toEqual({ bytes: raw, injected: false });
    expect(outgoingBody('responses', raw, { model: 'm', stream: true }).bytes).toBe(raw);
  });
  it('relays OpenAI-shaped upstream errors and wraps others', () => {
    const relayed = upstreamFailure(400, Buffer.from('{"error":{"message":"bad","type":"x","code":"c"}}'));
    expect(relayed).toMatchObject({ kind: 'relay', status: 400, code: 'c' });
    const wrapped = upstreamFailure(500, Buffer.from('<html>'));
    expect(wrapped.kind === 'gateway' && wrapped.error.code).toBe('upstream_error');
  });
});

describe('sse relay', () => {
  const ev = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
  const stream = [
    ev({ choices: [{ index: 0, delta: { content: 'Hel' } }] }),
    ev({ choices: [{ index: 1, delta: { content: 'lo' }, finish_reason: 'stop' }] }),
    ev({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } }),
    'data: [DONE]\n\n',
  ].join('');

  function run(stripUsage: boolean, splitEvery: number) {
    const relay = new SseRelay({ endpoint: 'chat', stripUsage });
    const bytes = Buffer.from(stream);
    const out: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += splitEvery) {
      const o = relay.push(bytes.subarray(i, i + splitEvery));
      if (o) out.push(o);
    }
    const rest = relay.end();
    if (rest) out.push(rest);
    return { relay, text: Buffer.concat(out).toString() };
  }

  it('passes bytes through unchanged and captures usage across chunk boundaries', () => {
    for (const split of [1, 7, 1000]) {
      const { relay, text } = run(false, split);
      expect(text).toBe(stream);
      expect(relay.capture.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2 });
      expect(relay.capture.choices).toBe(2);
      expect(relay.capture.finishReason).toBe('stop');
      expect(relay.text()).toBe('Hello');
    }
  });
  it('strips the usage-only chunk when asked', () => {
    const { relay, text } = run(true, 5);
    expect(text).not.toContain('usage');
    expect(text).toContain('[DONE]');
    expect(text).toContain('"Hel"');
    expect(relay.capture.usage).toMatchObject({ prompt_tokens: 3 });
  });
  it('handles CRLF and multi-byte characters split across chunks', () => {
    const relay = new SseRelay({ endpoint: 'chat', stripUsage: false });
    const bytes = Buffer.from(`data: {"choices":[{"index":0,"delta":{"content":"héllo €"}}]}\r\n\r\n`);
    for (let i = 0; i < bytes.length; i++) relay.push(bytes.subarray(i, i + 1));
    expect(relay.text()).toBe('héllo €');
  });
});
