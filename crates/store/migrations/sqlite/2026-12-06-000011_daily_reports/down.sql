DELETE FROM policy_versions WHERE kind = 'follow_up_share';
DROP TABLE report_items;
DROP TABLE daily_reports;
