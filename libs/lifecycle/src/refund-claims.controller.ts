import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  actorOf,
  Auth,
  type ClientFacts,
  CurrentPrincipal,
  CurrentSandbox,
  Database,
  DomainError,
  type FieldError,
  NoBody,
  OptionalBody,
  Outbox,
  type Page,
  PageQuery,
  type Principal,
  Problems,
  type SandboxContext,
  Topic,
} from '#core';
import { Client } from '#identity';
import {
  ClaimBody,
  ClaimsQuery,
  CorrectBankAccountBody,
  ForcedResetBody,
  ForcedResetDto,
  ServiceViewDto,
  TransitionBody,
} from './dto/service.dto.js';
import {
  PayoutRunDto,
  PayoutRunPageDto,
  PayoutRunProgressDto,
  RefundClaimDto,
  RefundClaimPageDto,
  RefundReportDto,
  UnclaimedPageDto,
} from './dto/refunds.dto.js';
import { Notices, type Notice } from './notices.js';
import { type PayoutRun, type PayoutRunProgress, PayoutRuns } from './payout-runs.js';
import { type Capabilities, type Phase, capabilitiesOf } from './phases.js';
import { type RefundClaim, RefundClaims } from './refund-claims.js';
import { type RefundReport, RefundReports, type UnclaimedBalance } from './refund-report.js';
import { ServiceSchedule, phaseAt } from './schedule.js';
import { ServiceTransitions } from './usecases/service-transitions.js';

export interface ServiceView {
  phase: Phase;
  capabilities: Capabilities;
  schedule: Array<{
    id: string;
    to: Phase;
    effectiveAt: string;
    status: 'effective' | 'scheduled';
    reason: string | null;
    requestedBy: string;
  }>;
  notice: Notice | null;
  asOf: string;
}

const optionalDate = (value: string | undefined): Date | undefined => (value ? new Date(value) : undefined);

@ApiTags('service lifecycle')
@Controller('v1/service')
export class ServiceController {
  constructor(
    private readonly schedule: ServiceSchedule,
    private readonly transitions: ServiceTransitions,
    private readonly notices: Notices,
    private readonly db: Database,
    private readonly outbox: Outbox,
  ) {}

  @Get()
  @Auth('secret', 'publishable', 'user')
  @ApiOperation({ operationId: 'getService', summary: 'The service phase, what it leaves open, the schedule and the abolition notice' })
  @ApiOkResponse({ type: ServiceViewDto })
  async view(@CurrentSandbox() sandbox: SandboxContext): Promise<ServiceView> {
    const now = sandbox.time.now();
    const schedule = await this.schedule.transitions(this.db, sandbox.id);
    const phase = phaseAt(schedule, now);
    return {
      phase,
      capabilities: capabilitiesOf(phase),
      schedule: schedule.map((t) => ({
        id: t.id,
        to: t.to,
        effectiveAt: t.effectiveAt.toISOString(),
        status: t.effectiveAt <= now ? 'effective' : 'scheduled',
        reason: t.reason,
        requestedBy: t.requestedBy,
      })),
      notice: await this.notices.find(sandbox.id),
      asOf: now.toISOString(),
    };
  }

  @Post('transitions')
  @Auth('secret')
  @ApiOperation({
    operationId: 'scheduleServiceTransition',
    summary: 'Move the service on, now or at a sandbox time, in order only; abolition names its dates (60-day claim period)',
  })
  @ApiCreatedResponse({ type: ServiceViewDto })
  @Problems('invalid_transition', 'notice_period_too_short')
  async transition(
    @CurrentSandbox() sandbox: SandboxContext,
    @CurrentPrincipal() principal: Principal,
    @Body() body: TransitionBody,
  ): Promise<ServiceView> {
    await this.transitions.schedule(
      sandbox,
      {
        to: body.to,
        effectiveAt: optionalDate(body.effectiveAt),
        reason: body.reason,
        terminationAt: optionalDate(body.terminationAt),
        refundClaimsFrom: optionalDate(body.refundClaimsFrom),
        refundClaimsUntil: optionalDate(body.refundClaimsUntil),
      },
      actorOf(principal),
    );
    return this.view(sandbox);
  }

  @Post('password-reset')
  @HttpCode(202)
  @Auth('secret')
  @ApiOperation({
    operationId: 'forcePasswordReset',
    summary: 'Force every customer to set a new password (7pay, 2019-07-30): sessions end, old passwords stop signing in',
  })
  @ApiBody({ type: ForcedResetBody, required: false })
  @ApiAcceptedResponse({ type: ForcedResetDto })
  async forcePasswordReset(
    @CurrentSandbox() sandbox: SandboxContext,
    @OptionalBody(ForcedResetBody) body: ForcedResetBody,
  ): Promise<{ eventId: string; forcedAt: string }> {
    const forcedAt = sandbox.time.now();
    const eventId = await this.db.transaction((tx) =>
      this.outbox.publish(tx, {
        sandboxId: sandbox.id,
        type: Topic.PasswordResetForced,
        data: { reason: body.reason ?? null },
        occurredAt: forcedAt,
      }),
    );
    return { eventId, forcedAt: forcedAt.toISOString() };
  }
}

@ApiTags('refund claims')
@Controller('v1')
export class RefundClaimsController {
  constructor(
    private readonly claims: RefundClaims,
    private readonly runs: PayoutRuns,
    private readonly reports: RefundReports,
  ) {}

  @Post('refund-claims')
  @Auth('user', 'secret')
  @ApiOperation({
    operationId: 'createRefundClaim',
    summary:
      'Claim the refund of the balance during the refund window (customer: second factor, registered e-mail and phone); the operator files for a wallet from termination on',
  })
  @ApiCreatedResponse({ type: RefundClaimDto })
  @Problems(
    'service_suspended',
    'step_up_required',
    'rate_limited',
    'identity_mismatch',
    'not_found',
    'claim_right_lost',
    'nothing_to_refund',
    'claim_exists',
  )
  file(
    @CurrentPrincipal() principal: Principal,
    @CurrentSandbox() sandbox: SandboxContext,
    @Body() body: ClaimBody,
    @Client() client: ClientFacts,
  ): Promise<RefundClaim> {
    const problems: FieldError[] = [];
    if (principal.kind === 'user') {
      if (body.walletId) problems.push({ field: 'walletId', message: 'is for the operator: a customer claims their own wallet' });
      if (!body.email) problems.push({ field: 'email', message: 'is required: the registered e-mail address' });
      if (!body.phone) problems.push({ field: 'phone', message: 'is required: the registered phone number' });
      if (problems.length) throw DomainError.invalid(problems);
      return this.claims.fileByCustomer(principal, { ...body, email: body.email as string, phone: body.phone as string }, client);
    }
    if (!body.walletId) problems.push({ field: 'walletId', message: 'is required' });
    if (problems.length) throw DomainError.invalid(problems);
    return this.claims.fileByOperator(sandbox, actorOf(principal), { ...body, walletId: body.walletId as string });
  }

  @Get('refund-claims')
  @Auth('user', 'secret')
  @ApiOperation({
    operationId: 'listRefundClaims',
    summary: "Refund claims, newest first: the operator's every claim, a customer's their own",
  })
  @ApiOkResponse({ type: RefundClaimPageDto })
  list(
    @CurrentPrincipal() principal: Principal,
    @CurrentSandbox() sandbox: SandboxContext,
    @Query() query: ClaimsQuery,
  ): Promise<Page<RefundClaim>> {
    return this.claims.list(sandbox, { ...query, walletId: principal.kind === 'user' ? principal.walletId : undefined });
  }

  @Get('refund-claims/:id')
  @Auth('user', 'secret')
  @ApiOperation({ operationId: 'getRefundClaim', summary: 'One refund claim: its customer, or the operator' })
  @ApiOkResponse({ type: RefundClaimDto })
  get(@CurrentPrincipal() principal: Principal, @CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<RefundClaim> {
    return this.claims.get(principal, sandbox, id);
  }

  @Post('refund-claims/:id/hold')
  @HttpCode(200)
  @Auth('secret')
  @ApiOperation({ operationId: 'holdRefundClaim', summary: 'Hold a claim: payout runs leave it until it is released' })
  @ApiBody({ type: ForcedResetBody, required: false })
  @ApiOkResponse({ type: RefundClaimDto })
  @Problems('invalid_transition')
  hold(
    @CurrentSandbox() sandbox: SandboxContext,
    @Param('id') id: string,
    @OptionalBody(ForcedResetBody) body: ForcedResetBody,
  ): Promise<RefundClaim> {
    return this.claims.hold(sandbox, id, body.reason ?? null);
  }

  @Post('refund-claims/:id/release')
  @HttpCode(200)
  @Auth('secret')
  @ApiOperation({ operationId: 'releaseRefundClaim', summary: 'Release a held claim: the next payout run pays it' })
  @ApiBody({ type: ForcedResetBody, required: false })
  @ApiOkResponse({ type: RefundClaimDto })
  @Problems('invalid_transition')
  release(
    @CurrentSandbox() sandbox: SandboxContext,
    @Param('id') id: string,
    @OptionalBody(ForcedResetBody) body: ForcedResetBody,
  ): Promise<RefundClaim> {
    return this.claims.release(sandbox, id, body.reason ?? null);
  }

  @Post('refund-claims/:id/bank-account')
  @HttpCode(200)
  @Auth('user', 'secret')
  @ApiOperation({
    operationId: 'correctRefundClaimBankAccount',
    summary:
      'Correct the bank account of a claim: the customer (second factor) or the operator (secret key); a bounced claim is paid again',
  })
  @ApiOkResponse({ type: RefundClaimDto })
  @Problems('step_up_required', 'rate_limited', 'invalid_transition')
  correct(
    @CurrentPrincipal() principal: Principal,
    @CurrentSandbox() sandbox: SandboxContext,
    @Param('id') id: string,
    @Body() body: CorrectBankAccountBody,
    @Client() client: ClientFacts,
  ): Promise<RefundClaim> {
    if (principal.kind === 'user') return this.claims.correctByCustomer(principal, id, body.bankAccount, client);
    return this.claims.correct(sandbox, id, body.bankAccount, actorOf(principal));
  }

  @Post('payout-runs')
  @NoBody()
  @HttpCode(202)
  @Auth('secret')
  @ApiOperation({
    operationId: 'startPayoutRun',
    summary: 'Pay what is payable now: joins the running payout run or starts one (claims also start runs by themselves)',
  })
  @ApiAcceptedResponse({ type: PayoutRunDto })
  startRun(@CurrentSandbox() sandbox: SandboxContext): Promise<PayoutRun> {
    return this.runs.ensure(sandbox, 'operator');
  }

  @Get('payout-runs')
  @Auth('secret')
  @ApiOperation({ operationId: 'listPayoutRuns', summary: 'Payout runs and their progress, newest first' })
  @ApiOkResponse({ type: PayoutRunPageDto })
  listRuns(@CurrentSandbox() sandbox: SandboxContext, @Query() query: PageQuery): Promise<Page<PayoutRun>> {
    return this.runs.list(sandbox.id, query);
  }

  @Get('payout-runs/:id')
  @Auth('secret')
  @ApiOperation({
    operationId: 'getPayoutRun',
    summary: 'One payout run: batches done, claims paid, yen paid, bounces, claims waiting on a fraud hold',
  })
  @ApiOkResponse({ type: PayoutRunDto })
  getRun(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<PayoutRun> {
    return this.runs.get(sandbox.id, id);
  }

  @Get('payout-runs/:id/progress')
  @Auth('secret')
  @ApiOperation({
    operationId: 'getPayoutRunProgress',
    summary: "A payout run's progress and the wallets it paid over sandbox time, from the ledger's payouts",
  })
  @ApiOkResponse({ type: PayoutRunProgressDto })
  runProgress(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<PayoutRunProgress> {
    return this.runs.progress(sandbox, id);
  }

  @Get('reports/refunds')
  @Auth('secret')
  @ApiOperation({
    operationId: 'getRefundReport',
    summary: 'The refund campaign: balances outstanding, refunded, unclaimed, the deposit requirement; reconciled with the ledger',
  })
  @ApiOkResponse({ type: RefundReportDto })
  report(@CurrentSandbox() sandbox: SandboxContext): Promise<RefundReport> {
    return this.reports.report(sandbox);
  }

  @Get('reports/refunds/unclaimed')
  @Auth('secret')
  @ApiOperation({ operationId: 'listUnclaimedBalances', summary: 'Balances nobody is claiming, by wallet' })
  @ApiOkResponse({ type: UnclaimedPageDto })
  unclaimed(@CurrentSandbox() sandbox: SandboxContext, @Query() query: PageQuery): Promise<Page<UnclaimedBalance>> {
    return this.reports.unclaimed(sandbox, query);
  }
}
