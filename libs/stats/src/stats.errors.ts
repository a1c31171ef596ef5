import { defineErrors } from '@lib/errors';

export const StatsError = defineErrors({
  VISITS_ALREADY_COUNTED: {
    kind: 'conflict',
    zh: '该时段与已上报的进馆人数时段重叠',
    en: 'This interval overlaps one whose visits have already been reported',
  },
});
