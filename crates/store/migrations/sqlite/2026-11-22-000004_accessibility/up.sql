-- Reports of accessibility barriers, for the operator. Sealed with a key of their own:
-- a description can tell of someone's disability. Resolving a report erases its key.
CREATE TABLE barrier_reports (
    id TEXT NOT NULL PRIMARY KEY,
    report_enc BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    resolved_at BIGINT
);
CREATE INDEX barrier_reports_open ON barrier_reports (resolved_at, created_at);
