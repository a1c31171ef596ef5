import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import { Alert, Field, PageTitle } from '../../components/ui';
import { formatDateTime } from '../../i18n';
import { enqueue, QUEUEABLE_BARCODE } from '../../offline/queue';
import { OfflineBanner, useOfflineQueue } from '../../offline/useOffline';
import { cardField, DeskBranchPicker, useDeskBranch } from './desk';
import { DeskStopPicker, useDeskStop } from '../../mobile-stops';

interface CardHolder {
  card: { number: string; status: string };
  patron: { name: string; category: string };
}

interface Done {
  barcode: string;
  /** Absent while queued offline: the server sets the due date when the queue is uploaded. */
  dueAt?: string;
  queuedId?: string;
}

/** Offline, a checkout waits in the queue: it needs the card's number (a QR code expires before the upload) and a barcode the API takes. */
class OfflineRefusal extends Error {}

export function CheckoutPage() {
  const { t } = useTranslation();
  const [branchId, setBranchId, choices] = useDeskBranch();
  const [stopId, setStopId, stops] = useDeskStop(branchId);
  const [card, setCard] = useState('');
  const [barcode, setBarcode] = useState('');
  const [done, setDone] = useState<Done[]>([]);
  const barcodeInput = useRef<HTMLInputElement>(null);
  const offline = useOfflineQueue();
  // The reader first: a card number is looked up, a card QR verified (it lives a minute, the number it names does not).
  const identify = useMutation({
    mutationFn: (scanned: string) => {
      const by = cardField(scanned);
      return 'cardToken' in by
        ? call<CardHolder>(client.POST('/api/cards/verify-qr', { body: { token: by.cardToken } }))
        : call<CardHolder>(client.GET('/api/cards/{number}', { params: { path: { number: by.cardNumber } } }));
    },
    onSuccess: (holder) => {
      setCard(holder.card.number);
      barcodeInput.current?.focus();
    },
  });
  const holder = identify.data;
  const queueCheckout = async (code: string): Promise<Done> => {
    const by = cardField(card.trim());
    if (!('cardNumber' in by) || !/^\d{12}$/.test(by.cardNumber)) throw new OfflineRefusal(t('offline.needCardNumber'));
    if (!QUEUEABLE_BARCODE.test(code)) throw new OfflineRefusal(t('desk.cartInvalid', { barcode: code }));
    const q = await enqueue({ type: 'checkout', cardNumber: by.cardNumber, barcode: code, branchId, ...(stopId ? { stopId } : {}) });
    return { barcode: code, queuedId: q.clientId };
  };
  const checkout = useMutation({
    // React Query pauses mutations while the browser is offline; this one queues offline by itself.
    networkMode: 'always',
    mutationFn: async (code: string): Promise<Done> => {
      if (!navigator.onLine) return queueCheckout(code);
      try {
        const r = await call<{ loanId: string; dueAt: string }>(
          client.POST('/api/circulation/checkout', {
            params: { header: { 'Idempotency-Key': crypto.randomUUID() } },
            body: { ...cardField(card.trim()), barcode: code, branchId, ...(stopId ? { stopId } : {}) },
          }),
        );
        return { barcode: code, dueAt: r.dueAt };
      } catch (e) {
        // No answer at all (the network went before the browser noticed): queue it rather than lose it.
        if (e instanceof TypeError) return queueCheckout(code);
        throw e;
      }
    },
    onSuccess: (r) => {
      setDone((d) => [r, ...d]);
      setBarcode('');
      barcodeInput.current?.focus();
    },
  });
  return (
    <section>
      <PageTitle>{t('nav.checkout')}</PageTitle>
      <DeskBranchPicker value={branchId} onChange={setBranchId} choices={choices} />
      <OfflineBanner state={offline} />
      <DeskStopPicker value={stopId} onChange={setStopId} choices={stops} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (barcode.trim()) checkout.mutate(barcode.trim());
        }}
      >
        <Field label={t('desk.card')} hint={t('desk.cardHint')}>
          {(id, hint) => (
            <input
              id={id}
              name="card"
              aria-describedby={hint}
              autoFocus
              autoComplete="off"
              value={card}
              onChange={(e) => {
                setCard(e.target.value);
                setDone([]);
                identify.reset();
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  // Offline the card cannot be looked up: the number is taken as scanned, and checked on upload.
                  if (!offline.online) barcodeInput.current?.focus();
                  else if (card.trim()) identify.mutate(card.trim());
                }
              }}
            />
          )}
        </Field>
        <Alert error={identify.error} />
        {holder && (
          <p className="callout" role="status" data-testid="card-holder">
            {t('desk.patron')}
            {t('app.colon')}
            <strong>{holder.patron.name}</strong> · <span className="mono">{holder.card.number}</span> · {t(`card.${holder.card.status}`, { defaultValue: holder.card.status })}
          </p>
        )}
        <Field label={t('desk.barcode')}>
          {(id) => <input id={id} name="barcode" ref={barcodeInput} autoComplete="off" value={barcode} onChange={(e) => setBarcode(e.target.value)} />}
        </Field>
        <button type="submit" className="primary" disabled={!card || !barcode || checkout.isPending}>
          {t('desk.checkout')}
        </button>
      </form>
      <Alert error={checkout.error} />
      {done.length > 0 && (
        <ol className="receipt" aria-live="polite" data-testid="checkout-results">
          {done.map((d) => (
            <li key={d.barcode + (d.dueAt ?? d.queuedId)} data-queued={d.queuedId ? 'true' : undefined}>
              <span className="mono">{d.barcode}</span> — {d.dueAt ? t('desk.checkedOut', { date: formatDateTime(d.dueAt, false) }) : t('offline.queuedCheckout')}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
