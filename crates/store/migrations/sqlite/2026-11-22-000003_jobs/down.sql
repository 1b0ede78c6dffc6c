DROP TABLE notifications;
DROP TABLE saved_searches;
DROP TABLE posting_reports;
DROP TABLE postings;
DROP TABLE company_profiles;
