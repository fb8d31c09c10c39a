import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDefinitions, readMigrations, repositoryRoot } from './schema-files.js';

/** A repository of its own with the given files under libs/. */
function repository(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'schema-files-'));
  writeFileSync(join(root, 'package.json'), '{}');
  for (const [path, sql] of Object.entries(files)) {
    mkdirSync(join(root, 'libs', path, '..'), { recursive: true });
    writeFileSync(join(root, 'libs', path), sql);
  }
  return root;
}

describe("the repository's schema files", () => {
  const root = repositoryRoot();

  test('migrations apply in timestamp order across modules, core and sandbox first', () => {
    const names = readMigrations(root).map((migration) => migration.name);
    expect(names).toEqual([...names].sort());
    expect(
      readMigrations(root)
        .slice(0, 2)
        .map((migration) => migration.module),
    ).toEqual(['core', 'sandbox']);
  });

  test('each function and view comes after the ones it names', () => {
    const order = readDefinitions(root).map((definition) => definition.name);
    const capture = order.indexOf('capture_payment');
    for (const needed of ['barcode_take_code', 'ledger_lock_available', 'lifecycle_phase_at', 'outbox_publish', 'sandbox_clocks'])
      expect(order.indexOf(needed)).toBeLessThan(capture);
    expect(order.indexOf('ledger_wallet_on_hold')).toBeLessThan(capture);
  });

  test('no function or view is defined anywhere but in its sql/ file', () => {
    // git grep: the product's code, tracked or new; tests (which may make functions of their own), node_modules and dist aside.
    const grep = spawnSync(
      'git',
      [
        'grep',
        '-lniE',
        '--untracked',
        'CREATE[[:space:]]+(OR[[:space:]]+REPLACE[[:space:]]+)?(FUNCTION|VIEW)',
        '--',
        '*.ts',
        '*.js',
        '*.mjs',
        '*.sql',
        ':!*/src/sql/*.sql',
        ':!test/',
        ':!*.test.ts',
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(grep.status).toBe(1); // git grep's "nothing found"
    const hits = grep.stdout.split('\n').filter(Boolean);
    expect(hits).toEqual([]);
  });

  test('migrations.sha256 seals every migration as it is', () => {
    const sealed = new Map(
      readFileSync(join(root, 'migrations.sha256'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(/\s+/).reverse() as [string, string]),
    );
    for (const migration of readMigrations(root))
      expect([migration.path, sealed.get(migration.path)]).toEqual([migration.path, migration.checksum]);
  });
});

describe('schema files are held to their layout', () => {
  test('a migration named off the pattern is refused', () => {
    const root = repository({ 'ledger/src/migrations/add-things.sql': 'SELECT 1;' });
    expect(() => readMigrations(root)).toThrow('<YYYYMMDDHHMMSS>-<kebab-case-name>.sql');
  });

  test('two migrations of one timestamp are refused', () => {
    const root = repository({
      'ledger/src/migrations/20270101000000-ledger-a.sql': 'SELECT 1;',
      'topup/src/migrations/20270101000000-topup-b.sql': 'SELECT 1;',
    });
    expect(() => readMigrations(root)).toThrow('two migrations share the timestamp 20270101000000');
  });

  test('a migration that defines a function is refused', () => {
    const root = repository({
      'ledger/src/migrations/20270101000000-ledger-a.sql': 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;',
    });
    expect(() => readMigrations(root)).toThrow("functions and views live in the module's sql/ directory");
  });

  test('a definition file holds one object, named after the file', () => {
    const two = repository({
      'ledger/src/sql/f.sql': 'CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\nCREATE VIEW g AS SELECT 1;',
    });
    expect(() => readDefinitions(two)).toThrow('defines exactly one function or view, named f');
    const misnamed = repository({ 'ledger/src/sql/f.sql': 'CREATE OR REPLACE VIEW g AS SELECT 1;' });
    expect(() => readDefinitions(misnamed)).toThrow('named f');
  });

  test('a name in a comment is not a dependency; definitions that name each other are refused', () => {
    const commented = repository({
      'a/src/sql/first.sql': '-- unlike second\nCREATE OR REPLACE FUNCTION first() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;',
      'b/src/sql/second.sql': 'CREATE OR REPLACE FUNCTION second() RETURNS int LANGUAGE sql AS $$ SELECT first() $$;',
    });
    expect(readDefinitions(commented).map((definition) => [definition.name, definition.requires])).toEqual([
      ['first', []],
      ['second', ['first']],
    ]);
    const cycle = repository({
      'a/src/sql/first.sql': 'CREATE OR REPLACE FUNCTION first() RETURNS int LANGUAGE sql AS $$ SELECT second() $$;',
      'b/src/sql/second.sql': 'CREATE OR REPLACE FUNCTION second() RETURNS int LANGUAGE sql AS $$ SELECT first() $$;',
    });
    expect(() => readDefinitions(cycle)).toThrow('definitions name each other: first → second → first');
  });
});
