import { describe, expect, it } from '@jest/globals';
import { TOPOLOGY_SCENARIOS, parseArgs } from './options.js';

const KNOWN = ['fund-http', 'capture', 'payment-round', 'topup', 'refund-campaign'];

describe('parseArgs', () => {
  it('runs every scenario on the backend the settings choose when nothing is named', () => {
    expect(parseArgs([], KNOWN)).toEqual({
      quick: false,
      scenarios: KNOWN,
      refundWallets: null,
      backends: null,
      apiProcesses: 1,
      topology: null,
    });
  });

  it('runs the named scenarios in their own order, whatever order they are named in', () => {
    expect(parseArgs(['topup', 'capture', '--quick'], KNOWN)).toMatchObject({ quick: true, scenarios: ['capture', 'topup'] });
  });

  it('with --topology citus runs the payment path and the payout run unless scenarios are named', () => {
    expect(parseArgs(['--topology', 'citus'], KNOWN)).toMatchObject({ topology: 'citus', scenarios: TOPOLOGY_SCENARIOS });
    expect(parseArgs(['--topology', 'citus', 'topup'], KNOWN)).toMatchObject({ topology: 'citus', scenarios: ['topup'] });
  });

  it('takes --topology citus with the queues on one backend named', () => {
    expect(parseArgs(['--topology', 'citus', '--backends', 'postgres'], KNOWN)).toMatchObject({
      topology: 'citus',
      backends: ['postgres'],
    });
  });

  it('refuses a topology other than citus', () => {
    expect(() => parseArgs(['--topology', 'single'], KNOWN)).toThrow("unknown topology 'single': --topology takes citus");
    expect(() => parseArgs(['--topology'], KNOWN)).toThrow('--topology needs a value');
  });

  it('refuses --topology with two queue backends: the comparison is of databases, on one', () => {
    expect(() => parseArgs(['--topology', 'citus', '--backends', 'redis,postgres'], KNOWN)).toThrow(
      '--topology citus compares databases with the queues on one backend',
    );
  });

  it('refuses what it does not know', () => {
    expect(() => parseArgs(['--backends', 'kafka'], KNOWN)).toThrow("unknown queue backend 'kafka'");
    expect(() => parseArgs(['--fast'], KNOWN)).toThrow('unknown option --fast');
    expect(() => parseArgs(['hot-path'], KNOWN)).toThrow('unknown scenario hot-path');
    expect(() => parseArgs(['--refund-wallets', '10'], KNOWN)).toThrow('--refund-wallets takes a whole number ≥ 1,000');
  });

  it('is null for --help', () => {
    expect(parseArgs(['capture', '--help'], KNOWN)).toBeNull();
  });
});
