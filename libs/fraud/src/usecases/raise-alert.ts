import { Injectable } from '@nestjs/common';
import { Outbox, type SandboxContext, type Tx } from '#core';
import type { Observation } from '../observations.js';
import { type AlertSubject, RuleHitsRepository } from '../rule-hits.repository.js';
import type { Hit } from '../rules.js';

/**
 * Rule hits on what cannot be held: a store whose registers guess payment
 * codes, an IP address failing to sign in to many accounts. Each is kept
 * with the other hits (subject `store` or `ip`), at most once per subject
 * and rule within the rule's window, and announced (`fraud.alert_raised`).
 */
@Injectable()
export class RaiseAlert {
  constructor(
    private readonly ruleHits: RuleHitsRepository,
    private readonly outbox: Outbox,
  ) {}

  async raise(tx: Tx, sandbox: SandboxContext, o: Observation, subject: { type: AlertSubject; id: string }, hit: Hit, windowMinutes = 0) {
    // Events about one subject at once take turns here, so they raise one alert, not several.
    await this.ruleHits.lockAlert(tx, sandbox.id, hit.rule, subject.id);
    // Either side of this event: events reach the rules out of order, and a later one may have raised it already.
    if (await this.ruleHits.hitAround(tx, sandbox.id, subject, hit.rule, o.at, windowMinutes)) return;
    await this.ruleHits.record(tx, sandbox.id, o, subject, [hit]);
    await this.outbox.publish(tx, {
      sandboxId: sandbox.id,
      type: 'fraud.alert_raised',
      data: { rule: hit.rule, subjectType: subject.type, subjectId: subject.id, score: hit.score, inputs: hit.inputs },
      occurredAt: o.at,
    });
  }
}
