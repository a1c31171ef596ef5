export * from './entities';
export * from './dto/region.dto';
export * from './dto/branch.dto';
export { NetworkError } from './network.errors';
export { NetworkModule } from './network.module';
export { RegionsService } from './services/regions.service';
export { BranchesService } from './services/branches.service';
export * from './calendar/opening-calendar';
export { regionParentProblem, branchParentProblem } from './region-rules';
