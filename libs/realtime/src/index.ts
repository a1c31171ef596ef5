export { RealtimeModule } from './realtime.module';
export { LiveEvents, publishAfterCommit } from './live-events';
export { rooms, namespaceOf, PUBLIC_NAMESPACE, PRIVATE_NAMESPACE } from './live-event';
export type { LiveEvent, LiveRefresh, LiveMessage, LiveSink } from './live-event';
export { SocketEmitterSink, socketIoKey, publisherClient } from './socket-emitter';
