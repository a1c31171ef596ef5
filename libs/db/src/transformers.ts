import type { ValueTransformer } from 'typeorm';

/** PostgreSQL numeric comes back from pg as a string (to keep precision); money and areas here fit a JS number. */
export const numericAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
