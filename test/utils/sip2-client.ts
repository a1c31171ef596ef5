import iconv from 'iconv-lite';
import { Socket, connect } from 'node:net';

/** The checksum as the 3M specification defines it, written here independently of the server's code. */
export function checksumOf(bytes: Buffer): string {
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) sum += bytes[i];
  return (0x10000 - (sum % 0x10000)).toString(16).toUpperCase().slice(-4).padStart(4, '0');
}

/** A test kiosk: writes SIP2 messages as bytes and reads whole responses (up to CR). */
export class Sip2TestClient {
  private buffer = Buffer.alloc(0);
  private waiters: Array<(line: Buffer) => void> = [];
  closed = false;
  seq = 0;

  private constructor(
    private readonly socket: Socket,
    readonly encoding: string,
  ) {
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      let at: number;
      while ((at = this.buffer.indexOf(0x0d)) >= 0 && this.waiters.length) {
        const line = this.buffer.subarray(0, at);
        this.buffer = this.buffer.subarray(at + 1);
        this.waiters.shift()!(line);
      }
    });
    socket.on('close', () => (this.closed = true));
  }

  static open(port: number, encoding = 'utf-8'): Promise<Sip2TestClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new Sip2TestClient(socket, encoding)));
      socket.once('error', reject);
    });
  }

  /** Adds AY<seq>AZ<checksum> and the terminator, as a kiosk with error detection on does. */
  frame(body: string, terminator = '\r'): Buffer {
    const withSeq = Buffer.from(iconv.encode(`${body}AY${this.seq++ % 10}AZ`, this.encoding));
    return Buffer.concat([withSeq, Buffer.from(checksumOf(withSeq) + terminator, 'latin1')]);
  }

  async send(bytes: Buffer, byteByByte = false): Promise<string> {
    const reply = this.next();
    if (byteByByte) {
      for (const b of bytes) {
        this.socket.write(Buffer.from([b]));
        await new Promise((r) => setImmediate(r));
      }
    } else this.socket.write(bytes);
    return reply;
  }

  request(body: string): Promise<string> {
    return this.send(this.frame(body));
  }

  /** The next whole response, decoded; its checksum is verified here. */
  next(timeoutMs = 10_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no SIP2 response')), timeoutMs);
      this.waiters.push((line) => {
        clearTimeout(timer);
        const text = iconv.decode(line, this.encoding);
        const at = line.lastIndexOf(Buffer.from('AZ', 'latin1'));
        if (at >= 0 && checksumOf(line.subarray(0, at + 2)) !== line.subarray(at + 2, at + 6).toString('latin1')) {
          reject(new Error(`bad checksum in response ${text}`));
          return;
        }
        resolve(text);
      });
    });
  }

  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  waitClosed(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.closed) return resolve(true);
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Variable field values of a response, by code (first occurrence), and all values of a repeated code. */
export function fieldsOf(response: string): { get(code: string): string | undefined; all(code: string): string[] } {
  const parts = response.split('|');
  return {
    get: (code) => parts.map((p, i) => (i === 0 ? p.slice(p.indexOf(code)) : p)).find((p) => p.startsWith(code))?.slice(2),
    all: (code) => parts.filter((p) => p.startsWith(code)).map((p) => p.slice(2)),
  };
}
