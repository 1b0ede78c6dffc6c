DROP TABLE email_checks;
ALTER TABLE users DROP COLUMN email_verified_at;
