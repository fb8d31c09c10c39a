/** What a subscriber of a channel hears. */
export interface NoticeListener {
  message(payload: string): void;
  /** The connection was lost and is back: messages sent meanwhile may be gone. */
  missed?(): void;
}

/**
 * Messages every process of the deployment hears at once: a commit for the
 * outbox relay, a change under a sandbox's caches. Best effort, like the
 * transports behind it (Redis pub/sub, PostgreSQL LISTEN/NOTIFY): a message
 * sent while a process is disconnected is lost, and the process is told so.
 */
export abstract class Notices {
  /** Sends to every subscriber of the channel, in every process. */
  abstract publish(channel: NoticeChannel, payload: string): Promise<void>;

  abstract subscribe(channel: NoticeChannel, listener: NoticeListener): Promise<void>;
}

export type NoticeChannel = 'outbox-committed' | 'sandbox-changed';
