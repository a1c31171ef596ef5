import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import iconv from 'iconv-lite';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { Env } from '@lib/config';
import { checksumValid, parseMessage, resendRequest } from './protocol/message';
import { Sip2Codec, Sip2Handlers } from './sip2-session';

/** Longest message accepted; a kiosk never sends more, so anything longer is garbage or an attack. */
export const MAX_MESSAGE_BYTES = 8192;
const CR = 0x0d;
const LF = 0x0a;
/** Messages read but not yet answered; past this the server stops reading until it catches up. */
const MAX_PENDING = 16;
/** A connection must log in within this time. */
const LOGIN_DEADLINE_MS = 60_000;

/**
 * The SIP2 TCP server. Frames messages on CR (CRLF accepted), verifies the checksum when the kiosk
 * sends one, answers each message in order, asks for a resend (96) of anything it cannot read, and
 * closes connections that stay silent or flood it. One bad message never takes the server down.
 */
@Injectable()
export class Sip2Server implements OnApplicationShutdown {
  private readonly logger = new Logger('SIP2');
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly handlers: Sip2Handlers,
    private readonly env: Env,
  ) {}

  async listen(port = this.env.SIP2_PORT, host = '0.0.0.0'): Promise<number> {
    const encoding = this.env.SIP2_ENCODING;
    const codec: Sip2Codec = {
      encode: (text) => new Uint8Array(iconv.encode(text, encoding)),
      timeZone: this.env.TIME_ZONE,
      institutionId: this.env.SIP2_INSTITUTION_ID,
    };
    const decode = (bytes: Uint8Array) => iconv.decode(Buffer.from(bytes), encoding);
    this.server = createServer((socket) => this.serve(socket, codec, decode));
    this.server.maxConnections = 1000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    const actual = (this.server.address() as AddressInfo).port;
    this.logger.log(`SIP2 listening on ${host}:${actual} (${encoding})`);
    return actual;
  }

  async onApplicationShutdown(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private serve(socket: Socket, codec: Sip2Codec, decode: (b: Uint8Array) => string): void {
    this.sockets.add(socket);
    const session = this.handlers.session(codec);
    const line: Line = { last: null, pending: 0 };
    let buffer = Buffer.alloc(0);
    let queue = Promise.resolve();
    // destroy, not end: a peer that never reads would keep an ended socket alive behind its unsent output.
    socket.setTimeout(this.env.SIP2_IDLE_TIMEOUT_SECONDS * 1000, () => socket.destroy());
    const deadline = setTimeout(() => session.loggedIn || socket.destroy(), LOGIN_DEADLINE_MS);
    deadline.unref();
    socket.on('close', () => {
      clearTimeout(deadline);
      this.sockets.delete(socket);
    });
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      let end: number;
      while ((end = buffer.indexOf(CR)) >= 0) {
        let frame = buffer.subarray(0, end);
        buffer = buffer.subarray(end + 1);
        if (frame[0] === LF) frame = frame.subarray(1); // the LF of a CRLF ending
        if (frame.length === 0) continue;
        const copy = Buffer.from(frame);
        line.pending++;
        if (line.pending >= MAX_PENDING) socket.pause(); // a kiosk that floods waits for its answers
        queue = queue.then(async () => {
          await this.answer(socket, copy, session, codec, decode, line);
          line.pending--;
          if (line.pending < MAX_PENDING && socket.isPaused()) socket.resume();
        });
      }
      if (buffer.length > MAX_MESSAGE_BYTES) {
        // No terminator in sight: ask for a resend and close the line.
        buffer = Buffer.alloc(0);
        socket.end(resendRequest(codec.encode));
      }
    });
  }

  private async answer(
    socket: Socket,
    frame: Buffer,
    session: ReturnType<Sip2Handlers['session']>,
    codec: Sip2Codec,
    decode: (b: Uint8Array) => string,
    line: Line,
  ): Promise<void> {
    if (socket.destroyed) return;
    let response: Uint8Array;
    if (line.last && frame.equals(line.last.request)) {
      // The kiosk timed out and sent the very same message again: answer as before, do not act twice.
      response = line.last.response;
    } else {
      let fault = false;
      try {
        if (frame.length > MAX_MESSAGE_BYTES || !checksumValid(frame)) {
          response = resendRequest(codec.encode);
        } else {
          const message = parseMessage(decode(frame));
          response = message.command === '97' ? (line.last?.response ?? resendRequest(codec.encode)) : await session.handle(message);
        }
      } catch (e) {
        // Unreadable (format) or a fault behind it: the kiosk is asked to send again, the server goes on.
        fault = !(e instanceof Error && e.name === 'Sip2FormatError');
        if (fault) this.logger.error({ err: { message: (e as Error).message } }, 'SIP2 message failed');
        response = resendRequest(codec.encode);
      }
      // A fault (the database away, say) is not an answer to repeat: the kiosk's retransmission must act.
      if (fault) line.last = null;
      else if (!/^97/.test(frame.toString('latin1'))) line.last = { request: frame, response };
    }
    if (!socket.destroyed) socket.write(response);
  }
}

interface Line {
  /** The last message answered and its answer, for 97 and for a kiosk's retransmission. */
  last: { request: Buffer; response: Uint8Array } | null;
  pending: number;
}
