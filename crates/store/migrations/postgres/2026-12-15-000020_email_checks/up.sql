-- Email verification: an address counts as the person's once they open a link mailed
-- to it. Accounts from before (and invited or staff accounts, whose address the
-- invitation already reached) count as verified from their creation.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
UPDATE users SET email_verified_at = created_at;
-- One row per mailed link: the address it confirms (sealed with the person's data key,
-- and its blind index to see at confirmation whether another account took it since),
-- only the token's hash.
CREATE TABLE email_checks (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id),
    email_bidx TEXT NOT NULL,
    email_enc BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX email_checks_user ON email_checks (user_id);
