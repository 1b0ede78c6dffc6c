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
        }
        n
    }
}

/// One reason, in a form the web layer words plainly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
        let has = |s: &String| n.skills.iter().any(|m| *m == s.to_lowercase());
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
        let s = score(n, c).score;
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
