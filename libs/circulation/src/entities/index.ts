import { CirculationPolicy, FloatingPair } from './circulation-policy.entity';
import { Fine, Loan } from './loan.entity';
import { Hold } from './hold.entity';
import { Transit } from './transit.entity';
import { InventoryMissing, InventoryScan, InventorySession } from './inventory.entity';
import { OfflineTransaction } from './offline-transaction.entity';
import { FineEvent, Payment } from './fine-payment.entity';
import { CopyToPull } from './copy-to-pull.entity';

export * from './circulation-policy.entity';
export * from './loan.entity';
export * from './hold.entity';
export * from './transit.entity';
export * from './inventory.entity';
export * from './offline-transaction.entity';
export * from './fine-payment.entity';
export * from './copy-to-pull.entity';
export const CIRCULATION_ENTITIES = [CirculationPolicy, FloatingPair, Loan, Fine, Hold, Transit, InventorySession, InventoryScan, InventoryMissing, OfflineTransaction, Payment, FineEvent, CopyToPull];
