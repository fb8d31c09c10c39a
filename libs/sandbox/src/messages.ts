import { Injectable } from '@nestjs/common';
import { type Queryable, newId } from '#core';
import { MessagesRepository } from './messages.repository.js';

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

/**
 * The sandbox's outgoing mail and SMS: nothing leaves the machine; other
 * modules "send" by writing here (in their own transaction) and clients read
 * codes and links back through `GET /v1/sandbox/messages`.
 */
@Injectable()
export class Messages {
  constructor(private readonly messages: MessagesRepository) {}

  async send(q: Queryable, message: NewMessage): Promise<string> {
    const id = newId('msg');
    await this.messages.insert(q, id, message);
    return id;
  }

  /** Many messages in one statement (a notice to every customer goes out in batches). */
  async sendMany(q: Queryable, messages: NewMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.messages.insertMany(
      q,
      messages.map((message) => ({ ...message, id: newId('msg') })),
    );
  }
}
