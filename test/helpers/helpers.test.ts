/** The test helpers themselves: the service gate and the cuttable TCP proxy. */
import { connect, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isPortOpen, requireService } from './services.js';
import { startTcpProxy } from './tcp-proxy.js';

let echo: Server;
let echoPort = 0;
let closedPort = 0;

beforeAll(async () => {
  echo = createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  echoPort = (echo.address() as { port: number }).port;
  const tmp = createServer();
  await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', () => r()));
  closedPort = (tmp.address() as { port: number }).port;
  await new Promise<void>((r) => tmp.close(() => r()));
});
afterAll(async () => {
  await new Promise<void>((r) => echo.close(() => r()));
});

const roundTrip = (port: number, text: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => s.write(text));
    s.once('data', (d) => {
      resolve(d.toString());
      s.destroy();
    });
    s.once('error', reject);
    s.once('close', () => reject(new Error('closed')));
  });

describe('requireService', () => {
  it('resolves true for an open port', async () => {
    expect(await isPortOpen(echoPort)).toBe(true);
    expect(await requireService('echo', echoPort)).toBe(true);
  });

  it('skips with one warning line when the service is down', async () => {
    const prev = process.env.DISTILLGUARD_REQUIRE_SERVICES;
    delete process.env.DISTILLGUARD_REQUIRE_SERVICES;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(await requireService('nothing', closedPort)).toBe(false);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toMatch(/^\[skip\] nothing not reachable/);
    } finally {
      warn.mockRestore();
      if (prev !== undefined) process.env.DISTILLGUARD_REQUIRE_SERVICES = prev;
    }
  });

  it('fails instead when DISTILLGUARD_REQUIRE_SERVICES=1', async () => {
    const prev = process.env.DISTILLGUARD_REQUIRE_SERVICES;
    process.env.DISTILLGUARD_REQUIRE_SERVICES = '1';
    try {
      await expect(requireService('nothing', closedPort)).rejects.toThrow(/DISTILLGUARD_REQUIRE_SERVICES=1/);
    } finally {
      if (prev === undefined) delete process.env.DISTILLGUARD_REQUIRE_SERVICES;
      else process.env.DISTILLGUARD_REQUIRE_SERVICES = prev;
    }
  });
});

describe('TCP proxy', () => {
  it('pipes bytes, drops live connections on cut, refuses while cut, and restores', async () => {
    const proxy = await startTcpProxy({ targetPort: echoPort });
    expect(await roundTrip(proxy.port, 'hello')).toBe('hello');

    const live = connect({ host: '127.0.0.1', port: proxy.port });
    await new Promise((r) => live.once('connect', r));
    await vi.waitFor(() => expect(proxy.connections()).toBe(1)); // the earlier round trip has closed
    const closed = new Promise((r) => live.once('close', r));
    live.on('error', () => undefined);
    proxy.cut();
    await closed;
    expect(proxy.isCut()).toBe(true);
    await expect(roundTrip(proxy.port, 'x')).rejects.toThrow();

    proxy.restore();
    expect(await roundTrip(proxy.port, 'back')).toBe('back');
    await proxy.close();
  });
});
