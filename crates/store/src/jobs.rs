//! Companies' public profiles, job postings and their lifecycle (draft → submitted →
//! operator review → published → closed), confirmation dates (求人情報の的確表示) and
//! reports of inaccurate postings. Postings and company profiles are public business
//! information and are stored in clear; nothing here holds a seeker's data.
use crate::accounts::Ctx;
use crate::audit::{self, Entry};
use crate::error::{Result, StoreError};
use crate::schema::{
    company_profiles, memberships, organizations, posting_reports, postings, users,
};
use crate::{DbConn, Store, new_id};
use diesel::prelude::*;
use domain::jobs::{CompanyProfile, JobCard, Posting, Status, Step};
use domain::{Fields, OrgKind, Role};
use std::collections::HashMap;

/// A company as the public and its staff see it.
#[derive(Debug, Clone)]
pub struct Company {
    pub id: String,
    pub name: String,
    pub verified_at: Option<i64>,
    pub profile: Option<CompanyProfile>,
}

/// One posting with its lifecycle facts.
#[derive(Debug, Clone)]
pub struct PostingRow {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    pub status: Status,
    pub title: String,
    /// The form as last saved (a draft may be incomplete).
    pub fields: Vec<(String, String)>,
    pub created_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub published_at: Option<i64>,
    pub confirmed_at: Option<i64>,
    pub review_reasons: Vec<String>,
    pub review_note: String,
}

impl PostingRow {
    /// The content, when it is complete and valid.
    pub fn posting(&self) -> Option<Posting> {
        Posting::parse(&self.fields).ok()
    }
    /// In the public listings at `now`.
    pub fn is_public(&self, now: i64, stale_after_days: i64) -> bool {
        self.status == Status::Published
            && self
                .confirmed_at
                .is_some_and(|t| t >= now - stale_after_days * 86_400)
    }
}

/// Why a step was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Not this company's posting, or no such posting.
    NotFound,
    /// The step does not apply in the posting's state.
    NotAllowed,
    /// The content is incomplete or states what it may not.
    Invalid(Fields),
    /// The company's profile lacks the address or contact every posting shows.
    CompanyIncomplete,
    /// The operator has not verified the company yet.
    CompanyUnverified,
}

/// The operator's decision on a submitted posting.
#[derive(Debug, Clone)]
pub enum Review {
    Approve,
    Return { reasons: Vec<String>, note: String },
}

/// A change for the search index: a card to show, or a posting to take out.
#[derive(Debug, Clone)]
pub enum IndexChange {
    Upsert(Box<JobCard>),
    Remove(String),
}

#[derive(Debug, Clone)]
pub struct Report {
    pub id: String,
    pub posting_id: String,
    pub posting_title: String,
    pub org_name: String,
    pub reason: String,
    pub detail: String,
    pub created_at: i64,
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
    String,
);

fn row_of(r: Row) -> PostingRow {
    let (
        id,
        org_id,
        status,
        title,
        fields,
        created_at,
        updated_at,
        submitted_at,
        published_at,
        confirmed_at,
        reasons,
        note,
        org_name,
    ) = r;
    PostingRow {
        id,
        org_id,
        org_name,
        status: Status::parse(&status).unwrap_or(Status::Draft),
        title,
        fields: serde_json::from_str(&fields).unwrap_or_default(),
        created_at,
        updated_at,
        submitted_at,
        published_at,
        confirmed_at,
        review_reasons: reasons
            .and_then(|r| serde_json::from_str(&r).ok())
            .unwrap_or_default(),
        review_note: note.unwrap_or_default(),
    }
}

macro_rules! posting_select {
    () => {
        (
            postings::id,
            postings::org_id,
            postings::status,
            postings::title,
            postings::fields,
            postings::created_at,
            postings::updated_at,
            postings::submitted_at,
            postings::published_at,
            postings::confirmed_at,
            postings::review_reasons,
            postings::review_note,
            organizations::name,
        )
    };
}

pub(crate) fn load_posting(c: &mut DbConn, id: &str) -> Result<Option<PostingRow>> {
    let r: Option<Row> = postings::table
        .inner_join(organizations::table)
        .filter(postings::id.eq(id))
        .select(posting_select!())
        .first(c)
        .optional()?;
    Ok(r.map(row_of))
}

/// The company whose postings `user` may manage (admins and recruiters).
pub fn managed_company(c: &mut DbConn, user: &str) -> Result<Option<String>> {
    memberships::table
        .inner_join(organizations::table)
        .filter(memberships::user_id.eq(user))
        .filter(memberships::ended_at.is_null())
        .filter(organizations::kind.eq(OrgKind::Company.as_str()))
        .filter(memberships::role.eq_any([Role::CompanyAdmin.as_str(), Role::Recruiter.as_str()]))
        .select(organizations::id)
        .first(c)
        .optional()
        .map_err(StoreError::from)
}

fn company_profile(c: &mut DbConn, org: &str) -> Result<Option<CompanyProfile>> {
    let data: Option<String> = company_profiles::table
        .filter(company_profiles::org_id.eq(org))
        .select(company_profiles::data)
        .first(c)
        .optional()?;
    Ok(data.and_then(|d| serde_json::from_str(&d).ok()))
}

fn log(c: &mut DbConn, actor: &str, action: String, ctx: &Ctx, now: i64) -> Result<()> {
    audit::append(
        c,
        now,
        Entry {
            actor_id: Some(actor.to_owned()),
            action,
            purpose: "job_postings".into(),
            ip: ctx.ip.clone(),
            user_agent: ctx.user_agent.clone(),
            ..Entry::default()
        },
    )?;
    Ok(())
}

/// Marks a company's published postings as changed, so the index picks up a new name
/// or new accommodations.
fn touch_company_postings(c: &mut DbConn, org: &str, now: i64) -> Result<()> {
    diesel::update(
        postings::table
            .filter(postings::org_id.eq(org))
            .filter(postings::status.eq(Status::Published.as_str())),
    )
    .set(postings::updated_at.eq(now))
    .execute(c)?;
    Ok(())
}

/// The card of a public posting; `None` when it is not published or not valid.
fn card_of(row: &PostingRow, company: Option<&CompanyProfile>) -> Option<JobCard> {
    if row.status != Status::Published {
        return None;
    }
    let p = row.posting()?;
    let acc = company
        .map(|c| c.accommodations.clone())
        .unwrap_or_default();
    Some(JobCard::from_posting(
        &row.id,
        &row.org_id,
        &row.org_name,
        &acc,
        &p,
        row.published_at.unwrap_or(row.updated_at),
        row.confirmed_at.unwrap_or(0),
    ))
}

impl Store {
    pub async fn company(&self, org: String) -> Result<Option<Company>> {
        self.db
            .read(move |c| {
                let r: Option<(String, String, Option<i64>)> = organizations::table
                    .filter(organizations::id.eq(&org))
                    .filter(organizations::kind.eq(OrgKind::Company.as_str()))
                    .select((
                        organizations::id,
                        organizations::name,
                        organizations::verified_at,
                    ))
                    .first(c)
                    .optional()?;
                let Some((id, name, verified_at)) = r else {
                    return Ok(None);
                };
                let profile = company_profile(c, &id)?;
                Ok(Some(Company {
                    id,
                    name,
                    verified_at,
                    profile,
                }))
            })
            .await
    }

    /// The company `user` manages postings for.
    pub async fn managed_company(&self, user: String) -> Result<Option<String>> {
        self.db.read(move |c| managed_company(c, &user)).await
    }

    /// Saves the company profile (only its admins and recruiters may).
    pub async fn save_company(
        &self,
        user: String,
        p: CompanyProfile,
        ctx: Ctx,
        now: i64,
    ) -> Result<bool> {
        self.write_listing(move |c| {
            let Some(org) = managed_company(c, &user)? else {
                return Ok(false);
            };
            let data = serde_json::to_string(&p).map_err(|_| StoreError::Crypto("json"))?;
            diesel::delete(company_profiles::table.filter(company_profiles::org_id.eq(&org)))
                .execute(c)?;
            diesel::insert_into(company_profiles::table)
                .values((
                    company_profiles::org_id.eq(&org),
                    company_profiles::data.eq(data),
                    company_profiles::updated_at.eq(now),
                ))
                .execute(c)?;
            touch_company_postings(c, &org, now)?;
            log(c, &user, "company.profile.save".into(), &ctx, now)?;
            Ok(true)
        })
        .await
    }

    /// Companies with a profile that the operator has not verified yet.
    pub async fn companies_to_verify(&self) -> Result<Vec<Company>> {
        self.db
            .read(move |c| {
                let rows: Vec<(String, String, String)> = organizations::table
                    .inner_join(company_profiles::table)
                    .filter(organizations::verified_at.is_null())
                    .order(company_profiles::updated_at.asc())
                    .select((
                        organizations::id,
                        organizations::name,
                        company_profiles::data,
                    ))
                    .load(c)?;
                Ok(rows
                    .into_iter()
                    .map(|(id, name, data)| Company {
                        id,
                        name,
                        verified_at: None,
                        profile: serde_json::from_str(&data).ok(),
                    })
                    .collect())
            })
            .await
    }

    pub async fn verify_company(
        &self,
        operator: String,
        org: String,
        ctx: Ctx,
        now: i64,
    ) -> Result<bool> {
        self.write_listing(move |c| {
            let n = diesel::update(
                organizations::table
                    .filter(organizations::id.eq(&org))
                    .filter(organizations::kind.eq(OrgKind::Company.as_str()))
                    .filter(organizations::verified_at.is_null()),
            )
            .set(organizations::verified_at.eq(Some(now)))
            .execute(c)?;
            if n == 1 {
                touch_company_postings(c, &org, now)?;
                log(c, &operator, format!("company.verify.{org}"), &ctx, now)?;
            }
            Ok(n == 1)
        })
        .await
    }

    /// Creates a draft (`id` = None) or saves the form of an existing posting. The form
    /// is kept as typed even when incomplete, so nothing is lost; a published posting
    /// that is edited goes back to review.
    pub async fn save_posting(
        &self,
        user: String,
        id: Option<String>,
        fields: Vec<(String, String)>,
        ctx: Ctx,
        now: i64,
    ) -> Result<std::result::Result<(String, Status), Refused>> {
        self.write_listing(move |c| {
            let Some(org) = managed_company(c, &user)? else {
                return Ok(Err(Refused::NotFound));
            };
            let title: String = domain::jobs::Source::one(&fields, "title")
                .trim()
                .chars()
                .take(100)
                .collect();
            let json = serde_json::to_string(&fields).map_err(|_| StoreError::Crypto("json"))?;
            match id {
                None => {
                    let id = new_id();
                    diesel::insert_into(postings::table)
                        .values((
                            postings::id.eq(&id),
                            postings::org_id.eq(&org),
                            postings::status.eq(Status::Draft.as_str()),
                            postings::title.eq(&title),
                            postings::fields.eq(&json),
                            postings::created_by.eq(&user),
                            postings::created_at.eq(now),
                            postings::updated_at.eq(now),
                        ))
                        .execute(c)?;
                    log(c, &user, format!("posting.create.{id}"), &ctx, now)?;
                    Ok(Ok((id, Status::Draft)))
                }
                Some(id) => {
                    let Some(row) = load_posting(c, &id)?.filter(|r| r.org_id == org) else {
                        return Ok(Err(Refused::NotFound));
                    };
                    let Some(next) = row.status.after(Step::Edit) else {
                        return Ok(Err(Refused::NotAllowed));
                    };
                    if next == Status::Submitted {
                        // Content that changes goes back through review, checked in full.
                        if let Err(f) = Posting::parse(&fields) {
                            return Ok(Err(Refused::Invalid(f)));
                        }
                    }
                    diesel::update(postings::table.filter(postings::id.eq(&id)))
                        .set((
                            postings::status.eq(next.as_str()),
                            postings::title.eq(&title),
                            postings::fields.eq(&json),
                            postings::updated_at.eq(now),
                        ))
                        .execute(c)?;
                    if next == Status::Submitted && row.status != Status::Submitted {
                        diesel::update(postings::table.filter(postings::id.eq(&id)))
                            .set(postings::submitted_at.eq(Some(now)))
                            .execute(c)?;
                    }
                    log(c, &user, format!("posting.edit.{id}"), &ctx, now)?;
                    Ok(Ok((id, next)))
                }
            }
        })
        .await
    }

    /// An employer's step on its own posting: submit, close or confirm.
    pub async fn posting_step(
        &self,
        user: String,
        id: String,
        step: Step,
        ctx: Ctx,
        now: i64,
    ) -> Result<std::result::Result<Status, Refused>> {
        self.write_listing(move |c| {
            let Some(org) = managed_company(c, &user)? else {
                return Ok(Err(Refused::NotFound));
            };
            let Some(row) = load_posting(c, &id)?.filter(|r| r.org_id == org) else {
                return Ok(Err(Refused::NotFound));
            };
            let Some(next) = row.status.after(step) else {
                return Ok(Err(Refused::NotAllowed));
            };
            let target = postings::table.filter(postings::id.eq(&id));
            match step {
                Step::Submit => {
                    if let Err(f) = Posting::parse(&row.fields) {
                        return Ok(Err(Refused::Invalid(f)));
                    }
                    if !company_profile(c, &org)?.is_some_and(|p| p.is_complete()) {
                        return Ok(Err(Refused::CompanyIncomplete));
                    }
                    diesel::update(target)
                        .set((
                            postings::status.eq(next.as_str()),
                            postings::submitted_at.eq(Some(now)),
                            postings::updated_at.eq(now),
                        ))
                        .execute(c)?;
                }
                Step::Close => {
                    diesel::update(target)
                        .set((
                            postings::status.eq(next.as_str()),
                            postings::closed_at.eq(Some(now)),
                            postings::updated_at.eq(now),
                        ))
                        .execute(c)?;
                }
                Step::Confirm => {
                    diesel::update(target)
                        .set((
                            postings::confirmed_at.eq(Some(now)),
                            postings::stale_notified_at.eq(None::<i64>),
                            postings::updated_at.eq(now),
                        ))
                        .execute(c)?;
                }
                Step::Edit | Step::Approve | Step::Return => {
                    return Ok(Err(Refused::NotAllowed));
                }
            }
            log(
                c,
                &user,
                format!("posting.{}.{id}", next.as_str()),
                &ctx,
                now,
            )?;
            Ok(Ok(next))
        })
        .await
    }

    /// The operator approves a submitted posting, or returns it with reasons.
    pub async fn review_posting(
        &self,
        operator: String,
        id: String,
        review: Review,
        ctx: Ctx,
        now: i64,
        returned_mail: impl Fn(&str, &str, &str, &str, &[String]) -> crate::outbox::Mail
        + Send
        + 'static,
    ) -> Result<std::result::Result<Status, Refused>> {
        let keys = self.keys.clone();
        self.write_listing(move |c| {
            let Some(row) = load_posting(c, &id)? else {
                return Ok(Err(Refused::NotFound));
            };
            let step = match review {
                Review::Approve => Step::Approve,
                Review::Return { .. } => Step::Return,
            };
            let Some(next) = row.status.after(step) else {
                return Ok(Err(Refused::NotAllowed));
            };
            let target = postings::table.filter(postings::id.eq(&id));
            if let Review::Approve = review {
                let verified: Option<i64> = organizations::table
                    .filter(organizations::id.eq(&row.org_id))
                    .select(organizations::verified_at)
                    .first(c)?;
                if verified.is_none() {
                    return Ok(Err(Refused::CompanyUnverified));
                }
                diesel::update(target)
                    .set((
                        postings::status.eq(next.as_str()),
                        postings::published_at.eq(Some(row.published_at.unwrap_or(now))),
                        postings::confirmed_at.eq(Some(now)),
                        postings::stale_notified_at.eq(None::<i64>),
                        postings::review_reasons.eq(None::<String>),
                        postings::review_note.eq(None::<String>),
                        postings::updated_at.eq(now),
                    ))
                    .execute(c)?;
            } else if let Review::Return { reasons, note } = &review {
                let reasons: Vec<&String> = reasons
                    .iter()
                    .filter(|r| domain::jobs::RETURN_REASONS.contains(&r.as_str()))
                    .collect();
                if reasons.is_empty() {
                    let mut f = Fields::new();
                    f.add("reasons", "review-reason-required");
                    return Ok(Err(Refused::Invalid(f)));
                }
                let json =
                    serde_json::to_string(&reasons).map_err(|_| StoreError::Crypto("json"))?;
                diesel::update(target)
                    .set((
                        postings::status.eq(next.as_str()),
                        postings::review_reasons.eq(Some(json)),
                        postings::review_note
                            .eq(Some(note.trim().chars().take(2000).collect::<String>())),
                        postings::updated_at.eq(now),
                    ))
                    .execute(c)?;
                // The company hears why, in the same transaction (returned from review,
                // or taken down after publication).
                let reasons: Vec<String> = reasons.into_iter().cloned().collect();
                for (uid, email, lang) in posting_staff(c, &keys, &row.org_id)? {
                    crate::notices::enqueue_notice(
                        c,
                        &keys,
                        &uid,
                        "posting_returned",
                        returned_mail(&email, &lang, &id, &row.title, &reasons),
                        now,
                    )?;
                }
            }
            log(
                c,
                &operator,
                format!("posting.review.{}.{id}", next.as_str()),
                &ctx,
                now,
            )?;
            Ok(Ok(next))
        })
        .await
    }

    pub async fn posting(&self, id: String) -> Result<Option<PostingRow>> {
        self.db.read(move |c| load_posting(c, &id)).await
    }

    /// The postings of a company, newest change first.
    pub async fn postings_of(&self, org: String) -> Result<Vec<PostingRow>> {
        self.db
            .read(move |c| {
                let rows: Vec<Row> = postings::table
                    .inner_join(organizations::table)
                    .filter(postings::org_id.eq(&org))
                    .order(postings::updated_at.desc())
                    .select(posting_select!())
                    .load(c)?;
                Ok(rows.into_iter().map(row_of).collect())
            })
            .await
    }

    /// Postings waiting for the operator, oldest first.
    pub async fn postings_to_review(&self) -> Result<Vec<PostingRow>> {
        self.db
            .read(move |c| {
                let rows: Vec<Row> = postings::table
                    .inner_join(organizations::table)
                    .filter(postings::status.eq(Status::Submitted.as_str()))
                    .order(postings::submitted_at.asc())
                    .select(posting_select!())
                    .load(c)?;
                Ok(rows.into_iter().map(row_of).collect())
            })
            .await
    }

    /// One page (in change order) of the postings changed at or after `since` (pass
    /// `i64::MIN` for all), as index changes, and the latest change time seen. Paged so
    /// that loading a national-scale listing never holds every posting in memory at once.
    pub async fn index_changes(
        &self,
        since: i64,
        after: Option<(i64, String)>,
        limit: i64,
    ) -> Result<(Vec<IndexChange>, Option<(i64, String)>)> {
        self.db
            .read(move |c| {
                let mut q = postings::table
                    .inner_join(organizations::table)
                    .filter(postings::updated_at.ge(since))
                    .order((postings::updated_at.asc(), postings::id.asc()))
                    .limit(limit)
                    .select(posting_select!())
                    .into_boxed();
                // Keyset paging: rows changed meanwhile move to the end, none is skipped.
                if let Some((u, id)) = after {
                    q = q.filter(
                        postings::updated_at
                            .gt(u)
                            .or(postings::updated_at.eq(u).and(postings::id.gt(id))),
                    );
                }
                let rows: Vec<Row> = q.load(c)?;
                let mut profiles: HashMap<String, Option<CompanyProfile>> = HashMap::new();
                let mut cursor = None;
                let mut out = Vec::with_capacity(rows.len());
                for r in rows {
                    let row = row_of(r);
                    cursor = Some((row.updated_at, row.id.clone()));
                    if !profiles.contains_key(&row.org_id) {
                        let p = company_profile(c, &row.org_id)?;
                        profiles.insert(row.org_id.clone(), p);
                    }
                    let profile = profiles.get(&row.org_id).and_then(Option::as_ref);
                    match card_of(&row, profile) {
                        Some(card) => out.push(IndexChange::Upsert(Box::new(card))),
                        None => out.push(IndexChange::Remove(row.id)),
                    }
                }
                Ok((out, cursor))
            })
            .await
    }

    /// Anyone reports a posting as inaccurate; the report reaches the operator.
    pub async fn report_posting(
        &self,
        posting: String,
        reason: String,
        detail: String,
        now: i64,
    ) -> Result<bool> {
        self.db
            .write(move |c| {
                if load_posting(c, &posting)?.is_none() {
                    return Ok(false);
                }
                diesel::insert_into(posting_reports::table)
                    .values((
                        posting_reports::id.eq(new_id()),
                        posting_reports::posting_id.eq(&posting),
                        posting_reports::reason.eq(&reason),
                        posting_reports::detail.eq(detail
                            .trim()
                            .chars()
                            .take(2000)
                            .collect::<String>()),
                        posting_reports::created_at.eq(now),
                    ))
                    .execute(c)?;
                Ok(true)
            })
            .await
    }

    pub async fn open_reports(&self) -> Result<Vec<Report>> {
        self.db
            .read(move |c| {
                let rows: Vec<(String, String, String, String, String, i64, String)> =
                    posting_reports::table
                        .inner_join(postings::table.inner_join(organizations::table))
                        .filter(posting_reports::resolved_at.is_null())
                        .order(posting_reports::created_at.asc())
                        .select((
                            posting_reports::id,
                            posting_reports::posting_id,
                            postings::title,
                            posting_reports::reason,
                            posting_reports::detail,
                            posting_reports::created_at,
                            organizations::name,
                        ))
                        .load(c)?;
                Ok(rows
                    .into_iter()
                    .map(
                        |(id, posting_id, posting_title, reason, detail, created_at, org_name)| {
                            Report {
                                id,
                                posting_id,
                                posting_title,
                                org_name,
                                reason,
                                detail,
                                created_at,
                            }
                        },
                    )
                    .collect())
            })
            .await
    }

    pub async fn resolve_report(
        &self,
        operator: String,
        id: String,
        ctx: Ctx,
        now: i64,
    ) -> Result<bool> {
        self.write_listing(move |c| {
            let n = diesel::update(
                posting_reports::table
                    .filter(posting_reports::id.eq(&id))
                    .filter(posting_reports::resolved_at.is_null()),
            )
            .set(posting_reports::resolved_at.eq(Some(now)))
            .execute(c)?;
            if n == 1 {
                log(
                    c,
                    &operator,
                    format!("posting_report.resolve.{id}"),
                    &ctx,
                    now,
                )?;
            }
            Ok(n == 1)
        })
        .await
    }

    /// Published postings past their confirmation period whose company has not been
    /// told yet: each company's admins and recruiters get one mail per posting, queued
    /// in the same transaction that marks the posting as told.
    pub async fn stale_postings_notify(
        &self,
        now: i64,
        stale_after_days: i64,
        compose: impl Fn(&str, &str, &str, &str) -> crate::outbox::Mail + Send + 'static,
    ) -> Result<usize> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let limit = now - stale_after_days * 86_400;
                let due: Vec<(String, String, String)> = postings::table
                    .filter(postings::status.eq(Status::Published.as_str()))
                    .filter(postings::confirmed_at.lt(limit))
                    .filter(postings::stale_notified_at.is_null())
                    .select((postings::id, postings::org_id, postings::title))
                    .load(c)?;
                for (id, org, title) in &due {
                    for (uid, email, lang) in posting_staff(c, &keys, org)? {
                        crate::notices::enqueue_notice(
                            c,
                            &keys,
                            &uid,
                            "posting_stale",
                            compose(&email, &lang, id, title),
                            now,
                        )?;
                    }
                    diesel::update(postings::table.filter(postings::id.eq(id)))
                        .set((
                            postings::stale_notified_at.eq(Some(now)),
                            postings::updated_at.eq(now),
                        ))
                        .execute(c)?;
                }
                Ok(due.len())
            })
            .await
    }
}

/// The people of a company who look after its postings (its admins and recruiters):
/// id, address, language.
fn posting_staff(
    c: &mut DbConn,
    keys: &crate::Keyring,
    org: &str,
) -> Result<Vec<(String, String, String)>> {
    let staff: Vec<(String, Vec<u8>, String)> = memberships::table
        .inner_join(users::table)
        .filter(memberships::org_id.eq(org))
        .filter(memberships::ended_at.is_null())
        .filter(users::closed_at.is_null())
        .filter(memberships::role.eq_any([Role::CompanyAdmin.as_str(), Role::Recruiter.as_str()]))
        .select((users::id, users::email_enc, users::lang))
        .load(c)?;
    staff
        .into_iter()
        .map(|(uid, enc, lang)| {
            let email = keys.open_string("users", "email", &uid, &enc)?;
            Ok((uid, email, lang))
        })
        .collect()
}

/// Writes a company profile directly, optionally verified (demo data and the benchmark).
pub fn seed_company(
    c: &mut DbConn,
    org: &str,
    p: &CompanyProfile,
    verified_at: Option<i64>,
    now: i64,
) -> Result<()> {
    let data = serde_json::to_string(p).map_err(|_| StoreError::Crypto("json"))?;
    diesel::delete(company_profiles::table.filter(company_profiles::org_id.eq(org))).execute(c)?;
    diesel::insert_into(company_profiles::table)
        .values((
            company_profiles::org_id.eq(org),
            company_profiles::data.eq(data),
            company_profiles::updated_at.eq(now),
        ))
        .execute(c)?;
    diesel::update(organizations::table.filter(organizations::id.eq(org)))
        .set(organizations::verified_at.eq(verified_at))
        .execute(c)?;
    Ok(())
}

/// Writes a published posting directly (demo data and the benchmark). Returns its id.
pub fn seed_published(
    c: &mut DbConn,
    org: &str,
    author: &str,
    p: &Posting,
    published_at: i64,
    confirmed_at: i64,
) -> Result<String> {
    let id = new_id();
    let json = serde_json::to_string(&p.to_fields()).map_err(|_| StoreError::Crypto("json"))?;
    diesel::insert_into(postings::table)
        .values((
            postings::id.eq(&id),
            postings::org_id.eq(org),
            postings::status.eq(Status::Published.as_str()),
            postings::title.eq(&p.title),
            postings::fields.eq(json),
            postings::created_by.eq(author),
            postings::created_at.eq(published_at),
            postings::updated_at.eq(confirmed_at),
            postings::submitted_at.eq(Some(published_at)),
            postings::published_at.eq(Some(published_at)),
            postings::confirmed_at.eq(Some(confirmed_at)),
        ))
        .execute(c)?;
    Ok(id)
}

/// Creates a company with no members (generated data for the benchmark).
pub fn seed_org(c: &mut DbConn, name: &str, now: i64) -> Result<String> {
    let id = new_id();
    diesel::insert_into(organizations::table)
        .values((
            organizations::id.eq(&id),
            organizations::kind.eq(OrgKind::Company.as_str()),
            organizations::name.eq(name),
            organizations::created_at.eq(now),
            organizations::invite_code.eq(crate::profiles::facility::new_code()),
        ))
        .execute(c)?;
    Ok(id)
}
