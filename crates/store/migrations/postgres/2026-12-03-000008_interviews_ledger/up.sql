-- Interviews, the 合理的配慮 ledger and the company's workforce for the employment rate.

-- An interview the company proposes for an application: slots to choose from, and the
-- accommodations it will provide. `sequence` counts the changes (iCalendar SEQUENCE).
CREATE TABLE interviews (
    id TEXT NOT NULL PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id),
    status TEXT NOT NULL,
    accommodations TEXT NOT NULL,
    chosen_slot TEXT,
    -- The seeker's (or supporter's) words when asking for other times; sealed with the
    -- seeker's key.
    request_enc BYTEA,
    sequence INTEGER NOT NULL,
    reminded_at BIGINT,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX interviews_application ON interviews (application_id);

-- One proposed time: local date and time in Japan (Asia/Tokyo), length, and where.
CREATE TABLE interview_slots (
    id TEXT NOT NULL PRIMARY KEY,
    interview_id TEXT NOT NULL REFERENCES interviews (id),
    starts_at TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    place TEXT NOT NULL,
    online_url TEXT NOT NULL
);
CREATE INDEX interview_slots_interview ON interview_slots (interview_id);

-- The ledger: every version of every item; nothing is updated or deleted. The seeker's
-- words and the company's discussion and reason are sealed with the seeker's key.
CREATE TABLE ledger_entries (
    id TEXT NOT NULL PRIMARY KEY,
    item_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    application_id TEXT NOT NULL REFERENCES applications (id),
    codes TEXT NOT NULL,
    request_enc BYTEA NOT NULL,
    discussion_enc BYTEA NOT NULL,
    decision TEXT NOT NULL,
    reason_enc BYTEA NOT NULL,
    decided_on TEXT,
    side TEXT NOT NULL,
    written_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ledger_item_version ON ledger_entries (item_id, version);
CREATE INDEX ledger_application ON ledger_entries (application_id);

-- Each side's acknowledgement of one version.
CREATE TABLE ledger_acks (
    entry_id TEXT NOT NULL REFERENCES ledger_entries (id),
    side TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    at BIGINT NOT NULL,
    PRIMARY KEY (entry_id, side)
);

-- What the company states for the employment rate (in halves: 0.5 is 1).
CREATE TABLE company_workforce (
    org_id TEXT NOT NULL PRIMARY KEY REFERENCES organizations (id),
    workforce_halves INTEGER NOT NULL,
    counted_halves INTEGER NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL
);

-- A scout is for a posting; accepting it opens an application (marked with the scout,
-- so that the provision record names the scout as its basis).
ALTER TABLE scouts ADD COLUMN posting_id TEXT REFERENCES postings (id);
ALTER TABLE applications ADD COLUMN scout_id TEXT REFERENCES scouts (id);
CREATE INDEX scouts_org_created ON scouts (org_id, created_at);
