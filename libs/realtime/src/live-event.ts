/**
 * What the platform tells connected clients. A room says who hears it: everyone watching a session or
 * a venue (the public namespace), one person, or the staff of one branch (the signed-in namespace).
 */
export interface LiveEvent {
  room: string;
  event: string;
  data: Record<string, unknown>;
}

/**
 * An event whose content is read after the commit, so what goes out is the state everyone can now
 * see (counts read inside a transaction can be overtaken by a later commit that publishes first).
 * Refreshes with the same key coalesce: while one is being read, more commits only ask for one more read.
 */
export interface LiveRefresh {
  room: string;
  event: string;
  key: string;
  load: () => Promise<Record<string, unknown> | null>;
}

export type LiveMessage = LiveEvent | LiveRefresh;

export const PUBLIC_NAMESPACE = '/public';
export const PRIVATE_NAMESPACE = '/live';

/** Room names, in one place for publishers, the gateway and the worker's emitter. */
export const rooms = {
  session: (sessionId: string) => `session:${sessionId}`,
  venue: (venueId: string) => `venue:${venueId}`,
  patron: (patronId: string) => `patron:${patronId}`,
  staff: (staffId: string) => `staff:${staffId}`,
  branch: (branchId: string) => `branch:${branchId}`,
  /** Rooms anyone may watch without signing in. */
  isPublic: (room: string) => room.startsWith('session:') || room.startsWith('venue:'),
};

export const namespaceOf = (room: string) => (rooms.isPublic(room) ? PUBLIC_NAMESPACE : PRIVATE_NAMESPACE);

/** Where delivered events go: the socket.io server in the API, a Redis emitter in the worker, notice channels. */
export interface LiveSink {
  deliver(event: LiveEvent): void | Promise<void>;
}
