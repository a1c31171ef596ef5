import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { ConfigModule, Env } from '@lib/config';
import { buildDataSourceOptions } from '@lib/db';
import { RedisModule } from '@lib/redis';
import { RealtimeModule, SocketEmitterSink } from '@lib/realtime';
import { NotificationsModule, NotificationsOptions } from '@lib/notifications';
import { AccountsModule } from '@lib/accounts';
import { AuthModule } from '@lib/auth';
import { CatalogModule } from '@lib/catalog';
import { CirculationModule } from '@lib/circulation';
import { NetworkModule } from '@lib/network';
import { ALL_ENTITIES } from '@lib/schema';
import { Sip2Handlers } from './sip2-session';
import { Sip2Server } from './sip2.server';

/** The kiosk server: the same domain modules as the API, another transport. */
@Module({})
export class Sip2Module {
  /** `notificationChannels`: the same outside channels as the API's (a kiosk checkin that traps a hold tells its resident). */
  static forRoot(env: Env, databaseUrl: string, options: { notificationChannels?: NotificationsOptions['channels'] } = {}): DynamicModule {
    return {
      module: Sip2Module,
      imports: [
        ConfigModule.forRoot(env),
        LoggerModule.forRoot({ pinoHttp: { level: env.LOG_LEVEL } }),
        TypeOrmModule.forRoot(buildDataSourceOptions(databaseUrl, ALL_ENTITIES)),
        RedisModule,
        RealtimeModule,
        NotificationsModule.forRoot({ channels: options.notificationChannels }),
        NetworkModule,
        AccountsModule,
        AuthModule,
        CatalogModule,
        CirculationModule,
      ],
      // Holds trapped and transits sent at a kiosk reach the staff's screens through the API instances.
      providers: [Sip2Handlers, Sip2Server, SocketEmitterSink],
      exports: [Sip2Server],
    };
  }
}
