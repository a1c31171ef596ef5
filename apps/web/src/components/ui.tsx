import { type ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/** A labelled form field: the label is tied to the control for screen readers. */
export function Field({ label, hint, children }: { label: string; hint?: string; children: (id: string, describedBy?: string) => ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id, hintId)}
      {hint && (
        <small id={hintId} className="hint">
          {hint}
        </small>
      )}
    </div>
  );
}

/** Errors and confirmations announced to screen readers. */
export function Alert({ error, success }: { error?: unknown; success?: ReactNode }) {
  const { t } = useTranslation();
  if (error) {
    const message = error instanceof ApiError ? error.message : error instanceof Error ? error.message : t('app.error');
    return (
      <p role="alert" className="alert error" data-code={error instanceof ApiError ? error.code : undefined}>
        {message}
      </p>
    );
  }
  if (success) {
    return (
      <p role="status" className="alert success">
        {success}
      </p>
    );
  }
  return null;
}

export function Loading() {
  const { t } = useTranslation();
  return <p aria-busy="true">{t('app.loading')}</p>;
}

export function Empty() {
  const { t } = useTranslation();
  return <p className="muted">{t('app.none')}</p>;
}

export function PageTitle({ children }: { children: ReactNode }) {
  return <h1 tabIndex={-1}>{children}</h1>;
}

/** The options of a select over records with an id, after an optional blank choice ("—" or "all"). */
export function Options<T extends { id: string }>({ items, label, blank }: { items: readonly T[] | undefined; label: (item: T) => string; blank?: string }) {
  return (
    <>
      {blank !== undefined && <option value="">{blank}</option>}
      {items?.map((item) => (
        <option key={item.id} value={item.id}>
          {label(item)}
        </option>
      ))}
    </>
  );
}
