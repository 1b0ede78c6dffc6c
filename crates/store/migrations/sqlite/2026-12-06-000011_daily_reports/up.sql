-- Retention support (定着支援): the worker's daily check-in, one per employment and day
-- (Japan), sealed with the worker's own key; sending again the same day replaces it.
-- The key of the last write makes a replay (an offline answer sent twice) change nothing.
CREATE TABLE daily_reports (
    id TEXT PRIMARY KEY,
    employment_id TEXT NOT NULL REFERENCES employments (id),
    seeker_id TEXT NOT NULL REFERENCES users (id),
    day TEXT NOT NULL,
    data_enc BLOB NOT NULL,
    idempotency_key TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (employment_id, day)
);
CREATE INDEX daily_reports_seeker_day ON daily_reports (seeker_id, day);

-- The worker's own check-in items (a yes/no, a 1–5 scale or a number), added by the
-- worker or the linked supporter; retired ones keep their past answers readable.
CREATE TABLE report_items (
    id TEXT PRIMARY KEY,
    seeker_id TEXT NOT NULL REFERENCES users (id),
    label_enc BLOB NOT NULL,
    kind TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    retired_at BIGINT
);
CREATE INDEX report_items_seeker ON report_items (seeker_id);

-- What the worker lets the employment's follow-up person see beyond the summary
-- (recipient = the company, scope = daily_reports): its own consent kind.
INSERT INTO policy_versions (kind, version, published_at, requires_consent) VALUES
    ('follow_up_share', '2026-12-06', 1796515200, TRUE);
