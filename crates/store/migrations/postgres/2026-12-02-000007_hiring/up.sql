-- From application to hire. An application is to a posting (older ones name only the
-- company); its stage is what the seeker sees. The company's own sub-stage and note
-- live apart in application_internal, sealed with the seeker's key, and no query that
-- answers the seeker, a supporter or a family member reads that table.
ALTER TABLE applications ADD COLUMN posting_id TEXT REFERENCES postings (id);
ALTER TABLE applications ADD COLUMN stage TEXT NOT NULL DEFAULT 'applied';
ALTER TABLE applications ADD COLUMN message_enc BYTEA;
ALTER TABLE applications ADD COLUMN supporter_joins BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE applications ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX applications_posting ON applications (posting_id);

-- Every stage an application has been in (the visible history).
CREATE TABLE application_events (
    id TEXT NOT NULL PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id),
    stage TEXT NOT NULL,
    by_user TEXT NOT NULL REFERENCES users (id),
    at BIGINT NOT NULL
);
CREATE INDEX application_events_app ON application_events (application_id);

-- The company's internal sub-stage and note (never shown to the seeker).
CREATE TABLE application_internal (
    application_id TEXT NOT NULL PRIMARY KEY REFERENCES applications (id),
    internal_stage_enc BYTEA NOT NULL,
    note_enc BYTEA NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL
);

-- A hire: what the retention support builds on.
CREATE TABLE employments (
    id TEXT NOT NULL PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id),
    seeker_id TEXT NOT NULL REFERENCES users (id),
    org_id TEXT NOT NULL REFERENCES organizations (id),
    posting_id TEXT REFERENCES postings (id),
    start_date TEXT NOT NULL,
    position TEXT NOT NULL,
    hours_per_week INTEGER NOT NULL,
    follow_up_user_id TEXT NOT NULL REFERENCES users (id),
    supporter_org_id TEXT REFERENCES organizations (id),
    created_at BIGINT NOT NULL,
    ended_at BIGINT
);
CREATE UNIQUE INDEX employments_application ON employments (application_id);
CREATE INDEX employments_seeker ON employments (seeker_id);
