import { AuthSession, LoginThrottle } from './session.entity';

export * from './session.entity';
export const AUTH_ENTITIES = [AuthSession, LoginThrottle];
