//! Generated data that reads like the real thing: companies, postings and seekers for
//! the demo and for the benchmark at national scale. Deterministic (seeded), so two
//! runs build the same data.
use domain::jobs::{CompanyProfile, ContractType, Posting, Remote, Smoking, WageUnit};
use domain::profile::{Accommodations, Career, Desired, EmploymentType, Profile};
use domain::taxonomy::ACCOMMODATIONS;

/// xorshift64*: small, fast, good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len() as u64) as usize]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const TITLES: &[(&str, &[&str])] = &[
    (
        "office",
        &[
            "一般事務スタッフ",
            "経理事務",
            "データ入力スタッフ",
            "総務アシスタント",
            "受付・事務",
            "営業事務",
        ],
    ),
    (
        "it",
        &[
            "プログラマー",
            "システムエンジニア",
            "Webデザイナー",
            "ITサポートスタッフ",
            "ソフトウェアテスター",
        ],
    ),
    (
        "manufacturing",
        &[
            "製造スタッフ",
            "検品スタッフ",
            "組立作業スタッフ",
            "部品加工スタッフ",
        ],
    ),
    (
        "logistics",
        &[
            "倉庫内軽作業",
            "ピッキングスタッフ",
            "梱包スタッフ",
            "仕分けスタッフ",
        ],
    ),
    (
        "cleaning",
        &["清掃スタッフ", "ビルメンテナンススタッフ", "客室清掃"],
    ),
    (
        "retail",
        &[
            "販売スタッフ",
            "品出しスタッフ",
            "レジスタッフ",
            "接客アシスタント",
        ],
    ),
    (
        "food",
        &[
            "調理補助",
            "キッチンスタッフ",
            "パン製造スタッフ",
            "食器洗浄スタッフ",
        ],
    ),
    (
        "care",
        &[
            "介護補助スタッフ",
            "福祉施設の生活支援員",
            "送迎アシスタント",
        ],
    ),
    (
        "agriculture",
        &["農作業スタッフ", "園芸スタッフ", "野菜の袋詰めスタッフ"],
    ),
    (
        "design",
        &[
            "グラフィックデザイナー",
            "動画編集アシスタント",
            "イラスト制作スタッフ",
        ],
    ),
    (
        "specialist",
        &[
            "経理専門スタッフ",
            "翻訳スタッフ",
            "社会保険労務アシスタント",
        ],
    ),
    (
        "other",
        &["郵便物仕分けスタッフ", "軽作業スタッフ", "図書整理スタッフ"],
    ),
];

const DUTIES: &[&str] = &[
    "パソコンでのデータ入力と書類の整理をお願いします。",
    "決まった手順にそって作業を進めていただきます。",
    "先輩社員が横について、一つずつ仕事を覚えられます。",
    "電話対応はありません。メールとチャットで連絡します。",
    "商品の検品と梱包、在庫の数の確認をお願いします。",
    "社内システムの保守とテスト、マニュアルの作成をお願いします。",
    "店舗での品出しと売り場の整理をお願いします。",
    "作業はチームで行い、困ったときはすぐに相談できます。",
    "朝礼で一日の作業を確認し、作業表にそって進めます。",
];

const SKILLS: &[&str] = &[
    "Excel",
    "Word",
    "PowerPoint",
    "Python",
    "Java",
    "JavaScript",
    "SQL",
    "簿記",
    "普通自動車免許",
    "フォークリフト",
    "Photoshop",
    "Illustrator",
    "英語",
    "手話",
    "データ入力",
];

const CITIES: &[&str] = &[
    "中央区",
    "北区",
    "南区",
    "東区",
    "西区",
    "本町",
    "駅前",
    "港町",
    "緑区",
    "青葉区",
];

const COMPANY_WORDS: &[&str] = &[
    "みらい",
    "ひかり",
    "さくら",
    "あおば",
    "つばさ",
    "こもれび",
    "やまなみ",
    "ほしぞら",
    "わかば",
    "はるかぜ",
];
const COMPANY_KINDS: &[&str] = &[
    "商事",
    "工業",
    "システム",
    "物流",
    "食品",
    "サービス",
    "ホールディングス",
    "製作所",
];

/// Prefecture codes weighted roughly by population (Tokyo, Kanagawa, Osaka, Aichi… more often).
fn prefecture(r: &mut Rng) -> u8 {
    const BIG: &[u8] = &[
        13, 13, 13, 14, 14, 27, 27, 23, 23, 11, 12, 1, 28, 40, 22, 26, 34, 4,
    ];
    if r.chance(70) {
        *r.pick(BIG)
    } else {
        (r.below(47) + 1) as u8
    }
}

fn codes(r: &mut Rng, max: u64) -> Vec<String> {
    let n = r.below(max + 1);
    let mut v: Vec<String> = (0..n)
        .map(|_| r.pick(ACCOMMODATIONS).0.to_owned())
        .collect();
    v.sort();
    v.dedup();
    v
}

pub fn company_name(r: &mut Rng, i: usize) -> String {
    format!(
        "株式会社{}{}{}",
        r.pick(COMPANY_WORDS),
        r.pick(COMPANY_KINDS),
        i
    )
}

pub fn company(r: &mut Rng) -> CompanyProfile {
    CompanyProfile {
        description: "障害のある社員が長く働けるよう、面談と配慮の見直しを続けています。".into(),
        industry: r.pick(domain::jobs::INDUSTRIES).0.into(),
        size: r.pick(domain::jobs::SIZES).0.into(),
        corporate_number: format!("{:013}", r.below(10_000_000_000_000)),
        prefecture: prefecture(r),
        address: format!(
            "{}1-{}-{}",
            r.pick(CITIES),
            r.below(20) + 1,
            r.below(30) + 1
        ),
        locations: String::new(),
        accommodations: codes(r, 4),
        accommodation_note: String::new(),
        employed_count: Some(r.below(40) as u32),
        retention_rate: Some((60 + r.below(41)) as u8),
        record_note: String::new(),
        contact_department: "人事部 採用担当".into(),
        contact_phone: format!("03-{:04}-{:04}", r.below(10_000), r.below(10_000)),
        contact_email: format!("recruit{}@example.jp", r.below(1_000_000)),
    }
}

pub fn posting(r: &mut Rng) -> Posting {
    let (category, titles) = r.pick(TITLES);
    let employment = *r.pick(&[
        EmploymentType::FullTime,
        EmploymentType::PartTime,
        EmploymentType::PartTime,
        EmploymentType::Contract,
    ]);
    let hours: u8 = match employment {
        EmploymentType::FullTime => 40,
        _ => *r.pick(&[10u8, 15, 20, 20, 25, 30, 30, 35]),
    };
    let days = match hours {
        0..=15 => 3,
        16..=25 => 4,
        _ => 5,
    };
    let (unit, wage) = match employment {
        EmploymentType::FullTime => (WageUnit::Monthly, 180_000 + 5_000 * r.below(25) as u32),
        _ => (WageUnit::Hourly, 1_000 + 10 * r.below(80) as u32),
    };
    let fixed = employment != EmploymentType::FullTime;
    let mut duties = String::new();
    for _ in 0..3 {
        let d: &&str = r.pick(DUTIES);
        duties.push_str(d);
    }
    let skill = |r: &mut Rng, n: u64| -> Vec<String> {
        let mut v: Vec<String> = (0..r.below(n + 1))
            .map(|_| (*r.pick(SKILLS)).to_owned())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let pref = prefecture(r);
    Posting {
        title: (*r.pick(titles)).to_owned(),
        category: (*category).to_owned(),
        employment_type: employment,
        duties,
        duties_change_scope: "会社の定める業務".into(),
        contract_type: if fixed {
            ContractType::FixedTerm
        } else {
            ContractType::Indefinite
        },
        contract_period: if fixed { "1年".into() } else { String::new() },
        renewal_rule: if fixed {
            "更新する場合あり（勤務状況により判断）".into()
        } else {
            String::new()
        },
        renewal_cap: if fixed {
            "なし".into()
        } else {
            String::new()
        },
        probation: "3か月（条件は同じ）".into(),
        prefecture: pref,
        city: (*r.pick(CITIES)).to_owned(),
        address: format!(
            "{}2-{}-{}",
            r.pick(CITIES),
            r.below(20) + 1,
            r.below(30) + 1
        ),
        workplace_change_scope: "変更なし".into(),
        remote: *r.pick(&[
            Remote::None,
            Remote::None,
            Remote::None,
            Remote::Partial,
            Remote::Full,
        ]),
        working_hours: if hours >= 40 {
            "9:00〜18:00".into()
        } else {
            "10:00〜15:00".into()
        },
        breaks: "60分".into(),
        hours_per_week: hours,
        days_per_week: days,
        holidays: "土日祝".into(),
        overtime: if r.chance(70) {
            "なし".into()
        } else {
            "月平均5時間".into()
        },
        wage_unit: unit,
        wage_min: wage,
        wage_max: if r.chance(40) {
            Some(wage + wage / 5)
        } else {
            None
        },
        wage_notes: "交通費支給".into(),
        insurance: vec!["employment".into(), "workers_comp".into()],
        smoking: *r.pick(&[
            Smoking::NoSmokingIndoor,
            Smoking::NoSmokingPremises,
            Smoking::SmokingRoom,
        ]),
        smoking_note: String::new(),
        accommodations: codes(r, 5),
        accommodation_note: String::new(),
        required_skills: skill(r, 2),
        welcome_skills: skill(r, 2),
        openings: (r.below(3) + 1) as u16,
    }
}

/// A seeker's wishes and needs (the sections matching reads).
pub fn seeker_profile(r: &mut Rng) -> Profile {
    let (cat, _) = r.pick(TITLES);
    let (cat2, _) = r.pick(TITLES);
    let mut cats = vec![(*cat).to_owned(), (*cat2).to_owned()];
    cats.dedup();
    Profile {
        desired: Some(Desired {
            job_categories: cats,
            prefectures: vec![prefecture(r)],
            remote: r.chance(40),
            employment_type: Some(*r.pick(&[
                EmploymentType::PartTime,
                EmploymentType::FullTime,
                EmploymentType::Any,
            ])),
            hours_per_week: Some(*r.pick(&[20u8, 30, 40])),
            days_per_week: None,
            hourly_wage_min: Some(1_000 + 50 * r.below(8) as u32),
            commute_minutes: None,
        }),
        career: Some(Career {
            skills: (0..2)
                .map(|_| *r.pick(SKILLS))
                .collect::<Vec<_>>()
                .join("、"),
            ..Career::default()
        }),
        accommodations: Some(Accommodations {
            codes: codes(r, 3),
            note: String::new(),
        }),
        ..Profile::default()
    }
}
