-- Foundation: accounts, organisations, consents, sessions, keys, outbox, audit chain.
-- Times are Unix seconds (BIGINT) on both databases; ids are UUID text.
CREATE TABLE subject_keys (
    id TEXT NOT NULL PRIMARY KEY,
    subject_id TEXT NOT NULL,
    master_key_id TEXT NOT NULL,
    wrapped BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX subject_keys_subject ON subject_keys (subject_id);

CREATE TABLE users (
    id TEXT NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL,
    email_bidx TEXT NOT NULL,
    email_enc BYTEA NOT NULL,
    name_enc BYTEA NOT NULL,
    password_hash TEXT NOT NULL,
    lang TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE UNIQUE INDEX users_email_bidx ON users (email_bidx);

CREATE TABLE organizations (
    id TEXT NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    verified_at BIGINT
);

CREATE TABLE memberships (
    id TEXT NOT NULL PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    ended_at BIGINT
);
CREATE UNIQUE INDEX memberships_org_user ON memberships (org_id, user_id);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE family_links (
    id TEXT NOT NULL PRIMARY KEY,
    seeker_id TEXT NOT NULL REFERENCES users (id),
    family_id TEXT NOT NULL REFERENCES users (id),
    relation TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    ended_at BIGINT
);
CREATE INDEX family_links_seeker ON family_links (seeker_id);
CREATE INDEX family_links_family ON family_links (family_id);

CREATE TABLE policy_versions (
    kind TEXT NOT NULL,
    version TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    requires_consent BOOLEAN NOT NULL,
    PRIMARY KEY (kind, version)
);
INSERT INTO policy_versions (kind, version, published_at, requires_consent) VALUES
    ('privacy_policy', '2026-11-01', 1793491200, TRUE),
    ('sensitive_data', '2026-11-01', 1793491200, TRUE);

CREATE TABLE consents (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    version TEXT NOT NULL,
    method TEXT NOT NULL,
    given_at BIGINT NOT NULL,
    withdrawn_at BIGINT
);
CREATE INDEX consents_user ON consents (user_id, kind);

CREATE TABLE sessions (
    id TEXT NOT NULL PRIMARY KEY,
    token_hash TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    channel TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE UNIQUE INDEX sessions_token ON sessions (token_hash);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE password_resets (
    id TEXT NOT NULL PRIMARY KEY,
    token_hash TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE UNIQUE INDEX password_resets_token ON password_resets (token_hash);

CREATE TABLE invitations (
    id TEXT NOT NULL PRIMARY KEY,
    token_hash TEXT NOT NULL,
    kind TEXT NOT NULL,
    inviter_id TEXT NOT NULL REFERENCES users (id),
    org_id TEXT REFERENCES organizations (id),
    role TEXT,
    relation TEXT,
    email_bidx TEXT NOT NULL,
    email_enc BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    accepted_at BIGINT,
    revoked_at BIGINT
);
CREATE UNIQUE INDEX invitations_token ON invitations (token_hash);
CREATE INDEX invitations_inviter ON invitations (inviter_id);

CREATE TABLE outbox (
    id TEXT NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL,
    payload_enc BYTEA,
    attempts INTEGER NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);

CREATE TABLE audit_log (
    seq BIGINT NOT NULL PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id TEXT,
    subject_id TEXT,
    action TEXT NOT NULL,
    items TEXT NOT NULL,
    purpose TEXT NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject_id);

CREATE TABLE audit_head (
    id INTEGER NOT NULL PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
