DROP INDEX scouts_org_created;
ALTER TABLE applications DROP COLUMN scout_id;
ALTER TABLE scouts DROP COLUMN posting_id;
DROP TABLE company_workforce;
DROP TABLE ledger_acks;
DROP TABLE ledger_entries;
DROP TABLE interview_slots;
DROP TABLE interviews;
