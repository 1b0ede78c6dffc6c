//! 開示 (APPI 33): everything held about the signed-in person, after their password is
//! checked again, as one JSON document (`POST /api/v1/me/export`), as a readable page
//! and as a PDF (`/account/data`).
//!
//! The document is made of the person's own views, exactly as the API answers them
//! (each section calls the handler of its `GET /api/v1/me/…` route), so it can hold
//! nothing the person could not read and misses nothing the API shows them: the
//! account, organisations, sessions, consents, privacy settings, the profile, the
//! provision records, the access-log entries about them, applications, scouts,
//! employments with their check-ins, support records, comments, alerts and monthly
//! reports, message threads with their messages, saved searches and notifications.
//! Each download is written to the audit log.
use crate::accounts::flows;
use crate::api::ApiQuery;
use crate::error::{Failure, WebResult};
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, jst, now};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use domain::UserKind;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

/// The format of the document (its first key).
pub const FORMAT: &str = "tsunagu-export/1";

/// A section as its route answers it; `null` where the route shows the person nothing
/// (404). A failure of the server is not hidden as an empty section: the download fails.
fn value<T: serde::Serialize>(r: WebResult<Json<T>>) -> WebResult<Value> {
    match r {
        Ok(Json(v)) => serde_json::to_value(v).map_err(|_| Failure::Internal),
        Err(Failure::NotFound) => Ok(Value::Null),
        Err(e) => Err(e),
    }
}

/// Everything held about the viewer, as their own views show it.
pub(crate) async fn document(app: &AppState, req: &Req) -> WebResult<Value> {
    let v = viewer(req)?;
    let (s, e) = (State(app.clone()), Extension(req.clone()));
    let mut d = Map::new();
    d.insert("format".into(), json!(FORMAT));
    d.insert("generated_at".into(), json!(jst::rfc3339(now())));
    d.insert(
        "account".into(),
        value(crate::accounts::api::me(s.clone(), e.clone()).await)?,
    );
    d.insert(
        "organizations".into(),
        value(crate::accounts::api::organizations(s.clone(), e.clone()).await)?,
    );
    d.insert(
        "sessions".into(),
        value(crate::accounts::api::sessions(s.clone(), e.clone()).await)?,
    );
    d.insert(
        "consents".into(),
        value(crate::accounts::api::consents(s.clone(), e.clone()).await)?,
    );
    if matches!(v.kind, UserKind::Seeker | UserKind::Family) {
        d.insert(
            "family".into(),
            value(crate::accounts::api::family(s.clone(), e.clone()).await)?,
        );
    }
    d.insert(
        "second_factor".into(),
        value(crate::accounts::security::state_api(s.clone(), e.clone()).await)?,
    );
    d.insert(
        "access_log".into(),
        json!(app.store.access_log_about(v.user_id.clone()).await?),
    );
    if v.kind == UserKind::Seeker {
        seeker_sections(app, req, &mut d).await?;
    }
    d.insert("threads".into(), threads(app, req).await?);
    d.insert(
        "notifications".into(),
        value(crate::notifications::api_list(s.clone(), e.clone()).await)?,
    );
    d.insert(
        "notification_settings".into(),
        value(crate::notifications::api_settings(s, e).await)?,
    );
    Ok(Value::Object(d))
}

async fn seeker_sections(app: &AppState, req: &Req, d: &mut Map<String, Value>) -> WebResult<()> {
    let v = viewer(req)?;
    let (s, e) = (State(app.clone()), Extension(req.clone()));
    d.insert(
        "profile".into(),
        value(crate::profiles::api::profile_get(s.clone(), e.clone()).await)?,
    );
    d.insert(
        "privacy".into(),
        value(crate::privacy::api::privacy_get(s.clone(), e.clone()).await)?,
    );
    d.insert(
        "provision_records".into(),
        json!(app.store.provision_records(v.user_id.clone()).await?),
    );
    d.insert(
        "applications".into(),
        value(crate::applications::api::my_applications(s.clone(), e.clone()).await)?,
    );
    d.insert(
        "scouts".into(),
        value(crate::applications::api::my_scouts(s.clone(), e.clone()).await)?,
    );
    d.insert(
        "saved_searches".into(),
        value(crate::jobs::api::saved(s.clone(), e.clone()).await)?,
    );
    let from = domain::profile::Date {
        y: 2000,
        m: 1,
        d: 1,
    };
    d.insert(
        "check_ins".into(),
        json!({
            "reports": app.store.my_reports(v.user_id.clone(), from, jst::today()).await?,
            "items": app.store.own_items(v.user_id.clone()).await?,
            "work_places": app.store.work_places(v.user_id.clone()).await?,
        }),
    );
    d.insert(
        "alerts".into(),
        value(
            crate::retention::support::my_alerts(
                s.clone(),
                e.clone(),
                ApiQuery(Ok(crate::retention::support::AlertsQuery {
                    all: Some(true),
                })),
            )
            .await,
        )?,
    );
    let mut jobs = Vec::new();
    for job in app.store.employments_of(v.user_id.clone()).await? {
        let id = job.id.clone();
        let mut months = Vec::new();
        for month in months_since(&job.start_date) {
            let m = value(
                crate::retention::monthly::get_api(
                    s.clone(),
                    e.clone(),
                    Path(id.clone()),
                    ApiQuery(Ok(crate::retention::monthly::MonthQuery {
                        month: Some(month),
                    })),
                )
                .await,
            )?;
            if m.get("fresh") == Some(&Value::Bool(false)) {
                months.push(m);
            }
        }
        jobs.push(json!({
            "employment": job,
            "support_records": value(crate::retention::support::records(s.clone(), e.clone(), Path(id.clone())).await)?,
            "comments": value(crate::retention::support::comments(s.clone(), e.clone(), Path(id.clone())).await)?,
            "monthly_reports": months,
        }));
    }
    d.insert("employments".into(), Value::Array(jobs));
    Ok(())
}

/// `YYYY-MM` from the month of `start` (YYYY-MM-DD) to this month, at most 60.
fn months_since(start: &str) -> Vec<String> {
    let today = jst::today();
    let (Some(y), Some(m)) = (
        start.get(0..4).and_then(|s| s.parse::<i32>().ok()),
        start.get(5..7).and_then(|s| s.parse::<i32>().ok()),
    ) else {
        return Vec::new();
    };
    let (mut y, mut m) = (y, m);
    let mut out = Vec::new();
    while (y, m) <= (i32::from(today.y), i32::from(today.m)) && out.len() < 60 {
        out.push(format!("{y:04}-{m:02}"));
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    out
}

async fn threads(app: &AppState, req: &Req) -> WebResult<Value> {
    let list =
        value(crate::messages::api::threads(State(app.clone()), Extension(req.clone())).await)?;
    let mut out = Vec::new();
    for t in list
        .get("threads")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        let Some(id) = t
            .get("id")
            .or_else(|| t.get("thread_id"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        let m = value(
            crate::messages::api::messages_via(
                app,
                req,
                id.to_owned(),
                store::disclosure::thread::Via::Party,
            )
            .await,
        )?;
        out.push(m);
    }
    Ok(Value::Array(out))
}

/// Checks the password again and writes the download to the audit log.
async fn checked(
    app: &AppState,
    req: &Req,
    password: &str,
    code: &str,
    format: &str,
) -> WebResult<Value> {
    let v = viewer(req)?;
    flows::check_fresh(app, v, password, code).await?;
    let doc = document(app, req).await?;
    app.store
        .audit_event(
            store::audit::Entry {
                actor_id: Some(v.user_id.clone()),
                subject_id: Some(v.user_id.clone()),
                action: format!("rights.export.{format}"),
                purpose: "disclosure_request".into(),
                ip: req.ctx.ip.clone(),
                user_agent: req.ctx.user_agent.clone(),
                ..Default::default()
            },
            now(),
        )
        .await?;
    Ok(doc)
}

fn filename(ext: &str) -> String {
    let d = jst::today();
    format!("tsunagu-my-data-{:04}{:02}{:02}.{ext}", d.y, d.m, d.d)
}

fn json_download(doc: &Value) -> Response {
    let body = serde_json::to_vec_pretty(doc).unwrap_or_default();
    (
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", filename("json")),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// The document's outline for the API description: every other section (profile,
/// consents, provision records, access log, applications, threads, check-ins …) is the
/// person's own view as its `GET /api/v1/me/…` route answers it.
#[derive(serde::Serialize, ToSchema)]
pub struct ExportDocument {
    /// `tsunagu-export/1`.
    pub format: String,
    /// When the document was made (RFC 3339).
    pub generated_at: String,
    /// As `GET /api/v1/me` answers.
    #[schema(value_type = Object)]
    pub account: Value,
    /// Every access-log entry about the person, oldest first.
    pub access_log: Vec<store::rights::AccessEntry>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportBody {
    /// The account's password, checked again.
    #[serde(default)]
    #[schema(max_length = 256)]
    password: String,
    /// Instead of the password: a code from the account's authenticator app, or one of
    /// its recovery codes.
    #[serde(default)]
    #[schema(max_length = 32)]
    code: String,
}

/// `POST /api/v1/me/export`: the whole document, as a JSON download.
pub async fn export_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<ExportBody>,
) -> WebResult<Response> {
    let b = crate::api::body(b)?;
    let doc = checked(&app, &req, &b.password, &b.code, "json").await?;
    Ok(json_download(&doc))
}

// ------------------------------------------------------------------ readable forms

/// One line of the readable document.
pub enum Line {
    Section(String),
    Item(String),
    Pair(String, String),
    /// A list of like records (the access log, provision records, consents …): its
    /// name (the heading above it), the column heads, the rows.
    Table(String, Vec<String>, Vec<Vec<String>>),
}

/// The order the readable forms show the sections in: the person first, what was
/// done with their data last.
const ORDER: [&str; 19] = [
    "account",
    "profile",
    "consents",
    "privacy",
    "provision_records",
    "applications",
    "scouts",
    "threads",
    "employments",
    "check_ins",
    "alerts",
    "saved_searches",
    "family",
    "organizations",
    "sessions",
    "second_factor",
    "notifications",
    "notification_settings",
    "access_log",
];

/// The document as headed lines of "label: value" and tables, for the page and the PDF.
fn readable(req: &Req, doc: &Value) -> Vec<Line> {
    let tr = req.tr();
    let mut out = Vec::new();
    let Some(top) = doc.as_object() else {
        return out;
    };
    let rank = |k: &str| ORDER.iter().position(|o| *o == k).unwrap_or(ORDER.len());
    let mut keys: Vec<&String> = top.keys().collect();
    keys.sort_by_key(|k| rank(k));
    for k in keys {
        if k == "format" || k == "generated_at" {
            continue;
        }
        let key = format!("export-sec-{}", k.replace('_', "-"));
        out.push(Line::Section(if tr.has(&key) {
            tr.t(&key)
        } else {
            k.clone()
        }));
        flatten(req, "", &top[k.as_str()], &mut out);
    }
    // Each table is a region named by its heading: names must differ (the privacy
    // settings' family list and the family section are both 家族).
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for l in &mut out {
        if let Line::Table(name, _, _) = l {
            let n = seen.entry(name.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                name.push_str(&format!(" ({n})"));
            }
        }
    }
    out
}

/// Whether every element is an object of scalars (or lists of scalars): a table.
fn tabular(a: &[Value]) -> bool {
    let flat = |x: &Value| match x {
        Value::Array(v) => v.iter().all(|y| !y.is_object() && !y.is_array()),
        Value::Object(_) => false,
        _ => true,
    };
    !a.is_empty()
        && a.iter()
            .all(|x| x.as_object().is_some_and(|m| m.values().all(flat)))
}

fn table(req: &Req, name: String, a: &[Value]) -> Line {
    let mut cols: Vec<String> = Vec::new();
    for x in a {
        for k in x.as_object().map(|m| m.keys()).into_iter().flatten() {
            if !cols.contains(k) && !is_id(k) {
                cols.push(k.clone());
            }
        }
    }
    let rows = a
        .iter()
        .map(|x| {
            cols.iter()
                .map(|k| match x.get(k) {
                    Some(Value::Array(v)) => v
                        .iter()
                        .map(|y| scalar(req, k, y))
                        .collect::<Vec<_>>()
                        .join(", "),
                    Some(v) => scalar(req, k, v),
                    None => "—".into(),
                })
                .collect()
        })
        .collect();
    Line::Table(name, cols.iter().map(|k| label(req, k)).collect(), rows)
}

/// Ids are for machines: the JSON download has them, the readable forms leave them out.
fn is_id(key: &str) -> bool {
    key == "id" || key.ends_with("_id")
}

fn label(req: &Req, key: &str) -> String {
    let tr = req.tr();
    let k = format!("export-key-{}", key.replace('_', "-"));
    if tr.has(&k) { tr.t(&k) } else { key.to_owned() }
}

fn scalar(req: &Req, key: &str, v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::Bool(b) => req.tr().t(if *b { "export-yes" } else { "export-no" }),
        Value::Number(n) if key.ends_with("_at") || key == "at" => n
            .as_i64()
            .map(|t| jst::format_time(t, req.lang))
            .unwrap_or_else(|| n.to_string()),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.is_empty() => "—".into(),
        Value::String(s) if key == "by" => {
            let k = format!("export-by-{s}");
            if req.tr().has(&k) {
                req.tr().t(&k)
            } else {
                s.clone()
            }
        }
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn flatten(req: &Req, path: &str, v: &Value, out: &mut Vec<Line>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter().filter(|(k, _)| !is_id(k)) {
                let p = if path.is_empty() {
                    label(req, k)
                } else {
                    format!("{path} › {}", label(req, k))
                };
                match x {
                    Value::Object(_) | Value::Array(_) => flatten(req, &p, x, out),
                    _ => out.push(Line::Pair(p, scalar(req, k, x))),
                }
            }
        }
        Value::Array(a) if a.is_empty() => {
            out.push(Line::Pair(path.to_owned(), req.tr().t("export-none")))
        }
        Value::Array(a) if a.iter().all(|x| !x.is_object() && !x.is_array()) => {
            out.push(Line::Pair(
                path.to_owned(),
                a.iter()
                    .map(|x| scalar(req, "", x))
                    .collect::<Vec<_>>()
                    .join(", "),
            ))
        }
        Value::Array(a) if tabular(a) => {
            if !path.is_empty() {
                out.push(Line::Item(path.to_owned()));
            }
            let name = out
                .iter()
                .rev()
                .find_map(|l| match l {
                    Line::Section(t) | Line::Item(t) => Some(t.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            out.push(table(req, name, a));
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let p = if path.is_empty() {
                    format!("{}", i + 1)
                } else {
                    format!("{path} {}", i + 1)
                };
                out.push(Line::Item(p.clone()));
                flatten(req, "", x, out);
            }
        }
        other => out.push(Line::Pair(path.to_owned(), scalar(req, "", other))),
    }
}

#[derive(Template)]
#[template(path = "my_data.html")]
struct DataPage {
    c: Chrome,
    errors: Vec<(String, String)>,
    recheck: crate::forms::Recheck,
    format: String,
}

#[derive(Template)]
#[template(path = "my_data_view.html")]
struct DataView {
    c: Chrome,
    lines: Vec<Line>,
    generated: String,
}

async fn form_page(
    app: &AppState,
    req: &Req,
    errors: Vec<(String, String)>,
    format: &str,
) -> WebResult<DataPage> {
    Ok(DataPage {
        c: Chrome::new(req),
        recheck: crate::forms::Recheck::of(app, req, &errors).await?,
        errors,
        format: format.to_owned(),
    })
}

pub async fn data_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    viewer(&req)?;
    Ok(html(&form_page(&app, &req, Vec::new(), "page").await?))
}

pub async fn data_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    axum::Form(f): crate::accounts::FormData,
) -> WebResult<Response> {
    let format = match crate::accounts::field(&f, "format") {
        "json" => "json",
        "pdf" => "pdf",
        _ => "page",
    };
    let doc = match checked(
        &app,
        &req,
        crate::accounts::field(&f, "password"),
        crate::accounts::field(&f, "code"),
        format,
    )
    .await
    {
        Ok(doc) => doc,
        Err(fail) => {
            let (status, errors) = crate::forms::refusal(&req.tr(), fail, "password")?;
            return Ok(
                (status, html(&form_page(&app, &req, errors, format).await?)).into_response(),
            );
        }
    };
    let generated = jst::format_time(now(), req.lang);
    match format {
        "json" => Ok(json_download(&doc)),
        "pdf" => {
            let tr = req.tr();
            let mut blocks = vec![
                crate::pdf::Block::Title(tr.t("data-view-title")),
                crate::pdf::Block::Line(tr.t1("data-view-generated", "time", &generated)),
            ];
            for l in readable(&req, &doc) {
                blocks.push(match l {
                    Line::Section(t) => crate::pdf::Block::Heading(t),
                    Line::Item(t) => crate::pdf::Block::Line(format!("■ {t}")),
                    Line::Pair(k, v) if k.is_empty() => crate::pdf::Block::Line(v),
                    Line::Pair(k, v) => crate::pdf::Block::Line(format!("{k}: {v}")),
                    Line::Table(_, head, rows) => {
                        for row in rows {
                            let cells: Vec<String> = head
                                .iter()
                                .zip(row)
                                .map(|(h, v)| format!("{h}: {v}"))
                                .collect();
                            blocks
                                .push(crate::pdf::Block::Line(format!("・{}", cells.join(" / "))));
                        }
                        continue;
                    }
                });
            }
            let bytes = crate::pdf::render(&tr.t("data-view-title"), &blocks, &app.cfg.pdf_font)
                .map_err(|e| {
                    tracing::error!(error = %e, "my-data PDF");
                    Failure::Internal
                })?;
            Ok((
                [
                    (header::CONTENT_TYPE, "application/pdf".to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{}\"", filename("pdf")),
                    ),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                bytes,
            )
                .into_response())
        }
        _ => {
            let mut r = html(&DataView {
                c: Chrome::new(&req),
                lines: readable(&req, &doc),
                generated,
            });
            r.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("no-store"),
            );
            Ok(r)
        }
    }
}
