import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { io, type Socket } from 'socket.io-client';
import { freshAccessToken } from './api/client';
import type { Activity, Session } from './api/views';
import { takeIfNewer, type SeenSeats } from './seat-order';

// Live updates from the API (socket.io on the same origin, path /socket.io). Delivery is at most once,
// so every (re)connection reads the state again: the watch answer carries the seats now.

// `asOf` orders counts pushed by different API instances: an older read arriving late is ignored.
type Seats = Pick<Session, 'seatsLeft' | 'waitlisted' | 'confirmed' | 'capacity'> & { sessionId: string; asOf?: number };

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
    const socket: Socket = io('/public');
    socket.on('connect', () => {
      for (const sessionId of key.split(',')) {
        socket.emit('watch', { sessionId }, (ack: { seats?: Omit<Seats, 'sessionId'> }) => ack?.seats && apply({ ...ack.seats, sessionId }));
      }
    });
    socket.on('session.seats', apply);
    return () => {
      socket.disconnect();
    };
  }, [activityId, key, queryClient]);
}

/** Reloads a venue's availability whenever one of its spans is booked, freed, decided or blocked. */
export function useLiveVenue(venueId: string): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const socket = io('/public');
    const reload = () => queryClient.invalidateQueries({ queryKey: ['availability', venueId] });
    socket.on('connect', () => socket.emit('watch', { venueId }, reload));
    socket.on('venue.availability', reload);
    return () => {
      socket.disconnect();
    };
  }, [venueId, queryClient]);
}

/**
 * The signed-in person's own events on the private namespace: new notices refresh the inbox (and its
 * count); for staff, copies sent their way and holds filled for their shelf refresh those lists.
 */
export function useLiveInbox(signedIn: boolean): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!signedIn) return;
    const socket = io('/live', { auth: (cb) => void freshAccessToken().then((token) => cb({ token })) });
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
