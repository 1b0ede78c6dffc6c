//! Billing (請求): the billing staff's plans, the plan each company or facility is on,
//! the monthly run that issues qualified invoices, payments and the accounting CSV
//! (`operator`); the invoices an organisation's admin sees (`org`); the JSON API
//! (`api`). What an invoice says, in words and in its PDF, is here, for all of them.
//! The sums and checks are `domain::billing`; the records are `store::billing`.
pub mod api;
pub mod operator;
pub mod org;

use crate::AppState;
use crate::error::{Failure, WebResult};
use crate::i18n::Tr;
use crate::jst;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::billing::{Line, LineKind, Month};
use store::billing::Invoice;

/// Yen as people read it: 12,345円 (ja), ¥12,345 (en).
pub fn yen(tr: &Tr, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if n < 0 { "-" } else { "" };
    tr.tn("billing-yen", &[("amount", &format!("{sign}{grouped}"))])
}

/// A month as a line of text: 2026年11月, or 2026-11.
pub fn month_text(tr: &Tr, m: &str) -> String {
    match Month::parse(m) {
        Some(m) => tr.tn(
            "billing-month",
            &[("y", &m.y.to_string()), ("m", &m.m.to_string())],
        ),
        None => m.to_owned(),
    }
}

/// What a line bills, in words.
pub fn line_text(tr: &Tr, l: &Line, month: &str) -> String {
    match l.kind {
        LineKind::Monthly => tr.tn(
            "billing-line-monthly",
            &[("plan", &l.detail), ("month", &month_text(tr, month))],
        ),
        LineKind::Success => tr.tn("billing-line-success", &[("detail", &l.detail)]),
    }
}

/// An invoice as lines of (label, text), in the order it is printed.
pub fn facts(tr: &Tr, i: &Invoice) -> Vec<(String, String)> {
    let s = &i.summary;
    vec![
        (tr.t("billing-number"), s.number.clone()),
        (
            tr.t("billing-issued-on"),
            jst::day_text(s.issued_on, tr.lang),
        ),
        (tr.t("billing-period"), month_text(tr, &s.month)),
        (tr.t("billing-due-on"), jst::day_text(s.due_on, tr.lang)),
        (tr.t("billing-issuer"), i.issuer.name.clone()),
        (tr.t("billing-issuer-address"), i.issuer.address.clone()),
        (
            tr.t("billing-registration-number"),
            i.issuer.registration_number.clone(),
        ),
    ]
}

/// The invoice's status as a word: paid on, overdue, or unpaid.
pub fn status_text(tr: &Tr, s: &store::billing::InvoiceSummary) -> String {
    match s.paid_on {
        Some(d) => tr.tn("billing-paid-on", &[("date", &jst::day_text(d, tr.lang))]),
        None if s.due_on < jst::today() => tr.t("billing-overdue"),
        None => tr.t("billing-unpaid"),
    }
}

/// The invoice as a PDF: the qualified invoice's items, each on its own line.
pub fn pdf(app: &AppState, tr: &Tr, i: &Invoice) -> WebResult<Response> {
    use crate::pdf::Block;
    let mut b = vec![
        Block::Title(tr.t("billing-invoice-title")),
        Block::Line(tr.tn("billing-to", &[("name", &i.summary.recipient)])),
    ];
    for (k, v) in facts(tr, i) {
        b.push(Block::Line(format!("{k}: {v}")));
    }
    b.push(Block::Heading(tr.t("billing-lines")));
    for l in &i.lines {
        b.push(Block::Line(tr.tn(
            "billing-line-pdf",
            &[
                ("what", &line_text(tr, l, &i.summary.month)),
                ("quantity", &l.quantity.to_string()),
                ("unit", &yen(tr, l.unit_price)),
                ("amount", &yen(tr, l.amount)),
                ("rate", &l.tax_rate.to_string()),
            ],
        )));
    }
    b.push(Block::Heading(tr.t("billing-per-rate")));
    for t in &i.taxes {
        b.push(Block::Line(rate_text(tr, t)));
    }
    b.push(Block::Line(format!(
        "{}: {}",
        tr.t("billing-total"),
        yen(tr, i.summary.total)
    )));
    b.push(Block::Line(tr.t("billing-rounding")));
    let bytes =
        crate::pdf::render(&tr.t("billing-invoice-title"), &b, &app.cfg.pdf_font).map_err(|e| {
            tracing::error!(error = %e, "invoice PDF");
            Failure::Internal
        })?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"invoice-{}.pdf\"", i.summary.number),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// One rate's sums as a line: 10%対象 12,345円(消費税 1,234円).
pub fn rate_text(tr: &Tr, t: &domain::billing::RateSum) -> String {
    tr.tn(
        "billing-rate-line",
        &[
            ("rate", &t.tax_rate.to_string()),
            ("base", &yen(tr, t.base)),
            ("tax", &yen(tr, t.tax)),
        ],
    )
}

/// The page of one invoice, for billing staff (with the payment form) or for the
/// organisation's admin.
#[derive(askama::Template)]
#[template(path = "invoice.html")]
pub struct InvoicePage {
    pub c: crate::view::Chrome,
    pub i: Invoice,
    pub facts: Vec<(String, String)>,
    /// (what, quantity, unit price, amount, rate %).
    pub lines: Vec<(String, i64, String, String, u32)>,
    pub rates: Vec<String>,
    pub total: String,
    pub status: String,
    /// Where the PDF is downloaded.
    pub pdf_href: String,
    /// Where "back" leads.
    pub back: (&'static str, String),
    /// Billing staff: the payment form (with its errors and typed date).
    pub staff: bool,
    pub errors: Vec<(String, String)>,
    pub paid_on: String,
}

impl InvoicePage {
    pub fn new(req: &crate::request::Req, i: Invoice, staff: bool) -> Self {
        let tr = req.tr();
        let prefix = if staff {
            "/operator/billing"
        } else {
            "/billing"
        };
        Self {
            c: crate::view::Chrome::new(req),
            facts: facts(&tr, &i),
            lines: i
                .lines
                .iter()
                .map(|l| {
                    (
                        line_text(&tr, l, &i.summary.month),
                        l.quantity,
                        yen(&tr, l.unit_price),
                        yen(&tr, l.amount),
                        l.tax_rate,
                    )
                })
                .collect(),
            rates: i.taxes.iter().map(|t| rate_text(&tr, t)).collect(),
            total: yen(&tr, i.summary.total),
            status: status_text(&tr, &i.summary),
            pdf_href: format!("{prefix}/invoices/{}/pdf", i.summary.id),
            back: (
                prefix,
                tr.t(if staff {
                    "billing-title"
                } else {
                    "billing-org-title"
                }),
            ),
            staff,
            errors: Vec::new(),
            paid_on: jst::today().to_string(),
            i,
        }
    }
    fn error(&self, f: &str) -> Option<&str> {
        crate::forms::error_in(&self.errors, f)
    }
}
