DROP TABLE employments;
DROP TABLE application_internal;
DROP TABLE application_events;
DROP INDEX applications_posting;
ALTER TABLE applications DROP COLUMN updated_at;
ALTER TABLE applications DROP COLUMN supporter_joins;
ALTER TABLE applications DROP COLUMN message_enc;
ALTER TABLE applications DROP COLUMN stage;
ALTER TABLE applications DROP COLUMN posting_id;
