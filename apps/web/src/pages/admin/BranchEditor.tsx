import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { OpeningInterval } from '../../api/client';
import type { Branch } from '../../api/schema';
import { Alert, Field } from '../../components/ui';
import { hoursText, parseHours } from '../../lib/opening-hours';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** Edit a branch: name, floor area, address and its weekly opening hours (which the indicators use). */
export function BranchEditor({ branch }: { branch: Branch }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState(branch.name);
  const [floorArea, setFloorArea] = useState(branch.floorArea === null ? '' : String(branch.floorArea));
  const [address, setAddress] = useState(branch.address ?? '');
  const [days, setDays] = useState(() => WEEKDAYS.map((d) => hoursText(branch.openingHours, d)));
  const [invalid, setInvalid] = useState<number[]>([]);
  const hintId = useId();
  const save = useMutation({
    mutationFn: (openingHours: OpeningInterval[]) =>
      call<Branch>(
        client.PATCH('/api/branches/{id}', {
          params: { path: { id: branch.id } },
          body: { name, address: address || undefined, floorArea: floorArea === '' ? undefined : Number(floorArea), openingHours },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['branches'] }),
  });
  return (
    <form
      className="filters"
      aria-label={t('admin.editBranch', { name: branch.name })}
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = WEEKDAYS.map((d, i) => parseHours(days[i], d));
        const bad = WEEKDAYS.filter((_, i) => parsed[i] === null);
        setInvalid(bad);
        if (bad.length === 0) save.mutate(parsed.flatMap((p) => p!));
        else save.reset();
      }}
    >
      <Field label={t('admin.name')}>{(id) => <input id={id} required value={name} onChange={(e) => setName(e.target.value)} />}</Field>
      <Field label={t('admin.address')}>{(id) => <input id={id} value={address} onChange={(e) => setAddress(e.target.value)} />}</Field>
      <Field label={t('admin.floorArea')}>{(id) => <input id={id} type="number" min={0} value={floorArea} onChange={(e) => setFloorArea(e.target.value)} />}</Field>
      <p className="wide hint" id={hintId}>
        {t('admin.hoursHint')}
      </p>
      {WEEKDAYS.map((d, i) => (
        <Field key={d} label={t('admin.hoursOn', { day: t(`admin.weekdays.${d}`) })}>
          {(id) => (
            <input
              id={id}
              aria-describedby={hintId}
              aria-invalid={invalid.includes(d) || undefined}
              inputMode="numeric"
              value={days[i]}
              onChange={(e) => setDays(days.map((v, j) => (j === i ? e.target.value : v)))}
            />
          )}
        </Field>
      ))}
      <p className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {t('app.save')}
        </button>
      </p>
      <div className="wide">
        {invalid.length > 0 && (
          <p role="alert" className="alert error">
            {t('admin.hoursInvalid', { days: invalid.map((d) => t(`admin.weekdays.${d}`)).join(t('app.listSep')) })}
          </p>
        )}
        <Alert error={save.error} success={save.data && t('admin.saved')} />
      </div>
    </form>
  );
}
