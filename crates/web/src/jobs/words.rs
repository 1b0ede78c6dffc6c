//! How job data reads in each language: wages, labels of code lists, cards, match reasons.
use crate::forms::label;
use crate::forms::prefecture_name;
use crate::i18n::{Lang, Tr};
use domain::jobs::{self, JobCard, Remote, WageUnit};
use domain::matching::{Match, Reason};
use domain::taxonomy::ACCOMMODATIONS;

// ------------------------------------------------------------------ words

fn yen(n: u32, lang: Lang) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    match lang {
        Lang::Ja | Lang::Easy => format!("{out}円"),
        Lang::En => format!("¥{out}"),
    }
}

pub fn wage_text(tr: &Tr, unit: WageUnit, min: u32, max: Option<u32>) -> String {
    let range = match max {
        Some(m) if m > min => format!("{}〜{}", yen(min, tr.lang), yen(m, tr.lang)),
        _ => format!("{}〜", yen(min, tr.lang)),
    };
    format!("{} {range}", tr.t(&format!("wage-unit-{}", unit.as_str())))
}

pub(crate) fn entry_label(lang: Lang, list: &[domain::taxonomy::Entry], code: &str) -> String {
    list.iter()
        .find(|e| e.0 == code)
        .map(|e| label(lang, e))
        .unwrap_or_else(|| code.to_owned())
}

pub(crate) fn labels(lang: Lang, list: &[domain::taxonomy::Entry], codes: &[String]) -> String {
    let sep = if lang.is_japanese() { "、" } else { ", " };
    codes
        .iter()
        .map(|c| entry_label(lang, list, c))
        .collect::<Vec<_>>()
        .join(sep)
}

/// A job card as one result line.
pub struct CardView {
    pub id: String,
    pub title: String,
    pub company: String,
    pub place: String,
    pub wage: String,
    pub hours: String,
    pub employment: String,
    pub accommodations: String,
    pub snippet: String,
}

pub(crate) fn card_view(tr: &Tr, c: &JobCard) -> CardView {
    let lang = tr.lang;
    let remote = match c.remote {
        Remote::None => String::new(),
        r => format!(" / {}", tr.t(&format!("remote-{}", r.as_str()))),
    };
    CardView {
        id: c.id.clone(),
        title: c.title.clone(),
        company: c.company_name.clone(),
        place: format!("{} {}{remote}", prefecture_name(lang, c.prefecture), c.city),
        wage: wage_text(tr, c.wage_unit, c.wage_min, c.wage_max),
        hours: tr.tn(
            "job-hours",
            &[
                ("hours", &c.hours_per_week.to_string()),
                ("days", &c.days_per_week.to_string()),
            ],
        ),
        employment: tr.t(&format!(
            "employment-{}",
            jobs::employment_code(c.employment_type)
        )),
        accommodations: labels(lang, ACCOMMODATIONS, &c.accommodations),
        snippet: c.body.lines().next().unwrap_or("").to_owned(),
    }
}

/// A matching reason in plain words.
/// Who a match reason is written to: the seeker about a job ("希望の職種です"), or the
/// employer about a candidate ("希望の職種がこの求人と合っています").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voice {
    Seeker,
    Employer,
}

/// The reasons worded for people, in this voice.
pub fn explained(tr: &Tr, reasons: &[Reason], voice: Voice) -> Vec<String> {
    reasons
        .iter()
        .map(|r| reason_text(tr, r, voice).1)
        .collect()
}

pub fn reason_text(tr: &Tr, r: &Reason, voice: Voice) -> (bool, String) {
    // Every key exists twice: `match-…` to the seeker, `cmatch-…` to the employer.
    let k = |key: &str| match voice {
        Voice::Seeker => key.to_owned(),
        Voice::Employer => format!("c{key}"),
    };
    match r {
        Reason::Category { met } => (
            *met,
            tr.t(&k(if *met {
                "match-category-met"
            } else {
                "match-category-unmet"
            })),
        ),
        Reason::Place { met, remote } => (
            *met,
            tr.t(&k(match (met, remote) {
                (true, _) => "match-place-met",
                (false, true) => "match-place-unmet-remote",
                (false, false) => "match-place-unmet",
            })),
        ),
        Reason::Hours { met, job, want } => (
            *met,
            tr.tn(
                &k(if *met {
                    "match-hours-met"
                } else {
                    "match-hours-unmet"
                }),
                &[("job", &job.to_string()), ("want", &want.to_string())],
            ),
        ),
        Reason::Wage { met, job, want } => (
            *met,
            tr.tn(
                &k(if *met {
                    "match-wage-met"
                } else {
                    "match-wage-unmet"
                }),
                &[("job", &yen(*job, tr.lang)), ("want", &yen(*want, tr.lang))],
            ),
        ),
        Reason::Employment { met, job } => (
            *met,
            tr.t1(
                &k(if *met {
                    "match-employment-met"
                } else {
                    "match-employment-unmet"
                }),
                "job",
                &tr.t(&format!("employment-{job}")),
            ),
        ),
        Reason::Skills { matched, missing } => {
            let sep = if tr.lang.is_japanese() { "、" } else { ", " };
            let text = match (matched.is_empty(), missing.is_empty()) {
                (_, true) if !matched.is_empty() => {
                    tr.t1(&k("match-skills-all"), "matched", &matched.join(sep))
                }
                (true, _) => tr.t1(&k("match-skills-none"), "missing", &missing.join(sep)),
                _ => tr.tn(
                    &k("match-skills-some"),
                    &[
                        ("matched", &matched.join(sep)),
                        ("missing", &missing.join(sep)),
                    ],
                ),
            };
            (missing.is_empty(), text)
        }
        Reason::Accommodation { code, covered } => (
            *covered,
            tr.t1(
                &k(if *covered {
                    "match-acc-covered"
                } else {
                    "match-acc-missing"
                }),
                "name",
                &entry_label(tr.lang, ACCOMMODATIONS, code),
            ),
        ),
    }
}

pub struct MatchView {
    pub score: u8,
    /// (met, text)
    pub reasons: Vec<(bool, String)>,
}

pub(crate) fn match_view(tr: &Tr, m: &Match, voice: Voice) -> MatchView {
    MatchView {
        score: m.score,
        reasons: m
            .reasons
            .iter()
            .map(|r| reason_text(tr, r, voice))
            .collect(),
    }
}
