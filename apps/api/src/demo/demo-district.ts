import type { ServiceCategory } from '@lib/services';
import type { BranchKind, BranchLevel, RegionKind } from '@lib/network';
import type { PatronCategory, StaffRole } from '@lib/accounts';

/**
 * A demo district modelled on the Haidian plan (seed 000): a central library and a cultural centre,
 * subdistrict branches, community and village service points, a mobile library, with populations
 * from the 2020 census scale and hours around the plan's targets (library 70 h, centre 60 h a week).
 * Codes make the seed idempotent.
 */
export interface DemoRegion {
  code: string;
  name: string;
  kind: RegionKind;
  parent?: string;
  population: Record<number, number>;
}

export interface DemoBranch {
  code: string;
  name: string;
  kind: BranchKind;
  level: BranchLevel;
  region: string;
  parent?: string;
  address: string;
  floorArea: number;
  facilities: string[];
  sharedCirculation: boolean;
  hours: Array<{ weekdays: number[]; opens: string; closes: string }>;
}

export const DEMO_REGIONS: DemoRegion[] = [
  { code: '110108', name: '海淀区', kind: 'district', population: { 2025: 3_130_000, 2026: 3_133_000 } },
  { code: '110108010', name: '中关村街道', kind: 'subdistrict', parent: '110108', population: { 2025: 138_500, 2026: 139_000 } },
  { code: '110108013', name: '学院路街道', kind: 'subdistrict', parent: '110108', population: { 2025: 209_000, 2026: 210_000 } },
  { code: '110108008', name: '海淀街道', kind: 'subdistrict', parent: '110108', population: { 2025: 90_500, 2026: 91_000 } },
  { code: '110108208', name: '温泉镇', kind: 'subdistrict', parent: '110108', population: { 2025: 62_000, 2026: 63_000 } },
  { code: '110108010001', name: '中关村东路社区', kind: 'community', parent: '110108010', population: { 2026: 8_200 } },
  { code: '110108010002', name: '科源社区', kind: 'community', parent: '110108010', population: { 2026: 6_900 } },
  { code: '110108013001', name: '学知园社区', kind: 'community', parent: '110108013', population: { 2026: 9_800 } },
  { code: '110108013002', name: '石油大院社区', kind: 'community', parent: '110108013', population: { 2026: 11_300 } },
  { code: '110108008001', name: '万泉庄社区', kind: 'community', parent: '110108008', population: { 2026: 7_400 } },
  { code: '110108208201', name: '白家疃村', kind: 'village', parent: '110108208', population: { 2026: 3_100 } },
  { code: '110108208202', name: '杨家庄村', kind: 'village', parent: '110108208', population: { 2026: 2_600 } },
];

const TUE_TO_SUN = [2, 3, 4, 5, 6, 7];
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

export const DEMO_BRANCHES: DemoBranch[] = [
  {
    code: 'HD-LIB', name: '海淀区图书馆', kind: 'library', level: 'central', region: '110108',
    address: '北京市海淀区丹棱街 16 号', floorArea: 9_600, facilities: ['reading_room', 'e_reading_room', 'children_room', 'lecture_hall'],
    sharedCirculation: true, hours: [{ weekdays: TUE_TO_SUN, opens: '09:00', closes: '21:00' }],
  },
  {
    code: 'HD-CUL', name: '海淀区文化馆', kind: 'cultural_centre', level: 'central', region: '110108',
    address: '北京市海淀区长春桥路 15 号', floorArea: 8_000, facilities: ['theatre', 'rehearsal_room', 'exhibition_hall', 'e_reading_room'],
    sharedCirculation: false, hours: [{ weekdays: TUE_TO_SUN, opens: '09:00', closes: '19:00' }],
  },
  {
    code: 'HD-ZGC', name: '中关村街道图书分馆', kind: 'library', level: 'branch', region: '110108010', parent: 'HD-LIB',
    address: '北京市海淀区中关村南三街 12 号', floorArea: 1_200, facilities: ['reading_room', 'e_reading_room', 'square'],
    sharedCirculation: true,
    hours: [
      { weekdays: TUE_TO_SUN, opens: '09:00', closes: '12:00' },
      { weekdays: TUE_TO_SUN, opens: '13:00', closes: '20:00' },
    ],
  },
  {
    code: 'HD-XYL', name: '学院路街道综合文化服务中心', kind: 'integrated_centre', level: 'branch', region: '110108013', parent: 'HD-LIB',
    address: '北京市海淀区学院路 29 号', floorArea: 1_450, facilities: ['reading_room', 'e_reading_room', 'multi_function_hall', 'square'],
    sharedCirculation: true, hours: [{ weekdays: EVERY_DAY, opens: '09:00', closes: '17:00' }],
  },
  {
    code: 'HD-HDJD', name: '海淀街道图书分馆', kind: 'library', level: 'branch', region: '110108008', parent: 'HD-LIB',
    address: '北京市海淀区海淀大街 28 号', floorArea: 900, facilities: ['reading_room'],
    sharedCirculation: true, hours: [{ weekdays: TUE_TO_SUN, opens: '09:00', closes: '18:00' }],
  },
  {
    code: 'HD-WQ', name: '温泉镇综合文化中心', kind: 'integrated_centre', level: 'branch', region: '110108208', parent: 'HD-LIB',
    address: '北京市海淀区温泉路 68 号', floorArea: 1_100, facilities: ['reading_room', 'e_reading_room', 'square', 'stage'],
    sharedCirculation: true, hours: [{ weekdays: EVERY_DAY, opens: '08:30', closes: '16:30' }],
  },
  ...(
    [
      ['HD-SP-ZGCDL', '中关村东路社区文化服务点', '110108010001', 'HD-ZGC', 320, true],
      ['HD-SP-KY', '科源社区文化服务点', '110108010002', 'HD-ZGC', 210, true],
      ['HD-SP-XZY', '学知园社区文化服务点', '110108013001', 'HD-XYL', 260, true],
      ['HD-SP-SYDY', '石油大院社区文化服务点', '110108013002', 'HD-XYL', 180, true],
      ['HD-SP-WQZ', '万泉庄社区文化服务点', '110108008001', 'HD-HDJD', 240, true],
      ['HD-SP-BJT', '白家疃村综合文化室', '110108208201', 'HD-WQ', 220, true],
      ['HD-SP-YJZ', '杨家庄村综合文化室', '110108208202', 'HD-WQ', 150, false],
    ] as const
  ).map(
    ([code, name, region, parent, floorArea, sharedCirculation]): DemoBranch => ({
      code, name, kind: 'service_point', level: 'service_point', region, parent,
      address: `${name}（${region}）`, floorArea, facilities: ['reading_corner', 'activity_room'], sharedCirculation,
      hours: [{ weekdays: [2, 3, 4, 5, 6], opens: '09:00', closes: '17:00' }],
    }),
  ),
  {
    code: 'HD-MOB', name: '海淀区图书馆流动图书车', kind: 'mobile', level: 'service_point', region: '110108', parent: 'HD-LIB',
    address: '巡回服务（温泉镇、学院路）', floorArea: 0, facilities: ['mobile_library'],
    sharedCirculation: true, hours: [{ weekdays: [3, 6], opens: '09:30', closes: '15:30' }],
  },
];

/** The mobile library's route (流动站点): each stop in the community or village it serves, visited weekly (ISO weekday, branch's zone). */
export const DEMO_MOBILE_STOPS: Array<{ branch: string; name: string; place: string; region: string; weekday: number; starts: string; ends: string }> = [
  { branch: 'HD-MOB', name: '科源社区站', place: '科源社区居委会门前', region: '110108010002', weekday: 3, starts: '09:30', ends: '11:30' },
  { branch: 'HD-MOB', name: '学知园社区站', place: '学知园小区南门广场', region: '110108013001', weekday: 3, starts: '13:30', ends: '15:30' },
  { branch: 'HD-MOB', name: '杨家庄村站', place: '杨家庄村委会院内', region: '110108208202', weekday: 6, starts: '09:30', ends: '11:30' },
];

/** Weeks of visits a demo stop gets when it is created. */
export const DEMO_MOBILE_WEEKS = 8;

/** District-wide closures (national holidays) and one shortened day, applied to every branch. */
export const DEMO_CALENDAR_EXCEPTIONS = [
  { date: '2026-12-31', intervals: [{ opens: '09:00', closes: '16:00' }], reason: '元旦前夕提前闭馆 / closes early on New Year’s Eve' },
  { date: '2027-01-01', intervals: [], reason: '元旦闭馆 / New Year’s Day' },
  { date: '2027-02-05', intervals: [], reason: '除夕闭馆 / Spring Festival Eve' },
  { date: '2027-02-06', intervals: [], reason: '春节闭馆 / Spring Festival' },
];

export const DEMO_STAFF_PASSWORD = 'Demo12345';
export const DEMO_RESIDENT_PASSWORD = 'Reader2026';

export const DEMO_STAFF: Array<{ username: string; name: string; role: StaffRole; branches?: string[]; regions?: string[] }> = [
  { username: 'lib-central', name: '陈静（总馆馆员）', role: 'librarian', branches: ['HD-LIB', 'HD-MOB'] },
  { username: 'lib-zgc', name: '周磊（中关村分馆馆员）', role: 'librarian', branches: ['HD-ZGC', 'HD-SP-ZGCDL', 'HD-SP-KY'] },
  { username: 'lib-xyl', name: '吴敏（学院路分馆馆员）', role: 'librarian', branches: ['HD-XYL', 'HD-SP-XZY', 'HD-SP-SYDY'] },
  { username: 'lib-hdjd', name: '郑华（海淀街道分馆馆员）', role: 'librarian', branches: ['HD-HDJD', 'HD-SP-WQZ'] },
  { username: 'lib-wq', name: '孙丽（温泉镇分馆馆员）', role: 'librarian', branches: ['HD-WQ', 'HD-SP-BJT', 'HD-SP-YJZ'] },
  { username: 'op-culture', name: '赵强（文化馆运营）', role: 'operator', branches: ['HD-CUL'] },
  { username: 'org-zgc', name: '钱芳（中关村文化组织员）', role: 'organizer', regions: ['110108010001', '110108010002'] },
  { username: 'kiosk-zgc', name: '中关村分馆自助借还机', role: 'kiosk', branches: ['HD-ZGC'] },
  { username: 'kiosk-lib', name: '总馆自助借还机', role: 'kiosk', branches: ['HD-LIB'] },
];

export const DEMO_RESIDENTS: Array<{ name: string; phone: string; idNumber?: string; category: PatronCategory }> = [
  { name: '张伟', phone: '13800000001', category: 'adult' },
  { name: '王芳', phone: '13800000002', idNumber: '11010519491231002X', category: 'senior' },
  { name: '李娜', phone: '13800000003', category: 'adult' },
  { name: '刘洋', phone: '13800000004', category: 'child' },
];

/** A small demo catalogue: classics and local titles, copies spread over the network. */
export const DEMO_CATALOGUE: Array<{
  controlNumber: string;
  title: string;
  authors: string[];
  isbn?: string;
  publisher: string;
  year: number;
  callNumber: string;
  subjects: string[];
  copies: Array<[branchCode: string, itemType?: 'book' | 'periodical' | 'audiovisual' | 'children']>;
}> = [
  { controlNumber: 'DEMO-0001', title: '三国演义', authors: ['罗贯中'], isbn: '9787020008735', publisher: '人民文学出版社', year: 1998, callNumber: 'I242.4/1', subjects: ['章回小说'], copies: [['HD-LIB'], ['HD-LIB'], ['HD-ZGC'], ['HD-WQ']] },
  { controlNumber: 'DEMO-0002', title: '红楼梦', authors: ['曹雪芹', '高鹗'], publisher: '人民文学出版社', year: 1996, callNumber: 'I242.4/2', subjects: ['章回小说'], copies: [['HD-LIB'], ['HD-XYL'], ['HD-HDJD']] },
  { controlNumber: 'DEMO-0003', title: '西游记', authors: ['吴承恩'], publisher: '人民文学出版社', year: 1997, callNumber: 'I242.4/3', subjects: ['神魔小说'], copies: [['HD-LIB'], ['HD-ZGC', 'children'], ['HD-SP-KY', 'children']] },
  { controlNumber: 'DEMO-0004', title: '水浒传', authors: ['施耐庵'], publisher: '人民文学出版社', year: 1997, callNumber: 'I242.4/4', subjects: ['章回小说'], copies: [['HD-LIB'], ['HD-WQ']] },
  { controlNumber: 'DEMO-0005', title: '平凡的世界', authors: ['路遥'], publisher: '北京十月文艺出版社', year: 2012, callNumber: 'I247.5/1', subjects: ['长篇小说'], copies: [['HD-LIB'], ['HD-ZGC'], ['HD-XYL'], ['HD-SP-XZY']] },
  { controlNumber: 'DEMO-0006', title: '活着', authors: ['余华'], publisher: '作家出版社', year: 2012, callNumber: 'I247.57/2', subjects: ['中篇小说'], copies: [['HD-LIB'], ['HD-HDJD'], ['HD-SP-WQZ']] },
  { controlNumber: 'DEMO-0007', title: '城南旧事', authors: ['林海音'], publisher: '中国青年出版社', year: 2010, callNumber: 'I246.5/3', subjects: ['儿童文学'], copies: [['HD-LIB', 'children'], ['HD-SP-BJT', 'children']] },
  { controlNumber: 'DEMO-0008', title: '海淀区志', authors: ['北京市海淀区地方志编纂委员会'], publisher: '北京出版社', year: 2004, callNumber: 'K291.3/1', subjects: ['地方志', '海淀区'], copies: [['HD-LIB'], ['HD-LIB']] },
  { controlNumber: 'DEMO-0009', title: '读者', authors: ['读者杂志社'], publisher: '读者出版集团', year: 2026, callNumber: 'Z62/1', subjects: ['综合期刊'], copies: [['HD-ZGC', 'periodical'], ['HD-XYL', 'periodical']] },
  { controlNumber: 'DEMO-0010', title: '京剧经典唱段选', authors: ['中国京剧院'], publisher: '中国唱片总公司', year: 2015, callNumber: 'J643.5/1', subjects: ['京剧'], copies: [['HD-LIB', 'audiovisual'], ['HD-MOB', 'audiovisual']] },
];

/** The cultural centre's service menu (owned by `op-culture`), serving the whole district unless said. */
export const DEMO_SERVICE_MENU: Array<{
  title: string;
  category: ServiceCategory;
  description: string;
  provider: string;
  providerBranch: string;
  durationMinutes: number;
  audience: [number, number];
  leadTimeDays: number;
  monthlyCapacity: number;
  regions?: string[];
}> = [
  { title: '京剧名段欣赏与体验', category: 'performance', description: '专业演员现场演出经典唱段，观众可上台体验身段', provider: '海淀区文化馆', providerBranch: 'HD-CUL', durationMinutes: 90, audience: [50, 300], leadTimeDays: 14, monthlyCapacity: 4 },
  { title: '非遗剪纸进社区', category: 'training', description: '剪纸传承人带领居民学习剪纸，材料由文化馆提供', provider: '海淀区文化馆', providerBranch: 'HD-CUL', durationMinutes: 120, audience: [10, 40], leadTimeDays: 7, monthlyCapacity: 8 },
  { title: '公益电影放映', category: 'film_screening', description: '每月新片与经典影片，含设备与放映员', provider: '海淀区文化馆', providerBranch: 'HD-CUL', durationMinutes: 120, audience: [20, 200], leadTimeDays: 5, monthlyCapacity: 12, regions: ['110108208'] },
  { title: '流动图书车进社区', category: 'book_delivery', description: '流动图书车到社区，现场借还、办证', provider: '海淀区图书馆', providerBranch: 'HD-LIB', durationMinutes: 180, audience: [1, 500], leadTimeDays: 3, monthlyCapacity: 10 },
  { title: '非遗剪纸作品巡回展', category: 'exhibition', description: '剪纸传承人及学员作品巡展，含展板、布展与讲解员', provider: '海淀区文化馆', providerBranch: 'HD-CUL', durationMinutes: 480, audience: [50, 1000], leadTimeDays: 14, monthlyCapacity: 3 },
  { title: '老年人智能手机课', category: 'lecture', description: '教老人用手机挂号、扫码、视频通话', provider: '海淀区图书馆', providerBranch: 'HD-LIB', durationMinutes: 90, audience: [10, 60], leadTimeDays: 7, monthlyCapacity: 6 },
];

/** Figures an administrator would enter by hand for 海淀区 (illustrative, marked as demo data). */
export const DEMO_MANUAL_FIGURES: Array<[code: string, value: number]> = [
  ['grade1_cultural_centres', 2],
  ['grade1_libraries', 2],
  ['museums', 2],
  ['free_museums', 1],
  ['library_mobile_vehicles', 1],
  ['cultural_centre_mobile_vehicles', 1],
  ['library_digital_resources_tb', 26],
  ['library_local_databases', 3],
  ['professional_share_library', 92],
];
