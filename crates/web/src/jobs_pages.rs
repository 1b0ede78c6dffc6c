//! Pages for jobs: search and job pages for everyone, the company profile and postings
//! for employers, review for the operator, recommendations and saved searches for
//! seekers. Postings and company profiles are public business information; everything
//! shown of a seeker (recommended candidates) comes through the store's one door.
use crate::error::{Failure, WebResult};
use crate::guard::{Req, Viewer};
use crate::i18n::{Lang, Tr};
use crate::listings::{PAGE_SIZE, Typed};
use crate::profile_pages::{field_errors, label, lines, prefecture_name, see_other};
use crate::seekers::today;
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use domain::jobs::{
    self, CompanyProfile, ContractType, INDUSTRIES, INSURANCE, JobCard, Posting, REPORT_REASONS,
    RETURN_REASONS, Remote, SIZES, Smoking, Status, Step, WageUnit,
};
use domain::matching::{self, Match, Needs, Reason};
use domain::taxonomy::{ACCOMMODATIONS, JOB_CATEGORIES, PREFECTURES};
use domain::{Fields, UserKind};
use std::collections::HashMap;
use std::sync::Arc;
use store::disclosure::SeekerView;
use store::jobs::{Company, PostingRow, Refused, Review};

type FormData = Form<Vec<(String, String)>>;
type Lines = Vec<(String, String)>;

fn viewer(req: &Req) -> WebResult<&Viewer> {
    req.viewer.as_ref().ok_or(Failure::Unauthorized)
}

// ------------------------------------------------------------------ words

pub fn date_text(ts: i64, lang: Lang) -> String {
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp(ts) else {
        return String::new();
    };
    let t = t.to_offset(time::macros::offset!(+9));
    match lang {
        Lang::Ja | Lang::Easy => format!("{}年{}月{}日", t.year(), u8::from(t.month()), t.day()),
        Lang::En => format!("{}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()),
    }
}

fn yen(n: u32, lang: Lang) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    match lang {
        Lang::Ja | Lang::Easy => format!("{out}円"),
        Lang::En => format!("¥{out}"),
    }
}

pub fn wage_text(tr: &Tr, unit: WageUnit, min: u32, max: Option<u32>) -> String {
    let range = match max {
        Some(m) if m > min => format!("{}〜{}", yen(min, tr.lang), yen(m, tr.lang)),
        _ => format!("{}〜", yen(min, tr.lang)),
    };
    format!("{} {range}", tr.t(&format!("wage-unit-{}", unit.as_str())))
}

fn entry_label(lang: Lang, list: &[domain::taxonomy::Entry], code: &str) -> String {
    list.iter()
        .find(|e| e.0 == code)
        .map(|e| label(lang, e))
        .unwrap_or_else(|| code.to_owned())
}

fn labels(lang: Lang, list: &[domain::taxonomy::Entry], codes: &[String]) -> String {
    let sep = if lang.is_japanese() { "、" } else { ", " };
    codes
        .iter()
        .map(|c| entry_label(lang, list, c))
        .collect::<Vec<_>>()
        .join(sep)
}

/// A job card as one result line.
pub struct CardView {
    pub id: String,
    pub title: String,
    pub company: String,
    pub place: String,
    pub wage: String,
    pub hours: String,
    pub employment: String,
    pub accommodations: String,
    pub snippet: String,
}

fn card_view(tr: &Tr, c: &JobCard) -> CardView {
    let lang = tr.lang;
    let remote = match c.remote {
        Remote::None => String::new(),
        r => format!(" / {}", tr.t(&format!("remote-{}", r.as_str()))),
    };
    CardView {
        id: c.id.clone(),
        title: c.title.clone(),
        company: c.company_name.clone(),
        place: format!("{} {}{remote}", prefecture_name(lang, c.prefecture), c.city),
        wage: wage_text(tr, c.wage_unit, c.wage_min, c.wage_max),
        hours: tr.tn(
            "job-hours",
            &[
                ("hours", &c.hours_per_week.to_string()),
                ("days", &c.days_per_week.to_string()),
            ],
        ),
        employment: tr.t(&format!(
            "employment-{}",
            jobs::employment_code(c.employment_type)
        )),
        accommodations: labels(lang, ACCOMMODATIONS, &c.accommodations),
        snippet: c.body.lines().next().unwrap_or("").to_owned(),
    }
}

/// A matching reason in plain words.
pub fn reason_text(tr: &Tr, r: &Reason) -> (bool, String) {
    match r {
        Reason::Category { met } => (
            *met,
            tr.t(if *met {
                "match-category-met"
            } else {
                "match-category-unmet"
            }),
        ),
        Reason::Place { met, remote } => (
            *met,
            tr.t(match (met, remote) {
                (true, _) => "match-place-met",
                (false, true) => "match-place-unmet-remote",
                (false, false) => "match-place-unmet",
            }),
        ),
        Reason::Hours { met, job, want } => (
            *met,
            tr.tn(
                if *met {
                    "match-hours-met"
                } else {
                    "match-hours-unmet"
                },
                &[("job", &job.to_string()), ("want", &want.to_string())],
            ),
        ),
        Reason::Wage { met, job, want } => (
            *met,
            tr.tn(
                if *met {
                    "match-wage-met"
                } else {
                    "match-wage-unmet"
                },
                &[("job", &yen(*job, tr.lang)), ("want", &yen(*want, tr.lang))],
            ),
        ),
        Reason::Employment { met, job } => (
            *met,
            tr.t1(
                if *met {
                    "match-employment-met"
                } else {
                    "match-employment-unmet"
                },
                "job",
                &tr.t(&format!("employment-{job}")),
            ),
        ),
        Reason::Skills { matched, missing } => {
            let sep = if tr.lang.is_japanese() { "、" } else { ", " };
            let text = match (matched.is_empty(), missing.is_empty()) {
                (_, true) if !matched.is_empty() => {
                    tr.t1("match-skills-all", "matched", &matched.join(sep))
                }
                (true, _) => tr.t1("match-skills-none", "missing", &missing.join(sep)),
                _ => tr.tn(
                    "match-skills-some",
                    &[
                        ("matched", &matched.join(sep)),
                        ("missing", &missing.join(sep)),
                    ],
                ),
            };
            (missing.is_empty(), text)
        }
        Reason::Accommodation { code, covered } => (
            *covered,
            tr.t1(
                if *covered {
                    "match-acc-covered"
                } else {
                    "match-acc-missing"
                },
                "name",
                &entry_label(tr.lang, ACCOMMODATIONS, code),
            ),
        ),
    }
}

pub struct MatchView {
    pub score: u8,
    /// (met, text)
    pub reasons: Vec<(bool, String)>,
}

fn match_view(tr: &Tr, m: &Match) -> MatchView {
    MatchView {
        score: m.score,
        reasons: m.reasons.iter().map(|r| reason_text(tr, r)).collect(),
    }
}

// ------------------------------------------------------------------ generic form fields

/// One form control. `kind`: text, area, select, checks, radios, check.
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub hint: String,
    pub kind: &'static str,
    pub value: String,
    pub values: Vec<String>,
    pub options: Vec<(String, String)>,
    pub error: Option<String>,
    pub autocomplete: &'static str,
    pub inputmode: &'static str,
}

impl Field {
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("f-{}-hint", self.name));
        }
        if self.error.is_some() {
            ids.push(format!("f-{}-error", self.name));
        }
        ids.join(" ")
    }
    pub fn on(&self, v: &str) -> bool {
        self.values.iter().any(|x| x == v)
    }
}

/// Builds fields from what was typed, with labels `{prefix}-{name}` and optional hints
/// `{prefix}-{name}-hint`.
pub(crate) struct Builder<'a> {
    pub(crate) tr: &'a Tr,
    pub(crate) prefix: &'static str,
    pub(crate) typed: &'a [(String, String)],
    pub(crate) errors: HashMap<String, String>,
}

impl Builder<'_> {
    fn base(&self, name: &'static str, kind: &'static str) -> Field {
        let hint_key = format!("{}-{name}-hint", self.prefix);
        Field {
            name,
            label: self.tr.t(&format!("{}-{name}", self.prefix)),
            hint: if self.tr.has(&hint_key) {
                self.tr.t(&hint_key)
            } else {
                String::new()
            },
            kind,
            value: self
                .typed
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
            values: self
                .typed
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .collect(),
            options: Vec::new(),
            error: self.errors.get(name).cloned(),
            autocomplete: "off",
            inputmode: "",
        }
    }
    pub(crate) fn text(&self, name: &'static str) -> Field {
        self.base(name, "text")
    }
    pub(crate) fn auto(&self, name: &'static str, autocomplete: &'static str) -> Field {
        Field {
            autocomplete,
            ..self.base(name, "text")
        }
    }
    fn number(&self, name: &'static str) -> Field {
        Field {
            inputmode: "numeric",
            ..self.base(name, "text")
        }
    }
    pub(crate) fn area(&self, name: &'static str) -> Field {
        self.base(name, "area")
    }
    fn select(&self, name: &'static str, options: Vec<(String, String)>) -> Field {
        Field {
            options,
            ..self.base(name, "select")
        }
    }
    pub(crate) fn radios(&self, name: &'static str, options: Vec<(String, String)>) -> Field {
        Field {
            options,
            ..self.base(name, "radios")
        }
    }
    fn checks(&self, name: &'static str, options: Vec<(String, String)>) -> Field {
        Field {
            options,
            ..self.base(name, "checks")
        }
    }
    fn check(&self, name: &'static str) -> Field {
        self.base(name, "check")
    }
}

pub(crate) fn errors_map(
    tr: &Tr,
    fields: &Fields,
) -> (HashMap<String, String>, Vec<(String, String)>) {
    let list = field_errors(tr, fields);
    (list.iter().cloned().collect(), list)
}

fn entries(lang: Lang, list: &[domain::taxonomy::Entry]) -> Vec<(String, String)> {
    list.iter()
        .map(|e| (e.0.to_owned(), label(lang, e)))
        .collect()
}

fn prefectures(lang: Lang) -> Vec<(String, String)> {
    PREFECTURES
        .iter()
        .map(|(c, ja, en)| {
            (
                c.to_string(),
                if lang.is_japanese() {
                    (*ja).into()
                } else {
                    (*en).into()
                },
            )
        })
        .collect()
}

fn keyed(tr: &Tr, prefix: &str, codes: &[&str]) -> Vec<(String, String)> {
    codes
        .iter()
        .map(|c| ((*c).to_owned(), tr.t(&format!("{prefix}-{c}"))))
        .collect()
}

// ------------------------------------------------------------------ search

#[derive(Template)]
#[template(path = "jobs.html")]
struct SearchPage {
    c: Chrome,
    fields: Vec<Field>,
    acc: Field,
    errors: Vec<(String, String)>,
    total: usize,
    from: usize,
    to: usize,
    cards: Vec<CardView>,
    query: String,
    prev: Option<String>,
    next: Option<String>,
    page: usize,
    pages: usize,
    may_save: bool,
}

fn search_fields(
    tr: &Tr,
    typed: &[(String, String)],
    errors: HashMap<String, String>,
) -> (Vec<Field>, Field) {
    let b = Builder {
        tr,
        prefix: "sf",
        typed,
        errors,
    };
    let lang = tr.lang;
    let fields = vec![
        b.text("q"),
        b.select("pref", prefectures(lang)),
        b.select("cat", entries(lang, JOB_CATEGORIES)),
        b.select("emp", keyed(tr, "employment", jobs::POSTING_EMPLOYMENT)),
        b.number("hours_min"),
        b.number("hours_max"),
        b.number("wage_min"),
        b.check("remote"),
        b.select("sort", keyed(tr, "sort", &["relevance", "new", "wage"])),
    ];
    let acc = b.checks("acc", entries(lang, ACCOMMODATIONS));
    (fields, acc)
}

pub async fn search_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    RawQuery(raw): RawQuery,
) -> WebResult<Response> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.as_deref().unwrap_or("")).unwrap_or_default();
    let typed = Typed::from_pairs(&pairs);
    let tr = req.tr();
    let may_save = req
        .viewer
        .as_ref()
        .is_some_and(|v| v.kind == UserKind::Seeker);
    let mut page = SearchPage {
        c: Chrome::new(&req),
        fields: vec![],
        acc: search_fields(&tr, &[], HashMap::new()).1,
        errors: vec![],
        total: 0,
        from: 0,
        to: 0,
        cards: vec![],
        query: typed.query_string(),
        prev: None,
        next: None,
        page: typed.page,
        pages: 0,
        may_save,
    };
    match typed.parse() {
        Err(f) => {
            let (map, list) = errors_map(&tr, &f);
            (page.fields, page.acc) = search_fields(&tr, &pairs, map);
            page.errors = list;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
        }
        Ok(q) => {
            let listings = app.listings.clone();
            let hits = tokio::task::spawn_blocking(move || listings.index.search(&q, now()))
                .await
                .map_err(|_| Failure::Internal)?
                .map_err(|e| {
                    tracing::error!(error = %e, "search failed");
                    Failure::Internal
                })?;
            (page.fields, page.acc) = search_fields(&tr, &pairs, HashMap::new());
            page.total = hits.total;
            page.pages = hits.total.div_ceil(PAGE_SIZE);
            page.from = if hits.cards.is_empty() {
                0
            } else {
                (typed.page - 1) * PAGE_SIZE + 1
            };
            page.to = page.from + hits.cards.len().saturating_sub(1);
            page.cards = hits.cards.iter().map(|c| card_view(&tr, c)).collect();
            let link = |p: usize| {
                let sep = if page.query.is_empty() { "" } else { "&" };
                format!("/jobs?{}{sep}page={p}", page.query)
            };
            if typed.page > 1 && typed.page <= page.pages + 1 {
                page.prev = Some(link(typed.page - 1));
            }
            if typed.page < page.pages {
                page.next = Some(link(typed.page + 1));
            }
            Ok(html(&page))
        }
    }
}

// ------------------------------------------------------------------ job page

#[derive(Template)]
#[template(path = "job.html")]
struct JobPage {
    c: Chrome,
    id: String,
    title: String,
    company_id: String,
    company_name: String,
    as_of: String,
    status: Option<String>,
    review: Option<(Vec<String>, String)>,
    sections: Vec<(String, Lines)>,
    employer: Lines,
    json_ld: String,
    fit: Option<MatchView>,
    operator: bool,
    return_reasons: Vec<(String, String)>,
    errors: Vec<(String, String)>,
    unverified: bool,
}

/// The posting as labelled lines, grouped as job seekers read them.
fn posting_sections(tr: &Tr, p: &Posting) -> Vec<(String, Lines)> {
    let lang = tr.lang;
    let l = |k: &str, v: String| (tr.t(&format!("pf-{k}")), v);
    let mut contract = vec![
        l(
            "employment_type",
            tr.t(&format!(
                "employment-{}",
                jobs::employment_code(p.employment_type)
            )),
        ),
        l(
            "contract_type",
            tr.t(&format!("contract-{}", p.contract_type.as_str())),
        ),
    ];
    if p.contract_type == ContractType::FixedTerm {
        contract.push(l("contract_period", p.contract_period.clone()));
        contract.push(l("renewal_rule", p.renewal_rule.clone()));
        contract.push(l("renewal_cap", p.renewal_cap.clone()));
    }
    contract.push(l("probation", p.probation.clone()));
    let none = tr.t("none-stated");
    vec![
        (
            tr.t("job-section-work"),
            vec![
                l("category", entry_label(lang, JOB_CATEGORIES, &p.category)),
                l("duties", p.duties.clone()),
                l("duties_change_scope", p.duties_change_scope.clone()),
                l("openings", p.openings.to_string()),
            ],
        ),
        (tr.t("job-section-contract"), contract),
        (
            tr.t("job-section-place"),
            vec![
                l(
                    "address",
                    format!("{} {}", prefecture_name(lang, p.prefecture), p.address),
                ),
                l("workplace_change_scope", p.workplace_change_scope.clone()),
                l("remote", tr.t(&format!("remote-{}", p.remote.as_str()))),
                l(
                    "smoking",
                    format!(
                        "{} {}",
                        tr.t(&format!("smoking-{}", p.smoking.as_str())),
                        p.smoking_note
                    )
                    .trim()
                    .to_owned(),
                ),
            ],
        ),
        (
            tr.t("job-section-hours"),
            vec![
                l("working_hours", p.working_hours.clone()),
                l("breaks", p.breaks.clone()),
                l(
                    "hours_per_week",
                    tr.tn(
                        "job-hours",
                        &[
                            ("hours", &p.hours_per_week.to_string()),
                            ("days", &p.days_per_week.to_string()),
                        ],
                    ),
                ),
                l("holidays", p.holidays.clone()),
                l("overtime", p.overtime.clone()),
            ],
        ),
        (
            tr.t("job-section-pay"),
            vec![
                l(
                    "wage_min",
                    wage_text(tr, p.wage_unit, p.wage_min, p.wage_max),
                ),
                l(
                    "wage_notes",
                    if p.wage_notes.is_empty() {
                        none.clone()
                    } else {
                        p.wage_notes.clone()
                    },
                ),
                l(
                    "insurance",
                    if p.insurance.is_empty() {
                        none.clone()
                    } else {
                        labels(lang, INSURANCE, &p.insurance)
                    },
                ),
            ],
        ),
        (
            tr.t("job-section-support"),
            vec![
                l(
                    "accommodations",
                    if p.accommodations.is_empty() {
                        none.clone()
                    } else {
                        labels(lang, ACCOMMODATIONS, &p.accommodations)
                    },
                ),
                l(
                    "accommodation_note",
                    if p.accommodation_note.is_empty() {
                        none.clone()
                    } else {
                        p.accommodation_note.clone()
                    },
                ),
                l(
                    "required_skills",
                    if p.required_skills.is_empty() {
                        none.clone()
                    } else {
                        p.required_skills.join("、")
                    },
                ),
                l(
                    "welcome_skills",
                    if p.welcome_skills.is_empty() {
                        none
                    } else {
                        p.welcome_skills.join("、")
                    },
                ),
            ],
        ),
    ]
}

/// schema.org JobPosting, safe to place inside a `<script>` element.
pub fn json_ld(
    row: &PostingRow,
    p: &Posting,
    company: &Company,
    base: &str,
    stale_days: i64,
) -> String {
    let unit = match p.wage_unit {
        WageUnit::Hourly => "HOUR",
        WageUnit::Daily => "DAY",
        WageUnit::Monthly => "MONTH",
        WageUnit::Annual => "YEAR",
    };
    let employment = match p.employment_type {
        domain::profile::EmploymentType::FullTime => "FULL_TIME",
        domain::profile::EmploymentType::PartTime => "PART_TIME",
        _ => "TEMPORARY",
    };
    let iso = |ts: i64| {
        time::OffsetDateTime::from_unix_timestamp(ts)
            .ok()
            .and_then(|t| {
                t.to_offset(time::macros::offset!(+9))
                    .format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .unwrap_or_default()
    };
    let (pref_ja, _) = domain::taxonomy::prefecture(p.prefecture).unwrap_or(("", ""));
    let mut v = serde_json::json!({
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": p.title,
        "description": format!("{}\n\n{}", p.duties, p.accommodation_note).trim().to_owned(),
        "datePosted": iso(row.published_at.unwrap_or(row.updated_at)),
        "validThrough": iso(row.confirmed_at.unwrap_or(row.updated_at) + stale_days * 86_400),
        "employmentType": employment,
        "hiringOrganization": {
            "@type": "Organization",
            "name": company.name,
            "sameAs": format!("{base}/companies/{}", company.id),
        },
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressCountry": "JP",
                "addressRegion": pref_ja,
                "addressLocality": p.city,
                "streetAddress": p.address,
            }
        },
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "JPY",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": p.wage_min,
                "maxValue": p.wage_max.unwrap_or(p.wage_min),
                "unitText": unit,
            }
        },
        "totalJobOpenings": p.openings,
        "url": format!("{base}/jobs/{}", row.id),
    });
    if p.remote == Remote::Full
        && let Some(o) = v.as_object_mut()
    {
        o.insert("jobLocationType".into(), "TELECOMMUTE".into());
    }
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Whether the viewer works for the posting's company.
async fn own_company(app: &AppState, req: &Req, org: &str) -> WebResult<bool> {
    let Some(v) = req.viewer.as_ref().filter(|v| v.kind == UserKind::Employer) else {
        return Ok(false);
    };
    Ok(app
        .store
        .managed_company(v.user_id.clone())
        .await?
        .as_deref()
        == Some(org))
}

fn company_lines(tr: &Tr, company: &Company) -> Lines {
    let Some(p) = &company.profile else {
        return vec![(tr.t("cf-name"), company.name.clone())];
    };
    vec![
        (tr.t("cf-name"), company.name.clone()),
        (
            tr.t("cf-address"),
            format!("{} {}", prefecture_name(tr.lang, p.prefecture), p.address),
        ),
        (tr.t("cf-contact_department"), p.contact_department.clone()),
        (tr.t("cf-contact_phone"), p.contact_phone.clone()),
        (tr.t("cf-contact_email"), p.contact_email.clone()),
    ]
}

async fn job_page_for(
    app: &AppState,
    req: &Req,
    id: String,
    errors: Vec<(String, String)>,
) -> WebResult<Response> {
    let row = app
        .store
        .posting(id.clone())
        .await?
        .ok_or(Failure::NotFound)?;
    let operator = req
        .viewer
        .as_ref()
        .is_some_and(|v| v.kind == UserKind::Operator);
    let own = own_company(app, req, &row.org_id).await?;
    let public = row.is_public(now(), app.cfg.stale_after_days);
    if !(public || own || operator) {
        return Err(Failure::NotFound);
    }
    let company = app
        .store
        .company(row.org_id.clone())
        .await?
        .ok_or(Failure::NotFound)?;
    let tr = req.tr();
    let posting = row.posting();
    let sections = posting
        .as_ref()
        .map(|p| posting_sections(&tr, p))
        .unwrap_or_default();
    let json_ld = match (&posting, public) {
        (Some(p), true) => json_ld(
            &row,
            p,
            &company,
            &app.cfg.public_url,
            app.cfg.stale_after_days,
        ),
        _ => String::new(),
    };
    let fit = match (&req.viewer, &posting) {
        (Some(v), Some(_)) if v.kind == UserKind::Seeker && public => {
            let profile = app.store.own_profile(v.user_id.clone(), today()).await?;
            let needs = Needs::from_profile(&profile);
            app.listings
                .index
                .card(&row.id)
                .map(|card| match_view(&tr, &matching::score(&needs, &card)))
        }
        _ => None,
    };
    let status =
        (!public || own || operator).then(|| tr.t(&format!("status-{}", row.status.as_str())));
    let review = (!row.review_reasons.is_empty()).then(|| {
        (
            row.review_reasons
                .iter()
                .map(|r| tr.t(&format!("return-reason-{r}")))
                .collect(),
            row.review_note.clone(),
        )
    });
    let page = JobPage {
        c: Chrome::new(req),
        id: row.id.clone(),
        title: row.title.clone(),
        company_id: company.id.clone(),
        company_name: company.name.clone(),
        as_of: date_text(row.confirmed_at.unwrap_or(row.updated_at), tr.lang),
        status,
        review,
        sections,
        employer: company_lines(&tr, &company),
        json_ld,
        fit,
        operator: operator && row.status == Status::Submitted,
        return_reasons: keyed(&tr, "return-reason", RETURN_REASONS),
        unverified: company.verified_at.is_none(),
        errors,
    };
    Ok(html(&page))
}

pub async fn job_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    job_page_for(&app, &req, id, vec![]).await
}

// ------------------------------------------------------------------ reports

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    c: Chrome,
    id: String,
    title: String,
    fields: Vec<Field>,
    errors: Vec<(String, String)>,
}

fn report_page(
    req: &Req,
    id: String,
    title: String,
    typed: &[(String, String)],
    f: &Fields,
) -> ReportPage {
    let tr = req.tr();
    let (map, errors) = errors_map(&tr, f);
    let b = Builder {
        tr: &tr,
        prefix: "rf",
        typed,
        errors: map,
    };
    ReportPage {
        c: Chrome::new(req),
        id,
        title,
        fields: vec![
            b.radios("reason", keyed(&tr, "report-reason", REPORT_REASONS)),
            b.area("detail"),
        ],
        errors,
    }
}

pub async fn report_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let card = app.listings.index.card(&id).ok_or(Failure::NotFound)?;
    Ok(html(&report_page(
        &req,
        id,
        card.title.clone(),
        &[],
        &Fields::new(),
    )))
}

/// Checks a report; the reason must be one of the list.
pub fn report_fields(reason: &str, detail: &str) -> Result<(String, String), Fields> {
    let mut f = Fields::new();
    if !REPORT_REASONS.contains(&reason) {
        f.add("reason", "report-reason-required");
    }
    if detail.trim().chars().count() > 2000 {
        f.add("detail", "text-too-long");
    }
    f.into_result()
        .map(|()| (reason.to_owned(), detail.trim().to_owned()))
}

pub async fn report_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let card = app.listings.index.card(&id).ok_or(Failure::NotFound)?;
    let one = |k: &str| jobs::Source::one(&f, k).to_owned();
    match report_fields(&one("reason"), &one("detail")) {
        Err(e) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            html(&report_page(&req, id, card.title.clone(), &f, &e)),
        )
            .into_response()),
        Ok((reason, detail)) => {
            app.store
                .report_posting(id.clone(), reason, detail, now())
                .await?;
            Ok(see_other(&format!("/jobs/{id}/reported")))
        }
    }
}

pub async fn reported(
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let c = Chrome::new(&req);
    Ok(html(&crate::view::MessagePage {
        title: c.a("report-thanks-title"),
        message: c.a("report-thanks"),
        alert: false,
        links: vec![
            (format!("/jobs/{id}"), c.a("back-to-job")),
            ("/jobs".into(), c.a("nav-jobs")),
        ],
        c,
    }))
}

// ------------------------------------------------------------------ company

#[derive(Template)]
#[template(path = "company.html")]
struct CompanyPage {
    c: Chrome,
    name: String,
    verified: bool,
    description: String,
    lines: Lines,
    record: Lines,
    jobs: Vec<CardView>,
}

pub async fn company_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let company = app
        .store
        .company(id.clone())
        .await?
        .ok_or(Failure::NotFound)?;
    let Some(p) = company.profile.clone() else {
        return Err(Failure::NotFound);
    };
    let tr = req.tr();
    let lang = tr.lang;
    let mut lines = company_lines(&tr, &company);
    lines.push((
        tr.t("cf-industry"),
        entry_label(lang, INDUSTRIES, &p.industry),
    ));
    if !p.size.is_empty() {
        lines.push((tr.t("cf-size"), entry_label(lang, SIZES, &p.size)));
    }
    if !p.locations.is_empty() {
        lines.push((tr.t("cf-locations"), p.locations.clone()));
    }
    lines.push((
        tr.t("cf-accommodations"),
        labels(lang, ACCOMMODATIONS, &p.accommodations),
    ));
    if !p.accommodation_note.is_empty() {
        lines.push((tr.t("cf-accommodation_note"), p.accommodation_note.clone()));
    }
    let mut record = Vec::new();
    if let Some(n) = p.employed_count {
        record.push((
            tr.t("cf-employed_count"),
            tr.t1("people", "n", &n.to_string()),
        ));
    }
    if let Some(r) = p.retention_rate {
        record.push((tr.t("cf-retention_rate"), format!("{r}%")));
    }
    if !p.record_note.is_empty() {
        record.push((tr.t("cf-record_note"), p.record_note.clone()));
    }
    let rows = app.store.postings_of(id).await?;
    let jobs = rows
        .iter()
        .filter(|r| r.is_public(now(), app.cfg.stale_after_days))
        .filter_map(|r| app.listings.index.card(&r.id))
        .map(|c| card_view(&tr, &c))
        .collect();
    Ok(html(&CompanyPage {
        c: Chrome::new(&req),
        name: company.name,
        verified: company.verified_at.is_some(),
        description: p.description,
        lines,
        record,
        jobs,
    }))
}

#[derive(Template)]
#[template(path = "company_edit.html")]
struct CompanyEdit {
    c: Chrome,
    groups: Vec<(String, Vec<Field>)>,
    errors: Vec<(String, String)>,
    verified: bool,
    company_id: String,
}

fn company_groups(
    tr: &Tr,
    typed: &[(String, String)],
    errors: HashMap<String, String>,
) -> Vec<(String, Vec<Field>)> {
    let lang = tr.lang;
    let b = Builder {
        tr,
        prefix: "cf",
        typed,
        errors,
    };
    vec![
        (
            tr.t("cf-group-about"),
            vec![
                b.area("description"),
                b.select("industry", entries(lang, INDUSTRIES)),
                b.select("size", entries(lang, SIZES)),
                b.number("corporate_number"),
            ],
        ),
        (
            tr.t("cf-group-place"),
            vec![
                b.select("prefecture", prefectures(lang)),
                b.auto("address", "address-line1"),
                b.area("locations"),
            ],
        ),
        (
            tr.t("cf-group-contact"),
            vec![
                b.auto("contact_department", "organization-title"),
                Field {
                    inputmode: "tel",
                    ..b.auto("contact_phone", "tel")
                },
                b.auto("contact_email", "email"),
            ],
        ),
        (
            tr.t("cf-group-support"),
            vec![
                b.checks("accommodations", entries(lang, ACCOMMODATIONS)),
                b.area("accommodation_note"),
                b.number("employed_count"),
                b.number("retention_rate"),
                b.area("record_note"),
            ],
        ),
    ]
}

fn company_fields(p: &CompanyProfile) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = vec![
        ("description".into(), p.description.clone()),
        ("industry".into(), p.industry.clone()),
        ("size".into(), p.size.clone()),
        ("corporate_number".into(), p.corporate_number.clone()),
        ("prefecture".into(), p.prefecture.to_string()),
        ("address".into(), p.address.clone()),
        ("locations".into(), p.locations.clone()),
        ("contact_department".into(), p.contact_department.clone()),
        ("contact_phone".into(), p.contact_phone.clone()),
        ("contact_email".into(), p.contact_email.clone()),
        ("accommodation_note".into(), p.accommodation_note.clone()),
        (
            "employed_count".into(),
            p.employed_count.map(|n| n.to_string()).unwrap_or_default(),
        ),
        (
            "retention_rate".into(),
            p.retention_rate.map(|n| n.to_string()).unwrap_or_default(),
        ),
        ("record_note".into(), p.record_note.clone()),
    ];
    v.extend(
        p.accommodations
            .iter()
            .map(|a| ("accommodations".into(), a.clone())),
    );
    v
}

/// The company the signed-in employer manages postings for (admins and recruiters).
pub(crate) async fn my_company(app: &AppState, req: &Req) -> WebResult<Company> {
    let v = viewer(req)?;
    let org = app
        .store
        .managed_company(v.user_id.clone())
        .await?
        .ok_or(Failure::Forbidden)?;
    app.store.company(org).await?.ok_or(Failure::NotFound)
}

pub async fn company_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let company = my_company(&app, &req).await?;
    let typed = company
        .profile
        .as_ref()
        .map(company_fields)
        .unwrap_or_default();
    let tr = req.tr();
    let flash = q
        .get("m")
        .filter(|m| m.as_str() == "company-saved")
        .map(String::as_str);
    Ok(html(&CompanyEdit {
        c: Chrome::new(&req).flash(flash),
        groups: company_groups(&tr, &typed, HashMap::new()),
        errors: vec![],
        verified: company.verified_at.is_some(),
        company_id: company.id,
    }))
}

pub async fn company_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): FormData,
) -> WebResult<Response> {
    let company = my_company(&app, &req).await?;
    let v = viewer(&req)?;
    match CompanyProfile::parse(&f) {
        Ok(p) => {
            app.store
                .save_company(v.user_id.clone(), p, req.ctx.clone(), now())
                .await?;
            app.refresh_listings().await;
            Ok(see_other("/company?m=company-saved"))
        }
        Err(e) => {
            let tr = req.tr();
            let (map, errors) = errors_map(&tr, &e);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                html(&CompanyEdit {
                    c: Chrome::new(&req),
                    groups: company_groups(&tr, &f, map),
                    errors,
                    verified: company.verified_at.is_some(),
                    company_id: company.id,
                }),
            )
                .into_response())
        }
    }
}

// ------------------------------------------------------------------ employer postings

#[derive(Template)]
#[template(path = "postings.html")]
struct PostingsPage {
    c: Chrome,
    /// (id, title, status label, status code, as-of)
    rows: Vec<(String, String, String, String, String)>,
    stale: Vec<String>,
    company_ready: bool,
    verified: bool,
}

pub async fn postings_list(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let company = my_company(&app, &req).await?;
    let tr = req.tr();
    let rows = app.store.postings_of(company.id.clone()).await?;
    let t = now();
    let stale = rows
        .iter()
        .filter(|r| r.status == Status::Published && !r.is_public(t, app.cfg.stale_after_days))
        .map(|r| r.id.clone())
        .collect();
    let flash = q
        .get("m")
        .filter(|m| {
            [
                "posting-saved",
                "posting-submitted",
                "posting-closed",
                "posting-confirmed",
            ]
            .contains(&m.as_str())
        })
        .map(String::as_str);
    Ok(html(&PostingsPage {
        c: Chrome::new(&req).flash(flash),
        rows: rows
            .iter()
            .map(|r| {
                (
                    r.id.clone(),
                    if r.title.is_empty() {
                        tr.t("untitled")
                    } else {
                        r.title.clone()
                    },
                    tr.t(&format!("status-{}", r.status.as_str())),
                    r.status.as_str().to_owned(),
                    date_text(r.confirmed_at.unwrap_or(r.updated_at), tr.lang),
                )
            })
            .collect(),
        stale,
        company_ready: company
            .profile
            .as_ref()
            .is_some_and(CompanyProfile::is_complete),
        verified: company.verified_at.is_some(),
    }))
}

#[derive(Template)]
#[template(path = "posting_edit.html")]
struct PostingEdit {
    c: Chrome,
    action: String,
    groups: Vec<(String, Vec<Field>)>,
    errors: Vec<(String, String)>,
    published: bool,
    id: Option<String>,
    status: String,
}

fn posting_groups(
    tr: &Tr,
    typed: &[(String, String)],
    errors: HashMap<String, String>,
) -> Vec<(String, Vec<Field>)> {
    let lang = tr.lang;
    let b = Builder {
        tr,
        prefix: "pf",
        typed,
        errors,
    };
    let codes = |all: &[&'static str]| all.to_vec();
    vec![
        (
            tr.t("job-section-work"),
            vec![
                b.text("title"),
                b.select("category", entries(lang, JOB_CATEGORIES)),
                b.area("duties"),
                b.area("duties_change_scope"),
                b.number("openings"),
            ],
        ),
        (
            tr.t("job-section-contract"),
            vec![
                b.radios(
                    "employment_type",
                    keyed(tr, "employment", jobs::POSTING_EMPLOYMENT),
                ),
                b.radios(
                    "contract_type",
                    keyed(tr, "contract", &codes(&["indefinite", "fixed_term"])),
                ),
                b.text("contract_period"),
                b.area("renewal_rule"),
                b.text("renewal_cap"),
                b.text("probation"),
            ],
        ),
        (
            tr.t("job-section-place"),
            vec![
                b.select("prefecture", prefectures(lang)),
                b.text("city"),
                b.text("address"),
                b.area("workplace_change_scope"),
                b.radios(
                    "remote",
                    keyed(
                        tr,
                        "remote",
                        &Remote::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
                    ),
                ),
                b.radios(
                    "smoking",
                    keyed(
                        tr,
                        "smoking",
                        &Smoking::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                    ),
                ),
                b.text("smoking_note"),
            ],
        ),
        (
            tr.t("job-section-hours"),
            vec![
                b.text("working_hours"),
                b.text("breaks"),
                b.number("hours_per_week"),
                b.number("days_per_week"),
                b.text("holidays"),
                b.text("overtime"),
            ],
        ),
        (
            tr.t("job-section-pay"),
            vec![
                b.radios(
                    "wage_unit",
                    keyed(
                        tr,
                        "wage-unit",
                        &WageUnit::ALL.iter().map(|w| w.as_str()).collect::<Vec<_>>(),
                    ),
                ),
                b.number("wage_min"),
                b.number("wage_max"),
                b.area("wage_notes"),
                b.checks("insurance", entries(lang, INSURANCE)),
            ],
        ),
        (
            tr.t("job-section-support"),
            vec![
                b.checks("accommodations", entries(lang, ACCOMMODATIONS)),
                b.area("accommodation_note"),
                b.text("required_skills"),
                b.text("welcome_skills"),
            ],
        ),
    ]
}

pub async fn posting_new(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    my_company(&app, &req).await?;
    let tr = req.tr();
    Ok(html(&PostingEdit {
        c: Chrome::new(&req),
        action: "/employer/postings".into(),
        groups: posting_groups(&tr, &[], HashMap::new()),
        errors: vec![],
        published: false,
        id: None,
        status: tr.t("status-draft"),
    }))
}

/// One of that company's postings; another company's answers 404.
pub(crate) async fn my_posting(app: &AppState, req: &Req, id: &str) -> WebResult<PostingRow> {
    let company = my_company(app, req).await?;
    app.store
        .posting(id.to_owned())
        .await?
        .filter(|r| r.org_id == company.id)
        .ok_or(Failure::NotFound)
}

pub async fn posting_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let row = my_posting(&app, &req, &id).await?;
    let tr = req.tr();
    // Show the saved form's problems at once, so the employer knows what is missing.
    let (map, errors) = match Posting::parse(&row.fields) {
        Err(f) if row.status != Status::Closed && row.fields.iter().any(|(_, v)| !v.is_empty()) => {
            errors_map(&tr, &f)
        }
        _ => (HashMap::new(), vec![]),
    };
    Ok(html(&PostingEdit {
        c: Chrome::new(&req),
        action: format!("/employer/postings/{id}"),
        groups: posting_groups(&tr, &row.fields, map),
        errors,
        published: row.status == Status::Published,
        id: Some(id),
        status: tr.t(&format!("status-{}", row.status.as_str())),
    }))
}

/// Why a posting step was refused, as the one web-layer error.
pub(crate) fn refused(f: Refused) -> Failure {
    match f {
        Refused::NotFound => Failure::NotFound,
        Refused::NotAllowed => Failure::Conflict("err-posting-not-allowed"),
        Refused::Invalid(f) => Failure::Fields(f),
        Refused::CompanyIncomplete => Failure::Conflict("err-company-incomplete"),
        Refused::CompanyUnverified => Failure::Conflict("err-company-unverified"),
    }
}

async fn save_and_show(
    app: &AppState,
    req: &Req,
    id: Option<String>,
    f: Vec<(String, String)>,
) -> WebResult<Response> {
    let v = viewer(req)?;
    let submit = jobs::Source::one(&f, "_then") == "submit";
    let fields: Vec<(String, String)> = f
        .iter()
        .filter(|(k, _)| !k.starts_with('_'))
        .cloned()
        .collect();
    let saved = app
        .store
        .save_posting(
            v.user_id.clone(),
            id.clone(),
            fields.clone(),
            req.ctx.clone(),
            now(),
        )
        .await?;
    let tr = req.tr();
    let show = |errors: Fields, id: Option<String>, status: String| {
        let (map, list) = errors_map(&tr, &errors);
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            html(&PostingEdit {
                c: Chrome::new(req).flash(id.as_ref().map(|_| "posting-saved-with-problems")),
                action: id.as_ref().map_or("/employer/postings".into(), |i| {
                    format!("/employer/postings/{i}")
                }),
                groups: posting_groups(&tr, &f, map),
                errors: list,
                published: false,
                id,
                status,
            }),
        )
            .into_response()
    };
    let (id, status) = match saved {
        Ok(x) => x,
        Err(Refused::Invalid(e)) => return Ok(show(e, id, tr.t("status-published"))),
        Err(other) => return Err(refused(other)),
    };
    app.refresh_listings().await;
    if !submit {
        // A draft is saved as typed; tell what still stops submission.
        if let Err(e) = Posting::parse(&fields) {
            return Ok(show(
                e,
                Some(id),
                tr.t(&format!("status-{}", status.as_str())),
            ));
        }
        return Ok(see_other("/employer/postings?m=posting-saved"));
    }
    if status == Status::Submitted {
        return Ok(see_other("/employer/postings?m=posting-submitted"));
    }
    match app
        .store
        .posting_step(
            v.user_id.clone(),
            id.clone(),
            Step::Submit,
            req.ctx.clone(),
            now(),
        )
        .await?
    {
        Ok(_) => Ok(see_other("/employer/postings?m=posting-submitted")),
        Err(Refused::Invalid(e)) => Ok(show(
            e,
            Some(id),
            tr.t(&format!("status-{}", status.as_str())),
        )),
        Err(other) => Err(refused(other)),
    }
}

pub async fn posting_create(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): FormData,
) -> WebResult<Response> {
    my_company(&app, &req).await?;
    save_and_show(&app, &req, None, f).await
}

pub async fn posting_save(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    my_posting(&app, &req, &id).await?;
    save_and_show(&app, &req, Some(id), f).await
}

async fn step(app: AppState, req: Req, id: String, s: Step, done: &str) -> WebResult<Response> {
    let v = viewer(&req)?;
    app.store
        .posting_step(v.user_id.clone(), id, s, req.ctx.clone(), now())
        .await?
        .map_err(refused)?;
    app.refresh_listings().await;
    Ok(see_other(&format!("/employer/postings?m={done}")))
}

pub async fn posting_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    step(app, req, id, Step::Submit, "posting-submitted").await
}

pub async fn posting_close(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    step(app, req, id, Step::Close, "posting-closed").await
}

pub async fn posting_confirm(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    step(app, req, id, Step::Confirm, "posting-confirmed").await
}

// ------------------------------------------------------------------ candidates

/// How many scout-findable seekers a candidate ranking looks at (newest consents first).
pub const CANDIDATE_POOL: i64 = 2000;

pub struct Candidate {
    pub id: String,
    pub fit: MatchView,
    pub lines: Lines,
}

/// The best candidates for a posting, as masked scout views: ranked inside the store's
/// door on what the company may see of each seeker; each shown view is a recorded
/// provision. For verified companies only.
pub async fn candidates_for(
    app: &AppState,
    req: &Req,
    row: &PostingRow,
    k: usize,
) -> WebResult<Vec<(String, Match, SeekerView)>> {
    let v = viewer(req)?;
    require_verified(app, &v.user_id).await?;
    let company = app
        .store
        .company(row.org_id.clone())
        .await?
        .ok_or(Failure::NotFound)?;
    let Some(p) = row.posting() else {
        return Ok(vec![]);
    };
    let acc = company
        .profile
        .map(|c| c.accommodations)
        .unwrap_or_default();
    let card = JobCard::from_posting(&row.id, &company.id, &company.name, &acc, &p, now(), now());
    fn score(p: &domain::profile::Profile, card: &JobCard) -> (u32, Match) {
        let m = matching::score(&Needs::from_profile(p), card);
        (u32::from(m.score), m)
    }
    let ranked = app
        .store
        .rank_scout_candidates(
            v.user_id.clone(),
            card,
            score,
            CANDIDATE_POOL,
            k,
            req.ctx.clone(),
            today(),
            now(),
        )
        .await?;
    Ok(ranked
        .into_iter()
        .map(|(d, m)| {
            let view = d.into_view();
            (view.seeker_id.clone(), m, view)
        })
        .collect())
}

/// Scout search, recommended candidates and scouts are for members of a company the
/// operator verified; others are told so (403).
pub async fn require_verified(app: &AppState, user: &str) -> WebResult<()> {
    if app.store.in_verified_company(user.to_owned()).await? {
        Ok(())
    } else {
        Err(Failure::CompanyUnverified)
    }
}

#[derive(Template)]
#[template(path = "candidates.html")]
struct CandidatesPage {
    c: Chrome,
    title: String,
    id: String,
    list: Vec<Candidate>,
}

pub async fn candidates(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let row = my_posting(&app, &req, &id).await?;
    let tr = req.tr();
    let list = candidates_for(&app, &req, &row, 20)
        .await?
        .into_iter()
        .map(|(id, m, view)| Candidate {
            id,
            fit: match_view(&tr, &m),
            lines: lines(&tr, &view.items, &view.fields),
        })
        .collect();
    Ok(html(&CandidatesPage {
        c: Chrome::new(&req),
        title: row.title,
        id,
        list,
    }))
}

// ------------------------------------------------------------------ operator

#[derive(Template)]
#[template(path = "operator.html")]
struct OperatorPage {
    c: Chrome,
    /// (id, name, lines)
    companies: Vec<(String, String, Lines)>,
    /// (id, title, company, submitted)
    postings: Vec<(String, String, String, String)>,
    /// (id, posting id, title, company, reason, detail, when)
    reports: Vec<(String, String, String, String, String, String, String)>,
    barriers: Vec<store::accessibility::BarrierReport>,
}

pub async fn operator_home(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let tr = req.tr();
    let lang = tr.lang;
    let companies = app
        .store
        .companies_to_verify()
        .await?
        .into_iter()
        .map(|c| {
            let mut l = company_lines(&tr, &c);
            if let Some(p) = &c.profile {
                l.push((tr.t("cf-corporate_number"), p.corporate_number.clone()));
                l.push((
                    tr.t("cf-industry"),
                    entry_label(lang, INDUSTRIES, &p.industry),
                ));
            }
            (c.id, c.name, l)
        })
        .collect();
    let postings = app
        .store
        .postings_to_review()
        .await?
        .into_iter()
        .map(|r| {
            (
                r.id,
                r.title,
                r.org_name,
                r.submitted_at
                    .map(|t| date_text(t, lang))
                    .unwrap_or_default(),
            )
        })
        .collect();
    let reports = app
        .store
        .open_reports()
        .await?
        .into_iter()
        .map(|r| {
            (
                r.id,
                r.posting_id,
                r.posting_title,
                r.org_name,
                tr.t(&format!("report-reason-{}", r.reason)),
                r.detail,
                date_text(r.created_at, lang),
            )
        })
        .collect();
    let flash = q
        .get("m")
        .filter(|m| {
            [
                "company-verified",
                "posting-approved",
                "posting-returned",
                "report-resolved",
                "barrier-resolved",
            ]
            .contains(&m.as_str())
        })
        .map(String::as_str);
    let v = viewer(&req)?;
    let barriers = app
        .store
        .open_barrier_reports(v.user_id.clone(), req.ctx.clone(), now())
        .await?;
    Ok(html(&OperatorPage {
        c: Chrome::new(&req).flash(flash),
        companies,
        postings,
        reports,
        barriers,
    }))
}

pub async fn operator_posting(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    job_page_for(&app, &req, id, vec![]).await
}

pub async fn operator_approve(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    app.store
        .review_posting(
            v.user_id.clone(),
            id,
            Review::Approve,
            req.ctx.clone(),
            now(),
        )
        .await?
        .map_err(refused)?;
    app.refresh_listings().await;
    Ok(see_other("/operator?m=posting-approved"))
}

pub async fn operator_return(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let reasons = jobs::Source::many(&f, "reasons");
    let note = jobs::Source::one(&f, "note").to_owned();
    match app
        .store
        .review_posting(
            v.user_id.clone(),
            id.clone(),
            Review::Return { reasons, note },
            req.ctx.clone(),
            now(),
        )
        .await?
    {
        Ok(_) => {
            app.refresh_listings().await;
            Ok(see_other("/operator?m=posting-returned"))
        }
        Err(Refused::Invalid(e)) => {
            let tr = req.tr();
            let resp = job_page_for(&app, &req, id, field_errors(&tr, &e)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, resp).into_response())
        }
        Err(other) => Err(refused(other)),
    }
}

pub async fn operator_verify(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    if !app
        .store
        .verify_company(v.user_id.clone(), id, req.ctx.clone(), now())
        .await?
    {
        return Err(Failure::NotFound);
    }
    app.refresh_listings().await;
    Ok(see_other("/operator?m=company-verified"))
}

pub async fn operator_resolve(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    if !app
        .store
        .resolve_report(v.user_id.clone(), id, req.ctx.clone(), now())
        .await?
    {
        return Err(Failure::NotFound);
    }
    Ok(see_other("/operator?m=report-resolved"))
}

// ------------------------------------------------------------------ seekers

/// A seeker's recommended postings with their reasons.
pub async fn recommended(
    app: &AppState,
    user: &str,
    k: usize,
) -> WebResult<Vec<(Arc<JobCard>, Match)>> {
    let profile = app.store.own_profile(user.to_owned(), today()).await?;
    let needs = Needs::from_profile(&profile);
    let listings = app.listings.clone();
    tokio::task::spawn_blocking(move || listings.index.recommend(&needs, now(), k))
        .await
        .map_err(|_| Failure::Internal)
}

#[derive(Template)]
#[template(path = "recommendations.html")]
struct RecommendationsPage {
    c: Chrome,
    list: Vec<(CardView, MatchView)>,
    has_desired: bool,
}

pub async fn recommendations(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let tr = req.tr();
    let profile = app.store.own_profile(v.user_id.clone(), today()).await?;
    let list = recommended(&app, &v.user_id, 20)
        .await?
        .iter()
        .map(|(c, m)| (card_view(&tr, c), match_view(&tr, m)))
        .collect();
    Ok(html(&RecommendationsPage {
        c: Chrome::new(&req),
        list,
        has_desired: profile.desired.is_some(),
    }))
}

#[derive(Template)]
#[template(path = "saved_searches.html")]
struct SavedPage {
    c: Chrome,
    /// (id, query string, readable summary, saved on)
    list: Vec<(String, String, String, String)>,
    notes: Vec<(String, String, String, bool)>,
}

/// A saved search in words.
fn summary(tr: &Tr, query: &str) -> String {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let t = Typed::from_pairs(&pairs);
    let lang = tr.lang;
    let mut parts = Vec::new();
    if !t.q.is_empty() {
        parts.push(format!("「{}」", t.q));
    }
    if let Ok(p) = t.pref.parse::<u8>() {
        parts.push(prefecture_name(lang, p));
    }
    if !t.cat.is_empty() {
        parts.push(entry_label(lang, JOB_CATEGORIES, &t.cat));
    }
    if !t.emp.is_empty() {
        parts.push(tr.t(&format!("employment-{}", t.emp)));
    }
    if !t.hours_max.is_empty() {
        parts.push(tr.t1("summary-hours-max", "n", &t.hours_max));
    }
    if !t.wage_min.is_empty() {
        parts.push(tr.t1("summary-wage-min", "n", &t.wage_min));
    }
    if t.remote {
        parts.push(tr.t("sf-remote"));
    }
    if !t.acc.is_empty() {
        parts.push(labels(lang, ACCOMMODATIONS, &t.acc));
    }
    if parts.is_empty() {
        tr.t("summary-all")
    } else {
        parts.join(" / ")
    }
}

pub async fn saved_list(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let tr = req.tr();
    let list = app
        .store
        .saved_searches(Some(v.user_id.clone()))
        .await?
        .into_iter()
        .map(|s| {
            (
                s.id,
                s.query.clone(),
                summary(&tr, &s.query),
                date_text(s.created_at, tr.lang),
            )
        })
        .collect();
    let notes = app
        .store
        .notifications(v.user_id.clone())
        .await?
        .into_iter()
        .filter_map(|n| {
            let card = app.listings.index.card(&n.ref_id)?;
            Some((
                n.ref_id,
                card.title.clone(),
                date_text(n.created_at, tr.lang),
                n.read_at.is_none(),
            ))
        })
        .collect();
    app.store
        .notifications_read(v.user_id.clone(), now())
        .await?;
    let flash = q
        .get("m")
        .filter(|m| ["search-saved", "search-deleted", "search-limit"].contains(&m.as_str()))
        .map(String::as_str);
    Ok(html(&SavedPage {
        c: Chrome::new(&req).flash(flash),
        list,
        notes,
    }))
}

pub async fn saved_create(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let raw = jobs::Source::one(&f, "query");
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw).map_err(|_| Failure::BadRequest)?;
    let typed = Typed::from_pairs(&pairs);
    typed.parse()?;
    let ok = app
        .store
        .save_search(v.user_id.clone(), typed.query_string(), now())
        .await?;
    Ok(see_other(if ok {
        "/saved-searches?m=search-saved"
    } else {
        "/saved-searches?m=search-limit"
    }))
}

pub async fn saved_delete(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    if !app.store.delete_saved_search(v.user_id.clone(), id).await? {
        return Err(Failure::NotFound);
    }
    Ok(see_other("/saved-searches?m=search-deleted"))
}

// ------------------------------------------------------------------ background sweep

/// Saved-search alerts (new matching postings since the last check) and notices to
/// companies whose postings passed their confirmation period.
pub async fn sweep(app: &AppState) {
    app.refresh_listings().await;
    let base = app.cfg.public_url.clone();
    let b2 = base.clone();
    match app
        .store
        .stale_postings_notify(
            now(),
            app.cfg.stale_after_days,
            move |to, lang, id, title| crate::mail::posting_stale(&b2, to, lang, id, title),
        )
        .await
    {
        Ok(0) => {}
        Ok(n) => tracing::info!(count = n, "stale posting notices queued"),
        Err(e) => tracing::error!(error = %e, "stale posting sweep failed"),
    }
    let searches = match app.store.saved_searches(None).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "saved searches unreadable");
            return;
        }
    };
    let t = now();
    for s in searches {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&s.query).unwrap_or_default();
        let Ok(mut q) = Typed::from_pairs(&pairs).parse() else {
            continue;
        };
        q.sort = search::Sort::Newest;
        q.offset = 0;
        q.limit = 100;
        let listings = app.listings.clone();
        let hits = tokio::task::spawn_blocking(move || listings.index.search(&q, t)).await;
        let Ok(Ok(hits)) = hits else {
            continue;
        };
        let new: Vec<String> = hits
            .cards
            .iter()
            // A minute of overlap: a posting published in the second of the last check
            // is not missed (the store tells each posting once).
            .filter(|c| c.published_at >= s.checked_at - 60 && c.published_at >= s.created_at)
            .map(|c| c.id.clone())
            .collect();
        let base = base.clone();
        if let Err(e) = app
            .store
            .alert(s, new, t, move |to, lang, n| {
                crate::mail::saved_search(&base, to, lang, n)
            })
            .await
        {
            tracing::error!(error = %e, "saved search alert failed");
        }
    }
}
