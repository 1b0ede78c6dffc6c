DROP TABLE incident_reminders;
DROP TABLE incident_people;
DROP TABLE incidents;
