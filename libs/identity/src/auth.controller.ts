import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import {
  Auth,
  type ClientFacts,
  CurrentPrincipal,
  CurrentSandbox,
  NoBody,
  type Principal,
  Problems,
  type SandboxContext,
  type UserPrincipal,
} from '#core';
import { Client } from './client-facts.js';
import {
  AcceptedMessageDto,
  AuthDeviceListDto,
  AuthSessionListDto,
  ChangePasswordBody,
  LoginBody,
  LoginResponseDto,
  RefreshBody,
  RegisterBody,
  RegisteredDto,
  ResetConfirmBody,
  ProfileDto,
  ResetRequestBody,
  SteppedUpDto,
  TokensDto,
  TotpConfirmBody,
  TotpEnrolmentDto,
  VerifyBody,
} from './dto/auth.dto.js';
import { RequireStepUp } from './step-up.guard.js';
import { ChangePassword } from './usecases/change-password.js';
import type { Profile } from './usecases/get-profile.js';
import { ManageDevices } from './usecases/manage-devices.js';
import { ManageSessions } from './usecases/manage-sessions.js';
import { ManageTotp } from './usecases/manage-totp.js';
import { SignIn } from './usecases/sign-in.js';
import { ResetPassword } from './usecases/reset-password.js';
import { RefreshTokens } from './usecases/refresh-tokens.js';
import { RegisterCustomer } from './usecases/register-customer.js';
import type { Tokens } from './usecases/open-session.js';
import { VerifyChallenge } from './usecases/verify-challenge.js';

const RESET_ACCEPTED = { message: 'If an account matches, a reset link has been sent to its registered e-mail address.' };

@ApiTags('customer auth')
@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly register: RegisterCustomer,
    private readonly login: SignIn,
    private readonly verify: VerifyChallenge,
    private readonly refresh: RefreshTokens,
    private readonly reset: ResetPassword,
    private readonly passwordChange: ChangePassword,
    private readonly mySessions: ManageSessions,
    private readonly myDevices: ManageDevices,
    private readonly totp: ManageTotp,
  ) {}

  @Post('register')
  @Auth('publishable')
  @ApiOperation({
    operationId: 'register',
    summary: 'Register a customer and open their wallet (the same answer whether or not the e-mail is taken)',
  })
  @ApiCreatedResponse({ type: RegisteredDto })
  @Problems('service_suspended', 'rate_limited', 'server_busy')
  signUp(@CurrentSandbox() sandbox: SandboxContext, @Body() body: RegisterBody, @Client() client: ClientFacts): Promise<RegisteredDto> {
    return this.register.execute(sandbox, body, client);
  }

  @Post('login')
  @HttpCode(200)
  @Auth('publishable')
  @ApiOperation({
    operationId: 'login',
    summary: 'Sign in: tokens on a trusted device, otherwise `{ mfaRequired, challengeId }` and a code by SMS',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @Problems('service_suspended', 'rate_limited', 'password_reset_required', 'server_busy')
  async signIn(
    @CurrentSandbox() sandbox: SandboxContext,
    @Body() body: LoginBody,
    @Client() client: ClientFacts,
  ): Promise<LoginResponseDto> {
    const result = await this.login.execute(sandbox, body, client);
    if (result.kind === 'tokens') return result.tokens;
    const { kind: _kind, ...challenge } = result;
    return { mfaRequired: true, ...challenge };
  }

  @Post('mfa/verify')
  @HttpCode(200)
  @Auth('publishable', 'user')
  @ApiOperation({
    operationId: 'verifyMfaCode',
    summary: 'Answer a second-factor challenge: a sign-in one returns tokens, a step-up one marks the session for 10 minutes',
  })
  @ApiExtraModels(TokensDto, SteppedUpDto)
  @ApiOkResponse({
    description: 'Tokens for a sign-in challenge; `steppedUpUntil` for a step-up one',
    schema: { oneOf: [{ $ref: getSchemaPath(TokensDto) }, { $ref: getSchemaPath(SteppedUpDto) }] },
  })
  @Problems('mfa_required', 'rate_limited')
  async verifyCode(
    @CurrentPrincipal() principal: Principal,
    @CurrentSandbox() sandbox: SandboxContext,
    @Body() body: VerifyBody,
    @Client() client: ClientFacts,
  ): Promise<Tokens | { steppedUpUntil: string }> {
    const result = await this.verify.execute(sandbox, principal.kind === 'user' ? principal : null, body, client);
    return result.kind === 'tokens' ? result.tokens : { steppedUpUntil: result.steppedUpUntil.toISOString() };
  }

  @Post('refresh')
  @HttpCode(200)
  @Auth('publishable')
  @ApiOperation({ operationId: 'refreshTokens', summary: 'Rotate a refresh token; reusing an old one revokes the session' })
  @ApiOkResponse({ type: TokensDto })
  rotate(@CurrentSandbox() sandbox: SandboxContext, @Body() body: RefreshBody): Promise<Tokens> {
    return this.refresh.execute(sandbox, body.refreshToken);
  }

  @Post('logout')
  @NoBody()
  @HttpCode(204)
  @Auth('user')
  @ApiOperation({ operationId: 'logout', summary: 'End this session' })
  @ApiNoContentResponse()
  async logout(@CurrentPrincipal() me: UserPrincipal): Promise<void> {
    await this.mySessions.logout(me);
  }

  @Post('password-reset')
  @HttpCode(202)
  @Auth('publishable')
  @ApiOperation({
    operationId: 'requestPasswordReset',
    summary: 'Mail a reset link to the registered address; 202 whether or not the account exists',
  })
  @ApiAcceptedResponse({ type: AcceptedMessageDto })
  async requestReset(
    @CurrentSandbox() sandbox: SandboxContext,
    @Body() body: ResetRequestBody,
    @Client() client: ClientFacts,
  ): Promise<typeof RESET_ACCEPTED> {
    await this.reset.request(sandbox, body, client);
    return RESET_ACCEPTED;
  }

  @Post('password-reset/confirm')
  @HttpCode(204)
  @Auth('publishable')
  @ApiOperation({
    operationId: 'confirmPasswordReset',
    summary:
      'Set a new password with the token; ends every session and never signs in. Hardened: tries are limited per IP and per token (429)',
  })
  @ApiNoContentResponse()
  @Problems('rate_limited', 'server_busy')
  async confirmReset(
    @CurrentSandbox() sandbox: SandboxContext,
    @Body() body: ResetConfirmBody,
    @Client() client: ClientFacts,
  ): Promise<void> {
    await this.reset.confirm(sandbox, body, client);
  }

  @Post('password')
  @HttpCode(204)
  @Auth('user')
  @RequireStepUp()
  @ApiOperation({
    operationId: 'changePassword',
    summary:
      'Change the password (second factor and the current one required; wrong ones count as failed sign-ins): ends every session and untrusts every other device',
  })
  @ApiNoContentResponse()
  @Problems('server_busy')
  async changePassword(
    @CurrentPrincipal() me: UserPrincipal,
    @Body() body: ChangePasswordBody,
    @Client() client: ClientFacts,
  ): Promise<void> {
    await this.passwordChange.execute(me, body, client);
  }

  @Post('step-up')
  @HttpCode(200)
  @Auth('user')
  @RequireStepUp()
  @NoBody()
  @ApiOperation({
    operationId: 'stepUp',
    summary:
      'Pass a second factor now, before a payment beyond the step-up allowance: answers step_up_required with the challenge; ' +
      'repeated after verifying it, says until when the session counts as stepped up (legacy-2019 asks for none: the sandbox time now)',
  })
  @ApiOkResponse({ type: SteppedUpDto })
  steppedUp(@CurrentPrincipal() me: UserPrincipal): SteppedUpDto {
    return { steppedUpUntil: (me.steppedUpUntil ?? me.sandbox.time.now()).toISOString() };
  }

  @Get('sessions')
  @Auth('user')
  @ApiOperation({ operationId: 'listSessions', summary: 'The open sessions of this customer' })
  @ApiOkResponse({ type: AuthSessionListDto })
  async sessions(@CurrentPrincipal() me: UserPrincipal): Promise<AuthSessionListDto> {
    const sessions = await this.mySessions.list(me);
    return {
      data: sessions.map((s) => ({
        id: s.id,
        deviceId: s.deviceId,
        ip: s.ip,
        userAgent: s.userAgent,
        createdAt: s.createdAt.toISOString(),
        lastUsedAt: s.lastUsedAt.toISOString(),
        current: s.current,
      })),
      has_more: false,
    };
  }

  @Delete('sessions/:id')
  @NoBody()
  @HttpCode(204)
  @Auth('user')
  @ApiOperation({ operationId: 'endSession', summary: 'End one session' })
  @ApiNoContentResponse()
  async endSession(@CurrentPrincipal() me: UserPrincipal, @Param('id') id: string): Promise<void> {
    await this.mySessions.end(me, id);
  }

  @Get('devices')
  @Auth('user')
  @ApiOperation({ operationId: 'listDevices', summary: 'Devices that signed in to this account' })
  @ApiOkResponse({ type: AuthDeviceListDto })
  async devices(@CurrentPrincipal() me: UserPrincipal): Promise<AuthDeviceListDto> {
    const devices = await this.myDevices.list(me);
    return {
      data: devices.map((d) => ({
        id: d.id,
        trusted: d.trusted,
        userAgent: d.userAgent,
        lastSeenAt: d.lastSeenAt.toISOString(),
        createdAt: d.createdAt.toISOString(),
      })),
      has_more: false,
    };
  }

  @Delete('devices/:id')
  @NoBody()
  @HttpCode(204)
  @Auth('user')
  @ApiOperation({ operationId: 'forgetDevice', summary: 'Forget a device: its sessions end and it needs the second factor again' })
  @ApiNoContentResponse()
  async forgetDevice(@CurrentPrincipal() me: UserPrincipal, @Param('id') id: string): Promise<void> {
    await this.myDevices.forget(me, id);
  }

  @Post('totp')
  @NoBody()
  @Auth('user')
  @RequireStepUp()
  @ApiOperation({ operationId: 'enrollTotp', summary: 'Start TOTP enrolment (authenticator app); confirm with a first code' })
  @ApiCreatedResponse({ type: TotpEnrolmentDto })
  enrollTotp(@CurrentPrincipal() me: UserPrincipal): Promise<{ secret: string; otpauthUrl: string }> {
    return this.totp.enroll(me);
  }

  @Post('totp/confirm')
  @HttpCode(200)
  @Auth('user')
  @ApiOperation({ operationId: 'confirmTotp', summary: 'Confirm TOTP enrolment; later challenges use the authenticator instead of SMS' })
  @ApiOkResponse({ type: ProfileDto })
  confirmTotp(@CurrentPrincipal() me: UserPrincipal, @Body() body: TotpConfirmBody): Promise<Profile> {
    return this.totp.confirm(me, body.code);
  }

  @Delete('totp')
  @NoBody()
  @Auth('user')
  @RequireStepUp()
  // A body is refused, and this call has no parameter that would list that refusal already.
  @Problems('invalid_request')
  @ApiOperation({ operationId: 'disableTotp', summary: 'Turn TOTP off; codes go by SMS again' })
  @ApiOkResponse({ type: ProfileDto })
  disableTotp(@CurrentPrincipal() me: UserPrincipal): Promise<Profile> {
    return this.totp.disable(me);
  }
}
