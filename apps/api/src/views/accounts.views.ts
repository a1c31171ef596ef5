import { Type } from '@sinclair/typebox';
import { CARD_STATUSES, PATRON_CATEGORIES, STAFF_ROLES } from '@lib/accounts';
import { Nullable, OneOf, Page, Shape, Timestamp, Uuid, View } from '../http/answers';

export const TokenPair = View(
  'TokenPair',
  Shape({
    accessToken: Type.String(),
    refreshToken: Type.String(),
    tokenType: Type.Literal('Bearer'),
    expiresIn: Type.Integer({ description: 'seconds the access token is valid' }),
  }),
);

export const RegisteredPatron = View('RegisteredPatron', Shape({ id: Uuid(), cardNumber: Type.String() }));

const CardShape = Shape({
  number: Type.String(),
  status: OneOf(CARD_STATUSES),
  issuedAt: Timestamp(),
  endedAt: Nullable(Timestamp()),
  statusReason: Nullable(Type.String()),
});
export const Card = View('Card', CardShape);

const PatronShape = Shape({
  id: Uuid(),
  name: Type.String(),
  phone: Nullable(Type.String({ description: 'masked: 138****8000; null once the account is closed' })),
  idNumber: Nullable(Type.String({ description: 'masked: 110***********002X' })),
  category: OneOf(PATRON_CATEGORIES),
  card: Nullable(Card),
  createdAt: Timestamp(),
});
export const Patron = View('Patron', PatronShape);

const StaffShape = Shape({
  id: Uuid(),
  username: Type.String(),
  name: Type.String(),
  role: OneOf(STAFF_ROLES),
  active: Type.Boolean(),
  branchIds: Type.Array(Uuid()),
  regionIds: Type.Array(Uuid()),
  createdAt: Timestamp(),
});
export const Staff = View('Staff', StaffShape);
export const StaffPage = View('StaffPage', Page(Staff));

/** The caller's account: a resident (personal data masked) or a staff account. */
export const Me = View(
  'Me',
  Type.Union([
    Type.Composite([Shape({ kind: Type.Literal('patron') }), PatronShape], { additionalProperties: false }),
    Type.Composite([Shape({ kind: Type.Literal('staff') }), StaffShape], { additionalProperties: false }),
  ]),
);

export const CardQr = View('CardQr', Shape({ token: Type.String(), expiresAt: Timestamp(), cardNumber: Type.String() }));

/** A card looked up or scanned at the desk, with its holder (masked). */
export const CardHolder = View('CardHolder', Shape({ card: Card, patron: Patron }));

export const Notification = View(
  'Notification',
  Shape({
    id: Uuid(),
    kind: Type.String(),
    title: Type.String({ description: "in the caller's language" }),
    body: Type.String(),
    payload: Type.Object({}, { additionalProperties: true, description: 'what the message was made from' }),
    createdAt: Timestamp(),
    readAt: Nullable(Timestamp()),
  }),
);
export const NotificationRead = View('NotificationRead', Shape({ id: Uuid(), readAt: Timestamp() }));
