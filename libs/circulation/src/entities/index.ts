import { CirculationPolicy, FloatingPair } from './circulation-policy.entity';
import { Fine, Loan } from './loan.entity';
import { Hold } from './hold.entity';
import { Transit } from './transit.entity';
import { CopyToPull } from './copy-to-pull.entity';

export * from './circulation-policy.entity';
export * from './loan.entity';
export * from './hold.entity';
export * from './transit.entity';
export * from './copy-to-pull.entity';
export const CIRCULATION_ENTITIES = [CirculationPolicy, FloatingPair, Loan, Fine, Hold, Transit, CopyToPull];
