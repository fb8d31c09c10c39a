import { describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repositoryRoot } from '../apps/migrate/src/schema-files.js';

/**
 * Every module has the same anatomy (CONTRIBUTING.md): thin controllers and
 * processors, rules in use cases, SQL in repositories and sql/ only.
 */
const root = repositoryRoot();
const libs = join(root, 'libs');
// The feature modules; core is the mechanism they share (its stores are its repositories).
const modules = readdirSync(libs).filter((module) => module !== 'core' && existsSync(join(libs, module, 'src', `${module}.module.ts`)));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = modules.flatMap((module) => sources(join(libs, module, 'src'))).map((path) => relative(root, path).split('\\').join('/'));
const text = (path: string) => readFileSync(join(root, path), 'utf8');

/** A statement in SQL's capitals (the house style for SQL in strings); prose says "select" in lower case. */
const SQL = /\b(SELECT\s[\s\S]*?\bFROM\b|INSERT INTO|UPDATE\s+[a-z_]+\s+SET|DELETE FROM|SELECT\s+\*?\s*[a-z_]+\()/;

describe('the anatomy of a module', () => {
  test('every module has its module, and a worker module when it has a processor', () => {
    for (const module of modules) {
      const processor = existsSync(join(libs, module, 'src', `${module}.processor.ts`));
      expect([module, processor && !existsSync(join(libs, module, 'src', `${module}-worker.module.ts`))]).toEqual([module, false]);
    }
  });

  test('a module that answers requests or runs jobs keeps its rules in usecases/', () => {
    const serving = modules.filter((module) =>
      files.some((path) => path.startsWith(`libs/${module}/`) && /\.(controller|processor)\.ts$/.test(path)),
    );
    expect(serving.filter((module) => !existsSync(join(libs, module, 'src', 'usecases')))).toEqual([]);
  });

  test('SQL lives in repositories and sql/ only: never in controllers, processors, use cases or rules', () => {
    const outside = files.filter((path) => !path.endsWith('.repository.ts'));
    expect(outside.filter((path) => /\.controller\.ts$|\.processor\.ts$|\/usecases\//.test(path)).length).toBeGreaterThan(20);
    expect(outside.filter((path) => SQL.test(text(path)))).toEqual([]);
  });

  test('one controller per file, named for it', () => {
    const controllers = files.filter((path) => /@Controller\(/.test(text(path)));
    expect(controllers.filter((path) => !path.endsWith('.controller.ts') || text(path).match(/@Controller\(/g)!.length > 1)).toEqual([]);
  });
});
