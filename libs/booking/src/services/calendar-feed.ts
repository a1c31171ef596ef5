import ical, { ICalCalendarMethod } from 'ical-generator';

export interface FeedEvent {
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  location?: string | null;
  description?: string | null;
  tentative?: boolean;
}

/**
 * An RFC 5545 calendar (iCalendar) of the events. Times are written in UTC, which every client reads
 * the same way, and X-WR-TIMEZONE names the district's zone for display.
 */
export function renderCalendar(name: string, events: FeedEvent[], timeZone: string): string {
  const calendar = ical({ name, prodId: { company: 'culture-platform', product: 'bookings', language: 'ZH' }, method: ICalCalendarMethod.PUBLISH });
  calendar.x([{ key: 'X-WR-TIMEZONE', value: timeZone }]);
  for (const e of events) {
    calendar.createEvent({
      id: e.uid,
      start: e.start,
      end: e.end,
      summary: e.summary,
      location: e.location ?? undefined,
      description: e.description ?? undefined,
      status: e.tentative ? ('TENTATIVE' as never) : ('CONFIRMED' as never),
    });
  }
  return calendar.toString();
}
