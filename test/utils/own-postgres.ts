import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from './own-redis';

const run = promisify(execFile);

/** The machine's PostgreSQL server binaries (initdb, pg_ctl): PG_BIN, or the newest /usr/lib/postgresql/<n>/bin. */
function pgBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))) : [];
  if (!versions.length) throw new Error('PostgreSQL server binaries not found: install postgresql or set PG_BIN to the folder with initdb and pg_ctl');
  return join(root, versions.sort((a, b) => Number(a) - Number(b)).pop()!, 'bin');
}

const isRoot = () => process.getuid?.() === 0;

/**
 * A PostgreSQL server of the test's own (initdb into a temporary folder, pg_ctl on a free port), which the
 * test may stop, kill and start again — never the machine's shared server. As root it runs as the
 * `postgres` user, as the clock matrix does (PostgreSQL refuses to run as root). Under the clock matrix it
 * inherits the moved clock (LD_PRELOAD/FAKETIME) like every child of the test.
 */
export class OwnPostgres {
  private dir = '';
  private readonly bin = pgBin();

  private constructor(readonly port: number) {}

  static async create(): Promise<OwnPostgres> {
    const server = new OwnPostgres(await freePort());
    server.dir = await mkdtemp(join(tmpdir(), 'culture-own-pg-'));
    if (isRoot()) await chown(server.dir, ...(await postgresUser()));
    await server.pg('initdb', ['-D', server.data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
    await server.start();
    return server;
  }

  private get data(): string {
    return join(this.dir, 'data');
  }

  /** A database URL on this server. */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${this.dir} -c fsync=off -c full_page_writes=off -c max_connections=200`;
    await this.pg('pg_ctl', ['-D', this.data, '-l', join(this.dir, 'server.log'), '-w', '-t', '60', '-o', options, 'start']);
  }

  /**
   * `fast`: a clean shutdown (sessions ended with 57P01, as in a restart or a planned failover);
   * `immediate`: every server process gone at once, as in a crash (recovery from the WAL at the next start).
   */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.data, '-m', mode, '-w', '-t', '60', 'stop']);
  }

  async createDatabase(name: string): Promise<string> {
    await this.query(`CREATE DATABASE ${name}`);
    return this.url(name);
  }

  /** One statement on a connection of its own (answers: the rows). */
  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = [], database = 'postgres'): Promise<T[]> {
    const client = new Client({ connectionString: this.url(database) });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** Stops the server (if running) and removes its folder. */
  async destroy(): Promise<void> {
    if (!this.dir) return;
    await this.pg('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
    this.dir = '';
  }

  private async pg(tool: string, args: string[]): Promise<void> {
    const command = join(this.bin, tool);
    try {
      if (isRoot()) await run('runuser', ['-u', 'postgres', '--', command, ...args], { cwd: this.dir });
      else await run(command, args, { cwd: this.dir });
    } catch (e) {
      const err = e as Error & { stderr?: string; stdout?: string };
      throw new Error(`${tool} ${args.join(' ')} failed: ${err.stderr || err.stdout || err.message}`);
    }
  }
}

async function postgresUser(): Promise<[number, number]> {
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return [Number(uid.trim()), Number(gid.trim())];
}
