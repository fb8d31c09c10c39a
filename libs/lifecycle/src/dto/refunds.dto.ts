import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { PHASES, type Phase } from '../phases.js';
import type { PayoutRun } from '../payout-runs.repository.js';
import { CLAIM_STATUSES, type BankSummary, type ClaimStatus, type PayoutMethod, type RefundClaim } from '../refund-claims.js';
import type { RefundReport, UnclaimedBalance } from '../refund-report.js';
import type { PayoutRunProgress } from '../usecases/get-payout-run.js';

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

// Nullable by reference: `type: BankSummaryDto, nullable: true` comes out as an object that may not be null.
@ApiExtraModels(BankSummaryDto)
export class RefundClaimDto implements RefundClaim {
  @ApiProperty({ example: 'clm_01kaxq3m5v8c0000000000000000' })
  id!: string;

  @ApiProperty()
  walletId!: string;

  @ApiProperty({ type: String, nullable: true })
  userId!: string | null;

  @ApiProperty({ enum: ['bank_transfer', 'postal_payout'] })
  method!: PayoutMethod;

  @ApiProperty({ nullable: true, allOf: [{ $ref: getSchemaPath(BankSummaryDto) }] })
  bankAccount!: BankSummary | null;

  @ApiProperty({ enum: CLAIM_STATUSES })
  status!: ClaimStatus;

  @ApiProperty({ type: String, nullable: true, example: 'account_not_found' })
  failureCode!: string | null;

  @ApiProperty({ type: 'integer', description: 'The balance when the claim was made (yen)' })
  amount!: number;

  @ApiProperty({ type: 'integer', description: 'Yen paid out so far' })
  paidAmount!: number;

  @ApiProperty({ type: String, nullable: true, description: 'Postal payouts: the 12-digit slip number' })
  slipNumber!: string | null;

  @ApiProperty({ example: 'customer:usr_01kaxq3m5v8c0000000000000000', description: 'Who filed it: customer:<user> or operator:<key>' })
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

  @ApiProperty({ type: 'integer', description: 'Wallets paid by the run up to then' })
  paid!: number;

  @ApiProperty({ type: 'integer', description: 'Yen paid by the run up to then' })
  amount!: number;
}

export class PayoutRunProgressDto implements PayoutRunProgress {
  @ApiProperty({ example: 'prn_01kaxq3m5v8c0000000000000000' })
  runId!: string;

  @ApiProperty({ enum: ['running', 'completed'] })
  status!: 'running' | 'completed';

  @ApiProperty({ type: 'integer', description: 'Claims the run must reach: paid, bounced, held and still waiting' })
  payable!: number;

  @ApiProperty({ type: 'integer', description: 'Wallets paid (from the ledger)' })
  paid!: number;

  @ApiProperty({ type: 'integer', description: 'Yen paid (from the ledger)' })
  amount!: number;

  @ApiProperty({ type: 'integer', description: 'Claims whose transfer bounced' })
  bounced!: number;

  @ApiProperty({ type: 'integer', description: 'Claims left for later: the wallet is held for fraud review' })
  held!: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100, description: 'Claims reached of those payable; 100 once completed' })
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
  @ApiProperty({ example: 'prn_01kaxq3m5v8c0000000000000000' }) id!: string;
  @ApiProperty({ enum: ['running', 'completed'] }) status!: 'running' | 'completed';
  @ApiProperty({ description: 'What started it: claims, operator, store_refund, hold_released' }) trigger!: string;
  @ApiProperty({ type: 'integer', description: 'Batches done' }) batches!: number;
  @ApiProperty({ type: 'integer', description: 'Claims paid' }) paid!: number;
  @ApiProperty({ type: 'integer', description: 'Yen paid' }) amount!: number;
  @ApiProperty({ type: 'integer', description: 'Claims whose transfer bounced' }) bounced!: number;
  @ApiProperty({ type: 'integer', description: 'Claims left for later: the wallet is held for fraud review' }) held!: number;
  @ApiProperty() startedAt!: string;
  @ApiProperty({ type: String, nullable: true }) finishedAt!: string | null;
}

export class PayoutRunPageDto {
  @ApiProperty({ type: [PayoutRunDto] }) data!: PayoutRunDto[];
  @ApiProperty() has_more!: boolean;
}

class CountAndAmountDto {
  @ApiProperty({ type: 'integer' }) count!: number;
  @ApiProperty({ type: 'integer', description: 'Yen' }) amount!: number;
}

class ClaimsByStatusDto implements Record<ClaimStatus, number> {
  @ApiProperty({ type: 'integer' }) submitted!: number;
  @ApiProperty({ type: 'integer' }) on_hold!: number;
  @ApiProperty({ type: 'integer' }) bounced!: number;
  @ApiProperty({ type: 'integer' }) paid!: number;
}

class DepositRequirementDto {
  @ApiProperty({ description: 'The latest base date (March 31 or September 30, 24:00 JST)' }) baseDate!: string;
  @ApiProperty({ type: 'integer', description: 'Unused balance on the base date (yen)' }) unusedBalance!: number;
  @ApiProperty({ type: 'integer', description: 'Above this, at least half must be deposited (yen)' }) threshold!: number;
  @ApiProperty({ type: 'integer', description: 'Yen to deposit, 0 when under the threshold' }) required!: number;
}

class ReconcilesDto {
  @ApiProperty({ description: 'outstanding = awaiting payout + unclaimed' }) balances!: boolean;
  @ApiProperty({ description: "The claims' payouts = the ledger's refund payouts" }) payouts!: boolean;
}

export class RefundReportDto implements RefundReport {
  @ApiProperty() asOf!: string;
  @ApiProperty({ enum: PHASES }) phase!: Phase;
  @ApiProperty({ type: 'integer' }) walletsWithBalance!: number;
  @ApiProperty({ type: 'integer', description: 'What the wallets hold now (yen)' }) outstanding!: number;
  @ApiProperty({ type: 'integer' }) refundedCount!: number;
  @ApiProperty({ type: 'integer', description: "Yen paid out, from the ledger's refund payout account" }) refunded!: number;
  @ApiProperty({ type: 'integer' }) unclaimedCount!: number;
  @ApiProperty({ type: 'integer', description: 'Balances with no claim waiting (yen)' }) unclaimed!: number;
  @ApiProperty({ type: CountAndAmountDto, description: 'Balances whose claim waits (submitted, on hold, bounced)' })
  awaitingPayout!: CountAndAmountDto;
  @ApiProperty({ type: ClaimsByStatusDto }) claims!: ClaimsByStatusDto;
  @ApiProperty({ type: DepositRequirementDto }) depositRequirement!: DepositRequirementDto;
  @ApiProperty({ type: ReconcilesDto }) reconciles!: ReconcilesDto;
}

export class UnclaimedBalanceDto implements UnclaimedBalance {
  @ApiProperty() walletId!: string;
  @ApiProperty({ type: 'integer', description: 'Yen' }) balance!: number;
}

export class UnclaimedPageDto {
  @ApiProperty({ type: [UnclaimedBalanceDto] }) data!: UnclaimedBalanceDto[];
  @ApiProperty() has_more!: boolean;
}
