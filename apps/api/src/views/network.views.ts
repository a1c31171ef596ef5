import { Type } from '@sinclair/typebox';
import { Nullable, OneOf, Page, Shape, Uuid, View } from '../http/answers';

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
