import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { runMain } from '#core';
import { readMigrations, repositoryRoot } from '../apps/migrate/src/schema-files.js';

/** Each committed migration's SHA-256, in `sha256sum` format: a migration is never edited once committed. */
const MANIFEST = 'migrations.sha256';

const root = repositoryRoot();
const program = new Command('migrations').description('Schema migrations: create, seal, check.');

function readManifest(): Map<string, string> {
  const path = join(root, MANIFEST);
  if (!existsSync(path)) return new Map();
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  return new Map(lines.map((line) => line.split(/\s+/, 2).reverse() as [string, string]));
}

/** `npm run migration:new -- <module> <name>`: the next migration file of a module, empty. */
function create(module: string, name: string): void {
  const dir = join(root, 'libs', module, 'src');
  if (!existsSync(dir)) program.error(`there is no module libs/${module}`);
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const path = join('libs', module, 'src', 'migrations', `${stamp}-${slug}.sql`);
  writeFileSync(join(root, path), `-- Why this change: …\n`, { flag: 'wx' });
  console.log(`${path}: write the change, then npm run migration:seal before committing`);
}

/** Fails when a sealed migration changed or went, or a migration is not sealed yet. */
function check(): void {
  const manifest = readManifest();
  const migrations = readMigrations(root);
  const problems = [
    ...migrations
      .filter((migration) => manifest.has(migration.path) && manifest.get(migration.path) !== migration.checksum)
      .map((migration) => `${migration.path} changed after it was committed: restore it and write a new migration`),
    ...[...manifest.keys()]
      .filter((path) => !migrations.some((migration) => migration.path === path))
      .map((path) => `${path} is sealed but gone: a committed migration stays`),
    ...migrations
      .filter((migration) => !manifest.has(migration.path))
      .map((migration) => `${migration.path} is not sealed: npm run migration:seal`),
  ];
  if (problems.length > 0) program.error(problems.join('\n'));
  console.log(`${migrations.length} migrations, each as it was sealed`);
}

/** Adds the migrations not yet in the manifest; never changes an entry. */
function seal(): void {
  const manifest = readManifest();
  const added = readMigrations(root).filter((migration) => !manifest.has(migration.path));
  for (const migration of added) manifest.set(migration.path, migration.checksum);
  const lines = [...manifest].sort(([a], [b]) => a.localeCompare(b)).map(([path, sum]) => `${sum}  ${path}\n`);
  writeFileSync(join(root, MANIFEST), lines.join(''));
  console.log(added.length ? `sealed: ${added.map((migration) => migration.path).join(', ')}` : 'nothing new to seal');
}

runMain(async () => {
  program.command('new <module> <name>').description('create the next migration of a module').action(create);
  program.command('check').description('every migration sealed and unchanged').action(check);
  program.command('seal').description('seal the migrations not yet in migrations.sha256').action(seal);
  await program.parseAsync();
});
