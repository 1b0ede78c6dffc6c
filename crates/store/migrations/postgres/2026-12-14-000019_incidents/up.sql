-- The incident register (APPI 26): each leak, what it touched, its report and notices;
-- the texts sealed with the incident's own key (who did what is in the audit log). The people affected, by id.
CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL,
    summary_enc BYTEA NOT NULL,
    kinds TEXT NOT NULL,
    cause TEXT NOT NULL,
    cause_detail_enc BYTEA NOT NULL,
    found_at BIGINT NOT NULL,
    people_estimate BIGINT NOT NULL,
    financial_risk BOOLEAN NOT NULL,
    encrypted BOOLEAN NOT NULL,
    report_enc BYTEA,
    scope TEXT NOT NULL DEFAULT '',
    preliminary_reported_at BIGINT,
    final_reported_at BIGINT,
    people_notified_at BIGINT,
    closed_at BIGINT
);
CREATE TABLE incident_people (
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (incident_id, user_id)
);
-- Reminders of the deadlines sent to the privacy officers, each once (across nodes).
CREATE TABLE incident_reminders (
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    stage TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (incident_id, stage)
);
