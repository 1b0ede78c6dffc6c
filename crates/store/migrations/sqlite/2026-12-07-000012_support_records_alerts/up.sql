-- The support around a worker after hiring. Support records by the linked facility's
-- staff are append-only: a correction is a new version (the same record_id, version + 1)
-- and every earlier version stays readable; kept at least 5 years (no statement of this
-- product deletes them). The sealed part is sealed with the worker's key.
CREATE TABLE support_records (
    id TEXT PRIMARY KEY,
    record_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    employment_id TEXT NOT NULL REFERENCES employments (id),
    seeker_id TEXT NOT NULL REFERENCES users (id),
    facility_id TEXT NOT NULL REFERENCES organizations (id),
    author_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    day TEXT NOT NULL,
    data_enc BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (record_id, version)
);
CREATE INDEX support_records_employment ON support_records (employment_id, day);

-- Comments on a day or a week of check-ins: by the supporter, the follow-up person
-- (read by both and the worker) or family (read by the worker), sealed with the
-- worker's key.
CREATE TABLE report_comments (
    id TEXT PRIMARY KEY,
    employment_id TEXT NOT NULL REFERENCES employments (id),
    seeker_id TEXT NOT NULL REFERENCES users (id),
    author_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    period TEXT NOT NULL,
    day TEXT NOT NULL,
    body_enc BLOB NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX report_comments_employment ON report_comments (employment_id, created_at);

-- Each worker's early-warning rules (JSON, as domain::support::Rules), and the last
-- sweep slot that evaluated them: a node claims a slot by moving it forward, so the
-- rules over days run once per slot however many nodes sweep.
CREATE TABLE alert_rules (
    employment_id TEXT PRIMARY KEY REFERENCES employments (id),
    rules TEXT NOT NULL,
    updated_by TEXT,
    updated_at BIGINT NOT NULL,
    last_slot BIGINT NOT NULL
);

-- Alerts: one per employment, rule and day (the unique key makes a second node's
-- insert of the same alert fail). It reaches first_to first, and the other person from
-- escalate_at if not acknowledged; the acknowledgement note is sealed with the
-- worker's key.
CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    employment_id TEXT NOT NULL REFERENCES employments (id),
    seeker_id TEXT NOT NULL REFERENCES users (id),
    rule TEXT NOT NULL,
    day TEXT NOT NULL,
    first_to TEXT NOT NULL,
    escalate_at BIGINT,
    escalated_at BIGINT,
    created_at BIGINT NOT NULL,
    acked_at BIGINT,
    acked_by TEXT REFERENCES users (id),
    ack_note_enc BLOB,
    UNIQUE (employment_id, rule, day)
);
CREATE INDEX alerts_open ON alerts (acked_at, escalate_at);

-- Every employment has its rules row (the defaults) from its hire; this backfills the
-- employments made before.
INSERT INTO alert_rules (employment_id, rules, updated_by, updated_at, last_slot)
SELECT id, '{"health_level":2,"health_days":3,"health_trend":true,"absence_count":3,"absence_window":14,"silent_days":3,"talk":true,"trouble":true,"first":"supporter","escalate_hours":24}', NULL, created_at, 0
FROM employments;
