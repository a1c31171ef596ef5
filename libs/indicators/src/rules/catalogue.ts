/** How a value compares with its target: higher is better (≥), lower is better (≤), or within [target, targetMax]. */
export type Direction = 'higher' | 'lower' | 'range';

export interface IndicatorDefinition {
  code: string;
  name: { 'zh-CN': string; en: string };
  unit: string;
  /** auto: computed from the platform's data; manual: entered by an admin with a source note. */
  method: 'auto' | 'manual';
  direction: Direction;
  /** How the value is obtained (English; shown in the report and the API docs). */
  formula: string;
}

const d = (code: string, zh: string, en: string, unit: string, method: 'auto' | 'manual', direction: Direction, formula: string): IndicatorDefinition => ({
  code,
  name: { 'zh-CN': zh, en },
  unit,
  method,
  direction,
  formula,
});

/**
 * The demonstration-zone indicators (the Haidian table in ../shared/DOMAIN.md, rows 1-42, plus the
 * satisfaction index, participants, and Tianyuan's large events). Codes are stable: plans refer to them.
 */
export const INDICATORS: readonly IndicatorDefinition[] = [
  d('grade1_cultural_centres', '一级文化馆数量', 'Grade-1 cultural centres (ministry grading)', 'count', 'manual', 'higher', 'entered'),
  d('grade1_libraries', '一级图书馆数量', 'Grade-1 libraries (ministry grading)', 'count', 'manual', 'higher', 'entered'),
  d('museums', '博物馆数量', 'Museums', 'count', 'manual', 'higher', 'entered'),
  d('subdistrict_centre_area_share', '街道（乡镇）综合文化中心面积达标率', 'Subdistrict centres meeting the floor-area standard', '%', 'auto', 'higher', 'subdistrict-level centres with floor area ≥ 1,000 m² / subdistrict-level centres'),
  d('books_per_head', '人均公共图书馆藏书', 'Library books per head', 'volumes/person', 'auto', 'higher', 'copies held at year end / resident population of the year'),
  d('circulation_per_volume', '年图书流通率', 'Circulation per volume per year', 'loans/volume', 'auto', 'higher', 'loans in the year / copies held at year end'),
  d('visits_per_head', '人均年到馆次数', 'Visits per head per year', 'visits/person', 'auto', 'higher', '(door-counter visits + activity check-ins + venue check-ins) in the year / population'),
  d('new_books_per_head', '人均年新增藏书', 'New books per head per year', 'volumes/person', 'auto', 'higher', 'copies acquired in the year / population'),
  d('community_centre_coverage', '社区（村）综合文化服务中心覆盖率', 'Coverage of community and village centres', '%', 'auto', 'higher', 'communities and villages with a service point / all communities and villages'),
  d('community_centre_area_share', '社区综合文化服务中心面积达标率', 'Community centres meeting the area standard', '%', 'auto', 'higher', 'service points with floor area ≥ 200 m² / service points'),
  d('subdistrict_e_reading_share', '街道（乡镇）公共电子阅览室覆盖率', 'Subdistricts with a public e-reading room', '%', 'auto', 'higher', 'subdistricts with an e-reading room venue / subdistricts'),
  d('community_e_reading_share', '社区（村）公共电子阅览室覆盖率', 'Communities with a public e-reading room', '%', 'auto', 'higher', 'communities and villages with an e-reading room venue / all'),
  d('e_reading_hours_per_week', '公共电子阅览室每周免费上网时长', 'Free internet hours per week in e-reading rooms', 'hours/week', 'auto', 'higher', 'mean weekly bookable hours of e-reading rooms at libraries'),
  d('library_hours_per_week', '公共图书馆每周开放时间', 'Library opening hours per week', 'hours/week', 'auto', 'higher', 'mean regular weekly hours of libraries at central and branch level'),
  d('cultural_centre_hours_per_week', '文化馆（站）每周开放时间', 'Cultural centre opening hours per week', 'hours/week', 'auto', 'higher', 'mean regular weekly hours of cultural centres and integrated centres'),
  d('free_museums', '博物馆、美术馆免费开放', 'Museums and galleries open free of charge', 'yes/no', 'manual', 'higher', 'entered: 1 yes, 0 no'),
  d('screenings_per_village_month', '每村每月放映电影场次', 'Film screenings per administrative village per month', 'per village/month', 'auto', 'higher', 'film screenings delivered in villages / villages / months of the year so far'),
  d('shows_per_village_year', '每村每年观看演出场次', 'Shows watched per administrative village per year', 'per village/year', 'auto', 'higher', 'performances delivered in villages / villages'),
  d('library_outreach', '图书馆年流动服务次数', 'Library outreach services per year', 'count', 'auto', 'higher', 'services delivered by library providers'),
  d('touring_performances', '文化馆年组织巡演场次', 'Touring performances by the cultural centre per year', 'count', 'auto', 'higher', 'performances delivered by cultural-centre providers'),
  d('touring_exhibitions', '文化馆年组织巡展次数', 'Touring exhibitions by the cultural centre per year', 'count', 'auto', 'higher', 'exhibitions delivered by cultural-centre providers'),
  d('library_mobile_vehicles', '图书馆流动服务车', 'Library mobile service vehicles', 'count', 'manual', 'higher', 'entered'),
  d('cultural_centre_mobile_vehicles', '文化馆流动服务车', 'Cultural centre mobile service vehicles', 'count', 'manual', 'higher', 'entered'),
  d('shared_circulation_share', '总分馆通借通还覆盖率', 'Branches in borrow-anywhere-return-anywhere', '%', 'auto', 'higher', 'libraries, integrated centres and service points in shared circulation / all of them'),
  d('digital_remote_service', '数字资源与远程服务能力', 'Digital resources and remote service capacity', 'yes/no', 'manual', 'higher', 'entered: 1 fully, 0 partly'),
  d('library_local_databases', '图书馆地方特色数据库', 'Local-feature digital databases, library', 'count', 'manual', 'higher', 'entered'),
  d('library_digital_resources_tb', '图书馆数字资源总量', 'Digital resources available in the library', 'TB', 'manual', 'higher', 'entered'),
  d('cultural_centre_local_databases', '文化馆地方特色数据库', 'Local-feature digital databases, cultural centre', 'count', 'manual', 'higher', 'entered'),
  d('museum_local_databases', '博物馆地方特色数据库', 'Local-feature digital databases, museum', 'count', 'manual', 'higher', 'entered'),
  d('digital_platform', '统一互联的公共数字文化服务平台', 'Unified, interconnected digital culture platform', 'yes/no', 'manual', 'higher', 'entered: 1 done, 0 being built'),
  d('staff_per_subdistrict_centre', '街道（乡镇）综合文化中心编制人数', 'Staff posts per subdistrict centre', 'people', 'auto', 'range', 'staff accounts (librarians, operators) at subdistrict-level centres / those centres'),
  d('organizers_per_community', '每社区（村）文化组织员', 'Culture organizers per community', 'people', 'auto', 'range', 'organizer accounts serving each community or village, averaged'),
  d('professional_share_cultural_centre', '文化馆专业人员比例', 'Share of professional staff, cultural centre', '%', 'manual', 'higher', 'entered'),
  d('professional_share_library', '图书馆专业人员比例', 'Share of professional staff, library', '%', 'manual', 'higher', 'entered'),
  d('professional_share_museum', '博物馆专业人员比例', 'Share of professional staff, museum', '%', 'manual', 'higher', 'entered'),
  d('amateur_teams_per_community', '每社区业余文艺团队', 'Amateur arts teams per community', 'count', 'manual', 'higher', 'entered'),
  d('training_days_cultural_centre', '文化馆人员年培训天数', 'Training days per year, cultural centre staff', 'days', 'manual', 'higher', 'entered'),
  d('training_days_library', '图书馆人员年培训天数', 'Training days per year, library staff', 'days', 'manual', 'higher', 'entered'),
  d('training_days_museum', '博物馆人员年培训天数', 'Training days per year, museum staff', 'days', 'manual', 'higher', 'entered'),
  d('training_hours_grassroots', '基层文化队伍年培训学时', 'Training hours per year, grassroots staff', 'hours', 'manual', 'higher', 'entered'),
  d('other_departments_media_sports', '新闻出版、广电、体育等部门工作', 'Work of press, broadcasting and sports departments', 'yes/no', 'manual', 'higher', 'entered: 1 met'),
  d('other_departments_mass_organisations', '工会、共青团、妇联、科协、教育等部门工作', 'Work of unions, youth league, women’s federation, science association, education', 'yes/no', 'manual', 'higher', 'entered: 1 met'),
  d('satisfaction_index', '群众满意度', 'Satisfaction index', '%', 'auto', 'higher', 'ratings of 4-5 / all ratings of delivered services in the year'),
  d('activity_participants', '群众文化活动参与人次', 'Participants in activities', 'people', 'auto', 'higher', 'activity check-ins + audience of delivered services in the year'),
  d('large_events_per_village_year', '每村每年大型文体活动', 'Large cultural and sports events per village per year', 'per village/year', 'manual', 'higher', 'entered'),
];

export const INDICATOR_BY_CODE = new Map(INDICATORS.map((i) => [i.code, i]));
