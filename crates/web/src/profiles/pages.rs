//! The seeker's own profile: overview, one form per section, a check page before saving.
use crate::drafts::{USER_TTL, get};
use crate::error::{Failure, WebResult};
use crate::forms::FormData;
use crate::forms::all;
use crate::forms::label;
use crate::forms::prefecture_name;
use crate::forms::see_other;
use crate::forms::{Lines, field_errors};
use crate::i18n::{Lang, Tr};
use crate::jst::today;
use crate::request::viewer;
use crate::request::{CSRF_FIELD, Req, Viewer};
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use domain::disclosure::PItem;
use domain::profile::{
    Accommodations, Basic, Career, Certificate, Date, Desired, Disability, DisabilityCategory,
    EmploymentType, Gender, Profile, Section, Traits, Warning,
};
use domain::taxonomy::{self, ACCOMMODATIONS, JOB_CATEGORIES, PREFECTURES};
use domain::validate::number as num;
use domain::{ConsentKind, Fields};
use std::collections::HashMap;
use store::drafts::Owner;
use store::profiles::Draft;

// ------------------------------------------------------------------ profile overview

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    c: Chrome,
    sensitive_consent: bool,
    sections: Vec<(Section, bool, Lines)>,
    /// Each proposal with its content as readable lines.
    drafts: Vec<(Draft, Lines)>,
}

impl ProfilePage {
    fn section_label(&self, s: &Section) -> String {
        self.c.a(&format!("section-{}", s.as_str()))
    }
}

/// The items of one section as (label, value) lines, for the seeker's own overview.
fn section_lines(tr: &Tr, p: &Profile, s: Section, name: &str) -> Vec<(String, String)> {
    let items: &[PItem] = match s {
        Section::Basic => &[
            PItem::Name,
            PItem::Kana,
            PItem::Gender,
            PItem::BirthDate,
            PItem::Address,
            PItem::Phone,
            PItem::Email,
        ],
        Section::Disability => &[
            PItem::DisabilityCategory,
            PItem::Certificate,
            PItem::DisabilityDescription,
        ],
        Section::Accommodations => &[PItem::Accommodations],
        Section::Traits => &[PItem::Traits],
        Section::Career => &[PItem::Career],
        Section::Desired => &[PItem::Desired],
    };
    let fields = domain::disclosure::profile_view(items, p, name, today());
    lines(tr, items, &fields)
}

/// Renders disclosed items as readable (label, value) lines.
pub fn lines(
    tr: &Tr,
    items: &[PItem],
    fields: &serde_json::Map<String, serde_json::Value>,
) -> Vec<(String, String)> {
    items
        .iter()
        .filter_map(|i| {
            fields
                .get(i.as_str())
                .map(|v| (tr.t(&format!("item-{}", i.as_str())), show(tr, *i, v)))
        })
        .collect()
}

fn s(v: &serde_json::Value, k: &str) -> String {
    v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_owned()
}

fn show(tr: &Tr, item: PItem, v: &serde_json::Value) -> String {
    let lang = tr.lang;
    let list = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let out = match item {
        PItem::Gender => tr.t(&format!("gender-{}", v.as_str().unwrap_or(""))),
        PItem::Age => format!("{}{}", v, tr.t("age-suffix")),
        PItem::Prefecture => prefecture_name(lang, v.as_u64().unwrap_or(0) as u8),
        PItem::Address => {
            let pref = v
                .get("prefecture")
                .and_then(|p| p.as_u64())
                .map(|p| prefecture_name(lang, p as u8))
                .unwrap_or_default();
            format!("{pref} {}", s(v, "address")).trim().to_owned()
        }
        PItem::DisabilityCategory => list(v)
            .iter()
            .map(|c| tr.t(&format!("cat-{c}")))
            .collect::<Vec<_>>()
            .join("、"),
        PItem::Certificate => match v.get("type").and_then(|t| t.as_str()) {
            Some("physical") => tr.t1(
                "cert-physical-grade",
                "grade",
                &v.get("grade").map(|g| g.to_string()).unwrap_or_default(),
            ),
            Some("mental") => tr.tn(
                "cert-mental-grade",
                &[
                    (
                        "grade",
                        &v.get("grade").map(|g| g.to_string()).unwrap_or_default(),
                    ),
                    ("expires", &s(v, "expires_on")),
                ],
            ),
            Some("ryoiku") => tr.t1("cert-ryoiku-grade", "grade", &s(v, "local_grade")),
            _ => tr.t("cert-none"),
        },
        PItem::Accommodations => {
            let codes = list(v.get("codes").unwrap_or(&serde_json::Value::Null));
            let names: Vec<String> = codes
                .iter()
                .filter_map(|c| {
                    ACCOMMODATIONS
                        .iter()
                        .find(|e| e.0 == c)
                        .map(|e| label(lang, e))
                })
                .collect();
            let note = s(v, "note");
            if note.is_empty() {
                names.join("、")
            } else {
                format!("{} / {}", names.join("、"), note)
            }
        }
        PItem::Career => ["education", "work_history", "qualifications", "skills"]
            .iter()
            .map(|k| format!("{}: {}", tr.t(&format!("field-{k}")), s(v, k)))
            .collect::<Vec<_>>()
            .join(" / "),
        PItem::Desired => {
            let cats: Vec<String> =
                list(v.get("job_categories").unwrap_or(&serde_json::Value::Null))
                    .iter()
                    .filter_map(|c| {
                        JOB_CATEGORIES
                            .iter()
                            .find(|e| e.0 == c)
                            .map(|e| label(lang, e))
                    })
                    .collect();
            let prefs: Vec<String> = v
                .get("prefectures")
                .and_then(|p| p.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_u64())
                        .map(|c| prefecture_name(lang, c as u8))
                        .collect()
                })
                .unwrap_or_default();
            let num = |k: &str| {
                v.get(k)
                    .filter(|x| !x.is_null())
                    .map(|x| x.to_string())
                    .unwrap_or_else(|| "—".into())
            };
            format!(
                "{}: {} / {}: {}{} / {}: {} / {}: {} / {}: {}",
                tr.t("field-job_categories"),
                cats.join("、"),
                tr.t("field-prefectures"),
                prefs.join("、"),
                if v.get("remote").and_then(|r| r.as_bool()) == Some(true) {
                    format!("({})", tr.t("field-remote"))
                } else {
                    String::new()
                },
                tr.t("field-hours_per_week"),
                num("hours_per_week"),
                tr.t("field-days_per_week"),
                num("days_per_week"),
                tr.t("field-hourly_wage_min"),
                num("hourly_wage_min"),
            )
        }
        _ => v
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| v.to_string()),
    };
    if out.is_empty() { "—".into() } else { out }
}

pub async fn profile(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let p = app.store.own_profile(v.user_id.clone()).await?;
    let me = app
        .store
        .me(v.user_id.clone())
        .await?
        .ok_or(Failure::Unauthorized)?;
    let sensitive_consent = app
        .store
        .consent_active(v.user_id.clone(), ConsentKind::SensitiveData)
        .await?;
    let tr = req.tr();
    let sections = Section::ALL
        .iter()
        .map(|s| {
            (
                *s,
                p.has(*s),
                if p.has(*s) {
                    section_lines(&tr, &p, *s, &me.name)
                } else {
                    vec![]
                },
            )
        })
        .collect();
    let drafts = app
        .store
        .drafts_for(v.user_id.clone())
        .await?
        .into_iter()
        .map(|d| {
            let shown = Section::parse(&d.section)
                .and_then(|sec| {
                    let wrapped = serde_json::json!({ sec.as_str(): d.proposed.clone() });
                    serde_json::from_value::<Profile>(wrapped)
                        .ok()
                        .map(|p| section_lines(&tr, &p, sec, &me.name))
                })
                .unwrap_or_default();
            (d, shown)
        })
        .collect();
    let flash = q
        .get("m")
        .filter(|m| ["profile-saved", "draft-approved", "draft-rejected"].contains(&m.as_str()))
        .map(String::as_str);
    Ok(html(&ProfilePage {
        c: Chrome::new(&req).flash(flash),
        sensitive_consent,
        sections,
        drafts,
    }))
}

// ------------------------------------------------------------------ section forms

#[derive(Template)]
#[template(path = "profile_edit.html")]
pub(crate) struct EditPage {
    pub(crate) c: Chrome,
    /// Where the form posts (the seeker's own section, or a supporter's draft).
    pub(crate) action: String,
    pub(crate) back: (String, String),
    pub(crate) lead: String,
    pub(crate) section: Section,
    pub(crate) locked: bool,
    pub(crate) values: HashMap<String, String>,
    pub(crate) multi: HashMap<String, Vec<String>>,
    pub(crate) errors: Vec<(String, String)>,
    pub(crate) warnings: Vec<String>,
    pub(crate) options: Options,
}

pub(crate) struct Options {
    prefectures: Vec<(String, String)>,
    accommodations: Vec<(String, String)>,
    jobs: Vec<(String, String)>,
    categories: Vec<(String, String)>,
}

impl EditPage {
    fn v(&self, k: &str) -> String {
        self.values.get(k).cloned().unwrap_or_default()
    }
    fn on(&self, k: &str, val: &str) -> bool {
        self.multi
            .get(k)
            .is_some_and(|l| l.iter().any(|x| x == val))
    }
    fn err(&self, k: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|(f, _)| f == k)
            .map(|(_, m)| m.clone())
    }
    fn title(&self) -> String {
        self.c.a(&format!("section-{}", self.section.as_str()))
    }
    fn s(&self) -> &'static str {
        self.section.as_str()
    }
    /// The forbidden topics and their warnings, for the live check while typing.
    fn forbidden(&self) -> String {
        let list: Vec<serde_json::Value> = taxonomy::FORBIDDEN_TOPICS
            .iter()
            .map(|(topic, words)| serde_json::json!({"words": words, "message": self.c.a(&format!("warn-{topic}"))}))
            .collect();
        serde_json::Value::Array(list).to_string()
    }
}

pub(crate) fn options(lang: Lang) -> Options {
    Options {
        prefectures: PREFECTURES
            .iter()
            .map(|(c, ja, en)| {
                (
                    c.to_string(),
                    if lang.is_japanese() {
                        (*ja).to_owned()
                    } else {
                        (*en).to_owned()
                    },
                )
            })
            .collect(),
        accommodations: ACCOMMODATIONS
            .iter()
            .map(|e| (e.0.to_owned(), label(lang, e)))
            .collect(),
        jobs: JOB_CATEGORIES
            .iter()
            .map(|e| (e.0.to_owned(), label(lang, e)))
            .collect(),
        categories: DisabilityCategory::ALL
            .iter()
            .map(|c| {
                (
                    c.as_str().to_owned(),
                    Tr::new(lang).t(&format!("cat-{}", c.as_str())),
                )
            })
            .collect(),
    }
}

/// The stored section as form values.
pub(crate) fn values_of(
    p: &Profile,
    s: Section,
    account_name: &str,
) -> (HashMap<String, String>, HashMap<String, Vec<String>>) {
    let mut v = HashMap::new();
    let mut m: HashMap<String, Vec<String>> = HashMap::new();
    let mut put = |k: &str, x: String| {
        v.insert(k.to_owned(), x);
    };
    match s {
        Section::Basic => {
            let b = p.basic.clone().unwrap_or_default();
            put(
                "name",
                if b.name.is_empty() {
                    account_name.to_owned()
                } else {
                    b.name
                },
            );
            put("kana", b.kana);
            put(
                "gender",
                b.gender
                    .map(|g| {
                        serde_json::to_value(g)
                            .ok()
                            .and_then(|x| x.as_str().map(str::to_owned))
                            .unwrap_or_default()
                    })
                    .unwrap_or_default(),
            );
            put(
                "birth_date",
                b.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            );
            put(
                "prefecture",
                b.prefecture.map(|p| p.to_string()).unwrap_or_default(),
            );
            put("address", b.address);
            put("phone", b.phone);
            put("email", b.email);
        }
        Section::Disability => {
            let d = p.disability.clone().unwrap_or_default();
            m.insert(
                "categories".into(),
                d.categories.iter().map(|c| c.as_str().to_owned()).collect(),
            );
            let (t, g, e) = match &d.certificate {
                Certificate::None => ("none", String::new(), String::new()),
                Certificate::Physical { grade } => ("physical", grade.to_string(), String::new()),
                Certificate::Ryoiku { local_grade } => {
                    ("ryoiku", local_grade.clone(), String::new())
                }
                Certificate::Mental { grade, expires_on } => {
                    ("mental", grade.to_string(), expires_on.to_string())
                }
            };
            put("certificate_type", t.into());
            put("certificate_grade", g);
            put("certificate_expires", e);
            put("description", d.description);
        }
        Section::Accommodations => {
            let a = p.accommodations.clone().unwrap_or_default();
            m.insert("codes".into(), a.codes);
            put("note", a.note);
        }
        Section::Traits => put("text", p.traits.clone().unwrap_or_default().text),
        Section::Career => {
            let c = p.career.clone().unwrap_or_default();
            put("education", c.education);
            put("work_history", c.work_history);
            put("qualifications", c.qualifications);
            put("skills", c.skills);
        }
        Section::Desired => {
            let d = p.desired.clone().unwrap_or_default();
            m.insert("job_categories".into(), d.job_categories);
            m.insert(
                "prefectures".into(),
                d.prefectures.iter().map(|x| x.to_string()).collect(),
            );
            put(
                "remote",
                if d.remote {
                    "yes".into()
                } else {
                    String::new()
                },
            );
            put(
                "employment_type",
                d.employment_type
                    .map(|g| {
                        serde_json::to_value(g)
                            .ok()
                            .and_then(|x| x.as_str().map(str::to_owned))
                            .unwrap_or_default()
                    })
                    .unwrap_or_default(),
            );
            let n = |x: Option<u32>| x.map(|y| y.to_string()).unwrap_or_default();
            put("hours_per_week", n(d.hours_per_week.map(u32::from)));
            put("days_per_week", n(d.days_per_week.map(u32::from)));
            put("hourly_wage_min", n(d.hourly_wage_min));
            put("commute_minutes", n(d.commute_minutes.map(u32::from)));
        }
    }
    (v, m)
}

fn date(f: &mut Fields, field: &'static str, raw: &str) -> Option<Date> {
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    let d = Date::parse(t);
    if d.is_none() {
        f.add(field, "date-invalid");
    }
    d
}

fn enum_of<T: serde::de::DeserializeOwned>(raw: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(raw.to_owned())).ok()
}

/// Reads a section form into a profile part; form-level parse errors (numbers, dates).
pub(crate) fn parse_form(s: Section, f: &[(String, String)]) -> (Profile, Fields) {
    let mut e = Fields::new();
    let mut p = Profile::default();
    match s {
        Section::Basic => {
            p.basic = Some(Basic {
                name: get(f, "name").into(),
                kana: get(f, "kana").into(),
                gender: enum_of::<Gender>(get(f, "gender")),
                birth_date: date(&mut e, "birth_date", get(f, "birth_date")),
                prefecture: num(&mut e, "prefecture", get(f, "prefecture")),
                address: get(f, "address").into(),
                phone: get(f, "phone").into(),
                email: get(f, "email").into(),
            })
        }
        Section::Disability => {
            let grade = get(f, "certificate_grade");
            let certificate = match get(f, "certificate_type") {
                "physical" => Certificate::Physical {
                    grade: num(&mut e, "certificate_grade", grade).unwrap_or(0),
                },
                "ryoiku" => Certificate::Ryoiku {
                    local_grade: grade.trim().into(),
                },
                "mental" => {
                    match date(&mut e, "certificate_expires", get(f, "certificate_expires")) {
                        Some(expires_on) => Certificate::Mental {
                            grade: num(&mut e, "certificate_grade", grade).unwrap_or(0),
                            expires_on,
                        },
                        None => {
                            e.add("certificate_expires", "date-invalid");
                            Certificate::None
                        }
                    }
                }
                _ => Certificate::None,
            };
            p.disability = Some(Disability {
                categories: all(f, "categories")
                    .iter()
                    .filter_map(|c| DisabilityCategory::parse(c))
                    .collect(),
                certificate,
                description: get(f, "description").into(),
            })
        }
        Section::Accommodations => {
            p.accommodations = Some(Accommodations {
                codes: all(f, "codes"),
                note: get(f, "note").into(),
            })
        }
        Section::Traits => {
            p.traits = Some(Traits {
                text: get(f, "text").into(),
            })
        }
        Section::Career => {
            p.career = Some(Career {
                education: get(f, "education").into(),
                work_history: get(f, "work_history").into(),
                qualifications: get(f, "qualifications").into(),
                skills: get(f, "skills").into(),
            })
        }
        Section::Desired => {
            p.desired = Some(Desired {
                job_categories: all(f, "job_categories"),
                prefectures: all(f, "prefectures")
                    .iter()
                    .filter_map(|x| x.parse().ok())
                    .collect(),
                remote: !get(f, "remote").is_empty(),
                employment_type: enum_of::<EmploymentType>(get(f, "employment_type")),
                hours_per_week: num(&mut e, "hours_per_week", get(f, "hours_per_week")),
                days_per_week: num(&mut e, "days_per_week", get(f, "days_per_week")),
                hourly_wage_min: num(&mut e, "hourly_wage_min", get(f, "hourly_wage_min")),
                commute_minutes: num(&mut e, "commute_minutes", get(f, "commute_minutes")),
            })
        }
    }
    (p, e)
}

pub(crate) fn section_of(s: &str) -> WebResult<Section> {
    Section::parse(s).ok_or(Failure::NotFound)
}

pub async fn section_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(section): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let s = section_of(&section)?;
    let p = app.store.own_profile(v.user_id.clone()).await?;
    let me = app
        .store
        .me(v.user_id.clone())
        .await?
        .ok_or(Failure::Unauthorized)?;
    let sensitive = app
        .store
        .consent_active(v.user_id.clone(), ConsentKind::SensitiveData)
        .await?;
    // What to show: a form kept at a time-out, else answers not yet saved, else the
    // profile as saved.
    let restored = crate::drafts::restore_timed_out(&app, &req).await?;
    let unsaved = match &restored {
        Some(_) => None,
        None => app.store.draft_load(owner(v), flow(s), now()).await?,
    };
    let (values, multi) = match restored.as_ref().or(unsaved.as_ref()) {
        Some(f) => typed(f),
        None => values_of(&p, s, &me.name),
    };
    let flash = restored.as_ref().map(|_| "form-restored");
    Ok(html(&EditPage {
        c: Chrome::new(&req).flash(flash),
        action: format!("/profile/{}", s.as_str()),
        back: ("/profile".into(), req.tr().t("back-to-profile")),
        lead: String::new(),
        section: s,
        locked: s.is_sensitive() && !sensitive,
        values,
        multi,
        errors: vec![],
        warnings: vec![],
        options: options(req.lang),
    }))
}

pub async fn section_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(section): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let s = section_of(&section)?;
    let tr = req.tr();
    let f: Vec<(String, String)> = f.into_iter().filter(|(k, _)| k != CSRF_FIELD).collect();
    let (p, parse_errors) = parse_form(s, &f);
    let result = if parse_errors.is_empty() {
        crate::profiles::check(&app, v, &p).await.map(|_| ())
    } else {
        Err(all_errors(parse_errors, &p, s))
    };
    match result {
        // Kept on the server until the seeker has checked it and saves it.
        Ok(()) => {
            let t = now();
            app.store
                .draft_save(owner(v), flow(s), f, t, t + USER_TTL)
                .await?;
            Ok(see_other(&format!("/profile/{}/check", s.as_str())))
        }
        Err(Failure::Fields(fields)) => {
            let sensitive = app
                .store
                .consent_active(v.user_id.clone(), ConsentKind::SensitiveData)
                .await?;
            // Re-show what was typed (never lose input), with the errors.
            let (values, multi) = typed(&f);
            let page = EditPage {
                c: Chrome::new(&req),
                action: format!("/profile/{}", s.as_str()),
                back: ("/profile".into(), tr.t("back-to-profile")),
                lead: String::new(),
                section: s,
                locked: s.is_sensitive() && !sensitive,
                values,
                multi,
                errors: field_errors(&tr, &fields),
                warnings: vec![],
                options: options(req.lang),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
        }
        Err(other) => Err(other),
    }
}

fn owner(v: &Viewer) -> Owner {
    Owner::User(v.user_id.clone())
}

fn to_form(s: Section) -> Response {
    see_other(&format!("/profile/{}", s.as_str()))
}

/// The draft of a section: answers checked but not yet saved.
fn flow(s: Section) -> String {
    format!("profile/{}", s.as_str())
}

#[derive(Template)]
#[template(path = "profile_check.html")]
struct CheckPage {
    c: Chrome,
    section: Section,
    lines: Lines,
    warnings: Vec<String>,
}

impl CheckPage {
    fn title(&self) -> String {
        self.c.a(&format!("section-{}", self.section.as_str()))
    }
    fn heading(&self) -> crate::i18n::Msg {
        self.c.t(&format!("section-{}", self.section.as_str()))
    }
}

/// The section's answers kept for checking, as a profile; None when there are none or
/// they no longer parse (the form is then shown again).
async fn checked_draft(app: &AppState, v: &Viewer, s: Section) -> WebResult<Option<Profile>> {
    let Some(f) = app.store.draft_load(owner(v), flow(s), now()).await? else {
        return Ok(None);
    };
    let (p, parse_errors) = parse_form(s, &f);
    Ok(parse_errors.is_empty().then_some(p))
}

/// Check your answers: a section as it will be saved (through the disclosure policy's
/// owner view, like the profile page), with a change link and the save button.
pub async fn check_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(section): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let s = section_of(&section)?;
    let Some(p) = checked_draft(&app, v, s).await? else {
        return Ok(to_form(s));
    };
    let tr = req.tr();
    let warnings = match crate::profiles::check(&app, v, &p).await {
        Ok((_, w)) => w
            .iter()
            .map(|w: &Warning| tr.t(&format!("warn-{}", w.topic)))
            .collect(),
        Err(Failure::Fields(_)) => return Ok(to_form(s)),
        Err(other) => return Err(other),
    };
    let me = app
        .store
        .me(v.user_id.clone())
        .await?
        .ok_or(Failure::Unauthorized)?;
    let name = match &p.basic {
        Some(b) => b.name.clone(),
        None => me.name,
    };
    Ok(html(&CheckPage {
        lines: section_lines(&tr, &p, s, &name),
        c: Chrome::new(&req),
        section: s,
        warnings,
    }))
}

pub async fn check_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(section): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let s = section_of(&section)?;
    let Some(p) = checked_draft(&app, v, s).await? else {
        return Ok(to_form(s));
    };
    match crate::profiles::save(&app, &req, v, &p).await {
        Ok(_) => {
            app.store.draft_delete(owner(v), flow(s)).await?;
            Ok(see_other(&format!(
                "/profile?m=profile-saved#h-{}",
                s.as_str()
            )))
        }
        // The answers no longer hold (e.g. consent withdrawn meanwhile): back to the form,
        // which shows them with the reason.
        Err(Failure::Fields(_)) => Ok(to_form(s)),
        Err(other) => Err(other),
    }
}

/// Every problem at once: the form's own (numbers, dates) and the section's rules.
pub(crate) fn all_errors(mut parse_errors: Fields, p: &Profile, s: Section) -> Failure {
    if let Err(more) = domain::profile::validate(p, s) {
        for e in more.0 {
            parse_errors.add(e.field, e.code);
        }
    }
    Failure::Fields(parse_errors)
}

/// What was typed, to show again.
pub(crate) fn typed(
    f: &[(String, String)],
) -> (HashMap<String, String>, HashMap<String, Vec<String>>) {
    let mut values = HashMap::new();
    let mut multi: HashMap<String, Vec<String>> = HashMap::new();
    for (k, val) in f {
        multi.entry(k.clone()).or_default().push(val.clone());
        values.insert(k.clone(), val.clone());
    }
    (values, multi)
}
