-- topup.screened is now fraud.topup_screened: an endpoint subscribed to the old name keeps receiving the event.
UPDATE webhook_endpoints SET events = array_replace(events, 'topup.screened', 'fraud.topup_screened')
 WHERE 'topup.screened' = ANY (events);
