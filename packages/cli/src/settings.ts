import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';

/**
 * The project root: `.env` and `.wallet-sandbox/` live there, whatever the
 * working directory. It is the repository (or image) holding this package,
 * else the working directory when the CLI is installed elsewhere.
 */
const root = projectRoot(dirname(fileURLToPath(import.meta.url)));
/** The sandbox `sandbox create --use` made current. */
export const CURRENT_FILE = join(root, '.wallet-sandbox', 'cli.json');
/** The demo sandbox `npm start` seeds. */
const DEMO_FILE = join(root, '.wallet-sandbox', 'demo.json');

export interface SandboxCredentials {
  id?: string;
  secretKey?: string;
  publishableKey?: string;
}

export interface GlobalOptions {
  url?: string;
  secretKey?: string;
  publishableKey?: string;
  adminToken?: string;
}

/** Where the api is and which keys to use: flags, then the environment, then what `npm start` and `sandbox create --use` wrote. */
export class Settings {
  constructor(private readonly options: GlobalOptions) {}

  get baseUrl(): string {
    const env = dotEnv();
    const url = this.options.url ?? process.env.WALLET_SANDBOX_URL ?? env.PUBLIC_URL ?? `http://localhost:${env.PORT ?? '3000'}`;
    return url.replace(/\/+$/, '');
  }

  get adminToken(): string {
    return required(
      this.options.adminToken ?? process.env.ADMIN_TOKEN ?? dotEnv().ADMIN_TOKEN,
      'the admin token (--admin-token, ADMIN_TOKEN or .env)',
    );
  }

  get secretKey(): string {
    return required(
      this.options.secretKey ?? process.env.WALLET_SANDBOX_SECRET_KEY ?? saved().secretKey,
      "a sandbox's secret key (--secret-key, WALLET_SANDBOX_SECRET_KEY, `sandbox create --use` or `npm start`)",
    );
  }

  get publishableKey(): string {
    return required(
      this.options.publishableKey ?? process.env.WALLET_SANDBOX_PUBLISHABLE_KEY ?? saved().publishableKey,
      "the sandbox's publishable key (--publishable-key, WALLET_SANDBOX_PUBLISHABLE_KEY, `sandbox create --use` or `npm start`)",
    );
  }
}

export function saveCurrent(sandbox: SandboxCredentials): string {
  mkdirSync(dirname(CURRENT_FILE), { recursive: true });
  writeFileSync(CURRENT_FILE, `${JSON.stringify(sandbox, null, 2)}\n`, { mode: 0o600 });
  return CURRENT_FILE;
}

/** After a roll: the current sandbox's saved secret key, if it was `old`, becomes `key`; the file's path, or null. */
export function replaceSavedSecretKey(old: string, key: string): string | null {
  if (!existsSync(CURRENT_FILE)) return null;
  const current = JSON.parse(readFileSync(CURRENT_FILE, 'utf8')) as SandboxCredentials;
  return current.secretKey === old ? saveCurrent({ ...current, secretKey: key }) : null;
}

function saved(): SandboxCredentials {
  for (const file of [CURRENT_FILE, DEMO_FILE]) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SandboxCredentials;
  }
  return {};
}

function projectRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'wallet-sandbox') return dir;
  }
  return process.cwd();
}

function dotEnv(): Record<string, string | undefined> {
  const file = join(root, '.env');
  return existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new Error(`Missing ${what}`);
  return value;
}
