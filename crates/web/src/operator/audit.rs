//! The audit log in the operator's console (admin and privacy officer): a search by
//! account, subject, action and dates, which asks why and is itself logged; the reads
//! worth a look (one account reading many people within an hour, operator reads outside
//! working hours); and the chain's check, as `tsunagu audit verify` does it. Entries
//! hold ids and item names, never values. The rules are `store::audit`.
use crate::error::{Failure, WebResult};
use crate::forms::field_errors;
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use domain::Fields;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use store::audit::{Anomaly, LogEntry, Report, Search};
use utoipa::{IntoParams, ToSchema};

/// A search as asked in the address (every part optional but the purpose).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// The acting account's id.
    #[serde(default)]
    #[param(max_length = 64)]
    actor: String,
    /// The id of the person whose data it was.
    #[serde(default)]
    #[param(max_length = 64)]
    subject: String,
    /// The start of the action, such as `profile.read`.
    #[serde(default)]
    #[param(max_length = 64)]
    action: String,
    /// From this day (YYYY-MM-DD, Japan).
    #[serde(default)]
    #[param(max_length = 10)]
    from: String,
    /// Until this day, included (YYYY-MM-DD, Japan).
    #[serde(default)]
    #[param(max_length = 10)]
    until: String,
    /// Why the log is searched (required; kept in the log). An address without it (a
    /// link from the anomalies) only fills the form in.
    #[serde(default)]
    #[param(max_length = 200)]
    purpose: Option<String>,
}

impl SearchQuery {
    fn asked(&self) -> bool {
        self.purpose.is_some()
    }
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// The search's parts checked, each problem on its field.
fn parse(q: &SearchQuery) -> Result<(Search, String), Fields> {
    let mut f = Fields::new();
    let day = |f: &mut Fields, field: &'static str, v: &str| -> Option<i64> {
        let v = v.trim();
        if v.is_empty() {
            return None;
        }
        let t = domain::incidents::parse_local(&format!("{v}T00:00"));
        if t.is_none() {
            f.add(field, "audit-date-invalid");
        }
        t
    };
    let from = day(&mut f, "from", &q.from);
    let until = day(&mut f, "until", &q.until).map(|t| t + 86_400);
    if let (Some(a), Some(b)) = (from, until)
        && a >= b
    {
        f.add("until", "audit-range-invalid");
    }
    let purpose = q.purpose.as_deref().unwrap_or("").trim().to_owned();
    if purpose.is_empty() {
        f.add("purpose", "audit-purpose-required");
    } else if purpose.chars().count() > 200 {
        f.add("purpose", "audit-purpose-too-long");
    }
    f.into_result()?;
    Ok((
        Search {
            actor_id: opt(&q.actor),
            subject_id: opt(&q.subject),
            action: opt(&q.action),
            from,
            until,
        },
        purpose,
    ))
}

async fn run(app: &AppState, req: &Req, q: &SearchQuery) -> WebResult<Vec<LogEntry>> {
    let v = viewer(req)?;
    let (s, purpose) = parse(q).map_err(Failure::Fields)?;
    Ok(app
        .store
        .audit_search(v.user_id.clone(), s, purpose, req.ctx.clone(), now())
        .await?)
}

#[derive(Template)]
#[template(path = "operator_audit.html")]
struct AuditPage {
    c: Chrome,
    errors: Vec<(String, String)>,
    form: HashMap<String, String>,
    /// The entries found (`None`: nothing asked yet).
    found: Option<Vec<LogEntry>>,
    anomalies: Vec<Anomaly>,
    chain: Option<Report>,
    many: i64,
}

impl AuditPage {
    fn error(&self, f: &str) -> Option<&str> {
        crate::forms::error_in(&self.errors, f)
    }
    fn v(&self, k: &str) -> &str {
        self.form.get(k).map(String::as_str).unwrap_or("")
    }
    fn anomaly_text(&self, a: &Anomaly) -> String {
        self.c.tr.t1(
            &format!("audit-anomaly-{}", a.kind),
            "count",
            &a.count.to_string(),
        )
    }
}

fn form_of(q: &SearchQuery) -> HashMap<String, String> {
    [
        ("actor", &q.actor),
        ("subject", &q.subject),
        ("action", &q.action),
        ("from", &q.from),
        ("until", &q.until),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.clone()))
    .chain([("purpose".to_owned(), q.purpose.clone().unwrap_or_default())])
    .collect()
}

async fn page(
    app: &AppState,
    req: &Req,
    q: &SearchQuery,
    chain: Option<Report>,
) -> WebResult<(StatusCode, AuditPage)> {
    let (found, errors, status) = if q.asked() {
        match run(app, req, q).await {
            Ok(found) => (Some(found), Vec::new(), StatusCode::OK),
            Err(Failure::Fields(f)) => (
                None,
                field_errors(&req.tr(), &f),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            Err(other) => return Err(other),
        }
    } else {
        (None, Vec::new(), StatusCode::OK)
    };
    Ok((
        status,
        AuditPage {
            c: Chrome::new(req),
            errors,
            form: form_of(q),
            found,
            anomalies: app.store.audit_anomalies(now()).await?,
            chain,
            many: store::audit::MANY_SUBJECTS_PER_HOUR,
        },
    ))
}

pub async fn audit_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<SearchQuery>,
) -> WebResult<Response> {
    let (status, p) = page(&app, &req, &q, None).await?;
    Ok((status, html(&p)).into_response())
}

/// `POST /operator/audit/verify`: the chain checked now, shown on the page.
pub async fn verify_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    let chain = app.store.audit_chain().await?;
    let (status, p) = page(&app, &req, &SearchQuery::default(), Some(chain)).await?;
    Ok((status, html(&p)).into_response())
}

// ------------------------------------------------------------------ API

/// What the search found.
#[derive(Serialize, ToSchema)]
pub struct AuditSearchAnswer {
    /// Newest first, at most 200.
    pub entries: Vec<LogEntry>,
}

/// `GET /api/v1/operator/audit`: the search (the purpose is required and logged).
pub async fn search_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<SearchQuery>,
) -> WebResult<Json<AuditSearchAnswer>> {
    Ok(Json(AuditSearchAnswer {
        entries: run(&app, &req, &q).await?,
    }))
}

/// The reads worth a look and the chain's state.
#[derive(Serialize, ToSchema)]
pub struct ChainAnswer {
    pub entries: i64,
    pub head_hash: String,
    /// The first problem found: its entry and what is wrong; none when intact.
    pub problem: Option<String>,
    pub anomalies: Vec<Anomaly>,
}

/// `GET /api/v1/operator/audit/status`.
pub async fn status_api(State(app): State<AppState>) -> WebResult<Json<ChainAnswer>> {
    let r = app.store.audit_chain().await?;
    Ok(Json(ChainAnswer {
        entries: r.entries,
        head_hash: r.head_hash,
        problem: r.problem.map(|(seq, what)| format!("entry {seq}: {what}")),
        anomalies: app.store.audit_anomalies(now()).await?,
    }))
}
