import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The schema as files, each in the module that owns it:
 * - `libs/<module>/src/migrations/<YYYYMMDDHHMMSS>-<name>.sql`: schema changes, applied once each, in
 *   timestamp order across modules, and never edited once committed (migrations.sha256 holds them to it);
 * - `libs/<module>/src/sql/<name>.sql`: one SQL function or view each, named after the file and written as
 *   `CREATE OR REPLACE`, (re)applied whenever its content changes.
 * The migrate command finds them by this layout: a module has a schema by having these directories.
 */
export interface SchemaFile {
  module: string;
  /** The migration's file name without `.sql`, or the definition's object name. */
  name: string;
  /** Relative to the repository root, with forward slashes. */
  path: string;
  sql: string;
  checksum: string;
}

export interface Definition extends SchemaFile {
  kind: 'function' | 'view';
  /** Other definitions this one names: they are applied before it. */
  requires: string[];
}

export const MIGRATION_NAME = /^(\d{14})-[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The repository root: the nearest directory above this file that holds the modules (also from dist/). */
export function repositoryRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'libs'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no repository root with libs/ above ${from}`);
  }
}

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

function readDirectory(root: string, kind: 'migrations' | 'sql'): SchemaFile[] {
  const libs = join(root, 'libs');
  return readdirSync(libs)
    .sort()
    .flatMap((module) => {
      const dir = join(libs, module, 'src', kind);
      if (!existsSync(dir)) return [];
      return readdirSync(dir)
        .filter((file) => file.endsWith('.sql'))
        .map((file) => {
          const sql = readFileSync(join(dir, file), 'utf8');
          const path = relative(root, join(dir, file)).split('\\').join('/');
          return { module, name: basename(file, '.sql'), path, sql, checksum: checksumOf(sql) };
        });
    });
}

/** Every module's migrations, in the order they apply. */
export function readMigrations(root = repositoryRoot()): SchemaFile[] {
  const migrations = readDirectory(root, 'migrations');
  for (const migration of migrations) {
    if (!MIGRATION_NAME.test(migration.name))
      throw new Error(`${migration.path}: a migration is named <YYYYMMDDHHMMSS>-<kebab-case-name>.sql`);
    if (definesIn(migration.sql).length > 0)
      throw new Error(`${migration.path}: functions and views live in the module's sql/ directory, not in migrations`);
  }
  const byName = (a: SchemaFile, b: SchemaFile) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const sorted = migrations.sort(byName);
  const stamps = sorted.map((migration) => migration.name.slice(0, 14));
  const twice = stamps.find((stamp, i) => stamps.indexOf(stamp) !== i);
  if (twice) throw new Error(`two migrations share the timestamp ${twice}`);
  return sorted;
}

function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, '');
}

/** The functions and views a file creates: [kind, name] each. */
function definesIn(sql: string): [string, string][] {
  const creates = /\bCREATE\s+(?:OR\s+REPLACE\s+)?(FUNCTION|VIEW)\s+(?:public\.)?([a-z_][a-z0-9_]*)/gi;
  return [...stripComments(sql).matchAll(creates)].map((match) => [match[1].toLowerCase(), match[2]]);
}

/** Every module's functions and views, each after the ones it names. */
export function readDefinitions(root = repositoryRoot()): Definition[] {
  const files = readDirectory(root, 'sql');
  const definitions = files.map((file): Definition => {
    const found = definesIn(file.sql);
    if (found.length !== 1 || found[0][1] !== file.name)
      throw new Error(`${file.path}: defines exactly one function or view, named ${file.name}`);
    return { ...file, kind: found[0][0] as Definition['kind'], requires: [] };
  });
  const names = new Set(definitions.map((definition) => definition.name));
  if (names.size !== definitions.length) throw new Error('two modules define a function or view of the same name');
  for (const definition of definitions) {
    const body = stripComments(definition.sql);
    definition.requires = [...names].filter((name) => name !== definition.name && new RegExp(`\\b${name}\\b`).test(body));
  }
  return dependencyOrder(definitions);
}

function dependencyOrder(definitions: Definition[]): Definition[] {
  const byName = new Map(definitions.map((definition) => [definition.name, definition]));
  const ordered: Definition[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (definition: Definition, path: string[]) => {
    if (state.get(definition.name) === 'done') return;
    if (state.get(definition.name) === 'visiting')
      throw new Error(`definitions name each other: ${[...path, definition.name].join(' → ')}`);
    state.set(definition.name, 'visiting');
    for (const name of definition.requires) visit(byName.get(name) as Definition, [...path, definition.name]);
    state.set(definition.name, 'done');
    ordered.push(definition);
  };
  for (const definition of [...definitions].sort((a, b) => a.path.localeCompare(b.path))) visit(definition, []);
  return ordered;
}
