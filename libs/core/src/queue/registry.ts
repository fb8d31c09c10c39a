import type { BackoffOptions, JobsOptions } from 'bullmq';

/**
 * The one registry of queues, jobs and event topics. A module owns its
 * queue; a job belongs to exactly one queue and carries one payload type.
 */
export enum QueueName {
  Ledger = 'ledger',
  Capture = 'capture',
  Topup = 'topup',
  Fraud = 'fraud',
  Identity = 'identity',
  Barcode = 'barcode',
  Lifecycle = 'lifecycle',
  Housekeeping = 'housekeeping',
  Webhooks = 'webhooks',
}

export enum JobName {
  /** A sandbox clock moved: expire that sandbox's overdue pending transfers. */
  LedgerExpireOnClockAdvance = 'ledger.expire-on-clock-advance',
  /** Periodic sweep of overdue pending transfers in every sandbox. */
  LedgerExpireSweep = 'ledger.expire-sweep',
  /** A pre-authorisation's hold expired in the ledger: the payment expires too. */
  CaptureExpireAuthorization = 'capture.expire-authorization',
  /** Fraud was confirmed: the wallet's authorizations since the case began were the attacker's and are voided. */
  CaptureOnFraudConfirmed = 'capture.on-fraud-confirmed',
  /** Screen a requested top-up: approve, hold or decline. */
  FraudScreenTopup = 'fraud.screen-topup',
  /** Remember an event and act on what it reveals (sign-ins, cards, top-ups, payments). */
  FraudObserve = 'fraud.observe',
  /** Make a confirmed victim whole. */
  FraudCompensate = 'fraud.compensate',
  /** A payment was voided: a compensation waiting for the case's authorizations to be voided goes on. */
  FraudOnPaymentVoided = 'fraud.on-payment-voided',
  /** A sandbox clock moved: lift its holds nobody reviewed in time. */
  FraudExpireHolds = 'fraud.expire-holds',
  /** Periodic sweep of unreviewed holds in every sandbox. */
  FraudHoldSweep = 'fraud.hold-sweep',
  /** The fraud module placed a wallet hold: payments stop. */
  LedgerApplyHold = 'ledger.apply-hold',
  /** A wallet hold was lifted: payments resume. */
  LedgerLiftHold = 'ledger.lift-hold',
  /** A hold was released: settle its held top-ups. */
  TopupOnHoldReleased = 'topup.on-hold-released',
  /** Fraud was confirmed: cancel the case's held top-ups. */
  TopupOnFraudConfirmed = 'topup.on-fraud-confirmed',
  /** The victim was compensated: the reversed card top-ups are cancelled. */
  TopupOnCompensated = 'topup.on-compensated',
  /** Fraud was confirmed: end the account's sessions and untrust its devices. */
  IdentityOnFraudConfirmed = 'identity.on-fraud-confirmed',
  /** A risky sign-in: the customer's next sensitive call needs a fresh second factor. */
  IdentityOnStepUpDemanded = 'identity.on-step-up-demanded',
  /** The screening decided: fund and settle, hold, or fail the top-up. */
  TopupOnScreened = 'topup.on-screened',
  /** The screening failed for good: the top-up fails closed. */
  TopupOnScreeningFailed = 'topup.on-screening-failed',
  /** The customer passed 3-D Secure: fund and settle the card top-up. */
  TopupOnAuthenticated = 'topup.on-authenticated',
  /** A sandbox clock moved: fail its top-ups whose deposit code or 3-D Secure challenge ran out. */
  TopupExpireOnClockAdvance = 'topup.expire-on-clock-advance',
  /** Periodic sweep of top-ups past their deadline in every sandbox. */
  TopupExpireSweep = 'topup.expire-sweep',
  /** A sandbox clock moved: scheduled service transitions whose time came take effect. */
  LifecycleApplyDue = 'lifecycle.apply-due',
  /** Periodic: scheduled transitions whose time came in real time, in every sandbox. */
  LifecycleSweep = 'lifecycle.sweep',
  /** A phase took effect: publish the abolition notice to every customer, and the like. */
  LifecycleOnPhaseChanged = 'lifecycle.on-phase-changed',
  /** One batch of the abolition notice's fan-out to customers' messages. */
  LifecycleNoticeBatch = 'lifecycle.notice-batch',
  /** A claim became payable: make sure a payout run will reach it. */
  LifecycleOnClaimPayable = 'lifecycle.on-claim-payable',
  /** One batch of a payout run. */
  LifecyclePayoutBatch = 'lifecycle.payout-batch',
  /** A fraud hold was lifted: a refund claim waiting on it can be paid. */
  LifecycleOnHoldReleased = 'lifecycle.on-hold-released',
  /** A store refunded into a wallet whose claim was paid: the refund is claimable too. */
  LifecycleOnStoreRefund = 'lifecycle.on-store-refund',
  /** The operator forced a password reset of every customer: one batch of customers. */
  IdentityForcePasswordReset = 'identity.force-password-reset',
  /** A customer's sessions ended: the payment codes their devices were showing stop paying. */
  BarcodeOnSessionsEnded = 'barcode.on-sessions-ended',
  /** Periodic purge of idempotency records past their 24 hours. */
  PurgeIdempotencyKeys = 'housekeeping.purge-idempotency-keys',
  /** Any event: one delivery per subscribed endpoint; a clock advance also fires the retries it made due. */
  WebhooksOnEvent = 'webhooks.on-event',
  /** One POST of an event to one endpoint (a scheduled attempt or an operator's redelivery). */
  WebhooksDeliver = 'webhooks.deliver',
  /** Periodic sweep of deliveries whose next attempt fell due, in every sandbox. */
  WebhooksRetrySweep = 'webhooks.retry-sweep',
}

/** Public event types: every outbox row is one of these and shows in `GET /v1/events`. */
export enum Topic {
  SandboxCreated = 'sandbox.created',
  SandboxReset = 'sandbox.reset',
  SandboxClockAdvanced = 'sandbox.clock_advanced',
  WalletCreated = 'wallet.created',
  WalletFunded = 'wallet.funded',
  PendingTransferExpired = 'ledger.pending_transfer.expired',
  UserRegistered = 'user.registered',
  LoginSucceeded = 'auth.login_succeeded',
  LoginFailed = 'auth.login_failed',
  NewDevice = 'auth.new_device',
  PasswordResetRequested = 'auth.password_reset_requested',
  PasswordResetCompleted = 'auth.password_reset_completed',
  PasswordChanged = 'auth.password_changed',
  SessionsEnded = 'auth.sessions_ended',
  ContactChanged = 'auth.contact_changed',
  PaymentAuthorized = 'payment.authorized',
  PaymentCaptured = 'payment.captured',
  PaymentVoided = 'payment.voided',
  PaymentExpired = 'payment.expired',
  PaymentRefunded = 'payment.refunded',
  StoreCreated = 'store.created',
  StoreInvalidCodes = 'store.invalid_codes',
  CardAdded = 'card.added',
  TopupRequested = 'topup.requested',
  TopupScreened = 'topup.screened',
  TopupActionRequired = 'topup.action_required',
  TopupAuthenticated = 'topup.authenticated',
  TopupSucceeded = 'topup.succeeded',
  TopupFailed = 'topup.failed',
  TopupHeld = 'topup.held',
  TopupScreeningFailed = 'fraud.topup_screening_failed',
  HoldPlaced = 'hold.placed',
  HoldReleased = 'hold.released',
  FraudConfirmed = 'fraud.confirmed',
  FraudAlertRaised = 'fraud.alert_raised',
  CompensationPaid = 'compensation.paid',
  StepUpDemanded = 'fraud.step_up_demanded',
  AccountClosed = 'user.account_closed',
  ServiceTransitionScheduled = 'service.transition_scheduled',
  ServicePhaseChanged = 'service.phase_changed',
  PasswordResetForced = 'service.password_reset_forced',
  RefundClaimSubmitted = 'refund_claim.submitted',
  RefundClaimCorrected = 'refund_claim.corrected',
  RefundClaimHeld = 'refund_claim.held',
  RefundClaimReleased = 'refund_claim.released',
  RefundClaimPaid = 'refund_claim.paid',
  RefundClaimBounced = 'refund_claim.bounced',
  PayoutRunStarted = 'refund_payout.run_started',
  PayoutRunCompleted = 'refund_payout.run_completed',
  WebhookEndpointDisabled = 'webhook_endpoint.disabled',
}

/**
 * Whole yen: money is an integer everywhere.
 * @asType integer
 */
export type Yen = number;

/**
 * A whole number of things or seconds.
 * @asType integer
 */
export type Count = number;

/** What every top-up event says. */
export interface TopupFacts {
  topupId: string;
  walletId: string;
  userId: string | null;
  channel: string;
  amount: Yen;
  cardId: string | null;
  storeId: string | null;
}

/** What every payment event says; the fraud rules read these. */
export interface PaymentFacts {
  paymentId: string;
  storeId: string;
  terminalId: string | null;
  walletId: string;
  userId: string | null;
  method: 'cpm' | 'mpm';
  amount: Yen;
  status: string;
  category: string | null;
}

/** Where a security event came from: what the fraud rules look at. */
export interface ClientFacts {
  ip: string;
  userAgent: string | null;
  /** SHA-256 of the client's device id (the id itself is a credential). */
  deviceHash: string | null;
}

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

export interface TopicPayloads {
  [Topic.SandboxCreated]: { sandboxId: string; name: string; securityProfile: string };
  [Topic.SandboxReset]: { sandboxId: string };
  [Topic.SandboxClockAdvanced]: { sandboxId: string; from: string; to: string; seconds: Count };
  [Topic.WalletCreated]: { walletId: string };
  [Topic.WalletFunded]: { walletId: string; amount: Yen; transferId: string; balance: Yen };
  [Topic.PendingTransferExpired]: { pendingTransferId: string; accountId: string; amount: Yen; code: string };
  [Topic.UserRegistered]: { userId: string; walletId: string } & ClientFacts;
  [Topic.LoginSucceeded]: {
    userId: string;
    walletId: string;
    deviceId: string;
    newDevice: boolean;
    secondFactor: 'none' | 'sms' | 'totp';
  } & ClientFacts;
  [Topic.LoginFailed]: { userId: string | null; email: string; reason: 'bad_credentials' | 'throttled' | 'bad_code' } & ClientFacts;
  [Topic.NewDevice]: { userId: string; walletId: string; deviceId: string; takeover: boolean } & ClientFacts;
  [Topic.PasswordResetRequested]: { userId: string | null; email: string; sentToRegisteredEmail: boolean } & ClientFacts;
  [Topic.PasswordResetCompleted]: { userId: string; walletId: string } & ClientFacts;
  [Topic.PasswordChanged]: { userId: string } & ClientFacts;
  /** deviceIds: the devices whose sessions ended, or null when every session of the customer did. */
  [Topic.SessionsEnded]: { userId: string; walletId: string; deviceIds: string[] | null; reason: SessionEndReason };
  [Topic.ContactChanged]: { userId: string; field: 'email' | 'phone' } & ClientFacts;
  [Topic.PaymentAuthorized]: PaymentFacts & { expiresAt: string };
  /** walletBalance: what the wallet holds after the payment. */
  [Topic.PaymentCaptured]: PaymentFacts & { cashDue: Yen; walletBalance: Yen | null };
  [Topic.PaymentVoided]: PaymentFacts;
  [Topic.PaymentExpired]: PaymentFacts;
  [Topic.PaymentRefunded]: PaymentFacts & { refundId: string; refundAmount: Yen; refundedTotal: Yen };
  [Topic.StoreCreated]: { storeId: string; name: string };
  [Topic.StoreInvalidCodes]: { storeId: string; keyId: string; invalidCodes: Count; windowSeconds: Count };
  [Topic.CardAdded]: { cardId: string; userId: string; walletId: string; brand: string; last4: string };
  [Topic.TopupRequested]: TopupFacts;
  [Topic.TopupScreened]: TopupFacts & { decision: 'approve' | 'hold' | 'decline'; screeningId: string; reasons: string[] };
  [Topic.TopupActionRequired]: TopupFacts & { action: string };
  [Topic.TopupAuthenticated]: TopupFacts;
  [Topic.TopupSucceeded]: TopupFacts & { transferId: string; balance: Yen };
  [Topic.TopupFailed]: TopupFacts & { failureCode: string };
  [Topic.TopupHeld]: TopupFacts & { pendingTransferId: string };
  /** The fraud screening of a top-up failed on every attempt: no decision was made, and the top-up fails (`screening_failed`). */
  [Topic.TopupScreeningFailed]: TopupFacts;
  [Topic.HoldPlaced]: { holdId: string; walletId: string; userId: string | null; reason: string; score: number; rules: string[] };
  /** resolution: an operator released it, it expired unreviewed, or its confirmed fraud was compensated. */
  [Topic.HoldReleased]: { holdId: string; walletId: string; topupIds: string[]; resolution: 'released' | 'expired' | 'compensated' };
  [Topic.FraudConfirmed]: {
    holdId: string;
    victimId: string;
    walletId: string;
    userId: string | null;
    windowStart: string;
    topupIds: string[];
  };
  /** A rule hit something that cannot be held (a store, an IP address): recorded and announced, once per window. */
  [Topic.FraudAlertRaised]: {
    rule: string;
    subjectType: 'store' | 'ip';
    subjectId: string;
    score: number;
    inputs: Record<string, unknown>;
  };
  [Topic.CompensationPaid]: {
    victimId: string;
    holdId: string;
    walletId: string;
    reimbursed: Yen;
    reversed: Yen;
    reversedTopupIds: string[];
  };
  [Topic.StepUpDemanded]: { userId: string; walletId: string | null; score: number; rules: string[] };
  [Topic.AccountClosed]: { userId: string; walletId: string };
  [Topic.ServiceTransitionScheduled]: ServiceTransitionFacts;
  [Topic.ServicePhaseChanged]: ServiceTransitionFacts & { from: string };
  [Topic.PasswordResetForced]: { reason: string | null };
  [Topic.RefundClaimSubmitted]: RefundClaimFacts;
  /** correctedBy: the customer, or the operator (secret key) who corrected it. */
  [Topic.RefundClaimCorrected]: RefundClaimFacts & { correctedBy: string };
  [Topic.RefundClaimHeld]: RefundClaimFacts & { reason: string | null };
  [Topic.RefundClaimReleased]: RefundClaimFacts & { reason: string | null };
  [Topic.RefundClaimPaid]: RefundClaimFacts & { paidAmount: Yen; transferId: string; runId: string };
  [Topic.RefundClaimBounced]: RefundClaimFacts & { failureCode: string; runId: string };
  [Topic.PayoutRunStarted]: { runId: string; trigger: string };
  [Topic.PayoutRunCompleted]: { runId: string; batches: Count; paid: Count; amount: Yen; bounced: Count; held: Count };
  /** failing: every attempt failed for the whole retry schedule; operator: turned off through the API. */
  [Topic.WebhookEndpointDisabled]: { endpointId: string; url: string; reason: 'failing' | 'operator'; failingSince: string | null };
}

/** What every service transition event says. */
export interface ServiceTransitionFacts {
  transitionId: string;
  to: string;
  effectiveAt: string;
  reason: string | null;
  notice: { terminationAt: string; refundClaimsFrom: string; refundClaimsUntil: string } | null;
}

/** What every refund claim event says. */
export interface RefundClaimFacts {
  claimId: string;
  walletId: string;
  userId: string | null;
  method: 'bank_transfer' | 'postal_payout';
  amount: Yen;
}

/** What a job born from an outbox row carries: the event itself, which never changes. */
export interface EventJob<T extends Topic = Topic> {
  eventId: string;
  sandboxId: string;
  type: T;
  data: TopicPayloads[T];
  requestId: string | null;
  /** Sandbox time of the state change (ISO 8601): what time-window rules measure from. */
  occurredAt: string;
}

export interface JobPayloads {
  [JobName.LedgerExpireOnClockAdvance]: EventJob<Topic.SandboxClockAdvanced>;
  [JobName.LedgerExpireSweep]: Record<string, never>;
  [JobName.PurgeIdempotencyKeys]: Record<string, never>;
  [JobName.CaptureExpireAuthorization]: EventJob<Topic.PendingTransferExpired>;
  [JobName.CaptureOnFraudConfirmed]: EventJob<Topic.FraudConfirmed>;
  [JobName.FraudScreenTopup]: EventJob<Topic.TopupRequested>;
  [JobName.TopupOnScreened]: EventJob<Topic.TopupScreened>;
  [JobName.TopupOnScreeningFailed]: EventJob<Topic.TopupScreeningFailed>;
  [JobName.TopupOnAuthenticated]: EventJob<Topic.TopupAuthenticated>;
  [JobName.TopupExpireOnClockAdvance]: EventJob<Topic.SandboxClockAdvanced>;
  [JobName.TopupExpireSweep]: Record<string, never>;
  [JobName.FraudObserve]: EventJob<FraudObservedTopic>;
  [JobName.FraudCompensate]: EventJob<Topic.FraudConfirmed>;
  [JobName.FraudOnPaymentVoided]: EventJob<Topic.PaymentVoided>;
  [JobName.FraudExpireHolds]: EventJob<Topic.SandboxClockAdvanced>;
  [JobName.FraudHoldSweep]: Record<string, never>;
  [JobName.LedgerApplyHold]: EventJob<Topic.HoldPlaced>;
  [JobName.LedgerLiftHold]: EventJob<Topic.HoldReleased>;
  [JobName.TopupOnHoldReleased]: EventJob<Topic.HoldReleased>;
  [JobName.TopupOnFraudConfirmed]: EventJob<Topic.FraudConfirmed>;
  [JobName.TopupOnCompensated]: EventJob<Topic.CompensationPaid>;
  [JobName.IdentityOnFraudConfirmed]: EventJob<Topic.FraudConfirmed>;
  [JobName.IdentityOnStepUpDemanded]: EventJob<Topic.StepUpDemanded>;
  [JobName.LifecycleApplyDue]: EventJob<Topic.SandboxClockAdvanced>;
  [JobName.LifecycleSweep]: Record<string, never>;
  [JobName.LifecycleOnPhaseChanged]: EventJob<Topic.ServicePhaseChanged>;
  [JobName.LifecycleNoticeBatch]: { sandboxId: string; noticeId: string; batch: number };
  [JobName.LifecycleOnClaimPayable]: EventJob<Topic.RefundClaimSubmitted | Topic.RefundClaimCorrected | Topic.RefundClaimReleased>;
  [JobName.LifecyclePayoutBatch]: EventJob<Topic.PayoutRunStarted> & { batch?: number };
  [JobName.LifecycleOnStoreRefund]: EventJob<Topic.PaymentRefunded>;
  [JobName.LifecycleOnHoldReleased]: EventJob<Topic.HoldReleased>;
  [JobName.IdentityForcePasswordReset]: EventJob<Topic.PasswordResetForced> & { after?: string };
  [JobName.BarcodeOnSessionsEnded]: EventJob<Topic.SessionsEnded>;
  [JobName.WebhooksOnEvent]: EventJob;
  /** attempt: the scheduled attempt's number (1 = first), or 'manual' for a redelivery. */
  [JobName.WebhooksDeliver]: { sandboxId: string; deliveryId: string; attempt: number | 'manual'; requestId: string | null };
  [JobName.WebhooksRetrySweep]: Record<string, never>;
}

/** What the fraud engine observes besides the top-ups it screens. */
export type FraudObservedTopic =
  | Topic.LoginFailed
  | Topic.LoginSucceeded
  | Topic.PasswordResetCompleted
  | Topic.CardAdded
  | Topic.TopupSucceeded
  | Topic.PaymentCaptured
  | Topic.PaymentRefunded
  | Topic.StoreInvalidCodes;

export interface JobSpec {
  queue: QueueName;
  attempts: number;
  backoff: BackoffOptions;
  /** For periodic jobs: how often the scheduler enqueues one. */
  everyMs?: number;
}

const RETRY_FAST: Pick<JobSpec, 'attempts' | 'backoff'> = { attempts: 8, backoff: { type: 'exponential', delay: 200 } };
/** The funding gateway's transient errors heal in seconds: retry for about a minute. */
const RETRY_GATEWAY: Pick<JobSpec, 'attempts' | 'backoff'> = { attempts: 10, backoff: { type: 'exponential', delay: 100 } };
const RETRY_PERIODIC: Pick<JobSpec, 'attempts' | 'backoff'> = { attempts: 3, backoff: { type: 'fixed', delay: 1_000 } };

export const JOBS = {
  [JobName.LedgerExpireOnClockAdvance]: { queue: QueueName.Ledger, ...RETRY_FAST },
  [JobName.LedgerExpireSweep]: { queue: QueueName.Ledger, ...RETRY_PERIODIC, everyMs: 5_000 },
  [JobName.PurgeIdempotencyKeys]: { queue: QueueName.Housekeeping, ...RETRY_PERIODIC, everyMs: 15 * 60_000 },
  [JobName.CaptureExpireAuthorization]: { queue: QueueName.Capture, ...RETRY_FAST },
  [JobName.CaptureOnFraudConfirmed]: { queue: QueueName.Capture, ...RETRY_FAST },
  [JobName.FraudScreenTopup]: { queue: QueueName.Fraud, ...RETRY_FAST },
  [JobName.TopupOnScreened]: { queue: QueueName.Topup, ...RETRY_GATEWAY },
  [JobName.TopupOnScreeningFailed]: { queue: QueueName.Topup, ...RETRY_FAST },
  [JobName.TopupOnAuthenticated]: { queue: QueueName.Topup, ...RETRY_GATEWAY },
  [JobName.TopupExpireOnClockAdvance]: { queue: QueueName.Topup, ...RETRY_FAST },
  [JobName.TopupExpireSweep]: { queue: QueueName.Topup, ...RETRY_PERIODIC, everyMs: 60_000 },
  [JobName.FraudObserve]: { queue: QueueName.Fraud, ...RETRY_FAST },
  [JobName.FraudCompensate]: { queue: QueueName.Fraud, ...RETRY_FAST },
  [JobName.FraudOnPaymentVoided]: { queue: QueueName.Fraud, ...RETRY_FAST },
  [JobName.FraudExpireHolds]: { queue: QueueName.Fraud, ...RETRY_FAST },
  [JobName.FraudHoldSweep]: { queue: QueueName.Fraud, ...RETRY_PERIODIC, everyMs: 60_000 },
  [JobName.LedgerApplyHold]: { queue: QueueName.Ledger, ...RETRY_FAST },
  [JobName.LedgerLiftHold]: { queue: QueueName.Ledger, ...RETRY_FAST },
  [JobName.TopupOnHoldReleased]: { queue: QueueName.Topup, ...RETRY_FAST },
  [JobName.TopupOnFraudConfirmed]: { queue: QueueName.Topup, ...RETRY_FAST },
  [JobName.TopupOnCompensated]: { queue: QueueName.Topup, ...RETRY_FAST },
  [JobName.IdentityOnFraudConfirmed]: { queue: QueueName.Identity, ...RETRY_FAST },
  [JobName.IdentityOnStepUpDemanded]: { queue: QueueName.Identity, ...RETRY_FAST },
  [JobName.LifecycleApplyDue]: { queue: QueueName.Lifecycle, ...RETRY_FAST },
  [JobName.LifecycleSweep]: { queue: QueueName.Lifecycle, ...RETRY_PERIODIC, everyMs: 5_000 },
  [JobName.LifecycleOnPhaseChanged]: { queue: QueueName.Lifecycle, ...RETRY_FAST },
  [JobName.LifecycleNoticeBatch]: { queue: QueueName.Lifecycle, ...RETRY_FAST },
  [JobName.LifecycleOnClaimPayable]: { queue: QueueName.Lifecycle, ...RETRY_FAST },
  [JobName.LifecyclePayoutBatch]: { queue: QueueName.Lifecycle, ...RETRY_FAST },
  [JobName.LifecycleOnStoreRefund]: { queue: QueueName.Lifecycle, ...RETRY_FAST },
  [JobName.LifecycleOnHoldReleased]: { queue: QueueName.Lifecycle, ...RETRY_FAST },
  [JobName.IdentityForcePasswordReset]: { queue: QueueName.Identity, ...RETRY_FAST },
  [JobName.BarcodeOnSessionsEnded]: { queue: QueueName.Barcode, ...RETRY_FAST },
  [JobName.WebhooksOnEvent]: { queue: QueueName.Webhooks, ...RETRY_FAST },
  [JobName.WebhooksDeliver]: { queue: QueueName.Webhooks, ...RETRY_FAST },
  [JobName.WebhooksRetrySweep]: { queue: QueueName.Webhooks, ...RETRY_PERIODIC, everyMs: 5_000 },
} as const satisfies { readonly [J in JobName]: JobSpec };

/** The jobs of one queue, as a type: a processor must handle exactly these. */
export type JobOfQueue<Q extends QueueName> = {
  [J in JobName]: (typeof JOBS)[J]['queue'] extends Q ? J : never;
}[JobName];

/**
 * Static routing of the outbox relay: which jobs an event type starts. A
 * topic routes to at most one job per queue, so the job id can be the event id.
 */
export const ROUTES: { readonly [T in Topic]?: readonly JobName[] } = {
  [Topic.SandboxClockAdvanced]: [
    JobName.LedgerExpireOnClockAdvance,
    JobName.FraudExpireHolds,
    JobName.LifecycleApplyDue,
    JobName.TopupExpireOnClockAdvance,
  ],
  [Topic.LoginFailed]: [JobName.FraudObserve],
  [Topic.LoginSucceeded]: [JobName.FraudObserve],
  [Topic.PasswordResetCompleted]: [JobName.FraudObserve],
  [Topic.CardAdded]: [JobName.FraudObserve],
  [Topic.TopupSucceeded]: [JobName.FraudObserve],
  [Topic.PaymentCaptured]: [JobName.FraudObserve],
  [Topic.PaymentRefunded]: [JobName.FraudObserve, JobName.LifecycleOnStoreRefund],
  [Topic.PaymentVoided]: [JobName.FraudOnPaymentVoided],
  [Topic.StoreInvalidCodes]: [JobName.FraudObserve],
  [Topic.HoldPlaced]: [JobName.LedgerApplyHold],
  [Topic.HoldReleased]: [JobName.LedgerLiftHold, JobName.TopupOnHoldReleased, JobName.LifecycleOnHoldReleased],
  [Topic.FraudConfirmed]: [
    JobName.FraudCompensate,
    JobName.TopupOnFraudConfirmed,
    JobName.IdentityOnFraudConfirmed,
    JobName.CaptureOnFraudConfirmed,
  ],
  [Topic.CompensationPaid]: [JobName.TopupOnCompensated],
  [Topic.StepUpDemanded]: [JobName.IdentityOnStepUpDemanded],
  [Topic.SessionsEnded]: [JobName.BarcodeOnSessionsEnded],
  [Topic.PendingTransferExpired]: [JobName.CaptureExpireAuthorization],
  [Topic.TopupRequested]: [JobName.FraudScreenTopup],
  [Topic.TopupScreened]: [JobName.TopupOnScreened],
  [Topic.TopupScreeningFailed]: [JobName.TopupOnScreeningFailed],
  [Topic.TopupAuthenticated]: [JobName.TopupOnAuthenticated],
  [Topic.ServicePhaseChanged]: [JobName.LifecycleOnPhaseChanged],
  [Topic.PasswordResetForced]: [JobName.IdentityForcePasswordReset],
  [Topic.RefundClaimSubmitted]: [JobName.LifecycleOnClaimPayable],
  [Topic.RefundClaimCorrected]: [JobName.LifecycleOnClaimPayable],
  [Topic.RefundClaimReleased]: [JobName.LifecycleOnClaimPayable],
  [Topic.PayoutRunStarted]: [JobName.LifecyclePayoutBatch],
};

/** Jobs every event starts, whatever its type; a route gate may let a sandbox's events skip one. */
export const EVERY_EVENT: readonly JobName[] = [JobName.WebhooksOnEvent];

export function routesOf(topic: Topic): readonly JobName[] {
  return [...(ROUTES[topic] ?? []), ...EVERY_EVENT];
}

/** Bounded retention: Redis keeps recent history only. */
export const RETENTION: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: { age: 60 * 60, count: 5_000 },
  removeOnFail: { age: 7 * 24 * 60 * 60, count: 20_000 },
};

export function jobOptions(name: JobName, overrides: JobsOptions = {}): JobsOptions {
  const spec: JobSpec = JOBS[name];
  return { attempts: spec.attempts, backoff: spec.backoff, ...RETENTION, ...overrides };
}

/**
 * A custom job id from its parts. BullMQ refuses ids with a ':' (its key
 * separator) and ids that read as integers, so the parts are joined by '-'
 * and a part holding a ':' is a programming error caught here, not a job
 * that fails after its work committed.
 */
export function jobIdOf(key: ReadonlyArray<string | number>): string {
  const parts = key.map(String);
  if (parts.length === 0 || parts.some((part) => part.length === 0 || part.includes(':'))) {
    throw new Error(`a job id's parts must be non-empty and free of ':' (got ${JSON.stringify(parts)})`);
  }
  const id = parts.join('-');
  return /^\d+$/.test(id) ? `job-${id}` : id;
}

export function jobsOfQueue(queue: QueueName): JobName[] {
  return (Object.keys(JOBS) as JobName[]).filter((name) => JOBS[name].queue === queue);
}

/** Fails at load time if the routing table breaks its one-job-per-queue rule. */
export function assertRoutesWellFormed(): void {
  for (const topic of Object.values(Topic)) {
    const queues = routesOf(topic).map((job) => JOBS[job].queue);
    if (new Set(queues).size !== queues.length) {
      throw new Error(`Topic ${topic} routes two jobs to one queue; job ids would collide`);
    }
  }
}
assertRoutesWellFormed();
