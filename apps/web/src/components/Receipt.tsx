import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Receipt } from '../api/schema';
import { formatDateTime } from '../i18n';

/** Yuan as shown everywhere: always two decimals. */
export const money = (yuan: number) => yuan.toFixed(2);

/** Receipts, newest first, each a link to its printable page. */
export function ReceiptList({ receipts, to }: { receipts: Receipt[]; to: (receiptNumber: string) => string }) {
  const { t } = useTranslation();
  if (!receipts.length) return <p>{t('fines.noReceipts')}</p>;
  return (
    <ul data-testid="receipts">
      {receipts.map((r) => (
        <li key={r.receiptNumber}>
          <Link to={to(r.receiptNumber)} className="mono">
            {r.receiptNumber}
          </Link>{' '}
          · {formatDateTime(r.paidAt)} · {t(`fines.reasons.${r.method}`)} · {t('fines.yuan', { amount: money(r.amount) })}
        </li>
      ))}
    </ul>
  );
}

/** One receipt on a page of its own, laid out to print (the print stylesheet leaves out everything else). */
export function ReceiptView({ receipt, back }: { receipt: Receipt; back: string }) {
  const { t } = useTranslation();
  return (
    <article className="printable printable-receipt" data-testid="receipt">
      <h2>{t('fines.printTitle')}</h2>
      <dl>
        <dt>{t('fines.receiptNo')}</dt>
        <dd className="mono">{receipt.receiptNumber}</dd>
        <dt>{t('fines.paidAt')}</dt>
        <dd>{formatDateTime(receipt.paidAt)}</dd>
        <dt>{t('fines.patron')}</dt>
        <dd>{receipt.patronName}</dd>
        {receipt.cardNumber && (
          <>
            <dt>{t('fines.card')}</dt>
            <dd className="mono">{receipt.cardNumber}</dd>
          </>
        )}
        <dt>{t('fines.method')}</dt>
        <dd>{t(`fines.reasons.${receipt.method}`)}</dd>
        {receipt.branchName && (
          <>
            <dt>{t('fines.branch')}</dt>
            <dd>{receipt.branchName}</dd>
          </>
        )}
      </dl>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('fines.reason')}</th>
            <th scope="col">{t('fines.amount')}</th>
          </tr>
        </thead>
        <tbody>
          {receipt.lines.map((l) => (
            <tr key={l.fineId}>
              <td>
                {t(`fines.reasons.${l.reason}`, { defaultValue: l.reason })}
                {l.title && ` · ${l.title}`}
              </td>
              <td className="num">{money(l.amount)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('fines.lineTotal')}</th>
            <td className="num">
              <strong>{t('fines.yuan', { amount: money(receipt.amount) })}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
      <p className="no-print">
        <button type="button" className="primary" onClick={() => window.print()}>
          {t('fines.print')}
        </button>{' '}
        <Link to={back}>{t('fines.back')}</Link>
      </p>
    </article>
  );
}

