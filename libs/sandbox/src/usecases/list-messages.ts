import { Injectable } from '@nestjs/common';
import type { Message } from '../messages.js';
import { MessagesRepository } from '../messages.repository.js';

/** E-mails and SMS the sandbox sent, newest first, optionally to one recipient. */
@Injectable()
export class ListMessages {
  constructor(private readonly messages: MessagesRepository) {}

  execute(
    sandboxId: string,
    query: { to?: string; limit: number; startingAfter?: string },
  ): Promise<{ data: Message[]; hasMore: boolean }> {
    return this.messages.list(sandboxId, query);
  }
}
