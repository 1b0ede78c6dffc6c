-- Companies' public profiles, job postings with their review and confirmation dates,
-- reports of inaccurate postings, saved searches (sealed: a search can reveal needs)
-- and in-app notifications.
CREATE TABLE company_profiles (
    org_id TEXT NOT NULL PRIMARY KEY REFERENCES organizations (id),
    data TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE postings (
    id TEXT NOT NULL PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations (id),
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    fields TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT,
    published_at BIGINT,
    confirmed_at BIGINT,
    closed_at BIGINT,
    stale_notified_at BIGINT,
    review_reasons TEXT,
    review_note TEXT
);
CREATE INDEX postings_org ON postings (org_id);
CREATE INDEX postings_status ON postings (status, updated_at);
CREATE INDEX postings_updated ON postings (updated_at);

CREATE TABLE posting_reports (
    id TEXT NOT NULL PRIMARY KEY,
    posting_id TEXT NOT NULL REFERENCES postings (id),
    reason TEXT NOT NULL,
    detail TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    resolved_at BIGINT
);
CREATE INDEX posting_reports_open ON posting_reports (resolved_at, created_at);

CREATE TABLE saved_searches (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    query_enc BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    checked_at BIGINT NOT NULL
);
CREATE INDEX saved_searches_user ON saved_searches (user_id);

CREATE TABLE notifications (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    ref_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
