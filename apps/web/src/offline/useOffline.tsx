import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, call, client } from '../api/client';
import { forget, onQueueChange, queued } from './queue';

/** What the server made of one uploaded record (POST /api/circulation/offline). */
export interface OfflineOutcome {
  clientId: string;
  result: 'applied' | 'conflict' | 'duplicate';
  code?: string | null;
  message?: { zh: string; en: string };
}

const RETRY_MS = 20_000;

interface Uploaded {
  items: Array<OfflineOutcome & { barcode: string; type: string }>;
}

/** Whether the browser says it is online, kept up to date. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);
  return online;
}

/**
 * The queue as the desk sees it: how many wait, and on reconnect one upload per branch of everything
 * queued. An answered record leaves the queue whatever became of it (applied, conflict, duplicate);
 * a failed upload leaves it all queued for the next try.
 */
export function useOfflineQueue() {
  const online = useOnline();
  const [count, setCount] = useState(0);
  const [uploading, setUploading] = useState(false);
  const [last, setLast] = useState<Uploaded['items'] | null>(null);
  const [failed, setFailed] = useState<unknown>(null);
  const busy = useRef(false);
  const refresh = useCallback(() => void queued().then((q) => setCount(q.length)), []);
  useEffect(() => {
    refresh();
    return onQueueChange(refresh);
  }, [refresh]);

  const upload = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    setUploading(true);
    try {
      const all = await queued();
      if (!all.length) return;
      const results: Uploaded['items'] = [];
      for (const branchId of [...new Set(all.map((q) => q.branchId))]) {
        const mine = all.filter((q) => q.branchId === branchId);
        const res = await call<{ items: OfflineOutcome[] }>(
          client.POST('/api/circulation/offline', {
            body: { branchId, transactions: mine.map(({ clientId, type, at, cardNumber, barcode, stopId }) => ({ clientId, type, at, cardNumber, barcode, ...(stopId ? { stopId } : {}) })) },
          }),
        );
        await forget(res.items.map((i) => i.clientId));
        const byId = new Map(mine.map((q) => [q.clientId, q]));
        results.push(...res.items.map((i) => ({ ...i, barcode: byId.get(i.clientId)?.barcode ?? '', type: byId.get(i.clientId)?.type ?? '' })));
      }
      setLast(results);
      setFailed(null);
    } catch (error) {
      setFailed(error);
    } finally {
      busy.current = false;
      setUploading(false);
      refresh();
    }
  }, [refresh]);

  useEffect(() => {
    if (online && count > 0) void upload();
  }, [online, count, upload]);
  // The browser can say online while the server is still out of reach: a failed upload is tried again.
  useEffect(() => {
    if (!online || count === 0 || failed == null) return;
    const timer = window.setInterval(() => void upload(), RETRY_MS);
    return () => window.clearInterval(timer);
  }, [online, count, failed, upload]);

  return { online, count, uploading, last, failed, upload };
}

/** The desk's offline state in words: offline and how many are queued, the upload, and what it came to. */
export function OfflineBanner({ state }: { state: ReturnType<typeof useOfflineQueue> }) {
  const { t, i18n } = useTranslation();
  const { online, count, uploading, last, failed, upload } = state;
  const conflicts = last?.filter((i) => i.result === 'conflict') ?? [];
  return (
    <>
      {(!online || count > 0) && (
        <p className={`callout ${online ? '' : 'offline'}`} role="status" data-testid="offline-status">
          <strong>{online ? (uploading ? t('offline.uploading', { n: count }) : t('offline.queuedOnline', { n: count })) : t('offline.offline', { n: count })}</strong>
          {!online && <> {t('offline.help')}</>}
          {online && !uploading && count > 0 && (
            <>
              {' '}
              <button type="button" onClick={() => void upload()}>
                {t('offline.uploadNow')}
              </button>
            </>
          )}
        </p>
      )}
      {failed != null && online && (
        <p className="callout" role="alert" data-testid="offline-failed">
          {t('offline.uploadFailed')}
          {failed instanceof ApiError && <> {failed.message}</>}
        </p>
      )}
      {last && (
        <div className="callout" role="status" data-testid="offline-results">
          <p>{t('offline.uploaded', { applied: last.filter((i) => i.result === 'applied').length, conflicts: conflicts.length, duplicates: last.filter((i) => i.result === 'duplicate').length })}</p>
          {conflicts.length > 0 && (
            <>
              <ul>
                {conflicts.map((c) => (
                  <li key={c.clientId} data-testid="offline-conflict" data-code={c.code ?? ''}>
                    <span className="mono">{c.barcode}</span> — {i18n.language === 'en' ? c.message?.en : c.message?.zh}
                  </li>
                ))}
              </ul>
              <Link to="/desk/offline-conflicts">{t('offline.toConflicts')}</Link>
            </>
          )}
        </div>
      )}
    </>
  );
}
