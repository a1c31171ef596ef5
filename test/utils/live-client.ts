import { io, Socket } from 'socket.io-client';

/** A socket.io client on one namespace of a listening test app; resolves once connected (rejects on connect_error). */
export async function connectLive(baseUrl: string, namespace: '/public' | '/live', token?: string): Promise<Socket> {
  const socket = io(`${baseUrl}${namespace}`, { transports: ['websocket'], forceNew: true, reconnection: false, auth: token ? { token } : {} });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (e) => {
      socket.close();
      reject(e);
    });
  });
  return socket;
}

/** The next `event` whose payload satisfies `match` (events that do not match are passed over). */
export function nextEvent<T = Record<string, unknown>>(socket: Socket, event: string, match: (data: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const handler = (data: T) => {
      if (!match(data)) return;
      socket.off(event, handler);
      resolve(data);
    };
    socket.on(event, handler);
  });
}

/** Everything `event` delivered, in order, until `stop()`. */
export function collect<T = Record<string, unknown>>(socket: Socket, event: string): { seen: T[]; stop(): void } {
  const seen: T[] = [];
  const handler = (data: T) => seen.push(data);
  socket.on(event, handler);
  return { seen, stop: () => socket.off(event, handler) };
}
