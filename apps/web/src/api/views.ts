// The shapes the API answers with, for operations whose OpenAPI entry declares no response schema.
// Kept next to the generated schema.d.ts; field names follow the API exactly.

// Helper A: generated from the API's declared response schemas (apps/api/src/views).
export type {
  Branch,
  WeekHours,
  Region,
  Session,
  Activity,
  AttendanceCheckin,
  Registration,
  AttendedService,
  Venue,
  Availability,
  FreeToday,
  VenueBooking,
  ServiceItem,
  ServiceOrder,
  Demand,
  SatisfactionFigure,
  SatisfactionIndex,
  IndicatorPlan,
  IndicatorRow,
  IndicatorReport,
  IndicatorDetail,
} from './schema';

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

export type IndicatorStatus = 'meets' | 'does_not_meet' | 'no_data';

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
