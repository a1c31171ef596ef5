import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { ConfigModule, Env } from '@lib/config';
import { buildDataSourceOptions } from '@lib/db';
import { RedisModule } from '@lib/redis';
import { RealtimeModule, SocketEmitterSink } from '@lib/realtime';
import { NotificationsModule, NotificationsOptions } from '@lib/notifications';
import { JobsModule } from '@lib/jobs';
import { ALL_ENTITIES } from '@lib/schema';

/** The background worker: the domain modules, the jobs, and live events handed to the API instances through Redis. */
@Module({})
export class WorkerModule {
  /** `notificationChannels`: the same outside channels as the API's (jobs send notices too, from here). */
  static forRoot(env: Env, databaseUrl: string, options: { notificationChannels?: NotificationsOptions['channels'] } = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggerModule.forRoot({
          pinoHttp: { level: env.LOG_LEVEL, transport: env.NODE_ENV === 'development' ? { target: 'pino-pretty', options: { singleLine: true } } : undefined },
        }),
        TypeOrmModule.forRoot(buildDataSourceOptions(databaseUrl, ALL_ENTITIES)),
        RedisModule,
        RealtimeModule,
        NotificationsModule.forRoot({ channels: options.notificationChannels }),
        JobsModule.forRoot('worker'),
      ],
      providers: [SocketEmitterSink],
    };
  }
}
