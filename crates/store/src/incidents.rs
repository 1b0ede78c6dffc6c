//! The incident register: the privacy officer records a leak, lists the people it
//! touched from the access log (or everyone, for a leak of the whole database), fills in
//! the report's items as the response goes on, marks the reports made, and has each
//! person told by mail. The rules (reportable? by when?) are `domain::incidents`; the
//! texts are sealed with the incident's own key. No one's data is shown here: the people
//! are counted, and told by the outbox.
use crate::error::{Result, StoreError};
use crate::schema::{audit_log, incident_people, incidents, users};
use crate::{DbConn, Keyring, Store, new_id};
use diesel::prelude::*;
use domain::incidents::{Assessment, Cause, DataKind, Facts, IncidentDraft, ReportItems, assess};

/// Whom a leak touched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Scope {
    /// Everyone whose data the access log shows was read or changed between `from` and
    /// `until` (by `actor` only, when given: e.g. an account that was taken over).
    Access {
        from: i64,
        until: i64,
        actor: Option<String>,
    },
    /// Everyone with an account at `until` (a copy of the whole database).
    Everyone { until: i64 },
}

/// An incident as the register shows it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Incident {
    pub id: String,
    pub created_at: i64,
    pub summary: String,
    pub kinds: Vec<DataKind>,
    pub cause: Cause,
    pub cause_detail: String,
    pub found_at: i64,
    pub people_estimate: i64,
    /// The people listed as affected.
    pub people_listed: i64,
    pub financial_risk: bool,
    pub encrypted: bool,
    pub report: ReportItems,
    pub scope: Option<Scope>,
    pub preliminary_reported_at: Option<i64>,
    pub final_reported_at: Option<i64>,
    pub people_notified_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub assessment: Assessment,
}

/// A step of the response, marked done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Preliminary,
    Final,
    Closed,
}

type Row = (
    String,
    i64,
    Vec<u8>,
    String,
    String,
    Vec<u8>,
    i64,
    i64,
    bool,
    bool,
    Option<Vec<u8>>,
    String,
    (Option<i64>, Option<i64>, Option<i64>, Option<i64>),
);

fn load(c: &mut DbConn, keys: &Keyring, id: Option<&str>) -> Result<Vec<Incident>> {
    let mut q = incidents::table
        .order(incidents::found_at.desc())
        .select((
            incidents::id,
            incidents::created_at,
            incidents::summary_enc,
            incidents::kinds,
            incidents::cause,
            incidents::cause_detail_enc,
            incidents::found_at,
            incidents::people_estimate,
            incidents::financial_risk,
            incidents::encrypted,
            incidents::report_enc,
            incidents::scope,
            (
                incidents::preliminary_reported_at,
                incidents::final_reported_at,
                incidents::people_notified_at,
                incidents::closed_at,
            ),
        ))
        .into_boxed();
    if let Some(id) = id {
        q = q.filter(incidents::id.eq(id.to_owned()));
    }
    let rows: Vec<Row> = q.load(c)?;
    let mut out = Vec::new();
    for (
        id,
        created_at,
        summary,
        kinds,
        cause,
        detail,
        found_at,
        estimate,
        fin,
        enc,
        report,
        scope,
        marks,
    ) in rows
    {
        let listed: i64 = incident_people::table
            .filter(incident_people::incident_id.eq(&id))
            .count()
            .get_result(c)?;
        let report = match report {
            Some(r) => serde_json::from_slice(&keys.open("incidents", "report", &id, &r)?)
                .map_err(|_| StoreError::Crypto("incident report"))?,
            None => ReportItems::default(),
        };
        let kinds: Vec<DataKind> = kinds.split(',').filter_map(DataKind::parse).collect();
        let cause = Cause::parse(&cause).unwrap_or(Cause::Other);
        let facts = Facts {
            kinds: kinds.clone(),
            cause,
            found_at,
            people: listed.max(estimate),
            financial_risk: fin,
            encrypted: enc,
        };
        out.push(Incident {
            summary: keys.open_string("incidents", "summary", &id, &summary)?,
            cause_detail: keys.open_string("incidents", "cause_detail", &id, &detail)?,
            id,
            created_at,
            kinds,
            cause,
            found_at,
            people_estimate: estimate,
            people_listed: listed,
            financial_risk: fin,
            encrypted: enc,
            report,
            scope: serde_json::from_str(&scope).ok(),
            preliminary_reported_at: marks.0,
            final_reported_at: marks.1,
            people_notified_at: marks.2,
            closed_at: marks.3,
            assessment: assess(&facts),
        });
    }
    Ok(out)
}

fn log(c: &mut DbConn, officer: &str, action: &str, id: &str, now: i64) -> Result<()> {
    crate::audit::append(
        c,
        now,
        crate::audit::Entry {
            actor_id: Some(officer.to_owned()),
            // The incident the step is about (no person's: the people are listed apart).
            subject_id: Some(format!("incident:{id}")),
            action: action.into(),
            purpose: "incident_response".into(),
            ..Default::default()
        },
    )?;
    Ok(())
}

impl Store {
    /// Records a new incident; returns its id.
    pub async fn incident_create(
        &self,
        officer: String,
        d: IncidentDraft,
        now: i64,
    ) -> Result<String> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let id = new_id();
                let key = keys.new_subject_key(&id, now)?;
                let kinds: Vec<&str> = d.kinds.iter().map(|k| k.as_str()).collect();
                diesel::insert_into(incidents::table)
                    .values((
                        incidents::id.eq(&id),
                        incidents::created_at.eq(now),
                        incidents::summary_enc.eq(key.seal_str(
                            "incidents",
                            "summary",
                            &id,
                            &d.summary,
                        )?),
                        incidents::kinds.eq(kinds.join(",")),
                        incidents::cause.eq(d.cause.as_str()),
                        incidents::cause_detail_enc.eq(key.seal_str(
                            "incidents",
                            "cause_detail",
                            &id,
                            &d.cause_detail,
                        )?),
                        incidents::found_at.eq(d.found_at),
                        incidents::people_estimate.eq(d.people_estimate),
                        incidents::financial_risk.eq(d.financial_risk),
                        incidents::encrypted.eq(d.encrypted),
                    ))
                    .execute(c)?;
                log(c, &officer, "incident.create", &id, now)?;
                Ok(id)
            })
            .await
    }

    /// Every incident, the latest found first.
    pub async fn incident_list(&self) -> Result<Vec<Incident>> {
        let keys = self.keys.clone();
        self.db.read(move |c| load(c, &keys, None)).await
    }

    pub async fn incident_get(&self, id: String) -> Result<Option<Incident>> {
        let keys = self.keys.clone();
        self.db
            .read(move |c| Ok(load(c, &keys, Some(&id))?.into_iter().next()))
            .await
    }

    /// Lists the people `scope` covers as affected (in place of an earlier list);
    /// returns how many. `None`: no such incident.
    pub async fn incident_scope(
        &self,
        officer: String,
        id: String,
        scope: Scope,
        now: i64,
    ) -> Result<Option<i64>> {
        self.db
            .write(move |c| {
                let found: i64 = incidents::table
                    .filter(incidents::id.eq(&id))
                    .count()
                    .get_result(c)?;
                if found == 0 {
                    return Ok(None);
                }
                let people: Vec<String> = match &scope {
                    Scope::Access { from, until, actor } => {
                        let mut q = audit_log::table
                            .inner_join(
                                users::table.on(audit_log::subject_id.eq(users::id.nullable())),
                            )
                            .filter(audit_log::at.ge(*from))
                            .filter(audit_log::at.le(*until))
                            .filter(users::kind.ne("operator"))
                            .select(users::id)
                            .distinct()
                            .into_boxed();
                        if let Some(a) = actor {
                            q = q
                                .filter(audit_log::actor_id.eq(a.clone()))
                                .filter(users::id.ne(a.clone()));
                        }
                        q.load(c)?
                    }
                    Scope::Everyone { until } => users::table
                        .filter(users::created_at.le(*until))
                        .filter(users::kind.ne("operator"))
                        .select(users::id)
                        .load(c)?,
                };
                diesel::delete(incident_people::table.filter(incident_people::incident_id.eq(&id)))
                    .execute(c)?;
                for u in &people {
                    diesel::insert_into(incident_people::table)
                        .values((
                            incident_people::incident_id.eq(&id),
                            incident_people::user_id.eq(u),
                        ))
                        .execute(c)?;
                }
                let text = serde_json::to_string(&scope).unwrap_or_default();
                diesel::update(incidents::table.filter(incidents::id.eq(&id)))
                    .set(incidents::scope.eq(text))
                    .execute(c)?;
                log(c, &officer, "incident.scope", &id, now)?;
                Ok(Some(people.len() as i64))
            })
            .await
    }

    /// Saves the report's items. False: no such incident.
    pub async fn incident_report(
        &self,
        officer: String,
        id: String,
        items: ReportItems,
        now: i64,
    ) -> Result<bool> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let json = serde_json::to_vec(&items)
                    .map_err(|_| StoreError::Crypto("incident report"))?;
                let Ok(key) = keys.subject_key(&id) else {
                    return Ok(false);
                };
                let n = diesel::update(incidents::table.filter(incidents::id.eq(&id)))
                    .set(incidents::report_enc.eq(Some(key.seal(
                        "incidents",
                        "report",
                        &id,
                        &json,
                    )?)))
                    .execute(c)?;
                if n == 1 {
                    log(c, &officer, "incident.report", &id, now)?;
                }
                Ok(n == 1)
            })
            .await
    }

    /// Marks a step of the response done (once). False: no such incident, or done.
    pub async fn incident_mark(
        &self,
        officer: String,
        id: String,
        step: Step,
        now: i64,
    ) -> Result<bool> {
        self.db
            .write(move |c| {
                let t = incidents::table.filter(incidents::id.eq(&id));
                let n = match step {
                    Step::Preliminary => {
                        diesel::update(t.filter(incidents::preliminary_reported_at.is_null()))
                            .set(incidents::preliminary_reported_at.eq(Some(now)))
                            .execute(c)?
                    }
                    Step::Final => diesel::update(t.filter(incidents::final_reported_at.is_null()))
                        .set(incidents::final_reported_at.eq(Some(now)))
                        .execute(c)?,
                    Step::Closed => diesel::update(t.filter(incidents::closed_at.is_null()))
                        .set(incidents::closed_at.eq(Some(now)))
                        .execute(c)?,
                };
                if n == 1 {
                    let what = match step {
                        Step::Preliminary => "incident.preliminary_reported",
                        Step::Final => "incident.final_reported",
                        Step::Closed => "incident.closed",
                    };
                    log(c, &officer, what, &id, now)?;
                }
                Ok(n == 1)
            })
            .await
    }

    /// Tells each listed person of the incident by mail, in their language (`compose`
    /// writes the mail from the language and the incident); marks them told. Returns
    /// how many mails were queued; `None`: no such incident.
    pub async fn incident_notify(
        &self,
        officer: String,
        id: String,
        now: i64,
        compose: impl Fn(&str, &Incident) -> crate::outbox::Mail + Send + 'static,
    ) -> Result<Option<usize>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let Some(incident) = load(c, &keys, Some(&id))?.into_iter().next() else {
                    return Ok(None);
                };
                let people: Vec<(String, Vec<u8>, String)> = incident_people::table
                    .inner_join(users::table.on(users::id.eq(incident_people::user_id)))
                    .filter(incident_people::incident_id.eq(&id))
                    .filter(users::closed_at.is_null())
                    .select((users::id, users::email_enc, users::lang))
                    .load(c)?;
                for (user, email, lang) in &people {
                    let mut mail = compose(lang, &incident);
                    mail.to = keys.open_string("users", "email", user, email)?;
                    crate::outbox::enqueue(&keys, c, "incident_notice", &mail, now)?;
                }
                diesel::update(incidents::table.filter(incidents::id.eq(&id)))
                    .set(incidents::people_notified_at.eq(Some(now)))
                    .execute(c)?;
                log(c, &officer, "incident.people_notified", &id, now)?;
                Ok(Some(people.len()))
            })
            .await
    }
}

/// A deadline the privacy officers are reminded of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    /// The preliminary report's window has opened (day 3).
    Preliminary,
    /// The preliminary report is past its due day.
    PreliminaryOverdue,
    /// The final report is due within a week.
    Final,
}

impl Reminder {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Preliminary => "preliminary",
            Self::PreliminaryOverdue => "preliminary_overdue",
            Self::Final => "final",
        }
    }
}

/// Days before the final report's due day that the officers are reminded.
pub const FINAL_REMINDER_DAYS: i64 = 7;

/// The reminders `i` is due at `now` (reportable, open, the report not yet made).
pub fn reminders_due(i: &Incident, now: i64) -> Vec<Reminder> {
    let a = &i.assessment;
    let mut out = Vec::new();
    if !a.reportable || i.closed_at.is_some() {
        return out;
    }
    if i.preliminary_reported_at.is_none() {
        if now >= a.preliminary_from {
            out.push(Reminder::Preliminary);
        }
        if now > a.preliminary_due {
            out.push(Reminder::PreliminaryOverdue);
        }
    }
    if i.final_reported_at.is_none() && now >= a.final_due - FINAL_REMINDER_DAYS * 86_400 {
        out.push(Reminder::Final);
    }
    out
}

impl Store {
    /// Mails every privacy officer of each deadline that has come (`compose`: the mail
    /// in an officer's language, for the incident's id, the reminder and its due time).
    /// Each reminder goes once, however many nodes sweep. Returns how many were due.
    pub async fn incident_reminders(
        &self,
        now: i64,
        compose: impl Fn(&str, &str, Reminder, i64) -> crate::outbox::Mail + Send + 'static,
    ) -> Result<usize> {
        use crate::schema::operator_roles;
        use diesel::sql_types::{BigInt, Text};
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let mut sent = 0;
                for i in load(c, &keys, None)? {
                    for r in reminders_due(&i, now) {
                        let first = diesel::sql_query(
                            "INSERT INTO incident_reminders (incident_id, stage, sent_at) \
                             VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                        )
                        .bind::<Text, _>(&i.id)
                        .bind::<Text, _>(r.as_str())
                        .bind::<BigInt, _>(now)
                        .execute(c)?;
                        if first == 0 {
                            continue;
                        }
                        let due = match r {
                            Reminder::Final => i.assessment.final_due,
                            _ => i.assessment.preliminary_due,
                        };
                        let officers: Vec<(String, Vec<u8>, String)> = operator_roles::table
                            .inner_join(users::table.on(users::id.eq(operator_roles::user_id)))
                            .filter(operator_roles::role.eq("privacy_officer"))
                            .filter(users::closed_at.is_null())
                            .select((users::id, users::email_enc, users::lang))
                            .load(c)?;
                        for (user, email, lang) in &officers {
                            let mut mail = compose(lang, &i.id, r, due);
                            mail.to = keys.open_string("users", "email", user, email)?;
                            crate::outbox::enqueue(&keys, c, "incident_reminder", &mail, now)?;
                        }
                        sent += 1;
                    }
                }
                Ok(sent)
            })
            .await
    }
}
