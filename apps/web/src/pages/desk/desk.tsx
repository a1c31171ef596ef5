import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckinResult } from '../../api/schema';
import { Field, Options } from '../../components/ui';
import { useBranchName, useBranches } from '../../hooks';
import { formatDateTime } from '../../i18n';
import { useSession } from '../../session';

const KEY = 'culture.deskBranch';

/** The branch the desk acts at: one of the librarian's own (every branch for an administrator), remembered. */
export function useDeskBranch(): [string, (id: string) => void, Array<{ id: string; name: string }>] {
  const { me } = useSession();
  const branches = useBranches();
  const own = me?.kind === 'staff' && me.role !== 'admin' ? me.branchIds : null;
  const choices = (branches.data?.items ?? []).filter((b) => !own || own.includes(b.id));
  const [branchId, setBranchId] = useState(() => localStorage.getItem(KEY) ?? '');
  useEffect(() => {
    if (choices.length && !choices.some((b) => b.id === branchId)) setBranchId(choices[0].id);
  }, [choices, branchId]);
  const choose = (id: string) => {
    localStorage.setItem(KEY, id);
    setBranchId(id);
  };
  return [branchId, choose, choices];
}

export function DeskBranchPicker({ value, onChange, choices }: { value: string; onChange: (id: string) => void; choices: Array<{ id: string; name: string }> }) {
  const { t } = useTranslation();
  return (
    <Field label={t('desk.branch')}>
      {(id) => (
        <select id={id} name="deskBranch" value={value} onChange={(e) => onChange(e.target.value)}>
          <Options items={choices} label={(b) => b.name} />
        </select>
      )}
    </Field>
  );
}

/** A card QR token is a signed token (three dot-separated parts); anything else is a card number. */
export const cardField = (scanned: string): { cardToken: string } | { cardNumber: string } =>
  scanned.split('.').length === 3 ? { cardToken: scanned } : { cardNumber: scanned };

/** What to do with a checked-in copy, in a few words: shelve here, the hold shelf (for whom, until when), or send where. */
export function useRoutingHeadline(): (r: CheckinResult) => string {
  const { t } = useTranslation();
  const branchName = useBranchName();
  return (r) =>
    r.action === 'shelve'
      ? t('desk.shelve')
      : r.action === 'hold-shelf'
        ? r.holdFor?.pickupBy
          ? t('desk.holdShelfFor', { name: r.holdFor.patronName, date: formatDateTime(r.holdFor.pickupBy, false) })
          : t('desk.holdShelf', { name: r.holdFor?.patronName ?? '' })
        : t('desk.transit', { branch: branchName(r.destinationBranchId) });
}
