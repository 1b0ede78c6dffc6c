ALTER TABLE scouts DROP COLUMN agency_user_id;
