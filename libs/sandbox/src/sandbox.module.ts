import { Module, type OnModuleInit } from '@nestjs/common';
import { SandboxData } from '#core';
import { LedgerModule } from '#ledger';
import { Messages } from './messages.js';
import { ReplayRunner } from './replays/replay-runner.js';
import { ReplaysController, SandboxReplayController } from './replays/replays.controller.js';
import { ReplaysRepository } from './replays/replays.repository.js';
import { Replays } from './replays/replays.js';
import { SandboxContexts } from './sandbox-contexts.js';
import { SandboxKeyResolver } from './sandbox-keys.js';
import { SandboxRepository } from './sandbox.repository.js';
import { SandboxToolsController } from './sandbox-tools.controller.js';
import { SandboxesController } from './sandboxes.controller.js';
import { AdvanceClock } from './usecases/advance-clock.js';
import { CreateSandbox } from './usecases/create-sandbox.js';
import { ResetSandbox } from './usecases/reset-sandbox.js';
import { SandboxProfile } from './usecases/sandbox-profile.js';
import { TestWallets } from './usecases/test-wallets.js';

@Module({
  imports: [LedgerModule],
  controllers: [SandboxesController, SandboxToolsController, SandboxReplayController, ReplaysController],
  providers: [
    SandboxRepository,
    SandboxKeyResolver,
    SandboxContexts,
    Messages,
    CreateSandbox,
    AdvanceClock,
    ResetSandbox,
    TestWallets,
    SandboxProfile,
    ReplaysRepository,
    Replays,
    ReplayRunner,
  ],
  exports: [Messages, SandboxRepository, SandboxContexts],
})
export class SandboxModule implements OnModuleInit {
  constructor(private readonly sandboxData: SandboxData) {}

  onModuleInit(): void {
    this.sandboxData.register('sandbox', async (tx, sandboxId) => {
      await tx.rows(`DELETE FROM sandbox_messages WHERE sandbox_id = $1`, [sandboxId]);
      await tx.rows(`DELETE FROM sandbox_replays WHERE sandbox_id = $1`, [sandboxId]);
    });
  }
}
