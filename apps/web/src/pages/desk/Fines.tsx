import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { call, client } from '../../api/client';
import type { Fine, FinesAccount, Receipt } from '../../api/schema';
import { Alert, Empty, Field, Loading, PageTitle } from '../../components/ui';
import { money, ReceiptList, ReceiptView } from '../../components/Receipt';
import { formatDateTime } from '../../i18n';
import { cardField, DeskBranchPicker, useDeskBranch } from './desk';

/** A card number from what was scanned: a number as it is, a card QR code verified into the number it names. */
async function cardNumberOf(scanned: string): Promise<string> {
  const by = cardField(scanned);
  if ('cardNumber' in by) return by.cardNumber;
  const holder = await call<{ card: { number: string } }>(client.POST('/api/cards/verify-qr', { body: { token: by.cardToken } }));
  return holder.card.number;
}

/** The desk's fines: scan a card, see what is owed, take cash (part or all), waive with a reason, print the receipt. */
export function FinesPage() {
  const { t } = useTranslation();
  const [branchId, setBranchId, choices] = useDeskBranch();
  const [scanned, setScanned] = useState('');
  const [cardNumber, setCardNumber] = useState<string | null>(null);
  const [amount, setAmount] = useState('');
  const queryClient = useQueryClient();

  const identify = useMutation({
    mutationFn: cardNumberOf,
    onSuccess: (number) => setCardNumber(number),
  });
  const account = useQuery({
    queryKey: ['desk-fines', cardNumber],
    enabled: !!cardNumber,
    queryFn: async () => {
      const a = await call<FinesAccount>(client.GET('/api/circulation/fines', { params: { query: { cardNumber: cardNumber! } } }));
      setAmount(money(a.owed));
      return a;
    },
  });
  const pay = useMutation({
    mutationFn: () =>
      call<Receipt>(
        client.POST('/api/circulation/fines/payments', {
          params: { header: { 'Idempotency-Key': crypto.randomUUID() } },
          body: { cardNumber: cardNumber!, amount: Number(amount), branchId },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['desk-fines', cardNumber] }),
  });
  const a = account.data;
  const open = a?.fines.filter((f) => f.owing > 0) ?? [];
  return (
    <section>
      <PageTitle>{t('fines.title')}</PageTitle>
      <DeskBranchPicker value={branchId} onChange={setBranchId} choices={choices} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          pay.reset();
          if (scanned.trim()) identify.mutate(scanned.trim());
        }}
      >
        <Field label={t('desk.card')} hint={t('desk.cardHint')}>
          {(id, hint) => (
            <input id={id} name="card" aria-describedby={hint} autoFocus autoComplete="off" value={scanned} onChange={(e) => setScanned(e.target.value)} />
          )}
        </Field>
        <button type="submit" disabled={!scanned.trim() || identify.isPending}>
          {t('fines.find')}
        </button>
      </form>
      <Alert error={identify.error ?? account.error} />
      {account.isFetching && !a && <Loading />}
      {a && (
        <>
          <p className="callout" role="status" data-testid="fines-holder">
            {t('fines.patron')}
            {t('app.colon')}
            <strong>{a.patronName}</strong> · <span className="mono">{a.cardNumber}</span> · {t('fines.owed')}
            {t('app.colon')}
            <strong data-testid="fines-owed">{t('fines.yuan', { amount: money(a.owed) })}</strong>
          </p>
          <h2>{t('fines.list')}</h2>
          {open.length ? <FinesTable fines={open} cardNumber={cardNumber!} branchId={branchId} /> : <p>{t('fines.noneOwed')}</p>}
          {a.owed > 0 && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                pay.mutate();
              }}
            >
              <h2>{t('fines.pay')}</h2>
              <Field label={t('fines.payAmount')} hint={t('fines.payHint')}>
                {(id, hint) => (
                  <input id={id} name="amount" type="number" min="0.01" step="0.01" max={a.owed} aria-describedby={hint} className="num" value={amount} onChange={(e) => setAmount(e.target.value)} />
                )}
              </Field>
              <button type="submit" className="primary" disabled={!(Number(amount) > 0) || pay.isPending}>
                {t('fines.payButton')}
              </button>
            </form>
          )}
          <Alert
            error={pay.error}
            success={
              pay.data && (
                <>
                  {t('fines.paidDone', { amount: money(pay.data.amount), number: pay.data.receiptNumber })}{' '}
                  <Link to={`/desk/fines/receipts/${pay.data.receiptNumber}`}>{t('fines.print')}</Link>
                </>
              )
            }
          />
          <h2>{t('fines.receipts')}</h2>
          <ReceiptList receipts={a.receipts} to={(n) => `/desk/fines/receipts/${n}`} />
        </>
      )}
    </section>
  );
}

function FinesTable({ fines, cardNumber, branchId }: { fines: Fine[]; cardNumber: string; branchId: string }) {
  const { t } = useTranslation();
  const [waiving, setWaiving] = useState<string | null>(null);
  return (
    <div className="grid-scroll">
      <table className="table" data-testid="fines-table">
        <thead>
          <tr>
            <th scope="col">{t('fines.charged')}</th>
            <th scope="col">{t('fines.reason')}</th>
            <th scope="col">{t('fines.amount')}</th>
            <th scope="col">{t('fines.paid')}</th>
            <th scope="col">{t('fines.waived')}</th>
            <th scope="col">{t('fines.owing')}</th>
            <th scope="col">{t('fines.waive')}</th>
          </tr>
        </thead>
        <tbody>
          {fines.map((f) => (
            <tr key={f.id}>
              <td>{formatDateTime(f.createdAt, false)}</td>
              <td>
                {t(`fines.reasons.${f.reason}`, { defaultValue: f.reason })}
                {f.title && <div className="muted">{f.title}</div>}
              </td>
              <td className="num">{money(f.amount)}</td>
              <td className="num">{money(f.paid)}</td>
              <td className="num">{money(f.waived)}</td>
              <td className="num">{money(f.owing)}</td>
              <td>
                {waiving === f.id ? (
                  <WaiveForm fine={f} cardNumber={cardNumber} branchId={branchId} done={() => setWaiving(null)} />
                ) : (
                  <button type="button" onClick={() => setWaiving(f.id)} aria-label={t('fines.waiveFor', { what: `${formatDateTime(f.createdAt, false)} ${money(f.owing)}` })}>
                    {t('fines.waive')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function WaiveForm({ fine, cardNumber, branchId, done }: { fine: Fine; cardNumber: string; branchId: string; done: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState(money(fine.owing));
  const [reason, setReason] = useState('');
  const waive = useMutation({
    mutationFn: () =>
      call<Fine>(
        client.POST('/api/circulation/fines/{id}/waive', {
          params: { path: { id: fine.id }, header: { 'Idempotency-Key': crypto.randomUUID() } },
          body: { amount: Number(amount), reason, branchId },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['desk-fines', cardNumber] });
      done();
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        waive.mutate();
      }}
    >
      <Field label={t('fines.waiveAmount')}>
        {(id) => <input id={id} name="waiveAmount" type="number" min="0.01" step="0.01" max={fine.owing} className="num" value={amount} onChange={(e) => setAmount(e.target.value)} />}
      </Field>
      <Field label={t('fines.waiveReason')}>
        {(id) => <input id={id} name="waiveReason" required maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <button type="submit" disabled={!reason.trim() || !(Number(amount) > 0) || waive.isPending}>
        {t('fines.waiveButton')}
      </button>
      <Alert error={waive.error} />
    </form>
  );
}

export function DeskReceiptPage() {
  const { t } = useTranslation();
  const { number = '' } = useParams();
  const receipt = useQuery({
    queryKey: ['receipt', number],
    queryFn: () => call<Receipt>(client.GET('/api/circulation/receipts/{number}', { params: { path: { number } } })),
  });
  return (
    <section>
      <PageTitle>{t('fines.receipt')}</PageTitle>
      <Alert error={receipt.error} />
      {receipt.isPending ? <Loading /> : receipt.data ? <ReceiptView receipt={receipt.data} back="/desk/fines" /> : <Empty />}
    </section>
  );
}
