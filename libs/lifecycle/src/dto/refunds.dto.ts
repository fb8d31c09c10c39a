import { ApiProperty } from '@nestjs/swagger';
import { PHASES, type Phase } from '../phases.js';
import type { PayoutRun, PayoutRunProgress } from '../payout-runs.js';
import { CLAIM_STATUSES, type BankSummary, type ClaimStatus, type PayoutMethod, type RefundClaim } from '../refund-claims.js';
import type { RefundReport, UnclaimedBalance } from '../refund-report.js';

export class BankSummaryDto implements BankSummary {
  @ApiProperty({ example: '0001' })
  bankCode!: string;

  @ApiProperty({ example: '123' })
  branchCode!: string;

  @ApiProperty({ example: '4567', description: 'Only the last four digits are ever shown' })
  accountNumberLast4!: string;

  @ApiProperty({ example: 'ヤマダ タロウ' })
  holder!: string;
}

export class RefundClaimDto implements RefundClaim {
  @ApiProperty({ example: 'clm_01j…' })
  id!: string;

  @ApiProperty()
  walletId!: string;

  @ApiProperty({ type: String, nullable: true })
  userId!: string | null;

  @ApiProperty({ enum: ['bank_transfer', 'postal_payout'] })
  method!: PayoutMethod;

  @ApiProperty({ type: BankSummaryDto, nullable: true })
  bankAccount!: BankSummary | null;

  @ApiProperty({ enum: CLAIM_STATUSES })
  status!: ClaimStatus;

  @ApiProperty({ type: String, nullable: true, example: 'account_not_found' })
  failureCode!: string | null;

  @ApiProperty({ description: 'The balance when the claim was made (yen)' })
  amount!: number;

  @ApiProperty({ description: 'Yen paid out so far' })
  paidAmount!: number;

  @ApiProperty({ type: String, nullable: true, description: 'Postal payouts: the 12-digit slip number' })
  slipNumber!: string | null;

  @ApiProperty({ example: 'customer:usr_…', description: 'Who filed it: customer:<user> or operator:<key>' })
  filedBy!: string;

  @ApiProperty()
  createdAt!: string;

  @ApiProperty()
  updatedAt!: string;

  @ApiProperty({ type: String, nullable: true })
  paidAt!: string | null;
}

export class ProgressPointDto {
  @ApiProperty({ description: 'Sandbox time the ledger posted these payouts' })
  at!: string;

  @ApiProperty({ description: 'Wallets paid by the run up to then' })
  paid!: number;

  @ApiProperty({ description: 'Yen paid by the run up to then' })
  amount!: number;
}

export class PayoutRunProgressDto implements PayoutRunProgress {
  @ApiProperty({ example: 'prn_01j…' })
  runId!: string;

  @ApiProperty({ enum: ['running', 'completed'] })
  status!: 'running' | 'completed';

  @ApiProperty({ description: 'Claims the run must reach: paid, bounced, held and still waiting' })
  payable!: number;

  @ApiProperty({ description: 'Wallets paid (from the ledger)' })
  paid!: number;

  @ApiProperty({ description: 'Yen paid (from the ledger)' })
  amount!: number;

  @ApiProperty({ description: 'Claims whose transfer bounced' })
  bounced!: number;

  @ApiProperty({ description: 'Claims left for later: the wallet is held for fraud review' })
  held!: number;

  @ApiProperty({ minimum: 0, maximum: 100, description: 'Claims reached of those payable; 100 once completed' })
  percent!: number;

  @ApiProperty({ type: [ProgressPointDto], description: 'Cumulative wallets and yen paid over sandbox time, oldest first' })
  points!: ProgressPointDto[];

  @ApiProperty()
  startedAt!: string;

  @ApiProperty({ type: String, nullable: true })
  finishedAt!: string | null;

  @ApiProperty({ description: 'Sandbox time of the answer' })
  asOf!: string;
}

export class RefundClaimPageDto {
  @ApiProperty({ type: [RefundClaimDto] }) data!: RefundClaimDto[];
  @ApiProperty() has_more!: boolean;
}

export class PayoutRunDto implements PayoutRun {
  @ApiProperty({ example: 'prn_01j…' }) id!: string;
  @ApiProperty({ enum: ['running', 'completed'] }) status!: 'running' | 'completed';
  @ApiProperty({ description: 'What started it: claims, operator, store_refund, hold_released' }) trigger!: string;
  @ApiProperty({ description: 'Batches done' }) batches!: number;
  @ApiProperty({ description: 'Claims paid' }) paid!: number;
  @ApiProperty({ description: 'Yen paid' }) amount!: number;
  @ApiProperty({ description: 'Claims whose transfer bounced' }) bounced!: number;
  @ApiProperty({ description: 'Claims left for later: the wallet is held for fraud review' }) held!: number;
  @ApiProperty() startedAt!: string;
  @ApiProperty({ type: String, nullable: true }) finishedAt!: string | null;
}

export class PayoutRunPageDto {
  @ApiProperty({ type: [PayoutRunDto] }) data!: PayoutRunDto[];
  @ApiProperty() has_more!: boolean;
}

class CountAndAmountDto {
  @ApiProperty() count!: number;
  @ApiProperty({ description: 'Yen' }) amount!: number;
}

class ClaimsByStatusDto implements Record<ClaimStatus, number> {
  @ApiProperty() submitted!: number;
  @ApiProperty() on_hold!: number;
  @ApiProperty() bounced!: number;
  @ApiProperty() paid!: number;
}

class DepositRequirementDto {
  @ApiProperty({ description: 'The latest base date (March 31 or September 30, 24:00 JST)' }) baseDate!: string;
  @ApiProperty({ description: 'Unused balance on the base date (yen)' }) unusedBalance!: number;
  @ApiProperty({ description: 'Above this, at least half must be deposited (yen)' }) threshold!: number;
  @ApiProperty({ description: 'Yen to deposit, 0 when under the threshold' }) required!: number;
}

class ReconcilesDto {
  @ApiProperty({ description: 'outstanding = awaiting payout + unclaimed' }) balances!: boolean;
  @ApiProperty({ description: "The claims' payouts = the ledger's refund payouts" }) payouts!: boolean;
}

export class RefundReportDto implements RefundReport {
  @ApiProperty() asOf!: string;
  @ApiProperty({ enum: PHASES }) phase!: Phase;
  @ApiProperty() walletsWithBalance!: number;
  @ApiProperty({ description: 'What the wallets hold now (yen)' }) outstanding!: number;
  @ApiProperty() refundedCount!: number;
  @ApiProperty({ description: "Yen paid out, from the ledger's refund payout account" }) refunded!: number;
  @ApiProperty() unclaimedCount!: number;
  @ApiProperty({ description: 'Balances with no claim waiting (yen)' }) unclaimed!: number;
  @ApiProperty({ type: CountAndAmountDto, description: 'Balances whose claim waits (submitted, on hold, bounced)' })
  awaitingPayout!: CountAndAmountDto;
  @ApiProperty({ type: ClaimsByStatusDto }) claims!: ClaimsByStatusDto;
  @ApiProperty({ type: DepositRequirementDto }) depositRequirement!: DepositRequirementDto;
  @ApiProperty({ type: ReconcilesDto }) reconciles!: ReconcilesDto;
}

export class UnclaimedBalanceDto implements UnclaimedBalance {
  @ApiProperty() walletId!: string;
  @ApiProperty({ description: 'Yen' }) balance!: number;
}

export class UnclaimedPageDto {
  @ApiProperty({ type: [UnclaimedBalanceDto] }) data!: UnclaimedBalanceDto[];
  @ApiProperty() has_more!: boolean;
}
