import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { PolicyRule } from '../../api/schema';
import { Alert, Loading, PageTitle } from '../../components/ui';
import { useBranchName } from '../../hooks';

interface Policies {
  rules: PolicyRule[];
  floatingPairs: unknown[];
}

const NUMBERS = ['loanDays', 'maxLoans', 'renewalsAllowed', 'maxHolds', 'holdPickupDays'] as const;

/** The policy matrix (patron category × item type × branch; the most specific rule wins), edited in place. */
export function PoliciesPage() {
  const { t } = useTranslation();
  const branchName = useBranchName();
  const queryClient = useQueryClient();
  const policies = useQuery({ queryKey: ['policies'], queryFn: () => call<Policies>(client.GET('/api/circulation/policies')) });
  const [rules, setRules] = useState<PolicyRule[]>([]);
  useEffect(() => {
    if (policies.data) setRules(policies.data.rules);
  }, [policies.data]);
  const save = useMutation({
    mutationFn: () => call(client.PUT('/api/circulation/policies', { body: { rules, floatingPairs: policies.data?.floatingPairs ?? [] } as never })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['policies'] }),
  });
  const scope = (r: PolicyRule) => [r.patronCategory, r.itemType, r.branchId && branchName(r.branchId)].filter(Boolean).join(' · ') || t('admin.networkDefault');
  return (
    <section>
      <PageTitle>{t('admin.policies')}</PageTitle>
      <Alert error={policies.error} />
      {policies.isPending ? (
        <Loading />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <div className="grid-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('admin.scope')}</th>
                  {NUMBERS.map((k) => (
                    <th key={k} scope="col">
                      {t(`admin.${k}`)}
                    </th>
                  ))}
                  <th scope="col">{t('fines.overdueDays')}</th>
                </tr>
              </thead>
              <tbody>
                {rules.map((r, i) => (
                  <tr key={i}>
                    <th scope="row">{scope(r)}</th>
                    {NUMBERS.map((k) => (
                      <td key={k}>
                        <input
                          type="number"
                          min={0}
                          className="num"
                          aria-label={`${scope(r)} ${t(`admin.${k}`)}`}
                          value={r[k]}
                          onChange={(e) => setRules(rules.map((x, j) => (j === i ? { ...x, [k]: Number(e.target.value) } : x)))}
                        />
                      </td>
                    ))}
                    <td>
                      <select
                        aria-label={`${scope(r)} ${t('fines.overdueDays')}`}
                        value={r.overdueDays}
                        onChange={(e) => setRules(rules.map((x, j) => (j === i ? { ...x, overdueDays: e.target.value as PolicyRule['overdueDays'] } : x)))}
                      >
                        <option value="open">{t('fines.overdueOpen')}</option>
                        <option value="calendar">{t('fines.overdueCalendar')}</option>
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button type="submit" className="primary" disabled={save.isPending}>
            {t('app.save')}
          </button>
          <Alert error={save.error} success={save.isSuccess ? t('admin.saved') : undefined} />
        </form>
      )}
    </section>
  );
}
