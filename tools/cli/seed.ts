import { randomBytes, randomInt } from 'node:crypto';
import type { SandboxApi } from './api.js';

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

/**
 * Demo data through the public api, as an integrator would make it:
 * customers registered with the publishable key, their wallets funded and
 * stores opened with the secret key. `step` is told after every call.
 */
export async function seed(
  api: SandboxApi,
  keys: { secretKey: string; publishableKey: string },
  plan: SeedPlan,
  step: (label: string) => void,
): Promise<{ users: SeededUser[]; stores: SeededStore[] }> {
  const batch = randomBytes(3).toString('hex');
  const users: SeededUser[] = [];
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
    step(`registered ${who.email}`);
    if (plan.balance > 0) {
      await api.post(`/v1/sandbox/wallets/${registered.walletId}/fund`, { bearer: keys.secretKey }, { amount: plan.balance });
      step(`funded ${registered.walletId} with ¥${plan.balance}`);
    }
    users.push({ ...who, ...registered, balance: plan.balance });
  }
  const stores: SeededStore[] = [];
  for (let i = 0; i < plan.stores; i++) {
    const place = PLACES[i % PLACES.length];
    const name = `7-Eleven ${place.name}${i >= PLACES.length ? ` ${Math.floor(i / PLACES.length) + 1}` : ''}`;
    const store = await api.post<{ id: string; apiKey: string }>('/v1/stores', { bearer: keys.secretKey }, { ...place, name });
    step(`opened ${name}`);
    stores.push({ id: store.id, name, apiKey: store.apiKey });
  }
  return { users, stores };
}
