import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Env } from '@lib/config';
import { AccountsModule } from '@lib/accounts';
import { AUTH_ENTITIES } from './entities';
import { AccessGuard } from './guards/access.guard';
import { LocalAuthGuard } from './guards/local-auth.guard';
import { AuthService } from './services/auth.service';
import { LoginThrottleService } from './services/login-throttle.service';
import { SessionService } from './services/session.service';
import { TokenService } from './services/token.service';
import { TokenSigningSecret } from './signing-secret';
import { JwtStrategy } from './strategies/jwt.strategy';
import { LocalStrategy } from './strategies/local.strategy';

@Module({
  imports: [
    TypeOrmModule.forFeature(AUTH_ENTITIES),
    AccountsModule,
    PassportModule,
    JwtModule.registerAsync({
      extraProviders: [{ provide: TokenSigningSecret, inject: [Env], useFactory: TokenSigningSecret.fromEnv }],
      inject: [TokenSigningSecret],
      useFactory: (secret: TokenSigningSecret) => ({ secret: secret.key, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  providers: [
    { provide: TokenSigningSecret, inject: [Env], useFactory: TokenSigningSecret.fromEnv },
    TokenService,
    SessionService,
    LoginThrottleService,
    AuthService,
    LocalStrategy,
    JwtStrategy,
    LocalAuthGuard,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, TokenService, LocalAuthGuard],
})
export class AuthModule {}
