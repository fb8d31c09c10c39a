import { Module, type OnModuleInit } from '@nestjs/common';
import { SandboxData } from '#core';
import { LedgerModule } from '#ledger';
import { Messages } from './messages.js';
import { MessagesRepository } from './messages.repository.js';
import { ReplayRunner } from './replay-runner.js';
import { ReplaysController } from './replays.controller.js';
import { ReplaysRepository } from './replays.repository.js';
import { SandboxContexts } from './sandbox-contexts.js';
import { SandboxKeyResolver } from './sandbox-keys.js';
import { SandboxReplayController } from './sandbox-replay.controller.js';
import { SandboxRepository } from './sandbox.repository.js';
import { SandboxToolsController } from './sandbox-tools.controller.js';
import { SandboxesController } from './sandboxes.controller.js';
import { AdvanceClock } from './usecases/advance-clock.js';
import { AttachReplay } from './usecases/attach-replay.js';
import { CreateSandbox } from './usecases/create-sandbox.js';
import { CreateTestWallet } from './usecases/create-test-wallet.js';
import { FundTestWallet } from './usecases/fund-test-wallet.js';
import { GetReplay } from './usecases/get-replay.js';
import { GetSandbox } from './usecases/get-sandbox.js';
import { GetTestWallet } from './usecases/get-test-wallet.js';
import { IssueSandboxKey } from './usecases/issue-sandbox-key.js';
import { ListMessages } from './usecases/list-messages.js';
import { ListSandboxKeys } from './usecases/list-sandbox-keys.js';
import { RevokeSandboxKey } from './usecases/revoke-sandbox-key.js';
import { RollSandboxKey } from './usecases/roll-sandbox-key.js';
import { ReportReplayProgress } from './usecases/report-replay-progress.js';
import { ResetSandbox } from './usecases/reset-sandbox.js';

@Module({
  imports: [LedgerModule],
  controllers: [SandboxesController, SandboxToolsController, SandboxReplayController, ReplaysController],
  providers: [
    SandboxRepository,
    MessagesRepository,
    ReplaysRepository,
    SandboxKeyResolver,
    SandboxContexts,
    Messages,
    ListMessages,
    CreateSandbox,
    GetSandbox,
    IssueSandboxKey,
    ListSandboxKeys,
    RollSandboxKey,
    RevokeSandboxKey,
    AdvanceClock,
    ResetSandbox,
    CreateTestWallet,
    GetTestWallet,
    FundTestWallet,
    GetReplay,
    AttachReplay,
    ReportReplayProgress,
    ReplayRunner,
  ],
  exports: [Messages, SandboxRepository, SandboxContexts],
})
export class SandboxModule implements OnModuleInit {
  constructor(
    private readonly sandboxData: SandboxData,
    private readonly messages: MessagesRepository,
    private readonly replays: ReplaysRepository,
  ) {}

  onModuleInit(): void {
    this.sandboxData.register('sandbox', async (tx, sandboxId) => {
      await this.messages.wipe(tx, sandboxId);
      await this.replays.wipe(tx, sandboxId);
    });
  }
}
