import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckinResult } from '../../api/schema';
import { useBranchName } from '../../hooks';
import { formatDateTime } from '../../i18n';

type Kind = 'hold' | 'transit';

/**
 * 打印预约单 / 打印调拨单: the slip that goes in a checked-in copy, opened on screen, then printed (print CSS
 * prints the slip alone). A hold slip names the reader masked and the card's last four digits, never more.
 */
export function CheckinSlips({ result, branchId }: { result: CheckinResult; branchId: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<Kind | null>(null);
  const kinds: Kind[] = [...(result.holdId ? (['hold'] as const) : []), ...(result.action === 'transit' ? (['transit'] as const) : [])];
  if (!kinds.length) return null;
  return (
    <>
      <div className="actions">
        {kinds.map((kind) => (
          <button key={kind} type="button" aria-expanded={open === kind} onClick={() => setOpen(open === kind ? null : kind)}>
            {t(kind === 'hold' ? 'slip.printHold' : 'slip.printTransit')}
          </button>
        ))}
      </div>
      {open && <Slip kind={open} result={result} branchId={branchId} onClose={() => setOpen(null)} />}
    </>
  );
}

function Slip({ kind, result, branchId, onClose }: { kind: Kind; result: CheckinResult; branchId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const branchName = useBranchName();
  const heading = useId();
  const date = formatDateTime(`${result.checkedInOn}T12:00:00Z`, false, 'UTC');
  const rows: Array<[string, string]> =
    kind === 'hold'
      ? [
          [t('slip.reader'), result.holdFor?.patronName ?? '—'],
          [t('slip.cardTail'), result.holdFor?.cardLast4 ?? '—'],
          [t('slip.pickup'), result.destinationName],
          ...(result.holdFor?.pickupBy ? ([[t('slip.pickupBy'), formatDateTime(result.holdFor.pickupBy, false)]] as Array<[string, string]>) : []),
          [t('slip.title'), result.title],
          [t('slip.barcode'), result.barcode],
          [t('slip.date'), date],
        ]
      : [
          [t('slip.destination'), result.destinationName],
          [t('slip.from'), branchName(branchId)],
          [t('slip.reason'), result.holdId ? t('slip.forHold') : t('slip.returnHome')],
          [t('slip.title'), result.title],
          [t('slip.barcode'), result.barcode],
          [t('slip.date'), date],
        ];
  return (
    <section className="slip printable" aria-labelledby={heading} data-testid={`${kind}-slip`}>
      <h2 id={heading}>{t(kind === 'hold' ? 'slip.holdTitle' : 'slip.transitTitle')}</h2>
      <dl>
        {rows.map(([term, value]) => (
          <div key={term} style={{ display: 'contents' }}>
            <dt>{term}</dt>
            <dd className={term === t('slip.barcode') ? 'mono' : undefined}>{value}</dd>
          </div>
        ))}
      </dl>
      <div className="actions no-print">
        <button type="button" className="primary" onClick={() => window.print()}>
          {t('slip.print')}
        </button>
        <button type="button" onClick={onClose}>
          {t('slip.close')}
        </button>
      </div>
    </section>
  );
}
