import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { VenueBooking } from '../../api/views';
import { Alert, Field, PageTitle } from '../../components/ui';
import { formatDateTime } from '../../i18n';

// The API has no staff list of bookings waiting for approval yet; the desk decides by booking number
// (residents see it under 我的预约). See the README's "not done yet".
export function BookingApprovalsPage() {
  const { t } = useTranslation();
  const [id, setId] = useState('');
  const [reason, setReason] = useState('');
  const decide = useMutation({
    mutationFn: (approve: boolean) =>
      approve
        ? call<VenueBooking>(client.POST('/api/bookings/{id}/approve', { params: { path: { id: id.trim() } } }))
        : call<VenueBooking>(client.POST('/api/bookings/{id}/reject', { params: { path: { id: id.trim() } }, body: { reason: reason || undefined } })),
  });
  return (
    <section>
      <PageTitle>{t('desk.bookingsTitle')}</PageTitle>
      <form onSubmit={(e) => e.preventDefault()}>
        <Field label={t('desk.bookingId')}>{(fid) => <input id={fid} className="mono" value={id} onChange={(e) => setId(e.target.value)} />}</Field>
        <Field label={t('desk.reasonLabel')}>{(fid) => <input id={fid} value={reason} onChange={(e) => setReason(e.target.value)} />}</Field>
        <p className="actions">
          <button type="button" className="primary" disabled={!id || decide.isPending} onClick={() => decide.mutate(true)}>
            {t('desk.approve')}
          </button>
          <button type="button" disabled={!id || decide.isPending} onClick={() => decide.mutate(false)}>
            {t('desk.reject')}
          </button>
        </p>
      </form>
      <Alert
        error={decide.error}
        success={decide.data && `${t(`mine.status.${decide.data.status}`, { defaultValue: decide.data.status })} · ${formatDateTime(decide.data.startsAt)}`}
      />
    </section>
  );
}
