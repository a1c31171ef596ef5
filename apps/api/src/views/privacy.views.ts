import { Type } from '@sinclair/typebox';
import { Nullable, OneOf, Page, Shape, Timestamp, Uuid, View } from '../http/answers';

/** One line of the PIPL access log: a staff read or change of a resident's personal data. */
export const PersonalDataAccess = View(
  'PersonalDataAccess',
  Shape({
    id: Uuid(),
    at: Timestamp(),
    staffId: Uuid(),
    staffUsername: Nullable(Type.String()),
    patronId: Uuid(),
    patronName: Nullable(Type.String({ description: 'masked: 张*' })),
    operation: OneOf(['read', 'change'] as const),
    action: Type.String({ description: 'what was done, e.g. card.lookup, card.reissue' }),
    fields: Type.Array(Type.String()),
    ip: Nullable(Type.String()),
    userAgent: Nullable(Type.String()),
  }),
);
export const PersonalDataAccessPage = View('PersonalDataAccessPage', Page(PersonalDataAccess));

export const ClosedAccount = View(
  'ClosedAccount',
  Shape({
    closedAt: Timestamp(),
    cardsEnded: Type.Integer(),
    sessionsEnded: Type.Integer(),
  }),
);
