-- Profiles, consents per recipient and scope, relationships a disclosure rests on,
-- and the third-party provision records.
ALTER TABLE consents ADD COLUMN recipient_id TEXT;
ALTER TABLE consents ADD COLUMN scope TEXT;
ALTER TABLE organizations ADD COLUMN invite_code TEXT;
ALTER TABLE organizations ADD COLUMN is_partner BOOLEAN NOT NULL DEFAULT FALSE;
CREATE UNIQUE INDEX organizations_invite_code ON organizations (invite_code);

CREATE TABLE profile_sections (
    user_id TEXT NOT NULL REFERENCES users (id),
    section TEXT NOT NULL,
    data_enc BLOB NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, section)
);

CREATE TABLE certificate_reminders (
    user_id TEXT NOT NULL PRIMARY KEY REFERENCES users (id),
    remind_on TEXT NOT NULL,
    reminded_at BIGINT
);

CREATE TABLE applications (
    id TEXT NOT NULL PRIMARY KEY,
    seeker_id TEXT NOT NULL REFERENCES users (id),
    org_id TEXT NOT NULL REFERENCES organizations (id),
    openness TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    withdrawn_at BIGINT
);
CREATE INDEX applications_seeker ON applications (seeker_id);

CREATE TABLE scouts (
    id TEXT NOT NULL PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations (id),
    sender_id TEXT NOT NULL REFERENCES users (id),
    seeker_id TEXT NOT NULL REFERENCES users (id),
    message_enc BLOB NOT NULL,
    status TEXT NOT NULL,
    openness TEXT,
    created_at BIGINT NOT NULL,
    decided_at BIGINT
);
CREATE INDEX scouts_seeker ON scouts (seeker_id);

CREATE TABLE blocks (
    seeker_id TEXT NOT NULL REFERENCES users (id),
    org_id TEXT NOT NULL REFERENCES organizations (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (seeker_id, org_id)
);

CREATE TABLE provision_records (
    id TEXT NOT NULL PRIMARY KEY,
    seeker_id TEXT NOT NULL,
    recipient_org_id TEXT,
    recipient_user_id TEXT NOT NULL,
    items TEXT NOT NULL,
    basis TEXT NOT NULL,
    first_at BIGINT NOT NULL,
    last_at BIGINT NOT NULL,
    times INTEGER NOT NULL
);
CREATE INDEX provision_records_seeker ON provision_records (seeker_id);

CREATE TABLE profile_drafts (
    id TEXT NOT NULL PRIMARY KEY,
    seeker_id TEXT NOT NULL REFERENCES users (id),
    author_id TEXT NOT NULL REFERENCES users (id),
    section TEXT NOT NULL,
    data_enc BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    decision TEXT
);
CREATE INDEX profile_drafts_seeker ON profile_drafts (seeker_id);

INSERT INTO policy_versions (kind, version, published_at, requires_consent) VALUES
    ('scout_visibility', '2026-11-01', 1793491200, TRUE),
    ('scout_section', '2026-11-01', 1793491200, TRUE),
    ('partner_provision', '2026-11-01', 1793491200, TRUE),
    ('supporter_link', '2026-11-01', 1793491200, TRUE),
    ('family_share', '2026-11-01', 1793491200, TRUE);
