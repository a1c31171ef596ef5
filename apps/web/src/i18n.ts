import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

// zh-CN is the default; names follow the glossary in shared/DOMAIN.md (Chinese in the interface).
const zh = {
  app: { title: '公共文化服务平台', skip: '跳到主要内容', language: 'English', languageLabel: '切换到英文', largeText: '大字模式', normalText: '标准字号', logout: '退出', login: '登录', register: '注册', menu: '导航', loading: '加载中…', none: '暂无', save: '保存', cancel: '取消', close: '关闭', refresh: '刷新', search: '搜索', submit: '提交', done: '已完成', error: '出错了', yes: '是', no: '否', all: '全部', from: '从', to: '至', branch: '馆点', date: '日期' },
  nav: { card: '我的读者证', catalogue: '馆藏检索', loans: '借阅与预约', activities: '活动报名', venues: '场馆预约', mine: '我的预约', notifications: '消息', checkout: '借出', checkin: '归还', transits: '在途', holdShelf: '预约架', import: '编目导入', bookings: '场馆审批', activityCheckin: '活动签到', branches: '馆点', regions: '区域', staff: '工作人员', policies: '流通规则', dashboard: '指标看板' },
  auth: { login: '登录名', loginHint: '读者证号、手机号或工作人员账号', password: '密码', name: '姓名', phone: '手机号', idNumber: '身份证号（选填）', registerTitle: '注册读者证', loginTitle: '登录', noAccount: '还没有读者证？', haveAccount: '已有读者证？', registered: '注册成功，读者证号 {{card}}', passwordRule: '至少 8 位，含字母和数字' },
  card: { title: '我的读者证', number: '读者证号', status: '状态', qrHelp: '在借还台或自助机出示此二维码，{{seconds}} 秒后自动更新', expires: '有效至 {{time}}', active: '正常', lost: '挂失', suspended: '暂停' },
  catalogue: { title: '馆藏检索', query: '书名、作者、ISBN', results: '共 {{n}} 条', availableAt: '可借馆点', available: '{{available}}/{{total}} 可借', placeHold: '预约', pickupBranch: '取书馆点', holdPlaced: '已预约，排第 {{n}} 位', noResults: '没有找到' },
  loans: { title: '借阅与预约', loans: '在借', holds: '预约', due: '应还', renew: '续借', renewed: '已续借，应还 {{date}}', overdue: '已逾期', renewals: '已续借 {{n}} 次', cancelHold: '取消预约', queue: '排第 {{n}} 位', ready: '已到馆，请于 {{date}} 前取书', pickup: '取书馆点', status: { waiting: '排队中', ready: '待取', in_transit: '在途', fulfilled: '已取', cancelled: '已取消', expired: '已过期', trapped: '已留书' } },
  activities: { title: '活动报名', category: '类别', branch: '馆点', from: '开始日期', to: '结束日期', seatsLeft: '剩余 {{n}} 席', full: '已满，可候补', register: '报名', registered: '报名成功', waitlisted: '已进入候补，第 {{n}} 位', pending: '已提交，等待审核', session: '场次', capacity: '名额 {{n}}', detail: '详情', live: '名额实时更新', categories: { class: '培训班', lecture: '讲座', performance: '演出', exhibition: '展览', film_screening: '电影放映', training: '培训', reading_event: '阅读活动' } },
  venues: { title: '场馆预约', grid: '可预约时段', book: '预约', purpose: '用途', attendees: '人数', booked: '预约已提交', pickStart: '选择开始时段', selected: '已选 {{from}}–{{to}}', free: '空闲', taken: '已约', closed: '未开放', capacity: '可容纳 {{n}} 人', kinds: { room: '活动室', hall: '多功能厅', court: '球场', e_reading_room: '电子阅览室', outdoor_square: '文化广场' }, week: '一周', prev: '前一周', next: '后一周' },
  mine: { title: '我的预约', registrations: '活动报名', bookings: '场馆预约', calendar: '添加到日历（.ics 订阅）', calendarHelp: '复制此链接到手机日历，报名和预约会自动同步', cancel: '取消', cancelled: '已取消', qr: '签到码', status: { confirmed: '已确认', waitlisted: '候补', pending: '待审核', rejected: '未通过', cancelled: '已取消', checked_in: '已签到', no_show: '爽约', completed: '已完成', blocked: '占用' } },
  notifications: { title: '消息', markRead: '标为已读', unread: '未读', empty: '没有消息' },
  desk: { branch: '当前馆点', card: '读者证号或二维码', cardHint: '扫码枪扫描或手动输入后回车', barcode: '条码', checkout: '借出', checkedOut: '已借出，应还 {{date}}', checkin: '归还', lastResult: '处理结果', shelve: '上架：本馆', holdShelf: '放预约架：{{name}}', transit: '送往：{{branch}}', incoming: '待接收', outgoing: '待发出', receive: '接收', received: '已接收', reason: { return_home: '回归本馆', hold: '预约', float: '浮动' }, importTitle: '编目导入（MARC / MARCXML / CSV）', file: '文件', format: '格式', imported: '新增 {{imported}}，更新 {{updated}}，拒收 {{rejected}}', holdShelfHelp: '已到馆的预约（归还时“放预约架”的书）由预约取书时借出即可。', bookingsTitle: '场馆预约审批', bookingId: '预约编号', approve: '批准', reject: '驳回', approved: '已批准', rejected: '已驳回', reasonLabel: '理由', checkinTitle: '活动签到', token: '报名签到码或读者二维码', checkedIn: '签到成功：{{title}}', patron: '读者', noBranch: '请选择馆点' },
  admin: { branches: '馆点', regions: '区域', staff: '工作人员', policies: '流通规则', name: '名称', personName: '姓名', code: '编码', kind: '类型', level: '层级', region: '所属区域', parent: '上级', population: '常住人口', add: '新增', created: '已新增', saved: '已保存', username: '账号', role: '角色', active: '在岗', branches_: '所属馆点', password: '初始密码', sharedCirculation: '通借通还', floorArea: '面积（㎡）', loanDays: '借期（天）', maxLoans: '可借册数', renewalsAllowed: '可续借次数', maxHolds: '可预约数', holdPickupDays: '取书期限（天）', scope: '适用范围', networkDefault: '全网默认', levels: { central: '总馆', branch: '分馆', service_point: '服务点' }, kinds: { library: '图书馆', cultural_centre: '文化馆', integrated_centre: '综合文化服务中心', service_point: '综合文化服务站', mobile: '流动服务' }, regionKinds: { district: '区', subdistrict: '街道（镇）', community: '社区（村）' }, roles: { admin: '管理员', librarian: '馆员', operator: '服务供给方', organizer: '文化组织员', kiosk: '自助机', device: '设备', resident: '读者' } },
  home: { welcome: '欢迎使用公共文化服务平台', intro: '一卡通行全区图书馆、文化馆和社区服务点：通借通还、活动报名、场馆预约。' },
};

type Dict = typeof zh;
const en: Dict = {
  app: { title: 'Public cultural services', skip: 'Skip to main content', language: '中文', languageLabel: 'Switch to Chinese', largeText: 'Large text', normalText: 'Normal text', logout: 'Log out', login: 'Log in', register: 'Register', menu: 'Menu', loading: 'Loading…', none: 'None', save: 'Save', cancel: 'Cancel', close: 'Close', refresh: 'Refresh', search: 'Search', submit: 'Submit', done: 'Done', error: 'Something went wrong', yes: 'Yes', no: 'No', all: 'All', from: 'From', to: 'To', branch: 'Branch', date: 'Date' },
  nav: { card: 'My card', catalogue: 'Catalogue', loans: 'Loans & holds', activities: 'Activities', venues: 'Venues', mine: 'My bookings', notifications: 'Notifications', checkout: 'Check out', checkin: 'Check in', transits: 'Transits', holdShelf: 'Hold shelf', import: 'MARC import', bookings: 'Venue approvals', activityCheckin: 'Activity check-in', branches: 'Branches', regions: 'Regions', staff: 'Staff', policies: 'Policies', dashboard: 'Indicators' },
  auth: { login: 'Login', loginHint: 'Card number, phone or staff username', password: 'Password', name: 'Name', phone: 'Mobile phone', idNumber: 'ID number (optional)', registerTitle: 'Get a reader card', loginTitle: 'Log in', noAccount: 'No card yet?', haveAccount: 'Already have a card?', registered: 'Registered: your card number is {{card}}', passwordRule: 'At least 8 characters with letters and digits' },
  card: { title: 'My reader card', number: 'Card number', status: 'Status', qrHelp: 'Show this code at the desk or a kiosk; it renews every {{seconds}} seconds', expires: 'Valid until {{time}}', active: 'Active', lost: 'Lost', suspended: 'Suspended' },
  catalogue: { title: 'Catalogue', query: 'Title, author or ISBN', results: '{{n}} results', availableAt: 'Available at', available: '{{available}} of {{total}} available', placeHold: 'Place hold', pickupBranch: 'Pickup branch', holdPlaced: 'Hold placed, number {{n}} in line', noResults: 'Nothing found' },
  loans: { title: 'Loans & holds', loans: 'On loan', holds: 'Holds', due: 'Due', renew: 'Renew', renewed: 'Renewed, due {{date}}', overdue: 'Overdue', renewals: 'Renewed {{n}} times', cancelHold: 'Cancel hold', queue: 'Number {{n}} in line', ready: 'Ready: pick up by {{date}}', pickup: 'Pickup', status: { waiting: 'Waiting', ready: 'Ready', in_transit: 'In transit', fulfilled: 'Collected', cancelled: 'Cancelled', expired: 'Expired', trapped: 'Set aside' } },
  activities: { title: 'Activities', category: 'Category', branch: 'Branch', from: 'From', to: 'To', seatsLeft: '{{n}} seats left', full: 'Full: join the waiting list', register: 'Register', registered: 'You are registered', waitlisted: 'On the waiting list, number {{n}}', pending: 'Sent, awaiting approval', session: 'Session', capacity: '{{n}} places', detail: 'Details', live: 'Seats update live', categories: { class: 'Class', lecture: 'Lecture', performance: 'Performance', exhibition: 'Exhibition', film_screening: 'Film screening', training: 'Training', reading_event: 'Reading event' } },
  venues: { title: 'Venue booking', grid: 'Available times', book: 'Book', purpose: 'Purpose', attendees: 'Attendees', booked: 'Booking sent', pickStart: 'Pick a start time', selected: 'Selected {{from}}–{{to}}', free: 'Free', taken: 'Taken', closed: 'Closed', capacity: 'Holds {{n}} people', kinds: { room: 'Room', hall: 'Hall', court: 'Court', e_reading_room: 'E-reading room', outdoor_square: 'Square' }, week: 'Week', prev: 'Previous week', next: 'Next week' },
  mine: { title: 'My bookings', registrations: 'Activity registrations', bookings: 'Venue bookings', calendar: 'Add to calendar (.ics feed)', calendarHelp: 'Subscribe to this link in your calendar app; registrations and bookings stay in step', cancel: 'Cancel', cancelled: 'Cancelled', qr: 'Check-in code', status: { confirmed: 'Confirmed', waitlisted: 'Waiting list', pending: 'Awaiting approval', rejected: 'Rejected', cancelled: 'Cancelled', checked_in: 'Checked in', no_show: 'No-show', completed: 'Completed', blocked: 'Blocked' } },
  notifications: { title: 'Notifications', markRead: 'Mark as read', unread: 'Unread', empty: 'No notifications' },
  desk: { branch: 'Acting at', card: 'Card number or QR code', cardHint: 'Scan or type, then press Enter', barcode: 'Item barcode', checkout: 'Check out', checkedOut: 'Checked out, due {{date}}', checkin: 'Check in', lastResult: 'Result', shelve: 'Shelve here', holdShelf: 'Hold shelf: {{name}}', transit: 'Send to branch: {{branch}}', incoming: 'Incoming', outgoing: 'Outgoing', receive: 'Receive', received: 'Received', reason: { return_home: 'Going home', hold: 'For a hold', float: 'Floating' }, importTitle: 'Catalogue import (MARC / MARCXML / CSV)', file: 'File', format: 'Format', imported: '{{imported}} added, {{updated}} updated, {{rejected}} rejected', holdShelfHelp: 'Copies routed to the hold shelf at check-in wait here; check them out to the resident when collected.', bookingsTitle: 'Venue booking approvals', bookingId: 'Booking number', approve: 'Approve', reject: 'Reject', approved: 'Approved', rejected: 'Rejected', reasonLabel: 'Reason', checkinTitle: 'Activity check-in', token: 'Registration code or card QR', checkedIn: 'Checked in: {{title}}', patron: 'Resident', noBranch: 'Choose a branch' },
  admin: { branches: 'Branches', regions: 'Regions', staff: 'Staff', policies: 'Circulation policies', name: 'Name', personName: 'Name', code: 'Code', kind: 'Kind', level: 'Level', region: 'Region', parent: 'Parent', population: 'Population', add: 'Add', created: 'Added', saved: 'Saved', username: 'Username', role: 'Role', active: 'Active', branches_: 'Branches', password: 'Initial password', sharedCirculation: 'Borrow anywhere', floorArea: 'Floor area (m²)', loanDays: 'Loan days', maxLoans: 'Max loans', renewalsAllowed: 'Renewals', maxHolds: 'Max holds', holdPickupDays: 'Pickup days', scope: 'Scope', networkDefault: 'Network default', levels: { central: 'Central', branch: 'Branch', service_point: 'Service point' }, kinds: { library: 'Library', cultural_centre: 'Cultural centre', integrated_centre: 'Integrated centre', service_point: 'Service point', mobile: 'Mobile service' }, regionKinds: { district: 'District', subdistrict: 'Subdistrict', community: 'Community' }, roles: { admin: 'Administrator', librarian: 'Librarian', operator: 'Operator', organizer: 'Culture organizer', kiosk: 'Kiosk', device: 'Device', resident: 'Resident' } },
  home: { welcome: 'Welcome to the public cultural service platform', intro: 'One card for every library, cultural centre and community service point: borrow anywhere, activities and venue booking.' },
};

const LANGUAGE_KEY = 'culture.language';
export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: { zh: { translation: zh }, en: { translation: en } },
  lng: localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'zh',
  fallbackLng: 'zh',
  interpolation: { escapeValue: false },
  showSupportNotice: false,
});

export function setLanguage(lng: 'zh' | 'en'): void {
  localStorage.setItem(LANGUAGE_KEY, lng);
  void i18n.changeLanguage(lng);
}

function syncDocument(lng: string) {
  document.documentElement.lang = lng === 'en' ? 'en' : 'zh-CN';
  document.title = i18n.t('app.title');
}
syncDocument(i18n.language);
i18n.on('languageChanged', syncDocument);

/** Dates and times in the district's time zone, in the interface language. */
export function formatDateTime(iso: string | Date, withTime = true): string {
  return new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : {}),
  }).format(new Date(iso));
}
