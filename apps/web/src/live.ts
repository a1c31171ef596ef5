import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { freshAccessToken } from './api/client';
import type { Activity, Session } from './api/schema';
import { type SeatCounts, takeIfNewer, type SeenSeats } from './seat-order';

// Live updates from the API (socket.io on the same origin, path /socket.io). Delivery is at most once,
// so every (re)connection reads the state again: the watch answer carries the seats now.

// `asOf` orders counts pushed by different API instances: an older read arriving late is ignored.
type Seats = Pick<Session, 'seatsLeft' | 'waitlisted' | 'confirmed' | 'capacity'> & { sessionId: string; asOf?: number };

/**
 * Websocket first, long-polling only when a websocket cannot open: an API running several workers on one
 * port (API_WORKERS) takes websockets only, since polling needs every request of a client on one process.
 */
const TRANSPORTS: Partial<ManagerOptions & SocketOptions> = { transports: ['websocket', 'polling'], tryAllTransports: true };

const seatMarks = new Map<string, SeenSeats>();

/**
 * The newest position seen per session of an activity, shared by its pushes and its HTTP reads (the
 * ['activity', id] query merges each read with `keepNewerSeats`), so neither overwrites newer counts.
 */
export function seatMarksOf(activityId: string): SeenSeats {
  let seen = seatMarks.get(activityId);
  if (!seen) seatMarks.set(activityId, (seen = new Map()));
  return seen;
}

/** Keeps the seats of an activity's sessions (in the ['activity', id] query) live on the public namespace. */
export function useLiveSeats(activityId: string, sessionIds: string[]): void {
  const queryClient = useQueryClient();
  const key = sessionIds.join(',');
  useEffect(() => {
    if (!key) return;
    const seen = seatMarksOf(activityId);
    const apply = (seats: Seats) =>
      takeIfNewer(seen, seats.sessionId, seats.asOf) &&
      queryClient.setQueryData<Activity>(['activity', activityId], (old) =>
        old && {
          ...old,
          sessions: old.sessions.map((s) =>
            s.id === seats.sessionId
              ? { ...s, seatsLeft: seats.seatsLeft, waitlisted: seats.waitlisted, confirmed: seats.confirmed, capacity: seats.capacity, asOf: seats.asOf ?? s.asOf }
              : s,
          ),
        },
      );
    return watchSessions(key.split(','), apply);
  }, [activityId, key, queryClient]);
}

/**
 * Watches sessions on the public namespace: `apply` gets each one's counts on every (re)connection (the
 * `watch` answer) and on every change. Returns what stops it.
 */
function watchSessions(sessionIds: string[], apply: (seats: Seats) => void): () => void {
  const socket: Socket = io('/public', TRANSPORTS);
  socket.on('connect', () => {
    for (const sessionId of sessionIds) {
      socket.emit('watch', { sessionId }, (ack: { seats?: Omit<Seats, 'sessionId'> }) => ack?.seats && apply({ ...ack.seats, sessionId }));
    }
  });
  socket.on('session.seats', apply);
  return () => {
    socket.disconnect();
  };
}

/**
 * Live counts of sessions shown in a list (the landing page's activities), the newest per session by
 * `asOf`; the page compares them with its own read (`newerSeats`), so a late push never undoes a newer read.
 */
export function useLiveSessionSeats(sessionIds: string[]): ReadonlyMap<string, SeatCounts> {
  const [seats, setSeats] = useState<ReadonlyMap<string, SeatCounts>>(() => new Map());
  const key = sessionIds.join(',');
  useEffect(() => {
    if (!key) return;
    const seen: SeenSeats = new Map();
    return watchSessions(key.split(','), ({ sessionId, ...counts }) => {
      if (takeIfNewer(seen, sessionId, counts.asOf)) setSeats((old) => new Map(old).set(sessionId, { id: sessionId, ...counts }));
    });
  }, [key]);
  return seats;
}

/** Reloads a venue's availability whenever one of its spans is booked, freed, decided or blocked. */
export function useLiveVenue(venueId: string): void {
  useLiveVenues([venueId], ['availability', venueId]);
}

/** Reloads `queryKey` whenever a span of one of these venues is booked, freed, decided or blocked. */
export function useLiveVenues(venueIds: string[], queryKey: QueryKey): void {
  const queryClient = useQueryClient();
  const key = venueIds.join(',');
  const query = JSON.stringify(queryKey);
  useEffect(() => {
    if (!key) return;
    const socket = io('/public', TRANSPORTS);
    const reload = () => queryClient.invalidateQueries({ queryKey: JSON.parse(query) as QueryKey });
    // Once every venue is watched, read again: what changed before then came with no push.
    socket.on('connect', () => {
      const ids = key.split(',');
      let waiting = ids.length;
      for (const venueId of ids) socket.emit('watch', { venueId }, () => --waiting === 0 && reload());
    });
    socket.on('venue.availability', reload);
    return () => {
      socket.disconnect();
    };
  }, [key, query, queryClient]);
}

/**
 * The signed-in person's own events on the private namespace: new notices refresh the inbox (and its
 * count); for staff, copies sent their way and holds filled for their shelf refresh those lists.
 */
export function useLiveInbox(signedIn: boolean): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!signedIn) return;
    const socket = io('/live', { ...TRANSPORTS, auth: (cb) => void freshAccessToken().then((token) => cb({ token })) });
    const refresh = (key: string) => () => queryClient.invalidateQueries({ queryKey: [key] });
    socket.on('connect', refresh('notifications'));
    socket.on('notification', refresh('notifications'));
    socket.on('transit.sent', refresh('transits'));
    socket.on('hold.trapped', refresh('hold-shelf'));
    return () => {
      socket.disconnect();
    };
  }, [signedIn, queryClient]);
}
