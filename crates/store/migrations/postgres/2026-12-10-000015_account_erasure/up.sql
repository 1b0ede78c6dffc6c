-- 退会 and erasure. `users.erased_at`: when the retention run erased a closed account
-- (its data key destroyed, its rows removed; claimed by one conditional update, so
-- once across nodes). `erased_subjects`: every subject whose data key was destroyed,
-- kept beside the data as well as in the key store, so that restoring a key backup can
-- never bring an erased key back, even when the key store itself was restored.
-- (Data keys now live in the key store, a database apart; `subject_keys` here stays
-- empty: keys found in it are moved to the key store at start-up.)
ALTER TABLE users ADD COLUMN erased_at BIGINT;
CREATE TABLE erased_subjects (
    subject_id TEXT NOT NULL PRIMARY KEY,
    erased_at BIGINT NOT NULL
);
-- Records that must outlive an erased account (支援記録 and monthly reports: 5 years)
-- are sealed again, at the erasure, under a key of their own; this says until when
-- that key is kept before the retention run destroys it too.
CREATE TABLE retention_holds (
    subject_id TEXT NOT NULL PRIMARY KEY,
    owner_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    until_at BIGINT NOT NULL
);
