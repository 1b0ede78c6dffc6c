-- Second factors: an authenticator app (TOTP, RFC 6238) per account, its secret sealed
-- with the account's data key; single-use recovery codes (only their hashes); the
-- half-finished sign-ins waiting for a code; how each session was authenticated.
CREATE TABLE totp_factors (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    secret_enc BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    -- The last time step whose code was accepted: a code is never taken twice.
    last_step BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE recovery_codes (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);
CREATE TABLE login_challenges (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX login_challenges_user ON login_challenges (user_id);
ALTER TABLE sessions ADD COLUMN auth_method TEXT NOT NULL DEFAULT 'password';
