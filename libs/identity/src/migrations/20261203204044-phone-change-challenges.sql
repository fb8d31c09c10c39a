-- A new phone number takes effect only once a code sent to it is entered: the
-- challenge of a phone change carries the number it would set.
ALTER TABLE identity_challenges ADD COLUMN phone text;
ALTER TABLE identity_challenges DROP CONSTRAINT identity_challenges_purpose_check;
ALTER TABLE identity_challenges ADD CONSTRAINT identity_challenges_purpose_check
  CHECK (purpose IN ('login', 'step_up', 'phone_change'));
ALTER TABLE identity_challenges ADD CONSTRAINT identity_challenges_phone_check
  CHECK ((purpose = 'phone_change') = (phone IS NOT NULL));
