-- Policy versions the privacy officer publishes: what changed and the full text, in
-- Japanese and in easy Japanese, and who published it. The versions seeded by earlier
-- migrations have no text of their own (the built-in page is their text).
ALTER TABLE policy_versions ADD COLUMN summary_ja TEXT;
ALTER TABLE policy_versions ADD COLUMN summary_easy TEXT;
ALTER TABLE policy_versions ADD COLUMN text_ja TEXT;
ALTER TABLE policy_versions ADD COLUMN text_easy TEXT;
ALTER TABLE policy_versions ADD COLUMN published_by TEXT;
-- A decision not to consent to a version is a consent record too (withdrawn at once).
ALTER TABLE consents ADD COLUMN declined BOOLEAN NOT NULL DEFAULT FALSE;
