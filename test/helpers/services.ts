/**
 * @module test/helpers/services
 * Gate for integration tests that need a real service (Redis, PostgreSQL, NATS). When the
 * service does not answer on 127.0.0.1:<port>, the suite is skipped with ONE console.warn line,
 * unless `DISTILLGUARD_REQUIRE_SERVICES=1` (CI), in which case the suite fails instead.
 *
 * Usage (top level of a test file, before `describe`):
 *   const redisUp = await requireService('redis', 6379);
 *   describe.runIf(redisUp)('redis store', () => { … });
 */
import { connect } from 'node:net';

export const SERVICE_PORTS = { redis: 6379, postgres: 5432, nats: 4222 } as const;

export type ServiceName = keyof typeof SERVICE_PORTS | (string & {});

export interface ServiceProbeOptions {
  host?: string;
  timeoutMs?: number;
}

/** True when something accepts a TCP connection on host:port within the timeout. */
export function isPortOpen(port: number, opts: ServiceProbeOptions = {}): Promise<boolean> {
  const host = opts.host ?? '127.0.0.1';
  const timeoutMs = opts.timeoutMs ?? 1000;
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (up: boolean): void => {
      socket.removeAllListeners();
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** True when integration tests must fail (not skip) on a missing service. */
export function servicesRequired(): boolean {
  return process.env.DISTILLGUARD_REQUIRE_SERVICES === '1';
}

/**
 * Resolves true when the service is up. When it is down: throws if services are required,
 * otherwise warns once (one line) and resolves false so the caller can skip.
 */
export async function requireService(
  name: ServiceName,
  port: number,
  opts: ServiceProbeOptions = {},
): Promise<boolean> {
  if (await isPortOpen(port, opts)) return true;
  const where = `${opts.host ?? '127.0.0.1'}:${port}`;
  if (servicesRequired()) {
    throw new Error(`${name} is not reachable on ${where} and DISTILLGUARD_REQUIRE_SERVICES=1`);
  }
  console.warn(`[skip] ${name} not reachable on ${where}: skipping ${name} integration tests`);
  return false;
}
