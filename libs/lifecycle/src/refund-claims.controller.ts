import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  actorOf,
  Auth,
  type ClientFacts,
  CurrentPrincipal,
  CurrentSandbox,
  DomainError,
  type FieldError,
  OptionalBody,
  type Page,
  type Principal,
  Problems,
  type SandboxContext,
} from '#core';
import { Client } from '#identity';
import { RefundClaimDto, RefundClaimPageDto } from './dto/refunds.dto.js';
import { ClaimBody, ClaimsQuery, CorrectBankAccountBody, ForcedResetBody } from './dto/service.dto.js';
import type { RefundClaim } from './refund-claims.js';
import { ChangeRefundClaim } from './usecases/change-refund-claim.js';
import { FileRefundClaim } from './usecases/file-refund-claim.js';
import { GetRefundClaim } from './usecases/get-refund-claim.js';
import { ListRefundClaims } from './usecases/list-refund-claims.js';

@ApiTags('refund claims')
@Controller('v1')
export class RefundClaimsController {
  constructor(
    private readonly fileClaim: FileRefundClaim,
    private readonly listClaims: ListRefundClaims,
    private readonly getClaim: GetRefundClaim,
    private readonly changeClaim: ChangeRefundClaim,
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
      return this.fileClaim.byCustomer(principal, { ...body, email: body.email as string, phone: body.phone as string }, client);
    }
    if (!body.walletId) problems.push({ field: 'walletId', message: 'is required' });
    if (problems.length) throw DomainError.invalid(problems);
    return this.fileClaim.byOperator(sandbox, actorOf(principal), { ...body, walletId: body.walletId as string });
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
    return this.listClaims.execute(sandbox, { ...query, walletId: principal.kind === 'user' ? principal.walletId : undefined });
  }

  @Get('refund-claims/:id')
  @Auth('user', 'secret')
  @ApiOperation({ operationId: 'getRefundClaim', summary: 'One refund claim: its customer, or the operator' })
  @ApiOkResponse({ type: RefundClaimDto })
  get(@CurrentPrincipal() principal: Principal, @CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<RefundClaim> {
    return this.getClaim.execute(principal, sandbox, id);
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
    return this.changeClaim.hold(sandbox, id, body.reason ?? null);
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
    return this.changeClaim.release(sandbox, id, body.reason ?? null);
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
    if (principal.kind === 'user') return this.changeClaim.correctByCustomer(principal, id, body.bankAccount, client);
    return this.changeClaim.correct(sandbox, id, body.bankAccount, actorOf(principal));
  }
}
