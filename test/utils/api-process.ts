import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { TokenService } from '@lib/auth';
import { loadEnv } from '@lib/config';

const ROOT = join(__dirname, '..', '..');

/**
 * `apps/api/src/main.ts` — the production entry point, with its start-up, banner, cluster and signals —
 * in a child process (ts-node, transpile only, as the benches run). Ready once it has printed the banner.
 */
export class ApiProcess {
  readonly lines: string[] = [];
  private readonly waiters = new Set<() => void>();
  private exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  /** The port it listens on, from its banner (PORT=0 lets the kernel pick one: no race with other tests for a "free" port). */
  port = 0;

  private constructor(readonly child: ChildProcess) {
    let partial = { out: '', err: '' };
    const take = (stream: 'out' | 'err') => (chunk: Buffer) => {
      const text = partial[stream] + chunk.toString();
      const parts = text.split('\n');
      partial = { ...partial, [stream]: parts.pop()! };
      this.lines.push(...parts);
      for (const wake of [...this.waiters]) wake();
    };
    child.stdout!.on('data', take('out'));
    child.stderr!.on('data', take('err'));
    this.exit = new Promise((resolve) => child.once('exit', (code, signal) => {
      for (const wake of [...this.waiters]) wake();
      resolve({ code, signal });
    }));
  }

  static async start(env: Record<string, string>, readyWithinMs = 240_000): Promise<ApiProcess> {
    const api = ApiProcess.spawn('apps/api/src/main.ts', env);
    try {
      const [, port] = await api.waitFor(/^ {2}API: +http:\/\/[^/]+:(\d+)\/api$/, readyWithinMs);
      api.port = Number(port);
      await api.waitFor(/^ {2}Health: /, 10_000);
    } catch (e) {
      await api.stop();
      throw e;
    }
    return api;
  }

  /**
   * Another entry point of the platform (`apps/worker/src/main.ts`, `apps/sip2/src/main.ts`) the same way,
   * ready once it has printed a line matching `ready` (its match is returned beside it).
   */
  static async startEntry(entry: string, env: Record<string, string>, ready: RegExp, readyWithinMs = 240_000): Promise<{ process: ApiProcess; ready: RegExpMatchArray }> {
    const started = ApiProcess.spawn(entry, env);
    try {
      return { process: started, ready: await started.waitFor(ready, readyWithinMs) };
    } catch (e) {
      await started.stop();
      throw e;
    }
  }

  private static spawn(entry: string, env: Record<string, string>): ApiProcess {
    // Only what the child needs from this environment (PATH, HOME, a moved clock's LD_PRELOAD/FAKETIME): no
    // setting of the platform leaks in from the test process.
    const { PATH, HOME, LD_PRELOAD, FAKETIME, FAKETIME_DONT_RESET, TZ } = process.env;
    const inherited = Object.fromEntries(Object.entries({ PATH, HOME, LD_PRELOAD, FAKETIME, FAKETIME_DONT_RESET, TZ }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', entry], {
      cwd: ROOT,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ApiProcess(child);
  }

  /** SIGKILL: gone at once, mid-whatever, as a crashed or OOM-killed process would be. */
  async kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.child.kill('SIGKILL');
    return this.exit;
  }

  /** How it ended, once it has (without sending anything). */
  ended(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exit;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The first line from `from` on matching `pattern`; fails when the process exits or the time is up. */
  async waitFor(pattern: RegExp, withinMs = 60_000, from = 0): Promise<RegExpMatchArray> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      for (let i = from; i < this.lines.length; i++) {
        const m = this.lines[i].match(pattern);
        if (m) return m;
      }
      if (!this.running) throw new Error(`API process exited before printing ${pattern}:\n${this.lines.slice(-30).join('\n')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`API process did not print ${pattern} within ${withinMs} ms:\n${this.lines.slice(-30).join('\n')}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  /** SIGTERM, then how it ended (SIGKILL after `graceMs`). */
  async stop(graceMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      const ended = await this.exit;
      clearTimeout(timer);
      return ended;
    }
    return this.exit;
  }
}

/** The environment every test API process shares: a test database, Redis under the given prefix, no rate limits. */
export function apiProcessEnv(databaseUrl: string, redisUrl: string, redisPrefix: string, more: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefix,
    RATE_LIMIT: 'off',
    JWT_SECRET: PROCESS_JWT_SECRET,
    PII_KEY: 'e2e-personal-data-key-that-is-long-enough-0',
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: 'Admin12345',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
    WEB_DIR: 'no-web-app',
    ...more,
  };
}

export const PROCESS_JWT_SECRET = 'e2e-jwt-secret-for-api-processes-0123456789';

/** Access tokens for residents made straight in the database, signed as the API signs them (hashing passwords through the API is slow on purpose). */
export function residentTokens(patronIds: string[], secret = PROCESS_JWT_SECRET): string[] {
  const tokens = new TokenService(new JwtService({ secret, signOptions: { algorithm: 'HS256' } }), loadEnv({ JWT_SECRET: secret }));
  return patronIds.map((id) => tokens.signAccess({ id, kind: 'patron', role: 'resident', branchIds: [], regionIds: [], sessionId: randomBytes(8).toString('hex') }).token);
}

/** Residents inserted in bulk (no password anyone knows), in batches of 500. */
export async function insertResidents(query: (sql: string, params: unknown[]) => Promise<unknown>, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await query(
      `INSERT INTO patron (id, name, phone_fingerprint, phone_encrypted, password_hash)
       SELECT id, '并发读者', encode(sha256(id::text::bytea), 'hex'), 'v1.x.x.x', 'x' FROM unnest($1::uuid[]) AS id`,
      [ids.slice(i, i + 500)],
    );
  }
}

export interface JsonAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** One HTTP request with a JSON body and answer, on `agent` (a keep-alive pool) or on a connection of its own. */
export async function httpJson<T = Record<string, unknown>>(
  url: string,
  options: { method?: string; token?: string; body?: unknown; agent?: Agent } = {},
): Promise<JsonAnswer<T>> {
  // No hang bound here (0 turns the socket timeout off): a flash load may keep a request waiting for long.
  const { status, body } = await httpCall<T>(url, { ...options, hangAfterMs: 0 });
  return { status, body };
}

export interface HttpAnswer<T = Record<string, unknown>> extends JsonAnswer<T> {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * One request with any headers (Idempotency-Key, say), answered within `hangAfterMs` or rejected with
 * "no answer" — a generous bound that only a request left hanging reaches, never a timing assertion.
 */
export function httpCall<T = Record<string, unknown>>(
  url: string,
  options: { method?: string; token?: string; body?: unknown; headers?: Record<string, string>; agent?: Agent; hangAfterMs?: number } = {},
): Promise<HttpAnswer<T>> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? (payload ? 'POST' : 'GET'),
        agent: options.agent ?? false,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.agent ? {} : { connection: 'close' }),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let body: T;
          try {
            body = (text ? JSON.parse(text) : {}) as T;
          } catch {
            body = { text } as T;
          }
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(options.hangAfterMs ?? 30_000, () => req.destroy(new Error(`no answer within ${options.hangAfterMs ?? 30_000} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}
