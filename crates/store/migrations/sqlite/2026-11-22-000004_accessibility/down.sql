DROP TABLE barrier_reports;
