import { Patron } from './patron.entity';
import { Card } from './card.entity';
import { Staff, StaffBranch, StaffRegion } from './staff.entity';
import { PersonalDataAccess } from './personal-data-access.entity';

export * from './patron.entity';
export * from './card.entity';
export * from './staff.entity';
export * from './personal-data-access.entity';
export const ACCOUNT_ENTITIES = [Patron, Card, Staff, StaffBranch, StaffRegion, PersonalDataAccess];
