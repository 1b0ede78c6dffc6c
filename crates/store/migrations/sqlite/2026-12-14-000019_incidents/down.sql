DROP TABLE incident_people;
DROP TABLE incidents;
