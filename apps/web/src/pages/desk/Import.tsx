import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { ImportReport } from '../../api/schema';
import { Alert, Field, PageTitle } from '../../components/ui';
import { DeskBranchPicker, useDeskBranch } from './desk';

const FORMATS = ['marc', 'marcxml', 'csv'] as const;

export function ImportPage() {
  const { t } = useTranslation();
  const [branchId, setBranchId, choices] = useDeskBranch();
  const [format, setFormat] = useState<(typeof FORMATS)[number] | ''>('');
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: () => {
      const form = new FormData();
      form.append('file', file!);
      return call<ImportReport>(
        client.POST('/api/catalog/import', {
          params: { query: { branchId, ...(format ? { format } : {}) } },
          body: form as never,
          bodySerializer: (body) => body as unknown as FormData,
        }),
      );
    },
  });
  return (
    <section>
      <PageTitle>{t('desk.importTitle')}</PageTitle>
      <DeskBranchPicker value={branchId} onChange={setBranchId} choices={choices} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          upload.mutate();
        }}
      >
        <Field label={t('desk.format')}>
          {(id) => (
            <select id={id} value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
              <option value="">{t('desk.formatAuto')}</option>
              {FORMATS.map((f) => (
                <option key={f} value={f}>
                  {f.toUpperCase()}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('desk.file')}>{(id) => <input id={id} type="file" accept=".mrc,.marc,.xml,.csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />}</Field>
        <button type="submit" className="primary" disabled={!file || upload.isPending}>
          {t('app.submit')}
        </button>
      </form>
      <Alert error={upload.error} success={upload.data && <span data-testid="import-report">{t('desk.imported', { ...upload.data })}</span>} />
      {upload.data && upload.data.rejections.length > 0 && (
        <>
          <h2>{t('desk.rejections')}</h2>
          <ul data-testid="import-rejections">
            {upload.data.rejections.slice(0, 50).map((r) => (
              <li key={r.index}>
                {t(r.controlNumber ? 'desk.rejectionWithControl' : 'desk.rejection', { n: r.index + 1, control: r.controlNumber, reason: r.reason })}
              </li>
            ))}
          </ul>
          {upload.data.rejections.length > 50 && <p className="muted">{t('desk.moreRejections', { n: upload.data.rejected - 50 })}</p>}
        </>
      )}
    </section>
  );
}
