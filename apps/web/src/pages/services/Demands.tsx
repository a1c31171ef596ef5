import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { Page } from '../../api/client';
import type { Demand } from '../../api/schema';
import { Alert, Empty, Field, Loading, Options, PageTitle } from '../../components/ui';
import { useSession } from '../../session';
import { SERVICE_CATEGORIES, type ServiceCategory, useRegionNames } from './common';

/** 订单式服务: residents and organizers ask for what is not on the menu and support each other's requests; operators answer. */
export function DemandsPage() {
  const { t } = useTranslation();
  const { role } = useSession();
  const demands = useQuery({
    queryKey: ['demands'],
    queryFn: () => call<Page<Demand>>(client.GET('/api/demands', { params: { query: { sort: 'votes' } } })),
  });
  return (
    <section>
      <PageTitle>{t('services.demands')}</PageTitle>
      {(role === 'resident' || role === 'organizer') && <AskForm />}
      <Alert error={demands.error} />
      {demands.isPending ? (
        <Loading />
      ) : demands.data?.items.length ? (
        <ul className="cards" data-testid="demands">
          {demands.data.items.map((d) => (
            <DemandCard key={d.id} demand={d} />
          ))}
        </ul>
      ) : (
        <Empty />
      )}
    </section>
  );
}

function DemandCard({ demand: d }: { demand: Demand }) {
  const { t } = useTranslation();
  const { role } = useSession();
  const { regionName } = useRegionNames();
  const queryClient = useQueryClient();
  const [answer, setAnswer] = useState({ status: 'planned' as 'planned' | 'added_to_menu' | 'declined', text: '' });
  const vote = useMutation({
    mutationFn: () => call(client.POST('/api/demands/{id}/votes', { params: { path: { id: d.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['demands'] }),
  });
  const reply = useMutation({
    mutationFn: () => call(client.POST('/api/demands/{id}/answer', { params: { path: { id: d.id } }, body: { status: answer.status, answer: answer.text } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['demands'] }),
  });
  return (
    <li className="card">
      <h2>{d.title}</h2>
      <p>
        <span className="badge">{t(`services.categories.${d.category}`, { defaultValue: d.category })}</span> <span className="badge">{t(`services.demandStatus.${d.status}`)}</span> {regionName(d.regionId)}
      </p>
      <p>{d.description}</p>
      <p aria-live="polite">
        <strong>{t('services.votes', { n: d.votes })}</strong>
      </p>
      {d.answer && (
        <p className="callout">
          {t('services.answer')}：{d.answer}
        </p>
      )}
      {(role === 'resident' || role === 'organizer') && d.status === 'open' && (
        <button type="button" onClick={() => vote.mutate()} disabled={vote.isPending || vote.isSuccess} aria-label={`${t('services.vote')} ${d.title}`}>
          {vote.isSuccess ? t('services.voted') : t('services.vote')}
        </button>
      )}
      {(role === 'operator' || role === 'admin') && d.status === 'open' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            reply.mutate();
          }}
        >
          <Field label={t('services.answerStatus')}>
            {(id) => (
              <select id={id} value={answer.status} onChange={(e) => setAnswer({ ...answer, status: e.target.value as typeof answer.status })}>
                {(['planned', 'added_to_menu', 'declined'] as const).map((s) => (
                  <option key={s} value={s}>
                    {t(`services.demandStatus.${s}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('services.answer')}>{(id) => <input id={id} required value={answer.text} onChange={(e) => setAnswer({ ...answer, text: e.target.value })} />}</Field>
          <button type="submit">{t('app.submit')}</button>
        </form>
      )}
      <Alert error={vote.error ?? reply.error} />
    </li>
  );
}

function AskForm() {
  const { t } = useTranslation();
  const { regions } = useRegionNames();
  const queryClient = useQueryClient();
  const empty = { title: '', description: '', category: 'lecture' as ServiceCategory, regionId: '' };
  const [form, setForm] = useState(empty);
  const ask = useMutation({
    mutationFn: () => call(client.POST('/api/demands', { body: form })),
    onSuccess: () => {
      setForm(empty);
      void queryClient.invalidateQueries({ queryKey: ['demands'] });
    },
  });
  return (
    <details className="card">
      <summary>{t('services.ask')}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          ask.mutate();
        }}
      >
        <Field label={t('services.title')}>{(id) => <input id={id} required value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />}</Field>
        <Field label={t('services.description')}>
          {(id) => <textarea id={id} required rows={3} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />}
        </Field>
        <Field label={t('services.category')}>
          {(id) => (
            <select id={id} value={form.category} onChange={(e) => setForm({ ...form, category: e.target.value as ServiceCategory })}>
              {SERVICE_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {t(`services.categories.${c}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('services.region')}>
          {(id) => (
            <select id={id} required value={form.regionId} onChange={(e) => setForm({ ...form, regionId: e.target.value })}>
              <Options items={regions.filter((r) => r.kind === 'community' || r.kind === 'village')} label={(r) => r.name} blank="—" />
            </select>
          )}
        </Field>
        <button type="submit" className="primary" disabled={ask.isPending}>
          {t('app.submit')}
        </button>
        <Alert error={ask.error} />
      </form>
    </details>
  );
}
