import { Module, type OnModuleInit } from '@nestjs/common';
import { Database, JobsModule, SandboxData, SealedData } from '#core';
import { LedgerModule } from '#ledger';
import { SandboxModule } from '#sandbox';
import { AccessTokenResolver } from './access-token.resolver.js';
import { AccessTokens } from './access-tokens.js';
import { AccountController } from './account.controller.js';
import { AuthController } from './auth.controller.js';
import { ChallengesRepository } from './challenges.repository.js';
import { Keyring, TOTP_PURPOSE } from './keyring.js';
import { Notifier } from './notifier.js';
import { PasswordHasher } from './passwords.js';
import { SessionsRepository } from './sessions.repository.js';
import { StepUpGuard } from './step-up.guard.js';
import { Throttle } from './throttle.js';
import { UsersRepository } from './users.repository.js';
import { ApplyForcedReset } from './usecases/apply-forced-reset.js';
import { ChangeEmail } from './usecases/change-email.js';
import { ChangePassword } from './usecases/change-password.js';
import { ChangePhone } from './usecases/change-phone.js';
import { CloseAccount } from './usecases/close-account.js';
import { DemandStepUp } from './usecases/demand-step-up.js';
import { EndSessions } from './usecases/end-sessions.js';
import { GetProfile } from './usecases/get-profile.js';
import { IssueChallenge } from './usecases/issue-challenge.js';
import { ManageDevices } from './usecases/manage-devices.js';
import { ManageSessions } from './usecases/manage-sessions.js';
import { ManageTotp } from './usecases/manage-totp.js';
import { OpenSession } from './usecases/open-session.js';
import { RefreshTokens } from './usecases/refresh-tokens.js';
import { RegisterCustomer } from './usecases/register-customer.js';
import { StepUp } from './usecases/require-step-up.js';
import { ResetPassword } from './usecases/reset-password.js';
import { SecureAccount } from './usecases/secure-account.js';
import { SignIn } from './usecases/sign-in.js';
import { VerifyChallenge } from './usecases/verify-challenge.js';
import { IDENTITY_JOBS } from './identity.jobs.js';

@Module({
  imports: [LedgerModule, SandboxModule, JobsModule.forFeature(IDENTITY_JOBS)],
  controllers: [AuthController, AccountController],
  providers: [
    AccessTokenResolver,
    AccessTokens,
    Keyring,
    Notifier,
    PasswordHasher,
    SessionsRepository,
    StepUp,
    StepUpGuard,
    Throttle,
    UsersRepository,
    ChallengesRepository,
    ApplyForcedReset,
    ChangeEmail,
    ChangePassword,
    ChangePhone,
    CloseAccount,
    DemandStepUp,
    EndSessions,
    GetProfile,
    IssueChallenge,
    ManageDevices,
    ManageSessions,
    ManageTotp,
    OpenSession,
    RefreshTokens,
    RegisterCustomer,
    ResetPassword,
    SecureAccount,
    SignIn,
    VerifyChallenge,
  ],
  exports: [StepUp, StepUpGuard, UsersRepository, ApplyForcedReset, DemandStepUp, SecureAccount],
})
export class IdentityModule implements OnModuleInit {
  constructor(
    private readonly sandboxData: SandboxData,
    private readonly sealedData: SealedData,
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly challenges: ChallengesRepository,
    private readonly throttle: Throttle,
  ) {}

  onModuleInit(): void {
    this.sealedData.register('TOTP seeds', { purpose: TOTP_PURPOSE, ...this.users.sealedTotpSeeds(this.db) });
    this.sandboxData.register('identity', async (tx, sandboxId) => {
      await this.users.wipe(tx, sandboxId);
      await this.sessions.wipe(tx, sandboxId);
      await this.challenges.wipe(tx, sandboxId);
      await this.throttle.wipe(sandboxId, tx);
    });
  }
}
