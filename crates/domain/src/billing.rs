//! Billing's rules: the plans companies and facilities pay for (a monthly fee, and for
//! companies a success fee per hire; seekers and families are never charged), the
//! month an invoice covers, and the invoice's sums as the qualified-invoice rules
//! (適格請求書, 消費税法57条の4) want them: the amounts and the tax per rate, the tax
//! rounded once per rate per invoice. How long an invoice is kept is here too.
use crate::OrgKind;
use crate::profile::Date;
use crate::validate::Fields;
use serde::Serialize;

/// The consumption-tax rates in force, as one dated table (a change of law is a row):
/// (from, standard rate %, reduced rate %). The platform's services are all at the
/// standard rate; the reduced rate is kept so that an invoice's sums stay per rate.
pub const TAX_RATES: &[(&str, u32, u32)] = &[("2019-10-01", 10, 8)];

/// The standard rate on `day` (the table's last row that has begun).
pub fn standard_rate(day: Date) -> u32 {
    TAX_RATES
        .iter()
        .rev()
        .find(|(from, _, _)| Date::parse(from).is_some_and(|f| f <= day))
        .map_or(10, |r| r.1)
}

/// Years an invoice's copy is kept (法人税法施行規則59条, 消費税法57条の4第6項: seven
/// years from the filing deadline of its fiscal year). The fiscal year is not known
/// here; its deadline falls at most 14 months after the invoice, so that is added.
pub const KEEP_YEARS: u16 = 7;
pub const KEEP_EXTRA_MONTHS: u32 = 14;

/// The highest fee a plan may carry (yen before tax), to catch a slip of the keyboard.
pub const FEE_MAX: i64 = 10_000_000;
/// The longest plan name.
pub const NAME_MAX: usize = 60;

/// A calendar month `YYYY-MM`: the period an invoice covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub y: u16,
    pub m: u8,
}

impl Month {
    pub fn parse(s: &str) -> Option<Self> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let (y, m): (u16, u8) = (y.parse().ok()?, m.parse().ok()?);
        ((2000..=2100).contains(&y) && (1..=12).contains(&m)).then_some(Self { y, m })
    }
    pub fn of(d: Date) -> Self {
        Self { y: d.y, m: d.m }
    }
    /// The last month that has ended on `today` (the one a billing run covers).
    pub fn last_ended(today: Date) -> Self {
        Self::of(today).previous()
    }
    pub fn next(self) -> Self {
        self.plus(1)
    }
    pub fn plus(self, months: u32) -> Self {
        let total = self.y as u32 * 12 + (self.m as u32 - 1) + months;
        Self {
            y: (total / 12) as u16,
            m: (total % 12 + 1) as u8,
        }
    }
    pub fn previous(self) -> Self {
        let total = self.y as u32 * 12 + (self.m as u32 - 1) - 1;
        Self {
            y: (total / 12) as u16,
            m: (total % 12 + 1) as u8,
        }
    }
    pub fn first_day(self) -> Date {
        Date {
            y: self.y,
            m: self.m,
            d: 1,
        }
    }
    pub fn last_day(self) -> Date {
        let mut d = 31;
        while Date::parse(&format!("{}-{:02}-{d:02}", self.y, self.m)).is_none() {
            d -= 1;
        }
        Date {
            y: self.y,
            m: self.m,
            d,
        }
    }
    /// The Unix times the month spans in Japan time: [start, end).
    pub fn span_jst(self) -> (i64, i64) {
        (
            midnight_jst(self.first_day()),
            midnight_jst(self.next().first_day()),
        )
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{:02}", self.y, self.m)
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(d: Date) -> i64 {
    let (m, dd) = (d.m as i64, d.d as i64);
    let y = d.y as i64 - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + dd - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The Unix time of 00:00 in Japan (+09:00) on `d`.
pub fn midnight_jst(d: Date) -> i64 {
    days_from_civil(d) * 86_400 - 9 * 3600
}

/// The day an invoice is kept until, from the day it was issued.
pub fn keep_until(issued: Date) -> Date {
    let m = Month::of(issued).plus(KEEP_EXTRA_MONTHS);
    Month {
        y: m.y + KEEP_YEARS,
        m: m.m,
    }
    .last_day()
}

/// A plan as the billing staff writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PlanDraft {
    pub org_kind: OrgKind,
    pub name: String,
    /// Yen per month, before tax.
    pub monthly_fee: i64,
    /// Yen per hire, before tax (companies only; 0 for facilities).
    pub success_fee: i64,
}

fn fee(f: &mut Fields, field: &'static str, raw: &str, required: bool) -> i64 {
    match crate::validate::number::<i64>(f, field, raw) {
        Some(v) if (0..=FEE_MAX).contains(&v) => v,
        Some(_) => {
            f.add(field, "billing-fee-range");
            0
        }
        None => {
            if required && raw.trim().is_empty() {
                f.add(field, "required");
            }
            0
        }
    }
}

/// Checks a plan: a name, a kind of organisation that pays (a company or a facility),
/// fees in whole yen; a success fee only for companies, and not a plan of nothing.
pub fn check_plan(
    kind: &str,
    name: &str,
    monthly: &str,
    success: &str,
) -> Result<PlanDraft, Fields> {
    let mut f = Fields::new();
    let org_kind = OrgKind::parse(kind);
    if org_kind.is_none() {
        f.add("org_kind", "choice-invalid");
    }
    let name = name.trim();
    if name.is_empty() {
        f.add("name", "required");
    } else if name.chars().count() > NAME_MAX {
        f.add("name", "billing-name-long");
    }
    let monthly_fee = fee(&mut f, "monthly_fee", monthly, true);
    let success_fee = fee(&mut f, "success_fee", success, false);
    if org_kind == Some(OrgKind::Facility) && success_fee > 0 {
        f.add("success_fee", "billing-success-company-only");
    }
    if f.is_empty() && monthly_fee == 0 && success_fee == 0 {
        f.add("monthly_fee", "billing-plan-empty");
    }
    f.into_result()?;
    Ok(PlanDraft {
        org_kind: org_kind.unwrap_or(OrgKind::Company),
        name: name.to_owned(),
        monthly_fee,
        success_fee,
    })
}

/// Checks the month of a billing run: a month that has ended (an invoice covers a
/// whole month).
pub fn check_month(raw: &str, today: Date) -> Result<Month, Fields> {
    let mut f = Fields::new();
    match Month::parse(raw) {
        None => f.add("month", "billing-month-invalid"),
        Some(m) if m >= Month::of(today) => f.add("month", "billing-month-not-ended"),
        Some(m) => return Ok(m),
    }
    Err(f)
}

/// Checks the day a payment arrived: a date, not in the future, not before the invoice.
pub fn check_paid_on(raw: &str, issued: Date, today: Date) -> Result<Date, Fields> {
    let mut f = Fields::new();
    match Date::parse(raw) {
        None => f.add("paid_on", "date-invalid"),
        Some(d) if d > today => f.add("paid_on", "billing-paid-future"),
        Some(d) if d < issued => f.add("paid_on", "billing-paid-before-issue"),
        Some(d) => return Ok(d),
    }
    Err(f)
}

/// A registration number of a qualified-invoice issuer (適格請求書発行事業者登録番号):
/// `T` and 13 digits. A corporation's is its 法人番号, whose first digit checks the
/// other twelve; an individual's is assigned without that rule, so only the form is
/// checked here.
pub fn valid_registration_number(s: &str) -> bool {
    let Some(digits) = s.strip_prefix('T') else {
        return false;
    };
    digits.len() == 13 && digits.bytes().all(|b| b.is_ascii_digit())
}

/// What a line bills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// The plan's monthly fee (月額利用料).
    Monthly,
    /// The success fee for one hire (成功報酬).
    Success,
}

impl LineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Monthly => "monthly",
            Self::Success => "success",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Monthly, Self::Success]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// One line of an invoice: quantity × unit price (yen before tax) at a rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Line {
    pub kind: LineKind,
    /// The plan's name (monthly fee) or the hire's start date and position (success fee).
    pub detail: String,
    pub quantity: i64,
    pub unit_price: i64,
    pub amount: i64,
    /// Percent.
    pub tax_rate: u32,
}

impl Line {
    pub fn new(kind: LineKind, detail: String, quantity: i64, unit_price: i64, rate: u32) -> Self {
        Self {
            kind,
            detail,
            quantity,
            unit_price,
            amount: quantity * unit_price,
            tax_rate: rate,
        }
    }
}

/// The sums at one rate: the amount before tax and the tax on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RateSum {
    /// Percent.
    pub tax_rate: u32,
    /// Yen before tax.
    pub base: i64,
    /// Yen, rounded down once for the whole invoice at this rate.
    pub tax: i64,
}

/// An invoice's sums per rate, highest rate first, and its total with tax. The tax is
/// worked out once per rate on the lines' sum and rounded down (端数は切り捨て), as the
/// rules require (one rounding per rate per invoice, never per line).
pub fn sums(lines: &[Line]) -> (Vec<RateSum>, i64) {
    let mut rates: Vec<u32> = lines.iter().map(|l| l.tax_rate).collect();
    rates.sort_unstable_by(|a, b| b.cmp(a));
    rates.dedup();
    let per: Vec<RateSum> = rates
        .into_iter()
        .map(|r| {
            let base: i64 = lines
                .iter()
                .filter(|l| l.tax_rate == r)
                .map(|l| l.amount)
                .sum();
            RateSum {
                tax_rate: r,
                base,
                tax: (base * i64::from(r)).div_euclid(100),
            }
        })
        .collect();
    let total = per.iter().map(|s| s.base + s.tax).sum();
    (per, total)
}

/// An invoice's number: its month and its place among that month's invoices.
pub fn invoice_number(month: Month, seq: i64) -> String {
    format!("{}{:02}-{seq:04}", month.y, month.m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(f: &Fields) -> Vec<(&'static str, &'static str)> {
        f.0.iter().map(|e| (e.field, e.code)).collect()
    }

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn tax_is_rounded_once_per_rate_not_per_line() {
        // Three lines of 1,999 yen at 10%: per line 199 + 199 + 199 = 597; once: 599.
        let lines: Vec<Line> = (0..3)
            .map(|_| Line::new(LineKind::Success, "x".into(), 1, 1_999, 10))
            .collect();
        let (per, total) = sums(&lines);
        assert_eq!(
            per,
            vec![RateSum {
                tax_rate: 10,
                base: 5_997,
                tax: 599
            }]
        );
        assert_eq!(total, 6_596);
        // Mixed rates: each rate on its own, the highest first.
        let mixed = vec![
            Line::new(LineKind::Monthly, "a".into(), 1, 10_005, 10),
            Line::new(LineKind::Monthly, "b".into(), 3, 333, 8),
        ];
        let (per, total) = sums(&mixed);
        assert_eq!(
            per[0],
            RateSum {
                tax_rate: 10,
                base: 10_005,
                tax: 1_000
            }
        );
        assert_eq!(
            per[1],
            RateSum {
                tax_rate: 8,
                base: 999,
                tax: 79
            }
        );
        assert_eq!(total, 10_005 + 1_000 + 999 + 79);
        assert_eq!(sums(&[]), (vec![], 0));
    }

    #[test]
    fn months_and_spans() {
        let m = Month::parse("2026-11").unwrap();
        assert_eq!(m.to_string(), "2026-11");
        assert_eq!(m.next().to_string(), "2026-12");
        assert_eq!(m.plus(2).to_string(), "2027-01");
        assert_eq!(
            Month::parse("2027-01").unwrap().previous().to_string(),
            "2026-12"
        );
        assert_eq!(Month::parse("2028-02").unwrap().last_day(), d("2028-02-29"));
        assert!(Month::parse("2026-13").is_none() && Month::parse("2026-1").is_none());
        // 2026-11-01 00:00 JST is 2026-10-31 15:00 UTC.
        assert_eq!(m.span_jst().0, 1_793_458_800);
        assert_eq!(m.span_jst().1 - m.span_jst().0, 30 * 86_400);
        assert_eq!(keep_until(d("2026-12-01")), d("2035-02-28"));
    }

    #[test]
    fn plans_and_inputs_are_checked_per_field() {
        let p = check_plan("company", " 標準 ", "30,000", "100000").unwrap();
        assert_eq!(
            (p.monthly_fee, p.success_fee, p.name.as_str()),
            (30_000, 100_000, "標準")
        );
        let e = check_plan("seeker", "", "-1", "x").unwrap_err();
        assert_eq!(
            codes(&e),
            vec![
                ("org_kind", "choice-invalid"),
                ("name", "required"),
                ("monthly_fee", "billing-fee-range"),
                ("success_fee", "number-invalid"),
            ]
        );
        let e = check_plan("facility", "施設", "0", "5000").unwrap_err();
        assert_eq!(
            codes(&e),
            vec![("success_fee", "billing-success-company-only")]
        );
        let e = check_plan("company", "無料", "0", "").unwrap_err();
        assert_eq!(codes(&e), vec![("monthly_fee", "billing-plan-empty")]);
        let today = d("2026-12-07");
        assert!(check_month("2026-11", today).is_ok());
        assert!(check_month("2026-12", today).is_err());
        assert!(check_paid_on("2026-12-08", d("2026-12-01"), today).is_err());
        assert!(check_paid_on("2026-11-30", d("2026-12-01"), today).is_err());
        assert!(check_paid_on("2026-12-05", d("2026-12-01"), today).is_ok());
        assert!(valid_registration_number("T1234567890123"));
        assert!(!valid_registration_number("1234567890123") && !valid_registration_number("T123"));
        assert_eq!(standard_rate(today), 10);
        assert_eq!(
            invoice_number(Month::parse("2026-11").unwrap(), 7),
            "202611-0007"
        );
    }
}
