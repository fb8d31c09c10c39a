import { Injectable } from '@nestjs/common';
import { type ClientFacts, Database, DomainError, Outbox, type SandboxContext, ServicePolicy, newId } from '#core';
import { LedgerService } from '#ledger';
import { Notifier } from '../notifier.js';
import { PasswordHasher, passwordProblem } from '../passwords.js';
import { Throttle } from '../throttle.js';
import { UsersRepository } from '../users.repository.js';

/** 7pay's default for members who never set a birthday, which its reset flow then "checked". */
export const LEGACY_DEFAULT_BIRTHDAY = '2019-01-01';

export interface Registration {
  email: string;
  password: string;
  phone: string;
  birthday?: string;
}

/**
 * Registers a customer and opens the wallet's ledger account. An e-mail
 * already registered gets the same answer (fresh-looking ids, same cost) and
 * its owner an e-mail, so registration cannot tell who has an account.
 */
@Injectable()
export class RegisterCustomer {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly ledger: LedgerService,
    private readonly notifier: Notifier,
    private readonly events: Outbox,
    private readonly throttle: Throttle,
    private readonly policy: ServicePolicy,
  ) {}

  async execute(sandbox: SandboxContext, input: Registration, client: ClientFacts): Promise<{ userId: string; walletId: string }> {
    await this.policy.assertOpen(sandbox, 'registration');
    const problem = passwordProblem(input.password, sandbox.securityProfile);
    if (problem) throw DomainError.invalid([problem]);
    if (sandbox.securityProfile === 'hardened') await this.throttle.assertRegistrationAllowed(sandbox.id, client.ip);

    const passwordHash = await this.hasher.hash(sandbox.id, input.password);
    const user = {
      id: newId('usr'),
      sandboxId: sandbox.id,
      email: input.email,
      phone: input.phone,
      birthday: input.birthday ?? (sandbox.securityProfile === 'legacy-2019' ? LEGACY_DEFAULT_BIRTHDAY : null),
      passwordHash,
      walletId: newId('wal'),
      createdAt: sandbox.time.now(),
    };
    await this.db.transaction(async (tx) => {
      if (!(await this.users.insert(tx, user))) {
        const existing = await this.users.findByEmail(tx, sandbox.id, input.email);
        if (existing) await this.notifier.registrationAttempt(tx, existing, user.createdAt);
        return;
      }
      await this.ledger.openAccount(tx, sandbox.id, user.walletId, 'wallet', user.createdAt);
      await this.notifier.welcome(tx, user, user.createdAt);
      await this.events.emit(tx, sandbox, 'user.registered', { userId: user.id, walletId: user.walletId, ...client });
      await this.events.emit(tx, sandbox, 'wallet.created', { walletId: user.walletId });
    });
    return { userId: user.id, walletId: user.walletId };
  }
}
