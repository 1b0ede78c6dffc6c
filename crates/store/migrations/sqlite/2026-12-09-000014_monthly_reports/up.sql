-- The monthly 支援レポート: drafted from the month's check-ins, records and actions,
-- edited by the linked facility, confirmed by the worker before anyone else reads it
-- (an edit after the confirmation asks for it again), then shared as the worker chose.
-- The body (figures and the supporter's words) is sealed with the worker's key.
CREATE TABLE monthly_reports (
    id TEXT PRIMARY KEY,
    employment_id TEXT NOT NULL REFERENCES employments (id),
    seeker_id TEXT NOT NULL REFERENCES users (id),
    month TEXT NOT NULL,
    body_enc BLOB NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    to_follow_up BOOLEAN NOT NULL,
    to_family BOOLEAN NOT NULL,
    UNIQUE (employment_id, month)
);
