//! The billing staff's pages: the invoices of a month (the run that issues them, their
//! status, the accounting CSV), one invoice with its payment, and the plans with the
//! plan each company or facility is on.
use super::{InvoicePage, month_text, status_text, yen};
use crate::csv::Csv;
use crate::error::{Failure, WebResult};
use crate::forms::{Builder, Field, FormData, errors_map, see_other};
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, jst, now};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::Fields;
use domain::billing::Month;
use domain::jobs::Source;
use std::collections::HashMap;
use store::billing::{Paid, PlanSet};

const FLASH: &[&str] = &[
    "billing-run-done",
    "billing-plan-created",
    "billing-plan-set",
    "billing-paid-done",
];

/// The month a page shows: `?month=`, else the last month that has ended.
fn shown_month(q: &HashMap<String, String>) -> Month {
    q.get("month")
        .and_then(|m| Month::parse(m))
        .unwrap_or_else(|| Month::last_ended(jst::today()))
}

#[derive(Template)]
#[template(path = "billing_operator.html")]
struct InvoicesPage {
    c: Chrome,
    month: String,
    month_label: String,
    /// (id, number, recipient, total, status).
    invoices: Vec<(String, String, String, String, String)>,
    total: String,
    run: Vec<Field>,
    errors: Vec<(String, String)>,
    /// The run's outcome, when one just happened.
    report: Option<String>,
    /// Whether invoices can be issued (the issuer's name and registration number are set).
    issuer: Option<store::billing::Issuer>,
}

async fn invoices_page(
    app: &AppState,
    req: &Req,
    month: Month,
    typed: &[(String, String)],
    f: &Fields,
    q: &HashMap<String, String>,
) -> WebResult<InvoicesPage> {
    let tr = req.tr();
    let (map, errors) = errors_map(&tr, f);
    let b = Builder {
        tr: &tr,
        prefix: "billing-f",
        typed,
        errors: map,
    };
    let mut run = b.text("month");
    if run.value.is_empty() {
        run.value = Month::last_ended(jst::today()).to_string();
    }
    let list = app.store.invoices_of_month(month).await?;
    let total = yen(&tr, list.iter().map(|i| i.total).sum());
    let report = match (q.get("issued"), q.get("existing"), q.get("nothing")) {
        (Some(a), Some(b), Some(n)) => Some(tr.tn(
            "billing-run-report",
            &[("issued", a), ("existing", b), ("nothing", n)],
        )),
        _ => None,
    };
    Ok(InvoicesPage {
        c: Chrome::new(req).flash(crate::accounts::flash_in(q, FLASH)),
        month: month.to_string(),
        month_label: month_text(&tr, &month.to_string()),
        invoices: list
            .iter()
            .map(|i| {
                (
                    i.id.clone(),
                    i.number.clone(),
                    i.recipient.clone(),
                    yen(&tr, i.total),
                    status_text(&tr, i),
                )
            })
            .collect(),
        total,
        run: vec![run],
        errors,
        report,
        issuer: app.cfg.operator.issuer(),
    })
}

pub async fn invoices(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let m = shown_month(&q);
    Ok(html(
        &invoices_page(&app, &req, m, &[], &Fields::new(), &q).await?,
    ))
}

/// Issues a month's invoices (shared with the API and `tsunagu billing run`).
pub async fn run(app: &AppState, raw_month: &str) -> WebResult<(Month, store::billing::RunReport)> {
    let month = domain::billing::check_month(raw_month, jst::today())?;
    let Some(issuer) = app.cfg.operator.issuer() else {
        return Err(Failure::field("month", "billing-issuer-missing"));
    };
    let r = app
        .store
        .billing_run(month, issuer, jst::today(), now())
        .await?;
    Ok((month, r))
}

pub async fn run_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    axum::Form(f): FormData,
) -> WebResult<Response> {
    match run(&app, f.one("month")).await {
        Ok((m, r)) => Ok(see_other(&format!(
            "/operator/billing?month={m}&m=billing-run-done&issued={}&existing={}&nothing={}",
            r.issued, r.existing, r.nothing_due
        ))),
        Err(Failure::Fields(fields)) => {
            let m = Month::last_ended(jst::today());
            let p = invoices_page(&app, &req, m, &f, &fields, &HashMap::new()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&p)).into_response())
        }
        Err(e) => Err(e),
    }
}

/// The accounting CSV of a month: one row per invoice and rate (UTF-8 with BOM).
pub async fn invoices_csv(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let tr = req.tr();
    let month = shown_month(&q);
    let mut out = Csv::new();
    out.row(
        [
            "number",
            "issued_on",
            "month",
            "recipient",
            "tax_rate_percent",
            "amount_before_tax",
            "tax",
            "invoice_total",
            "due_on",
            "paid_on",
            "registration_number",
        ]
        .map(|k| tr.t(&format!("billing-csv-{k}"))),
    );
    for i in app.store.invoices_full(month).await? {
        let s = &i.summary;
        for t in &i.taxes {
            out.row([
                s.number.clone(),
                s.issued_on.to_string(),
                s.month.clone(),
                s.recipient.clone(),
                t.tax_rate.to_string(),
                t.base.to_string(),
                t.tax.to_string(),
                s.total.to_string(),
                s.due_on.to_string(),
                s.paid_on.map(|d| d.to_string()).unwrap_or_default(),
                i.issuer.registration_number.clone(),
            ]);
        }
    }
    Ok(out.download("invoices.csv"))
}

async fn invoice_of(app: &AppState, id: String) -> WebResult<store::billing::Invoice> {
    app.store.invoice(id, None).await?.ok_or(Failure::NotFound)
}

pub async fn invoice(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let i = invoice_of(&app, id).await?;
    let mut p = InvoicePage::new(&req, i, true);
    p.c = p.c.flash(crate::accounts::flash_in(&q, FLASH));
    Ok(html(&p))
}

pub async fn invoice_pdf(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let i = invoice_of(&app, id).await?;
    super::pdf(&app, &req.tr(), &i)
}

/// Records a payment (shared with the API).
pub async fn record_paid(app: &AppState, req: &Req, id: String, raw_day: &str) -> WebResult<()> {
    let v = viewer(req)?;
    let i = invoice_of(app, id.clone()).await?;
    let day = domain::billing::check_paid_on(raw_day, i.summary.issued_on, jst::today())?;
    match app.store.invoice_paid(v.user_id.clone(), id, day).await? {
        Paid::Done => Ok(()),
        Paid::NotFound => Err(Failure::NotFound),
        Paid::Already => Err(Failure::field("paid_on", "billing-paid-already")),
    }
}

pub async fn paid_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    axum::Form(f): FormData,
) -> WebResult<Response> {
    let day = f.one("paid_on").to_owned();
    match record_paid(&app, &req, id.clone(), &day).await {
        Ok(()) => Ok(see_other(&format!(
            "/operator/billing/invoices/{id}?m=billing-paid-done"
        ))),
        Err(Failure::Fields(fields)) => {
            let mut p = InvoicePage::new(&req, invoice_of(&app, id).await?, true);
            p.errors = crate::forms::field_errors(&req.tr(), &fields);
            p.paid_on = day;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&p)).into_response())
        }
        Err(e) => Err(e),
    }
}

// ------------------------------------------------------------------ plans

#[derive(Template)]
#[template(path = "billing_plans.html")]
struct PlansPage {
    c: Chrome,
    /// (name, kind label, monthly fee, success fee).
    plans: Vec<(String, String, String, String)>,
    /// (organisation, kind label, plan name or "none", since).
    orgs: Vec<(String, String, String, String)>,
    plan_form: Vec<Field>,
    set_form: Vec<Field>,
    errors: Vec<(String, String)>,
}

async fn plans_page(
    app: &AppState,
    req: &Req,
    typed: &[(String, String)],
    f: &Fields,
    flash: Option<&'static str>,
) -> WebResult<PlansPage> {
    let tr = req.tr();
    let (map, errors) = errors_map(&tr, f);
    let b = Builder {
        tr: &tr,
        prefix: "billing-f",
        typed,
        errors: map,
    };
    let plans = app.store.billing_plans().await?;
    let orgs = app.store.billing_organizations().await?;
    let kind_label = |k: domain::OrgKind| tr.t(&format!("billing-kind-{}", k.as_str()));
    let mut org_kind = b.radios(
        "org_kind",
        ["company", "facility"]
            .iter()
            .map(|k| ((*k).to_owned(), tr.t(&format!("billing-kind-{k}"))))
            .collect(),
    );
    if org_kind.values.is_empty() {
        org_kind.values = vec!["company".into()];
    }
    let mut since = b.text("since_month");
    if since.value.is_empty() {
        since.value = Month::of(jst::today()).to_string();
    }
    Ok(PlansPage {
        c: Chrome::new(req).flash(flash),
        plans: plans
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    kind_label(p.org_kind),
                    yen(&tr, p.monthly_fee),
                    yen(&tr, p.success_fee),
                )
            })
            .collect(),
        set_form: vec![
            b.select(
                "organization",
                orgs.iter()
                    .map(|o| {
                        (
                            o.organization_id.clone(),
                            format!("{}({})", o.organization_name, kind_label(o.org_kind)),
                        )
                    })
                    .collect(),
            ),
            b.select(
                "plan",
                plans
                    .iter()
                    .map(|p| {
                        (
                            p.id.clone(),
                            format!("{}({})", p.name, kind_label(p.org_kind)),
                        )
                    })
                    .collect(),
            ),
            since,
        ],
        orgs: orgs
            .into_iter()
            .map(|o| {
                (
                    o.organization_name,
                    kind_label(o.org_kind),
                    o.plan_name.unwrap_or_else(|| tr.t("billing-no-plan")),
                    o.since_month
                        .map(|m| month_text(&tr, &m))
                        .unwrap_or_default(),
                )
            })
            .collect(),
        plan_form: vec![
            org_kind,
            b.text("name"),
            b.number("monthly_fee"),
            b.number("success_fee"),
        ],
        errors,
    })
}

pub async fn plans(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let flash = crate::accounts::flash_in(&q, FLASH);
    Ok(html(
        &plans_page(&app, &req, &[], &Fields::new(), flash).await?,
    ))
}

async fn plans_refused(
    app: &AppState,
    req: &Req,
    f: &[(String, String)],
    e: Failure,
) -> WebResult<Response> {
    match e {
        Failure::Fields(fields) => {
            let p = plans_page(app, req, f, &fields, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&p)).into_response())
        }
        other => Err(other),
    }
}

/// Checks and adds a plan (shared with the API).
pub async fn create_plan(
    app: &AppState,
    req: &Req,
    kind: &str,
    name: &str,
    monthly: &str,
    success: &str,
) -> WebResult<String> {
    let v = viewer(req)?;
    let draft = domain::billing::check_plan(kind, name, monthly, success)?;
    Ok(app
        .store
        .billing_plan_create(v.user_id.clone(), draft, now())
        .await?)
}

pub async fn plan_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    axum::Form(f): FormData,
) -> WebResult<Response> {
    let g = |k| f.one(k).to_owned();
    match create_plan(
        &app,
        &req,
        &g("org_kind"),
        &g("name"),
        &g("monthly_fee"),
        &g("success_fee"),
    )
    .await
    {
        Ok(_) => Ok(see_other("/operator/billing/plans?m=billing-plan-created")),
        Err(e) => plans_refused(&app, &req, &f, e).await,
    }
}

/// Puts an organisation on a plan from a month on (shared with the API).
pub async fn set_plan(
    app: &AppState,
    req: &Req,
    org: String,
    plan: &str,
    since: &str,
) -> WebResult<()> {
    let v = viewer(req)?;
    let mut f = Fields::new();
    if plan.is_empty() {
        f.add("plan", "required");
    }
    let since = Month::parse(since);
    if since.is_none() {
        f.add("since_month", "billing-month-invalid");
    }
    f.into_result()?;
    let since = since.unwrap_or_else(|| Month::of(jst::today()));
    match app
        .store
        .billing_set_plan(v.user_id.clone(), org, plan.to_owned(), since, now())
        .await?
    {
        PlanSet::Done => Ok(()),
        PlanSet::NotFound => Err(Failure::NotFound),
        PlanSet::WrongKind => Err(Failure::field("plan", "billing-plan-kind")),
    }
}

pub async fn set_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    axum::Form(f): FormData,
) -> WebResult<Response> {
    let org = f.one("organization").to_owned();
    if org.is_empty() {
        return plans_refused(&app, &req, &f, Failure::field("organization", "required")).await;
    }
    match set_plan(&app, &req, org, f.one("plan"), f.one("since_month")).await {
        Ok(()) => Ok(see_other("/operator/billing/plans?m=billing-plan-set")),
        Err(Failure::NotFound) => {
            plans_refused(
                &app,
                &req,
                &f,
                Failure::field("organization", "choice-invalid"),
            )
            .await
        }
        Err(e) => plans_refused(&app, &req, &f, e).await,
    }
}
