import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { call, client, languageHeader } from '../../api/client';
import type { IndicatorStatus } from '../../api/client';
import type { IndicatorDetail, IndicatorPlan, IndicatorReport, IndicatorRow } from '../../api/schema';
import { type ChartOption, EChart } from '../../components/EChart';
import { Alert, Field, Loading, Options, PageTitle } from '../../components/ui';
import { useRegionNames } from '../services/common';

const STATUS_COLOURS: Record<IndicatorStatus, string> = { meets: '#14632e', does_not_meet: '#a10e0e', no_data: '#6b6b6b' };
const thisYear = () => Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4));

export function formatValue(v: number | null, unit: string): string {
  if (v === null) return '—';
  if (unit === 'yes/no') return v ? '✓' : '✗';
  const n = Math.abs(v) >= 100 ? Math.round(v * 10) / 10 : Math.round(v * 1000) / 1000;
  return unit === '%' ? `${n}%` : `${n.toLocaleString()}`;
}

/** The demonstration-zone dashboard: each indicator of a plan against its target, for a year and region. */
export function DashboardPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const { regions } = useRegionNames();
  const plans = useQuery({ queryKey: ['indicator-plans'], queryFn: () => call<IndicatorPlan[]>(client.GET('/api/indicator-plans')) });
  const district = regions.find((r) => r.kind === 'district');
  const plan = params.get('plan') ?? plans.data?.find((p) => p.code.startsWith('haidian'))?.code ?? plans.data?.[0]?.code ?? '';
  const year = Number(params.get('year') ?? thisYear());
  const regionId = params.get('regionId') ?? district?.id ?? '';
  const selected = params.get('indicator');
  const query = { plan, year, regionId };
  const report = useQuery({
    queryKey: ['indicators', query],
    enabled: !!plan && !!regionId,
    queryFn: () => call<IndicatorReport>(client.GET('/api/indicators', { params: { query, header: languageHeader() } })),
  });
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const download = useMutation({
    mutationFn: async (format: 'csv' | 'xlsx') => {
      const { data, response } = await client.GET('/api/indicators/export', { params: { query: { ...query, format }, header: languageHeader() }, parseAs: 'blob' });
      if (!response.ok || !data) throw new Error(response.statusText);
      const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `indicators.${format}`;
      const url = URL.createObjectURL(data as Blob);
      const a = Object.assign(document.createElement('a'), { href: url, download: name });
      document.body.append(a);
      a.click();
      a.remove();
      URL.revokeObjectURL(url);
    },
  });
  const counts = useMemo(() => {
    const c: Record<IndicatorStatus, number> = { meets: 0, does_not_meet: 0, no_data: 0 };
    report.data?.indicators.forEach((i) => c[i.status]++);
    return c;
  }, [report.data]);
  const donut: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['45%', '70%'],
          label: { formatter: '{b}: {c}' },
          data: (Object.keys(counts) as IndicatorStatus[]).map((s) => ({ name: t(`dashboard.status.${s}`), value: counts[s], itemStyle: { color: STATUS_COLOURS[s] } })),
        },
      ],
    }),
    [counts, t],
  );
  return (
    <section>
      <PageTitle>{t('nav.dashboard')}</PageTitle>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <Field label={t('dashboard.plan')}>
          {(id) => (
            <select id={id} value={plan} onChange={(e) => set('plan', e.target.value)}>
              {plans.data?.map((p) => (
                <option key={p.id} value={p.code}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('dashboard.year')}>{(id) => <input id={id} type="number" min={2000} max={2100} value={year} onChange={(e) => set('year', e.target.value)} />}</Field>
        <Field label={t('dashboard.region')}>
          {(id) => (
            <select id={id} value={regionId} onChange={(e) => set('regionId', e.target.value)}>
              <Options items={regions} label={(r) => r.name} />
            </select>
          )}
        </Field>
        <p className="actions">
          <button type="button" onClick={() => download.mutate('csv')} disabled={!report.data || download.isPending}>
            {t('dashboard.exportCsv')}
          </button>
          <button type="button" onClick={() => download.mutate('xlsx')} disabled={!report.data || download.isPending}>
            {t('dashboard.exportXlsx')}
          </button>
          <button type="button" onClick={() => void report.refetch()}>
            {t('app.refresh')}
          </button>
        </p>
      </form>
      <Alert error={plans.error ?? report.error ?? download.error} />
      {report.isPending && plan && regionId ? (
        <Loading />
      ) : (
        report.data && (
          <>
            <div className="columns">
              <div className="card">
                <h2>{t('dashboard.compliance')}</h2>
                <p className="kpi" data-testid="compliance-rate">
                  {report.data.complianceRate}%
                </p>
                <p>{t('dashboard.meeting', { meeting: report.data.meeting, total: report.data.total })}</p>
                <p className="muted small">
                  {report.data.plan.name} · {report.data.region.name} · {report.data.year}
                </p>
              </div>
              <div className="card">
                <EChart option={donut} label={t('dashboard.statusChart', counts)} />
              </div>
            </div>
            {selected && <IndicatorPanel code={selected} query={query} close={() => set('indicator', '')} />}
            <div className="grid-scroll">
              <table className="table indicators" data-testid="indicator-table">
                <caption className="visually-hidden">{t('nav.dashboard')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('dashboard.indicator')}</th>
                    <th scope="col">{t('dashboard.value')}</th>
                    <th scope="col">{t('dashboard.target')}</th>
                    <th scope="col">{t('dashboard.statusLabel')}</th>
                    <th scope="col">{t('dashboard.method')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.data.indicators.map((i) => (
                    <IndicatorTableRow key={i.code} row={i} open={() => set('indicator', i.code)} />
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )
      )}
    </section>
  );
}

function targetText(i: IndicatorRow): string {
  if (i.target === null) return '—';
  return i.targetMax !== null ? `${formatValue(i.target, i.unit)}–${formatValue(i.targetMax, i.unit)}` : formatValue(i.target, i.unit);
}

function IndicatorTableRow({ row: i, open }: { row: IndicatorRow; open: () => void }) {
  const { t } = useTranslation();
  return (
    <tr data-code={i.code}>
      <th scope="row">
        <button type="button" className="link" onClick={open}>
          {i.name}
        </button>
      </th>
      <td className="num" data-testid={`value-${i.code}`}>
        {formatValue(i.value, i.unit)} <span className="muted small">{i.unit === '%' || i.unit === 'yes/no' ? '' : i.unit}</span>
      </td>
      <td className="num">{targetText(i)}</td>
      <td>
        <span className={`badge status-${i.status}`}>{t(`dashboard.status.${i.status}`)}</span>
      </td>
      <td className="small">{t(`dashboard.methods.${i.method}`)}</td>
    </tr>
  );
}

function IndicatorPanel({ code, query, close }: { code: string; query: { plan: string; year: number; regionId: string }; close: () => void }) {
  const { t } = useTranslation();
  const [by, setBy] = useState<'branch' | 'region' | 'month'>('month');
  const detail = useQuery({
    queryKey: ['indicator', code, query, by],
    queryFn: () => call<IndicatorDetail>(client.GET('/api/indicators/{code}', { params: { path: { code }, query: { ...query, by }, header: languageHeader() } })),
  });
  const d = detail.data;
  const trend: ChartOption | null = useMemo(
    () =>
      d ? {
        tooltip: { trigger: 'axis' },
        grid: { left: 48, right: 24, top: 24, bottom: 32 },
        xAxis: { type: 'category', data: d.trend.map((p) => String(p.year)) },
        yAxis: { type: 'value' },
        series: [
          {
            type: 'line',
            name: d.name,
            data: d.trend.map((p) => p.value),
            itemStyle: { color: '#0b4f8a' },
            markLine: d.target === null ? undefined : { symbol: 'none', lineStyle: { color: '#14632e', type: 'dashed' }, label: { formatter: t('dashboard.target') }, data: [{ yAxis: d.target }] },
          },
        ],
      } : null,
    [d, t],
  );
  const breakdown: ChartOption | null = useMemo(
    () =>
      d ? {
        tooltip: { trigger: 'axis' },
        grid: { left: 48, right: 24, top: 24, bottom: 64 },
        xAxis: { type: 'category', data: (d.breakdown ?? []).map((b) => b.name), axisLabel: { rotate: 30 } },
        yAxis: { type: 'value' },
        series: [{ type: 'bar', name: d.name, data: (d.breakdown ?? []).map((b) => b.value), itemStyle: { color: '#8a1c1c' } }],
      } : null,
    [d],
  );
  return (
    <section className="card panel" aria-labelledby="indicator-title" data-testid="indicator-panel">
      <h2 id="indicator-title">{d?.name ?? code}</h2>
      <button type="button" onClick={close}>
        {t('app.close')}
      </button>
      <Alert error={detail.error} />
      {d && (
        <>
          <p>
            <span className={`badge status-${d.status}`}>{t(`dashboard.status.${d.status}`)}</span> {t('dashboard.value')} <strong>{formatValue(d.value, d.unit)}</strong> · {t('dashboard.target')} {targetText(d)}
            {d.numerator !== null && d.denominator !== null && (
              <span className="muted">
                {' '}
                {t('app.paren', { text: `${d.numerator.toLocaleString()} / ${d.denominator.toLocaleString()}` })}
              </span>
            )}
          </p>
          <p className="muted small">
            {d.formula} · {d.source}
          </p>
          <h3>{t('dashboard.trend')}</h3>
          {trend && <EChart option={trend} label={`${d.name} ${t('dashboard.trend')}`} testId="trend-chart" />}
          {d.method === 'manual' && <ManualEntry code={code} year={query.year} regionId={query.regionId} />}
          <Field label={t('dashboard.drillDown')}>
            {(id) => (
              <select id={id} value={by} onChange={(e) => setBy(e.target.value as typeof by)}>
                {(['month', 'branch', 'region'] as const).map((b) => (
                  <option key={b} value={b}>
                    {t(`dashboard.by.${b}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {(d.breakdown ?? []).length > 0 && breakdown && <EChart option={breakdown} label={`${d.name} ${t(`dashboard.by.${by}`)}`} />}
          <div className="grid-scroll">
            <table className="table" data-testid="breakdown">
              <thead>
                <tr>
                  <th scope="col">{t(`dashboard.by.${by}`)}</th>
                  <th scope="col">{t('dashboard.value')}</th>
                  <th scope="col">{t('dashboard.fraction')}</th>
                </tr>
              </thead>
              <tbody>
                {(d.breakdown ?? []).map((b) => (
                  <tr key={b.key}>
                    <th scope="row">{b.name}</th>
                    <td className="num">{formatValue(b.value, d.unit)}</td>
                    <td className="num">{b.numerator === null ? '—' : `${b.numerator.toLocaleString()} / ${b.denominator?.toLocaleString() ?? '—'}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function ManualEntry({ code, year, regionId }: { code: string; year: number; regionId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [value, setValue] = useState('');
  const [source, setSource] = useState('');
  const save = useMutation({
    mutationFn: () => call(client.PUT('/api/indicators/{code}/manual', { params: { path: { code } }, body: { year, regionId, value: Number(value), source } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['indicators'] });
      void queryClient.invalidateQueries({ queryKey: ['indicator', code] });
    },
  });
  return (
    <form
      className="filters"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Field label={t('dashboard.manualValue')}>{(id) => <input id={id} type="number" step="any" required value={value} onChange={(e) => setValue(e.target.value)} />}</Field>
      <Field label={t('dashboard.source')}>{(id) => <input id={id} required value={source} onChange={(e) => setSource(e.target.value)} />}</Field>
      <button type="submit" className="primary" disabled={save.isPending}>
        {t('app.save')}
      </button>
      <Alert error={save.error} success={save.isSuccess ? t('admin.saved') : undefined} />
    </form>
  );
}
