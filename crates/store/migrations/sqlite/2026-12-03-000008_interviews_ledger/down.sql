DROP TABLE company_workforce;
DROP TABLE ledger_acks;
DROP TABLE ledger_entries;
DROP TABLE interview_slots;
DROP TABLE interviews;
