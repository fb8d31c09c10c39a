import { QUEUE_BACKENDS, type QueueBackend } from '#core';

/** `--topology citus` runs these unless scenarios are named: the payment path and the payout run, each on one sandbox. */
export const TOPOLOGY_SCENARIOS = ['capture', 'payment-round', 'refund-campaign'];

/** The topologies `--topology` compares with one PostgreSQL node. */
const TOPOLOGIES = ['citus'] as const;

export interface BenchOptions {
  quick: boolean;
  /** The names of the scenarios to run, in the order `known` lists them. */
  scenarios: string[];
  refundWallets: number | null;
  /** In the order to run them; null: the one the developer's settings choose. */
  backends: QueueBackend[] | null;
  apiProcesses: number;
  /** `citus`: the scenarios on one PostgreSQL node, then on a Citus cluster, compared; null: on the database the settings name. */
  topology: (typeof TOPOLOGIES)[number] | null;
}

/** Takes `option` and the value after it out of `args`; undefined when it is not there. */
function takeValue(args: string[], option: string): string | undefined {
  const at = args.indexOf(option);
  if (at < 0) return undefined;
  const [, value] = args.splice(at, 2);
  if (value === undefined || value.startsWith('-')) throw new Error(`${option} needs a value`);
  return value;
}

function parseBackends(value: string): QueueBackend[] {
  const names = value.split(',');
  const unknown = names.filter((name) => !(QUEUE_BACKENDS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown queue backend ${unknown.map((name) => `'${name}'`).join(', ')}; the backends are: ${QUEUE_BACKENDS.join(', ')}`,
    );
  }
  if (new Set(names).size < names.length) throw new Error(`--backends names a backend twice: ${value}`);
  return names as QueueBackend[];
}

function parseTopology(value: string | undefined, backends: QueueBackend[] | null): BenchOptions['topology'] {
  if (value === undefined) return null;
  if (!(TOPOLOGIES as readonly string[]).includes(value)) {
    throw new Error(`unknown topology '${value}': --topology takes ${TOPOLOGIES.join(', ')} (compared with one PostgreSQL node)`);
  }
  if (backends !== null && backends.length > 1) {
    throw new Error(
      `--topology ${value} compares databases with the queues on one backend: name one with --backends (e.g. --backends redis), not ${backends.join(',')}`,
    );
  }
  return value as BenchOptions['topology'];
}

/** The command line of `npm run bench`, against the scenarios `known` in their order; null for --help. Throws what is wrong. */
export function parseArgs(argv: string[], known: string[]): BenchOptions | null {
  const args = [...argv];
  if (args.includes('--help') || args.includes('-h')) return null;
  const wallets = takeValue(args, '--refund-wallets');
  const refundWallets = wallets === undefined ? null : Number(wallets);
  if (refundWallets !== null && (!Number.isInteger(refundWallets) || refundWallets < 1_000)) {
    throw new Error('--refund-wallets takes a whole number ≥ 1,000');
  }
  const backendList = takeValue(args, '--backends');
  const backends = backendList === undefined ? null : parseBackends(backendList);
  const topology = parseTopology(takeValue(args, '--topology'), backends);
  const processes = takeValue(args, '--api-processes');
  const apiProcesses = processes === undefined ? 1 : Number(processes);
  if (!Number.isInteger(apiProcesses) || apiProcesses < 1 || apiProcesses > 64) {
    throw new Error('--api-processes takes a whole number from 1 to 64');
  }
  const flags = args.filter((arg) => arg.startsWith('-'));
  const unknownFlag = flags.find((flag) => flag !== '--quick');
  if (unknownFlag) throw new Error(`unknown option ${unknownFlag}`);
  const names = args.filter((arg) => !arg.startsWith('-'));
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; the scenarios are: ${known.join(', ')}`);
  const chosen = names.length > 0 ? names : topology ? TOPOLOGY_SCENARIOS : known;
  return {
    quick: flags.includes('--quick'),
    scenarios: known.filter((name) => chosen.includes(name)),
    refundWallets,
    backends,
    apiProcesses,
    topology,
  };
}
