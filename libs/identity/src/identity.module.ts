import { Module, type OnModuleInit } from '@nestjs/common';
import { SandboxData } from '#core';
import { LedgerModule } from '#ledger';
import { SandboxModule } from '#sandbox';
import { AccessTokenResolver } from './access-token.resolver.js';
import { AccessTokens } from './access-tokens.js';
import { AccountController } from './account.controller.js';
import { AuthController } from './auth.controller.js';
import { ChallengesRepository } from './challenges.repository.js';
import { Keyring } from './keyring.js';
import { IdentityProcessor } from './identity.processor.js';
import { Notifier } from './notifier.js';
import { PasswordHasher } from './passwords.js';
import { SessionsRepository } from './sessions.repository.js';
import { StepUp, StepUpGuard } from './step-up.guard.js';
import { Throttle } from './throttle.js';
import { UsersRepository } from './users.repository.js';
import { Account } from './usecases/account.js';
import { ChallengeIssuer } from './usecases/challenge-issuer.js';
import { EmailChange } from './usecases/email-change.js';
import { EndSessions } from './usecases/end-sessions.js';
import { ForcedPasswordReset } from './usecases/forced-password-reset.js';
import { Login } from './usecases/login.js';
import { PasswordReset } from './usecases/password-reset.js';
import { Refresh } from './usecases/refresh.js';
import { Register } from './usecases/register.js';
import { SessionIssuer } from './usecases/session-issuer.js';
import { VerifyChallenge } from './usecases/verify-challenge.js';

const TABLES = [
  'identity_users',
  'identity_devices',
  'identity_sessions',
  'identity_refresh_tokens',
  'identity_challenges',
  'identity_reset_tokens',
  'identity_email_changes',
];

@Module({
  imports: [LedgerModule, SandboxModule],
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
    Account,
    ChallengeIssuer,
    EmailChange,
    EndSessions,
    Login,
    PasswordReset,
    Refresh,
    Register,
    SessionIssuer,
    VerifyChallenge,
    ForcedPasswordReset,
  ],
  exports: [StepUp, StepUpGuard, ChallengeIssuer, UsersRepository, SessionsRepository, EndSessions, ForcedPasswordReset],
})
export class IdentityModule implements OnModuleInit {
  constructor(
    private readonly sandboxData: SandboxData,
    private readonly throttle: Throttle,
  ) {}

  onModuleInit(): void {
    this.sandboxData.register('identity', async (tx, sandboxId) => {
      for (const table of TABLES) await tx.rows(`DELETE FROM ${table} WHERE sandbox_id = $1`, [sandboxId]);
      await this.throttle.wipe(sandboxId, tx);
    });
  }
}

@Module({ imports: [IdentityModule, SandboxModule], providers: [IdentityProcessor] })
export class IdentityWorkerModule {}
