import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import { Alert, Empty, Field, Loading, PageTitle } from '../../components/ui';
import { formatDateTime } from '../../i18n';
import { DeskBranchPicker, useDeskBranch } from './desk';

interface Conflict {
  id: string;
  type: 'checkout' | 'checkin';
  at: string;
  barcode: string;
  title: string | null;
  card: string | null;
  code: string;
  message: { zh: string; en: string };
  settledAt: string | null;
  settleNote: string | null;
}

/** Offline records the server refused at this branch, oldest first, each settled with a note of what was done. */
export function OfflineConflictsPage() {
  const { t, i18n } = useTranslation();
  const [branchId, setBranchId, choices] = useDeskBranch();
  const queryClient = useQueryClient();
  const [state, setState] = useState<'open' | 'settled'>('open');
  const conflicts = useQuery({
    queryKey: ['offline-conflicts', branchId, state],
    enabled: !!branchId,
    queryFn: () => call<{ items: Conflict[] }>(client.GET('/api/circulation/offline/conflicts', { params: { query: { branchId, state } } })),
  });
  return (
    <section>
      <PageTitle>{t('nav.offlineConflicts')}</PageTitle>
      <DeskBranchPicker value={branchId} onChange={setBranchId} choices={choices} />
      <p className="muted">{t('offline.conflictsHelp')}</p>
      <div className="actions mode" role="group" aria-label={t('offline.show')}>
        {(['open', 'settled'] as const).map((s) => (
          <button key={s} type="button" aria-pressed={state === s} className={state === s ? 'primary' : undefined} onClick={() => setState(s)}>
            {t(`offline.${s}`)}
          </button>
        ))}
      </div>
      <Alert error={conflicts.error} />
      {conflicts.isPending ? (
        <Loading />
      ) : conflicts.data?.items.length ? (
        <ul className="cards" data-testid="offline-conflicts">
          {conflicts.data.items.map((c) => (
            <li key={c.id} className="card" data-code={c.code}>
              <p>
                <strong>{t(`offline.type.${c.type}`)}</strong> · <span className="mono">{c.barcode}</span>
                {c.title && <> · {c.title}</>}
                {c.card && (
                  <>
                    {' '}
                    · {t('desk.patron')}
                    {t('app.colon')}
                    <span className="mono">{c.card}</span>
                  </>
                )}
              </p>
              <p>{t('offline.recordedAt', { time: formatDateTime(c.at) })}</p>
              <p>{i18n.language === 'en' ? c.message.en : c.message.zh}</p>
              {c.settledAt ? (
                <p data-testid="settled-note">{t('offline.settledAt', { time: formatDateTime(c.settledAt), note: c.settleNote ?? '' })}</p>
              ) : (
                <Settle conflict={c} branchId={branchId} onDone={() => void queryClient.invalidateQueries({ queryKey: ['offline-conflicts', branchId] })} />
              )}
            </li>
          ))}
        </ul>
      ) : (
        <Empty />
      )}
    </section>
  );
}

function Settle({ conflict, branchId, onDone }: { conflict: Conflict; branchId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const settle = useMutation({
    mutationFn: () => call(client.POST('/api/circulation/offline/conflicts/{id}/settle', { params: { path: { id: conflict.id } }, body: { branchId, note: note.trim() } })),
    onSuccess: onDone,
  });
  return (
    <form
      className="inline"
      onSubmit={(e) => {
        e.preventDefault();
        if (note.trim()) settle.mutate();
      }}
    >
      <Field label={t('offline.note', { barcode: conflict.barcode })}>
        {(id) => <input id={id} name="note" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />}
      </Field>
      <button type="submit" disabled={!note.trim() || settle.isPending}>
        {t('offline.settle')}
      </button>
      <Alert error={settle.error} />
    </form>
  );
}
