import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';
import type { FundingBehavior } from './card-network.js';

/** The simulated card network's side of tokenized cards: how each token behaves when charged. */
@Injectable()
export class NetworkTokensRepository {
  async insert(q: Queryable, token: { token: string; sandboxId: string; behavior: FundingBehavior; at: Date }): Promise<void> {
    await q.rows(`INSERT INTO topup_network_tokens (token, sandbox_id, behavior, created_at) VALUES ($1, $2, $3, $4)`, [
      token.token,
      token.sandboxId,
      token.behavior,
      token.at,
    ]);
  }

  /** How the token behaves, or null when the network does not know it. */
  async findBehavior(q: Queryable, sandboxId: string, token: string): Promise<FundingBehavior | null> {
    const [row] = await q.rows<{ behavior: FundingBehavior }>(
      `SELECT behavior FROM topup_network_tokens WHERE sandbox_id = $1 AND token = $2`,
      [sandboxId, token],
    );
    return row?.behavior ?? null;
  }

  /** A sandbox reset wipes its tokens. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM topup_network_tokens WHERE sandbox_id = $1`, [sandboxId]);
  }
}
