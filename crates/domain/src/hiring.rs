//! From application to hire: the stages a seeker sees, who may move an application
//! where, and the legal employment rate (障害者雇用率制度) a hire changes.
//!
//! The company may keep its own internal sub-stages and notes besides; those are not
//! here, because nothing of them is ever shown to the seeker.
use crate::profile::{Certificate, Date};
use serde::{Deserialize, Serialize};

// ------------------------------------------------------------------ stages

/// The stage of an application as the seeker sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 応募済み
    Applied,
    /// 書類選考中
    Screening,
    /// 面接
    Interview,
    /// 内定
    Offer,
    /// 採用
    Hired,
    /// 見送り
    NotHired,
    /// 辞退 (withdrawn by the seeker)
    Withdrawn,
}

/// Who moves an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mover {
    Company,
    Seeker,
}

impl Stage {
    pub const ALL: [Stage; 7] = [
        Self::Applied,
        Self::Screening,
        Self::Interview,
        Self::Offer,
        Self::Hired,
        Self::NotHired,
        Self::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Screening => "screening",
            Self::Interview => "interview",
            Self::Offer => "offer",
            Self::Hired => "hired",
            Self::NotHired => "not_hired",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Nothing moves an application on from here.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Hired | Self::NotHired | Self::Withdrawn)
    }

    /// Whether `by` may move an application from `self` to `to`. The seeker may withdraw
    /// at any stage before the end; the company moves forward (never back, and never to
    /// 辞退, which is the seeker's word) or ends it. 採用 comes only after 内定, and only
    /// by recording the hire (which creates the employment record).
    pub fn may_move(self, to: Stage, by: Mover) -> bool {
        if self.is_final() || self == to {
            return false;
        }
        match by {
            Mover::Seeker => to == Self::Withdrawn,
            Mover::Company => match to {
                Self::Applied | Self::Withdrawn => false,
                Self::NotHired => true,
                Self::Hired => self == Self::Offer,
                Self::Screening | Self::Interview | Self::Offer => to.rank() > self.rank(),
            },
        }
    }

    fn rank(self) -> u8 {
        match self {
            Self::Applied => 0,
            Self::Screening => 1,
            Self::Interview => 2,
            Self::Offer => 3,
            Self::Hired | Self::NotHired | Self::Withdrawn => 4,
        }
    }
}

// ------------------------------------------------------------------ the employment rate

/// How the employment-rate system counts a person (障害者雇用促進法 43条, 施行規則):
/// by the certificate held. 重度 is 身体障害者手帳 1–2級, or 療育手帳 A (or the
/// prefecture's equivalent: A1, A2, Ⓐ, 1度, 2度).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Counted {
    PhysicalSevere,
    Physical,
    IntellectualSevere,
    Intellectual,
    Mental,
}

impl Counted {
    /// The category a certificate is counted in; `None` without a certificate (the
    /// system counts certificate holders only).
    pub fn of(c: &Certificate) -> Option<Self> {
        match c {
            Certificate::None => None,
            Certificate::Physical { grade } if *grade <= 2 => Some(Self::PhysicalSevere),
            Certificate::Physical { .. } => Some(Self::Physical),
            Certificate::Ryoiku { local_grade } => {
                let g = local_grade.trim();
                let severe = g.starts_with('A')
                    || g.starts_with('Ａ')
                    || g.starts_with('Ⓐ')
                    || g == "1度"
                    || g == "2度";
                Some(if severe {
                    Self::IntellectualSevere
                } else {
                    Self::Intellectual
                })
            }
            Certificate::Mental { .. } => Some(Self::Mental),
        }
    }

    fn severe(self) -> bool {
        matches!(self, Self::PhysicalSevere | Self::IntellectualSevere)
    }
}

/// Counts are kept in halves (0.5 is the smallest step the system uses).
pub type Halves = u32;

/// How much one person counts, in halves, by category and weekly working hours:
///
/// | hours a week | 重度 身体・知的 | 身体・知的 | 精神 |
/// | --- | --- | --- | --- |
/// | 30 or more | 2 | 1 | 1 |
/// | 20 to under 30 | 1 | 0.5 | 1 (the special measure for 精神) |
/// | 10 to under 20 | 0.5 | 0 | 0.5 |
/// | under 10 | 0 | 0 | 0 |
pub fn weight(c: Counted, hours_per_week: u8) -> Halves {
    match hours_per_week {
        30.. if c.severe() => 4,
        30.. => 2,
        20..=29 if c.severe() || c == Counted::Mental => 2,
        20..=29 => 1,
        10..=19 if c.severe() || c == Counted::Mental => 1,
        _ => 0,
    }
}

/// How much one worker counts in the workforce (常用労働者数), in halves: 30 hours or
/// more 1, 20 to under 30 hours 0.5, fewer not at all.
pub fn workforce_weight(hours_per_week: u8) -> Halves {
    match hours_per_week {
        30.. => 2,
        20..=29 => 1,
        _ => 0,
    }
}

/// 法定雇用率 for private companies, in thousandths (per mille), by the date it took
/// effect. A later change is one more row.
pub const PRIVATE_RATES: &[(Date, u32)] = &[
    (
        Date {
            y: 2021,
            m: 3,
            d: 1,
        },
        23,
    ),
    (
        Date {
            y: 2024,
            m: 4,
            d: 1,
        },
        25,
    ),
    (
        Date {
            y: 2026,
            m: 7,
            d: 1,
        },
        27,
    ),
];

/// The rate in force on `day` (the oldest known before the table starts).
pub fn private_rate(day: Date) -> u32 {
    PRIVATE_RATES
        .iter()
        .rev()
        .find(|(from, _)| *from <= day)
        .or(PRIVATE_RATES.first())
        .map_or(0, |(_, r)| *r)
}

/// A company's position against the rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RatePosition {
    /// 常用労働者数, in halves.
    pub workforce: Halves,
    /// Persons counted, in halves.
    pub counted: Halves,
    /// 法定雇用率 in per mille.
    pub rate_per_mille: u32,
    /// 法定雇用障害者数: the workforce times the rate, rounded down to a whole person.
    pub required: u32,
    /// The actual rate in hundredths of a per cent (2.15 % is 215), rounded down.
    pub actual_basis_points: u32,
}

impl RatePosition {
    pub fn new(workforce: Halves, counted: Halves, rate_per_mille: u32) -> Self {
        // workforce/2 × rate/1000, floored: (workforce × rate) / 2000.
        let required = (u64::from(workforce) * u64::from(rate_per_mille) / 2000) as u32;
        let actual = if workforce == 0 {
            0
        } else {
            (u64::from(counted) * 10_000 / u64::from(workforce)) as u32
        };
        Self {
            workforce,
            counted,
            rate_per_mille,
            required,
            actual_basis_points: actual,
        }
    }

    /// Whether the counted persons reach the required number.
    pub fn met(&self) -> bool {
        self.counted >= self.required * 2
    }

    /// Persons short of the requirement, in halves (0 when met).
    pub fn shortfall(&self) -> Halves {
        (self.required * 2).saturating_sub(self.counted)
    }

    /// The position after hiring one more person counted as `c` for `hours` a week.
    pub fn after_hiring(&self, c: Option<Counted>, hours: u8) -> Self {
        Self::new(
            self.workforce + workforce_weight(hours),
            self.counted + c.map_or(0, |c| weight(c, hours)),
            self.rate_per_mille,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Counted::*;

    #[test]
    fn stages_move_only_as_the_rules_say() {
        use Mover::*;
        use Stage::*;
        assert!(Applied.may_move(Screening, Company));
        assert!(Applied.may_move(Interview, Company));
        assert!(Interview.may_move(Offer, Company));
        assert!(Offer.may_move(Hired, Company));
        assert!(
            !Interview.may_move(Hired, Company),
            "a hire comes after an offer"
        );
        assert!(!Interview.may_move(Screening, Company), "never back");
        assert!(
            !Applied.may_move(Withdrawn, Company),
            "辞退 is the seeker's"
        );
        assert!(Screening.may_move(NotHired, Company));
        for s in [Applied, Screening, Interview, Offer] {
            assert!(s.may_move(Withdrawn, Seeker));
            assert!(!s.may_move(Interview, Seeker));
        }
        for s in [Hired, NotHired, Withdrawn] {
            for to in Stage::ALL {
                assert!(!s.may_move(to, Company) && !s.may_move(to, Seeker));
            }
        }
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn certificates_are_counted_by_their_grade() {
        assert_eq!(
            Counted::of(&Certificate::Physical { grade: 1 }),
            Some(PhysicalSevere)
        );
        assert_eq!(
            Counted::of(&Certificate::Physical { grade: 2 }),
            Some(PhysicalSevere)
        );
        assert_eq!(
            Counted::of(&Certificate::Physical { grade: 3 }),
            Some(Physical)
        );
        for g in ["A", "A1", "Ⓐ", "1度", "2度"] {
            let c = Certificate::Ryoiku {
                local_grade: g.into(),
            };
            assert_eq!(Counted::of(&c), Some(IntellectualSevere), "{g}");
        }
        for g in ["B", "B2", "3度", "4度"] {
            let c = Certificate::Ryoiku {
                local_grade: g.into(),
            };
            assert_eq!(Counted::of(&c), Some(Intellectual), "{g}");
        }
        let m = Certificate::Mental {
            grade: 2,
            expires_on: Date {
                y: 2027,
                m: 1,
                d: 31,
            },
        };
        assert_eq!(Counted::of(&m), Some(Mental));
        assert_eq!(Counted::of(&Certificate::None), None);
    }

    /// The counting table of the employment-rate system, cell by cell (in halves).
    #[test]
    fn each_weight_of_the_counting_table() {
        // (category, hours a week, persons counted)
        let cases: &[(Counted, u8, f64)] = &[
            (PhysicalSevere, 40, 2.0),
            (IntellectualSevere, 30, 2.0),
            (Physical, 30, 1.0),
            (Intellectual, 38, 1.0),
            (Mental, 30, 1.0),
            (PhysicalSevere, 25, 1.0),
            (IntellectualSevere, 20, 1.0),
            (Physical, 29, 0.5),
            (Intellectual, 20, 0.5),
            (Mental, 20, 1.0),
            (PhysicalSevere, 10, 0.5),
            (IntellectualSevere, 19, 0.5),
            (Mental, 15, 0.5),
            (Physical, 15, 0.0),
            (Intellectual, 10, 0.0),
            (PhysicalSevere, 9, 0.0),
            (Mental, 9, 0.0),
        ];
        for (c, h, persons) in cases {
            assert_eq!(f64::from(weight(*c, *h)) / 2.0, *persons, "{c:?} {h}h");
        }
    }

    #[test]
    fn the_rate_in_force_by_date() {
        let d = |y, m, d| Date { y, m, d };
        assert_eq!(private_rate(d(2024, 3, 31)), 23);
        assert_eq!(private_rate(d(2024, 4, 1)), 25);
        assert_eq!(private_rate(d(2026, 6, 30)), 25);
        assert_eq!(private_rate(d(2026, 7, 1)), 27);
        assert_eq!(private_rate(d(2030, 1, 1)), 27);
        assert_eq!(private_rate(d(2020, 1, 1)), 23);
    }

    /// Worked examples: the required number is the workforce times the rate, rounded
    /// down; short-time workers count half in the workforce.
    #[test]
    fn worked_examples_of_the_requirement() {
        // 100 workers at 2.7 %: 2.7 → 2 persons required.
        let p = RatePosition::new(200, 4, 27);
        assert_eq!(p.required, 2);
        assert!(p.met());
        assert_eq!(p.actual_basis_points, 200);
        // 37.5 workers (37 full-time, 1 short-time) at 2.7 %: 1.0125 → 1.
        assert_eq!(RatePosition::new(75, 0, 27).required, 1);
        // 37 workers at 2.7 %: 0.999 → none required.
        assert_eq!(RatePosition::new(74, 0, 27).required, 0);
        // 40 workers at 2.5 %: exactly 1.
        assert_eq!(RatePosition::new(80, 0, 25).required, 1);
        // 300 workers at 2.7 %: 8.1 → 8; counting 6.5 persons, short by 1.5.
        let p = RatePosition::new(600, 13, 27);
        assert_eq!(p.required, 8);
        assert!(!p.met());
        assert_eq!(p.shortfall(), 3);
        assert_eq!(p.actual_basis_points, 216);
    }

    #[test]
    fn a_hire_changes_the_count_and_the_workforce() {
        // 100 workers, 2 counted; hiring a 精神 worker for 25 hours a week adds 0.5 to
        // the workforce and 1 to the count (the special measure).
        let p = RatePosition::new(200, 4, 27).after_hiring(Some(Mental), 25);
        assert_eq!((p.workforce, p.counted, p.required), (201, 6, 2));
        assert_eq!(p.actual_basis_points, 298);
        // A 重度身体 worker full time counts 2.
        let p = RatePosition::new(600, 13, 27).after_hiring(Some(PhysicalSevere), 40);
        assert_eq!((p.workforce, p.counted, p.required), (602, 17, 8));
        assert!(p.met());
        // Someone without a certificate is in the workforce only.
        let p = RatePosition::new(200, 4, 27).after_hiring(None, 40);
        assert_eq!((p.workforce, p.counted), (202, 4));
    }
}
