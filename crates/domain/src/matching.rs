//! Two-way matching: a transparent score between what a seeker needs and what a
//! posting offers, with every reason behind it. Ranking is by rules the user can read,
//! never by anyone's hand-picking (職業安定法: the operator does not select).
use crate::jobs::{JobCard, Remote, employment_code};
use crate::profile::{EmploymentType, Profile};
use serde::Serialize;

/// What a seeker asks for, as far as the viewer may know it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    pub categories: Vec<String>,
    pub prefectures: Vec<u8>,
    pub remote: bool,
    pub employment: Option<EmploymentType>,
    pub hours_max: Option<u8>,
    pub wage_min: Option<u32>,
    /// Lower-case skills.
    pub skills: Vec<String>,
    pub accommodations: Vec<String>,
}

impl Needs {
    /// From a profile (the seeker's own, or a masked view of it: absent sections are
    /// simply not known and count for nothing).
    pub fn from_profile(p: &Profile) -> Self {
        let mut n = Needs::default();
        if let Some(d) = &p.desired {
            n.categories = d.job_categories.clone();
            n.prefectures = d.prefectures.clone();
            n.remote = d.remote;
            n.employment = d.employment_type.filter(|e| *e != EmploymentType::Any);
            n.hours_max = d.hours_per_week;
            n.wage_min = d.hourly_wage_min;
        }
        if let Some(c) = &p.career {
            n.skills = crate::jobs::skill_list(&c.skills)
                .iter()
                .map(|s| s.to_lowercase())
                .collect();
        }
        if let Some(a) = &p.accommodations {
            n.accommodations = a.codes.clone();
            n.accommodations.sort();
            n.accommodations.dedup();
        }
        n
    }
}

/// One reason, in a form the web layer words plainly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    Category {
        met: bool,
    },
    Place {
        met: bool,
        remote: bool,
    },
    Hours {
        met: bool,
        job: u8,
        want: u8,
    },
    Wage {
        met: bool,
        job: u32,
        want: u32,
    },
    Employment {
        met: bool,
        job: &'static str,
    },
    Skills {
        matched: Vec<String>,
        missing: Vec<String>,
    },
    Accommodation {
        code: String,
        covered: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    /// 0–100.
    pub score: u8,
    pub reasons: Vec<Reason>,
}

impl Match {
    pub fn missing_accommodations(&self) -> Vec<&str> {
        self.reasons
            .iter()
            .filter_map(|r| match r {
                Reason::Accommodation {
                    code,
                    covered: false,
                } => Some(code.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// Points per condition; a condition the seeker did not state is met.
const W_CATEGORY: u32 = 20;
const W_PLACE: u32 = 20;
const W_HOURS: u32 = 15;
const W_WAGE: u32 = 15;
const W_EMPLOYMENT: u32 = 10;
const W_SKILLS: u32 = 10;
const W_ACCOMMODATION: u32 = 10;

pub fn score(n: &Needs, j: &JobCard) -> Match {
    let mut points = 0;
    let mut reasons = Vec::new();
    let mut cond = |met: bool, w: u32, r: Option<Reason>| {
        if met {
            points += w;
        }
        if let Some(r) = r {
            reasons.push(r);
        }
    };
    if n.categories.is_empty() {
        cond(true, W_CATEGORY, None);
    } else {
        let met = n.categories.contains(&j.category);
        cond(met, W_CATEGORY, Some(Reason::Category { met }));
    }
    let remote = j.remote != Remote::None;
    if n.prefectures.is_empty() && !n.remote {
        cond(true, W_PLACE, None);
    } else {
        let met = n.prefectures.contains(&j.prefecture) || (n.remote && j.remote == Remote::Full);
        cond(met, W_PLACE, Some(Reason::Place { met, remote }));
    }
    match n.hours_max {
        None => cond(true, W_HOURS, None),
        Some(want) => {
            let met = j.hours_per_week <= want;
            cond(
                met,
                W_HOURS,
                Some(Reason::Hours {
                    met,
                    job: j.hours_per_week,
                    want,
                }),
            );
        }
    }
    match n.wage_min {
        None => cond(true, W_WAGE, None),
        Some(want) => {
            let met = j.hourly_wage >= want;
            cond(
                met,
                W_WAGE,
                Some(Reason::Wage {
                    met,
                    job: j.hourly_wage,
                    want,
                }),
            );
        }
    }
    match n.employment {
        None => cond(true, W_EMPLOYMENT, None),
        Some(e) => {
            let met = e == j.employment_type;
            cond(
                met,
                W_EMPLOYMENT,
                Some(Reason::Employment {
                    met,
                    job: employment_code(j.employment_type),
                }),
            );
        }
    }
    if j.required_skills.is_empty() && j.welcome_skills.is_empty() {
        cond(true, W_SKILLS, None);
    } else {
        let has = |s: &String| n.skills.iter().any(|m| same_skill(m, s));
        let matched: Vec<String> = j
            .required_skills
            .iter()
            .chain(&j.welcome_skills)
            .filter(|s| has(s))
            .cloned()
            .collect();
        let missing: Vec<String> = j
            .required_skills
            .iter()
            .filter(|s| !has(s))
            .cloned()
            .collect();
        let share = if j.required_skills.is_empty() {
            W_SKILLS
        } else {
            W_SKILLS * (j.required_skills.len() - missing.len()) as u32
                / j.required_skills.len() as u32
        };
        points += share;
        reasons.push(Reason::Skills { matched, missing });
    }
    if n.accommodations.is_empty() {
        points += W_ACCOMMODATION;
    } else {
        let mut covered = 0u32;
        for code in &n.accommodations {
            let c = j.accommodations.contains(code);
            covered += u32::from(c);
            reasons.push(Reason::Accommodation {
                code: code.clone(),
                covered: c,
            });
        }
        points += W_ACCOMMODATION * covered / n.accommodations.len() as u32;
    }
    Match {
        score: points.min(100) as u8,
        reasons,
    }
}

/// The score alone, without building reasons (no allocation): what ranking uses.
/// Must agree with [`score`] (a test checks that it does).
pub fn points(n: &Needs, j: &JobCard) -> u8 {
    let mut p = 0;
    if n.categories.is_empty() || n.categories.contains(&j.category) {
        p += W_CATEGORY;
    }
    if (n.prefectures.is_empty() && !n.remote)
        || n.prefectures.contains(&j.prefecture)
        || (n.remote && j.remote == Remote::Full)
    {
        p += W_PLACE;
    }
    if n.hours_max.is_none_or(|w| j.hours_per_week <= w) {
        p += W_HOURS;
    }
    if n.wage_min.is_none_or(|w| j.hourly_wage >= w) {
        p += W_WAGE;
    }
    if n.employment.is_none_or(|e| e == j.employment_type) {
        p += W_EMPLOYMENT;
    }
    if j.required_skills.is_empty() {
        p += W_SKILLS;
    } else {
        let has = j
            .required_skills
            .iter()
            .filter(|s| n.skills.iter().any(|m| same_skill(m, s)))
            .count() as u32;
        p += W_SKILLS * has / j.required_skills.len() as u32;
    }
    if n.accommodations.is_empty() {
        p += W_ACCOMMODATION;
    } else {
        let covered = n
            .accommodations
            .iter()
            .filter(|c| j.accommodations.contains(c))
            .count() as u32;
        p += W_ACCOMMODATION * covered / n.accommodations.len() as u32;
    }
    p.min(100) as u8
}

/// Skills compare without case (`excel` is `Excel`).
fn same_skill(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// A skill as a number (FNV-1a of its lower-case form), for the compact keys.
fn skill_hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut buf = [0u8; 4];
    for c in s.chars().flat_map(char::to_lowercase) {
        for b in c.encode_utf8(&mut buf).bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn code_bit(list: &[crate::taxonomy::Entry], code: &str) -> u64 {
    list.iter()
        .position(|e| e.0 == code)
        .map_or(0, |i| 1u64 << i)
}

const MAX_KEY_SKILLS: usize = 6;

/// What ranking needs of a posting, packed into one small value with no pointers, so
/// that ranking 100,000 postings reads one contiguous array instead of chasing
/// strings. [`points_key`] on it equals [`points`] on the card (tested).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    category: u64,
    prefecture: u8,
    remote: Remote,
    hours: u8,
    employment: EmploymentType,
    wage: u32,
    accommodations: u64,
    skills: [u64; MAX_KEY_SKILLS],
    nskills: u8,
    /// More required skills than the key holds: rank this one from the card.
    pub overflow: bool,
    pub published_at: i64,
    pub confirmed_at: i64,
}

impl Key {
    pub fn of(j: &JobCard) -> Key {
        let mut skills = [0u64; MAX_KEY_SKILLS];
        for (slot, s) in skills.iter_mut().zip(&j.required_skills) {
            *slot = skill_hash(s);
        }
        Key {
            category: code_bit(crate::taxonomy::JOB_CATEGORIES, &j.category),
            prefecture: j.prefecture,
            remote: j.remote,
            hours: j.hours_per_week,
            employment: j.employment_type,
            wage: j.hourly_wage,
            accommodations: j
                .accommodations
                .iter()
                .fold(0, |m, c| m | code_bit(crate::taxonomy::ACCOMMODATIONS, c)),
            skills,
            nskills: j.required_skills.len().min(MAX_KEY_SKILLS) as u8,
            overflow: j.required_skills.len() > MAX_KEY_SKILLS,
            published_at: j.published_at,
            confirmed_at: j.confirmed_at,
        }
    }
}

/// The seeker's side of [`Key`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedsKey {
    any_category: bool,
    categories: u64,
    any_place: bool,
    prefectures: u64,
    remote: bool,
    hours_max: Option<u8>,
    wage_min: Option<u32>,
    employment: Option<EmploymentType>,
    skills: Vec<u64>,
    accommodations: u64,
    n_accommodations: u32,
}

impl NeedsKey {
    pub fn of(n: &Needs) -> NeedsKey {
        NeedsKey {
            any_category: n.categories.is_empty(),
            categories: n
                .categories
                .iter()
                .fold(0, |m, c| m | code_bit(crate::taxonomy::JOB_CATEGORIES, c)),
            any_place: n.prefectures.is_empty() && !n.remote,
            prefectures: n
                .prefectures
                .iter()
                .filter(|p| **p < 64)
                .fold(0, |m, p| m | (1u64 << p)),
            remote: n.remote,
            hours_max: n.hours_max,
            wage_min: n.wage_min,
            employment: n.employment,
            skills: n.skills.iter().map(|s| skill_hash(s)).collect(),
            accommodations: n
                .accommodations
                .iter()
                .fold(0, |m, c| m | code_bit(crate::taxonomy::ACCOMMODATIONS, c)),
            n_accommodations: n.accommodations.len() as u32,
        }
    }
}

/// [`points`] on the packed forms.
pub fn points_key(n: &NeedsKey, k: &Key) -> u8 {
    let mut p = 0;
    if n.any_category || n.categories & k.category != 0 {
        p += W_CATEGORY;
    }
    if n.any_place
        || (k.prefecture < 64 && n.prefectures & (1u64 << k.prefecture) != 0)
        || (n.remote && k.remote == Remote::Full)
    {
        p += W_PLACE;
    }
    if n.hours_max.is_none_or(|w| k.hours <= w) {
        p += W_HOURS;
    }
    if n.wage_min.is_none_or(|w| k.wage >= w) {
        p += W_WAGE;
    }
    if n.employment.is_none_or(|e| e == k.employment) {
        p += W_EMPLOYMENT;
    }
    if k.nskills == 0 {
        p += W_SKILLS;
    } else {
        let req = &k.skills[..usize::from(k.nskills)];
        let has = req.iter().filter(|h| n.skills.contains(h)).count() as u32;
        p += W_SKILLS * has / u32::from(k.nskills);
    }
    let covered = (n.accommodations & k.accommodations).count_ones();
    p += (W_ACCOMMODATION * covered)
        .checked_div(n.n_accommodations)
        .unwrap_or(W_ACCOMMODATION);
    p.min(100) as u8
}

/// The `k` best-scoring cards, best first; ties go to the newer posting.
pub fn top<'a>(
    n: &Needs,
    cards: impl Iterator<Item = &'a JobCard>,
    k: usize,
) -> Vec<(&'a JobCard, Match)> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    // Score cheaply first, keep the best k, then compute reasons only for those.
    let mut heap: BinaryHeap<Reverse<(u8, i64, usize)>> = BinaryHeap::with_capacity(k + 1);
    let cards: Vec<&JobCard> = cards.collect();
    for (i, c) in cards.iter().enumerate() {
        let s = points(n, c);
        heap.push(Reverse((s, c.published_at, usize::MAX - i)));
        if heap.len() > k {
            heap.pop();
        }
    }
    let mut best: Vec<(u8, i64, usize)> = heap.into_iter().map(|Reverse(x)| x).collect();
    best.sort_by(|a, b| b.cmp(a));
    best.into_iter()
        .filter_map(|(_, _, i)| cards.get(usize::MAX - i).map(|c| (*c, score(n, c))))
        .collect()
}

// ------------------------------------------------------------------ scout search

/// What a company filters scout candidates by. It is applied to the masked profile the
/// company may see, inside the store's door, before anything is disclosed: a condition on
/// a part the seeker does not show matches nobody (so the disability category filters
/// only among seekers who let scouts see it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScoutFilter {
    /// A job category the seeker wants.
    pub category: Option<String>,
    /// A prefecture the seeker wants to work in.
    pub prefecture: Option<u8>,
    /// Seekers who want remote work.
    pub remote: bool,
    /// The job's weekly hours: seekers who want at least that many.
    pub hours: Option<u8>,
    /// The job's hourly wage: seekers whose lowest acceptable wage it meets.
    pub wage: Option<u32>,
    /// A skill (case-insensitive, part of a word).
    pub skill: Option<String>,
    /// What the company can offer: seekers whose stated accommodations it covers.
    pub accommodations: Vec<String>,
    /// A disability category (only among seekers who show it).
    pub disability: Option<crate::profile::DisabilityCategory>,
}

impl ScoutFilter {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Whether the masked profile `p` meets every condition.
    pub fn matches(&self, p: &Profile) -> bool {
        let d = p.desired.as_ref();
        if let Some(c) = &self.category
            && !d.is_some_and(|d| d.job_categories.contains(c))
        {
            return false;
        }
        if let Some(pref) = self.prefecture
            && !d.is_some_and(|d| d.prefectures.contains(&pref))
        {
            return false;
        }
        if self.remote && !d.is_some_and(|d| d.remote) {
            return false;
        }
        if let Some(h) = self.hours {
            let wants_enough = d.and_then(|d| d.hours_per_week).is_some_and(|x| x >= h);
            if !wants_enough {
                return false;
            }
        }
        if let Some(w) = self.wage {
            let wage_ok = d.is_some_and(|d| d.hourly_wage_min.is_none_or(|m| m <= w));
            if !wage_ok {
                return false;
            }
        }
        if let Some(skill) = &self.skill {
            let s = skill.to_lowercase();
            if !p
                .career
                .as_ref()
                .is_some_and(|c| c.skills.to_lowercase().contains(&s))
            {
                return false;
            }
        }
        if !self.accommodations.is_empty()
            && !p
                .accommodations
                .as_ref()
                .is_some_and(|a| a.codes.iter().all(|c| self.accommodations.contains(c)))
        {
            return false;
        }
        if let Some(cat) = self.disability
            && !p
                .disability
                .as_ref()
                .is_some_and(|x| x.categories.contains(&cat))
        {
            return false;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::WageUnit;

    fn card() -> JobCard {
        JobCard {
            id: "j".into(),
            company_id: "c".into(),
            company_name: "株式会社テスト".into(),
            title: "一般事務".into(),
            category: "office".into(),
            employment_type: EmploymentType::PartTime,
            prefecture: 13,
            city: "千代田区".into(),
            remote: Remote::Partial,
            hours_per_week: 20,
            days_per_week: 4,
            wage_unit: WageUnit::Hourly,
            wage_min: 1200,
            wage_max: None,
            hourly_wage: 1200,
            accommodations: vec!["written_instructions".into()],
            required_skills: vec!["Excel".into()],
            welcome_skills: vec![],
            body: String::new(),
            published_at: 0,
            confirmed_at: 0,
        }
    }

    #[test]
    fn a_missing_accommodation_is_explained_and_costs_points() {
        let n = Needs {
            categories: vec!["office".into()],
            prefectures: vec![13],
            hours_max: Some(20),
            wage_min: Some(1100),
            skills: vec!["excel".into()],
            accommodations: vec!["written_instructions".into(), "quiet_environment".into()],
            ..Needs::default()
        };
        let m = score(&n, &card());
        assert_eq!(m.missing_accommodations(), vec!["quiet_environment"]);
        assert!(m.reasons.contains(&Reason::Accommodation {
            code: "written_instructions".into(),
            covered: true
        }));
        assert_eq!(m.score, 95);
    }

    #[test]
    fn unmet_conditions_lower_the_score_with_reasons() {
        let n = Needs {
            hours_max: Some(10),
            wage_min: Some(1500),
            ..Needs::default()
        };
        let m = score(&n, &card());
        assert!(m.reasons.contains(&Reason::Hours {
            met: false,
            job: 20,
            want: 10
        }));
        assert!(m.reasons.contains(&Reason::Wage {
            met: false,
            job: 1200,
            want: 1500
        }));
        assert_eq!(m.score, 100 - 15 - 15 - 10);
    }

    #[test]
    fn points_agree_with_score() {
        let mut c = card();
        let needs = [
            Needs::default(),
            Needs {
                categories: vec!["it".into()],
                prefectures: vec![27],
                remote: true,
                hours_max: Some(10),
                wage_min: Some(2000),
                employment: Some(EmploymentType::FullTime),
                skills: vec!["excel".into()],
                accommodations: vec!["written_instructions".into(), "wheelchair".into()],
            },
            Needs {
                prefectures: vec![13],
                skills: vec!["word".into()],
                ..Needs::default()
            },
        ];
        for remote in [Remote::None, Remote::Full] {
            c.remote = remote;
            for n in &needs {
                assert_eq!(points(n, &c), score(n, &c).score, "{n:?}");
                assert_eq!(
                    points_key(&NeedsKey::of(n), &Key::of(&c)),
                    points(n, &c),
                    "{n:?}"
                );
            }
        }
    }

    #[test]
    fn top_orders_by_score() {
        let a = card();
        let mut b = card();
        b.id = "b".into();
        b.category = "it".into();
        let n = Needs {
            categories: vec!["it".into()],
            ..Needs::default()
        };
        let t = top(&n, [&a, &b].into_iter(), 1);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].0.id, "b");
    }
}

#[cfg(test)]
mod scout_filter_tests {
    use super::*;
    use crate::profile::{Accommodations, Career, Desired, Disability, DisabilityCategory};

    #[test]
    fn conditions_on_hidden_parts_match_nobody() {
        let p = Profile {
            desired: Some(Desired {
                job_categories: vec!["office".into()],
                prefectures: vec![13],
                remote: true,
                hours_per_week: Some(30),
                hourly_wage_min: Some(1200),
                ..Default::default()
            }),
            career: Some(Career {
                skills: "Excel、Word".into(),
                ..Default::default()
            }),
            accommodations: Some(Accommodations {
                codes: vec!["written_instructions".into()],
                ..Default::default()
            }),
            ..Default::default()
        };
        let f = |f: ScoutFilter| f.matches(&p);
        assert!(f(ScoutFilter::default()));
        assert!(f(ScoutFilter {
            category: Some("office".into()),
            prefecture: Some(13),
            remote: true,
            ..Default::default()
        }));
        assert!(!f(ScoutFilter {
            prefecture: Some(27),
            ..Default::default()
        }));
        assert!(f(ScoutFilter {
            hours: Some(20),
            wage: Some(1300),
            ..Default::default()
        }));
        assert!(!f(ScoutFilter {
            hours: Some(40),
            ..Default::default()
        }));
        assert!(!f(ScoutFilter {
            wage: Some(1000),
            ..Default::default()
        }));
        assert!(f(ScoutFilter {
            skill: Some("excel".into()),
            ..Default::default()
        }));
        assert!(f(ScoutFilter {
            accommodations: vec!["written_instructions".into(), "breaks".into()],
            ..Default::default()
        }));
        assert!(!f(ScoutFilter {
            accommodations: vec!["breaks".into()],
            ..Default::default()
        }));
        // The disability section is not shown: a category filter matches nobody.
        assert!(!f(ScoutFilter {
            disability: Some(DisabilityCategory::Mental),
            ..Default::default()
        }));
        let shown = Profile {
            disability: Some(Disability {
                categories: vec![DisabilityCategory::Mental],
                ..Default::default()
            }),
            ..p.clone()
        };
        assert!(
            ScoutFilter {
                disability: Some(DisabilityCategory::Mental),
                ..Default::default()
            }
            .matches(&shown)
        );
    }
}
