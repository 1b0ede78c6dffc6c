-- Who is delivering a queued mail, until when: a claim is taken only where none holds,
-- so two processes never deliver one mail twice.
ALTER TABLE outbox ADD COLUMN claimed_until BIGINT;
