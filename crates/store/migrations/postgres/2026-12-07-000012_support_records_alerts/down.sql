DROP TABLE alerts;
DROP TABLE alert_rules;
DROP TABLE report_comments;
DROP TABLE support_records;
