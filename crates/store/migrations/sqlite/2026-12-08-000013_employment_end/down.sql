ALTER TABLE employments DROP COLUMN end_reason;
ALTER TABLE employments DROP COLUMN end_date;
