export * from './entities';
export * from './dto/auth.dto';
export { AuthModule } from './auth.module';
export { AuthError } from './auth.errors';
export { AuthService } from './services/auth.service';
export { LocalAuthGuard } from './guards/local-auth.guard';
export { Public, Roles, ActsAtBranch, ActingBranch, CurrentPrincipal } from './decorators';
export { canActAtBranch, actingBranchOf, ALL_ROLES } from './principal';
export type { Principal, Role } from './principal';
