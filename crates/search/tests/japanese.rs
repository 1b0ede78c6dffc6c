//! The Japanese cases of the search, on the index itself (the server tests repeat them
//! over HTTP on both databases).
use domain::jobs::{JobCard, Remote, WageUnit};
use domain::profile::EmploymentType;
use search::{JobIndex, JobQuery, Sort};

const NOW: i64 = 1_800_000_000;

fn card(id: &str, title: &str, body: &str) -> JobCard {
    JobCard {
        id: id.into(),
        company_id: "c".into(),
        company_name: "テスト株式会社".into(),
        title: title.into(),
        category: "office".into(),
        employment_type: EmploymentType::PartTime,
        prefecture: 13,
        city: "千代田区".into(),
        remote: Remote::None,
        hours_per_week: 20,
        days_per_week: 5,
        wage_unit: WageUnit::Hourly,
        wage_min: 1100,
        wage_max: None,
        hourly_wage: 1100,
        accommodations: vec![],
        required_skills: vec![],
        welcome_skills: vec![],
        body: body.into(),
        published_at: NOW - 100,
        confirmed_at: NOW - 100,
    }
}

fn ids(ix: &JobIndex, kw: &str) -> Vec<String> {
    let q = JobQuery {
        keywords: kw.into(),
        limit: 20,
        ..JobQuery::default()
    };
    let mut v: Vec<String> = ix
        .search(&q, NOW)
        .map(|h| h.cards.iter().map(|c| c.id.clone()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn japanese_keywords() -> Result<(), search::SearchError> {
    let ix = JobIndex::new(30)?;
    ix.upsert(card("a", "一般事務スタッフ", "データ入力"))?;
    ix.upsert(card("b", "プログラマー", "システム開発"))?;
    ix.upsert(card("c", "アシスタント", "社員寮あり"))?;
    ix.upsert(card("d", "ＳＥ", "ｼｽﾃﾑ保守"))?;
    ix.commit()?;
    assert_eq!(
        ids(&ix, "事務"),
        ["a"],
        "two-character word inside a compound"
    );
    assert_eq!(ids(&ix, "プログラマ"), ["b"], "long vowel folded");
    assert_eq!(ids(&ix, "ｼｽﾃﾑ"), ["b", "d"], "half-width katakana folded");
    assert_eq!(ids(&ix, "システム"), ["b", "d"]);
    assert_eq!(
        ids(&ix, "スタッフ"),
        ["a"],
        "スタッフ does not find アシスタント"
    );
    assert_eq!(ids(&ix, "寮"), ["c"], "single kanji");
    assert_eq!(ids(&ix, "se"), ["d"], "full-width letters folded");
    assert_eq!(ids(&ix, "事務 データ"), ["a"]);
    assert!(ids(&ix, "事務 システム").is_empty(), "all words must match");
    Ok(())
}

#[test]
fn filters_sort_paging_and_staleness() -> Result<(), search::SearchError> {
    let ix = JobIndex::new(30)?;
    for i in 0..30u32 {
        let mut c = card(&format!("j{i:02}"), "事務", "");
        c.prefecture = if i % 2 == 0 { 13 } else { 27 };
        c.hourly_wage = 1000 + i;
        c.published_at = NOW - i64::from(i);
        c.hours_per_week = if i < 10 { 10 } else { 30 };
        c.remote = if i % 3 == 0 {
            Remote::Full
        } else {
            Remote::None
        };
        c.accommodations = if i % 5 == 0 {
            vec!["written_instructions".into(), "quiet_environment".into()]
        } else {
            vec!["written_instructions".into()]
        };
        if i == 29 {
            c.confirmed_at = NOW - 31 * 86_400;
        }
        ix.upsert(c)?;
    }
    ix.commit()?;
    let q = |f: &dyn Fn(&mut JobQuery)| {
        let mut q = JobQuery {
            limit: 5,
            ..JobQuery::default()
        };
        f(&mut q);
        ix.search(&q, NOW)
    };
    assert_eq!(q(&|_| {})?.total, 29, "the stale posting is not listed");
    assert_eq!(q(&|q| q.prefecture = Some(27))?.total, 14);
    assert_eq!(q(&|q| q.hours_max = Some(10))?.total, 10);
    assert_eq!(q(&|q| q.remote = true)?.total, 10);
    assert_eq!(
        q(&|q| q.accommodations = vec!["written_instructions".into(), "quiet_environment".into()])?
            .total,
        6
    );
    assert_eq!(q(&|q| q.wage_min = Some(1025))?.total, 4);
    let top = q(&|q| q.sort = Sort::Wage)?;
    assert_eq!(top.cards[0].id, "j28");
    let new = q(&|q| {
        q.sort = Sort::Newest;
        q.offset = 5;
    })?;
    assert_eq!(new.cards[0].id, "j05");
    ix.remove("j00")?;
    ix.commit()?;
    assert_eq!(q(&|_| {})?.total, 28);
    Ok(())
}
