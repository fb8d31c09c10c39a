import { randomBytes, randomInt } from 'node:crypto';
import { ApiError, type SandboxApi } from './api.js';

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
export async function seed(
  api: SandboxApi,
  keys: { secretKey: string; publishableKey: string },
  plan: SeedPlan,
  step: (label: string) => void,
): Promise<Seeded> {
  const made: Seeded = { users: [], stores: [] };
  try {
    await seedInto(made, api, keys, plan, step);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    made.stoppedBy = error.message;
  }
  return made;
}

async function seedInto(
  made: Seeded,
  api: SandboxApi,
  keys: { secretKey: string; publishableKey: string },
  plan: SeedPlan,
  step: (label: string) => void,
): Promise<void> {
  const batch = randomBytes(3).toString('hex');
  for (let i = 1; i <= plan.users; i++) {
    const who = {
      email: `demo-${batch}-${i}@example.test`,
      password: `harbour-lantern-${batch}-${i}`,
      phone: `+8190${String(randomInt(10_000_000, 100_000_000))}`,
    };
    const registered = await api.post<{ userId: string; walletId: string }>(
      '/v1/auth/register',
      { publishableKey: keys.publishableKey },
      who,
    );
    const user = { ...who, ...registered, balance: 0 };
    made.users.push(user);
    step(`registered ${who.email}`);
    if (plan.balance > 0) {
      await api.post(`/v1/sandbox/wallets/${registered.walletId}/fund`, { bearer: keys.secretKey }, { amount: plan.balance });
      user.balance = plan.balance;
      step(`funded ${registered.walletId} with ¥${plan.balance}`);
    }
  }
  for (let i = 0; i < plan.stores; i++) {
    const place = PLACES[i % PLACES.length];
    const name = `7-Eleven ${place.name}${i >= PLACES.length ? ` ${Math.floor(i / PLACES.length) + 1}` : ''}`;
    const store = await api.post<{ id: string; apiKey: string }>('/v1/stores', { bearer: keys.secretKey }, { ...place, name });
    step(`opened ${name}`);
    made.stores.push({ id: store.id, name, apiKey: store.apiKey });
  }
}
