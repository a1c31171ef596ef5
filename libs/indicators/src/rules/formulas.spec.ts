import { assess, complianceRate } from './assessment';
import { INDICATORS } from './catalogue';
import { computeIndicator, Facts, FORMULAS } from './formulas';
import { STANDARD_PLANS } from './standard-plans';

const facts = (over: Partial<Facts> = {}): Facts => ({
  population: 1000,
  months: 12,
  itemsHeld: 800,
  itemsAdded: 60,
  loans: 400,
  visits: 300,
  participants: 0,
  deliveries: [],
  ratings: { count: 0, high: 0 },
  branches: [],
  eReadingRoomHours: [],
  subdistricts: { count: 0, withEReading: 0 },
  communities: { count: 0, withServicePoint: 0, withEReading: 0, organizerSeats: 0 },
  villages: 0,
  standards: { subdistrictCentreArea: 1000, communityCentreArea: 200 },
  ...over,
});

describe('indicator formulas', () => {
  it('computes the per-head and per-volume figures of the Haidian table', () => {
    expect(computeIndicator('books_per_head', facts())?.value).toBe(0.8);
    expect(computeIndicator('circulation_per_volume', facts())?.value).toBe(0.5);
    expect(computeIndicator('visits_per_head', facts())?.value).toBe(0.3);
    expect(computeIndicator('new_books_per_head', facts())?.value).toBe(0.06);
  });

  it('has no value without a population or a denominator', () => {
    expect(computeIndicator('books_per_head', facts({ population: null }))).toEqual({ value: null, numerator: 800, denominator: null });
    expect(computeIndicator('circulation_per_volume', facts({ itemsHeld: 0 }))?.value).toBeNull();
  });

  it('counts screenings per village per month and shows per village per year from deliveries in villages', () => {
    const deliveries = [
      { category: 'film_screening', providerKind: 'cultural_centre', regionKind: 'village', count: 18 },
      { category: 'film_screening', providerKind: 'cultural_centre', regionKind: 'community', count: 50 },
      { category: 'performance', providerKind: 'cultural_centre', regionKind: 'village', count: 9 },
      { category: 'performance', providerKind: 'organisation', regionKind: 'village', count: 3 },
      { category: 'lecture', providerKind: 'library', regionKind: 'community', count: 7 },
      { category: 'lecture', providerKind: 'library', regionKind: 'district', count: 4 },
      { category: 'exhibition', providerKind: 'integrated_centre', regionKind: 'community', count: 2 },
      { category: 'exhibition', providerKind: 'cultural_centre', regionKind: 'village', count: 1 },
    ];
    const f = facts({ deliveries, villages: 3, months: 6 });
    expect(computeIndicator('screenings_per_village_month', f)?.value).toBe(1); // 18 / (3 × 6)
    expect(computeIndicator('shows_per_village_year', f)?.value).toBe(4); // 12 / 3
    expect(computeIndicator('touring_performances', f)?.value).toBe(9);
    expect(computeIndicator('touring_exhibitions', f)?.value).toBe(1); // the cultural centre's, not a subdistrict centre's
    expect(computeIndicator('library_outreach', f)?.value).toBe(7); // at the grassroots only
    expect(computeIndicator('screenings_per_village_month', facts({ deliveries, villages: 3, months: 0 }))?.value).toBeNull();
  });

  it('averages opening hours by branch kind and checks area standards', () => {
    const branches = [
      { kind: 'library', level: 'central', floorArea: 20000, sharedCirculation: true, weeklyHours: 72, staff: 20 },
      { kind: 'library', level: 'branch', floorArea: 1200, sharedCirculation: true, weeklyHours: 56, staff: 4 },
      { kind: 'integrated_centre', level: 'branch', floorArea: 900, sharedCirculation: false, weeklyHours: 60, staff: 2 },
      { kind: 'cultural_centre', level: 'central', floorArea: 8000, sharedCirculation: false, weeklyHours: 60, staff: 10 },
      { kind: 'service_point', level: 'service_point', floorArea: 250, sharedCirculation: true, weeklyHours: 40, staff: 0 },
      { kind: 'service_point', level: 'service_point', floorArea: 120, sharedCirculation: false, weeklyHours: 30, staff: 0 },
    ];
    const f = facts({ branches });
    expect(computeIndicator('library_hours_per_week', f)?.value).toBe(64);
    expect(computeIndicator('cultural_centre_hours_per_week', f)?.value).toBe(60);
    expect(computeIndicator('subdistrict_centre_area_share', f)?.value).toBe(0); // the one subdistrict centre has 900 m² < 1,000
    expect(computeIndicator('community_centre_area_share', f)?.value).toBe(50);
    expect(computeIndicator('shared_circulation_share', f)?.value).toBe(60); // 3 of 5 libraries, centres and points
    expect(computeIndicator('staff_per_subdistrict_centre', f)?.value).toBe(2); // the integrated centre's 2; the library branch is not a centre
  });

  it('leaves manual indicators to people, and every plan target names a known indicator', () => {
    expect(computeIndicator('museums', facts())).toBeNull();
    const codes = new Set(INDICATORS.map((i) => i.code));
    for (const code of Object.keys(FORMULAS)) expect(INDICATORS.find((i) => i.code === code)?.method).toBe('auto');
    for (const plan of STANDARD_PLANS) for (const [code] of plan.targets) expect(codes).toContain(code);
    expect(STANDARD_PLANS[0].targets).toHaveLength(42);
  });
});

describe('assessment', () => {
  it('meets a higher-is-better target at or above it, with the gap when short', () => {
    expect(assess(0.8, { target: 1, targetMax: null }, 'higher')).toEqual({ status: 'does_not_meet', gap: 0.2 });
    expect(assess(1.2, { target: 1, targetMax: null }, 'higher')).toEqual({ status: 'meets', gap: 0 });
    expect(assess(2, { target: 1, targetMax: null }, 'lower')).toEqual({ status: 'does_not_meet', gap: 1 });
  });

  it('meets a range only inside it', () => {
    const range = { target: 3, targetMax: 6 };
    expect(assess(4, range, 'range').status).toBe('meets');
    expect(assess(2, range, 'range')).toEqual({ status: 'does_not_meet', gap: 1 });
    expect(assess(7.5, range, 'range')).toEqual({ status: 'does_not_meet', gap: 1.5 });
  });

  it('has no data without a value or a target, and rates compliance over all the plan’s indicators', () => {
    expect(assess(null, { target: 1, targetMax: null }, 'higher').status).toBe('no_data');
    expect(complianceRate(['meets', 'meets', 'does_not_meet', 'no_data'])).toEqual({ meeting: 2, total: 4, rate: 50 });
    // Seed 000: 60 of 75 = 80%.
    expect(complianceRate([...Array(60).fill('meets'), ...Array(15).fill('does_not_meet')]).rate).toBe(80);
  });
});
