import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import { Alert, Empty, Field, Loading, PageTitle } from '../../components/ui';
import { useBranchName } from '../../hooks';
import { formatDateTime } from '../../i18n';
import { DeskBranchPicker, useDeskBranch } from './desk';

interface Session {
  id: string;
  branchId: string;
  callNumberFrom: string | null;
  callNumberTo: string | null;
  shelvingLocation: string | null;
  startedAt: string;
  scanCount: number;
  missingMarkedAt: string | null;
}
interface Line {
  barcode: string;
  title: string;
  callNumber: string | null;
  status: string;
}
interface Report {
  session: Session;
  counts: Record<'scans' | 'barcodes' | 'expected' | 'onShelf' | 'missing' | 'checkedOut' | 'elsewhere' | 'outOfOrder' | 'unknown' | 'found', number>;
  missing: Line[];
  checkedOut: Array<Line & { dueAt: string | null }>;
  elsewhere: Array<Line & { reason: string; circulatingBranchId: string }>;
  outOfOrder: Array<Line & { seq: number; previousCallNumber: string | null }>;
  unknown: Array<{ barcode: string; seq: number }>;
  found: Array<Line & { seq: number }>;
}
interface ScanAnswer {
  scans: Array<{ seq: number; barcode: string; found: boolean; verdict: { kind: string; reason?: string } }>;
}

/** The largest barcode file the desk reads (a few thousand lines); the API takes at most 5000 barcodes at once. */
const MAX_FILE_BYTES = 100 * 1024;
const MAX_FILE_BARCODES = 5000;

const rangeLabel = (s: Session) =>
  [s.callNumberFrom || s.callNumberTo ? `${s.callNumberFrom ?? '…'} – ${s.callNumberTo ?? '…'}` : null, s.shelvingLocation].filter(Boolean).join(' · ');

/** Stocktaking (盘点): start a session for a shelf range, scan or upload barcodes, read the report, mark the unfound missing. */
export function InventoryPage() {
  const { t } = useTranslation();
  const [branchId, setBranchId, choices] = useDeskBranch();
  const [sessionId, setSessionId] = useState('');
  return (
    <section>
      <PageTitle>{t('nav.inventory')}</PageTitle>
      <DeskBranchPicker value={branchId} onChange={(id) => (setBranchId(id), setSessionId(''))} choices={choices} />
      {branchId && <Sessions branchId={branchId} sessionId={sessionId} onChoose={setSessionId} />}
      {branchId && sessionId && <SessionDesk key={sessionId} branchId={branchId} sessionId={sessionId} />}
    </section>
  );
}

function Sessions({ branchId, sessionId, onChoose }: { branchId: string; sessionId: string; onChoose: (id: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [range, setRange] = useState({ callNumberFrom: '', callNumberTo: '', shelvingLocation: '' });
  const list = useQuery({
    queryKey: ['inventory', branchId],
    queryFn: () => call<Session[]>(client.GET('/api/inventory/sessions', { params: { query: { branchId } } })),
  });
  const start = useMutation({
    mutationFn: () =>
      call<Session>(
        client.POST('/api/inventory/sessions', {
          body: {
            branchId,
            ...(range.callNumberFrom.trim() ? { callNumberFrom: range.callNumberFrom.trim() } : {}),
            ...(range.callNumberTo.trim() ? { callNumberTo: range.callNumberTo.trim() } : {}),
            ...(range.shelvingLocation.trim() ? { shelvingLocation: range.shelvingLocation.trim() } : {}),
          },
        }),
      ),
    onSuccess: (s) => {
      void queryClient.invalidateQueries({ queryKey: ['inventory', branchId] });
      onChoose(s.id);
    },
  });
  const field = (key: keyof typeof range, label: string, hint?: string) => (
    <Field label={label} hint={hint}>
      {(id, describedBy) => (
        <input id={id} name={key} aria-describedby={describedBy} autoComplete="off" value={range[key]} onChange={(e) => setRange({ ...range, [key]: e.target.value })} />
      )}
    </Field>
  );
  return (
    <>
      <h2>{t('inventory.start')}</h2>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          start.mutate();
        }}
      >
        {field('callNumberFrom', t('inventory.from'), t('inventory.rangeHint'))}
        {field('callNumberTo', t('inventory.to'))}
        {field('shelvingLocation', t('inventory.location'))}
        <button type="submit" className="primary" disabled={start.isPending}>
          {t('inventory.startButton')}
        </button>
      </form>
      <Alert error={start.error ?? list.error} />
      {list.data && list.data.length > 0 && (
        <Field label={t('inventory.session')}>
          {(id) => (
            <select id={id} name="inventorySession" value={sessionId} onChange={(e) => onChoose(e.target.value)}>
              <option value="">{t('inventory.chooseSession')}</option>
              {list.data.map((s) => (
                <option key={s.id} value={s.id}>
                  {`${rangeLabel(s)}（${formatDateTime(s.startedAt)}）`}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
    </>
  );
}

function SessionDesk({ branchId, sessionId }: { branchId: string; sessionId: string }) {
  const { t } = useTranslation();
  const branchName = useBranchName();
  const queryClient = useQueryClient();
  const [barcode, setBarcode] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [lastAction, setLastAction] = useState<'scan' | 'mark' | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const key = ['inventory', branchId, sessionId];
  const report = useQuery({
    queryKey: key,
    queryFn: () => call<Report>(client.GET('/api/inventory/sessions/{id}', { params: { path: { id: sessionId }, query: { branchId } } })),
  });
  const scan = useMutation({
    mutationFn: (barcodes: string[]) =>
      call<ScanAnswer>(client.POST('/api/inventory/sessions/{id}/scans', { params: { path: { id: sessionId } }, body: barcodes.length === 1 ? { branchId, barcode: barcodes[0] } : { branchId, barcodes } })),
    // The line under the scan box says what happened last: this scan, not an earlier marking.
    onMutate: () => setLastAction('scan'),
    onSuccess: () => {
      setBarcode('');
      input.current?.focus();
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const mark = useMutation({
    mutationFn: () => call<{ marked: string[]; markedBySession: number }>(client.POST('/api/inventory/sessions/{id}/mark-missing', { params: { path: { id: sessionId } }, body: { branchId } })),
    onMutate: () => setLastAction('mark'),
    onSuccess: () => {
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const readFile = async (file: File | undefined) => {
    setFileError(null);
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) return setFileError(t('inventory.fileTooLarge', { kb: MAX_FILE_BYTES / 1024 }));
    const barcodes = (await file.text()).split(/[\r\n,;\t]+/).map((s) => s.trim()).filter(Boolean);
    if (!barcodes.length) return setFileError(t('inventory.fileEmpty'));
    if (barcodes.length > MAX_FILE_BARCODES) return setFileError(t('inventory.fileTooMany', { max: MAX_FILE_BARCODES }));
    scan.mutate(barcodes);
  };
  const last = scan.data?.scans;
  const lastLine = last?.length
    ? last.length === 1
      ? t('inventory.scanned', { barcode: last[0].barcode, what: last[0].found ? t('inventory.foundAgain') : t(`inventory.verdict.${last[0].verdict.reason ?? last[0].verdict.kind}`) })
      : t('inventory.scannedMany', { n: last.length, found: last.filter((s) => s.found).length })
    : null;
  const r = report.data;
  const unmarked = r?.missing.filter((m) => m.status === 'available').length ?? 0;
  return (
    <>
      <h2>{r ? t('inventory.sessionTitle', { range: rangeLabel(r.session) }) : t('inventory.session')}</h2>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          if (barcode.trim()) scan.mutate([barcode.trim()]);
        }}
      >
        <Field label={t('desk.barcode')}>
          {(id) => <input id={id} name="barcode" ref={input} autoFocus autoComplete="off" value={barcode} onChange={(e) => setBarcode(e.target.value)} />}
        </Field>
        <button type="submit" className="primary" disabled={!barcode || scan.isPending}>
          {t('inventory.scan')}
        </button>
      </form>
      <Field label={t('inventory.file')} hint={t('inventory.fileHint')}>
        {(id, describedBy) => (
          <input id={id} name="barcodeFile" type="file" accept=".txt,.csv,text/plain,text/csv" aria-describedby={describedBy} onChange={(e) => void readFile(e.target.files?.[0]).finally(() => (e.target.value = ''))} />
        )}
      </Field>
      <Alert error={fileError ? new Error(fileError) : (scan.error ?? mark.error ?? report.error)} success={lastAction === 'mark' && mark.data ? t('inventory.markedNow', { n: mark.data.marked.length }) : lastLine} />
      {report.isPending ? (
        <Loading />
      ) : r ? (
        <>
          <dl className="counts" data-testid="inventory-counts" aria-live="polite">
            {(['scans', 'expected', 'onShelf', 'missing', 'checkedOut', 'elsewhere', 'outOfOrder', 'unknown', 'found'] as const).map((k) => (
              <div key={k} data-count={k}>
                <dt>{t(`inventory.count.${k}`)}</dt>
                <dd>{r.counts[k]}</dd>
              </div>
            ))}
          </dl>
          <ReportTable
            id="missing"
            title={t('inventory.count.missing')}
            rows={r.missing.map((m) => ({ ...m, note: m.status === 'missing' ? t('inventory.markedMissing') : t('inventory.notMarked') }))}
          />
          {unmarked > 0 &&
            (confirming ? (
              <div className="actions" role="group" aria-label={t('inventory.markMissing')}>
                <p>{t('inventory.confirmMark', { n: unmarked })}</p>
                <button type="button" className="primary" onClick={() => mark.mutate()} disabled={mark.isPending}>
                  {t('inventory.confirm')}
                </button>
                <button type="button" onClick={() => setConfirming(false)}>
                  {t('inventory.cancel')}
                </button>
              </div>
            ) : (
              <div className="actions">
                <button type="button" onClick={() => setConfirming(true)}>
                  {t('inventory.markMissingN', { n: unmarked })}
                </button>
              </div>
            ))}
          <ReportTable id="checked-out" title={t('inventory.count.checkedOut')} rows={r.checkedOut.map((c) => ({ ...c, note: c.dueAt ? t('inventory.due', { date: formatDateTime(c.dueAt, false) }) : '' }))} />
          <ReportTable
            id="elsewhere"
            title={t('inventory.count.elsewhere')}
            rows={r.elsewhere.map((c) => ({ ...c, note: c.reason === 'other_branch' ? t('inventory.belongsTo', { branch: branchName(c.circulatingBranchId) }) : t(`inventory.verdict.${c.reason}`) }))}
          />
          <ReportTable id="out-of-order" title={t('inventory.count.outOfOrder')} rows={r.outOfOrder.map((c) => ({ ...c, note: t('inventory.after', { callNumber: c.previousCallNumber ?? '' }) }))} />
          <ReportTable id="unknown" title={t('inventory.count.unknown')} rows={r.unknown.map((u) => ({ barcode: u.barcode, title: '', callNumber: null, note: '' }))} />
          <ReportTable id="found" title={t('inventory.count.found')} rows={r.found.map((c) => ({ ...c, note: t('inventory.foundAgain') }))} />
        </>
      ) : null}
    </>
  );
}

function ReportTable({ id, title, rows }: { id: string; title: string; rows: Array<{ barcode: string; title: string; callNumber: string | null; note: string }> }) {
  const { t } = useTranslation();
  return (
    <div data-testid={`inventory-${id}`}>
      <h3>{`${title}（${rows.length}）`}</h3>
      {rows.length ? (
        <div className="grid-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('desk.barcode')}</th>
                <th scope="col">{t('inventory.callNumber')}</th>
                <th scope="col">{t('inventory.title')}</th>
                <th scope="col">{t('inventory.note')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((x) => (
                <tr key={x.barcode} data-barcode={x.barcode}>
                  <td className="mono">{x.barcode}</td>
                  <td className="mono">{x.callNumber ?? ''}</td>
                  <td>{x.title}</td>
                  <td>{x.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty />
      )}
    </div>
  );
}
