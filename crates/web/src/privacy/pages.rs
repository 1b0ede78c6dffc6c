//! The seeker's privacy settings page and the provision-record downloads (CSV, JSON).
use crate::drafts::get;
use crate::error::{Failure, WebResult};
use crate::forms::FormData;
use crate::forms::all;
use crate::forms::see_other;
use crate::i18n::Tr;
use crate::request::Req;
use crate::request::viewer;
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use std::collections::HashMap;
use store::consents::Record;
use store::profiles::{
    FAMILY_CATEGORIES, OrgRef, Privacy, ProvisionRecord, Setting, SettingRefused,
};

// ------------------------------------------------------------------ privacy settings

#[derive(Template)]
#[template(path = "privacy_settings.html")]
struct PrivacyPage {
    c: Chrome,
    p: Privacy,
    consents: Vec<Record>,
    records: Vec<ProvisionRecord>,
    query: String,
    found: Vec<OrgRef>,
    code_error: Option<String>,
    scout_sections: Vec<(String, String)>,
    family_categories: Vec<(String, String)>,
    org_names: HashMap<String, String>,
    /// Companies with a thread, where the agency stands (delegated, or consented to).
    agency: Vec<store::agency::AgencyCompany>,
    /// (company, when) of every read by the operator's agency staff.
    agency_reads: Vec<(String, String)>,
    /// The worker's standing employments: what each follow-up person sees.
    work_places: Vec<store::retention::WorkPlace>,
}

/// A consent as a row names it: its kind, and whom and what it covers ("スカウトで見せる
/// 項目(特性)"), so that no two rows read alike.
pub(crate) fn consent_label(c: &Chrome, r: &Record, who: Option<String>) -> String {
    let base = c.a(&format!("consent-kind-{}", r.kind));
    let scope = r.scope.as_ref().map(|s| {
        let k = if r.kind == "family_share" {
            format!("share-{s}")
        } else {
            format!("item-{s}")
        };
        c.a(&k)
    });
    match (who, scope) {
        (Some(w), Some(s)) => format!("{base}({w} / {s})"),
        (Some(w), None) => format!("{base}({w})"),
        (None, Some(s)) => format!("{base}({s})"),
        (None, None) => base,
    }
}

impl PrivacyPage {
    fn consent_label(&self, r: &Record) -> String {
        let who = r
            .recipient_id
            .as_ref()
            .and_then(|id| self.org_names.get(id))
            .cloned();
        consent_label(&self.c, r, who)
    }
    fn scout_on(&self, s: &str) -> bool {
        self.p.scout_sections.iter().any(|x| x == s)
    }
    fn basis(&self, b: &str) -> String {
        self.c.a(&format!("basis-{b}"))
    }
    fn items(&self, r: &ProvisionRecord) -> String {
        r.items
            .iter()
            .map(|i| self.c.a(&format!("item-{i}")))
            .collect::<Vec<_>>()
            .join("、")
    }
    fn relation(&self, r: &str) -> String {
        self.c.a(&format!("relation-{r}"))
    }
}

async fn privacy_page(
    app: &AppState,
    req: &Req,
    q: &HashMap<String, String>,
    code_error: Option<String>,
) -> WebResult<PrivacyPage> {
    let v = viewer(req)?;
    let p = app.store.privacy(v.user_id.clone()).await?;
    let consents = app.store.consents_of(v.user_id.clone()).await?;
    let records = app.store.provision_records(v.user_id.clone()).await?;
    let query = q.get("q").cloned().unwrap_or_default();
    let found = if query.trim().is_empty() {
        vec![]
    } else {
        app.store.companies_named(query.clone()).await?
    };
    let mut org_names: HashMap<String, String> = HashMap::new();
    for o in p
        .blocked
        .iter()
        .chain(p.partners.iter())
        .chain(p.supporter.iter())
    {
        org_names.insert(o.id.clone(), o.name.clone());
    }
    for f in &p.family {
        org_names.insert(f.family_id.clone(), f.name.clone());
    }
    for r in &records {
        if let (Some(id), Some(n)) = (&r.recipient_organization_id, &r.recipient_organization) {
            org_names.insert(id.clone(), n.clone());
        }
    }
    let tr = req.tr();
    let agency: Vec<store::agency::AgencyCompany> = app
        .store
        .agency_companies(v.user_id.clone(), now())
        .await?
        .into_iter()
        .filter(|a| a.delegated || a.consent)
        .collect();
    for a in &agency {
        org_names.insert(a.company_id.clone(), a.company_name.clone());
    }
    let agency_reads = app
        .store
        .agency_reads(v.user_id.clone())
        .await?
        .into_iter()
        .map(|r| {
            org_names.insert(r.company_id.clone(), r.company_name.clone());
            (r.company_name, crate::jst::format_time(r.at, tr.lang))
        })
        .collect();
    let flash = q
        .get("m")
        .filter(|m| m.starts_with("privacy-"))
        .map(String::as_str);
    let work_places = app.store.work_places(v.user_id.clone()).await?;
    Ok(PrivacyPage {
        work_places,
        c: Chrome::new(req).flash(flash),
        scout_sections: domain::disclosure::SCOUT_SECTIONS
            .iter()
            .map(|i| (i.as_str().to_owned(), tr.t(&format!("item-{}", i.as_str()))))
            .collect(),
        family_categories: FAMILY_CATEGORIES
            .iter()
            .map(|c| ((*c).to_owned(), tr.t(&format!("share-{c}"))))
            .collect(),
        p,
        consents,
        records,
        query,
        found,
        code_error,
        org_names,
        agency,
        agency_reads,
    })
}

pub async fn privacy(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    Ok(html(&privacy_page(&app, &req, &q, None).await?))
}

async fn apply(app: &AppState, req: &Req, s: Setting, anchor: &str) -> WebResult<Response> {
    let v = viewer(req)?;
    match app
        .store
        .privacy_set(v.user_id.clone(), s, "web", req.ctx.clone(), now())
        .await?
    {
        Ok(()) => Ok(see_other(&format!(
            "/privacy-settings?m=privacy-saved#{anchor}"
        ))),
        Err(SettingRefused::UnknownCode) => {
            let page = privacy_page(
                app,
                req,
                &HashMap::new(),
                Some(req.tr().t("err-code-unknown")),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
        }
        Err(_) => Err(Failure::NotFound),
    }
}

pub async fn scouts(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): FormData,
) -> WebResult<Response> {
    let s = Setting::Scouts {
        enabled: !get(&f, "enabled").is_empty(),
        sections: all(&f, "sections"),
    };
    apply(&app, &req, s, "scouts").await
}

pub async fn block(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): FormData,
) -> WebResult<Response> {
    apply(
        &app,
        &req,
        Setting::Block(get(&f, "organization_id").into()),
        "blocks",
    )
    .await
}

pub async fn unblock(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    apply(&app, &req, Setting::Unblock(id), "blocks").await
}

pub async fn link_facility(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): FormData,
) -> WebResult<Response> {
    apply(
        &app,
        &req,
        Setting::LinkFacility(get(&f, "code").into()),
        "supporter",
    )
    .await
}

pub async fn unlink_facility(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    apply(&app, &req, Setting::UnlinkFacility, "supporter").await
}

pub async fn family_shares(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    apply(
        &app,
        &req,
        Setting::FamilyShares {
            family_id: id,
            categories: all(&f, "categories"),
        },
        "family",
    )
    .await
}

pub async fn partner_withdraw(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    apply(&app, &req, Setting::WithdrawPartner(id), "partners").await
}

/// The provision records as CSV that opens cleanly in Excel (`crate::csv`).
pub fn records_csv(tr: &Tr, records: &[ProvisionRecord]) -> crate::csv::Csv {
    let mut out = crate::csv::Csv::new();
    out.row(
        [
            "csv-first",
            "csv-last",
            "csv-times",
            "csv-organization",
            "csv-person",
            "csv-items",
            "csv-basis",
        ]
        .iter()
        .map(|h| tr.t(h)),
    );
    for r in records {
        let items = r
            .items
            .iter()
            .map(|i| tr.t(&format!("item-{i}")))
            .collect::<Vec<_>>()
            .join(" ");
        out.row([
            crate::jst::format_time(r.first_at, tr.lang),
            crate::jst::format_time(r.last_at, tr.lang),
            r.times.to_string(),
            r.recipient_organization.clone().unwrap_or_default(),
            r.recipient_person.clone(),
            items,
            tr.t(&format!("basis-{}", r.basis)),
        ]);
    }
    out
}

pub async fn records_csv_page(app: &AppState, req: &Req) -> WebResult<Response> {
    let v = viewer(req)?;
    let records = app.store.provision_records(v.user_id.clone()).await?;
    Ok(records_csv(&req.tr(), &records).download("provision-records.csv"))
}

pub async fn records_csv_handler(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    records_csv_page(&app, &req).await
}

pub async fn records_json(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let records = app.store.provision_records(v.user_id.clone()).await?;
    Ok((
        [(
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"provision-records.json\"",
        )],
        axum::Json(serde_json::json!({ "provision_records": records })),
    )
        .into_response())
}
