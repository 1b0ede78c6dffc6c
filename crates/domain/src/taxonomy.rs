//! Maintained code lists: prefectures (JIS X 0401), accommodations (合理的配慮), job
//! categories. Codes are stable; labels are Japanese and English.

/// (code, 日本語, English)
pub type Entry = (&'static str, &'static str, &'static str);

pub const ACCOMMODATIONS: &[Entry] = &[
    (
        "hospital_visits",
        "通院への配慮",
        "Time off for hospital visits",
    ),
    ("medication", "服薬への配慮", "Consideration for medication"),
    ("short_hours", "短時間勤務", "Short working hours"),
    (
        "gradual_hours",
        "段階的な勤務時間の延長",
        "Gradually longer hours",
    ),
    ("flexible_breaks", "休憩の柔軟化", "Flexible breaks"),
    ("staggered_commute", "時差出勤", "Staggered commuting hours"),
    ("remote_work", "在宅勤務", "Working from home"),
    ("quiet_environment", "静かな環境", "A quiet environment"),
    ("rest_space", "休憩スペース", "A place to rest"),
    (
        "written_instructions",
        "指示は文書で",
        "Instructions in writing",
    ),
    (
        "one_task_at_a_time",
        "一度に一つの指示",
        "One instruction at a time",
    ),
    ("fixed_tasks", "業務内容の固定", "Fixed, predictable tasks"),
    ("regular_check_ins", "定期的な面談", "Regular check-ins"),
    ("support_person", "支援者の同席", "A supporter present"),
    ("wheelchair", "車いす対応", "Wheelchair access"),
    ("accessible_toilet", "多目的トイレ", "Accessible toilet"),
    (
        "sign_language",
        "手話・筆談",
        "Sign language or written conversation",
    ),
    ("visual_alerts", "視覚的な合図", "Visual alerts"),
    ("screen_reader", "画面読み上げソフト", "Screen reader"),
    (
        "large_text",
        "拡大表示・拡大文字",
        "Magnification and large print",
    ),
];

pub const JOB_CATEGORIES: &[Entry] = &[
    ("office", "事務", "Office work"),
    ("it", "IT・プログラミング", "IT and programming"),
    ("manufacturing", "製造", "Manufacturing"),
    ("logistics", "物流・軽作業", "Logistics and light work"),
    ("cleaning", "清掃", "Cleaning"),
    ("retail", "販売・接客", "Retail and customer service"),
    ("food", "調理・飲食", "Cooking and food service"),
    ("care", "介護・福祉", "Care and welfare"),
    ("agriculture", "農業", "Agriculture"),
    ("design", "デザイン・制作", "Design and production"),
    ("specialist", "専門職", "Specialist work"),
    ("other", "その他", "Other"),
];

pub const PREFECTURES: &[(u8, &str, &str)] = &[
    (1, "北海道", "Hokkaido"),
    (2, "青森県", "Aomori"),
    (3, "岩手県", "Iwate"),
    (4, "宮城県", "Miyagi"),
    (5, "秋田県", "Akita"),
    (6, "山形県", "Yamagata"),
    (7, "福島県", "Fukushima"),
    (8, "茨城県", "Ibaraki"),
    (9, "栃木県", "Tochigi"),
    (10, "群馬県", "Gunma"),
    (11, "埼玉県", "Saitama"),
    (12, "千葉県", "Chiba"),
    (13, "東京都", "Tokyo"),
    (14, "神奈川県", "Kanagawa"),
    (15, "新潟県", "Niigata"),
    (16, "富山県", "Toyama"),
    (17, "石川県", "Ishikawa"),
    (18, "福井県", "Fukui"),
    (19, "山梨県", "Yamanashi"),
    (20, "長野県", "Nagano"),
    (21, "岐阜県", "Gifu"),
    (22, "静岡県", "Shizuoka"),
    (23, "愛知県", "Aichi"),
    (24, "三重県", "Mie"),
    (25, "滋賀県", "Shiga"),
    (26, "京都府", "Kyoto"),
    (27, "大阪府", "Osaka"),
    (28, "兵庫県", "Hyogo"),
    (29, "奈良県", "Nara"),
    (30, "和歌山県", "Wakayama"),
    (31, "鳥取県", "Tottori"),
    (32, "島根県", "Shimane"),
    (33, "岡山県", "Okayama"),
    (34, "広島県", "Hiroshima"),
    (35, "山口県", "Yamaguchi"),
    (36, "徳島県", "Tokushima"),
    (37, "香川県", "Kagawa"),
    (38, "愛媛県", "Ehime"),
    (39, "高知県", "Kochi"),
    (40, "福岡県", "Fukuoka"),
    (41, "佐賀県", "Saga"),
    (42, "長崎県", "Nagasaki"),
    (43, "熊本県", "Kumamoto"),
    (44, "大分県", "Oita"),
    (45, "宮崎県", "Miyazaki"),
    (46, "鹿児島県", "Kagoshima"),
    (47, "沖縄県", "Okinawa"),
];

pub fn is_accommodation(code: &str) -> bool {
    ACCOMMODATIONS.iter().any(|(c, _, _)| *c == code)
}

pub fn is_job_category(code: &str) -> bool {
    JOB_CATEGORIES.iter().any(|(c, _, _)| *c == code)
}

pub fn prefecture(code: u8) -> Option<(&'static str, &'static str)> {
    PREFECTURES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, ja, en)| (*ja, *en))
}

/// Words whose collection Japanese employment rules forbid (職業安定法 5条の5 and its
/// guidelines): origin, family circumstances, beliefs, union membership. Free text that
/// contains them gets a warning (not a refusal: the seeker decides what to write).
pub const FORBIDDEN_TOPICS: &[(&str, &[&str])] = &[
    ("origin", &["本籍", "出生地", "出身地", "生まれた場所"]),
    (
        "family",
        &[
            "家族の職業",
            "父の職業",
            "母の職業",
            "親の職業",
            "家族の収入",
            "世帯収入",
            "家族の資産",
            "親の年収",
        ],
    ),
    (
        "belief",
        &[
            "宗教",
            "信仰",
            "支持政党",
            "政党",
            "思想",
            "信条",
            "愛読書",
            "購読新聞",
        ],
    ),
    ("union", &["労働組合", "組合活動", "社会運動"]),
];

/// The forbidden topics a text touches, by topic code.
pub fn forbidden_topics(text: &str) -> Vec<&'static str> {
    FORBIDDEN_TOPICS
        .iter()
        .filter(|(_, words)| words.iter().any(|w| text.contains(w)))
        .map(|(topic, _)| *topic)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_complete_and_unique() {
        assert_eq!(PREFECTURES.len(), 47);
        let mut codes: Vec<_> = ACCOMMODATIONS.iter().map(|e| e.0).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), ACCOMMODATIONS.len());
        assert!(is_accommodation("written_instructions"));
        assert_eq!(prefecture(13), Some(("東京都", "Tokyo")));
        assert_eq!(prefecture(48), None);
    }

    #[test]
    fn forbidden_topics_are_found() {
        assert_eq!(forbidden_topics("本籍は大阪です"), vec!["origin"]);
        assert_eq!(
            forbidden_topics("父の職業は教員、宗教は特になし"),
            vec!["family", "belief"]
        );
        assert!(forbidden_topics("パソコンが得意です").is_empty());
    }
}

/// Code lists as OpenAPI schemas (`#[schema(value_type = …)]` on the fields that hold
/// them): the enum is read from the lists above, so the document cannot drift from them.
pub mod schema {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

    /// A string schema with these values only.
    pub fn string_enum<I: IntoIterator<Item = &'static str>>(
        values: I,
        what: &str,
    ) -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(values))
            .description(Some(what.to_owned()))
            .into()
    }

    /// A named schema type whose values are the strings `$values` yields (used for code
    /// lists here and for the web layer's own lists).
    #[macro_export]
    macro_rules! string_enum_schema {
        ($name:ident, $values:expr, $what:literal) => {
            #[doc = $what]
            pub struct $name;
            impl utoipa::PartialSchema for $name {
                fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                    $crate::taxonomy::schema::string_enum($values, $what)
                }
            }
            impl utoipa::ToSchema for $name {}
        };
    }

    macro_rules! code_list {
        ($name:ident, $list:expr, $what:literal) => {
            $crate::string_enum_schema!($name, $list.iter().map(|e| e.0), $what);
        };
    }
    code_list!(
        AccommodationCode,
        super::ACCOMMODATIONS,
        "A code of the accommodations list (合理的配慮)."
    );
    code_list!(
        JobCategoryCode,
        super::JOB_CATEGORIES,
        "A code of the job categories."
    );
    code_list!(
        IndustryCode,
        crate::jobs::INDUSTRIES,
        "A code of the industries."
    );
    code_list!(SizeCode, crate::jobs::SIZES, "A code of the company sizes.");
    code_list!(
        InsuranceCode,
        crate::jobs::INSURANCE,
        "A code of the insurances (加入保険)."
    );

    /// A company size code, or nothing (the size is optional).
    pub struct SizeCodeOrNone;
    impl utoipa::PartialSchema for SizeCodeOrNone {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(
                    std::iter::once("").chain(crate::jobs::SIZES.iter().map(|e| e.0)),
                ))
                .description(Some("A company size code, or empty."))
                .into()
        }
    }
    impl utoipa::ToSchema for SizeCodeOrNone {}

    /// A short text with something in it (one skill).
    pub struct NonEmptyText;
    impl utoipa::PartialSchema for NonEmptyText {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(100))
                .pattern(Some(r"^[^,、，/・\x00-\x1F\x7F-\x9F]*[^\s,、，/・\x00-\x1F\x7F-\x9F][^,、，/・\x00-\x1F\x7F-\x9F]*$"))
                .into()
        }
    }
    impl utoipa::ToSchema for NonEmptyText {}

    /// A prefecture by its JIS X 0401 code, 1–47.
    pub struct PrefectureCode;
    impl utoipa::PartialSchema for PrefectureCode {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1u8))
                .maximum(Some(super::PREFECTURES.last().map_or(47, |p| p.0)))
                .description(Some("A prefecture by its JIS X 0401 code, 1–47."))
                .into()
        }
    }
    impl utoipa::ToSchema for PrefectureCode {}
}
