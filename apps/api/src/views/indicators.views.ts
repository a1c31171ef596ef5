import { Type } from '@sinclair/typebox';
import { Nullable, OneOf, Shape, Timestamp, Uuid, View } from '../http/answers';

const IndicatorStatus = OneOf(['meets', 'does_not_meet', 'no_data'] as const);

const IndicatorRowFields = {
  code: Type.String(),
  name: Type.String({ description: 'in the language the request asked for' }),
  unit: Type.String(),
  method: OneOf(['auto', 'manual'] as const),
  direction: OneOf(['higher', 'lower', 'range'] as const),
  formula: Type.String(),
  value: Nullable(Type.Number()),
  target: Nullable(Type.Number()),
  targetMax: Nullable(Type.Number()),
  baseline: Nullable(Type.Number()),
  status: IndicatorStatus,
  gap: Nullable(Type.Number()),
  source: Type.String({ description: '"platform", a manual figure’s source, or "manual: not entered"' }),
  numerator: Nullable(Type.Number()),
  denominator: Nullable(Type.Number()),
  trend: Type.Array(Shape({ year: Type.Integer(), value: Nullable(Type.Number()) }), { description: 'the last four years, oldest first' }),
};
export const IndicatorRow = View('IndicatorRow', Shape(IndicatorRowFields));

export const IndicatorReport = View(
  'IndicatorReport',
  Shape({
    plan: Shape({ id: Uuid(), code: Type.String(), name: Type.String(), fromYear: Type.Integer(), toYear: Type.Integer() }),
    year: Type.Integer(),
    region: Shape({ id: Uuid(), name: Type.String() }),
    complianceRate: Nullable(Type.Number({ description: 'share of indicators with data that meet their target' })),
    meeting: Type.Integer(),
    total: Type.Integer(),
    indicators: Type.Array(IndicatorRow),
  }),
);

/** One indicator with its trend and, when `by` was asked for, a breakdown by branch, sub-region or month. */
export const IndicatorDetail = View(
  'IndicatorDetail',
  Shape({
    ...IndicatorRowFields,
    by: Type.Optional(OneOf(['branch', 'region', 'month'] as const)),
    breakdown: Nullable(
      Type.Array(
        Shape({
          key: Type.String({ description: 'branch or region id, or YYYY-MM' }),
          name: Type.String(),
          value: Nullable(Type.Number()),
          numerator: Nullable(Type.Number()),
          denominator: Nullable(Type.Number()),
        }),
      ),
    ),
  }),
);

export const IndicatorManualEntry = View(
  'IndicatorManualEntry',
  Shape({
    id: Type.String({ description: 'bigint' }),
    indicatorCode: Type.String(),
    year: Type.Integer(),
    regionId: Uuid(),
    value: Type.Number(),
    source: Type.String(),
    enteredBy: Uuid(),
    enteredAt: Timestamp(),
  }),
);

/** The figure now in force (the latest entry) and every entry, newest first. */
export const IndicatorManualValue = View(
  'IndicatorManualValue',
  Shape({ code: Type.String(), year: Type.Integer(), regionId: Uuid(), value: Type.Number(), source: Type.String(), history: Type.Array(IndicatorManualEntry) }),
);

export const IndicatorPlan = View(
  'IndicatorPlan',
  Shape({
    id: Uuid(),
    code: Type.String(),
    name: Type.String(),
    description: Nullable(Type.String()),
    fromYear: Type.Integer(),
    toYear: Type.Integer(),
    createdAt: Timestamp(),
    indicatorCount: Type.Integer({ description: 'indicators with a target in the plan' }),
  }),
);

/** A door counter's or digital platform's report, as recorded (counted on the day the interval began). */
export const CountReport = View('CountReport', Shape({ branchId: Uuid(), count: Type.Integer(), from: Timestamp(), to: Timestamp() }));

const UsageFigures = { events: Type.Number(), quantity: Type.Number() };
export const UsageSeries = View(
  'UsageSeries',
  Shape({
    metric: Type.String(),
    groupBy: OneOf(['day', 'month'] as const),
    series: Type.Array(Shape({ period: Type.String({ description: 'YYYY-MM-DD or YYYY-MM' }), ...UsageFigures })),
    total: Shape(UsageFigures),
  }),
);
