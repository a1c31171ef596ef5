import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import iconv from 'iconv-lite';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { Env } from '@lib/config';
import { checksumValid, parseMessage } from './protocol/message';
import { Sip2Codec, Sip2Handlers } from './sip2-session';

/** Longest message accepted; a kiosk never sends more, so anything longer is garbage or an attack. */
export const MAX_MESSAGE_BYTES = 8192;
const CR = 0x0d;
const LF = 0x0a;
const RESEND = (encode: (s: string) => Uint8Array) => encode('96\r');

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
    let buffer = Buffer.alloc(0);
    let queue = Promise.resolve();
    socket.setTimeout(this.env.SIP2_IDLE_TIMEOUT_SECONDS * 1000, () => socket.end());
    socket.on('close', () => this.sockets.delete(socket));
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
        queue = queue.then(() => this.answer(socket, copy, session, codec, decode));
      }
      if (buffer.length > MAX_MESSAGE_BYTES) {
        // No terminator in sight: drop what came, ask for a resend; a second flood closes the line.
        buffer = Buffer.alloc(0);
        socket.write(RESEND(codec.encode));
        socket.end();
      }
    });
  }

  private async answer(
    socket: Socket,
    frame: Buffer,
    session: ReturnType<Sip2Handlers['session']>,
    codec: Sip2Codec,
    decode: (b: Uint8Array) => string,
  ): Promise<void> {
    if (socket.destroyed) return;
    let response: Uint8Array;
    try {
      if (frame.length > MAX_MESSAGE_BYTES || !checksumValid(frame)) {
        response = RESEND(codec.encode);
      } else {
        response = await session.handle(parseMessage(decode(frame)));
      }
    } catch (e) {
      // Unreadable (format) or a fault behind it: the kiosk is asked to send again, the server goes on.
      if (!(e instanceof Error && e.name === 'Sip2FormatError')) this.logger.error({ err: { message: (e as Error).message } }, 'SIP2 message failed');
      response = RESEND(codec.encode);
    }
    if (!socket.destroyed) socket.write(response);
  }
}
