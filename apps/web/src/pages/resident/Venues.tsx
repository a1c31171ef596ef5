import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { call, client } from '../../api/client';
import type { Availability, Venue } from '../../api/schema';
import { Alert, Empty, Field, Loading, Options, PageTitle } from '../../components/ui';
import { useBranches, useBranchName } from '../../hooks';
import { extendSelection, slotStarts, slotState, toClock, zonedIso } from '../../lib/venue-grid';
import { useLiveVenue } from '../../live';
import { useSession } from '../../session';

export function VenuesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const branchId = params.get('branchId') ?? '';
  const branches = useBranches();
  const branchName = useBranchName();
  const venues = useQuery({
    queryKey: ['venues', branchId],
    queryFn: () => call<Venue[] | { items: Venue[] }>(client.GET('/api/venues', { params: { query: branchId ? { branchId } : {} } })),
  });
  const list = Array.isArray(venues.data) ? venues.data : (venues.data?.items ?? []);
  return (
    <section>
      <PageTitle>{t('venues.title')}</PageTitle>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <Field label={t('app.branch')}>
          {(id) => (
            <select id={id} value={branchId} onChange={(e) => setParams(e.target.value ? { branchId: e.target.value } : {}, { replace: true })}>
              <Options items={branches.data?.items} label={(b) => b.name} blank={t('app.all')} />
            </select>
          )}
        </Field>
      </form>
      <Alert error={venues.error} />
      {venues.isPending ? (
        <Loading />
      ) : list.length ? (
        <ul className="cards">
          {list.map((v) => (
            <li key={v.id} className="card">
              <h2>
                <Link to={`/venues/${v.id}`}>{v.name}</Link>
              </h2>
              <p className="muted">
                {t(`venues.kinds.${v.kind}`, { defaultValue: v.kind })} · {branchName(v.branchId)}
                {v.capacity ? ` · ${t('venues.capacity', { n: v.capacity })}` : ''}
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <Empty />
      )}
    </section>
  );
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (date: string, n: number) => isoDate(new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000));

export function VenuePage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { role } = useSession();
  const queryClient = useQueryClient();
  const [from, setFrom] = useState(() => isoDate(new Date(Date.now() + 8 * 3_600_000)));
  const [selection, setSelection] = useState<{ date: string; from: number; to: number } | null>(null);
  const [purpose, setPurpose] = useState('');
  const [attendees, setAttendees] = useState('1');
  useLiveVenue(id);
  const venue = useQuery({ queryKey: ['venue', id], queryFn: () => call<Venue>(client.GET('/api/venues/{id}', { params: { path: { id } } })) });
  const availability = useQuery({
    queryKey: ['availability', id, from],
    queryFn: () => call<Availability>(client.GET('/api/venues/{id}/availability', { params: { path: { id }, query: { from, to: addDays(from, 6) } } })),
  });
  const book = useMutation({
    mutationFn: () => {
      const zone = availability.data!.timeZone;
      return call<{ id: string; status: string }>(
        client.POST('/api/venues/{id}/bookings', {
          params: { path: { id }, header: { 'Idempotency-Key': crypto.randomUUID() } },
          body: {
            startsAt: zonedIso(selection!.date, toClock(selection!.from), zone),
            endsAt: zonedIso(selection!.date, toClock(selection!.to), zone),
            purpose: purpose || undefined,
            attendees: Number(attendees) || 1,
          },
        }),
      );
    },
    onSuccess: () => {
      setSelection(null);
      void queryClient.invalidateQueries({ queryKey: ['availability', id] });
      void queryClient.invalidateQueries({ queryKey: ['my-bookings'] });
    },
  });
  const days = availability.data?.days ?? [];
  const slot = availability.data?.slotMinutes ?? 30;
  const starts = useMemo(() => slotStarts(days, slot), [days, slot]);
  const weekday = new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'zh-CN', { weekday: 'short', month: 'numeric', day: 'numeric', timeZone: 'UTC' });
  const canBook = role === 'resident' || role === 'organizer' || role === 'operator';
  return (
    <section>
      <PageTitle>{venue.data?.name ?? t('venues.title')}</PageTitle>
      {venue.data && (
        <p className="muted">
          {t(`venues.kinds.${venue.data.kind}`, { defaultValue: venue.data.kind })}
          {venue.data.capacity ? ` · ${t('venues.capacity', { n: venue.data.capacity })}` : ''}
        </p>
      )}
      <div className="inline">
        <button type="button" onClick={() => setFrom(addDays(from, -7))}>
          {t('venues.prev')}
        </button>
        <button type="button" onClick={() => setFrom(addDays(from, 7))}>
          {t('venues.next')}
        </button>
      </div>
      <Alert error={availability.error} />
      <p className="legend" aria-hidden="true">
        <span className="slot free">{t('venues.free')}</span> <span className="slot taken">{t('venues.taken')}</span> <span className="slot closed">{t('venues.closed')}</span>
      </p>
      {availability.isPending ? (
        <Loading />
      ) : (
        <div className="grid-scroll">
          <table className="slots">
            <caption>{t('venues.grid')}</caption>
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">{t('app.date')}</span>
                </th>
                {days.map((d) => (
                  <th key={d.date} scope="col">
                    {weekday.format(new Date(`${d.date}T00:00:00Z`))}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {starts.map((m) => (
                <tr key={m}>
                  <th scope="row">{toClock(m)}</th>
                  {days.map((d) => {
                    const state = slotState(d, m, slot);
                    const chosen = selection?.date === d.date && m >= selection.from && m < selection.to;
                    const label = `${d.date} ${toClock(m)}–${toClock(m + slot)} ${t(`venues.${state}`)}`;
                    return (
                      <td key={d.date} className={`slot ${state}${chosen ? ' chosen' : ''}`}>
                        {state === 'free' && canBook ? (
                          <button type="button" aria-pressed={chosen} aria-label={label} onClick={() => setSelection(extendSelection(d, selection, m, slot))} />
                        ) : (
                          <span className="visually-hidden">{label}</span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canBook ? (
        <form
          className="booking"
          onSubmit={(e) => {
            e.preventDefault();
            book.mutate();
          }}
        >
          <p role="status">{selection ? t('venues.selected', { from: `${selection.date} ${toClock(selection.from)}`, to: toClock(selection.to) }) : t('venues.pickStart')}</p>
          <Field label={t('venues.purpose')}>{(fid) => <input id={fid} value={purpose} onChange={(e) => setPurpose(e.target.value)} />}</Field>
          <Field label={t('venues.attendees')}>{(fid) => <input id={fid} type="number" min={1} value={attendees} onChange={(e) => setAttendees(e.target.value)} />}</Field>
          <button type="submit" className="primary" disabled={!selection || book.isPending}>
            {t('venues.book')}
          </button>
          <Alert error={book.error} success={book.data && `${t('venues.booked')}${t('app.paren', { text: t(`mine.status.${book.data.status}`, { defaultValue: book.data.status }) })}`} />
        </form>
      ) : (
        role === null && <Link to="/login">{t('app.login')}</Link>
      )}
    </section>
  );
}
