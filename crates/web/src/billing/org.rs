//! The invoices a company's or a facility's admin sees: the list, each invoice and its
//! PDF. Other members see that only admins see invoices.
use super::{InvoicePage, month_text, status_text, yen};
use crate::AppState;
use crate::error::{Failure, WebResult};
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;

#[derive(Template)]
#[template(path = "billing_org.html")]
struct ListPage {
    c: Chrome,
    /// Whether the viewer is an admin (other members are told who sees invoices).
    admin: bool,
    /// (id, number, month, total, status).
    invoices: Vec<(String, String, String, String, String)>,
}

pub async fn list(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let tr = req.tr();
    let list = app.store.invoices_of_admin(v.user_id.clone()).await?;
    Ok(html(&ListPage {
        c: Chrome::new(&req),
        admin: app.store.billing_admin(v.user_id.clone()).await?,
        invoices: list
            .iter()
            .map(|i| {
                (
                    i.id.clone(),
                    i.number.clone(),
                    month_text(&tr, &i.month),
                    yen(&tr, i.total),
                    status_text(&tr, i),
                )
            })
            .collect(),
    }))
}

async fn mine(app: &AppState, req: &Req, id: String) -> WebResult<store::billing::Invoice> {
    let v = viewer(req)?;
    app.store
        .invoice(id, Some(v.user_id.clone()))
        .await?
        .ok_or(Failure::NotFound)
}

pub async fn invoice(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let i = mine(&app, &req, id).await?;
    Ok(html(&InvoicePage::new(&req, i, false)))
}

pub async fn invoice_pdf(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let i = mine(&app, &req, id).await?;
    super::pdf(&app, &req.tr(), &i)
}
