import { Foundation1795343508547 } from './1795343508547-Foundation';
import { Circulation1795345068982 } from './1795345068982-Circulation';
import { Notifications1795346088224 } from './1795346088224-Notifications';
import { LoginAttemptsInFlight1795348396579 } from './1795348396579-LoginAttemptsInFlight';
import { Booking1795348771928 } from './1795348771928-Booking';
import { IdempotencyKeys1795349652083 } from './1795349652083-IdempotencyKeys';
import { ActivityApproval1795350624725 } from './1795350624725-ActivityApproval';
import { BookingDecidedBy1795351131817 } from './1795351131817-BookingDecidedBy';
import { ServiceMenu1795352143238 } from './1795352143238-ServiceMenu';
import { UsageRollupsIndicators1795352778445 } from './1795352778445-UsageRollupsIndicators';
import { UsageMonthly1795353391939 } from './1795353391939-UsageMonthly';
import { VisitIntervals1795353828696 } from './1795353828696-VisitIntervals';
import { UsageEventAppendOnly1795354200000 } from './1795354200000-UsageEventAppendOnly';
import { ServiceOrderConfirmation1796014346448 } from './1796014346448-ServiceOrderConfirmation';
import { RollupMonthLock1796014367731 } from './1796014367731-RollupMonthLock';
import { ServiceOrderServed1796015339310 } from './1796015339310-ServiceOrderServed';
import { WaitlistTickets1796016500000 } from './1796016500000-WaitlistTickets';
import { FinePayments1796017000000 } from './1796017000000-FinePayments';
import { PullListItemEdits1796017100000 } from './1796017100000-PullListItemEdits';
import { Inventory1796017200000 } from './1796017200000-Inventory';
import { OfflineCirculation1796017300000 } from './1796017300000-OfflineCirculation';
import { MobileStops1796017400000 } from './1796017400000-MobileStops';
import { PersonalDataAccessLog1796017500000 } from './1796017500000-PersonalDataAccessLog';
import { AccountClosure1796017550000 } from './1796017550000-AccountClosure';

// Every migration, in order. Generate a new one with
//   npm run migration:generate -- libs/db/src/migrations/<Name>
// (against a database migrated to the latest), then add it here.
export const MIGRATIONS: Function[] = [
  Foundation1795343508547,
  Circulation1795345068982,
  Notifications1795346088224,
  LoginAttemptsInFlight1795348396579,
  Booking1795348771928,
  IdempotencyKeys1795349652083,
  ActivityApproval1795350624725,
  BookingDecidedBy1795351131817,
  ServiceMenu1795352143238,
  UsageRollupsIndicators1795352778445,
  UsageMonthly1795353391939,
  VisitIntervals1795353828696,
  UsageEventAppendOnly1795354200000,
  ServiceOrderConfirmation1796014346448,
  RollupMonthLock1796014367731,
  ServiceOrderServed1796015339310,
  WaitlistTickets1796016500000,
  FinePayments1796017000000,
  PullListItemEdits1796017100000,
  Inventory1796017200000,
  OfflineCirculation1796017300000,
  MobileStops1796017400000,
  PersonalDataAccessLog1796017500000,
  AccountClosure1796017550000,
];
