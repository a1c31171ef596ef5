import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, call, client } from '../../api/client';
import type { Page } from '../../api/client';
import type { ServiceOrder } from '../../api/schema';
import { Alert, Empty, Field, Loading, Options, PageTitle } from '../../components/ui';
import { useBranches } from '../../hooks';
import { formatDateTime } from '../../i18n';
import { useSession } from '../../session';
import { useRegionNames, withOffset } from './common';

type Order = ServiceOrder;

const STATUSES = ['submitted', 'accepted', 'scheduled', 'delivered', 'evaluated', 'declined', 'cancelled'] as const;

/** Orders through their states: the operator accepts, schedules and records delivery; the community rates. */
export function ServiceOrdersPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<(typeof STATUSES)[number] | ''>('');
  const orders = useQuery({
    queryKey: ['service-orders', status],
    queryFn: () => call<Page<ServiceOrder>>(client.GET('/api/service-orders', { params: { query: status ? { status } : {} } })),
  });
  return (
    <section>
      <PageTitle>{t('services.orders')}</PageTitle>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <Field label={t('card.status')}>
          {(id) => (
            <select id={id} value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
              <option value="">{t('app.all')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`services.orderStatus.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <Alert error={orders.error} />
      {orders.isPending ? (
        <Loading />
      ) : orders.data?.items.length ? (
        <ul className="cards" data-testid="service-orders">
          {orders.data.items.map((o) => (
            <OrderCard key={o.id} order={o} />
          ))}
        </ul>
      ) : (
        <Empty />
      )}
    </section>
  );
}

type Step = 'accept' | 'decline' | 'schedule' | 'deliver' | 'confirm' | 'evaluate' | 'cancel';

function stepsFor(role: string | null, order: Order): Step[] {
  const { status } = order;
  // A delivery is recorded once the scheduled service has begun (the API refuses it before).
  const begun = order.scheduledStartsAt !== null && new Date(order.scheduledStartsAt).getTime() <= Date.now();
  const operator = role === 'operator' || role === 'admin';
  const orderer = role === 'organizer' || role === 'librarian' || role === 'admin';
  const steps: Step[] = [];
  if (operator && status === 'submitted') steps.push('accept', 'decline');
  if (operator && (status === 'accepted' || status === 'scheduled')) steps.push('schedule');
  if (operator && status === 'scheduled' && begun) steps.push('deliver');
  // The community confirms the service came (once); rating it confirms it too.
  if (orderer && status === 'delivered' && !order.confirmedAt) steps.push('confirm');
  if (orderer && status === 'delivered') steps.push('evaluate');
  if (['submitted', 'accepted', 'scheduled'].includes(status)) steps.push('cancel');
  return steps;
}

function OrderCard({ order }: { order: Order }) {
  const { t } = useTranslation();
  const { role } = useSession();
  const { regionName } = useRegionNames();
  const [step, setStep] = useState<Step | null>(null);
  return (
    <li className="card">
      <h2>{order.item.title}</h2>
      <p>
        <span className="badge" data-testid="order-status">
          {t(`services.orderStatus.${order.status}`)}
        </span>{' '}
        {regionName(order.regionId)}
      </p>
      <p className="muted">
        {order.preferredFrom} – {order.preferredTo} · {t('services.expectedAudience')} {order.expectedAudience}
        {order.address ? ` · ${order.address}` : ''}
      </p>
      {order.scheduledStartsAt && <p>{formatDateTime(order.scheduledStartsAt)}</p>}
      {order.attendance !== null && (
        <p>
          {t('services.attendance')}：{order.attendance}
        </p>
      )}
      {order.confirmedAt && <p data-testid="order-confirmed">{t('services.confirmed', { at: formatDateTime(order.confirmedAt) })}</p>}
      <p className="actions">
        {stepsFor(role, order).map((s) => (
          <button key={s} type="button" aria-pressed={step === s} className={step === s ? 'primary' : undefined} onClick={() => setStep(step === s ? null : s)}>
            {t(`services.${s}`)}
          </button>
        ))}
      </p>
      {step && <StepForm order={order} step={step} done={() => setStep(null)} />}
    </li>
  );
}

function StepForm({ order, step, done }: { order: Order; step: Step; done: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const branches = useBranches();
  const [f, setF] = useState({ reason: '', startsAt: `${order.preferredFrom}T14:00`, endsAt: `${order.preferredFrom}T16:00`, branchId: '', seats: String(order.expectedAudience), attendance: String(order.expectedAudience), score: '5', comment: '', note: '', served: '' });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const servedCards = cardNumbers(f.served);
  const path = { path: { id: order.id } };
  const act = useMutation({
    mutationFn: () => {
      switch (step) {
        case 'accept':
          return call(client.POST('/api/service-orders/{id}/accept', { params: path, body: {} }));
        case 'decline':
          return call(client.POST('/api/service-orders/{id}/decline', { params: path, body: { reason: f.reason } }));
        case 'cancel':
          return call(client.POST('/api/service-orders/{id}/cancel', { params: path, body: { reason: f.reason } }));
        case 'schedule':
          return call(
            client.POST('/api/service-orders/{id}/schedule', {
              params: path,
              body: { startsAt: withOffset(f.startsAt), endsAt: withOffset(f.endsAt), branchId: f.branchId || undefined, seats: Number(f.seats) || undefined, reason: f.reason || undefined },
            }),
          );
        case 'deliver':
          return call(
            client.POST('/api/service-orders/{id}/deliver', {
              params: path,
              body: { attendance: Number(f.attendance), servedCardNumbers: servedCards.length ? servedCards : undefined },
            }),
          );
        case 'confirm':
          return call(client.POST('/api/service-orders/{id}/confirm', { params: path, body: { note: f.note || undefined } }));
        case 'evaluate':
          return call(client.POST('/api/service-orders/{id}/evaluate', { params: path, body: { score: Number(f.score), comment: f.comment || undefined } }));
      }
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['service-orders'] });
      done();
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        act.mutate();
      }}
    >
      {(step === 'decline' || step === 'cancel') && <Field label={t('services.reason')}>{(id) => <input id={id} required value={f.reason} onChange={set('reason')} />}</Field>}
      {step === 'schedule' && (
        <>
          <Field label={t('services.startsAt')}>{(id) => <input id={id} type="datetime-local" required value={f.startsAt} onChange={set('startsAt')} />}</Field>
          <Field label={t('services.endsAt')}>{(id) => <input id={id} type="datetime-local" required value={f.endsAt} onChange={set('endsAt')} />}</Field>
          <Field label={t('services.branch')}>
            {(id) => (
              <select id={id} value={f.branchId} onChange={set('branchId')}>
                <Options items={branches.data?.items} label={(b) => b.name} blank="—" />
              </select>
            )}
          </Field>
          <Field label={t('services.seats')}>{(id) => <input id={id} type="number" min={1} value={f.seats} onChange={set('seats')} />}</Field>
          {order.status === 'scheduled' && <Field label={t('services.rescheduleReason')}>{(id) => <input id={id} value={f.reason} onChange={set('reason')} />}</Field>}
        </>
      )}
      {step === 'confirm' && <Field label={t('services.notes')}>{(id) => <input id={id} value={f.note} onChange={set('note')} />}</Field>}
      {step === 'deliver' && (
        <>
          <Field label={t('services.attendance')}>{(id) => <input id={id} type="number" min={0} required value={f.attendance} onChange={set('attendance')} />}</Field>
          <Field label={t('services.servedCards')} hint={t('services.servedCardsHint')}>
            {(id, hint) => <textarea id={id} aria-describedby={hint} rows={3} className="mono" value={f.served} onChange={set('served')} />}
          </Field>
        </>
      )}
      {step === 'evaluate' && (
        <>
          <Field label={t('services.score')}>
            {(id) => (
              <select id={id} value={f.score} onChange={set('score')}>
                {[5, 4, 3, 2, 1].map((n) => (
                  <option key={n} value={n}>
                    {'★'.repeat(n)} {n}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('services.comment')}>{(id) => <input id={id} value={f.comment} onChange={set('comment')} />}</Field>
        </>
      )}
      <button type="submit" className="primary" disabled={act.isPending}>
        {t(`services.${step}`)}
      </button>
      <Alert error={step === 'deliver' ? servedError(act.error, servedCards, t) : act.error} />
    </form>
  );
}

/** Card numbers typed one per line or separated by commas (either width) or spaces. */
function cardNumbers(text: string): string[] {
  return text.split(/[\s,，、;；]+/).filter(Boolean);
}

/** A refused delivery that names entries of servedCardNumbers says which of the numbers typed they were. */
function servedError(error: unknown, typed: string[], t: (key: string, options?: Record<string, unknown>) => string): unknown {
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION_FAILED') return error;
  const fields = ((error.details as { errors?: Array<{ field: string }> } | undefined)?.errors ?? []).map((e) => /^servedCardNumbers\.(\d+)$/.exec(e.field)?.[1]);
  const bad = fields.filter((i): i is string => i !== undefined).map((i) => typed[Number(i)]);
  if (!bad.length) return error;
  return new ApiError(error.status, error.code, t('services.servedInvalid', { numbers: bad.join(t('app.listSep')) }), error.details);
}
