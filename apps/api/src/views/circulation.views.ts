import { Type } from '@sinclair/typebox';
import { ITEM_STATUSES } from '@lib/catalog';
import { HOLD_STATUSES, LOAN_STATUSES, OFFLINE_TRANSACTION_TYPES, OVERDUE_DAY_COUNTS, PAYMENT_METHODS } from '@lib/circulation';
import { Day, Nullable, OneOf, Shape, Timestamp, Uuid, View } from '../http/answers';

const Bilingual = () => Shape({ zh: Type.String(), en: Type.String() });

/** An error as the API answers it: on its own, or for one copy of a list. */
export const ApiErrorBody = View(
  'ApiErrorBody',
  Shape({
    statusCode: Type.Integer(),
    code: Type.String(),
    message: Type.String({ description: 'in the language the request asked for (Accept-Language)' }),
    details: Type.Object({}, { additionalProperties: true }),
  }),
);

export const Loan = View(
  'Loan',
  Shape({
    id: Uuid(),
    itemId: Uuid(),
    barcode: Type.String(),
    recordId: Uuid(),
    title: Type.String(),
    checkoutBranchId: Uuid(),
    checkedOutAt: Timestamp(),
    dueAt: Timestamp(),
    renewals: Type.Integer(),
    status: OneOf(LOAN_STATUSES),
    overdue: Type.Boolean(),
    closedAt: Nullable(Timestamp()),
  }),
);

export const CheckoutResult = View('CheckoutResult', Shape({ loanId: Uuid(), dueAt: Timestamp() }));
export const Renewal = View('Renewal', Shape({ loanId: Uuid(), dueAt: Timestamp(), renewals: Type.Integer() }));
export const LoanStatusChange = View('LoanStatusChange', Shape({ loanId: Uuid(), status: OneOf(LOAN_STATUSES) }));

const RoutingAction = () => OneOf(['shelve', 'hold-shelf', 'transit'] as const);

const CheckinResultShape = Shape({
  barcode: Type.String(),
  title: Type.String(),
  destinationName: Type.String({ description: "where the copy goes (pickup or destination branch; this one when it stays)" }),
  checkedInOn: Day({ description: "the day in this branch's zone" }),
  wasOnLoan: Type.Boolean(),
  loanId: Type.Optional(Uuid()),
  fine: Type.Optional(Type.Number({ description: 'the overdue fine charged at this return, yuan' })),
  action: RoutingAction(),
  destinationBranchId: Type.Optional(Uuid()),
  holdId: Type.Optional(Uuid()),
  holdFor: Type.Optional(
    Shape(
      { patronName: Type.String({ description: 'masked' }), cardLast4: Nullable(Type.String()), pickupBy: Nullable(Timestamp()) },
      { description: 'the reader a trapped copy is for (never shown to kiosks)' },
    ),
  ),
  found: Type.Optional(Type.Boolean({ description: 'the copy had been marked missing or lost: found again' })),
  message: Bilingual(),
});
export const CheckinResult = View('CheckinResult', CheckinResultShape);

/** One copy of a bulk check-in (`{barcodes}`), in the order sent: its check-in, or why not. */
export const CheckinListItem = View(
  'CheckinListItem',
  Type.Union([
    Type.Composite([Shape({ ok: Type.Literal(true) }), CheckinResultShape], { additionalProperties: false }),
    Shape({ ok: Type.Literal(false), barcode: Type.String(), error: ApiErrorBody }),
  ]),
);
export const CheckinList = View('CheckinList', Shape({ items: Type.Array(CheckinListItem) }));

export const OfflineResult = View(
  'OfflineResult',
  Type.Union([
    Shape({ clientId: Type.String(), result: Type.Literal('applied'), type: Type.Literal('checkout'), loanId: Uuid(), dueAt: Timestamp() }),
    Shape({ clientId: Type.String(), result: Type.Literal('applied'), type: Type.Literal('checkin'), checkin: CheckinResult }),
    Shape({ clientId: Type.String(), result: Type.Literal('conflict'), conflictId: Uuid(), code: Type.String(), message: Bilingual() }),
    Shape({ clientId: Type.String(), result: Type.Literal('duplicate'), firstOutcome: OneOf(['applied', 'conflict'] as const), code: Nullable(Type.String()) }),
  ]),
);
export const OfflineUpload = View('OfflineUpload', Shape({ items: Type.Array(OfflineResult) }));

export const OfflineConflict = View(
  'OfflineConflict',
  Shape({
    id: Uuid(),
    clientId: Type.String(),
    branchId: Uuid(),
    type: OneOf(OFFLINE_TRANSACTION_TYPES),
    at: Timestamp(),
    barcode: Type.String(),
    title: Nullable(Type.String()),
    card: Nullable(Type.String({ description: 'masked (1108****0017)' })),
    code: Type.String(),
    message: Bilingual(),
    uploadedAt: Timestamp(),
    settledAt: Nullable(Timestamp()),
    settleNote: Nullable(Type.String()),
  }),
);
export const OfflineConflictList = View('OfflineConflictList', Shape({ items: Type.Array(OfflineConflict) }));
export const OfflineConflictSettled = View('OfflineConflictSettled', Shape({ id: Uuid(), settledAt: Timestamp() }));

export const PolicyRule = View(
  'PolicyRule',
  Shape({
    patronCategory: Nullable(Type.String()),
    itemType: Nullable(Type.String()),
    branchId: Nullable(Uuid()),
    loanDays: Type.Integer(),
    maxLoans: Type.Integer(),
    renewalsAllowed: Type.Integer(),
    holdsAllowed: Type.Boolean(),
    maxHolds: Type.Integer(),
    holdPickupDays: Type.Integer(),
    finePerDay: Type.Number(),
    fineCap: Type.Number(),
    blockFinesOver: Type.Number(),
    blockOverdueItems: Type.Integer(),
    overdueDays: OneOf(OVERDUE_DAY_COUNTS),
  }),
);
export const Policies = View(
  'Policies',
  Shape({ rules: Type.Array(PolicyRule), floatingPairs: Type.Array(Shape({ branchAId: Uuid(), branchBId: Uuid() })) }),
);
export const HoldsExpired = View('HoldsExpired', Shape({ expired: Type.Integer() }));

export const Hold = View(
  'Hold',
  Shape({
    id: Uuid(),
    recordId: Uuid(),
    itemId: Nullable(Uuid({ description: 'a hold on one copy; null: any copy of the title' })),
    title: Type.String(),
    pickupBranchId: Uuid(),
    pickupStopId: Nullable(Uuid({ description: 'a stop of the mobile library to pick up at' })),
    pickupStopName: Nullable(Type.String()),
    pickupStopNextVisit: Nullable(Shape({ startsAt: Timestamp(), endsAt: Timestamp() }, { description: 'null: none scheduled yet' })),
    status: OneOf(HOLD_STATUSES),
    placedAt: Timestamp(),
    queuePosition: Nullable(Type.Integer()),
    trappedItemId: Nullable(Uuid()),
    readyAt: Nullable(Timestamp()),
    expiresAt: Nullable(Timestamp()),
  }),
);

export const HoldShelfEntry = View(
  'HoldShelfEntry',
  Shape({
    id: Uuid(),
    title: Type.String(),
    barcode: Type.String(),
    patronName: Type.String(),
    cardNumber: Nullable(Type.String()),
    readyAt: Timestamp(),
    expiresAt: Timestamp(),
    stopId: Nullable(Uuid()),
    stopName: Nullable(Type.String()),
  }),
);

/** A line of a branch's pull list (取书单): the reader masked, the card's last four digits. */
export const PullListEntry = View(
  'PullListEntry',
  Shape({
    holdId: Uuid(),
    placedAt: Timestamp(),
    title: Type.String(),
    callNumber: Nullable(Type.String()),
    shelvingLocation: Nullable(Type.String()),
    barcode: Type.String(),
    pickupBranchId: Uuid(),
    pickupBranchName: Type.String(),
    patronName: Type.String({ description: 'masked' }),
    cardLast4: Nullable(Type.String()),
  }),
);

export const Transit = View(
  'Transit',
  Shape({
    id: Uuid(),
    itemId: Uuid(),
    barcode: Type.String(),
    title: Type.String(),
    fromBranchId: Uuid(),
    toBranchId: Uuid(),
    reason: Type.String(),
    holdId: Nullable(Uuid()),
    sentAt: Timestamp(),
  }),
);
export const TransitReceived = View(
  'TransitReceived',
  Shape({ transitId: Uuid(), action: RoutingAction(), destinationBranchId: Type.Optional(Uuid()), holdId: Type.Optional(Uuid()) }),
);

export const Fine = View(
  'Fine',
  Shape({
    id: Uuid(),
    reason: Type.String(),
    title: Nullable(Type.String({ description: "what the item was, while the loan is known (the resident kept their history)" })),
    amount: Type.Number(),
    paid: Type.Number(),
    waived: Type.Number(),
    owing: Type.Number(),
    createdAt: Timestamp(),
    settledAt: Nullable(Timestamp()),
  }),
);

export const Receipt = View(
  'Receipt',
  Shape({
    receiptNumber: Type.String(),
    amount: Type.Number(),
    method: OneOf(PAYMENT_METHODS),
    paidAt: Timestamp(),
    branchName: Nullable(Type.String()),
    patronName: Type.String({ description: 'masked' }),
    cardNumber: Nullable(Type.String({ description: 'masked' })),
    lines: Type.Array(Shape({ fineId: Uuid(), reason: Type.String(), title: Nullable(Type.String()), amount: Type.Number() })),
  }),
);

export const FinesAccount = View(
  'FinesAccount',
  Shape({
    patronId: Uuid(),
    patronName: Type.String({ description: 'masked' }),
    cardNumber: Nullable(Type.String({ description: 'masked' })),
    owed: Type.Number(),
    fines: Type.Array(Fine),
    receipts: Type.Array(Receipt),
  }),
);

export const LoanHistorySetting = View('LoanHistorySetting', Shape({ keep: Type.Boolean() }));

const InventorySessionShape = Shape({
  id: Uuid(),
  branchId: Uuid(),
  callNumberFrom: Nullable(Type.String()),
  callNumberTo: Nullable(Type.String()),
  shelvingLocation: Nullable(Type.String()),
  startedAt: Timestamp(),
  scanCount: Type.Integer(),
  missingMarkedAt: Nullable(Timestamp()),
});
export const InventorySession = View('InventorySession', InventorySessionShape);

const ElsewhereReason = () => OneOf(['other_branch', 'out_of_range', 'in_transit', 'hold_shelf', 'lost', 'withdrawn'] as const);
const copyLine = {
  barcode: Type.String(),
  title: Type.String(),
  callNumber: Nullable(Type.String()),
  status: OneOf(ITEM_STATUSES),
};
export const InventoryReport = View(
  'InventoryReport',
  Shape({
    session: InventorySession,
    counts: Shape({
      scans: Type.Integer(),
      barcodes: Type.Integer(),
      expected: Type.Integer(),
      onShelf: Type.Integer(),
      missing: Type.Integer(),
      checkedOut: Type.Integer(),
      elsewhere: Type.Integer(),
      outOfOrder: Type.Integer(),
      unknown: Type.Integer(),
      found: Type.Integer(),
    }),
    missing: Type.Array(Shape(copyLine)),
    checkedOut: Type.Array(Shape({ ...copyLine, dueAt: Nullable(Timestamp()) })),
    elsewhere: Type.Array(Shape({ ...copyLine, reason: ElsewhereReason(), circulatingBranchId: Uuid() })),
    outOfOrder: Type.Array(Shape({ ...copyLine, seq: Type.Integer(), previousCallNumber: Nullable(Type.String()) })),
    unknown: Type.Array(Shape({ barcode: Type.String(), seq: Type.Integer() })),
    found: Type.Array(Shape({ ...copyLine, seq: Type.Integer() })),
  }),
);
export const InventoryScans = View(
  'InventoryScans',
  Shape({
    scans: Type.Array(
      Shape({
        seq: Type.Integer(),
        barcode: Type.String(),
        found: Type.Boolean(),
        verdict: Type.Union([
          Shape({ kind: Type.Literal('unknown') }),
          Shape({ kind: Type.Literal('checked_out') }),
          Shape({ kind: Type.Literal('elsewhere'), reason: ElsewhereReason() }),
          Shape({ kind: Type.Literal('on_shelf') }),
        ]),
      }),
    ),
  }),
);
export const InventoryMarked = View(
  'InventoryMarked',
  Shape({ marked: Type.Array(Type.String({ description: 'barcode' })), markedBySession: Type.Integer() }),
);

/** A stop of the mobile library (流动图书车) with its upcoming visits, soonest first. */
export const MobileStop = View(
  'MobileStop',
  Shape({
    id: Uuid(),
    branchId: Uuid(),
    branchName: Type.String(),
    regionId: Uuid(),
    regionName: Type.String(),
    name: Type.String(),
    place: Nullable(Type.String()),
    visits: Type.Array(
      Shape({
        id: Uuid(),
        startsAt: Timestamp(),
        endsAt: Timestamp(),
        date: Day({ description: "the visit's day in the branch's zone" }),
        starts: Type.String({ description: 'HH:mm in the branch zone' }),
        ends: Type.String({ description: 'HH:mm in the branch zone' }),
      }),
    ),
  }),
);
export const MobileStopDeleted = View('MobileStopDeleted', Shape({ id: Uuid(), deleted: Type.Literal(true) }));
