import { Logger } from '@nestjs/common';
import { ConnectedSocket, MessageBody, OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { AuthService, Principal } from '@lib/auth';
import { ActivitiesService } from '@lib/booking';
import { LiveEvents, namespaceOf, PRIVATE_NAMESPACE, PUBLIC_NAMESPACE, rooms } from '@lib/realtime';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Delivers the relay's events for rooms of this namespace to its sockets (and, through the adapter, other instances'). */
function attachNamespace(live: LiveEvents, nsp: Namespace, name: string): void {
  live.attach({
    deliver: (event) => {
      if (namespaceOf(event.room) === name) nsp.to(event.room).emit(event.event, event.data);
    },
  });
}

/**
 * `/live`: signed-in residents and staff. The access token comes in the handshake (`auth.token`, or an
 * `Authorization: Bearer` header); without a valid one (or with one of a logged-out session) the
 * connection is refused (`connect_error` with message `UNAUTHENTICATED`), and it is closed when the
 * token expires. Each socket joins its person's room, and staff their branches' rooms.
 */
@WebSocketGateway({ namespace: PRIVATE_NAMESPACE })
export class PersonalLiveGateway implements OnGatewayInit<Namespace> {
  private readonly logger = new Logger('PersonalLiveGateway');

  constructor(
    private readonly auth: AuthService,
    private readonly live: LiveEvents,
  ) {}

  afterInit(nsp: Namespace): void {
    nsp.use((socket, next) => {
      const header = socket.handshake.headers.authorization;
      const token = (socket.handshake.auth as { token?: unknown })?.token ?? (header?.startsWith('Bearer ') ? header.slice(7) : undefined);
      if (typeof token !== 'string' || !token) return next(new Error('UNAUTHENTICATED'));
      this.auth
        .principalOfAccessToken(token)
        .then((principal: Principal) => {
          socket.data.principal = principal;
          // The connection lasts as long as the token: then the client reconnects with a fresh one.
          const { exp } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp?: number };
          if (exp) {
            const timer = setTimeout(() => socket.disconnect(true), Math.max(0, exp * 1000 - Date.now()));
            timer.unref();
            socket.once('disconnect', () => clearTimeout(timer));
          }
          void socket.join(
            principal.kind === 'patron'
              ? [rooms.patron(principal.id)]
              : [rooms.staff(principal.id), ...principal.branchIds.map((b) => rooms.branch(b))],
          );
          next();
        })
        .catch((e: Error) => {
          if (e.name !== 'DomainError') this.logger.warn(`live handshake failed: ${e.message}`);
          next(new Error('UNAUTHENTICATED'));
        });
    });
    attachNamespace(this.live, nsp, PRIVATE_NAMESPACE);
  }
}

/**
 * `/public`: anyone may watch a session's seats (`watch {sessionId}` → the counts now, then
 * `session.seats` on every change) or a venue's availability (`watch {venueId}` → `venue.availability`).
 */
@WebSocketGateway({ namespace: PUBLIC_NAMESPACE })
export class PublicLiveGateway implements OnGatewayInit<Namespace> {
  constructor(
    private readonly live: LiveEvents,
    private readonly activities: ActivitiesService,
  ) {}

  afterInit(nsp: Namespace): void {
    attachNamespace(this.live, nsp, PUBLIC_NAMESPACE);
  }

  @SubscribeMessage('watch')
  async watch(@ConnectedSocket() socket: Socket, @MessageBody() body: { sessionId?: unknown; venueId?: unknown } | undefined) {
    const target = watchTarget(body);
    if ('error' in target) return target;
    await socket.join(target.room);
    if (target.sessionId) {
      const seats = await this.activities.seatCounts(target.sessionId);
      if (!seats) {
        await socket.leave(target.room);
        return { error: { code: 'SESSION_NOT_FOUND', field: 'sessionId' } };
      }
      return { ok: true, room: target.room, seats };
    }
    return { ok: true, room: target.room };
  }

  @SubscribeMessage('unwatch')
  async unwatch(@ConnectedSocket() socket: Socket, @MessageBody() body: { sessionId?: unknown; venueId?: unknown } | undefined) {
    const target = watchTarget(body);
    if ('error' in target) return target;
    await socket.leave(target.room);
    return { ok: true, room: target.room };
  }
}

function watchTarget(body: { sessionId?: unknown; venueId?: unknown } | undefined):
  | { room: string; sessionId?: string }
  | { error: { code: string; field: string; message: string } } {
  const sessionId = body?.sessionId;
  const venueId = body?.venueId;
  if (typeof sessionId === 'string' && UUID.test(sessionId)) return { room: rooms.session(sessionId), sessionId };
  if (typeof venueId === 'string' && UUID.test(venueId)) return { room: rooms.venue(venueId) };
  const field = sessionId !== undefined ? 'sessionId' : 'venueId';
  return { error: { code: 'VALIDATION_FAILED', field, message: `${field} must be a UUID (watch {sessionId} or {venueId})` } };
}
