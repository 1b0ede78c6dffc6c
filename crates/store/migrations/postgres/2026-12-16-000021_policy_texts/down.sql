ALTER TABLE consents DROP COLUMN declined;
ALTER TABLE policy_versions DROP COLUMN published_by;
ALTER TABLE policy_versions DROP COLUMN text_easy;
ALTER TABLE policy_versions DROP COLUMN text_ja;
ALTER TABLE policy_versions DROP COLUMN summary_easy;
ALTER TABLE policy_versions DROP COLUMN summary_ja;
