/** [indicator code, baseline (the plan's "current"), target, targetMax for ranges] */
type Row = [code: string, baseline: number | null, target: number, targetMax?: number];

export interface StandardPlan {
  code: string;
  name: string;
  description: string;
  fromYear: number;
  toYear: number;
  targets: Row[];
}

/**
 * The two plans in the seeds: Haidian's 42-row table (seed 000; yes/no rows as 1/0, "partly" as 0) and
 * Tianyuan's implementation plan (seed 001). Targets hold for every year of the plan.
 */
export const STANDARD_PLANS: StandardPlan[] = [
  {
    code: 'haidian-2015-2017',
    name: '海淀区创建国家公共文化服务体系示范区（2015-2017）',
    description: '海淀区示范区创建规划指标表：现状值与发展目标',
    fromYear: 2015,
    toYear: 2017,
    targets: [
      ['grade1_cultural_centres', 1, 3],
      ['grade1_libraries', 1, 2],
      ['museums', 1, 2],
      ['subdistrict_centre_area_share', 90, 100],
      ['books_per_head', 0.8, 1],
      ['circulation_per_volume', 0.6, 1],
      ['visits_per_head', 0.3, 0.5],
      ['new_books_per_head', 0.06, 0.08],
      ['community_centre_coverage', 100, 100],
      ['community_centre_area_share', 90, 100],
      ['subdistrict_e_reading_share', 100, 100],
      ['community_e_reading_share', 100, 100],
      ['e_reading_hours_per_week', 56, 60],
      ['library_hours_per_week', 64, 70],
      ['cultural_centre_hours_per_week', 56, 60],
      ['free_museums', 1, 1],
      ['screenings_per_village_month', 1, 3],
      ['shows_per_village_year', 5, 6],
      ['library_outreach', 50, 80],
      ['touring_performances', 12, 20],
      ['touring_exhibitions', 10, 12],
      ['library_mobile_vehicles', 1, 1],
      ['cultural_centre_mobile_vehicles', 1, 1],
      ['shared_circulation_share', null, 100],
      ['digital_remote_service', 0, 1],
      ['library_local_databases', 2, 3],
      ['library_digital_resources_tb', 22, 30],
      ['cultural_centre_local_databases', 1, 2],
      ['museum_local_databases', 0, 2],
      ['digital_platform', 0, 1],
      ['staff_per_subdistrict_centre', 3, 3, 6],
      ['organizers_per_community', 1, 1, 2],
      ['professional_share_cultural_centre', 70, 75],
      ['professional_share_library', 90, 95],
      ['professional_share_museum', 70, 75],
      ['amateur_teams_per_community', 3, 4],
      ['training_days_cultural_centre', 15, 16],
      ['training_days_library', 10, 15],
      ['training_days_museum', 5, 7],
      ['training_hours_grassroots', 50, 60],
      ['other_departments_media_sports', 1, 1],
      ['other_departments_mass_organisations', 1, 1],
    ],
  },
  {
    code: 'tianyuan-2016-2017',
    name: '株洲市天元区创建国家公共文化服务体系示范区实施方案（2016-2017）',
    description: '天元区实施方案中的量化标准',
    fromYear: 2016,
    toYear: 2017,
    targets: [
      ['library_hours_per_week', null, 48],
      ['cultural_centre_hours_per_week', null, 48],
      ['books_per_head', null, 0.8],
      ['screenings_per_village_month', null, 1],
      ['shows_per_village_year', null, 4],
      ['large_events_per_village_year', null, 4],
    ],
  },
];
