import type { WebSocket, WebSocketServer } from 'ws';
import { CloseCode } from './close-code.ts';

export interface LivenessOptions {
  /** Every socket is pinged this often. @default 5000 */
  pingIntervalMs?: number;
  /** A socket that answered nothing (pong or message) for this long is terminated. @default 600000 */
  pongGraceMs?: number;
  /** A socket holding more unsent bytes than this is closed as a slow consumer (4413). @default 4 MiB */
  maxBufferedBytes?: number;
  /** Called for each socket terminated for silence (metrics). */
  onDead?: () => void;
}

/**
 * One timer for all sockets (not one per socket: ten thousand idle connections stay cheap): pings each,
 * terminates those silent for longer than the grace (a dead peer never answers a close), and closes those
 * whose unsent data keeps growing. Returns the function that stops it.
 */
export function useLiveness(wss: WebSocketServer, { pingIntervalMs = 5_000, pongGraceMs = 600_000, maxBufferedBytes = 4 * 1024 * 1024, onDead }: LivenessOptions = {}): () => void {
  const heardAt = new WeakMap<WebSocket, number>();
  wss.on('connection', (socket: WebSocket) => {
    heardAt.set(socket, Date.now());
    const heard = () => heardAt.set(socket, Date.now());
    socket.on('pong', heard);
    socket.on('message', heard);
  });
  const timer = setInterval(() => {
    const now = Date.now();
    for (const socket of wss.clients) {
      if (socket.readyState !== socket.OPEN) continue;
      if (now - (heardAt.get(socket) ?? now) > pongGraceMs) {
        socket.terminate();
        onDead?.();
      }
      else if (socket.bufferedAmount > maxBufferedBytes) closeSlow(socket);
      else socket.ping();
    }
  }, pingIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Closes a socket that cannot keep up; its unsent data is dropped. */
export function closeSlow(socket: WebSocket): void {
  socket.close(CloseCode.SlowConsumer, 'Slow consumer: the client reads slower than events arrive');
  // A peer that reads nothing would never read the close frame either.
  setTimeout(() => socket.terminate(), 1_000).unref();
}
