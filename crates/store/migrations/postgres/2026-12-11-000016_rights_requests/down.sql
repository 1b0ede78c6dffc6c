ALTER TABLE users DROP COLUMN provision_stopped_at;
ALTER TABLE users DROP COLUMN use_suspended_at;
DROP TABLE rights_requests;
