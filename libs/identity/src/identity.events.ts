import type { ClientFacts } from '#core';

/** Why a customer's sessions ended. */
export type SessionEndReason =
  | 'logout'
  | 'password_changed'
  | 'password_reset'
  | 'refresh_token_reuse'
  | 'device_takeover'
  | 'ended_by_user'
  | 'device_forgotten'
  | 'fraud_confirmed'
  | 'forced_password_reset'
  | 'account_closed';

// Event types are persisted (the outbox, webhook subscriptions, customers' code): never rename one without a migration plan.
declare module '#core' {
  interface TopicPayloads {
    'user.registered': { userId: string; walletId: string } & ClientFacts;
    'auth.login_succeeded': {
      userId: string;
      walletId: string;
      deviceId: string;
      newDevice: boolean;
      secondFactor: 'none' | 'sms' | 'totp';
    } & ClientFacts;
    'auth.login_failed': { userId: string | null; email: string; reason: 'bad_credentials' | 'throttled' | 'bad_code' } & ClientFacts;
    'auth.new_device': { userId: string; walletId: string; deviceId: string; takeover: boolean } & ClientFacts;
    'auth.password_reset_requested': { userId: string | null; email: string; sentToRegisteredEmail: boolean } & ClientFacts;
    'auth.password_reset_completed': { userId: string; walletId: string } & ClientFacts;
    'auth.password_changed': { userId: string } & ClientFacts;
    /** deviceIds: the devices whose sessions ended, or null when every session of the customer did. */
    'auth.sessions_ended': { userId: string; walletId: string; deviceIds: string[] | null; reason: SessionEndReason };
    'auth.contact_changed': { userId: string; field: 'email' | 'phone' } & ClientFacts;
    'user.account_closed': { userId: string; walletId: string };
  }
}
