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

/// What the work is, per job category: two of these make a posting's 業務内容, so
/// that an office job never describes packing.
const DUTIES: &[(&str, &[&str])] = &[
    (
        "office",
        &[
            "パソコンでの伝票入力と、書類のファイリングをお願いします。",
            "社内の備品の管理と、郵便物の仕分けをお願いします。",
            "営業担当が作った見積書や請求書の作成・送付を手伝っていただきます。",
            "会議資料のコピーとセット、データのチェックをお願いします。",
        ],
    ),
    (
        "it",
        &[
            "社内システムの保守と、操作マニュアルの作成をお願いします。",
            "テスト手順書にそって、ソフトウェアの動作確認をしていただきます。",
            "社員からのパソコンの問い合わせに、チャットで対応していただきます。",
            "Webサイトの更新作業と、画像の加工をお願いします。",
        ],
    ),
    (
        "manufacturing",
        &[
            "製造ラインで、部品の組み付けと外観の検査をお願いします。",
            "作業手順書にそって、機械への材料の投入と製品の取り出しをお願いします。",
            "できあがった製品の数を数え、記録表に書いていただきます。",
        ],
    ),
    (
        "logistics",
        &[
            "倉庫で、伝票を見ながら商品を集めるピッキング作業をお願いします。",
            "商品の検品と梱包、出荷の準備をお願いします。",
            "入荷した商品を棚に並べ、在庫の数を確認していただきます。",
        ],
    ),
    (
        "cleaning",
        &[
            "オフィスビルの共用部の清掃をお願いします。",
            "決まった順番で客室のベッドメイクと清掃をしていただきます。",
            "清掃用具の準備と片付け、ごみの分別をお願いします。",
        ],
    ),
    (
        "retail",
        &[
            "店舗での品出しと、売り場の整理をお願いします。",
            "レジでの会計と、商品の袋詰めをお願いします。",
            "値札の付け替えと、在庫の確認をお願いします。",
        ],
    ),
    (
        "food",
        &[
            "調理場で、野菜の下ごしらえと盛り付けをお願いします。",
            "食器の洗浄と、調理器具の片付けをお願いします。",
            "パンの生地の計量と成形、焼き上がりの袋詰めをお願いします。",
        ],
    ),
    (
        "care",
        &[
            "介護職員の補助として、シーツ交換や食事の配膳をお願いします。",
            "利用者さんの送迎の付き添いと、施設内の環境整備をお願いします。",
            "レクリエーションの準備と片付けを手伝っていただきます。",
        ],
    ),
    (
        "agriculture",
        &[
            "ビニールハウスでの野菜の収穫と、出荷用の袋詰めをお願いします。",
            "花の苗の植え付けと水やりをお願いします。",
            "収穫した野菜の選別と、箱詰めをお願いします。",
        ],
    ),
    (
        "design",
        &[
            "チラシやポスターのデザインと、画像の加工をお願いします。",
            "動画のカット編集と、字幕入れをお願いします。",
            "Webサイトに載せるイラストの制作をお願いします。",
        ],
    ),
    (
        "specialist",
        &[
            "経費の精算と、月次決算の資料作成をお願いします。",
            "社内文書の英語から日本語への翻訳をお願いします。",
            "社会保険の手続き書類の作成を手伝っていただきます。",
        ],
    ),
    (
        "other",
        &[
            "郵便物を宛先ごとに仕分け、各部署へ届けていただきます。",
            "図書の貸出・返却の受付と、本の整理をお願いします。",
            "商品へのシール貼りと、簡単な組み立て作業をお願いします。",
        ],
    ),
];

/// How the work is supported, added to every posting's 業務内容 (one of these).
const SUPPORT: &[&str] = &[
    "先輩社員が横について、一つずつ仕事を覚えられます。",
    "電話対応はありません。連絡はメールとチャットで行います。",
    "作業はチームで行い、困ったときはすぐに相談できます。",
    "朝礼で一日の作業を確認し、作業表にそって進めます。",
    "作業の手順は写真つきのマニュアルで確認できます。",
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

/// Japan's municipalities with their official codes (`data/municipalities.tsv`).
const MUNICIPALITIES_TSV: &str = include_str!("../data/municipalities.tsv");

/// (official code, prefecture code, name) of every municipality.
pub fn municipalities() -> &'static [(&'static str, u8, &'static str)] {
    static ALL: std::sync::OnceLock<Vec<(&'static str, u8, &'static str)>> =
        std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        MUNICIPALITIES_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .filter_map(|l| {
                let mut f = l.split('\t');
                let code = f.next()?;
                let pref = f.next()?.parse().ok()?;
                let name = f.next()?;
                Some((code, pref, name))
            })
            .collect()
    })
}

/// A real municipality of the prefecture (its 市区町村 name).
fn municipality(r: &mut Rng, pref: u8) -> &'static str {
    let all = municipalities();
    let start = all.partition_point(|m| m.1 < pref);
    let end = all.partition_point(|m| m.1 <= pref);
    if start == end {
        return "千代田区";
    }
    all[start + r.below((end - start) as u64) as usize].2
}

/// Common town names, for street addresses inside a real municipality.
const TOWNS: &[&str] = &[
    "本町",
    "栄町",
    "錦町",
    "旭町",
    "幸町",
    "緑町",
    "中町",
    "元町",
    "東町",
    "宮前町",
    "桜町",
    "若葉町",
];

/// A street address inside the municipality: 〇〇市本町2丁目5-8.
fn street(r: &mut Rng, city: &str) -> String {
    format!(
        "{city}{}{}丁目{}-{}",
        r.pick(TOWNS),
        r.below(5) + 1,
        r.below(20) + 1,
        r.below(30) + 1
    )
}

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
    "東和",
    "大成",
    "北斗",
    "協和",
    "三協",
    "日の出",
    "丸栄",
    "富士見",
    "朝日",
    "光陽",
    "中央",
    "平和",
    "新光",
    "山田",
    "青空",
    "若竹",
    "清流",
    "白樺",
    "緑風",
    "松葉",
];
const COMPANY_KINDS: &[&str] = &[
    "商事",
    "工業",
    "システム",
    "物流",
    "食品",
    "サービス",
    "製作所",
    "電機",
    "運輸",
    "印刷",
    "建設",
    "ソフト",
    "フーズ",
    "メディカル",
    "ビジネスサポート",
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

/// A company name as Japanese companies are named (株式会社みらい商事, 東和電機株式会社),
/// never numbered: the first 900 are all different, later ones may repeat.
pub fn company_name(r: &mut Rng, i: usize) -> String {
    let (w, k) = (COMPANY_WORDS.len(), COMPANY_KINDS.len());
    let combos = w * k * 2;
    let j = if i < combos {
        (i * 7919) % combos
    } else {
        r.below(combos as u64) as usize
    };
    let (word, kind) = (COMPANY_WORDS[j % w], COMPANY_KINDS[(j / w) % k]);
    if j / (w * k) == 0 {
        format!("株式会社{word}{kind}")
    } else {
        format!("{word}{kind}株式会社")
    }
}

pub fn company(r: &mut Rng) -> CompanyProfile {
    let pref = prefecture(r);
    CompanyProfile {
        description: "障害のある社員が長く働けるよう、面談と配慮の見直しを続けています。".into(),
        industry: r.pick(domain::jobs::INDUSTRIES).0.into(),
        size: r.pick(domain::jobs::SIZES).0.into(),
        corporate_number: format!("{:013}", r.below(10_000_000_000_000)),
        prefecture: pref,
        address: {
            let city = municipality(r, pref);
            street(r, city)
        },
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
    let what = DUTIES
        .iter()
        .find(|(c, _)| c == category)
        .map(|(_, d)| *d)
        .unwrap_or(&[]);
    let mut duties = String::new();
    if !what.is_empty() {
        let first = r.below(what.len() as u64) as usize;
        duties.push_str(what[first]);
        if what.len() > 1 {
            let second = (first + 1 + r.below(what.len() as u64 - 1) as usize) % what.len();
            duties.push_str(what[second]);
        }
    }
    let support: &&str = r.pick(SUPPORT);
    duties.push_str(support);
    let skill = |r: &mut Rng, n: u64| -> Vec<String> {
        let mut v: Vec<String> = (0..r.below(n + 1))
            .map(|_| (*r.pick(SKILLS)).to_owned())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let pref = prefecture(r);
    let city = municipality(r, pref);
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
        city: city.to_owned(),
        address: street(r, city),
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn municipalities_are_real_and_generated_postings_read_as_real() {
        let all = municipalities();
        assert!(all.len() > 1_800, "{}", all.len());
        // Every code carries a valid check digit (全国地方公共団体コード) and sits in
        // its prefecture; the rows are in prefecture order.
        for (code, pref, name) in all {
            let d: Vec<u32> = code.chars().map(|c| c.to_digit(10).unwrap()).collect();
            let sum: u32 = d[..5].iter().zip([6, 5, 4, 3, 2]).map(|(a, b)| a * b).sum();
            assert_eq!((11 - sum % 11) % 10, d[5], "{code} {name}");
            assert_eq!(code[..2].parse::<u8>().unwrap(), *pref, "{code}");
        }
        assert!(all.windows(2).all(|w| w[0].1 <= w[1].1));
        assert!(!all.iter().any(|m| m.2 == "東区" || m.2 == "西区"));
        let mut r = Rng::new(7);
        for _ in 0..500 {
            let p = posting(&mut r);
            assert!(
                all.iter().any(|m| m.1 == p.prefecture && m.2 == p.city),
                "{} is not a municipality of prefecture {}",
                p.city,
                p.prefecture
            );
            assert!(p.address.starts_with(&p.city));
            // No sentence twice in 業務内容.
            let sentences: Vec<&str> = p.duties.split_inclusive('。').collect();
            let mut unique = sentences.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(sentences.len(), unique.len(), "{}", p.duties);
            let c = company(&mut r);
            assert!(
                all.iter().any(|m| c.address.starts_with(m.2)),
                "{}",
                c.address
            );
        }
        let names: std::collections::BTreeSet<String> =
            (0..900).map(|i| company_name(&mut r, i)).collect();
        assert_eq!(names.len(), 900);
        assert!(names.iter().all(|n| !n.chars().any(|c| c.is_ascii_digit())));
    }
}
