import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '#core';
import type { Message, MessageChannel, NewMessage } from './messages.js';

interface MessageRow {
  id: string;
  channel: MessageChannel;
  recipient: string;
  subject: string | null;
  body: string;
  created_at: Date;
}

@Injectable()
export class MessagesRepository {
  constructor(private readonly db: Database) {}

  async insert(q: Queryable, id: string, message: NewMessage): Promise<void> {
    await q.rows(
      `INSERT INTO sandbox_messages (id, sandbox_id, channel, recipient, subject, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, message.sandboxId, message.channel, message.to, message.subject ?? null, message.body, message.at],
    );
  }

  /** Many messages in one statement. */
  async insertMany(q: Queryable, messages: Array<NewMessage & { id: string }>): Promise<void> {
    await q.rows(
      `INSERT INTO sandbox_messages (id, sandbox_id, channel, recipient, subject, body, created_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])`,
      [
        messages.map((m) => m.id),
        messages.map((m) => m.sandboxId),
        messages.map((m) => m.channel),
        messages.map((m) => m.to),
        messages.map((m) => m.subject ?? null),
        messages.map((m) => m.body),
        messages.map((m) => m.at),
      ],
    );
  }

  /** The sandbox's messages newest first, optionally to one recipient. */
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

  /** A sandbox reset forgets what the sandbox sent. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM sandbox_messages WHERE sandbox_id = $1`, [sandboxId]);
  }
}
