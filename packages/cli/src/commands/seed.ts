import { randomBytes, randomInt } from 'node:crypto';
import cliProgress from 'cli-progress';
import { ApiError, type Connection, ok, okAs } from '../api.js';
import { printJson, say } from '../output.js';

export interface SeedPlan {
  users: number;
  stores: number;
  /** Yen credited to each user's wallet. */
  balance: number;
}

export interface SeededUser {
  email: string;
  password: string;
  phone: string;
  userId: string;
  walletId: string;
  balance: number;
}

export interface SeededStore {
  id: string;
  name: string;
  apiKey: string;
}

/** Real places, so the fraud rules' distances between stores mean something. */
const PLACES = [
  { name: 'Ginza 1-chome', city: 'Tokyo', location: { latitude: 35.6745, longitude: 139.767 } },
  { name: 'Shinjuku East Exit', city: 'Tokyo', location: { latitude: 35.6909, longitude: 139.7003 } },
  { name: 'Shibuya Dogenzaka', city: 'Tokyo', location: { latitude: 35.658, longitude: 139.6982 } },
  { name: 'Osaka Umeda', city: 'Osaka', location: { latitude: 34.7025, longitude: 135.4959 } },
  { name: 'Sapporo Odori', city: 'Sapporo', location: { latitude: 43.0606, longitude: 141.3544 } },
];

/** Seeding's steps, one per call: a registration and a funding per user, one per store. */
export function seedSteps(plan: SeedPlan): number {
  return plan.users * (plan.balance > 0 ? 2 : 1) + plan.stores;
}

/** What seeding made; `stoppedBy` is the refusal that ended it early, if one did. */
export interface Seeded {
  users: SeededUser[];
  stores: SeededStore[];
  stoppedBy?: string;
}

/**
 * Demo data through the public api, as an integrator would make it:
 * customers registered with the publishable key, their wallets funded and
 * stores opened with the secret key. `step` is told after every call. A
 * refusal (a 429 on registrations, say) ends it, and what was made before is
 * still returned: those customers' passwords exist nowhere else.
 */
export async function seed(api: Connection, plan: SeedPlan, step: (label: string) => void): Promise<Seeded> {
  const made: Seeded = { users: [], stores: [] };
  try {
    await seedInto(made, api, plan, step);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    made.stoppedBy = error.message;
  }
  return made;
}

async function seedInto(made: Seeded, api: Connection, plan: SeedPlan, step: (label: string) => void): Promise<void> {
  const batch = randomBytes(3).toString('hex');
  for (let i = 1; i <= plan.users; i++) {
    const who = {
      email: `demo-${batch}-${i}@example.test`,
      password: `harbour-lantern-${batch}-${i}`,
      phone: `+8190${String(randomInt(10_000_000, 100_000_000))}`,
    };
    const registered = await ok(api.publishable.POST('/v1/auth/register', { body: who }));
    const user = { ...who, ...registered, balance: 0 };
    made.users.push(user);
    step(`registered ${who.email}`);
    if (plan.balance > 0) {
      const walletId = registered.walletId;
      await ok(api.secret.POST('/v1/sandbox/wallets/{walletId}/fund', { params: { path: { walletId } }, body: { amount: plan.balance } }));
      user.balance = plan.balance;
      step(`funded ${registered.walletId} with ¥${plan.balance}`);
    }
  }
  for (let i = 0; i < plan.stores; i++) {
    const place = PLACES[i % PLACES.length];
    const name = `7-Eleven ${place.name}${i >= PLACES.length ? ` ${Math.floor(i / PLACES.length) + 1}` : ''}`;
    const store = await okAs<{ id: string; apiKey: string }>(api.secret.POST('/v1/stores', { body: { ...place, name } }));
    step(`opened ${name}`);
    made.stores.push({ id: store.id, name, apiKey: store.apiKey });
  }
}

/** `seed`: with a progress bar on stderr, then what was made. */
export async function seedCommand(api: Connection, options: SeedPlan & { json?: boolean }): Promise<void> {
  // Both keys before the first call: a missing one fails here, not half-way.
  void [api.secret, api.publishable];
  const bar = new cliProgress.SingleBar({ format: 'Seeding [{bar}] {value}/{total} {step}', stream: process.stderr, hideCursor: true });
  bar.start(seedSteps(options), 0, { step: '' });
  let seeded;
  try {
    seeded = await seed(api, options, (step) => bar.increment({ step }));
  } finally {
    bar.stop();
  }
  if (seeded.stoppedBy) process.exitCode = 1;
  if (options.json) return printJson(seeded);
  say(`${seeded.users.length} customers:`);
  for (const user of seeded.users)
    say(`  ${user.email}  password ${user.password}  phone ${user.phone}  wallet ${user.walletId}  ¥${user.balance}`);
  say(`${seeded.stores.length} stores:`);
  for (const store of seeded.stores) say(`  ${store.id}  ${store.name}  register key ${store.apiKey}`);
  if (seeded.stoppedBy) process.stderr.write(`seeding stopped: ${seeded.stoppedBy}\n`);
}
