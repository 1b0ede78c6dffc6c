-- Message threads, their messages and attachments, read receipts, the notification
-- switches per kind, one-click unsubscribe links and reports of abusive messages.

-- A thread belongs to one application (accepting a scout opens one), one employment
-- (the worker and the follow-up person), or is the support thread between a seeker
-- and one linked facility. Its messages are sealed with the thread's own key (subject
-- = the thread's id). The linked supporter joins a job thread only where the seeker
-- switched supporter_joins on for that thread.
CREATE TABLE threads (
    id TEXT NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL,
    seeker_id TEXT NOT NULL REFERENCES users (id),
    application_id TEXT REFERENCES applications (id),
    employment_id TEXT REFERENCES employments (id),
    facility_id TEXT REFERENCES organizations (id),
    supporter_joins BOOLEAN NOT NULL DEFAULT FALSE,
    last_seq BIGINT NOT NULL DEFAULT 0,
    last_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX threads_application ON threads (application_id);
CREATE UNIQUE INDEX threads_employment ON threads (employment_id);
CREATE UNIQUE INDEX threads_support ON threads (seeker_id, facility_id);
CREATE INDEX threads_seeker ON threads (seeker_id);

-- One message: its place in the thread (seq), who sent it, who may read it
-- ('all' or 'supporter_only'), the sealed body. agency_user_id: the operator's agency
-- staff who wrote it in the company's name; agency_visible: whether the agency may
-- read it (the company's side wrote it, or the seeker's side wrote it while the seeker's
-- agency consent for the company stood or had never been given; never after a
-- withdrawal, never when for the supporter only).
CREATE TABLE messages (
    id TEXT NOT NULL PRIMARY KEY,
    thread_id TEXT NOT NULL REFERENCES threads (id),
    seq BIGINT NOT NULL,
    sender_id TEXT NOT NULL REFERENCES users (id),
    visibility TEXT NOT NULL,
    body_enc BLOB NOT NULL,
    agency_user_id TEXT REFERENCES users (id),
    agency_visible BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX messages_thread_seq ON messages (thread_id, seq);

-- How far each participant has read (read receipts and unread counts).
CREATE TABLE thread_reads (
    thread_id TEXT NOT NULL REFERENCES threads (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    read_seq BIGINT NOT NULL,
    read_at BIGINT NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);
CREATE INDEX thread_reads_user ON thread_reads (user_id);

-- A file sent with a message: its name sealed with the thread's key, its content
-- sealed too and kept outside the database (blob_key names it in the file store).
CREATE TABLE attachments (
    id TEXT NOT NULL PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES messages (id),
    name_enc BLOB NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    blob_key TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_message ON attachments (message_id);

-- Mail per kind of notification: a row only where the person chose (no row: mail on).
CREATE TABLE notification_settings (
    user_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    email BOOLEAN NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- The one-click unsubscribe link of one kind of mail for one person (a random token,
-- so that the link names no one).
CREATE TABLE unsubscribe_links (
    token TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX unsubscribe_links_user_kind ON unsubscribe_links (user_id, kind);

-- A participant's report of one message. The operator sees the reported message only,
-- and decides: warn or suspend the sender, or no action.
CREATE TABLE message_reports (
    id TEXT NOT NULL PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES messages (id),
    reporter_id TEXT NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    decided_by TEXT REFERENCES users (id),
    decision TEXT
);
CREATE INDEX message_reports_open ON message_reports (decided_at);

-- Warnings and suspensions of an account (after a report).
ALTER TABLE users ADD COLUMN suspended_at BIGINT;
ALTER TABLE users ADD COLUMN warned_at BIGINT;

-- Threads of what exists already: one per application, one per employment, one per
-- standing facility link.
INSERT INTO threads (id, kind, seeker_id, application_id, last_at, created_at)
    SELECT lower(hex(randomblob(16))), 'application', seeker_id, id, created_at, created_at FROM applications;
INSERT INTO threads (id, kind, seeker_id, employment_id, facility_id, last_at, created_at)
    SELECT lower(hex(randomblob(16))), 'employment', seeker_id, id, NULL, created_at, created_at FROM employments;
INSERT INTO threads (id, kind, seeker_id, facility_id, last_at, created_at)
    SELECT lower(hex(randomblob(16))), 'support', user_id, recipient_id, given_at, given_at FROM consents
    WHERE kind = 'supporter_link' AND withdrawn_at IS NULL AND recipient_id IS NOT NULL;

-- The text of the consent to the agency's reading of one company's messages.
INSERT INTO policy_versions (kind, version, published_at, requires_consent) VALUES
    ('agency_message_access', '2026-12-04', 1796342400, TRUE);

-- The recruiting agency (採用代行): a company delegates scouting and messaging to the
-- operator for a period; operator staff with the agency role act in its name. They
-- open a thread only while the seeker's own agency_message_access consent for that
-- company stands (the door checks both on every request).
CREATE TABLE operator_roles (
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, role)
);
CREATE TABLE agency_delegations (
    id TEXT NOT NULL PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations (id),
    from_date TEXT NOT NULL,
    until_date TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    ended_at BIGINT
);
CREATE INDEX agency_delegations_org ON agency_delegations (org_id);
