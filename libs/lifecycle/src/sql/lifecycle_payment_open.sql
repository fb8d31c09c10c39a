-- Whether customers may pay in a phase. The list is the phase table's (libs/lifecycle/src/phases.ts);
-- a test holds the two to the same phases.
CREATE OR REPLACE FUNCTION lifecycle_payment_open(p_phase text)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT p_phase = ANY (ARRAY['operating', 'card_topup_suspended', 'topup_suspended', 'abolition_announced']::text[])
$$;
