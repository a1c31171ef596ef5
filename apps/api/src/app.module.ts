import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { ConfigModule, Env } from '@lib/config';
import { buildDataSourceOptions } from '@lib/db';
import { REDIS_CLIENT, RedisModule } from '@lib/redis';
import { NetworkModule } from '@lib/network';
import { AccountsModule } from '@lib/accounts';
import { AuthModule } from '@lib/auth';
import { CatalogModule } from '@lib/catalog';
import { CirculationModule } from '@lib/circulation';
import { NotificationsModule, NotificationsOptions } from '@lib/notifications';
import { BookingModule } from '@lib/booking';
import { RealtimeModule } from '@lib/realtime';
import { JobsModule } from '@lib/jobs';
import { ServicesModule } from '@lib/services';
import { StatsModule } from '@lib/stats';
import { IndicatorsModule } from '@lib/indicators';
import { PrivacyModule } from '@lib/privacy';
import { ALL_ENTITIES } from '@lib/schema';
import { ErrorFilter } from './http/error.filter';
import { RateLimitGuard, rateLimitOptions } from './http/rate-limit';
import { DemoSeeder } from './demo/demo-seeder';
import { DemoProgrammeSeeder } from './demo/demo-programme-seeder';
import { DemoHistorySeeder } from './demo/demo-history-seeder';
import { AuthController } from './controllers/auth.controller';
import { MeController } from './controllers/me.controller';
import { CardsController } from './controllers/cards.controller';
import { StaffController } from './controllers/staff.controller';
import { RegionsController } from './controllers/regions.controller';
import { BranchesController } from './controllers/branches.controller';
import { MobileStopsController } from './controllers/mobile-stops.controller';
import { HealthController } from './controllers/health.controller';
import { CatalogController } from './controllers/catalog.controller';
import { CirculationController } from './controllers/circulation.controller';
import { FinesController } from './controllers/fines.controller';
import { HoldsController } from './controllers/holds.controller';
import { VenuesController } from './controllers/venues.controller';
import { ActivitiesController } from './controllers/activities.controller';
import { AdminJobsController } from './controllers/admin-jobs.controller';
import { PersonalLiveGateway, PublicLiveGateway } from './live/live.gateway';
import { ServiceMenuController } from './controllers/service-menu.controller';
import { ServiceOrdersController } from './controllers/service-orders.controller';
import { DemandsController } from './controllers/demands.controller';
import { IndicatorsController } from './controllers/indicators.controller';
import { UsageController } from './controllers/usage.controller';
import { InventoryController } from './controllers/inventory.controller';
import { AdminPersonalDataController } from './controllers/admin-personal-data.controller';

/** Personal data and secrets never reach the logs. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body.password',
  'req.body.idNumber',
  'req.body.phone',
  'req.body.refreshToken',
  'req.body.token',
  'res.headers["set-cookie"]',
];

/** What a deployment plugs in without touching the libs. */
export interface AppOptions {
  /** Where notices go besides the inbox and the live push (default: the log). An SMS or WeChat provider goes here. */
  notificationChannels?: NotificationsOptions['channels'];
  /**
   * false: the caller closes the app on SIGINT/SIGTERM itself, in its own order (main.ts: the app, then
   * the embedded PostgreSQL; a cluster's primary stops its workers first). Default: Nest's shutdown hooks.
   */
  shutdownHooks?: boolean;
}

@Module({})
export class AppModule {
  static forRoot(env: Env, databaseUrl: string, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggerModule.forRoot({
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          pinoHttp: {
            level: env.LOG_LEVEL,
            redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
            // Query strings can carry tokens (card QR); log the path only.
            serializers: {
              req: (req: { method: string; url: string; id: unknown }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            transport: env.NODE_ENV === 'development' ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
          },
        }),
        TypeOrmModule.forRoot(buildDataSourceOptions(databaseUrl, ALL_ENTITIES)),
        RedisModule,
        RealtimeModule,
        ThrottlerModule.forRootAsync({ inject: [Env, REDIS_CLIENT], useFactory: rateLimitOptions }),
        NetworkModule,
        AccountsModule,
        AuthModule,
        CatalogModule,
        CirculationModule,
        NotificationsModule.forRoot({ channels: options.notificationChannels }),
        BookingModule,
        JobsModule.forRoot('api'),
        ServicesModule,
        StatsModule,
        IndicatorsModule,
        PrivacyModule,
      ],
      controllers: [
        AuthController,
        MeController,
        CardsController,
        StaffController,
        RegionsController,
        BranchesController,
        MobileStopsController,
        HealthController,
        CatalogController,
        CirculationController,
        FinesController,
        HoldsController,
        VenuesController,
        ActivitiesController,
        AdminJobsController,
        ServiceMenuController,
        ServiceOrdersController,
        DemandsController,
        IndicatorsController,
        UsageController,
        InventoryController,
        AdminPersonalDataController,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        DemoSeeder,
        DemoProgrammeSeeder,
        DemoHistorySeeder,
        PersonalLiveGateway,
        PublicLiveGateway,
      ],
    };
  }
}
