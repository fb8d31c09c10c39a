import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Connection, type Credential, ok } from '../api.js';
import { printJson, say } from '../output.js';

/**
 * A fixture file, in the manner of the Stripe CLI's: steps run in order,
 * each an api call whose strings may name what earlier steps answered.
 */
export interface FixtureFile {
  fixtures: FixtureStep[];
}

export interface FixtureStep {
  name: string;
  method: 'get' | 'post' | 'delete';
  path: string;
  /** Which credential the call sends (default `secret`); `{ "bearer": "${login:body.accessToken}" }` for a customer's or a store's token. */
  credential?: Credential;
  body?: unknown;
}

/** What a step answered, as later steps refer to it: `${name:status}`, `${name:body.walletId}` (or `${name:walletId}`). */
export interface StepResult {
  status: number;
  body: unknown;
}

const REFERENCE = /\$\{([A-Za-z0-9_.-]+):([^}]*)\}/g;

/**
 * Replaces every `${name:path}` in the strings of a value. `name` is an
 * earlier step (its `status` or `body.…`; a path without `body.` reads the
 * body too, as Stripe's `${name:id}` does), `env` (an environment variable)
 * or `run` (`${run:id}`: eight random digits, one draw per run, for unique
 * e-mails and phone numbers). A
 * string that is one reference takes the referred value as it is, number or
 * object; inside a longer string it is written out.
 */
export function resolveReferences(
  value: unknown,
  results: ReadonlyMap<string, StepResult>,
  run: { id: string; env: NodeJS.ProcessEnv },
): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{([A-Za-z0-9_.-]+):([^}]*)\}$/.exec(value);
    if (whole) return lookUp(whole[1], whole[2], results, run);
    return value.replace(REFERENCE, (_, name: string, path: string) => {
      const found = lookUp(name, path, results, run);
      return typeof found === 'object' ? JSON.stringify(found) : String(found);
    });
  }
  if (Array.isArray(value)) return value.map((item) => resolveReferences(item, results, run));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveReferences(item, results, run)]));
  return value;
}

function lookUp(
  name: string,
  path: string,
  results: ReadonlyMap<string, StepResult>,
  run: { id: string; env: NodeJS.ProcessEnv },
): unknown {
  if (name === 'run' && path === 'id') return run.id;
  if (name === 'env') {
    const variable = run.env[path];
    if (variable === undefined) throw new Error(`\${env:${path}}: ${path} is not set`);
    return variable;
  }
  const result = results.get(name);
  if (!result) throw new Error(`\${${name}:${path}}: no earlier step is named ${name}`);
  const keys = path.split('.').filter(Boolean);
  let found: unknown = keys[0] === 'status' || keys[0] === 'body' ? result : result.body;
  for (const key of keys) {
    if (found === null || typeof found !== 'object' || !(key in found)) throw new Error(`\${${name}:${path}}: ${name} has no ${path}`);
    found = (found as Record<string, unknown>)[key];
  }
  return found;
}

export function readFixtures(file: string): FixtureFile {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<FixtureFile>;
  if (!Array.isArray(parsed.fixtures)) throw new Error(`${file}: expected { "fixtures": [ … ] }`);
  for (const [i, step] of parsed.fixtures.entries()) {
    if (
      !step ||
      typeof step.name !== 'string' ||
      typeof step.path !== 'string' ||
      !['get', 'post', 'delete'].includes(String(step.method).toLowerCase())
    )
      throw new Error(`${file}: fixture ${i + 1} needs a name, a method (get, post or delete) and a path`);
  }
  return parsed as FixtureFile;
}

/** Runs a fixture file's steps in order, printing each; the first refusal stops the run. */
export async function runFixtures(api: Connection, file: string, options: { json?: boolean }): Promise<void> {
  const { fixtures } = readFixtures(file);
  const results = new Map<string, StepResult>();
  const run = { id: String(randomInt(10_000_000, 100_000_000)), env: process.env };
  const printed: Array<{ name: string; method: string; path: string } & StepResult> = [];
  for (const step of fixtures) {
    const method = step.method.toUpperCase() as 'GET' | 'POST' | 'DELETE';
    const path = resolveReferences(step.path, results, run) as string;
    const credential = resolveReferences(step.credential ?? 'secret', results, run) as Credential;
    const body = resolveReferences(step.body, results, run);
    // A fixture's path is data, not one of the document's paths: the typed client takes it unchecked.
    const client = api.as(credential);
    const answer = await client.request(step.method.toLowerCase() as 'get', path as never, (body === undefined ? {} : { body }) as never);
    const result = { status: answer.response.status, body: answer.data ?? answer.error ?? null };
    results.set(step.name, result);
    printed.push({ name: step.name, method, path, ...result });
    if (!options.json) say(`${step.name.padEnd(16)} ${method} ${path}  ${result.status}  ${summary(result.body)}`);
    if (!answer.response.ok) {
      if (options.json) printJson(printed);
      await ok(Promise.resolve(answer));
    }
  }
  if (options.json) printJson(printed);
}

/** An answer on one line, cut short. */
function summary(body: unknown): string {
  const text = JSON.stringify(body) ?? '';
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}
