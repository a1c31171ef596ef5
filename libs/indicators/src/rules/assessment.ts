import type { Direction } from './catalogue';

export type Status = 'meets' | 'does_not_meet' | 'no_data';

/** Meets its target or not, and by how much (positive gap: short of the target; 0 when met). */
export function assess(value: number | null, target: { target: number; targetMax: number | null } | null, direction: Direction): { status: Status; gap: number | null } {
  if (value === null || !target) return { status: 'no_data', gap: null };
  const short =
    direction === 'lower'
      ? value - target.target
      : direction === 'range'
        ? value < target.target
          ? target.target - value
          : target.targetMax !== null && value > target.targetMax
            ? value - target.targetMax
            : 0
        : target.target - value;
  const gap = Math.max(0, Math.round(short * 10_000) / 10_000);
  return { status: gap > 0 ? 'does_not_meet' : 'meets', gap };
}

/** The plan's compliance: indicators meeting their target over the indicators with a target. */
export function complianceRate(statuses: Status[]): { meeting: number; total: number; rate: number | null } {
  const total = statuses.length;
  const meeting = statuses.filter((s) => s === 'meets').length;
  return { meeting, total, rate: total ? Math.round((meeting / total) * 10_000) / 100 : null };
}
