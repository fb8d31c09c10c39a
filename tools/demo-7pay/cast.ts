import type { Random } from './random.js';

export type Channel = 'register_cash' | 'card' | 'points' | 'atm';
export const CHANNELS: readonly Channel[] = ['register_cash', 'card', 'points', 'atm'];

/**
 * What an attacker does with an account, one step per tick of the wave
 * (see TICKS in attack.ts): the rules meet each at a different step.
 */
export type AttackPlan = 'rapid' | 'shopper' | 'slow';

export interface StorePlan {
  name: string;
  city: string;
  location: { latitude: number; longitude: number };
}

export interface CustomerPlan {
  n: number;
  email: string;
  password: string;
  phone: string;
  /** Null for the many who never set one: legacy-2019 then takes 2019-01-01, as 7pay did. */
  birthday: string | null;
  /** The account holder's name as a bank writes it. */
  holder: string;
  /** The phone's network at home (a Japanese mobile carrier) and the app's installation id. */
  ip: string;
  deviceId: string;
  city: string;
  /** Indexes into the stores: two near home. */
  homeStores: [number, number];
  /** How they top up; null for those who signed up for the launch campaign and never did. */
  channel: Channel | null;
  /** The card they add, when they top up by card. */
  card: string | null;
  /** Loyalty points carried over from the chain's programme, for those who top up with points. */
  loyaltyPoints: number;
  smoker: boolean;
  /** Changes phones while abroad on 07-02: an honest sign-in the rules hold. */
  traveller: boolean;
  /** Uses here the password that leaked from another service. */
  reusesLeakedPassword: boolean;
}

export interface LeakedPair {
  email: string;
  password: string;
  /** The attacker's address: an overseas exit, or a proxy in Japan. */
  ip: string;
  overseas: boolean;
  deviceId: string;
  plan: AttackPlan;
  /** 0 on 07-02 evening, 1 on 07-03 morning. */
  batch: 0 | 1;
}

export interface Cast {
  stores: StorePlan[];
  customers: CustomerPlan[];
  /** People who try to sign up once registrations are suspended. */
  latecomers: CustomerPlan[];
  leak: LeakedPair[];
}

/** The chain's stores in six cities: [city, neighbourhood, latitude, longitude]. */
const STORES: ReadonlyArray<readonly [string, string, number, number]> = [
  ['Tokyo', 'Ginza 4-chome', 35.6717, 139.765],
  ['Tokyo', 'Shinjuku 3-chome', 35.691, 139.7045],
  ['Tokyo', 'Shibuya Dogenzaka', 35.658, 139.6982],
  ['Tokyo', 'Ikebukuro West Exit', 35.731, 139.709],
  ['Tokyo', 'Ueno Hirokoji', 35.708, 139.773],
  ['Tokyo', 'Akihabara Station', 35.6984, 139.7731],
  ['Tokyo', 'Shinagawa Konan', 35.6285, 139.74],
  ['Tokyo', 'Roppongi 6-chome', 35.6605, 139.7292],
  ['Osaka', 'Umeda Chayamachi', 34.7055, 135.4983],
  ['Osaka', 'Namba Sennichimae', 34.666, 135.503],
  ['Osaka', 'Tennoji Abeno', 34.646, 135.514],
  ['Osaka', 'Shinsaibashi', 34.675, 135.501],
  ['Nagoya', 'Sakae 3-chome', 35.1681, 136.9066],
  ['Nagoya', 'Meieki 1-chome', 35.1709, 136.8815],
  ['Fukuoka', 'Tenjin 2-chome', 33.5902, 130.399],
  ['Fukuoka', 'Hakata Station', 33.5897, 130.4207],
  ['Sapporo', 'Odori Nishi', 43.0606, 141.3544],
  ['Sapporo', 'Susukino', 43.0556, 141.353],
  ['Sendai', 'Ichibancho', 38.2601, 140.8719],
  ['Sendai', 'Sendai Station', 38.2601, 140.8825],
];
const HOME_CITIES: ReadonlyArray<readonly [string, number]> = [
  ['Tokyo', 45],
  ['Osaka', 20],
  ['Nagoya', 10],
  ['Fukuoka', 10],
  ['Sapporo', 8],
  ['Sendai', 7],
];
const FAMILY_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['sato', 'サトウ'],
  ['suzuki', 'スズキ'],
  ['takahashi', 'タカハシ'],
  ['tanaka', 'タナカ'],
  ['watanabe', 'ワタナベ'],
  ['ito', 'イトウ'],
  ['yamamoto', 'ヤマモト'],
  ['nakamura', 'ナカムラ'],
  ['kobayashi', 'コバヤシ'],
  ['kato', 'カトウ'],
  ['yoshida', 'ヨシダ'],
  ['yamada', 'ヤマダ'],
];
const GIVEN_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['haruto', 'ハルト'],
  ['yui', 'ユイ'],
  ['sota', 'ソウタ'],
  ['hina', 'ヒナ'],
  ['yuto', 'ユウト'],
  ['mei', 'メイ'],
  ['riku', 'リク'],
  ['sakura', 'サクラ'],
  ['ren', 'レン'],
  ['aoi', 'アオイ'],
  ['kaito', 'カイト'],
  ['rin', 'リン'],
];
const PASSWORD_WORDS = ['sakura', 'hanabi', 'momiji', 'tanuki', 'neko', 'ramen', 'fujisan', 'kaminari', 'tsuki', 'yuki'];

/** Top-up channels as the launch's customers chose them; a share never topped up at all. */
const CHANNEL_CHOICE: ReadonlyArray<readonly [Channel | null, number]> = [
  ['register_cash', 40],
  ['card', 25],
  ['points', 12],
  ['atm', 8],
  [null, 15],
];
/** 7pay's cards needed 3-D Secure; the sandbox's 3-D Secure test card stands for the ones that asked. */
const CARDS: ReadonlyArray<readonly [string, number]> = [
  ['4242424242424242', 3],
  ['4000000000003220', 1],
];
/** The attackers' own card, for accounts with none registered: any Luhn-valid number is charged. */
export const STOLEN_CARD = '4111111111111111';

/** Share of customers whose password here is the one leaked elsewhere (7pay: 808 of 1.5M; raised so a small run shows it). */
const REUSED_PASSWORD_SHARE = 0.02;
const TRAVELLER_SHARE = 0.005;
/** The rest of the leaked list: customers' e-mails with another password, and strangers. */
const STALE_PAIR_SHARE = 0.03;
const STRANGER_SHARE = 0.08;
/** Most of the wave came from overseas; the rest through proxies in Japan, each used for a few pairs only. */
const OVERSEAS_SHARE = 0.65;
const PAIRS_PER_PROXY = 3;
/** Overseas exits of the wave (none in the sandbox's domestic networks). */
const OVERSEAS_EXITS = ['103.75.118', '45.133.1', '185.220.101', '27.115.124', '116.62.4', '47.74.22'];
/** A Japanese hosting range standing for proxies in Japan (133.0.0.0/8 is domestic to the fraud rules). */
const PROXY_RANGE = '133.242';

export function castFor(users: number, random: Random): Cast {
  const stores = STORES.map(([city, name, latitude, longitude]) => ({ name: `7-Eleven ${name}`, city, location: { latitude, longitude } }));
  const people = random.stream('customers');
  const customers = Array.from({ length: users }, (_, i) => customerPlan(i + 1, people));
  const latecomers = Array.from({ length: Math.max(2, Math.round(users * 0.01)) }, (_, i) => customerPlan(users + i + 1, people));
  const roles = random.stream('roles');
  const travellers = roles.exactly(customers, Math.max(1, Math.round(users * TRAVELLER_SHARE)));
  for (const t of travellers) t.traveller = true;
  const reusers = roles.exactly(
    customers.filter((c) => !c.traveller),
    Math.max(3, Math.round(users * REUSED_PASSWORD_SHARE)),
  );
  for (const r of reusers) r.reusesLeakedPassword = true;
  return { stores, customers, latecomers, leak: leakedList(customers, random.stream('leak')) };
}

function customerPlan(n: number, r: Random): CustomerPlan {
  const [family, familyKana] = r.pick(FAMILY_NAMES);
  const [given, givenKana] = r.pick(GIVEN_NAMES);
  const city = r.weighted(HOME_CITIES);
  const near = STORES.flatMap(([storeCity], index) => (storeCity === city ? [index] : []));
  const home = r.shuffled(near);
  const channel = r.weighted(CHANNEL_CHOICE);
  return {
    n,
    email: `${given}.${family}.${n}@${r.pick(['example.jp', 'mail.example.jp', 'example.ne.jp'])}`,
    password: `${r.pick(PASSWORD_WORDS)}${r.int(1960, 2005)}${r.int(10, 99)}`,
    phone: `+81${r.pick(['70', '80', '90'])}${String(n).padStart(8, '0')}`,
    birthday: r.chance(0.3) ? `${r.int(1960, 2001)}-${pad(r.int(1, 12))}-${pad(r.int(1, 28))}` : null,
    holder: `${familyKana} ${givenKana}`,
    ip: `126.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`,
    deviceId: deviceId(r),
    city,
    homeStores: [home[0], home[1 % home.length]],
    channel,
    card: channel === 'card' ? r.weighted(CARDS) : null,
    loyaltyPoints: channel === 'points' ? 500 * r.int(4, 16) : 0,
    smoker: r.chance(0.15),
    traveller: false,
    reusesLeakedPassword: false,
  };
}

/** A list of e-mail and password pairs from another service's breach, as the attackers tried it. */
function leakedList(customers: CustomerPlan[], r: Random): LeakedPair[] {
  const users = customers.length;
  const pairs: Array<{ email: string; password: string }> = [
    ...customers.filter((c) => c.reusesLeakedPassword).map((c) => ({ email: c.email, password: c.password })),
    ...r
      .exactly(
        customers.filter((c) => !c.reusesLeakedPassword),
        Math.round(users * STALE_PAIR_SHARE),
      )
      .map((c) => ({ email: c.email, password: `${c.password.slice(0, -2)}${r.int(10, 99)}x` })),
    ...Array.from({ length: Math.max(10, Math.round(users * STRANGER_SHARE)) }, (_, k) => ({
      email: `${r.pick(GIVEN_NAMES)[0]}${r.int(100, 999)}.${k}@example.com`,
      password: `${r.pick(PASSWORD_WORDS)}${r.int(1000, 9999)}`,
    })),
  ];
  let proxyPairs = 0;
  return r.shuffled(pairs).map((pair, i, all) => {
    const overseas = r.chance(OVERSEAS_SHARE);
    const proxy = Math.floor(proxyPairs / PAIRS_PER_PROXY);
    if (!overseas) proxyPairs += 1;
    return {
      ...pair,
      overseas,
      ip: overseas ? `${r.pick(OVERSEAS_EXITS)}.${r.int(2, 254)}` : `${PROXY_RANGE}.${Math.floor(proxy / 250)}.${(proxy % 250) + 2}`,
      deviceId: deviceId(r),
      plan: r.weighted<AttackPlan>([
        ['rapid', 1],
        ['shopper', 2],
        ['slow', 1],
      ]),
      batch: i < all.length * 0.6 ? 0 : 1,
    };
  });
}

/** An app installation id shaped as the app makes it (a UUID), drawn from the seed. */
function deviceId(r: Random): string {
  const hex = (digits: number) => Array.from({ length: digits }, () => r.int(0, 15).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${r.pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
