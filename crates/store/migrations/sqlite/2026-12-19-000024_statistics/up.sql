-- Published anonymised statistics (公表した統計): the protected tables as published
-- (JSON), with when, by whom, the threshold k and how many people were counted. Only
-- counts are held, never a person's data, so a release outlives every erasure.
CREATE TABLE statistics_releases (
    id TEXT PRIMARY KEY NOT NULL,
    published_at BIGINT NOT NULL,
    published_by TEXT NOT NULL REFERENCES users(id),
    k INTEGER NOT NULL,
    people INTEGER NOT NULL,
    tables_json TEXT NOT NULL
);
