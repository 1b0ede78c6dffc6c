-- Data-subject requests (domain::rights): filed by the person, decided by the privacy
-- officer before due_at. The text and the reply are sealed with the person's key.
CREATE TABLE rights_requests (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail_enc BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    due_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    decided_at BIGINT,
    decided_by TEXT,
    reply_enc BLOB
);
CREATE INDEX rights_requests_queue ON rights_requests (status, due_at);
CREATE INDEX rights_requests_user ON rights_requests (user_id);
-- What a granted request enforces: nothing of the person used or shown to anyone but
-- themselves (suspension of use), or given to any third party (stop of provision).
ALTER TABLE users ADD COLUMN use_suspended_at BIGINT;
ALTER TABLE users ADD COLUMN provision_stopped_at BIGINT;
