// The shapes the API answers with, for operations whose OpenAPI entry declares no response schema.
// Kept next to the generated schema.d.ts; field names follow the API exactly.

export type Role = 'resident' | 'librarian' | 'operator' | 'organizer' | 'admin' | 'kiosk' | 'device';

export type Me =
  | { kind: 'patron'; id: string; name: string; phone: string | null; category: string; card: { number: string; status: string } | null }
  | { kind: 'staff'; id: string; username: string; name: string; role: Exclude<Role, 'resident'>; branchIds: string[]; regionIds: string[] };

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface OpeningInterval {
  weekday: number;
  opens: string;
  closes: string;
}

export interface Branch {
  id: string;
  code: string | null;
  name: string;
  kind: string;
  level: 'central' | 'branch' | 'service_point';
  regionId: string;
  parentId: string | null;
  address: string | null;
  floorArea: number | null;
  sharedCirculation: boolean;
  /** IANA zone the branch's hours and days are read in (Asia/Shanghai unless set otherwise). */
  timeZone: string;
  openingHours: OpeningInterval[];
}

/** `GET /api/branches/:id/hours`: one ISO week of a branch, day by day, calendar exceptions applied. */
export interface WeekHours {
  week: string;
  timeZone: string;
  from: string;
  to: string;
  days: Array<{ date: string; weekday: number; intervals: Array<{ opens: string; closes: string }>; hours: number; exception?: { reason?: string } }>;
  totalHours: number;
}

export interface Region {
  id: string;
  code: string | null;
  name: string;
  kind: 'district' | 'subdistrict' | 'community' | 'village';
  parentId: string | null;
  population: number | null;
  populationYear: number | null;
}

export interface Staff {
  id: string;
  username: string;
  name: string;
  role: Role;
  active: boolean;
  branchIds: string[];
  regionIds: string[];
}

export interface CardQr {
  token: string;
  expiresAt: string;
  cardNumber: string;
}

export interface RecordView {
  id: string;
  title: string;
  authors: string[];
  publisher: string | null;
  year: number | null;
  isbns: string[];
  callNumber: string | null;
  itemCount: number;
  availability: Array<{ branchId: string; total: number; available: number }>;
}

export interface Loan {
  id: string;
  barcode: string;
  title: string;
  checkoutBranchId: string;
  checkedOutAt: string;
  dueAt: string;
  renewals: number;
  status: string;
  overdue: boolean;
}

export interface Hold {
  id: string;
  recordId: string;
  title: string;
  pickupBranchId: string;
  /** A stop of the mobile library to pick up at, and its next visit (null: none scheduled yet). */
  pickupStopId?: string | null;
  pickupStopName?: string | null;
  pickupStopNextVisit?: { startsAt: string; endsAt: string } | null;
  status: string;
  placedAt: string;
  queuePosition: number | null;
  readyAt: string | null;
  expiresAt: string | null;
}

export interface CheckinResult {
  barcode: string;
  /** For the slips: the title, where the copy goes (pickup or destination branch; this one when it stays), the day in this branch's zone. */
  title: string;
  destinationName: string;
  checkedInOn: string;
  wasOnLoan: boolean;
  loanId?: string;
  /** The overdue fine charged at this return, if any. */
  fine?: number;
  action: 'shelve' | 'hold-shelf' | 'transit';
  destinationBranchId?: string;
  holdId?: string;
  /** The reader a trapped copy is for: masked name, card's last four digits, pickup deadline once on the shelf. */
  holdFor?: { patronName: string; cardLast4: string | null; pickupBy: string | null };
  /** The copy had been marked missing (by an inventory) or lost: found again by this check-in. */
  found?: boolean;
  message: { zh: string; en: string };
}

/** A line of a branch's pull list (取书单): the reader masked, the card's last four digits. */
export interface PullListEntry {
  holdId: string;
  placedAt: string;
  title: string;
  callNumber: string | null;
  shelvingLocation: string | null;
  barcode: string;
  pickupBranchId: string;
  pickupBranchName: string;
  patronName: string;
  cardLast4: string | null;
}

/** What a bulk edit would do (preview) or did (apply). */
export interface BulkEditPreview {
  unknown: string[];
  notYours: string[];
  items: Array<{
    barcode: string;
    title: string;
    status: string;
    changes: Partial<Record<'homeBranchId' | 'itemType' | 'shelvingLocation', { from: string | null; to: string | null; fromName?: string | null; toName?: string | null }>>;
  }>;
  changing: number;
}

/** An error as the API answers it: on its own (ApiError in client.ts), or for one copy of a list. */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  /** In the language the request asked for (Accept-Language). */
  message: string;
  details: Record<string, unknown>;
}

/** One copy of a bulk check-in (`{barcodes}`), in the order sent: its check-in, or why not. */
export type CheckinListItem = ({ ok: true } & CheckinResult) | { ok: false; barcode: string; error: ApiErrorBody };

export interface Transit {
  id: string;
  barcode: string;
  title: string;
  fromBranchId: string;
  toBranchId: string;
  reason: string;
  holdId: string | null;
  sentAt: string;
}

export interface ImportReport {
  imported: number;
  updated: number;
  rejected: number;
  itemsCreated?: number;
  /** Each with the record's 0-based position in the file and, for a record that had one, its control number. */
  rejections: Array<{ index: number; controlNumber?: string | null; reason: string }>;
}

export interface Session {
  id: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  walkInSeats: number;
  venueId: string | null;
  confirmed: number;
  waitlisted: number;
  seatsLeft: number;
  /** The read's place in the database's commit order, as in the `session.seats` push: the larger is newer. */
  asOf: number;
}

export interface Activity {
  id: string;
  title: string;
  description?: string | null;
  category: string;
  branchId: string;
  sessions: Session[];
  /** One registration takes every session (all or nothing). */
  series?: boolean;
  registrationOpensAt?: string | null;
  registrationClosesAt?: string | null;
}

/** `POST /api/checkins`: what was checked in and for whom (the name masked), or that the code was scanned before. */
export interface AttendanceCheckin {
  registrationId: string;
  sessionId: string;
  status: 'attended';
  /** The code was scanned before: the person already came in (a second entry on one registration). */
  already: boolean;
  activityId: string;
  title: string;
  startsAt: string;
  endsAt: string;
  patronName: string;
}

export interface Registration {
  id: string;
  status: string;
  sessionId: string;
  startsAt: string;
  endsAt: string;
  activityId: string;
  title: string;
  position?: number | null;
}

/** A delivered service the resident attended (`GET /api/me/services`). */
export interface AttendedService {
  orderId: string;
  title: string;
  category: string;
  provider: string;
  startsAt: string;
  deliveredAt: string;
  myScore: number | null;
}

export interface Venue {
  id: string;
  name: string;
  kind: string;
  branchId: string;
  capacity: number | null;
  slotMinutes: number;
  requiresApproval?: boolean;
}

export interface Availability {
  venueId: string;
  timeZone: string;
  slotMinutes: number;
  days: Array<{
    date: string;
    open: Array<{ opens: string; closes: string }>;
    taken: Array<{ from: string; to: string; kind: string; status: string }>;
    free: Array<{ from: string; to: string }>;
  }>;
}

/** `GET /api/venues/free-today`: venues still bookable today, each on its branch's own day and zone. */
export interface FreeToday {
  at: string;
  items: Array<{
    id: string;
    name: string;
    kind: string;
    branchId: string;
    capacity: number;
    requiresApproval: boolean;
    whoMayBook: string[];
    slotMinutes: number;
    minMinutes: number;
    timeZone: string;
    date: string;
    /** Local "HH:mm" spans a booking made now could take; never empty. */
    free: Array<{ from: string; to: string }>;
  }>;
}

export interface VenueBooking {
  id: string;
  venueId: string;
  startsAt: string;
  endsAt: string;
  status: string;
  purpose: string | null;
  attendees?: number | null;
}

export interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

export interface PolicyRule {
  patronCategory: string | null;
  itemType: string | null;
  branchId: string | null;
  loanDays: number;
  maxLoans: number;
  renewalsAllowed: number;
  holdsAllowed: boolean;
  maxHolds: number;
  holdPickupDays: number;
  finePerDay: number;
  fineCap: number;
  blockFinesOver: number;
  blockOverdueItems: number;
  overdueDays: 'open' | 'calendar';
}

export interface ServiceItem {
  id: string;
  title: string;
  category: string;
  description: string | null;
  provider: string;
  operatorId: string;
  durationMinutes: number;
  audienceMin: number;
  audienceMax: number;
  leadTimeDays: number;
  regionIds: string[];
  monthlyCapacity: number;
  free: boolean;
  feeNote: string | null;
  status: 'draft' | 'published' | 'paused' | 'retired';
  remainingInMonth?: number;
}

export interface ServiceOrder {
  id: string;
  itemId: string;
  item: { id: string; title: string; category: string; provider: string; operatorId: string };
  regionId: string;
  orderedBy: string;
  status: 'submitted' | 'accepted' | 'declined' | 'scheduled' | 'delivered' | 'evaluated' | 'cancelled';
  preferredFrom: string;
  preferredTo: string;
  expectedAudience: number;
  address: string | null;
  notes: string | null;
  scheduledStartsAt: string | null;
  scheduledEndsAt: string | null;
  activityId: string | null;
  attendance: number | null;
  /** When delivery was confirmed (送达确认) and by which staff account; null until then. */
  confirmedAt: string | null;
  confirmedBy: string | null;
  createdAt: string;
}

export interface Demand {
  id: string;
  category: string;
  title: string;
  description: string;
  regionId: string;
  votes: number;
  status: 'open' | 'planned' | 'added_to_menu' | 'declined';
  answer: string | null;
  createdAt: string;
}

export interface SatisfactionFigure {
  ratings: number;
  mean: number | null;
  highShare: number | null;
}

export interface SatisfactionIndex {
  by: 'operator' | 'item' | 'region';
  overall: SatisfactionFigure;
  groups: Array<{ id: string; name: string } & SatisfactionFigure>;
}

export interface IndicatorPlan {
  id: string;
  code: string;
  name: string;
  fromYear: number;
  toYear: number;
  indicatorCount: number;
}

export type IndicatorStatus = 'meets' | 'does_not_meet' | 'no_data';

export interface IndicatorRow {
  code: string;
  name: string;
  unit: string;
  method: 'auto' | 'manual';
  direction: string;
  formula: string;
  value: number | null;
  target: number | null;
  targetMax: number | null;
  baseline: number | null;
  status: IndicatorStatus;
  gap: number | null;
  source: string;
  numerator: number | null;
  denominator: number | null;
  trend: Array<{ year: number; value: number | null }>;
}

export interface IndicatorReport {
  plan: { id: string; code: string; name: string; fromYear: number; toYear: number };
  year: number;
  region: { id: string; name: string };
  complianceRate: number;
  meeting: number;
  total: number;
  indicators: IndicatorRow[];
}

export interface IndicatorDetail extends IndicatorRow {
  by: 'branch' | 'region' | 'month';
  breakdown: Array<{ key: string; name: string; numerator: number | null; denominator: number | null; value: number | null }>;
}

export interface Fine {
  id: string;
  reason: string;
  title: string | null;
  amount: number;
  paid: number;
  waived: number;
  owing: number;
  createdAt: string;
  settledAt: string | null;
}

export interface Receipt {
  receiptNumber: string;
  amount: number;
  method: 'cash' | 'online' | 'sip2';
  paidAt: string;
  branchName: string | null;
  patronName: string;
  cardNumber: string | null;
  lines: Array<{ fineId: string; reason: string; title: string | null; amount: number }>;
}

export interface FinesAccount {
  patronId: string;
  patronName: string;
  cardNumber: string | null;
  owed: number;
  fines: Fine[];
  receipts: Receipt[];
}
