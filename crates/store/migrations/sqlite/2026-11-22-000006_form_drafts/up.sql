-- Drafts of forms, kept on the server so nothing typed is lost: steps of a flow
-- (registration, a profile section before "save"), and a form sent after the session
-- timed out. Owner is 'u:' + a user id, or 'v:' + the SHA-256 of a visitor's draft
-- cookie. Each draft is sealed with a key of its own; deleting it erases that key.
CREATE TABLE form_drafts (
    id TEXT NOT NULL PRIMARY KEY,
    owner TEXT NOT NULL,
    flow TEXT NOT NULL,
    data_enc BLOB NOT NULL,
    updated_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX form_drafts_owner_flow ON form_drafts (owner, flow);
CREATE INDEX form_drafts_expiry ON form_drafts (expires_at);
