import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { QRCodeSVG } from 'qrcode.react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { call, client } from '../../api/client';
import type { Page } from '../../api/client';
import type { AttendedService, Registration, VenueBooking } from '../../api/schema';
import { Alert, Empty, Field, Loading, PageTitle } from '../../components/ui';
import { formatDateTime } from '../../i18n';
import { useSession } from '../../session';

const LIVE = ['confirmed', 'waitlisted', 'pending'];

export function MinePage() {
  const { t } = useTranslation();
  const { role } = useSession();
  const resident = role === 'resident';
  const registrations = useQuery({
    queryKey: ['my-registrations'],
    enabled: resident,
    queryFn: () => call<Registration[]>(client.GET('/api/me/registrations')),
  });
  const bookings = useQuery({ queryKey: ['my-bookings'], queryFn: () => call<VenueBooking[]>(client.GET('/api/me/bookings')) });
  const feed = useQuery({ queryKey: ['calendar-url'], enabled: resident, queryFn: () => call<{ url: string }>(client.GET('/api/me/calendar-url')) });
  const attended = useQuery({ queryKey: ['my-services'], enabled: resident, queryFn: () => call<Page<AttendedService>>(client.GET('/api/me/services')).then((page) => page.items) });
  return (
    <section>
      <PageTitle>{t('mine.title')}</PageTitle>
      {feed.data && (
        <p className="callout">
          <a href={feed.data.url.replace(/^https?:/, 'webcal:')}>{t('mine.calendar')}</a>
          <br />
          <small>{t('mine.calendarHelp')}</small>
          <br />
          <input aria-label={t('mine.calendar')} readOnly value={feed.data.url} onFocus={(e) => e.target.select()} className="mono" />
        </p>
      )}
      {resident && (
        <>
          <h2>{t('mine.registrations')}</h2>
          <Alert error={registrations.error} />
          {registrations.isPending ? (
            <Loading />
          ) : registrations.data?.length ? (
            <ul className="cards" data-testid="my-registrations">
              {registrations.data.map((r) => (
                <RegistrationRow key={r.id} registration={r} />
              ))}
            </ul>
          ) : (
            <Empty />
          )}
        </>
      )}
      {resident && !!attended.data?.length && (
        <>
          <h2>{t('mine.attended')}</h2>
          <p className="muted small">{t('mine.attendedHelp')}</p>
          <ul className="cards" data-testid="my-services">
            {attended.data.map((a) => (
              <AttendedRow key={a.orderId} service={a} />
            ))}
          </ul>
        </>
      )}
      <h2>{t('mine.bookings')}</h2>
      <Alert error={bookings.error} />
      {bookings.isPending ? (
        <Loading />
      ) : bookings.data?.length ? (
        <ul className="cards">
          {bookings.data.map((b) => (
            <BookingRow key={b.id} booking={b} />
          ))}
        </ul>
      ) : (
        <Empty />
      )}
    </section>
  );
}

function RegistrationRow({ registration: r }: { registration: Registration }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [showQr, setShowQr] = useState(false);
  const cancel = useMutation({
    mutationFn: () => call(client.POST('/api/registrations/{id}/cancel', { params: { path: { id: r.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['my-registrations'] }),
  });
  const qr = useQuery({
    queryKey: ['registration-qr', r.id],
    enabled: showQr,
    queryFn: () => call<{ token: string }>(client.GET('/api/registrations/{id}/qr', { params: { path: { id: r.id } } })),
  });
  return (
    <li className="card">
      <h3>
        <Link to={`/activities/${r.activityId}`}>{r.title}</Link>
      </h3>
      <p>
        {formatDateTime(r.startsAt)} <span className="badge">{t(`mine.status.${r.status}`, { defaultValue: r.status })}</span>
        {r.status === 'waitlisted' && r.position ? ` ${t('activities.waitlisted', { n: r.position })}` : ''}
      </p>
      <p className="actions">
        <a href={`/api/activities/${r.activityId}/calendar.ics`} download aria-label={`${t('mine.addToCalendar')} ${r.title}`}>
          {t('mine.addToCalendar')}
        </a>
        {r.status === 'confirmed' && (
          <button type="button" aria-expanded={showQr} onClick={() => setShowQr(!showQr)}>
            {t('mine.qr')}
          </button>
        )}
        {LIVE.includes(r.status) && (
          <button type="button" onClick={() => cancel.mutate()} disabled={cancel.isPending} aria-label={`${t('mine.cancel')} ${r.title}`}>
            {t('mine.cancel')}
          </button>
        )}
      </p>
      {showQr && qr.data && <QRCodeSVG value={qr.data.token} size={200} marginSize={2} role="img" aria-label={t('mine.qr')} />}
      <Alert error={cancel.error ?? qr.error} />
    </li>
  );
}

function BookingRow({ booking: b }: { booking: VenueBooking }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => call(client.POST('/api/bookings/{id}/cancel', { params: { path: { id: b.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['my-bookings'] }),
  });
  return (
    <li className="card">
      <h3>
        <Link to={`/venues/${b.venueId}`}>{b.purpose || t('mine.bookings')}</Link>
      </h3>
      <p>
        {formatDateTime(b.startsAt)}–{formatDateTime(b.endsAt).split(' ').pop()} <span className="badge">{t(`mine.status.${b.status}`, { defaultValue: b.status })}</span>
      </p>
      <p className="muted small mono">{b.id.slice(0, 8)}</p>
      {['pending', 'confirmed'].includes(b.status) && (
        <button type="button" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
          {t('mine.cancel')}
        </button>
      )}
      <Alert error={cancel.error} />
    </li>
  );
}

function AttendedRow({ service: a }: { service: AttendedService }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [score, setScore] = useState('5');
  const [comment, setComment] = useState('');
  const rate = useMutation({
    mutationFn: () =>
      call(client.POST('/api/service-orders/{id}/ratings', { params: { path: { id: a.orderId } }, body: { score: Number(score), comment: comment || undefined } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['my-services'] }),
  });
  return (
    <li className="card">
      <h3>{a.title}</h3>
      <p>
        {a.startsAt ? `${formatDateTime(a.startsAt)} · ` : ''}{a.provider}
      </p>
      {a.myScore !== null ? (
        <p>
          <span className="badge">{t('mine.myScore', { n: a.myScore })}</span>
        </p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            rate.mutate();
          }}
        >
          <Field label={t('services.score')}>
            {(id) => (
              <select id={id} value={score} onChange={(e) => setScore(e.target.value)}>
                {[5, 4, 3, 2, 1].map((n) => (
                  <option key={n} value={n}>
                    {'★'.repeat(n)} {n}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('services.comment')}>{(id) => <input id={id} value={comment} maxLength={2000} onChange={(e) => setComment(e.target.value)} />}</Field>
          <button type="submit" className="primary" disabled={rate.isPending}>
            {t('services.evaluate')}
          </button>
        </form>
      )}
      <Alert error={rate.error} />
    </li>
  );
}
