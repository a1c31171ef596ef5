import { Type } from '@sinclair/typebox';
import { Day, Nullable, OneOf, Page, Shape, Timestamp, Uuid, View } from '../http/answers';

const SERVICE_CATEGORIES = ['performance', 'lecture', 'exhibition', 'film_screening', 'training', 'reading_promotion', 'book_delivery', 'home_visit'] as const;
const ORDER_STATUSES = ['submitted', 'accepted', 'declined', 'scheduled', 'delivered', 'evaluated', 'cancelled'] as const;

const ServiceItemFields = {
  id: Uuid(),
  title: Type.String(),
  category: OneOf(SERVICE_CATEGORIES),
  description: Nullable(Type.String()),
  provider: Type.String({ description: 'who delivers it: the cultural centre, the library, or a contracted social organisation' }),
  providerBranchId: Nullable(Uuid()),
  operatorId: Uuid(),
  durationMinutes: Type.Integer(),
  audienceMin: Type.Integer(),
  audienceMax: Type.Integer(),
  leadTimeDays: Type.Integer(),
  regionIds: Type.Array(Uuid()),
  monthlyCapacity: Type.Integer(),
  free: Type.Boolean(),
  feeNote: Nullable(Type.String()),
  status: OneOf(['draft', 'published', 'paused', 'retired'] as const),
  publishedAt: Nullable(Timestamp()),
  retiredAt: Nullable(Timestamp()),
  createdAt: Timestamp(),
  updatedAt: Timestamp(),
};

/** 菜单项: a deliverable service; read with the month's orders and the capacity left in it. */
export const ServiceItem = View(
  'ServiceItem',
  Shape({
    ...ServiceItemFields,
    month: Type.Optional(Type.String({ description: 'YYYY-MM the capacity figures are for' })),
    ordersInMonth: Type.Optional(Type.Integer()),
    remainingInMonth: Type.Optional(Type.Integer()),
  }),
);
export const ServiceItemPage = View('ServiceItemPage', Page(ServiceItem));

export const ServiceOrderEvent = View(
  'ServiceOrderEvent',
  Shape({
    id: Type.String({ description: 'bigint: the order the steps were made in' }),
    orderId: Uuid(),
    fromStatus: Nullable(OneOf(ORDER_STATUSES)),
    toStatus: OneOf(ORDER_STATUSES),
    step: OneOf([...ORDER_STATUSES, 'rescheduled', 'confirmed'] as const),
    previousStartsAt: Nullable(Timestamp()),
    actorId: Uuid(),
    actorRole: Type.String(),
    reason: Nullable(Type.String()),
    at: Timestamp(),
  }),
);

/** 点单: a community's order of a menu item; `history` when read one by one. */
export const ServiceOrder = View(
  'ServiceOrder',
  Shape({
    id: Uuid(),
    itemId: Uuid(),
    item: Shape({ id: Uuid(), title: Type.String(), category: OneOf(SERVICE_CATEGORIES), provider: Type.String(), operatorId: Uuid() }),
    regionId: Uuid(),
    orderedBy: Uuid(),
    status: OneOf(ORDER_STATUSES),
    preferredFrom: Day(),
    preferredTo: Day(),
    month: Day({ description: 'first day of the month the order counts in' }),
    expectedAudience: Type.Integer(),
    venueId: Nullable(Uuid()),
    address: Nullable(Type.String()),
    notes: Nullable(Type.String()),
    scheduledStartsAt: Nullable(Timestamp()),
    scheduledEndsAt: Nullable(Timestamp()),
    venueBookingId: Nullable(Uuid()),
    activityId: Nullable(Uuid()),
    attendance: Nullable(Type.Integer()),
    deliveryNotes: Nullable(Type.String()),
    photoUrls: Type.Array(Type.String()),
    deliveredAt: Nullable(Timestamp()),
    confirmedAt: Nullable(Timestamp({ description: 'when delivery was confirmed (送达确认); null until then' })),
    confirmedBy: Nullable(Uuid()),
    createdAt: Timestamp(),
    updatedAt: Timestamp(),
    history: Type.Optional(Type.Array(ServiceOrderEvent)),
  }),
);
export const ServiceOrderPage = View('ServiceOrderPage', Page(ServiceOrder));

export const ServiceRating = View(
  'ServiceRating',
  Shape({
    orderId: Uuid(),
    raterId: Uuid(),
    raterKind: OneOf(['organizer', 'resident'] as const),
    score: Type.Integer({ minimum: 1, maximum: 5 }),
    comment: Nullable(Type.String()),
    createdAt: Timestamp(),
  }),
);

/** 订单式: what residents and organizers ask for beyond the menu (who asked is not published). */
export const Demand = View(
  'Demand',
  Shape({
    id: Uuid(),
    category: OneOf(SERVICE_CATEGORIES),
    title: Type.String(),
    description: Type.String(),
    regionId: Uuid(),
    askedByKind: OneOf(['patron', 'staff'] as const),
    votes: Type.Integer(),
    status: OneOf(['open', 'planned', 'added_to_menu', 'declined'] as const),
    answer: Nullable(Type.String()),
    answeredBy: Nullable(Uuid()),
    answeredAt: Nullable(Timestamp()),
    itemId: Nullable(Uuid({ description: 'the menu item it was added as' })),
    createdAt: Timestamp(),
    updatedAt: Timestamp(),
  }),
);
export const DemandPage = View('DemandPage', Page(Demand));
export const DemandVotes = View('DemandVotes', Shape({ id: Uuid(), votes: Type.Integer() }));

/** A delivered service the resident attended or was named as served at. */
export const AttendedService = View(
  'AttendedService',
  Shape({
    orderId: Uuid(),
    title: Type.String(),
    category: OneOf(SERVICE_CATEGORIES),
    provider: Type.String(),
    startsAt: Nullable(Timestamp()),
    deliveredAt: Nullable(Timestamp()),
    myScore: Nullable(Type.Integer({ description: 'the resident’s rating, once given' })),
  }),
);
export const AttendedServicePage = View('AttendedServicePage', Page(AttendedService));

const SatisfactionFigureFields = {
  ratings: Type.Integer(),
  mean: Nullable(Type.Number({ description: 'mean score, 2 places; null without ratings' })),
  highShare: Nullable(Type.Number({ description: 'share of 4-5 ratings, 4 places; null without ratings' })),
};
export const SatisfactionFigure = View('SatisfactionFigure', Shape(SatisfactionFigureFields));
export const SatisfactionIndex = View(
  'SatisfactionIndex',
  Shape({
    by: OneOf(['operator', 'item', 'region'] as const),
    from: Nullable(Day()),
    to: Nullable(Day()),
    overall: SatisfactionFigure,
    groups: Type.Array(Shape({ id: Uuid(), name: Type.String(), ...SatisfactionFigureFields })),
  }),
);
