//! Companies and job postings: what a posting must state (職業安定法 5条の3 and its
//! 2024 additions), what it may not state (age and sex conditions), its lifecycle, and
//! the card that search and matching work on. Forms and the API share one parser, so a
//! field's error is the same on a page and in JSON.
use crate::Fields;
use crate::profile::{EmploymentType, text};
use crate::taxonomy;
use crate::validate::{number, phone_ok};
use serde::{Deserialize, Serialize};

/// The raw submission of a form or a JSON body: each field's values as text.
pub trait Source {
    fn one(&self, k: &str) -> &str;
    fn many(&self, k: &str) -> Vec<String>;
}

/// A source that notes every key a parser reads, so that keys no parser reads can be
/// refused (strict input: an unknown field is an error, never silently dropped or kept).
pub struct Reads<'a> {
    fields: &'a Vec<(String, String)>,
    read: std::cell::RefCell<std::collections::BTreeSet<String>>,
}

impl Source for Reads<'_> {
    fn one(&self, k: &str) -> &str {
        self.read.borrow_mut().insert(k.to_owned());
        self.fields.one(k)
    }
    fn many(&self, k: &str) -> Vec<String> {
        self.read.borrow_mut().insert(k.to_owned());
        self.fields.many(k)
    }
}

/// The keys of `fields` that `parse` never reads (in the order given, each once).
pub fn unread_keys(fields: &Vec<(String, String)>, parse: impl Fn(&Reads<'_>)) -> Vec<String> {
    let r = Reads {
        fields,
        read: Default::default(),
    };
    parse(&r);
    let read = r.read.into_inner();
    let mut out: Vec<String> = Vec::new();
    for (k, _) in fields {
        if !read.contains(k) && !out.contains(k) {
            out.push(k.clone());
        }
    }
    out
}

impl Source for Vec<(String, String)> {
    fn one(&self, k: &str) -> &str {
        self.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
    fn many(&self, k: &str) -> Vec<String> {
        self.iter()
            .filter(|(n, v)| n == k && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_owned())
            .collect()
    }
}

// ------------------------------------------------------------------ code lists

/// Industries (日本標準産業分類 major groups, abridged).
pub const INDUSTRIES: &[taxonomy::Entry] = &[
    ("manufacturing", "製造業", "Manufacturing"),
    ("it", "情報通信業", "Information and communications"),
    ("logistics", "運輸業・郵便業", "Transport and postal"),
    ("retail", "卸売業・小売業", "Wholesale and retail"),
    ("finance", "金融業・保険業", "Finance and insurance"),
    ("food", "宿泊業・飲食サービス業", "Hotels and food service"),
    ("medical", "医療・福祉", "Medical care and welfare"),
    ("services", "サービス業", "Services"),
    ("construction", "建設業", "Construction"),
    ("agriculture", "農業・林業", "Agriculture and forestry"),
    ("public", "公務", "Public service"),
    ("other", "その他", "Other"),
];

/// Company size bands (employees).
pub const SIZES: &[taxonomy::Entry] = &[
    ("s1", "1〜49人", "1–49 employees"),
    ("s2", "50〜99人", "50–99 employees"),
    ("s3", "100〜299人", "100–299 employees"),
    ("s4", "300〜999人", "300–999 employees"),
    ("s5", "1,000人以上", "1,000 or more employees"),
];

/// Social and labour insurance a posting can state.
pub const INSURANCE: &[taxonomy::Entry] = &[
    ("employment", "雇用保険", "Employment insurance"),
    ("workers_comp", "労災保険", "Workers' accident insurance"),
    ("health", "健康保険", "Health insurance"),
    ("pension", "厚生年金", "Employees' pension"),
];

fn is_code(list: &[taxonomy::Entry], c: &str) -> bool {
    list.iter().any(|e| e.0 == c)
}

// ------------------------------------------------------------------ company profile

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CompanyProfile {
    #[schema(
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub description: String,
    #[schema(required = true, value_type = crate::taxonomy::schema::IndustryCode)]
    pub industry: String,
    #[schema(value_type = crate::taxonomy::schema::SizeCodeOrNone)]
    pub size: String,
    /// 法人番号 (13 digits), checked by the operator at verification.
    #[schema(pattern = r"^([0-9]{13})?$")]
    pub corporate_number: String,
    #[schema(required = true, value_type = crate::taxonomy::schema::PrefectureCode)]
    pub prefecture: u8,
    #[schema(
        required = true,
        max_length = 200,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub address: String,
    /// Other places of work, one per line.
    #[schema(
        max_length = 1000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub locations: String,
    /// Accommodations the company can offer anywhere (codes of `taxonomy::ACCOMMODATIONS`).
    #[schema(value_type = Vec<crate::taxonomy::schema::AccommodationCode>)]
    pub accommodations: Vec<String>,
    #[schema(
        max_length = 1000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub accommodation_note: String,
    /// Disability-employment record.
    pub employed_count: Option<u32>,
    /// Deprecated and not shown: the company's page shows the retention figure computed
    /// from its employment records (`GET /api/v1/company/retention`).
    #[schema(maximum = 100)]
    pub retention_rate: Option<u8>,
    #[schema(
        max_length = 1000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub record_note: String,
    /// Contact for applicants: a department, never a person's private details.
    #[schema(
        required = true,
        max_length = 100,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub contact_department: String,
    /// At least ten digits; digits, spaces, `-` and `+`.
    #[schema(
        required = true,
        max_length = 20,
        pattern = r"^[-+ ]*([0-9][-+ ]*){10,}$"
    )]
    pub contact_phone: String,
    #[schema(
        required = true,
        max_length = 254,
        pattern = r"^\s*[^\s@\x00-\x1F\x7F-\x9F]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\s*$"
    )]
    pub contact_email: String,
}

fn codes(
    f: &mut Fields,
    field: &'static str,
    v: Vec<String>,
    ok: impl Fn(&str) -> bool,
) -> Vec<String> {
    if v.iter().any(|c| !ok(c)) {
        f.add(field, "choice-invalid");
    }
    let mut v: Vec<String> = v.into_iter().filter(|c| ok(c)).collect();
    v.sort();
    v.dedup();
    v
}

impl CompanyProfile {
    pub fn parse(s: &impl Source) -> Result<Self, Fields> {
        let mut f = Fields::new();
        let industry = s.one("industry").trim().to_owned();
        if !industry.is_empty() && !is_code(INDUSTRIES, &industry) {
            f.add("industry", "choice-invalid");
        }
        if industry.is_empty() {
            f.add("industry", "industry-required");
        }
        let size = s.one("size").trim().to_owned();
        if !size.is_empty() && !is_code(SIZES, &size) {
            f.add("size", "choice-invalid");
        }
        let corporate_number: String = s.one("corporate_number").trim().to_owned();
        let digits13 =
            corporate_number.len() == 13 && corporate_number.chars().all(|c| c.is_ascii_digit());
        if !corporate_number.is_empty() && !digits13 {
            f.add("corporate_number", "corporate-number-invalid");
        }
        let prefecture = number::<u8>(&mut f, "prefecture", s.one("prefecture")).unwrap_or(0);
        if taxonomy::prefecture(prefecture).is_none() {
            f.add("prefecture", "prefecture-required");
        }
        let address = text(&mut f, "address", s.one("address"), 200);
        if address.is_empty() {
            f.add("address", "address-required");
        }
        let employed_count = number(&mut f, "employed_count", s.one("employed_count"));
        let retention_rate: Option<u8> = number(&mut f, "retention_rate", s.one("retention_rate"));
        if retention_rate.is_some_and(|r| r > 100) {
            f.add("retention_rate", "percent-invalid");
        }
        let contact_department = text(
            &mut f,
            "contact_department",
            s.one("contact_department"),
            100,
        );
        if contact_department.is_empty() {
            f.add("contact_department", "contact-required");
        }
        let contact_phone = text(&mut f, "contact_phone", s.one("contact_phone"), 20);
        if !phone_ok(&contact_phone) {
            f.add("contact_phone", "phone-invalid");
        }
        let contact_email = s.one("contact_email").trim().to_owned();
        if crate::validate::Email::parse(&contact_email).is_err() {
            f.add("contact_email", "email-invalid");
        }
        let p = CompanyProfile {
            description: text(&mut f, "description", s.one("description"), 2000),
            industry,
            size,
            corporate_number,
            prefecture,
            address,
            locations: text(&mut f, "locations", s.one("locations"), 1000),
            accommodations: codes(
                &mut f,
                "accommodations",
                s.many("accommodations"),
                taxonomy::is_accommodation,
            ),
            accommodation_note: text(
                &mut f,
                "accommodation_note",
                s.one("accommodation_note"),
                1000,
            ),
            employed_count,
            retention_rate,
            record_note: text(&mut f, "record_note", s.one("record_note"), 1000),
            contact_department,
            contact_phone,
            contact_email,
        };
        f.into_result().map(|()| p)
    }

    /// Whether postings may be submitted: the facts every posting must show are there.
    pub fn is_complete(&self) -> bool {
        !self.address.is_empty()
            && !self.contact_department.is_empty()
            && !self.contact_email.is_empty()
    }
}

// ------------------------------------------------------------------ postings

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContractType {
    Indefinite,
    FixedTerm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Remote {
    None,
    Partial,
    Full,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WageUnit {
    Hourly,
    Daily,
    Monthly,
    Annual,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Smoking {
    /// 敷地内禁煙
    NoSmokingPremises,
    /// 屋内禁煙
    NoSmokingIndoor,
    /// 喫煙室あり（屋内原則禁煙）
    SmokingRoom,
    /// 対策なし
    NoMeasure,
}

macro_rules! codes_enum {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            pub const ALL: &'static [$t] = &[$(<$t>::$v),*];
            pub fn as_str(self) -> &'static str {
                match self { $(<$t>::$v => $s),* }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some(<$t>::$v),)* _ => None }
            }
        }
    };
}
codes_enum!(ContractType { Indefinite => "indefinite", FixedTerm => "fixed_term" });
codes_enum!(Remote { None => "none", Partial => "partial", Full => "full" });
codes_enum!(WageUnit { Hourly => "hourly", Daily => "daily", Monthly => "monthly", Annual => "annual" });

impl WageUnit {
    /// The amounts (yen) a wage in this unit can sanely be: below, a typing slip or a
    /// wage in another unit; above, the same (an hourly 324,000 is a monthly wage).
    pub fn sane_range(self) -> (u32, u32) {
        match self {
            Self::Hourly => (500, 10_000),
            Self::Daily => (2_000, 100_000),
            Self::Monthly => (50_000, 2_000_000),
            Self::Annual => (500_000, 30_000_000),
        }
    }
    /// The message for a wage outside [`Self::sane_range`].
    pub fn range_code(self) -> &'static str {
        match self {
            Self::Hourly => "wage-range-hourly",
            Self::Daily => "wage-range-daily",
            Self::Monthly => "wage-range-monthly",
            Self::Annual => "wage-range-annual",
        }
    }
}
codes_enum!(Smoking {
    NoSmokingPremises => "no_smoking_premises",
    NoSmokingIndoor => "no_smoking_indoor",
    SmokingRoom => "smoking_room",
    NoMeasure => "no_measure",
});

/// Employment types a posting can offer ("any" is only a seeker's wish).
pub const POSTING_EMPLOYMENT: &[&str] = &["full_time", "part_time", "contract"];

pub fn employment_code(e: EmploymentType) -> &'static str {
    match e {
        EmploymentType::FullTime => "full_time",
        EmploymentType::PartTime => "part_time",
        EmploymentType::Contract => "contract",
        EmploymentType::Any => "any",
    }
}

fn employment_parse(s: &str) -> Option<EmploymentType> {
    match s {
        "full_time" => Some(EmploymentType::FullTime),
        "part_time" => Some(EmploymentType::PartTime),
        "contract" => Some(EmploymentType::Contract),
        _ => None,
    }
}

/// A job posting's content: every working condition a recruiter must state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Posting {
    #[schema(max_length = 100)]
    pub title: String,
    #[schema(value_type = crate::taxonomy::schema::JobCategoryCode)]
    pub category: String,
    pub employment_type: EmploymentType,
    /// 業務内容
    pub duties: String,
    /// 業務の変更の範囲 (2024-04)
    pub duties_change_scope: String,
    pub contract_type: ContractType,
    /// 契約期間 (fixed-term only)
    pub contract_period: String,
    /// 更新の有無・判断基準 (fixed-term only)
    pub renewal_rule: String,
    /// 更新上限 (fixed-term only; 2024-04)
    pub renewal_cap: String,
    /// 試用期間
    pub probation: String,
    #[schema(value_type = crate::taxonomy::schema::PrefectureCode)]
    pub prefecture: u8,
    pub city: String,
    pub address: String,
    /// 就業場所の変更の範囲 (2024-04)
    pub workplace_change_scope: String,
    pub remote: Remote,
    /// 就業時間
    pub working_hours: String,
    /// 休憩時間
    pub breaks: String,
    #[schema(minimum = 1, maximum = 60)]
    pub hours_per_week: u8,
    #[schema(minimum = 1, maximum = 7)]
    pub days_per_week: u8,
    /// 休日
    pub holidays: String,
    /// 時間外労働
    pub overtime: String,
    pub wage_unit: WageUnit,
    pub wage_min: u32,
    pub wage_max: Option<u32>,
    /// 手当・昇給・賞与など
    pub wage_notes: String,
    /// 加入保険 (codes of `INSURANCE`)
    #[schema(value_type = Vec<crate::taxonomy::schema::InsuranceCode>)]
    pub insurance: Vec<String>,
    /// 受動喫煙対策
    pub smoking: Smoking,
    pub smoking_note: String,
    /// Accommodations this job offers (codes of `taxonomy::ACCOMMODATIONS`).
    #[schema(value_type = Vec<crate::taxonomy::schema::AccommodationCode>)]
    pub accommodations: Vec<String>,
    pub accommodation_note: String,
    #[schema(value_type = Vec<crate::taxonomy::schema::NonEmptyText>)]
    pub required_skills: Vec<String>,
    #[schema(value_type = Vec<crate::taxonomy::schema::NonEmptyText>)]
    pub welcome_skills: Vec<String>,
    pub openings: u16,
}

/// Skills typed as one text: split on commas, 、 and new lines.
pub fn skill_list(s: &str) -> Vec<String> {
    let mut v: Vec<String> = s
        .split([',', '、', '，', '\n', '/', '・'])
        .map(|x| x.trim().to_owned())
        .filter(|x| !x.is_empty())
        .collect();
    v.dedup();
    v
}

/// Words that make age a condition (労働施策総合推進法 9条).
const AGE_WORDS: &[&str] = &[
    "歳以下",
    "歳まで",
    "歳未満",
    "歳以上",
    "才以下",
    "才まで",
    "才未満",
    "才以上",
    "代まで",
    "代の方",
    "代限定",
    "若年者限定",
    "若い方",
    "years old",
    "under 30",
    "under 35",
    "under 40",
];
/// Words that make sex a condition (男女雇用機会均等法 5条).
const SEX_WORDS: &[&str] = &[
    "男性のみ",
    "女性のみ",
    "男性限定",
    "女性限定",
    "男性歓迎",
    "女性歓迎",
    "男性募集",
    "女性募集",
    "男子",
    "女子",
    "male only",
    "female only",
    "men only",
    "women only",
];

fn fold_digits(s: &str) -> String {
    crate::validate::half_width_digits(s).to_lowercase()
}

/// The condition a text states that a posting may not state, if any.
pub fn forbidden_condition(s: &str) -> Option<&'static str> {
    let t = fold_digits(s);
    if AGE_WORDS.iter().any(|w| t.contains(w)) {
        return Some("posting-age-condition");
    }
    if SEX_WORDS.iter().any(|w| t.contains(w)) {
        return Some("posting-sex-condition");
    }
    None
}

impl Posting {
    /// Parses and checks a submission. Every problem is reported at once, by field.
    pub fn parse(s: &impl Source) -> Result<Self, Fields> {
        let mut f = Fields::new();
        let req = |f: &mut Fields, field: &'static str, max: usize| -> String {
            let v = text(f, field, s.one(field), max);
            if v.is_empty() {
                f.add(field, "posting-field-required");
            }
            if let Some(code) = forbidden_condition(&v) {
                f.add(field, code);
            }
            v
        };
        let title = req(&mut f, "title", 100);
        let category = s.one("category").trim().to_owned();
        if !taxonomy::is_job_category(&category) {
            f.add("category", "posting-field-required");
        }
        let employment_type = employment_parse(s.one("employment_type"));
        if employment_type.is_none() {
            f.add("employment_type", "posting-field-required");
        }
        let duties = req(&mut f, "duties", 4000);
        let duties_change_scope = req(&mut f, "duties_change_scope", 500);
        let contract_type = ContractType::parse(s.one("contract_type"));
        if contract_type.is_none() {
            f.add("contract_type", "posting-field-required");
        }
        let fixed = contract_type == Some(ContractType::FixedTerm);
        let opt = |f: &mut Fields, field: &'static str, needed: bool| -> String {
            let v = text(f, field, s.one(field), 500);
            if needed && v.is_empty() {
                f.add(field, "posting-field-required-fixed");
            }
            v
        };
        let contract_period = opt(&mut f, "contract_period", fixed);
        let renewal_rule = opt(&mut f, "renewal_rule", fixed);
        let renewal_cap = opt(&mut f, "renewal_cap", fixed);
        let probation = req(&mut f, "probation", 300);
        let prefecture = number::<u8>(&mut f, "prefecture", s.one("prefecture")).unwrap_or(0);
        if taxonomy::prefecture(prefecture).is_none() {
            f.add("prefecture", "prefecture-required");
        }
        let city = req(&mut f, "city", 50);
        let address = req(&mut f, "address", 200);
        let workplace_change_scope = req(&mut f, "workplace_change_scope", 500);
        let remote = Remote::parse(s.one("remote")).unwrap_or(Remote::None);
        let working_hours = req(&mut f, "working_hours", 300);
        let breaks = req(&mut f, "breaks", 200);
        let hours_per_week = number::<u8>(&mut f, "hours_per_week", s.one("hours_per_week"));
        match hours_per_week {
            None => f.add("hours_per_week", "posting-field-required"),
            Some(h) if !(1..=60).contains(&h) => f.add("hours_per_week", "hours-range"),
            _ => {}
        }
        let days_per_week = number::<u8>(&mut f, "days_per_week", s.one("days_per_week"));
        match days_per_week {
            None => f.add("days_per_week", "posting-field-required"),
            Some(d) if !(1..=7).contains(&d) => f.add("days_per_week", "days-range"),
            _ => {}
        }
        let holidays = req(&mut f, "holidays", 300);
        let overtime = req(&mut f, "overtime", 300);
        let wage_unit = WageUnit::parse(s.one("wage_unit"));
        if wage_unit.is_none() {
            f.add("wage_unit", "posting-field-required");
        }
        let wage_min = number::<u32>(&mut f, "wage_min", s.one("wage_min"));
        if wage_min.is_none_or(|w| w == 0) {
            f.add("wage_min", "posting-field-required");
        }
        let wage_max = number::<u32>(&mut f, "wage_max", s.one("wage_max"));
        if let (Some(lo), Some(hi)) = (wage_min, wage_max)
            && hi < lo
        {
            f.add("wage_max", "wage-max-below-min");
        }
        if let Some(unit) = wage_unit {
            let (lo, hi) = unit.sane_range();
            for (field, w) in [("wage_min", wage_min), ("wage_max", wage_max)] {
                if w.is_some_and(|w| w != 0 && !(lo..=hi).contains(&w)) {
                    f.add(field, unit.range_code());
                }
            }
        }
        let wage_notes = text(&mut f, "wage_notes", s.one("wage_notes"), 1000);
        let insurance = codes(&mut f, "insurance", s.many("insurance"), |c| {
            is_code(INSURANCE, c)
        });
        let smoking = Smoking::parse(s.one("smoking"));
        if smoking.is_none() {
            f.add("smoking", "posting-field-required");
        }
        let smoking_note = text(&mut f, "smoking_note", s.one("smoking_note"), 300);
        let accommodations = codes(
            &mut f,
            "accommodations",
            s.many("accommodations"),
            taxonomy::is_accommodation,
        );
        let accommodation_note = text(
            &mut f,
            "accommodation_note",
            s.one("accommodation_note"),
            1000,
        );
        let mut skills = |field: &'static str| {
            let raw = text(&mut f, field, s.one(field), 500);
            if let Some(code) = forbidden_condition(&raw) {
                f.add(field, code);
            }
            skill_list(&raw)
        };
        let required_skills = skills("required_skills");
        let welcome_skills = skills("welcome_skills");
        if let Some(code) = forbidden_condition(&wage_notes) {
            f.add("wage_notes", code);
        }
        let openings = number::<u16>(&mut f, "openings", s.one("openings")).unwrap_or(0);
        if openings == 0 {
            f.add("openings", "openings-required");
        }
        if !f.is_empty() {
            return Err(f);
        }
        let (Some(employment_type), Some(contract_type), Some(hours_per_week), Some(days_per_week)) = (
            employment_type,
            contract_type,
            hours_per_week,
            days_per_week,
        ) else {
            return Err(f);
        };
        let (Some(wage_unit), Some(wage_min), Some(smoking)) = (wage_unit, wage_min, smoking)
        else {
            return Err(f);
        };
        Ok(Posting {
            title,
            category,
            employment_type,
            duties,
            duties_change_scope,
            contract_type,
            contract_period,
            renewal_rule,
            renewal_cap,
            probation,
            prefecture,
            city,
            address,
            workplace_change_scope,
            remote,
            working_hours,
            breaks,
            hours_per_week,
            days_per_week,
            holidays,
            overtime,
            wage_unit,
            wage_min,
            wage_max,
            wage_notes,
            insurance,
            smoking,
            smoking_note,
            accommodations,
            accommodation_note,
            required_skills,
            welcome_skills,
            openings,
        })
    }

    /// The posting as form fields (to edit it again, or to check it again after a change).
    pub fn to_fields(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = vec![
            ("title".into(), self.title.clone()),
            ("category".into(), self.category.clone()),
            (
                "employment_type".into(),
                employment_code(self.employment_type).into(),
            ),
            ("duties".into(), self.duties.clone()),
            (
                "duties_change_scope".into(),
                self.duties_change_scope.clone(),
            ),
            ("contract_type".into(), self.contract_type.as_str().into()),
            ("contract_period".into(), self.contract_period.clone()),
            ("renewal_rule".into(), self.renewal_rule.clone()),
            ("renewal_cap".into(), self.renewal_cap.clone()),
            ("probation".into(), self.probation.clone()),
            ("prefecture".into(), self.prefecture.to_string()),
            ("city".into(), self.city.clone()),
            ("address".into(), self.address.clone()),
            (
                "workplace_change_scope".into(),
                self.workplace_change_scope.clone(),
            ),
            ("remote".into(), self.remote.as_str().into()),
            ("working_hours".into(), self.working_hours.clone()),
            ("breaks".into(), self.breaks.clone()),
            ("hours_per_week".into(), self.hours_per_week.to_string()),
            ("days_per_week".into(), self.days_per_week.to_string()),
            ("holidays".into(), self.holidays.clone()),
            ("overtime".into(), self.overtime.clone()),
            ("wage_unit".into(), self.wage_unit.as_str().into()),
            ("wage_min".into(), self.wage_min.to_string()),
            (
                "wage_max".into(),
                self.wage_max.map(|w| w.to_string()).unwrap_or_default(),
            ),
            ("wage_notes".into(), self.wage_notes.clone()),
            ("smoking".into(), self.smoking.as_str().into()),
            ("smoking_note".into(), self.smoking_note.clone()),
            ("accommodation_note".into(), self.accommodation_note.clone()),
            ("required_skills".into(), self.required_skills.join("、")),
            ("welcome_skills".into(), self.welcome_skills.join("、")),
            ("openings".into(), self.openings.to_string()),
        ];
        v.extend(
            self.insurance
                .iter()
                .map(|c| ("insurance".into(), c.clone())),
        );
        v.extend(
            self.accommodations
                .iter()
                .map(|c| ("accommodations".into(), c.clone())),
        );
        v
    }

    /// The wage as yen per hour, to compare postings with different units.
    pub fn hourly_wage(&self) -> u32 {
        hourly_equivalent(
            self.wage_unit,
            self.wage_min,
            self.hours_per_week,
            self.days_per_week,
        )
    }
}

/// A wage in any unit as yen per hour (a month is 52/12 weeks).
pub fn hourly_equivalent(
    unit: WageUnit,
    amount: u32,
    hours_per_week: u8,
    days_per_week: u8,
) -> u32 {
    let h = f64::from(hours_per_week.max(1));
    let per_day = h / f64::from(days_per_week.max(1));
    let a = f64::from(amount);
    let v = match unit {
        WageUnit::Hourly => a,
        WageUnit::Daily => a / per_day,
        WageUnit::Monthly => a / (h * 52.0 / 12.0),
        WageUnit::Annual => a / (h * 52.0),
    };
    v.round().clamp(0.0, f64::from(u32::MAX)) as u32
}

// ------------------------------------------------------------------ lifecycle

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Submitted,
    Returned,
    Published,
    Closed,
}
codes_enum!(Status {
    Draft => "draft",
    Submitted => "submitted",
    Returned => "returned",
    Published => "published",
    Closed => "closed",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The employer changes the content.
    Edit,
    /// The employer asks for review.
    Submit,
    /// The operator publishes it.
    Approve,
    /// The operator sends it back with reasons.
    Return,
    /// The employer closes it.
    Close,
    /// The employer confirms that it is still accurate (求人情報の的確表示).
    Confirm,
}

impl Status {
    /// The state after a step, or `None` when the step is not allowed here. Editing a
    /// published posting sends it back to review: what the public sees was approved.
    pub fn after(self, step: Step) -> Option<Status> {
        use Status::*;
        use Step::*;
        match (self, step) {
            (Draft | Returned, Edit) => Some(self),
            (Submitted | Published, Edit) => Some(Submitted),
            (Draft | Returned, Submit) => Some(Submitted),
            (Submitted, Approve) => Some(Published),
            // From review, or taken down after publication (the company is told why).
            (Submitted | Published, Return) => Some(Returned),
            (Draft | Submitted | Returned | Published, Close) => Some(Closed),
            (Published, Confirm) => Some(Published),
            _ => None,
        }
    }
}

/// Reasons an operator can give when returning a posting.
pub const RETURN_REASONS: &[&str] = &[
    "conditions_unclear",
    "wage_unclear",
    "discriminatory",
    "company_unverified",
    "contact_missing",
    "other",
];

/// Reasons anyone can give when reporting a posting.
pub const REPORT_REASONS: &[&str] = &[
    "filled",
    "conditions_differ",
    "contact_fails",
    "discriminatory",
    "other",
];

/// Default days after which an unconfirmed posting leaves the listings.
pub const STALE_AFTER_DAYS: i64 = 30;

// ------------------------------------------------------------------ the card

/// What search and matching know of a public posting: no personal data at all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobCard {
    pub id: String,
    pub company_id: String,
    pub company_name: String,
    pub title: String,
    pub category: String,
    pub employment_type: EmploymentType,
    pub prefecture: u8,
    pub city: String,
    pub remote: Remote,
    pub hours_per_week: u8,
    pub days_per_week: u8,
    pub wage_unit: WageUnit,
    pub wage_min: u32,
    pub wage_max: Option<u32>,
    pub hourly_wage: u32,
    /// The posting's accommodations and the company's, together.
    pub accommodations: Vec<String>,
    pub required_skills: Vec<String>,
    pub welcome_skills: Vec<String>,
    /// Text for keyword search (duties and the like).
    pub body: String,
    pub published_at: i64,
    pub confirmed_at: i64,
}

impl JobCard {
    pub fn from_posting(
        id: &str,
        company_id: &str,
        company_name: &str,
        company_acc: &[String],
        p: &Posting,
        published_at: i64,
        confirmed_at: i64,
    ) -> Self {
        let mut accommodations: Vec<String> = p
            .accommodations
            .iter()
            .chain(company_acc)
            .cloned()
            .collect();
        accommodations.sort();
        accommodations.dedup();
        let body = [
            p.duties.as_str(),
            p.city.as_str(),
            company_name,
            &p.required_skills.join(" "),
            &p.welcome_skills.join(" "),
            p.accommodation_note.as_str(),
        ]
        .join("\n");
        JobCard {
            id: id.to_owned(),
            company_id: company_id.to_owned(),
            company_name: company_name.to_owned(),
            title: p.title.clone(),
            category: p.category.clone(),
            employment_type: p.employment_type,
            prefecture: p.prefecture,
            city: p.city.clone(),
            remote: p.remote,
            hours_per_week: p.hours_per_week,
            days_per_week: p.days_per_week,
            wage_unit: p.wage_unit,
            wage_min: p.wage_min,
            wage_max: p.wage_max,
            hourly_wage: p.hourly_wage(),
            accommodations,
            required_skills: p.required_skills.clone(),
            welcome_skills: p.welcome_skills.clone(),
            body,
            published_at,
            confirmed_at,
        }
    }

    /// Whether the posting is in the public listings at `now`.
    pub fn is_fresh(&self, now: i64, stale_after_days: i64) -> bool {
        self.confirmed_at >= now - stale_after_days * 86_400
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn sample() -> Vec<(String, String)> {
        [
            ("title", "一般事務スタッフ"),
            ("category", "office"),
            ("employment_type", "part_time"),
            ("duties", "データ入力と書類の整理"),
            ("duties_change_scope", "会社の定める業務"),
            ("contract_type", "fixed_term"),
            ("contract_period", "1年"),
            ("renewal_rule", "更新する場合あり（勤務成績により判断）"),
            ("renewal_cap", "通算5年まで"),
            ("probation", "3か月（条件は同じ）"),
            ("prefecture", "13"),
            ("city", "千代田区"),
            ("address", "千代田区丸の内1-1"),
            ("workplace_change_scope", "変更なし"),
            ("remote", "partial"),
            ("working_hours", "10:00〜15:00"),
            ("breaks", "60分"),
            ("hours_per_week", "10"),
            ("days_per_week", "3"),
            ("holidays", "土日祝"),
            ("overtime", "なし"),
            ("wage_unit", "hourly"),
            ("wage_min", "1,200"),
            ("smoking", "no_smoking_indoor"),
            ("insurance", "employment"),
            ("insurance", "workers_comp"),
            ("accommodations", "written_instructions"),
            ("required_skills", "Excel、Word"),
            ("openings", "2"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
    }

    #[test]
    fn a_complete_posting_parses_and_round_trips() {
        let p = Posting::parse(&sample()).map_err(|e| format!("{e:?}"));
        let Ok(p) = p else {
            unreachable!("sample must parse: {p:?}");
        };
        assert_eq!(
            p.hours_per_week, 10,
            "short-time jobs from 10 hours are expressible"
        );
        assert_eq!(p.wage_min, 1200);
        assert_eq!(p.required_skills, vec!["Excel", "Word"]);
        assert_eq!(Posting::parse(&p.to_fields()), Ok(p));
    }

    #[test]
    fn missing_conditions_and_forbidden_conditions_are_refused_by_field() {
        let mut s = sample();
        s.retain(|(k, _)| k != "renewal_cap" && k != "smoking");
        for (k, v) in &mut s {
            if k == "title" {
                *v = "事務スタッフ（35歳以下）".into();
            }
            if k == "duties" {
                *v = "女性のみ募集".into();
            }
        }
        let Err(e) = Posting::parse(&s) else {
            unreachable!("must be refused");
        };
        let codes: Vec<_> = e.0.iter().map(|x| (x.field, x.code)).collect();
        assert!(
            codes.contains(&("title", "posting-age-condition")),
            "{codes:?}"
        );
        assert!(codes.contains(&("duties", "posting-sex-condition")));
        assert!(codes.contains(&("renewal_cap", "posting-field-required-fixed")));
        assert!(codes.contains(&("smoking", "posting-field-required")));
    }

    #[test]
    fn lifecycle() {
        use Status::*;
        use Step::*;
        assert_eq!(Draft.after(Submit), Some(Submitted));
        assert_eq!(Submitted.after(Approve), Some(Published));
        assert_eq!(Submitted.after(Return), Some(Returned));
        assert_eq!(Published.after(Return), Some(Returned));
        assert_eq!(Draft.after(Return), None);
        assert_eq!(Published.after(Edit), Some(Submitted));
        assert_eq!(Draft.after(Approve), None);
        assert_eq!(Closed.after(Submit), None);
        assert_eq!(Published.after(Confirm), Some(Published));
    }

    #[test]
    fn wages_compare_per_hour() {
        assert_eq!(hourly_equivalent(WageUnit::Monthly, 200_000, 40, 5), 1154);
        assert_eq!(hourly_equivalent(WageUnit::Daily, 8_000, 40, 5), 1000);
        assert_eq!(hourly_equivalent(WageUnit::Hourly, 1_100, 20, 5), 1100);
    }
}
