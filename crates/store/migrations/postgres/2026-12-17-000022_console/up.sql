-- A purpose an operator's staff member states before opening a person's record in the
-- console (who, whose, which purpose, why in their words (sealed with the person's key), until when it stands). Every
-- statement is also an audit-log entry.
CREATE TABLE stated_purposes (
    id TEXT PRIMARY KEY NOT NULL,
    staff_id TEXT NOT NULL REFERENCES users(id),
    subject_id TEXT NOT NULL REFERENCES users(id),
    purpose TEXT NOT NULL,
    note_enc BYTEA NOT NULL,
    stated_at BIGINT NOT NULL,
    until_at BIGINT NOT NULL
);
CREATE INDEX stated_purposes_by_staff ON stated_purposes (staff_id, subject_id, until_at);
-- Suspensions (利用停止) by the operator and their lifting, with the reason; the
-- account's suspended_at says whether one stands now. `seq` orders one account's actions
-- (two in the same second keep their order).
CREATE TABLE account_actions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    seq BIGINT NOT NULL,
    action TEXT NOT NULL,
    reason TEXT NOT NULL,
    note_enc BYTEA NOT NULL,
    actor_id TEXT NOT NULL REFERENCES users(id),
    at BIGINT NOT NULL
);
CREATE UNIQUE INDEX account_actions_by_user ON account_actions (user_id, seq);
