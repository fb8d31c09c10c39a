-- The screening's decision is the fraud module's event: topup.screened is now fraud.topup_screened.
-- Event types are persisted; the event log keeps one name for one kind of event.
UPDATE outbox_events SET type = 'fraud.topup_screened' WHERE type = 'topup.screened';
