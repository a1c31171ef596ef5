// The shapes the API answers with, for operations whose OpenAPI entry declares no response schema.
// Kept next to the generated schema.d.ts; field names follow the API exactly.

export type Role = 'resident' | 'librarian' | 'operator' | 'organizer' | 'admin' | 'kiosk' | 'device';

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

// Generated from the API's response schemas (helper B's part of issue 16).
export type {
  ApiErrorBody,
  BulkEditPreview,
  CardQr,
  CheckinListItem,
  CheckinResult,
  Fine,
  FinesAccount,
  Hold,
  ImportReport,
  Loan,
  Me,
  Notification,
  PolicyRule,
  PullListEntry,
  Receipt,
  RecordView,
  Staff,
  Transit,
} from './schema';
