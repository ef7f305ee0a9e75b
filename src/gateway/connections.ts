/**
 * @module gateway/connections
 * Connection bookkeeping for a clean shutdown. Node's `closeIdleConnections` leaves alone a
 * socket that was opened but never carried a request (HTTP clients pre-connect), so a plain
 * `server.close()` can wait on such sockets forever. We track which sockets are answering a
 * request: on shutdown the others are closed at once, and busy ones get a grace period.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionTracker {
  /** Destroys every socket not answering a request right now. */
  closeIdle(): void;
  /** Destroys every socket. */
  closeAll(): void;
}

export function trackConnections(server: Server): ConnectionTracker {
  const sockets = new Set<Socket>();
  const busy = new Map<Socket, number>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      busy.delete(socket);
    });
  });
  server.on('request', (req, res) => {
    const socket = req.socket;
    busy.set(socket, (busy.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const n = (busy.get(socket) ?? 1) - 1;
      if (n > 0) busy.set(socket, n);
      else busy.delete(socket);
    });
  });
  return {
    closeIdle: () => {
      for (const s of sockets) if (!busy.has(s)) s.destroy();
    },
    closeAll: () => {
      for (const s of sockets) s.destroy();
    },
  };
}
