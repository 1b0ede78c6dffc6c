-- When someone leaves: the last day worked and why (domain::retention::END_REASONS),
-- recorded by the company; the retention figures (定着率) are computed from them.
ALTER TABLE employments ADD COLUMN end_date TEXT;
ALTER TABLE employments ADD COLUMN end_reason TEXT;
