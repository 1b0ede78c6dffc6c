//! Seeker profiles: the seeker's own sections (overview, one form per section, a check
//! page before saving), supporters' proposals, and a seeker as others see them (only
//! through the store's one door). The use cases below are shared by pages and API.
pub mod api;
pub mod pages;
pub mod proposals;
pub mod seeker;

use crate::error::{Failure, WebResult};
use crate::request::{Req, Viewer};
use crate::{AppState, now};
use domain::Fields;
use domain::profile::{self, Profile, Section, Warning};
use store::profiles::NotSaved;

/// Validates and saves every section present in `p`. All-or-nothing per request:
/// if any section is invalid nothing is saved and the errors name `section.field`.
pub async fn save(app: &AppState, req: &Req, v: &Viewer, p: &Profile) -> WebResult<Vec<Warning>> {
    let (cleaned, warnings) = check(app, v, p).await?;
    for (s, part) in cleaned {
        match app
            .store
            .save_section(v.user_id.clone(), part, s, req.ctx.clone(), now())
            .await?
        {
            Ok(()) => {}
            Err(NotSaved::NeedsSensitiveConsent) => {
                return Err(Failure::field(
                    section_field(s),
                    "sensitive-consent-required",
                ));
            }
            Err(NotSaved::NotASeeker) => return Err(Failure::Forbidden),
        }
    }
    Ok(warnings)
}

/// Validates every section present in `p` without saving: the cleaned sections and
/// the warnings, or every error at once.
#[allow(clippy::type_complexity)]
pub async fn check(
    app: &AppState,
    v: &Viewer,
    p: &Profile,
) -> WebResult<(Vec<(Section, Profile)>, Vec<Warning>)> {
    let mut cleaned = Vec::new();
    let mut errors = Fields::new();
    let mut warnings = Vec::new();
    let sensitive = app
        .store
        .consent_active(v.user_id.clone(), domain::ConsentKind::SensitiveData)
        .await?;
    for s in Section::ALL {
        if !p.has(s) {
            continue;
        }
        if s.is_sensitive() && !sensitive {
            errors.add(section_field(s), "sensitive-consent-required");
            continue;
        }
        match profile::validate(p, s) {
            Ok((part, w)) => {
                warnings.extend(w.into_iter().map(|mut w| {
                    w.field = format!("{}.{}", s.as_str(), w.field);
                    w
                }));
                cleaned.push((s, part));
            }
            Err(f) => {
                for e in f.0 {
                    errors.0.push(domain::FieldError {
                        field: qualified(s, e.field),
                        code: e.code,
                    });
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(Failure::Fields(errors));
    }
    Ok((cleaned, warnings))
}

fn section_field(s: Section) -> &'static str {
    s.as_str()
}

/// `section.field` as a static name (the set is small and fixed).
fn qualified(s: Section, field: &'static str) -> &'static str {
    const NAMES: &[&str] = &[
        "basic.name",
        "basic.kana",
        "basic.prefecture",
        "basic.phone",
        "basic.email",
        "basic.address",
        "disability.certificate_grade",
        "disability.description",
        "accommodations.codes",
        "accommodations.note",
        "traits.text",
        "career.education",
        "career.work_history",
        "career.qualifications",
        "career.skills",
        "desired.job_categories",
        "desired.prefectures",
        "desired.hours_per_week",
        "desired.days_per_week",
        "desired.hourly_wage_min",
        "desired.commute_minutes",
    ];
    let want = format!("{}.{}", s.as_str(), field);
    NAMES.iter().copied().find(|n| *n == want).unwrap_or(field)
}
