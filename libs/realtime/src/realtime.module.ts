import { Global, Module } from '@nestjs/common';
import { LiveEvents } from './live-events';

/** Registers the after-commit relay on the app's DataSource; apps attach their transports as sinks. */
@Global()
@Module({ providers: [LiveEvents], exports: [LiveEvents] })
export class RealtimeModule {}
