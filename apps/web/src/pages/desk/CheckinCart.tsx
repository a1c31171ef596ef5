import { useMutation } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { CheckinListItem } from '../../api/schema';
import { Alert, Field } from '../../components/ui';
import { useRoutingHeadline } from './desk';
import { CheckinSlips } from './CheckinSlip';

/** As the API checks them: 3–32 letters, digits or "-"; and at most 100 copies a request. */
const BARCODE = /^[A-Za-z0-9-]{3,32}$/;
const MAX_CART = 100;

/**
 * A cart of returns: each scan (the scanner types the barcode and presses Enter) joins the list, and one
 * button checks them all in. The answer comes back copy by copy, in the order scanned: where each goes,
 * or why it was not checked in. Enter never sends the cart, so a scanner cannot send it half-full.
 */
export function CheckinCart({ branchId, stopId = '' }: { branchId: string; stopId?: string }) {
  const { t, i18n } = useTranslation();
  const routingHeadline = useRoutingHeadline();
  const queueHeading = useId();
  const resultsHeading = useId();
  const [scan, setScan] = useState('');
  const [cart, setCart] = useState<string[]>([]);
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null);
  const input = useRef<HTMLInputElement>(null);
  // One Idempotency-Key per cart as sent: sending the same cart again (its answer was lost) replays the
  // first answer instead of checking every copy in a second time; any change to the cart takes a new key.
  const key = useRef<string | null>(null);
  const changeCart = (next: (current: string[]) => string[]) => {
    key.current = null;
    setCart(next);
  };
  useEffect(() => {
    key.current = null;
  }, [branchId, stopId]);

  const checkin = useMutation({
    mutationFn: (barcodes: string[]) =>
      call<{ items: CheckinListItem[] }>(
        client.POST('/api/circulation/checkin', {
          params: { header: { 'Idempotency-Key': (key.current ??= crypto.randomUUID()) } },
          body: { barcodes, branchId, ...(stopId ? { stopId } : {}) },
        }),
      ),
    // What was scanned while the cart was on its way stays for the next one.
    onSuccess: (_answer, sent) => {
      changeCart((current) => current.filter((b) => !sent.includes(b)));
      setNote(null);
      input.current?.focus();
    },
  });

  const add = () => {
    const code = scan.trim();
    setScan('');
    if (!code) return;
    if (!BARCODE.test(code)) setNote({ text: t('desk.cartInvalid', { barcode: code }), error: true });
    else if (cart.includes(code)) setNote({ text: t('desk.cartDuplicate', { barcode: code }), error: false });
    else if (cart.length >= MAX_CART) setNote({ text: t('desk.cartFull', { max: MAX_CART }), error: true });
    else {
      changeCart((current) => [...current, code]);
      setNote(null);
    }
  };

  const items = checkin.data?.items;
  const done = items?.filter((x) => x.ok).length ?? 0;
  return (
    <>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <Field label={t('desk.barcode')} hint={t('desk.cartHint', { max: MAX_CART })}>
          {(id, hint) => (
            <input id={id} name="barcode" ref={input} aria-describedby={hint} autoFocus autoComplete="off" value={scan} onChange={(e) => setScan(e.target.value)} />
          )}
        </Field>
        <button type="submit" disabled={!scan.trim()}>
          {t('desk.addToCart')}
        </button>
      </form>
      {note &&
        (note.error ? (
          <p role="alert" className="alert error">
            {note.text}
          </p>
        ) : (
          <p role="status" className="callout">
            {note.text}
          </p>
        ))}

      <h2 id={queueHeading}>{t('desk.cartQueue', { n: cart.length })}</h2>
      {cart.length === 0 ? (
        <p className="muted">{t('desk.cartEmpty')}</p>
      ) : (
        <ol className="cart" aria-labelledby={queueHeading} data-testid="cart-queue">
          {cart.map((b) => (
            <li key={b}>
              <span className="mono">{b}</span>
              <button type="button" className="link" aria-label={t('desk.removeBarcode', { barcode: b })} disabled={checkin.isPending} onClick={() => changeCart((current) => current.filter((x) => x !== b))}>
                {t('desk.remove')}
              </button>
            </li>
          ))}
        </ol>
      )}
      <div className="actions">
        <button type="button" className="primary" disabled={cart.length === 0 || !branchId || checkin.isPending} onClick={() => checkin.mutate(cart)}>
          {t('desk.checkinAll', { n: cart.length })}
        </button>
        <button type="button" disabled={cart.length === 0 || checkin.isPending} onClick={() => changeCart(() => [])}>
          {t('desk.clearCart')}
        </button>
      </div>
      <Alert error={checkin.error} />

      {items && (
        <section aria-labelledby={resultsHeading} data-testid="cart-results">
          <h2 id={resultsHeading}>{t('desk.cartResults')}</h2>
          <p role="status" data-testid="cart-summary">
            {t('desk.cartSummary', { n: items.length, ok: done, failed: items.length - done })}
          </p>
          <ol className="cart-results">
            {items.map((item, i) =>
              item.ok ? (
                <li key={i} className={`routing ${item.action}`} data-testid="cart-result" data-barcode={item.barcode} data-action={item.action}>
                  <p className="routing-headline">{routingHeadline(item)}</p>
                  <p className="mono" data-testid="cart-result-barcode">
                    {i + 1}. {item.barcode}
                  </p>
                  {item.holdFor && (
                    <p data-testid="hold-for">
                      {t('desk.holdReader', { name: item.holdFor.patronName })}
                      {item.holdFor.cardLast4 && t('desk.cardTail', { digits: item.holdFor.cardLast4 })}
                    </p>
                  )}
                  <p>{i18n.language === 'en' ? item.message.en : item.message.zh}</p>
                  <CheckinSlips result={item} branchId={branchId} />
                </li>
              ) : (
                <li key={i} className="routing failed" data-testid="cart-result" data-barcode={item.barcode} data-code={item.error.code}>
                  <p className="routing-headline">{item.error.code === 'CHECKIN_REPEATED' ? t('desk.cartRepeated') : t('desk.notCheckedIn')}</p>
                  <p className="mono" data-testid="cart-result-barcode">
                    {i + 1}. {item.barcode}
                  </p>
                  <p>{item.error.message}</p>
                </li>
              ),
            )}
          </ol>
        </section>
      )}
    </>
  );
}
