import { Region, RegionPopulation } from './region.entity';
import { Branch, BranchCalendarException, BranchWeeklyHours } from './branch.entity';

export * from './region.entity';
export * from './branch.entity';
export const NETWORK_ENTITIES = [Region, RegionPopulation, Branch, BranchWeeklyHours, BranchCalendarException];
