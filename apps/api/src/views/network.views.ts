import { Type } from '@sinclair/typebox';
import { Day, Nullable, OneOf, Page, Shape, Timestamp, Uuid, View } from '../http/answers';

export const Region = View(
  'Region',
  Shape({
    id: Uuid(),
    code: Nullable(Type.String()),
    name: Type.String(),
    kind: OneOf(['district', 'subdistrict', 'community', 'village'] as const),
    parentId: Nullable(Uuid()),
    population: Nullable(Type.Integer({ description: 'resident population of the year asked for (latest when none)' })),
    populationYear: Nullable(Type.Integer()),
    populations: Type.Array(Shape({ year: Type.Integer(), population: Type.Integer() }), { description: 'every year on record, oldest first' }),
  }),
);
export const RegionPage = View('RegionPage', Page(Region));

const OpeningInterval = Shape({ opens: Type.String({ description: 'local "HH:mm"' }), closes: Type.String({ description: 'local "HH:mm", may be "24:00"' }) });

export const Branch = View(
  'Branch',
  Shape({
    id: Uuid(),
    code: Nullable(Type.String()),
    name: Type.String(),
    kind: OneOf(['library', 'cultural_centre', 'integrated_centre', 'service_point', 'mobile'] as const),
    level: OneOf(['central', 'branch', 'service_point'] as const),
    regionId: Uuid(),
    parentId: Nullable(Uuid()),
    address: Nullable(Type.String()),
    floorArea: Nullable(Type.Number({ description: 'square metres' })),
    facilities: Type.Array(Type.String()),
    sharedCirculation: Type.Boolean({ description: 'takes part in borrow-anywhere, return-anywhere (通借通还)' }),
    timeZone: Type.String({ description: 'IANA zone the branch’s hours and days are read in' }),
    openingHours: Type.Array(Type.Composite([Shape({ weekday: Type.Integer({ minimum: 1, maximum: 7 }) }), OpeningInterval])),
  }),
);
export const BranchPage = View('BranchPage', Page(Branch));

/** One ISO week of a branch, day by day, calendar exceptions applied. */
export const WeekHours = View(
  'WeekHours',
  Shape({
    week: Type.String({ description: 'ISO week, e.g. 2026-W48' }),
    timeZone: Type.String(),
    from: Day(),
    to: Day(),
    days: Type.Array(
      Shape({
        date: Day(),
        weekday: Type.Integer({ minimum: 1, maximum: 7 }),
        intervals: Type.Array(OpeningInterval),
        hours: Type.Number(),
        exception: Type.Optional(Shape({ reason: Type.Optional(Type.String()) })),
      }),
    ),
    totalHours: Type.Number(),
  }),
);

export const OpenAt = View('OpenAt', Shape({ at: Timestamp(), open: Type.Boolean() }));

/** A day with hours of its own: `intervals: []` is closed all day. */
export const CalendarException = View(
  'CalendarException',
  Shape({ date: Day(), intervals: Type.Array(OpeningInterval), reason: Type.Optional(Type.String()) }),
);
