import { Region, RegionPopulation } from './region.entity';
import { Branch, BranchCalendarException, BranchWeeklyHours } from './branch.entity';
import { MobileStop, MobileStopVisit } from './mobile-stop.entity';

export * from './region.entity';
export * from './branch.entity';
export * from './mobile-stop.entity';
export const NETWORK_ENTITIES = [Region, RegionPopulation, Branch, BranchWeeklyHours, BranchCalendarException, MobileStop, MobileStopVisit];
