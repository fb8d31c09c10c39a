import { Barcode1764000004000 } from '#barcode';
import {
  Capture1764000006000,
  CaptureBalanceInEvent1764000008400,
  CaptureHoldsAndPlaces1764000008200,
  CapturePaymentsByStore1764000009950,
  CaptureServicePhase1764000009200,
} from '#capture';
import {
  Core1764000000000,
  FailedJobs1764000010200,
  type MigrationClass,
  OutboxPublish1764000005500,
  ThrottleCounters1764000009900,
} from '#core';
import { FraudAlerts1764000009800, FraudEngine1764000008300, FraudScreenings1764000007500 } from '#fraud';
import { Identity1764000003000, IdentityClosureAndForcedReset1764000009300, IdentityOneTimeCodesAndRecovery1764000009710 } from '#identity';
import {
  Ledger1764000002000,
  LedgerAvailable1764000005000,
  LedgerHolds1764000008100,
  LedgerPayoutBatch1764000009100,
  LedgerLiftedHolds1764000009700,
  LedgerPostPendingHolds1764000009600,
} from '#ledger';
import { Lifecycle1764000009000 } from '#lifecycle';
import {
  Sandbox1764000001000,
  SandboxClockStart1764000009400,
  SandboxReplays1764000010100,
  SandboxSimulatedClientIps1764000010000,
} from '#sandbox';
import { Topup1764000007000 } from '#topup';
import { Webhooks1764000009500 } from '#webhooks';

/** Every module's migrations, in timestamp order. */
export const MIGRATIONS: MigrationClass[] = [
  Core1764000000000,
  Sandbox1764000001000,
  Ledger1764000002000,
  Identity1764000003000,
  Barcode1764000004000,
  LedgerAvailable1764000005000,
  OutboxPublish1764000005500,
  Capture1764000006000,
  Topup1764000007000,
  FraudScreenings1764000007500,
  LedgerHolds1764000008100,
  CaptureHoldsAndPlaces1764000008200,
  FraudEngine1764000008300,
  CaptureBalanceInEvent1764000008400,
  Lifecycle1764000009000,
  LedgerPayoutBatch1764000009100,
  CaptureServicePhase1764000009200,
  IdentityClosureAndForcedReset1764000009300,
  SandboxClockStart1764000009400,
  Webhooks1764000009500,
  LedgerPostPendingHolds1764000009600,
  LedgerLiftedHolds1764000009700,
  IdentityOneTimeCodesAndRecovery1764000009710,
  FraudAlerts1764000009800,
  ThrottleCounters1764000009900,
  CapturePaymentsByStore1764000009950,
  SandboxSimulatedClientIps1764000010000,
  SandboxReplays1764000010100,
  FailedJobs1764000010200,
];
