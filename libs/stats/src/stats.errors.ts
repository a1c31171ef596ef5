import { defineErrors } from '@lib/errors';

export const StatsError = defineErrors({
  VISITS_ALREADY_COUNTED: {
    kind: 'conflict',
    zh: '该时段的进馆人数已上报',
    en: 'Visits for this interval have already been reported',
  },
});
