DROP TABLE erased_subjects;
DROP TABLE subject_keys;
