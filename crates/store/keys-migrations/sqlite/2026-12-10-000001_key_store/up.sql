-- The key store: a database apart from the data. It holds each subject's data key,
-- wrapped by the master key, and the list of subjects whose keys were destroyed (so a
-- key backup restored later never brings an erased key back).
CREATE TABLE subject_keys (
    id TEXT NOT NULL PRIMARY KEY,
    subject_id TEXT NOT NULL,
    master_key_id TEXT NOT NULL,
    wrapped BLOB NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX subject_keys_subject ON subject_keys (subject_id);
CREATE TABLE erased_subjects (
    subject_id TEXT NOT NULL PRIMARY KEY,
    erased_at BIGINT NOT NULL
);
