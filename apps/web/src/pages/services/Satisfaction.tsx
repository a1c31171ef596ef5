import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { SatisfactionFigure, SatisfactionIndex } from '../../api/schema';
import { Alert, Field, Loading, PageTitle } from '../../components/ui';

const BY = ['operator', 'item', 'region'] as const;

/** 满意度: ratings of delivered services, per operator, service or community. */
export function SatisfactionPage() {
  const { t } = useTranslation();
  const [by, setBy] = useState<(typeof BY)[number]>('item');
  const index = useQuery({ queryKey: ['satisfaction', by], queryFn: () => call<SatisfactionIndex>(client.GET('/api/satisfaction', { params: { query: { by } } })) });
  const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);
  const row = (name: string, f: SatisfactionFigure, key: string) => (
    <tr key={key}>
      <th scope="row">{name}</th>
      <td>{f.mean ?? '—'}</td>
      <td>{f.ratings}</td>
      <td>{pct(f.highShare)}</td>
    </tr>
  );
  return (
    <section>
      <PageTitle>{t('services.satisfaction')}</PageTitle>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <Field label={t('services.by')}>
          {(id) => (
            <select id={id} value={by} onChange={(e) => setBy(e.target.value as typeof by)}>
              {BY.map((b) => (
                <option key={b} value={b}>
                  {t(`services.groupings.${b}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <Alert error={index.error} />
      {index.isPending ? (
        <Loading />
      ) : (
        index.data && (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t(`services.groupings.${by}`)}</th>
                <th scope="col">{t('services.mean')}</th>
                <th scope="col">{t('services.ratings')}</th>
                <th scope="col">{t('services.highShare')}</th>
              </tr>
            </thead>
            <tbody>
              {row(t('services.overall'), index.data.overall, 'overall')}
              {index.data.groups.map((g) => row(g.name, g, g.id))}
            </tbody>
          </table>
        )
      )}
    </section>
  );
}
