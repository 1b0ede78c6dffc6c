DROP TABLE retention_holds;
DROP TABLE erased_subjects;
ALTER TABLE users DROP COLUMN erased_at;
