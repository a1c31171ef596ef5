import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { Page } from '../../api/client';
import type { BulkEditPreview, RecordView } from '../../api/schema';
import { Alert, Field, Options, PageTitle } from '../../components/ui';
import { useBranches } from '../../hooks';
import { useSession } from '../../session';

const ITEM_TYPES = ['book', 'periodical', 'audiovisual', 'children'] as const;
type ItemType = (typeof ITEM_TYPES)[number];

/** Barcodes pasted from a list or scanned one a line; commas, semicolons and spaces separate too. */
const barcodesOf = (text: string) => [...new Set(text.split(/[\s,;，；、]+/).filter(Boolean))];

/** 批量修改: one change for many copies. Preview first (what changes, which barcodes are unknown), then apply all or nothing. */
export function BulkEditPage() {
  const { t } = useTranslation();
  const branches = useBranches();
  const previewHeading = useId();
  const [text, setText] = useState('');
  const [homeBranchId, setHomeBranchId] = useState('');
  const [itemType, setItemType] = useState<ItemType | ''>('');
  const [location, setLocation] = useState('');
  const [clearLocation, setClearLocation] = useState(false);
  const [applied, setApplied] = useState<number | null>(null);

  // A catalogue search adds the copies of a title that the librarian's branches own (every copy, for an administrator).
  const { me } = useSession();
  const own = me?.kind === 'staff' && me.role !== 'admin' ? me.branchIds : null;
  const [query, setQuery] = useState('');
  const search = useMutation({
    mutationFn: (q: string) => call<Page<RecordView>>(client.GET('/api/catalog/search', { params: { query: { q } } })),
  });
  const addCopiesOf = useMutation({
    mutationFn: (id: string) =>
      call<{ items: Array<{ barcode: string; homeBranchId: string }> }>(client.GET('/api/catalog/records/{id}', { params: { path: { id } } })),
    onSuccess: (record) => {
      const added = record.items.filter((i) => !own || own.includes(i.homeBranchId)).map((i) => i.barcode);
      edit(setText)(barcodesOf(`${text}\n${added.join('\n')}`).join('\n'));
    },
  });

  const body = () => ({
    barcodes: barcodesOf(text),
    ...(homeBranchId ? { homeBranchId } : {}),
    ...(itemType ? { itemType } : {}),
    ...(clearLocation ? { shelvingLocation: null } : location.trim() ? { shelvingLocation: location.trim() } : {}),
  });
  const preview = useMutation({
    mutationFn: () => call<BulkEditPreview>(client.POST('/api/catalog/items/bulk-edit/preview', { body: body() })),
    onMutate: () => setApplied(null),
  });
  const apply = useMutation({
    mutationFn: () => call<BulkEditPreview>(client.POST('/api/catalog/items/bulk-edit', { body: body() })),
    onSuccess: (done) => {
      setApplied(done.changing);
      preview.reset();
    },
  });
  // Any change to the form makes the preview stale: it must be seen again before applying.
  const edit = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    preview.reset();
    setApplied(null);
  };
  const p = preview.data;
  const blocked = !p || p.unknown.length > 0 || p.notYours.length > 0 || p.changing === 0;
  const nameOf = (id: string | null) => branches.data?.items.find((b) => b.id === id)?.name ?? id ?? '—';
  const typeName = (v: string | null) => (v ? t(`bulkEdit.itemTypes.${v}`) : '—');
  const sep = t('app.listSep');

  return (
    <section>
      <PageTitle>{t('bulkEdit.nav')}</PageTitle>
      <p className="muted">{t('bulkEdit.help')}</p>
      <form
        role="search"
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          if (query.trim()) search.mutate(query.trim());
        }}
      >
        <Field label={t('bulkEdit.search')}>
          {(id) => <input id={id} type="search" name="q" value={query} onChange={(e) => setQuery(e.target.value)} />}
        </Field>
        <button type="submit" disabled={!query.trim() || search.isPending}>
          {t('app.search')}
        </button>
      </form>
      <Alert error={search.error ?? addCopiesOf.error} />
      {search.data && (
        <ul data-testid="bulk-search-results">
          {search.data.items.length === 0 && <li className="muted">{t('catalogue.noResults')}</li>}
          {search.data.items.map((r) => (
            <li key={r.id}>
              {r.title}
              {r.callNumber && <span className="mono"> {r.callNumber}</span>}{' '}
              <button type="button" className="link" disabled={addCopiesOf.isPending} onClick={() => addCopiesOf.mutate(r.id)}>
                {t('bulkEdit.addCopies', { title: r.title })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          preview.mutate();
        }}
      >
        <Field label={t('bulkEdit.barcodes')}>
          {(id) => <textarea id={id} name="barcodes" rows={6} value={text} onChange={(e) => edit(setText)(e.target.value)} />}
        </Field>
        <fieldset className="field">
          <legend>{t('bulkEdit.fields')}</legend>
          <Field label={t('bulkEdit.homeBranch')}>
            {(id) => (
              <select id={id} name="homeBranchId" value={homeBranchId} onChange={(e) => edit(setHomeBranchId)(e.target.value)}>
                <Options items={branches.data?.items} label={(b) => b.name} blank={t('bulkEdit.unchanged')} />
              </select>
            )}
          </Field>
          <Field label={t('bulkEdit.itemType')}>
            {(id) => (
              <select id={id} name="itemType" value={itemType} onChange={(e) => edit(setItemType)(e.target.value as ItemType | '')}>
                <option value="">{t('bulkEdit.unchanged')}</option>
                {ITEM_TYPES.map((v) => (
                  <option key={v} value={v}>
                    {t(`bulkEdit.itemTypes.${v}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('bulkEdit.shelvingLocation')} hint={t('bulkEdit.locationHint')}>
            {(id, hint) => (
              <input id={id} name="shelvingLocation" aria-describedby={hint} maxLength={64} disabled={clearLocation} value={location} onChange={(e) => edit(setLocation)(e.target.value)} />
            )}
          </Field>
          <label className="check">
            <input type="checkbox" checked={clearLocation} onChange={(e) => edit(setClearLocation)(e.target.checked)} /> {t('bulkEdit.clearLocation')}
          </label>
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" disabled={!barcodesOf(text).length || preview.isPending}>
            {t('bulkEdit.preview')}
          </button>
        </div>
      </form>
      <Alert error={preview.error ?? apply.error} success={applied !== null ? t('bulkEdit.applied', { n: applied }) : undefined} />

      {p && (
        <section aria-labelledby={previewHeading} data-testid="bulk-preview">
          <h2 id={previewHeading}>{t('bulkEdit.preview')}</h2>
          {p.unknown.length > 0 && (
            <p role="alert" className="alert error" data-testid="bulk-unknown">
              {t('bulkEdit.unknown', { barcodes: p.unknown.join(sep) })}
            </p>
          )}
          {p.notYours.length > 0 && (
            <p role="alert" className="alert error">
              {t('bulkEdit.notYours', { barcodes: p.notYours.join(sep) })}
            </p>
          )}
          <p role="status">{t('bulkEdit.changing', { n: p.changing, same: p.items.length - p.changing })}</p>
          <div className="grid-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('pullList.barcode')}</th>
                  <th scope="col">{t('pullList.title')}</th>
                  <th scope="col">{t('bulkEdit.status')}</th>
                  <th scope="col">{t('bulkEdit.change')}</th>
                </tr>
              </thead>
              <tbody>
                {p.items.map((item) => {
                  const c = item.changes;
                  const lines = [
                    c.homeBranchId && `${t('bulkEdit.homeBranch')}${t('app.colon')}${c.homeBranchId.fromName ?? nameOf(c.homeBranchId.from)} → ${c.homeBranchId.toName ?? nameOf(c.homeBranchId.to)}`,
                    c.itemType && `${t('bulkEdit.itemType')}${t('app.colon')}${typeName(c.itemType.from)} → ${typeName(c.itemType.to)}`,
                    c.shelvingLocation && `${t('bulkEdit.shelvingLocation')}${t('app.colon')}${c.shelvingLocation.from ?? '—'} → ${c.shelvingLocation.to ?? '—'}`,
                  ].filter(Boolean) as string[];
                  return (
                    <tr key={item.barcode} data-barcode={item.barcode}>
                      <td className="mono">{item.barcode}</td>
                      <td>{item.title}</td>
                      <td>{t(`bulkEdit.itemStatus.${item.status}`)}</td>
                      <td>{lines.length ? lines.map((l) => <div key={l}>{l}</div>) : <span className="muted">{t('bulkEdit.noChange')}</span>}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="actions">
            <button type="button" className="primary" disabled={blocked || apply.isPending} onClick={() => apply.mutate()}>
              {t('bulkEdit.apply', { n: p.changing })}
            </button>
          </div>
        </section>
      )}
    </section>
  );
}
