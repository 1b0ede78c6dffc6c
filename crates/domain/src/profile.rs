//! The seeker's profile, in sections. Each section parses and validates itself from
//! what the seeker submitted; stored sections are always valid.
//!
//! Sensitive sections (要配慮個人情報): disability, accommodations, traits. They can only
//! be saved while the seeker's sensitive-data consent stands.
use crate::taxonomy;
use crate::validate::Fields;
use serde::{Deserialize, Serialize};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    PartialOrd,
    Ord,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Basic,
    Disability,
    Accommodations,
    Traits,
    Career,
    Desired,
}

impl Section {
    pub const ALL: [Section; 6] = [
        Self::Basic,
        Self::Disability,
        Self::Accommodations,
        Self::Traits,
        Self::Career,
        Self::Desired,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Basic => "basic",
            Self::Disability => "disability",
            Self::Accommodations => "accommodations",
            Self::Traits => "traits",
            Self::Career => "career",
            Self::Desired => "desired",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
    /// 要配慮個人情報: needs the sensitive-data consent to be stored or shown.
    pub fn is_sensitive(self) -> bool {
        matches!(self, Self::Disability | Self::Accommodations | Self::Traits)
    }
}

/// A calendar date `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    pub y: u16,
    pub m: u8,
    pub d: u8,
}

impl Date {
    pub fn parse(s: &str) -> Option<Self> {
        let mut it = s.trim().split('-');
        let y: u16 = it.next()?.parse().ok()?;
        let m: u8 = it.next()?.parse().ok()?;
        let d: u8 = it.next()?.parse().ok()?;
        if it.next().is_some() || !(1900..=2100).contains(&y) || !(1..=12).contains(&m) {
            return None;
        }
        let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
        let days = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        if d == 0 || d > days[(m - 1) as usize] {
            return None;
        }
        Some(Self { y, m, d })
    }
    /// Whole years from `self` to `today`.
    pub fn years_until(self, today: Date) -> i32 {
        let mut age = today.y as i32 - self.y as i32;
        if (today.m, today.d) < (self.m, self.d) {
            age -= 1;
        }
        age
    }
    /// The date `months` months earlier (day clamped to 28 for simplicity of reminders).
    pub fn minus_months(self, months: u8) -> Date {
        let total = self.y as i32 * 12 + (self.m as i32 - 1) - months as i32;
        Date {
            y: (total / 12) as u16,
            m: (total % 12 + 1) as u8,
            d: self.d.min(28),
        }
    }
}

impl utoipa::PartialSchema for Date {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Date,
            )))
            .pattern(Some(
                concat!(
                    r"^(?:(?:19[0-9]{2}|20[0-9]{2}|2100)-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])",
                    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))",
                    r"|(?:19(?:0[48]|[2468][048]|[13579][26])|20(?:[02468][048]|[13579][26]))-02-29)$"
                ),
            ))
            .description(Some(
                "A calendar date, YYYY-MM-DD (1900-01-01 to 2100-12-31).",
            ))
            .into()
    }
}
impl utoipa::ToSchema for Date {}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

impl TryFrom<String> for Date {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Date::parse(&s).ok_or_else(|| "invalid date".into())
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Female,
    Male,
    Other,
    NoAnswer,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Basic {
    /// Required: the section is refused without a name.
    #[schema(
        required = true,
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub name: String,
    /// Katakana or hiragana.
    #[schema(max_length = 100, pattern = r"^[ァ-ヶぁ-ゖー 　・]*$")]
    pub kana: String,
    pub gender: Option<Gender>,
    pub birth_date: Option<Date>,
    /// JIS X 0401 code, 1–47.
    #[schema(minimum = 1, maximum = 47)]
    pub prefecture: Option<u8>,
    /// The rest of the address (city, street).
    #[schema(
        max_length = 200,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub address: String,
    /// At least ten digits; digits, spaces, `-` and `+`.
    #[schema(max_length = 20, pattern = r"^(|[-+ ]*([0-9][-+ ]*){10,})$")]
    pub phone: String,
    #[schema(
        max_length = 254,
        pattern = r"^(|[^\s@\x00-\x1F\x7F-\x9F]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)$"
    )]
    pub email: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisabilityCategory {
    Physical,
    Intellectual,
    Mental,
    Developmental,
    Intractable,
    Other,
}

impl DisabilityCategory {
    pub const ALL: [DisabilityCategory; 6] = [
        Self::Physical,
        Self::Intellectual,
        Self::Mental,
        Self::Developmental,
        Self::Intractable,
        Self::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Physical => "physical",
            Self::Intellectual => "intellectual",
            Self::Mental => "mental",
            Self::Developmental => "developmental",
            Self::Intractable => "intractable",
            Self::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// 障害者手帳.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Certificate {
    #[default]
    None,
    /// 身体障害者手帳 1–6級.
    Physical {
        #[schema(minimum = 1, maximum = 6)]
        grade: u8,
    },
    /// 療育手帳, with the grade as the issuing prefecture writes it (A, B1, 1度 …).
    Ryoiku {
        #[schema(min_length = 1, max_length = 20, pattern = r"\S")]
        local_grade: String,
    },
    /// 精神障害者保健福祉手帳 1–3級; valid for two years.
    Mental {
        #[schema(minimum = 1, maximum = 3)]
        grade: u8,
        expires_on: Date,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Disability {
    pub categories: Vec<DisabilityCategory>,
    pub certificate: Certificate,
    #[schema(
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub description: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Accommodations {
    /// Codes from `taxonomy::ACCOMMODATIONS`.
    #[schema(value_type = Vec<crate::taxonomy::schema::AccommodationCode>)]
    pub codes: Vec<String>,
    #[schema(
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Traits {
    #[schema(
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Career {
    #[schema(
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub education: String,
    #[schema(
        max_length = 4000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub work_history: String,
    #[schema(
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub qualifications: String,
    #[schema(
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub skills: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentType {
    FullTime,
    PartTime,
    Contract,
    Any,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Desired {
    #[schema(value_type = Vec<crate::taxonomy::schema::JobCategoryCode>)]
    pub job_categories: Vec<String>,
    #[schema(value_type = Vec<crate::taxonomy::schema::PrefectureCode>)]
    pub prefectures: Vec<u8>,
    pub remote: bool,
    pub employment_type: Option<EmploymentType>,
    #[schema(minimum = 1, maximum = 60)]
    pub hours_per_week: Option<u8>,
    #[schema(minimum = 1, maximum = 7)]
    pub days_per_week: Option<u8>,
    /// Lowest acceptable hourly wage in yen.
    #[schema(maximum = 100000)]
    pub hourly_wage_min: Option<u32>,
    #[schema(maximum = 600)]
    pub commute_minutes: Option<u16>,
}

/// The whole profile; absent sections were never filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basic: Option<Basic>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disability: Option<Disability>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accommodations: Option<Accommodations>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traits: Option<Traits>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub career: Option<Career>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired: Option<Desired>,
}

impl Profile {
    pub fn has(&self, s: Section) -> bool {
        match s {
            Section::Basic => self.basic.is_some(),
            Section::Disability => self.disability.is_some(),
            Section::Accommodations => self.accommodations.is_some(),
            Section::Traits => self.traits.is_some(),
            Section::Career => self.career.is_some(),
            Section::Desired => self.desired.is_some(),
        }
    }
    /// The date on which to remind the seeker of an expiring 精神障害者保健福祉手帳
    /// (three months before it expires).
    pub fn certificate_reminder(&self) -> Option<Date> {
        match self.disability.as_ref().map(|d| &d.certificate) {
            Some(Certificate::Mental { expires_on, .. }) => Some(expires_on.minus_months(3)),
            _ => None,
        }
    }
}

/// A warning that does not block saving: a free-text field touches a topic employers
/// may not collect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub field: String,
    pub topic: &'static str,
}

pub(crate) fn text(f: &mut Fields, field: &'static str, s: &str, max: usize) -> String {
    let t = s.trim();
    if t.chars().count() > max {
        f.add(field, "text-too-long");
    }
    if t.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        f.add(field, "text-control-chars");
    }
    t.to_owned()
}

fn warn(w: &mut Vec<Warning>, field: &str, s: &str) {
    for topic in taxonomy::forbidden_topics(s) {
        w.push(Warning {
            field: field.to_owned(),
            topic,
        });
    }
}

/// Validates a section as submitted. Returns the cleaned section and warnings.
pub fn validate(p: &Profile, section: Section) -> Result<(Profile, Vec<Warning>), Fields> {
    let mut f = Fields::new();
    let mut w = Vec::new();
    let mut out = Profile::default();
    match section {
        Section::Basic => {
            let b = p.basic.clone().unwrap_or_default();
            let name = text(&mut f, "name", &b.name, 100);
            if name.is_empty() {
                f.add("name", "name-required");
            }
            let kana = text(&mut f, "kana", &b.kana, 100);
            if !kana.is_empty()
                && !kana.chars().all(
                    |c| matches!(c, 'ァ'..='ヶ' | 'ぁ'..='ゖ' | 'ー' | ' ' | '\u{3000}' | '・'),
                )
            {
                f.add("kana", "kana-invalid");
            }
            if b.prefecture
                .is_some_and(|c| taxonomy::prefecture(c).is_none())
            {
                f.add("prefecture", "prefecture-invalid");
            }
            let phone = text(&mut f, "phone", &b.phone, 20);
            if !phone.is_empty() && !crate::validate::phone_ok(&phone) {
                f.add("phone", "phone-invalid");
            }
            let email = b.email.trim().to_owned();
            if !email.is_empty() && crate::validate::Email::parse(&email).is_err() {
                f.add("email", "email-invalid");
            }
            let address = text(&mut f, "address", &b.address, 200);
            out.basic = Some(Basic {
                name,
                kana,
                gender: b.gender,
                birth_date: b.birth_date,
                prefecture: b.prefecture,
                address,
                phone,
                email,
            });
        }
        Section::Disability => {
            let d = p.disability.clone().unwrap_or_default();
            let mut cats = d.categories.clone();
            cats.dedup();
            match &d.certificate {
                Certificate::Physical { grade } if !(1..=6).contains(grade) => {
                    f.add("certificate_grade", "grade-invalid")
                }
                Certificate::Mental { grade, .. } if !(1..=3).contains(grade) => {
                    f.add("certificate_grade", "grade-invalid")
                }
                Certificate::Ryoiku { local_grade }
                    if local_grade.trim().is_empty() || local_grade.chars().count() > 20 =>
                {
                    f.add("certificate_grade", "grade-invalid")
                }
                _ => {}
            }
            let description = text(&mut f, "description", &d.description, 2000);
            warn(&mut w, "description", &description);
            out.disability = Some(Disability {
                categories: cats,
                certificate: d.certificate.clone(),
                description,
            });
        }
        Section::Accommodations => {
            let a = p.accommodations.clone().unwrap_or_default();
            if a.codes.iter().any(|c| !taxonomy::is_accommodation(c)) {
                f.add("codes", "accommodation-invalid");
            }
            let note = text(&mut f, "note", &a.note, 2000);
            warn(&mut w, "note", &note);
            let mut codes = a.codes.clone();
            codes.sort();
            codes.dedup();
            out.accommodations = Some(Accommodations { codes, note });
        }
        Section::Traits => {
            let t = p.traits.clone().unwrap_or_default();
            let s = text(&mut f, "text", &t.text, 2000);
            warn(&mut w, "text", &s);
            out.traits = Some(Traits { text: s });
        }
        Section::Career => {
            let c = p.career.clone().unwrap_or_default();
            let education = text(&mut f, "education", &c.education, 2000);
            let work_history = text(&mut f, "work_history", &c.work_history, 4000);
            let qualifications = text(&mut f, "qualifications", &c.qualifications, 2000);
            let skills = text(&mut f, "skills", &c.skills, 2000);
            for (k, v) in [
                ("education", &education),
                ("work_history", &work_history),
                ("qualifications", &qualifications),
                ("skills", &skills),
            ] {
                warn(&mut w, k, v);
            }
            out.career = Some(Career {
                education,
                work_history,
                qualifications,
                skills,
            });
        }
        Section::Desired => {
            let d = p.desired.clone().unwrap_or_default();
            if d.job_categories
                .iter()
                .any(|c| !taxonomy::is_job_category(c))
            {
                f.add("job_categories", "category-invalid");
            }
            if d.prefectures
                .iter()
                .any(|c| taxonomy::prefecture(*c).is_none())
            {
                f.add("prefectures", "prefecture-invalid");
            }
            if d.hours_per_week.is_some_and(|h| !(1..=60).contains(&h)) {
                f.add("hours_per_week", "hours-invalid");
            }
            if d.days_per_week.is_some_and(|h| !(1..=7).contains(&h)) {
                f.add("days_per_week", "days-invalid");
            }
            if d.hourly_wage_min.is_some_and(|w| w > 100_000) {
                f.add("hourly_wage_min", "wage-invalid");
            }
            if d.commute_minutes.is_some_and(|m| m > 600) {
                f.add("commute_minutes", "commute-invalid");
            }
            out.desired = Some(d);
        }
    }
    f.into_result().map(|_| (out, w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_ages() {
        let b = Date::parse("2000-02-29").unwrap();
        assert_eq!(b.years_until(Date::parse("2026-02-28").unwrap()), 25);
        assert_eq!(b.years_until(Date::parse("2026-03-01").unwrap()), 26);
        assert!(Date::parse("2026-02-29").is_none());
        assert!(Date::parse("2026-13-01").is_none());
        assert_eq!(
            Date::parse("2027-02-15")
                .unwrap()
                .minus_months(3)
                .to_string(),
            "2026-11-15"
        );
    }

    #[test]
    fn sections_validate_and_warn() {
        let p = Profile {
            basic: Some(Basic {
                name: " ".into(),
                kana: "やまだ123".into(),
                prefecture: Some(48),
                phone: "abc".into(),
                ..Basic::default()
            }),
            ..Profile::default()
        };
        let e = validate(&p, Section::Basic).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|x| x.field).collect();
        assert_eq!(fields, vec!["name", "kana", "prefecture", "phone"]);
        let p = Profile {
            traits: Some(Traits {
                text: "本籍は東京です".into(),
            }),
            ..Profile::default()
        };
        let (_, w) = validate(&p, Section::Traits).unwrap();
        assert_eq!(
            w,
            vec![Warning {
                field: "text".into(),
                topic: "origin"
            }]
        );
        let p = Profile {
            accommodations: Some(Accommodations {
                codes: vec!["nope".into()],
                note: String::new(),
            }),
            ..Profile::default()
        };
        assert!(validate(&p, Section::Accommodations).is_err());
        let p = Profile {
            disability: Some(Disability {
                categories: vec![DisabilityCategory::Mental],
                certificate: Certificate::Mental {
                    grade: 2,
                    expires_on: Date::parse("2027-02-15").unwrap(),
                },
                description: String::new(),
            }),
            ..Profile::default()
        };
        let (v, _) = validate(&p, Section::Disability).unwrap();
        assert_eq!(
            v.certificate_reminder().map(|d| d.to_string()).as_deref(),
            Some("2026-11-15")
        );
        assert!(Section::Disability.is_sensitive() && !Section::Career.is_sensitive());
    }
}
