import type { Count } from '#core';

// Event types are persisted (the outbox, webhook subscriptions, customers' code): never rename one without a migration plan.
declare module '#core' {
  interface TopicPayloads {
    'sandbox.created': { sandboxId: string; name: string; securityProfile: string };
    'sandbox.reset': { sandboxId: string };
    'sandbox.clock_advanced': { sandboxId: string; from: string; to: string; seconds: Count };
  }
}
