//! Billing's records: plans, the plan each company or facility is on, and the monthly
//! qualified invoices (適格請求書) with their lines, their sums per rate and whether
//! they are paid. The rules (sums, rounding, months, checks) are `domain::billing`.
//!
//! No person's data is held here: an invoice names the organisation, and a success-fee
//! line the hire's start date and position only. So 退会 and erasure leave invoices as
//! they are, and they are kept until their `keep_until` (the legal period).
use crate::error::{Result, StoreError};
use crate::schema::{
    billing_plans, billing_subscriptions, employments, invoice_lines, invoice_taxes, invoices,
    memberships, organizations,
};
use crate::{DbConn, Store, new_id};
use diesel::prelude::*;
use domain::billing::{Line, LineKind, Month, PlanDraft, RateSum};
use domain::profile::Date;
use domain::{OrgKind, Role};
use serde::Serialize;

/// A plan on offer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Plan {
    pub id: String,
    pub org_kind: OrgKind,
    pub name: String,
    /// Yen per month, before tax.
    pub monthly_fee: i64,
    /// Yen per hire, before tax.
    pub success_fee: i64,
}

/// An organisation that can be billed, with the plan it is on.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Billed {
    pub organization_id: String,
    pub organization_name: String,
    pub org_kind: OrgKind,
    pub plan_id: Option<String>,
    pub plan_name: Option<String>,
    /// The first month billed on the plan (`YYYY-MM`).
    pub since_month: Option<String>,
}

/// Who issues the invoices: the operator's name, address and registration number.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Issuer {
    pub name: String,
    pub address: String,
    /// `T` and 13 digits.
    pub registration_number: String,
}

/// An invoice as listed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InvoiceSummary {
    pub id: String,
    pub number: String,
    pub organization_id: String,
    pub recipient: String,
    /// `YYYY-MM`.
    pub month: String,
    pub issued_on: Date,
    pub due_on: Date,
    /// Yen with tax.
    pub total: i64,
    pub paid_on: Option<Date>,
}

/// An invoice with everything it says.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Invoice {
    /// Number, recipient, month, dates, total and payment.
    pub summary: InvoiceSummary,
    pub issuer: Issuer,
    pub lines: Vec<Line>,
    /// The sums per rate, the highest rate first.
    pub taxes: Vec<RateSum>,
    /// Until when the invoice is kept.
    pub keep_until: Date,
}

/// What a billing run made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RunReport {
    /// Invoices issued now.
    pub issued: u32,
    /// Organisations that already had this month's invoice.
    pub existing: u32,
    /// Organisations on a plan with nothing to bill this month.
    pub nothing_due: u32,
}

/// What became of putting an organisation on a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanSet {
    Done,
    NotFound,
    /// The plan is for the other kind of organisation.
    WrongKind,
}

/// What became of recording a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paid {
    Done,
    NotFound,
    Already,
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap_or(Date {
        y: 1970,
        m: 1,
        d: 1,
    })
}

fn kind(s: &str) -> OrgKind {
    OrgKind::parse(s).unwrap_or(OrgKind::Company)
}

type SummaryRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<String>,
);

fn summary(r: SummaryRow) -> InvoiceSummary {
    InvoiceSummary {
        id: r.0,
        number: r.1,
        organization_id: r.2,
        recipient: r.3,
        month: r.4,
        issued_on: date(&r.5),
        due_on: date(&r.6),
        total: r.7,
        paid_on: r.8.as_deref().map(date),
    }
}

macro_rules! summary_columns {
    () => {
        (
            invoices::id,
            invoices::number,
            invoices::org_id,
            invoices::recipient,
            invoices::month,
            invoices::issued_on,
            invoices::due_on,
            invoices::total,
            invoices::paid_on,
        )
    };
}

/// The organisations `user` is an admin of (only admins see their invoices).
fn admin_orgs(c: &mut DbConn, user: &str) -> Result<Vec<String>> {
    Ok(memberships::table
        .filter(memberships::user_id.eq(user))
        .filter(memberships::ended_at.is_null())
        .filter(
            memberships::role.eq_any([Role::CompanyAdmin.as_str(), Role::FacilityAdmin.as_str()]),
        )
        .select(memberships::org_id)
        .load(c)?)
}

/// The lines one organisation owes for `month`: the plan's monthly fee, and a success
/// fee for each hire whose first day is in the month.
fn lines_due(c: &mut DbConn, org: &str, plan: &Plan, month: Month, rate: u32) -> Result<Vec<Line>> {
    let mut lines = Vec::new();
    if plan.monthly_fee > 0 {
        lines.push(Line::new(
            LineKind::Monthly,
            plan.name.clone(),
            1,
            plan.monthly_fee,
            rate,
        ));
    }
    if plan.success_fee > 0 && plan.org_kind == OrgKind::Company {
        // A hire is billed in the month its first day falls in (入社月), unless it
        // ended on or before that day (an offer declined before the start).
        let (first, last) = (month.first_day().to_string(), month.last_day().to_string());
        let hires: Vec<(String, String, Option<String>)> = employments::table
            .filter(employments::org_id.eq(org))
            .filter(employments::start_date.ge(&first))
            .filter(employments::start_date.le(&last))
            .order((
                employments::start_date,
                employments::created_at,
                employments::id,
            ))
            .select((
                employments::start_date,
                employments::position,
                employments::end_date,
            ))
            .load(c)?;
        for (start, position, end) in hires {
            if end.is_some_and(|e| e <= start) {
                continue;
            }
            lines.push(Line::new(
                LineKind::Success,
                format!("{start} {position}"),
                1,
                plan.success_fee,
                rate,
            ));
        }
    }
    Ok(lines)
}

/// Issues one organisation's invoice for `month`, unless it has one. `Ok(None)`: it
/// has one already, or nothing is due.
fn issue(
    c: &mut DbConn,
    org: &str,
    plan: &Plan,
    month: Month,
    issuer: &Issuer,
    today: Date,
    now: i64,
) -> Result<Option<bool>> {
    let has: i64 = invoices::table
        .filter(invoices::org_id.eq(org))
        .filter(invoices::month.eq(month.to_string()))
        .count()
        .get_result(c)?;
    if has > 0 {
        return Ok(Some(false));
    }
    let lines = lines_due(c, org, plan, month, domain::billing::standard_rate(today))?;
    if lines.is_empty() {
        return Ok(None);
    }
    let (taxes, total) = domain::billing::sums(&lines);
    let recipient: String = organizations::table
        .filter(organizations::id.eq(org))
        .select(organizations::name)
        .first(c)?;
    // Numbers run per month of issue; the unique index refuses one taken twice.
    let taken: i64 = invoices::table
        .filter(invoices::month.eq(month.to_string()))
        .count()
        .get_result(c)?;
    let id = new_id();
    let due = Month::of(today).next().last_day();
    diesel::insert_into(invoices::table)
        .values((
            invoices::id.eq(&id),
            invoices::number.eq(domain::billing::invoice_number(month, taken + 1)),
            invoices::org_id.eq(org),
            invoices::month.eq(month.to_string()),
            invoices::issued_on.eq(today.to_string()),
            invoices::due_on.eq(due.to_string()),
            invoices::recipient.eq(recipient),
            invoices::issuer_name.eq(&issuer.name),
            invoices::issuer_address.eq(&issuer.address),
            invoices::registration_number.eq(&issuer.registration_number),
            invoices::total.eq(total),
            invoices::keep_until.eq(domain::billing::keep_until(today).to_string()),
            invoices::created_at.eq(now),
        ))
        .execute(c)?;
    for (pos, l) in lines.iter().enumerate() {
        diesel::insert_into(invoice_lines::table)
            .values((
                invoice_lines::invoice_id.eq(&id),
                invoice_lines::pos.eq(pos as i32),
                invoice_lines::kind.eq(l.kind.as_str()),
                invoice_lines::detail.eq(&l.detail),
                invoice_lines::quantity.eq(l.quantity),
                invoice_lines::unit_price.eq(l.unit_price),
                invoice_lines::amount.eq(l.amount),
                invoice_lines::tax_rate.eq(l.tax_rate as i32),
            ))
            .execute(c)?;
    }
    for t in &taxes {
        diesel::insert_into(invoice_taxes::table)
            .values((
                invoice_taxes::invoice_id.eq(&id),
                invoice_taxes::tax_rate.eq(t.tax_rate as i32),
                invoice_taxes::base.eq(t.base),
                invoice_taxes::tax.eq(t.tax),
            ))
            .execute(c)?;
    }
    Ok(Some(true))
}

fn load_invoice(c: &mut DbConn, id: &str) -> Result<Option<Invoice>> {
    let Some((row, (name, address, number, keep))) = invoices::table
        .filter(invoices::id.eq(id))
        .select((
            summary_columns!(),
            (
                invoices::issuer_name,
                invoices::issuer_address,
                invoices::registration_number,
                invoices::keep_until,
            ),
        ))
        .first::<(SummaryRow, (String, String, String, String))>(c)
        .optional()?
    else {
        return Ok(None);
    };
    let lines = invoice_lines::table
        .filter(invoice_lines::invoice_id.eq(id))
        .order(invoice_lines::pos)
        .select((
            invoice_lines::kind,
            invoice_lines::detail,
            invoice_lines::quantity,
            invoice_lines::unit_price,
            invoice_lines::amount,
            invoice_lines::tax_rate,
        ))
        .load::<(String, String, i64, i64, i64, i32)>(c)?
        .into_iter()
        .map(|(k, detail, quantity, unit_price, amount, rate)| Line {
            kind: LineKind::parse(&k).unwrap_or(LineKind::Monthly),
            detail,
            quantity,
            unit_price,
            amount,
            tax_rate: rate as u32,
        })
        .collect();
    let taxes = invoice_taxes::table
        .filter(invoice_taxes::invoice_id.eq(id))
        .order(invoice_taxes::tax_rate.desc())
        .select((
            invoice_taxes::tax_rate,
            invoice_taxes::base,
            invoice_taxes::tax,
        ))
        .load::<(i32, i64, i64)>(c)?
        .into_iter()
        .map(|(r, base, tax)| RateSum {
            tax_rate: r as u32,
            base,
            tax,
        })
        .collect();
    Ok(Some(Invoice {
        summary: summary(row),
        issuer: Issuer {
            name,
            address,
            registration_number: number,
        },
        lines,
        taxes,
        keep_until: date(&keep),
    }))
}

/// Adds a plan; its id (also the demo data's).
pub fn insert_plan(c: &mut DbConn, staff: &str, p: &PlanDraft, now: i64) -> Result<String> {
    let id = new_id();
    diesel::insert_into(billing_plans::table)
        .values((
            billing_plans::id.eq(&id),
            billing_plans::org_kind.eq(p.org_kind.as_str()),
            billing_plans::name.eq(&p.name),
            billing_plans::monthly_fee.eq(p.monthly_fee),
            billing_plans::success_fee.eq(p.success_fee),
            billing_plans::created_by.eq(staff),
            billing_plans::created_at.eq(now),
        ))
        .execute(c)?;
    Ok(id)
}

/// Puts `org` on `plan` from `since` on, replacing its plan (the kinds are checked by
/// the caller).
pub fn put_on_plan(
    c: &mut DbConn,
    org: &str,
    plan: &str,
    since: Month,
    staff: &str,
    now: i64,
) -> Result<()> {
    diesel::delete(billing_subscriptions::table.filter(billing_subscriptions::org_id.eq(org)))
        .execute(c)?;
    diesel::insert_into(billing_subscriptions::table)
        .values((
            billing_subscriptions::org_id.eq(org),
            billing_subscriptions::plan_id.eq(plan),
            billing_subscriptions::since_month.eq(since.to_string()),
            billing_subscriptions::set_by.eq(staff),
            billing_subscriptions::set_at.eq(now),
        ))
        .execute(c)?;
    Ok(())
}

impl Store {
    /// Every plan, newest first.
    pub async fn billing_plans(&self) -> Result<Vec<Plan>> {
        self.db
            .read(|c| {
                Ok(billing_plans::table
                    .order((billing_plans::created_at.desc(), billing_plans::id))
                    .select((
                        billing_plans::id,
                        billing_plans::org_kind,
                        billing_plans::name,
                        billing_plans::monthly_fee,
                        billing_plans::success_fee,
                    ))
                    .load::<(String, String, String, i64, i64)>(c)?
                    .into_iter()
                    .map(|(id, k, name, monthly_fee, success_fee)| Plan {
                        id,
                        org_kind: kind(&k),
                        name,
                        monthly_fee,
                        success_fee,
                    })
                    .collect())
            })
            .await
    }

    /// Adds a plan; its id.
    pub async fn billing_plan_create(
        &self,
        staff: String,
        p: PlanDraft,
        now: i64,
    ) -> Result<String> {
        self.db
            .write(move |c| insert_plan(c, &staff, &p, now))
            .await
    }

    /// Every company and facility, by kind and name, with its plan.
    pub async fn billing_organizations(&self) -> Result<Vec<Billed>> {
        self.db
            .read(|c| {
                Ok(organizations::table
                    .left_join(billing_subscriptions::table.left_join(billing_plans::table))
                    .order((organizations::kind, organizations::name, organizations::id))
                    .select((
                        organizations::id,
                        organizations::name,
                        organizations::kind,
                        billing_subscriptions::plan_id.nullable(),
                        billing_plans::name.nullable(),
                        billing_subscriptions::since_month.nullable(),
                    ))
                    .load::<(
                        String,
                        String,
                        String,
                        Option<String>,
                        Option<String>,
                        Option<String>,
                    )>(c)?
                    .into_iter()
                    .map(|(id, name, k, plan_id, plan_name, since)| Billed {
                        organization_id: id,
                        organization_name: name,
                        org_kind: kind(&k),
                        plan_id,
                        plan_name,
                        since_month: since,
                    })
                    .collect())
            })
            .await
    }

    /// Puts `org` on `plan` from `since` on (replacing its plan).
    pub async fn billing_set_plan(
        &self,
        staff: String,
        org: String,
        plan: String,
        since: Month,
        now: i64,
    ) -> Result<PlanSet> {
        self.db
            .write(move |c| {
                let org_kind: Option<String> = organizations::table
                    .filter(organizations::id.eq(&org))
                    .select(organizations::kind)
                    .first(c)
                    .optional()?;
                let plan_kind: Option<String> = billing_plans::table
                    .filter(billing_plans::id.eq(&plan))
                    .select(billing_plans::org_kind)
                    .first(c)
                    .optional()?;
                let (Some(o), Some(p)) = (org_kind, plan_kind) else {
                    return Ok(PlanSet::NotFound);
                };
                if o != p {
                    return Ok(PlanSet::WrongKind);
                }
                put_on_plan(c, &org, &plan, since, &staff, now)?;
                Ok(PlanSet::Done)
            })
            .await
    }

    /// Issues `month`'s invoice to every organisation on a plan since that month or
    /// before, dated `today`. Each organisation's invoice is one transaction, and one
    /// per organisation and month (a unique index): a second run, or two nodes running
    /// at once, issue nothing twice.
    pub async fn billing_run(
        &self,
        month: Month,
        issuer: Issuer,
        today: Date,
        now: i64,
    ) -> Result<RunReport> {
        let due: Vec<(String, Plan)> = self
            .db
            .read(move |c| {
                Ok(billing_subscriptions::table
                    .inner_join(billing_plans::table)
                    .filter(billing_subscriptions::since_month.le(month.to_string()))
                    .order(billing_subscriptions::org_id)
                    .select((
                        billing_subscriptions::org_id,
                        billing_plans::id,
                        billing_plans::org_kind,
                        billing_plans::name,
                        billing_plans::monthly_fee,
                        billing_plans::success_fee,
                    ))
                    .load::<(String, String, String, String, i64, i64)>(c)?
                    .into_iter()
                    .map(|(org, id, k, name, monthly_fee, success_fee)| {
                        (
                            org,
                            Plan {
                                id,
                                org_kind: kind(&k),
                                name,
                                monthly_fee,
                                success_fee,
                            },
                        )
                    })
                    .collect())
            })
            .await?;
        // Organisations with the month's invoice are counted, not written to again (the
        // hourly sweep would otherwise open a write for each of them every hour).
        let done: std::collections::HashSet<String> = self
            .db
            .read(move |c| {
                Ok(invoices::table
                    .filter(invoices::month.eq(month.to_string()))
                    .select(invoices::org_id)
                    .load(c)?
                    .into_iter()
                    .collect())
            })
            .await?;
        let mut report = RunReport::default();
        for (org, plan) in due {
            if done.contains(&org) {
                report.existing += 1;
                continue;
            }
            let issuer = issuer.clone();
            let made = self
                .db
                .write(move |c| issue(c, &org, &plan, month, &issuer, today, now))
                .await;
            match made {
                Ok(Some(true)) => report.issued += 1,
                Ok(Some(false)) => report.existing += 1,
                Ok(None) => report.nothing_due += 1,
                // Another node issued it (or took the number) between our check and insert.
                Err(StoreError::Db(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                ))) => report.existing += 1,
                Err(e) => return Err(e),
            }
        }
        Ok(report)
    }

    /// The invoices of `month`, by number.
    pub async fn invoices_of_month(&self, month: Month) -> Result<Vec<InvoiceSummary>> {
        self.db
            .read(move |c| {
                Ok(invoices::table
                    .filter(invoices::month.eq(month.to_string()))
                    .order(invoices::number)
                    .select(summary_columns!())
                    .load::<SummaryRow>(c)?
                    .into_iter()
                    .map(summary)
                    .collect())
            })
            .await
    }

    /// Every invoice of `month` with its lines and sums (the accounting CSV).
    pub async fn invoices_full(&self, month: Month) -> Result<Vec<Invoice>> {
        self.db
            .read(move |c| {
                let ids: Vec<String> = invoices::table
                    .filter(invoices::month.eq(month.to_string()))
                    .order(invoices::number)
                    .select(invoices::id)
                    .load(c)?;
                let mut out = Vec::new();
                for id in ids {
                    out.extend(load_invoice(c, &id)?);
                }
                Ok(out)
            })
            .await
    }

    /// Whether `user` is an admin of a company or facility (who sees its invoices).
    pub async fn billing_admin(&self, user: String) -> Result<bool> {
        self.db
            .read(move |c| Ok(!admin_orgs(c, &user)?.is_empty()))
            .await
    }

    /// The invoices of the organisations `user` is an admin of, newest first.
    pub async fn invoices_of_admin(&self, user: String) -> Result<Vec<InvoiceSummary>> {
        self.db
            .read(move |c| {
                let orgs = admin_orgs(c, &user)?;
                Ok(invoices::table
                    .filter(invoices::org_id.eq_any(orgs))
                    .order((invoices::month.desc(), invoices::number))
                    .select(summary_columns!())
                    .load::<SummaryRow>(c)?
                    .into_iter()
                    .map(summary)
                    .collect())
            })
            .await
    }

    /// One invoice: for billing staff (`admin_of: None`) any, for an organisation's
    /// admin (`Some(user)`) only their organisation's.
    pub async fn invoice(&self, id: String, admin_of: Option<String>) -> Result<Option<Invoice>> {
        self.db
            .read(move |c| {
                let Some(inv) = load_invoice(c, &id)? else {
                    return Ok(None);
                };
                if let Some(user) = admin_of
                    && !admin_orgs(c, &user)?.contains(&inv.summary.organization_id)
                {
                    return Ok(None);
                }
                Ok(Some(inv))
            })
            .await
    }

    /// Records that an invoice was paid on `day`.
    pub async fn invoice_paid(&self, staff: String, id: String, day: Date) -> Result<Paid> {
        self.db
            .write(move |c| {
                let paid: Option<Option<String>> = invoices::table
                    .filter(invoices::id.eq(&id))
                    .select(invoices::paid_on)
                    .first(c)
                    .optional()?;
                match paid {
                    None => Ok(Paid::NotFound),
                    Some(Some(_)) => Ok(Paid::Already),
                    Some(None) => {
                        diesel::update(invoices::table.filter(invoices::id.eq(&id)))
                            .set((
                                invoices::paid_on.eq(day.to_string()),
                                invoices::paid_recorded_by.eq(&staff),
                            ))
                            .execute(c)?;
                        Ok(Paid::Done)
                    }
                }
            })
            .await
    }
}
