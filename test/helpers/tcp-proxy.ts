/**
 * @module test/helpers/tcp-proxy
 * A loopback TCP proxy for fault tests: clients connect to the proxy, which pipes bytes to the
 * real service. `cut()` destroys every live connection and refuses new ones (connections are
 * accepted then reset immediately, like a dead peer); `restore()` lets traffic through again.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxyOptions {
  /** Target service port on `targetHost`. */
  targetPort: number;
  targetHost?: string;
  /** Port the proxy listens on; 0 (default) picks a random free port. */
  listenPort?: number;
}

export interface TcpProxy {
  readonly port: number;
  readonly url: (scheme: string) => string;
  /** Number of client connections currently piped through. */
  connections(): number;
  /** Drop all live connections and refuse new ones until `restore()`. */
  cut(): void;
  restore(): void;
  isCut(): boolean;
  close(): Promise<void>;
}

export async function startTcpProxy(opts: TcpProxyOptions): Promise<TcpProxy> {
  const targetHost = opts.targetHost ?? '127.0.0.1';
  const live = new Set<[Socket, Socket]>();
  let cut = false;

  const server: Server = createServer((client) => {
    if (cut) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect({ host: targetHost, port: opts.targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    live.add(pair);
    const drop = (): void => {
      live.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.listenPort ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('tcp proxy: no port');
  const port = address.port;

  return {
    port,
    url: (scheme) => `${scheme}://127.0.0.1:${port}`,
    connections: () => live.size,
    cut() {
      cut = true;
      for (const [a, b] of live) {
        a.resetAndDestroy();
        b.destroy();
      }
      live.clear();
    },
    restore() {
      cut = false;
    },
    isCut: () => cut,
    close() {
      cut = true;
      for (const [a, b] of live) {
        a.destroy();
        b.destroy();
      }
      live.clear();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
