-- A scout the operator's agency staff sent in a delegating company's name (採用代行):
-- the staff member, so that the seeker and the company see it was the agency.
ALTER TABLE scouts ADD COLUMN agency_user_id TEXT NULL REFERENCES users (id);
