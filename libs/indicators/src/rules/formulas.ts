/**
 * Everything an automatic indicator needs about one region (or branch) and one year, gathered by the
 * indicator service in a few queries over the rollups and the network. Formulas below are pure.
 */
export interface Facts {
  /** Resident population for the year (null for a branch or when unknown). */
  population: number | null;
  /** Months of the year that have begun (12 for a past year). */
  months: number;
  itemsHeld: number;
  itemsAdded: number;
  loans: number;
  visits: number;
  participants: number;
  /** Delivered services: category, provider kind, the kind of region served (community, village, …), count. */
  deliveries: Array<{ category: string; providerKind: string; regionKind: string; count: number }>;
  ratings: { count: number; high: number };
  /** Branches of the area (its structure now). */
  branches: Array<{ kind: string; level: string; floorArea: number | null; sharedCirculation: boolean; weeklyHours: number; staff: number }>;
  /** Weekly hours of e-reading rooms at libraries. */
  eReadingRoomHours: number[];
  subdistricts: { count: number; withEReading: number };
  communities: { count: number; withServicePoint: number; withEReading: number; organizerSeats: number };
  villages: number;
  /** Floor-area standards (m²). */
  standards: { subdistrictCentreArea: number; communityCentreArea: number };
}

export interface Figure {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}

const LIBRARY_KINDS = ['library'];
const CENTRE_KINDS = ['cultural_centre', 'integrated_centre'];
/** Subdistrict-level cultural centres (综合文化中心), as opposed to subdistrict library branches. */
const isSubdistrictCentre = (b: Facts['branches'][number]) => b.level === 'branch' && CENTRE_KINDS.includes(b.kind);
const GRASSROOTS = ['community', 'village'];
const SHARED_CIRCULATION_KINDS = ['library', 'integrated_centre', 'service_point'];

const ratio = (numerator: number | null, denominator: number | null, scale = 1, digits = 4): Figure => ({
  numerator,
  denominator,
  value: numerator === null || !denominator ? null : round((numerator / denominator) * scale, digits),
});
const count = (n: number): Figure => ({ value: n, numerator: n, denominator: null });
const mean = (values: number[]): Figure => ratio(values.length ? values.reduce((a, b) => a + b, 0) : null, values.length, 1, 2);
const delivered = (f: Facts, match: (x: Facts['deliveries'][number]) => boolean) => f.deliveries.filter(match).reduce((a, x) => a + x.count, 0);

function round(n: number, digits: number): number {
  const p = 10 ** digits;
  return Math.round(n * p) / p;
}

/** The automatic indicators; a code missing here is entered by hand. */
export const FORMULAS: Record<string, (f: Facts) => Figure> = {
  subdistrict_centre_area_share: (f) => {
    const centres = f.branches.filter(isSubdistrictCentre);
    return ratio(centres.filter((b) => (b.floorArea ?? 0) >= f.standards.subdistrictCentreArea).length, centres.length, 100, 2);
  },
  books_per_head: (f) => ratio(f.itemsHeld, f.population),
  circulation_per_volume: (f) => ratio(f.loans, f.itemsHeld),
  visits_per_head: (f) => ratio(f.visits, f.population),
  new_books_per_head: (f) => ratio(f.itemsAdded, f.population),
  community_centre_coverage: (f) => ratio(f.communities.withServicePoint, f.communities.count, 100, 2),
  community_centre_area_share: (f) => {
    const points = f.branches.filter((b) => b.level === 'service_point' && b.kind !== 'mobile');
    return ratio(points.filter((b) => (b.floorArea ?? 0) >= f.standards.communityCentreArea).length, points.length, 100, 2);
  },
  subdistrict_e_reading_share: (f) => ratio(f.subdistricts.withEReading, f.subdistricts.count, 100, 2),
  community_e_reading_share: (f) => ratio(f.communities.withEReading, f.communities.count, 100, 2),
  e_reading_hours_per_week: (f) => mean(f.eReadingRoomHours),
  library_hours_per_week: (f) => mean(f.branches.filter((b) => LIBRARY_KINDS.includes(b.kind) && b.level !== 'service_point').map((b) => b.weeklyHours)),
  cultural_centre_hours_per_week: (f) => mean(f.branches.filter((b) => CENTRE_KINDS.includes(b.kind)).map((b) => b.weeklyHours)),
  screenings_per_village_month: (f) => ratio(delivered(f, (x) => x.category === 'film_screening' && x.regionKind === 'village'), f.villages * f.months, 1, 2),
  shows_per_village_year: (f) => ratio(delivered(f, (x) => x.category === 'performance' && x.regionKind === 'village'), f.villages, 1, 2),
  // Outreach is service brought to the grassroots: delivered in a community or village.
  library_outreach: (f) => count(delivered(f, (x) => x.providerKind === 'library' && GRASSROOTS.includes(x.regionKind))),
  touring_performances: (f) => count(delivered(f, (x) => x.category === 'performance' && x.providerKind === 'cultural_centre')),
  touring_exhibitions: (f) => count(delivered(f, (x) => x.category === 'exhibition' && x.providerKind === 'cultural_centre')),
  shared_circulation_share: (f) => {
    const members = f.branches.filter((b) => SHARED_CIRCULATION_KINDS.includes(b.kind));
    return ratio(members.filter((b) => b.sharedCirculation).length, members.length, 100, 2);
  },
  staff_per_subdistrict_centre: (f) => {
    const centres = f.branches.filter(isSubdistrictCentre);
    return ratio(centres.reduce((a, b) => a + b.staff, 0), centres.length, 1, 2);
  },
  organizers_per_community: (f) => ratio(f.communities.organizerSeats, f.communities.count, 1, 2),
  satisfaction_index: (f) => ratio(f.ratings.high, f.ratings.count, 100, 2),
  activity_participants: (f) => count(f.participants),
};

export function computeIndicator(code: string, facts: Facts): Figure | null {
  const formula = FORMULAS[code];
  return formula ? formula(facts) : null;
}
