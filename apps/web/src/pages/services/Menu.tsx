import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { call, client } from '../../api/client';
import type { Page } from '../../api/client';
import type { ServiceItem } from '../../api/schema';
import { Alert, Empty, Field, Loading, Options, PageTitle } from '../../components/ui';
import { useSession } from '../../session';
import { SERVICE_CATEGORIES, type ServiceCategory, today, useRegionNames } from './common';

/** 服务菜单: everyone browses published items; organizers order; operators publish and pause their own. */
export function ServiceMenuPage() {
  const { t } = useTranslation();
  const { role } = useSession();
  const [params, setParams] = useSearchParams();
  const category = (params.get('category') ?? '') as ServiceCategory | '';
  const operator = role === 'operator' || role === 'admin';
  const mine = operator && params.get('mine') !== '0';
  const items = useQuery({
    queryKey: ['service-items', category, mine],
    queryFn: () => call<Page<ServiceItem>>(client.GET('/api/service-items', { params: { query: { ...(category ? { category } : {}), ...(mine ? { mine: true } : {}) } } })),
  });
  return (
    <section>
      <PageTitle>{t('services.menu')}</PageTitle>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <Field label={t('services.category')}>
          {(id) => (
            <select
              id={id}
              value={category}
              onChange={(e) => {
                const next = new URLSearchParams(params);
                if (e.target.value) next.set('category', e.target.value);
                else next.delete('category');
                setParams(next, { replace: true });
              }}
            >
              <option value="">{t('app.all')}</option>
              {SERVICE_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {t(`services.categories.${c}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <Alert error={items.error} />
      {items.isPending ? (
        <Loading />
      ) : items.data?.items.length ? (
        <ul className="cards" data-testid="service-items">
          {items.data.items.map((item) => (
            <ItemCard key={item.id} item={item} />
          ))}
        </ul>
      ) : (
        <Empty />
      )}
      {operator && <CreateItem />}
    </section>
  );
}

function ItemCard({ item }: { item: ServiceItem }) {
  const { t } = useTranslation();
  const { role, me } = useSession();
  const queryClient = useQueryClient();
  const [ordering, setOrdering] = useState(false);
  const act = useMutation({
    mutationFn: (action: 'publish' | 'pause' | 'retire') => {
      const path = { params: { path: { id: item.id } } };
      return call(
        action === 'publish'
          ? client.POST('/api/service-items/{id}/publish', path)
          : action === 'pause'
            ? client.POST('/api/service-items/{id}/pause', path)
            : client.POST('/api/service-items/{id}/retire', path),
      );
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['service-items'] }),
  });
  const owns = role === 'admin' || (role === 'operator' && me?.id === item.operatorId);
  return (
    <li className="card">
      <h2>{item.title}</h2>
      <p>
        <span className="badge">{t(`services.categories.${item.category}`, { defaultValue: item.category })}</span>{' '}
        {owns && <span className="badge">{t(`services.itemStatus.${item.status}`)}</span>}
      </p>
      {item.description && <p>{item.description}</p>}
      <p className="muted">
        {t('services.provider')}：{item.provider} · {t('services.duration', { n: item.durationMinutes })} · {t('services.audience', { min: item.audienceMin, max: item.audienceMax })}
        {item.free ? ` · ${t('services.free')}` : item.feeNote ? ` · ${item.feeNote}` : ''}
      </p>
      {item.remainingInMonth !== undefined && <p>{t('services.capacity', { n: item.remainingInMonth })}</p>}
      {owns && (
        <p className="actions">
          {(item.status === 'draft' || item.status === 'paused') && (
            <button type="button" className="primary" onClick={() => act.mutate('publish')}>
              {t('services.publish')}
            </button>
          )}
          {item.status === 'published' && (
            <button type="button" onClick={() => act.mutate('pause')}>
              {t('services.pause')}
            </button>
          )}
          {item.status !== 'retired' && (
            <button type="button" onClick={() => act.mutate('retire')}>
              {t('services.retire')}
            </button>
          )}
        </p>
      )}
      {role === 'organizer' && item.status === 'published' && (
        <button type="button" className="primary" aria-expanded={ordering} onClick={() => setOrdering(!ordering)}>
          {t('services.order')}
        </button>
      )}
      {ordering && <OrderForm item={item} />}
      <Alert error={act.error} />
    </li>
  );
}

function OrderForm({ item }: { item: ServiceItem }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const { regionName } = useRegionNames();
  const queryClient = useQueryClient();
  const mine = me?.kind === 'staff' ? me.regionIds : [];
  const [form, setForm] = useState({ regionId: mine[0] ?? '', preferredFrom: today(), preferredTo: today(), expectedAudience: String(item.audienceMin), address: '', notes: '' });
  const order = useMutation({
    mutationFn: () =>
      call(
        client.POST('/api/service-orders', {
          body: {
            itemId: item.id,
            regionId: form.regionId,
            preferredFrom: form.preferredFrom,
            preferredTo: form.preferredTo,
            expectedAudience: Number(form.expectedAudience),
            address: form.address || undefined,
            notes: form.notes || undefined,
          },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['service-items'] }),
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        order.mutate();
      }}
    >
      <Field label={t('services.region')}>
        {(id) => (
          <select id={id} required value={form.regionId} onChange={(e) => setForm({ ...form, regionId: e.target.value })}>
            {mine.map((r) => (
              <option key={r} value={r}>
                {regionName(r)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('services.preferredFrom')}>{(id) => <input id={id} type="date" required value={form.preferredFrom} onChange={(e) => setForm({ ...form, preferredFrom: e.target.value })} />}</Field>
      <Field label={t('services.preferredTo')}>{(id) => <input id={id} type="date" required value={form.preferredTo} onChange={(e) => setForm({ ...form, preferredTo: e.target.value })} />}</Field>
      <Field label={t('services.expectedAudience')}>
        {(id) => <input id={id} type="number" min={1} required value={form.expectedAudience} onChange={(e) => setForm({ ...form, expectedAudience: e.target.value })} />}
      </Field>
      <Field label={t('services.address')}>{(id) => <input id={id} required value={form.address} onChange={(e) => setForm({ ...form, address: e.target.value })} />}</Field>
      <Field label={t('services.notes')}>{(id) => <input id={id} value={form.notes} onChange={(e) => setForm({ ...form, notes: e.target.value })} />}</Field>
      <button type="submit" className="primary" disabled={order.isPending}>
        {t('app.submit')}
      </button>
      <Alert error={order.error} success={order.data ? t('services.ordered') : undefined} />
    </form>
  );
}

function CreateItem() {
  const { t } = useTranslation();
  const { regions } = useRegionNames();
  const queryClient = useQueryClient();
  const empty = { title: '', category: 'performance' as ServiceCategory, description: '', provider: '', durationMinutes: '90', audienceMin: '20', audienceMax: '200', monthlyCapacity: '4', regionId: '' };
  const [form, setForm] = useState(empty);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const create = useMutation({
    mutationFn: () =>
      call(
        client.POST('/api/service-items', {
          body: {
            title: form.title,
            category: form.category,
            description: form.description || undefined,
            provider: form.provider,
            durationMinutes: Number(form.durationMinutes),
            audienceMin: Number(form.audienceMin),
            audienceMax: Number(form.audienceMax),
            monthlyCapacity: Number(form.monthlyCapacity),
            regionIds: form.regionId ? [form.regionId] : [],
          },
        }),
      ),
    onSuccess: () => {
      setForm(empty);
      void queryClient.invalidateQueries({ queryKey: ['service-items'] });
    },
  });
  return (
    <>
      <h2>{t('services.create')}</h2>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Field label={t('services.title')}>{(id) => <input id={id} required value={form.title} onChange={set('title')} />}</Field>
        <Field label={t('services.category')}>
          {(id) => (
            <select id={id} value={form.category} onChange={set('category')}>
              {SERVICE_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {t(`services.categories.${c}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('services.provider')}>{(id) => <input id={id} required value={form.provider} onChange={set('provider')} />}</Field>
        <Field label={t('services.description')}>{(id) => <input id={id} value={form.description} onChange={set('description')} />}</Field>
        <Field label={t('services.durationMinutes')}>{(id) => <input id={id} type="number" min={1} value={form.durationMinutes} onChange={set('durationMinutes')} />}</Field>
        <Field label={t('services.audienceMin')}>{(id) => <input id={id} type="number" min={1} value={form.audienceMin} onChange={set('audienceMin')} />}</Field>
        <Field label={t('services.audienceMax')}>{(id) => <input id={id} type="number" min={1} value={form.audienceMax} onChange={set('audienceMax')} />}</Field>
        <Field label={t('services.monthlyCapacity')}>{(id) => <input id={id} type="number" min={1} value={form.monthlyCapacity} onChange={set('monthlyCapacity')} />}</Field>
        <Field label={t('services.regions')}>
          {(id) => (
            <select id={id} required value={form.regionId} onChange={set('regionId')}>
              <Options items={regions} label={(r) => r.name} blank="—" />
            </select>
          )}
        </Field>
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('services.create')}
        </button>
      </form>
      <Alert error={create.error} success={create.data ? t('admin.created') : undefined} />
    </>
  );
}
