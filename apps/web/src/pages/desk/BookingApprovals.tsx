import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { VenueBooking } from '../../api/schema';
import { Alert, Empty, Field, Loading, PageTitle } from '../../components/ui';
import { formatDateTime } from '../../i18n';
import { DeskBranchPicker, useDeskBranch } from './desk';

type Row = VenueBooking & { venue: { name: string } };

/** Venue bookings at the desk's branch waiting for approval: approve, or reject with a reason the booker sees. */
export function BookingApprovalsPage() {
  const { t } = useTranslation();
  const [branchId, setBranchId, choices] = useDeskBranch();
  const pending = useQuery({
    queryKey: ['branch-bookings', branchId],
    enabled: !!branchId,
    queryFn: () => call<Row[]>(client.GET('/api/bookings', { params: { query: { branchId, status: 'pending' } } })),
  });
  return (
    <section>
      <PageTitle>{t('desk.bookingsTitle')}</PageTitle>
      <DeskBranchPicker value={branchId} onChange={setBranchId} choices={choices} />
      <Alert error={pending.error} />
      {pending.isPending ? (
        <Loading />
      ) : pending.data?.length ? (
        <ul className="cards" data-testid="pending-bookings">
          {pending.data.map((b) => (
            <BookingDecision key={b.id} booking={b} />
          ))}
        </ul>
      ) : (
        <Empty />
      )}
    </section>
  );
}

function BookingDecision({ booking: b }: { booking: Row }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const decide = useMutation({
    mutationFn: (approve: boolean) =>
      approve
        ? call<VenueBooking>(client.POST('/api/bookings/{id}/approve', { params: { path: { id: b.id } } }))
        : call<VenueBooking>(client.POST('/api/bookings/{id}/reject', { params: { path: { id: b.id } }, body: { reason: reason || undefined } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['branch-bookings'] }),
  });
  const label = `${b.venue.name} ${formatDateTime(b.startsAt)}`;
  return (
    <li className="card">
      <h2>{b.venue.name}</h2>
      <p>
        <strong>{formatDateTime(b.startsAt)}</strong> – {formatDateTime(b.endsAt).split(' ').pop()}
      </p>
      <p className="muted">
        {b.purpose ?? '—'} · {t('venues.attendees')} {b.attendees ?? 1}
      </p>
      <Field label={t('desk.reasonLabel')}>{(id) => <input id={id} value={reason} onChange={(e) => setReason(e.target.value)} />}</Field>
      <p className="actions">
        <button type="button" className="primary" disabled={decide.isPending} onClick={() => decide.mutate(true)} aria-label={`${t('desk.approve')} ${label}`}>
          {t('desk.approve')}
        </button>
        <button type="button" disabled={decide.isPending} onClick={() => decide.mutate(false)} aria-label={`${t('desk.reject')} ${label}`}>
          {t('desk.reject')}
        </button>
      </p>
      <Alert error={decide.error} />
    </li>
  );
}
