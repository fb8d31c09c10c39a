import { Injectable } from '@nestjs/common';
import { Database, type Queryable, newId } from '#core';

export type MessageChannel = 'email' | 'sms';

export interface NewMessage {
  sandboxId: string;
  channel: MessageChannel;
  to: string;
  subject?: string;
  body: string;
  /** Sandbox time of sending. */
  at: Date;
}

export interface Message {
  id: string;
  channel: MessageChannel;
  to: string;
  subject: string | null;
  body: string;
  createdAt: string;
}

interface MessageRow {
  id: string;
  channel: MessageChannel;
  recipient: string;
  subject: string | null;
  body: string;
  created_at: Date;
}

/**
 * The sandbox's outgoing mail and SMS: nothing leaves the machine; other
 * modules "send" by writing here (in their own transaction) and clients read
 * codes and links back through `GET /v1/sandbox/messages`.
 */
@Injectable()
export class Messages {
  constructor(private readonly db: Database) {}

  async send(q: Queryable, message: NewMessage): Promise<string> {
    const id = newId('msg');
    await q.rows(
      `INSERT INTO sandbox_messages (id, sandbox_id, channel, recipient, subject, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, message.sandboxId, message.channel, message.to, message.subject ?? null, message.body, message.at],
    );
    return id;
  }

  /** Many messages in one statement (a notice to every customer goes out in batches). */
  async sendMany(q: Queryable, messages: NewMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await q.rows(
      `INSERT INTO sandbox_messages (id, sandbox_id, channel, recipient, subject, body, created_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])`,
      [
        messages.map(() => newId('msg')),
        messages.map((m) => m.sandboxId),
        messages.map((m) => m.channel),
        messages.map((m) => m.to),
        messages.map((m) => m.subject ?? null),
        messages.map((m) => m.body),
        messages.map((m) => m.at),
      ],
    );
  }

  async list(
    sandboxId: string,
    query: { to?: string; limit: number; startingAfter?: string },
  ): Promise<{ data: Message[]; hasMore: boolean }> {
    const rows = await this.db.rows<MessageRow>(
      `SELECT id, channel, recipient, subject, body, created_at FROM sandbox_messages
        WHERE sandbox_id = $1 AND ($2::text IS NULL OR recipient = $2) AND ($3::text IS NULL OR id < $3)
        ORDER BY id DESC LIMIT $4`,
      [sandboxId, query.to ?? null, query.startingAfter ?? null, query.limit + 1],
    );
    return {
      data: rows.slice(0, query.limit).map((row) => ({
        id: row.id,
        channel: row.channel,
        to: row.recipient,
        subject: row.subject,
        body: row.body,
        createdAt: row.created_at.toISOString(),
      })),
      hasMore: rows.length > query.limit,
    };
  }
}
