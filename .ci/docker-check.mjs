#!/usr/bin/env node
/**
 * The Docker image, checked without a Docker engine.
 *
 * 1. Builds docker/Dockerfile's stages in a temporary directory: each COPY
 *    copies exactly what it names from the build context (this checkout less
 *    .dockerignore), each RUN runs there, so a path the build needs and no
 *    COPY copies fails the check.
 * 2. Checks the Node.js of the FROM lines against package.json's engines, and
 *    that docker/compose.yml (PostgreSQL and Redis),
 *    docker/compose.postgres.yml (PostgreSQL only) and
 *    docker/compose.cluster.yml (Citus and a Redis Cluster) parse, run
 *    commands the image holds and keep their database and queues where they
 *    say; in the last, that the workers are registered and the Redis Cluster
 *    created before the processes that need them start.
 * 3. In the final stage's directory (the production dependency set and dist),
 *    runs compose.postgres.yml's migrations, api and worker against this
 *    machine's PostgreSQL, in a database of its own, without Redis; waits for
 *    GET /health/ready; drives the api with the image's CLI until the worker
 *    delivers a webhook; stops the api and worker with SIGTERM.
 *
 * Loopback only, bounded in time, removes what it made. The processes run on
 * this machine's Node.js, not the image's.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DOCKERFILE = 'docker/Dockerfile';
const COMPOSE_REDIS = 'docker/compose.yml';
const COMPOSE_POSTGRES = 'docker/compose.postgres.yml';
const COMPOSE_CLUSTER = 'docker/compose.cluster.yml';
const POSTGRES = 'postgres://postgres@127.0.0.1:5432';
const TIME_LIMIT_MS = 15 * 60_000;

// From the project's node_modules (npm ci has run), no dependency of their own: js-yaml comes with
// @nestjs/swagger, semver with bullmq and fastify.
const requireFromProject = createRequire(join(ROOT, 'package.json'));
const yaml = requireFromProject('js-yaml');
const semver = requireFromProject('semver');

const startedAt = Date.now();
function say(line) {
  process.stdout.write(`docker-check [${((Date.now() - startedAt) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);
}

/** Every wait loses to this: the check as a whole is bounded. */
let timeUpTimer;
const timeUp = new Promise((_, reject) => {
  timeUpTimer = setTimeout(() => reject(new Error(`took longer than ${TIME_LIMIT_MS / 60_000} min`)), TIME_LIMIT_MS);
});
timeUp.catch(() => undefined);

function within(promise, ms, what) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, late, timeUp]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------
// Processes

const running = new Set();

/** Starts a process in its own process group; its output is kept, and streamed when `show` is set. */
function start(name, command, args, { cwd, env, show = false }) {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      output += chunk;
      if (show) process.stdout.write(chunk);
    });
  }
  const exited = new Promise((resolveExit) => {
    child.on('error', (error) => {
      output += `${error.message}\n`;
      running.delete(child);
      resolveExit({ code: null, signal: null });
    });
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolveExit({ code, signal });
    });
  });
  return { name, child, exited, output: () => output };
}

/** Runs a process to its end; fails unless it exits 0. */
async function runToEnd(name, command, args, options, timeoutMs) {
  const proc = start(name, command, args, options);
  const { code, signal } = await within(proc.exited, timeoutMs, name);
  if (code !== 0) throw new ProcessFailure(proc, `${name} exited with ${signal ?? code}`);
  return proc.output();
}

class ProcessFailure extends Error {
  constructor(proc, message) {
    super(message);
    this.proc = proc;
  }
}

function killAll() {
  for (const child of running) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  }
}

function tail(text, lines = 40) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

// ---------------------------------------------------------------------------
// The Dockerfile

/** Stages of the Dockerfile, each with its instructions; line continuations joined, comments dropped. */
function parseDockerfile(text) {
  const stages = [];
  for (const raw of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [, keyword, rest] = /^(\S+)\s*(.*)$/.exec(line);
    if (keyword.toUpperCase() === 'FROM') {
      const from = /^(\S+)(?:\s+as\s+(\S+))?$/i.exec(rest);
      if (!from) throw new Error(`${DOCKERFILE}: cannot read FROM ${rest}`);
      stages.push({ image: from[1], name: from[2] ?? String(stages.length), instructions: [] });
    } else {
      if (stages.length === 0) throw new Error(`${DOCKERFILE}: ${keyword} before FROM`);
      stages.at(-1).instructions.push({ keyword: keyword.toUpperCase(), rest });
    }
  }
  if (stages.length === 0) throw new Error(`${DOCKERFILE}: no FROM`);
  return stages;
}

/** ENV a=b c="d e", or the old ENV a b. */
function parseEnvInstruction(rest) {
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(rest)) {
    const [, name, value] = /^(\S+)\s+(.*)$/.exec(rest);
    return { [name]: value };
  }
  const env = {};
  for (const [, name, quoted, plain] of rest.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/g)) {
    env[name] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : plain;
  }
  return env;
}

function parseCopy(rest) {
  const words = rest.split(/\s+/);
  const flags = {};
  while (words[0]?.startsWith('--')) {
    const [flag, value] = words.shift().slice(2).split('=');
    if (!['from', 'chown', 'chmod'].includes(flag)) throw new Error(`${DOCKERFILE}: the check does not know COPY --${flag}`);
    flags[flag] = value;
  }
  const paths = words[0]?.startsWith('[') ? JSON.parse(words.join(' ')) : words;
  if (paths.length < 2) throw new Error(`${DOCKERFILE}: COPY ${rest}: a source and a destination`);
  return { ...flags, sources: paths.slice(0, -1), destination: paths.at(-1) };
}

const GLOB = { '**/': '(?:.*/)?', '**': '.*', '*': '[^/]*', '?': '[^/]' };

/** .dockerignore as Docker reads it: patterns from the context's root, the last match wins, `!` re-includes. */
function dockerignore() {
  const file = join(ROOT, '.dockerignore');
  const rules = (existsSync(file) ? readFileSync(file, 'utf8') : '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const pattern = posix.normalize(negate ? line.slice(1).trim() : line).replace(/^\/+|\/+$/g, '');
      const regex = pattern
        .split(/(\*\*\/?|\*|\?)/)
        .map((part) => GLOB[part] ?? part.replace(/[.+^${}()|[\]\\]/g, '\\$&'))
        .join('');
      return { negate, regex: new RegExp(`^${regex}$`) };
    });
  return (path) => {
    const prefixes = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    let ignored = false;
    for (const rule of rules) if (prefixes.some((prefix) => rule.regex.test(prefix))) ignored = !rule.negate;
    return ignored;
  };
}

/**
 * Runs the stages in order, each in its own directory standing for its root
 * filesystem. Returns them with their WORKDIR, ENV and CMD.
 */
async function buildStages(stages, work) {
  const ignored = dockerignore();
  const built = new Map();
  for (const [index, stage] of stages.entries()) {
    const state = { ...stage, root: join(work, `stage-${index}`), workdir: '/', env: {}, cmd: undefined, user: 'root' };
    const at = (path) => join(state.root, posix.resolve(state.workdir, path));
    mkdirSync(state.root, { recursive: true });
    say(`FROM ${stage.image}${stage.name === String(index) ? '' : ` AS ${stage.name}`}`);
    for (const { keyword, rest } of stage.instructions) {
      switch (keyword) {
        case 'WORKDIR':
          state.workdir = posix.resolve(state.workdir, rest);
          mkdirSync(at('.'), { recursive: true });
          break;
        case 'ENV':
          Object.assign(state.env, parseEnvInstruction(rest));
          break;
        case 'COPY': {
          // --chown and --chmod change nothing here: the check runs as one user.
          const copy = parseCopy(rest);
          say(`COPY ${rest}`);
          const from = copy.from === undefined ? undefined : built.get(copy.from);
          if (copy.from !== undefined && !from) throw new Error(`${DOCKERFILE}: COPY --from=${copy.from}: no such earlier stage`);
          const target = posix.resolve(state.workdir, copy.destination);
          const intoDirectory =
            copy.destination.endsWith('/') || copy.sources.length > 1 || (existsSync(at(target)) && statSync(at(target)).isDirectory());
          for (const source of copy.sources) {
            if (/[*?[]/.test(source)) throw new Error(`${DOCKERFILE}: the check does not expand wildcards (COPY ${source})`);
            let path;
            let filter;
            if (from) {
              path = join(from.root, posix.resolve('/', source));
            } else {
              const inContext = posix.normalize(source).replace(/^\/+|\/+$/g, '') || '.';
              path = join(ROOT, inContext);
              if (inContext.startsWith('..') || !existsSync(path) || ignored(inContext)) {
                throw new Error(`COPY ${source}: not in the build context (missing, outside it, or left out by .dockerignore)`);
              }
              filter = (file) => !ignored(relative(ROOT, file).split(sep).join('/'));
            }
            if (!existsSync(path)) throw new Error(`COPY --from=${copy.from} ${source}: the stage has no such path`);
            const directory = statSync(path).isDirectory();
            const destination = directory || !intoDirectory ? target : posix.join(target, posix.basename(source));
            mkdirSync(dirname(at(destination)), { recursive: true });
            cpSync(path, at(destination), { recursive: true, filter, verbatimSymlinks: true });
          }
          break;
        }
        case 'RUN': {
          if (rest.startsWith('[')) throw new Error(`${DOCKERFILE}: the check runs the shell form of RUN only`);
          say(`RUN ${rest}`);
          // npm may take what its cache holds without asking the registry again: the lock file pins every version either way.
          const env = { ...process.env, npm_config_prefer_offline: 'true', ...state.env };
          await runToEnd(`RUN ${rest}`, 'sh', ['-c', rest], { cwd: at('.'), env, show: true }, 10 * 60_000);
          break;
        }
        case 'CMD':
          state.cmd = JSON.parse(rest);
          if (!Array.isArray(state.cmd)) throw new Error(`${DOCKERFILE}: CMD in its exec (JSON) form`);
          break;
        case 'USER':
          state.user = rest;
          break;
        case 'EXPOSE':
          break;
        default:
          throw new Error(`${DOCKERFILE}: the check does not know ${keyword}; teach it to .ci/docker-check.mjs`);
      }
    }
    built.set(stage.name, state);
    built.set(String(index), state);
  }
  return stages.map((_, index) => built.get(String(index)));
}

/** Every FROM is an official node image whose version package.json's engines accepts. */
function checkNodeVersion(stages) {
  const engines = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node;
  for (const { image } of stages) {
    const version = /^(?:docker\.io\/)?(?:library\/)?node:(\d+(?:\.\d+){0,2})(?:-|$)/.exec(image)?.[1];
    if (!version) throw new Error(`${DOCKERFILE}: FROM ${image}: expected node:<version>-…`);
    if (!semver.intersects(version, engines))
      throw new Error(`${DOCKERFILE}: FROM ${image}: Node.js ${version} is not in engines (${engines})`);
  }
  say(`Node.js of the image: ${stages.map((s) => s.image).join(', ')}, within engines ${engines}`);
}

// ---------------------------------------------------------------------------
// The compose files

function loadCompose(file) {
  const doc = yaml.load(readFileSync(join(ROOT, file), 'utf8'), { schema: yaml.CORE_SCHEMA.withTags(yaml.mergeTag) });
  if (!doc?.services) throw new Error(`${file}: no services`);
  return doc;
}

/** What a service of the image runs: its entrypoint and command, or the image's CMD. */
function commandOf(service, image) {
  return [...(service.entrypoint ?? []), ...(service.command ?? (service.entrypoint ? [] : image.cmd))];
}

/** A service's depends_on as a mapping, whichever form it is written in. */
function dependenciesOf(service) {
  const dependsOn = service.depends_on ?? {};
  return Array.isArray(dependsOn) ? Object.fromEntries(dependsOn.map((d) => [d, {}])) : dependsOn;
}

/** Whether `from` starts only once `target` reached `condition`, directly or through what it waits for. */
function waitsFor(services, from, target, condition, seen = new Set([from])) {
  for (const [dependency, { condition: reached } = {}] of Object.entries(dependenciesOf(services[from] ?? {}))) {
    if (dependency === target && reached === condition) return true;
    if (seen.has(dependency) || !services[dependency]) continue;
    seen.add(dependency);
    if (waitsFor(services, dependency, target, condition, seen)) return true;
  }
  return false;
}

/** A service's command as one line of words, whether a list or a shell script. */
function commandLine(service) {
  const command = service.command ?? [];
  return (Array.isArray(command) ? command : [command]).join(' ');
}

/**
 * Where a compose file keeps the database (`single`: one PostgreSQL in the
 * `postgres` service; `citus`: a coordinator and its workers) and the queues
 * (`redis`: REDIS_URL; `redis-cluster`: REDIS_CLUSTER_NODES; `postgres`).
 */
function checkCompose(file, layout, image, app) {
  const { services } = loadCompose(file);
  const problems = [];
  const required = ['migrations', 'api', 'worker', 'cli', ...(layout.database === 'single' ? ['postgres'] : [])];
  for (const name of required) if (!services[name]) problems.push(`no ${name} service`);
  if (layout.queues === 'redis' && !services.redis) problems.push('no redis service');
  if (layout.queues === 'postgres' && services.redis) problems.push('a redis service, where it should have none');
  for (const [name, service] of Object.entries(services)) {
    for (const [dependency, { condition } = {}] of Object.entries(dependenciesOf(service))) {
      if (!services[dependency]) problems.push(`${name} depends on ${dependency}, which is not a service`);
      else if (condition === 'service_healthy' && !services[dependency].healthcheck)
        problems.push(`${name} waits for ${dependency}'s healthcheck; it has none`);
    }
    if (!service.build) continue;
    if (service.build.context !== '..' || service.build.dockerfile !== DOCKERFILE)
      problems.push(`${name} builds something else than ${DOCKERFILE}`);
    const env = service.environment ?? {};
    if (Array.isArray(env)) problems.push(`${name}: environment as a mapping, please (the check reads it)`);
    if (name !== 'cli') problems.push(...checkAppSettings(name, env, layout));
    const [command, ...args] = commandOf(service, image);
    const script = args.find((arg) => !arg.startsWith('-'));
    if (command !== 'node' || !script || !existsSync(join(app, script)))
      problems.push(`${name} runs ${[command, ...args].join(' ')}, which the image does not hold`);
  }
  const facts = [];
  if (layout.database === 'citus') facts.push(checkCitus(services, problems));
  if (layout.queues === 'redis-cluster') facts.push(checkRedisCluster(services, problems));
  if (problems.length) throw new Error(`${file}:\n  - ${problems.join('\n  - ')}`);
  const queues = { redis: 'Redis', 'redis-cluster': 'a Redis Cluster', postgres: 'PostgreSQL' }[layout.queues];
  say(`${file}: ${Object.keys(services).join(', ')}; queues on ${queues}; ${[...facts, 'every command is in the image'].join('; ')}`);
  return services;
}

/** The database, the queues and the process counts of a service of the image, as `layout` says. */
function checkAppSettings(name, env, layout) {
  const problems = [];
  const backend = env.QUEUE_BACKEND ?? (env.REDIS_URL || env.REDIS_CLUSTER_NODES ? 'redis' : 'postgres');
  const redisUrl = 'REDIS_URL' in env;
  const clusterNodes = 'REDIS_CLUSTER_NODES' in env;
  if (layout.queues === 'redis' && (backend !== 'redis' || !env.REDIS_URL || clusterNodes))
    problems.push(`${name}: queues on Redis (REDIS_URL, QUEUE_BACKEND redis, no REDIS_CLUSTER_NODES)`);
  if (layout.queues === 'redis-cluster' && (backend !== 'redis' || !env.REDIS_CLUSTER_NODES || redisUrl))
    problems.push(`${name}: queues on the Redis Cluster (REDIS_CLUSTER_NODES, QUEUE_BACKEND redis, no REDIS_URL)`);
  if (layout.queues === 'postgres' && (backend !== 'postgres' || redisUrl || clusterNodes))
    problems.push(`${name}: queues on PostgreSQL, no REDIS_URL or REDIS_CLUSTER_NODES`);
  const topology = env.DATABASE_TOPOLOGY ?? 'single';
  if (topology !== layout.database)
    problems.push(`${name}: DATABASE_TOPOLOGY is ${topology}, where this file's database is ${layout.database}`);
  for (const setting of ['API_PROCESSES', 'WORKER_PROCESSES']) {
    // What compose makes of it with nothing set in the shell.
    const processes = Number(interpolate(env[setting] ?? '1', {}));
    if (!Number.isInteger(processes) || processes < 1 || processes > 64) problems.push(`${name}: ${setting} ${env[setting]}, not 1 to 64`);
    else if (layout.database === 'citus' && processes < 2)
      problems.push(`${name}: ${setting} ${processes}; this layout runs several of each`);
  }
  return problems;
}

/**
 * A Citus coordinator (DATABASE_URL's host) and its workers, all of one
 * image and one database; a one-shot service that registers the workers with
 * the coordinator, which the migrations wait for; and every node healthy
 * before it runs.
 */
function checkCitus(services, problems) {
  const url = new URL(services.migrations?.environment?.DATABASE_URL ?? 'postgres://missing/');
  const coordinator = url.hostname;
  const database = url.pathname.slice(1);
  const citus = Object.entries(services).filter(([, service]) => /^(?:docker\.io\/)?citusdata\/citus:/.test(service.image ?? ''));
  const nodes = citus.filter(([, service]) => service.environment?.POSTGRES_DB !== undefined);
  const nodeNames = nodes.map(([name]) => name);
  if (!nodeNames.includes(coordinator)) problems.push(`DATABASE_URL names ${coordinator}, which is not a Citus node`);
  const workers = nodeNames.filter((name) => name !== coordinator);
  if (workers.length === 0) problems.push('no Citus worker nodes');
  if (new Set(citus.map(([, service]) => service.image)).size > 1) problems.push('the Citus services run different images');
  for (const [name, service] of nodes) {
    // Citus reaches each worker in the database of the same name as the coordinator's.
    if (service.environment.POSTGRES_DB !== database)
      problems.push(`${name}: POSTGRES_DB ${service.environment.POSTGRES_DB}, not ${database}`);
    if (!service.healthcheck) problems.push(`${name}: no healthcheck`);
  }
  const registrations = citus.filter(([, service]) => /citus_add_node/.test(commandLine(service)));
  if (registrations.length !== 1) problems.push(`${registrations.length} services run citus_add_node, where one registers the workers`);
  const [registration, registrationService] = registrations[0] ?? [];
  if (registration) {
    const env = registrationService.environment ?? {};
    if (!/citus_set_coordinator_host/.test(commandLine(registrationService)))
      problems.push(`${registration} does not run citus_set_coordinator_host`);
    if (env.CITUS_COORDINATOR !== coordinator)
      problems.push(`${registration}: CITUS_COORDINATOR ${env.CITUS_COORDINATOR}, not ${coordinator}`);
    const registered = String(env.CITUS_WORKERS ?? '')
      .split(/\s+/)
      .filter(Boolean);
    if (registered.sort().join(' ') !== [...workers].sort().join(' '))
      problems.push(`${registration}: CITUS_WORKERS ${registered.join(' ')}, not the worker nodes ${workers.join(' ')}`);
    if (env.PGDATABASE !== database) problems.push(`${registration}: PGDATABASE ${env.PGDATABASE}, not ${database}`);
    for (const node of nodeNames)
      if (!waitsFor(services, registration, node, 'service_healthy'))
        problems.push(`${registration} does not wait for ${node} to be healthy`);
    if (!waitsFor(services, 'migrations', registration, 'service_completed_successfully'))
      problems.push(`migrations do not wait for ${registration} to register the workers`);
  }
  return `Citus coordinator ${coordinator} with workers ${workers.join(', ')}, registered by ${registration}`;
}

/**
 * REDIS_CLUSTER_NODES names every Redis of the file, each in cluster mode
 * with no eviction, announcing the name the processes reach it by; a one-shot
 * service creates the cluster, and the api and the worker wait for it.
 */
function checkRedisCluster(services, problems) {
  const listed = String(services.api?.environment?.REDIS_CLUSTER_NODES ?? '')
    .split(',')
    .filter(Boolean);
  const masters = [];
  for (const entry of listed) {
    const [, host, port] = /^([^:]+):(\d+)$/.exec(entry) ?? [];
    const service = services[host];
    if (!service) {
      problems.push(`REDIS_CLUSTER_NODES: ${entry} is not host:port of a service`);
      continue;
    }
    masters.push(host);
    const line = commandLine(service);
    if (!/\bredis-server\b/.test(line)) problems.push(`${host} does not run redis-server`);
    if (port !== (/--port\s+(\d+)/.exec(line)?.[1] ?? '6379'))
      problems.push(`REDIS_CLUSTER_NODES: ${entry}, where ${host} listens on another port`);
    if (!/--cluster-enabled\s+yes\b/.test(line)) problems.push(`${host}: --cluster-enabled yes`);
    // Queues must never be evicted: /health/ready refuses any other policy.
    if (!/--maxmemory-policy\s+noeviction\b/.test(line)) problems.push(`${host}: --maxmemory-policy noeviction`);
    // A node tells clients where a slot lives (MOVED, CLUSTER SLOTS) by the address it announces: in a
    // container its IP is one of its own network's, and may change; its service name is what the processes resolve.
    if (!/--cluster-preferred-endpoint-type\s+hostname\b/.test(line)) problems.push(`${host}: --cluster-preferred-endpoint-type hostname`);
    const announced = /--cluster-announce-hostname\s+"?([^"\s]+)"?/.exec(line)?.[1];
    const name = announced === '$$HOSTNAME' || announced === '$${HOSTNAME}' ? service.hostname : announced;
    if (name !== host) problems.push(`${host} announces ${name ?? 'no hostname'}, not ${host}`);
    if (!service.healthcheck) problems.push(`${host}: no healthcheck`);
  }
  if (masters.length < 3) problems.push(`REDIS_CLUSTER_NODES names ${masters.length} masters; a Redis Cluster needs 3 at least`);
  for (const [name, service] of Object.entries(services))
    if (/\bredis-server\b/.test(commandLine(service)) && !masters.includes(name))
      problems.push(`${name} runs Redis, but REDIS_CLUSTER_NODES leaves it out`);
  const creators = Object.entries(services).filter(([, service]) => /--cluster\s+create\b/.test(commandLine(service)));
  if (creators.length !== 1) problems.push(`${creators.length} services run redis-cli --cluster create, where one creates the cluster`);
  const [creator, creatorService] = creators[0] ?? [];
  if (creator) {
    if (creatorService.environment?.REDIS_CLUSTER_NODES !== services.api?.environment?.REDIS_CLUSTER_NODES)
      problems.push(`${creator}: REDIS_CLUSTER_NODES differs from the api's`);
    if (!/--cluster-yes\b/.test(commandLine(creatorService))) problems.push(`${creator}: --cluster-yes, since nobody answers its question`);
    for (const master of masters)
      if (!waitsFor(services, creator, master, 'service_healthy')) problems.push(`${creator} does not wait for ${master} to be healthy`);
    for (const name of ['api', 'worker'])
      if (!waitsFor(services, name, creator, 'service_completed_successfully'))
        problems.push(`${name} does not wait for ${creator} to create the cluster`);
  }
  return `Redis Cluster of ${masters.join(', ')}, created by ${creator}`;
}

/** ${NAME}, ${NAME:-default}, ${NAME:?message} as compose reads them. */
function interpolate(value, vars) {
  return String(value).replace(/\$\{(\w+)(?::?([-?])([^}]*))?\}/g, (_, name, operator, argument) => {
    if (vars[name]) return vars[name];
    if (operator === '?') throw new Error(`\${${name}}: ${argument}`);
    return operator === '-' ? argument : '';
  });
}

// ---------------------------------------------------------------------------
// Running the image

async function psql(sql) {
  await runToEnd(
    'psql',
    'psql',
    [`${POSTGRES}/postgres`, '-v', 'ON_ERROR_STOP=1', '-qc', sql],
    { env: { PATH: process.env.PATH } },
    30_000,
  );
}

async function freePort() {
  const server = createServer();
  await new Promise((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address();
  await new Promise((resolveClose) => server.close(resolveClose));
  return port;
}

/** A loopback HTTP server keeping the webhook deliveries it receives. */
async function startReceiver() {
  const deliveries = [];
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      deliveries.push({ headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(204).end();
    });
  });
  await new Promise((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  return { url: `http://127.0.0.1:${server.address().port}`, deliveries, close: () => new Promise((done) => server.close(done)) };
}

async function waitFor(what, condition, timeoutMs, watched) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const crashed = watched.find((proc) => !running.has(proc.child));
    if (crashed) throw new ProcessFailure(crashed, `${crashed.name} exited while waiting for ${what}`);
    const result = await within(Promise.resolve(condition()), 10_000, what);
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await Promise.race([sleep(250), timeUp]);
  }
}

async function runImage(app, image, services, work, cleanups) {
  const database = `wallet_sandbox_docker_check_${process.pid}`;
  say(`PostgreSQL at 127.0.0.1:5432: CREATE DATABASE ${database}`);
  await psql(`DROP DATABASE IF EXISTS ${database}`);
  await psql(`CREATE DATABASE ${database}`);
  cleanups.push(async () => {
    say(`DROP DATABASE ${database}`);
    await psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const vars = { ADMIN_TOKEN: randomBytes(24).toString('hex'), SECRETS_KEY: randomBytes(32).toString('base64') };
  // What differs from compose here: this machine's PostgreSQL, loopback and a free port.
  const local = {
    DATABASE_URL: `${POSTGRES}/${database}`,
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: apiUrl,
    WALLET_SANDBOX_URL: apiUrl,
  };
  /** A service as compose runs it, `command` replacing its command as `compose run` does; `node` is this machine's. */
  const launch = (name, command) => {
    const service = services[name];
    const env = { PATH: process.env.PATH, ...image.env };
    for (const [key, value] of Object.entries(service.environment ?? {})) if (value !== null) env[key] = interpolate(value, vars);
    for (const key of Object.keys(local)) if (key in env) env[key] = local[key];
    // The check's webhook receiver listens on loopback, which production settings refuse.
    if (name !== 'cli') env.WEBHOOK_ALLOW_PRIVATE_TARGETS = 'true';
    const [node, ...args] = command ? [...service.entrypoint, ...command] : commandOf(service, image);
    const settings = Object.entries(env).filter(([key]) => key !== 'PATH');
    say(`${name}: ${[node, ...args].join(' ')}`);
    say(`  with ${settings.map(([key, value]) => `${key}=${key in vars ? '…' : value}`).join(' ')}`);
    return [process.execPath, args, { cwd: app, env }];
  };

  const migrated = await runToEnd('migrations', ...launch('migrations'), 120_000);
  say(`migrations: ${migrated.startsWith('applied: ') ? `${migrated.split(', ').length} applied` : migrated.trim()}`);

  const api = start('api', ...launch('api'));
  const worker = start('worker', ...launch('worker'));
  const ready = await waitFor(
    `GET ${apiUrl}/health/ready`,
    async () => {
      const answer = await fetch(`${apiUrl}/health/ready`).catch(() => null);
      return answer?.status === 200 ? answer.json() : null;
    },
    120_000,
    [api, worker],
  );
  if (ready.info?.queues?.backend !== 'postgres')
    throw new Error(`/health/ready: queues on ${ready.info?.queues?.backend}, not PostgreSQL`);
  say(`api ready: ${JSON.stringify(ready.info)}`);
  const page = await fetch(`${apiUrl}/console/`);
  const html = await page.text();
  const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  if (!page.ok || !script || !(await fetch(`${apiUrl}${script}`)).ok)
    throw new Error(`/console/ answered ${page.status}: ${tail(html, 5)}`);
  say(`console served: ${script}`);
  await waitFor('the worker to start', () => worker.output().includes('worker started'), 60_000, [api, worker]);
  say('worker started');

  const cli = (...command) => runToEnd('cli', ...launch('cli', command), 60_000);
  const created = JSON.parse(await cli('sandbox', 'create', '--name', 'docker-check', '--use', '--json'));
  if (!/^sk_test_/.test(created.secretKey ?? '')) throw new Error(`sandbox create answered ${JSON.stringify(created)}`);
  if (!existsSync(join(app, '.wallet-sandbox', 'cli.json'))) throw new Error('sandbox create --use saved nothing in .wallet-sandbox/');
  say(`cli: sandbox ${created.id} created, and current`);

  const receiver = await startReceiver();
  cleanups.push(() => receiver.close());
  const endpoint = await fetch(`${apiUrl}/v1/webhook-endpoints`, {
    method: 'POST',
    headers: { authorization: `Bearer ${created.secretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: `${receiver.url}/docker-check`, events: ['wallet.created'] }),
  });
  if (endpoint.status !== 201) throw new Error(`POST /v1/webhook-endpoints answered ${endpoint.status}: ${await endpoint.text()}`);
  const { secret } = await endpoint.json();
  say(`webhook endpoint for wallet.created at ${receiver.url}/docker-check`);

  const seeded = JSON.parse(await cli('seed', '--users', '1', '--stores', '1', '--balance', '1000', '--json'));
  if (seeded.users?.length !== 1 || seeded.stores?.length !== 1) throw new Error(`seed answered ${JSON.stringify(seeded)}`);
  say(`cli: seeded wallet ${seeded.users[0].walletId} and store ${seeded.stores[0].id}`);

  const delivery = await waitFor('the worker to deliver wallet.created', () => receiver.deliveries[0], 60_000, [api, worker]);
  const body = join(work, 'delivery.json');
  writeFileSync(body, delivery.body);
  const verified = await cli('webhooks', 'verify', body, '--signature', String(delivery.headers['wallet-signature']), '--secret', secret);
  if (!verified.startsWith('valid')) throw new Error(`webhooks verify: ${verified}`);
  say(`worker delivered wallet.created; cli: ${verified.trim()}`);

  say('SIGTERM to the api and the worker');
  for (const proc of [api, worker]) process.kill(proc.child.pid, 'SIGTERM');
  for (const proc of [api, worker]) {
    const { code, signal } = await within(proc.exited, 35_000, `${proc.name} to stop`);
    // NestJS closes the app, then re-raises the signal, so a graceful stop reports SIGTERM.
    if (!(signal === 'SIGTERM' || code === 0)) throw new ProcessFailure(proc, `${proc.name} stopped with ${signal ?? code}`);
    say(`${proc.name} stopped (${signal ?? code})`);
  }
  if (!worker.output().includes('worker stopped')) throw new ProcessFailure(worker, 'the worker did not finish its shutdown');
}

// ---------------------------------------------------------------------------

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'wallet-sandbox-docker-check-'));
  const cleanups = [
    () => {
      say(`removing ${work}`);
      // rm -rf: fs.rmSync takes a minute over two node_modules here, rm a second.
      execFileSync('rm', ['-rf', work]);
    },
  ];
  const stopped = (signal) => {
    say(`${signal}: stopping`);
    killAll();
    process.exitCode = 1;
  };
  process.once('SIGINT', stopped).once('SIGTERM', stopped);
  say(`working in ${work}`);
  try {
    const stages = parseDockerfile(readFileSync(join(ROOT, DOCKERFILE), 'utf8'));
    checkNodeVersion(stages);
    const built = await buildStages(stages, work);
    const image = built.at(-1);
    const app = join(image.root, image.workdir);
    const cmdScript = image.cmd?.find((arg, i) => i > 0 && !arg.startsWith('-'));
    if (!cmdScript || !existsSync(join(app, cmdScript))) throw new Error(`${DOCKERFILE}: CMD ${image.cmd?.join(' ')}: not in the image`);
    say(`image: WORKDIR ${image.workdir}, USER ${image.user}, CMD ${image.cmd.join(' ')} (here: as ${process.env.USER ?? 'this user'})`);
    checkCompose(COMPOSE_REDIS, { database: 'single', queues: 'redis' }, image, app);
    checkCompose(COMPOSE_CLUSTER, { database: 'citus', queues: 'redis-cluster' }, image, app);
    const services = checkCompose(COMPOSE_POSTGRES, { database: 'single', queues: 'postgres' }, image, app);
    await runImage(app, image, services, work, cleanups);
    say('passed');
  } catch (error) {
    process.exitCode = 1;
    process.stderr.write(`\ndocker-check FAILED: ${error.message}\n`);
    if (error instanceof ProcessFailure) process.stderr.write(`--- ${error.proc.name}, last lines ---\n${tail(error.proc.output())}\n`);
  } finally {
    killAll();
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        process.exitCode = 1;
        process.stderr.write(`docker-check: cleaning up failed: ${error.message}\n`);
      }
    }
    clearTimeout(timeUpTimer);
    say(process.exitCode ? 'failed' : 'done');
  }
}

await main();
