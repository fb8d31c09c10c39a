// Event types are persisted (the outbox, webhook subscriptions, customers' code): never rename one without a migration plan.
declare module '#core' {
  interface TopicPayloads {
    /** failing: every attempt failed for the whole retry schedule; operator: turned off through the API. */
    'webhook_endpoint.disabled': { endpointId: string; url: string; reason: 'failing' | 'operator'; failingSince: string | null };
  }
}

export {};
