//! Demo data: one account of each kind, idempotent. The credentials are in the README.
use domain::profile::{Profile, Section};
use domain::validate::{Email, OrgName, PersonName};
use domain::{ConsentKind, OrgKind, Relation, Role, UserKind};
use store::Store;
use store::accounts::{self, NewAccount};
use store::{consents, jobs};

pub const PASSWORD: &str = "tsunagu-demo-2026";

/// The authenticator secret of the demo accounts that must sign in with a second factor
/// (the operator and the admins of the demo company, partner company and facility). It
/// is published (README) like the password: add it to an authenticator app, or let
/// `tsunagu demo-code` print the current code.
pub const TOTP_SECRET: &[u8; 20] = b"tsunagu-demo-totp-26";

struct Person {
    email: &'static str,
    name: &'static str,
    kind: UserKind,
    org: Option<&'static str>,
}

const PEOPLE: &[Person] = &[
    Person {
        email: "seeker@demo.tsunagu.example",
        name: "山田 花子",
        kind: UserKind::Seeker,
        org: None,
    },
    Person {
        email: "employer@demo.tsunagu.example",
        name: "佐藤 一郎",
        kind: UserKind::Employer,
        org: Some("デモ株式会社"),
    },
    Person {
        email: "recruiter@demo.tsunagu.example",
        name: "鈴木 次郎",
        kind: UserKind::Employer,
        org: None,
    },
    Person {
        email: "supporter@demo.tsunagu.example",
        name: "高橋 美咲",
        kind: UserKind::Supporter,
        org: Some("デモ就労支援センター"),
    },
    Person {
        email: "family@demo.tsunagu.example",
        name: "山田 洋子",
        kind: UserKind::Family,
        org: None,
    },
    Person {
        email: "operator@demo.tsunagu.example",
        name: "運営 担当",
        kind: UserKind::Operator,
        org: None,
    },
    Person {
        email: "partner@demo.tsunagu.example",
        name: "伊藤 三郎",
        kind: UserKind::Employer,
        org: Some("デモ提携株式会社"),
    },
    Person {
        email: "worker@demo.tsunagu.example",
        name: "中村 健太",
        kind: UserKind::Seeker,
        org: None,
    },
];

/// The demo seeker's profile: enough to see every section and the disclosure stages.
fn demo_profile() -> Result<Profile, String> {
    let json = serde_json::json!({
        "basic": {"name": "山田 花子", "kana": "やまだ はなこ", "gender": "female", "birth_date": "1998-05-12", "prefecture": 13,
                  "address": "新宿区西新宿2-8-1", "phone": "090-0000-0000", "email": "seeker@demo.tsunagu.example"},
        "disability": {"categories": ["mental", "developmental"], "certificate": {"type": "mental", "grade": 3, "expires_on": "2027-01-31"},
                       "description": "疲れがたまると集中しにくくなります。"},
        "accommodations": {"codes": ["hospital_visits", "quiet_environment", "written_instructions"], "note": "月に一度、平日の午前に通院します。"},
        "traits": {"text": "手順が決まっている作業が得意です。"},
        "career": {"education": "専門学校 情報処理科 卒業", "work_history": "事務補助(2年)", "qualifications": "日商簿記3級", "skills": "Excel、データ入力"},
        "desired": {"job_categories": ["office", "it"], "prefectures": [13, 14], "remote": true, "employment_type": "part_time",
                    "hours_per_week": 20, "days_per_week": 4, "hourly_wage_min": 1200, "commute_minutes": 45}
    });
    serde_json::from_value(json).map_err(|e| format!("demo profile: {e}"))
}

/// Companies and published postings: the demo employer's own, the partner company's,
/// and generated ones, so that search and recommendations have something to show.
fn demo_jobs(
    c: &mut store::DbConn,
    employer: &str,
    partner: &str,
    now: i64,
) -> store::error::Result<()> {
    let mut r = crate::generate::Rng::new(2026);
    for (user, n) in [(employer, 4), (partner, 2)] {
        let Some(org) = accounts::orgs_of(c, user)?.first().cloned() else {
            continue;
        };
        let mut profile = crate::generate::company(&mut r);
        profile.prefecture = 13;
        profile.accommodations = vec!["written_instructions".into(), "hospital_visits".into()];
        jobs::seed_company(c, &org, &profile, Some(now), now)?;
        for i in 0..n {
            let mut p = crate::generate::posting(&mut r);
            if i == 0 {
                p.title = "一般事務スタッフ（データ入力）".into();
                p.category = "office".into();
                p.prefecture = 13;
                p.hours_per_week = 20;
                p.days_per_week = 4;
                p.employment_type = domain::profile::EmploymentType::PartTime;
                p.wage_unit = domain::jobs::WageUnit::Hourly;
                p.wage_min = 1250;
                p.remote = domain::jobs::Remote::Partial;
                p.required_skills = vec!["Excel".into()];
            }
            jobs::seed_published(c, &org, user, &p, now - 86_400 * i, now)?;
        }
    }
    for i in 0..30 {
        let org = jobs::seed_org(c, &crate::generate::company_name(&mut r, i), now)?;
        let profile = crate::generate::company(&mut r);
        jobs::seed_company(c, &org, &profile, Some(now), now)?;
        for k in 0..4 {
            let p = crate::generate::posting(&mut r);
            jobs::seed_published(c, &org, employer, &p, now - 3_600 * (i * 4 + k) as i64, now)?;
        }
    }
    Ok(())
}

pub fn load(store: &Store) -> Result<Vec<String>, String> {
    let hash = store::passwords::hash(PASSWORD).map_err(|e| e.to_string())?;
    let now = web::now();
    let profile = demo_profile()?;
    let mut lines = Vec::new();
    let ids = store
        .seed_blocking(|seed| {
            let mut ids = Vec::new();
            for p in PEOPLE {
                if let Some(existing) = seed.user_by_email(p.email)? {
                    ids.push((existing, false));
                    continue;
                }
                let account = NewAccount {
                    kind: p.kind,
                    email: Email::parse(p.email).map_err(|_| store::StoreError::NotFound)?,
                    password_hash: hash.clone(),
                    name: PersonName::parse(p.name).map_err(|_| store::StoreError::NotFound)?,
                    lang: "ja".into(),
                    org_name: p
                        .org
                        .map(OrgName::parse)
                        .transpose()
                        .map_err(|_| store::StoreError::NotFound)?,
                    consents: vec![ConsentKind::PrivacyPolicy, ConsentKind::SensitiveData],
                    partners: Vec::new(),
                    method: "demo",
                    email_verified: true,
                };
                let id = seed.create_account(&account, now)?;
                // The founder of an organisation is its admin; operators are staff.
                if p.kind == UserKind::Operator || p.org.is_some() {
                    seed.seed_totp(&id, TOTP_SECRET, now)?;
                }
                ids.push((id, true));
            }
            // The recruiter joins the employer's company; the family member is linked to the seeker.
            if ids.get(2).is_some_and(|(_, new)| *new) {
                let org = accounts::orgs_of(seed.conn(), &ids[1].0)?;
                if let Some(org) = org.first() {
                    accounts::add_membership(seed.conn(), org, &ids[2].0, Role::Recruiter, now)?;
                }
            }
            if ids.get(4).is_some_and(|(_, new)| *new) {
                accounts::add_family_link(
                    seed.conn(),
                    &ids[0].0,
                    &ids[4].0,
                    Relation::Mother,
                    now,
                )?;
                consents::give_for(
                    seed.conn(),
                    &ids[0].0,
                    ConsentKind::FamilyShare,
                    Some(&ids[4].0),
                    Some("application_status"),
                    "demo",
                    now,
                )?;
            }
            if ids.first().is_some_and(|(_, new)| *new) {
                let seeker = ids[0].0.clone();
                for s in Section::ALL {
                    seed.store_section(&seeker, &profile, s, now)?;
                }
                consents::give(
                    seed.conn(),
                    &seeker,
                    ConsentKind::ScoutVisibility,
                    "demo",
                    now,
                )?;
                for sec in [
                    "disability_categories",
                    "accommodations",
                    "career",
                    "desired",
                ] {
                    consents::give_for(
                        seed.conn(),
                        &seeker,
                        ConsentKind::ScoutSection,
                        None,
                        Some(sec),
                        "demo",
                        now,
                    )?;
                }
                if let Some(facility) = accounts::orgs_of(seed.conn(), &ids[3].0)?.first() {
                    consents::give_for(
                        seed.conn(),
                        &seeker,
                        ConsentKind::SupporterLink,
                        Some(facility),
                        None,
                        "demo",
                        now,
                    )?;
                }
            }
            // The demo operator holds every staff role (a real operator's staff get one
            // role each from `tsunagu operator create`).
            if ids.get(5).is_some_and(|(_, new)| *new) {
                for role in domain::StaffRole::ALL {
                    store::agency::grant_operator_role(seed.conn(), &ids[5].0, role.as_str(), now)?;
                }
            }
            // The worker links to the demo facility (hired below, with check-ins).
            if ids.get(7).is_some_and(|(_, new)| *new)
                && let Some(facility) = accounts::orgs_of(seed.conn(), &ids[3].0)?.first()
            {
                consents::give_for(
                    seed.conn(),
                    &ids[7].0,
                    ConsentKind::SupporterLink,
                    Some(facility),
                    None,
                    "demo",
                    now,
                )?;
            }
            if let Some(partner) = accounts::orgs_of(seed.conn(), &ids[6].0)?.first() {
                store::orgs::set_partner(seed.conn(), partner, true)?;
            }
            // Billing: the demo company and facility on plans since last month, so a
            // server with an issuer configured issues last month's invoices.
            if ids.get(5).is_some_and(|(_, new)| *new) {
                let since = domain::billing::Month::last_ended(web::jst::today());
                let plans = [
                    (1, OrgKind::Company, "標準プラン", 30_000, 100_000),
                    (3, OrgKind::Facility, "支援機関プラン", 10_000, 0),
                ];
                for (who, org_kind, name, monthly_fee, success_fee) in plans {
                    let draft = domain::billing::PlanDraft {
                        org_kind,
                        name: name.into(),
                        monthly_fee,
                        success_fee,
                    };
                    let plan = store::billing::insert_plan(seed.conn(), &ids[5].0, &draft, now)?;
                    if let Some(org) = accounts::orgs_of(seed.conn(), &ids[who].0)?.first() {
                        store::billing::put_on_plan(
                            seed.conn(),
                            org,
                            &plan,
                            since,
                            &ids[5].0,
                            now,
                        )?;
                    }
                }
            }
            if ids.get(1).is_some_and(|(_, new)| *new) {
                demo_jobs(seed.conn(), &ids[1].0, &ids[6].0, now)?;
            }
            Ok(ids)
        })
        .map_err(|e| e.to_string())?;
    for (p, (_, created)) in PEOPLE.iter().zip(ids) {
        lines.push(format!(
            "{:<9} {:<34} {}",
            p.kind.as_str(),
            p.email,
            if created {
                "created"
            } else {
                "already present"
            }
        ));
    }
    lines.push(format!("password for every demo account: {PASSWORD}"));
    lines.push(format!(
        "authenticator key of the demo operator and admins (employer, supporter, partner): {} \
         (or `tsunagu demo-code` prints the current code)",
        demo_key()
    ));
    Ok(lines)
}

/// The demo authenticator key in Base32, as an app takes it.
pub fn demo_key() -> String {
    store::factors::code_now(TOTP_SECRET, 0).1
}

/// The code the demo authenticator shows now, and the seconds it stays valid.
pub fn demo_code(now: i64) -> (String, i64) {
    let step = store::factors::STEP as i64;
    (
        store::factors::code_now(TOTP_SECRET, now).0,
        step - now.rem_euclid(step),
    )
}

/// The id of a demo account, if `tsunagu demo` made it.
async fn demo_id(store: &Store, email: &'static str) -> Result<Option<String>, String> {
    let email = Email::parse(email).map_err(|_| "email".to_owned())?;
    Ok(store
        .login_lookup(email)
        .await
        .map_err(|e| e.to_string())?
        .map(|(id, _)| id))
}

/// The demo employer's company and its postings, oldest first.
async fn demo_company(
    store: &Store,
    employer: &str,
) -> Result<Option<(store::accounts::Membership, Vec<store::jobs::PostingRow>)>, String> {
    let e = |e: store::StoreError| e.to_string();
    let Some(org) = store
        .memberships_of(employer.to_owned())
        .await
        .map_err(e)?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let mut postings = store.postings_of(org.org_id.clone()).await.map_err(e)?;
    postings.sort_by_key(|p| p.created_at);
    Ok(Some((org, postings)))
}

/// Notices as the server composes them (mail links to `public_url`).
fn demo_notice(public_url: &str) -> store::selection::Notice {
    web::mail::notice_writer(public_url.to_owned())
}

/// A conversation to look at: the demo seeker has applied to the demo company's first
/// job, and they have written to each other (the seeker let the supporter in, and wrote
/// the supporter a note the company does not see). Only once: a second `demo` leaves
/// it as it is.
pub async fn conversation(store: &Store, public_url: &str) -> Result<Option<String>, String> {
    use domain::disclosure::{Openness, Visibility};
    use store::disclosure::thread::Via;
    let e = |e: store::StoreError| e.to_string();
    let (Some(seeker), Some(employer), Some(supporter)) = (
        demo_id(store, PEOPLE[0].email).await?,
        demo_id(store, PEOPLE[1].email).await?,
        demo_id(store, PEOPLE[3].email).await?,
    ) else {
        return Ok(None);
    };
    if !store
        .my_applications(seeker.clone())
        .await
        .map_err(e)?
        .is_empty()
    {
        return Ok(None);
    }
    // The newest job (the demo worker works at the oldest).
    let Some(posting) = demo_company(store, &employer)
        .await?
        .and_then(|(_, postings)| postings.into_iter().last())
    else {
        return Ok(None);
    };
    let notice = demo_notice(public_url);
    let ctx = store::accounts::Ctx::default();
    let now = web::now();
    let app = store
        .apply_to_posting(
            seeker.clone(),
            posting.id.clone(),
            Openness::Open,
            "データ入力の経験を活かしたいと考えています。よろしくお願いいたします。".into(),
            true,
            ctx.clone(),
            notice.clone(),
            now - 3 * 86_400,
        )
        .await
        .map_err(e)?
        .map_err(|_| "the demo job does not take applications".to_owned())?;
    let today = web::jst::today();
    let thread = store
        .threads(seeker.clone(), ctx.clone(), today, now)
        .await
        .map_err(e)?
        .into_iter()
        .find(|t| t.application_id.as_deref() == Some(app.as_str()))
        .map(|t| t.id)
        .ok_or_else(|| "no thread for the demo application".to_owned())?;
    store
        .set_thread_supporter(seeker.clone(), thread.clone(), true, ctx.clone(), now)
        .await
        .map_err(e)?;
    let lines: [(&str, Visibility, &str, i64); 4] = [
        (
            &employer,
            Visibility::All,
            "ご応募ありがとうございます。採用担当です。面接の前に、働き方のご希望があれば教えてください。",
            2 * 86_400,
        ),
        (
            &seeker,
            Visibility::All,
            "ありがとうございます。週4日、1日5時間くらいを希望しています。指示は文字でいただけると助かります。",
            2 * 86_400 - 3_600,
        ),
        (
            &seeker,
            Visibility::SupporterOnly,
            "面接のとき、一緒に来てもらえますか。",
            86_400,
        ),
        (
            &supporter,
            Visibility::SupporterOnly,
            "はい、同席できます。日程が決まったら教えてください。",
            86_400 - 1_800,
        ),
    ];
    for (who, vis, body, ago) in lines {
        store
            .send_message(
                who.to_owned(),
                thread.clone(),
                body.to_owned(),
                vis,
                vec![],
                Via::Party,
                notice.clone(),
                ctx.clone(),
                now - ago,
            )
            .await
            .map_err(e)?
            .map_err(|_| "the demo message was refused".to_owned())?;
    }
    Ok(Some(format!(
        "demo conversation: {} applied to \"{}\" ({} messages at /messages)",
        PEOPLE[0].email,
        posting.title,
        lines.len()
    )))
}

/// A worker to follow: the demo worker was hired by the demo company two weeks ago (the
/// employer follows up) and has checked in on the last five days. Only once.
pub async fn work(store: &Store, public_url: &str) -> Result<Option<String>, String> {
    use domain::retention::Draft;
    let e = |e: store::StoreError| e.to_string();
    let (Some(worker), Some(employer)) = (
        demo_id(store, PEOPLE[7].email).await?,
        demo_id(store, PEOPLE[1].email).await?,
    ) else {
        return Ok(None);
    };
    if !store
        .work_places(worker.clone())
        .await
        .map_err(e)?
        .is_empty()
    {
        return Ok(None);
    }
    let Some((org, posting)) = demo_company(store, &employer)
        .await?
        .and_then(|(org, postings)| postings.into_iter().next().map(|p| (org, p)))
    else {
        return Ok(None);
    };
    let notice = demo_notice(public_url);
    let ctx = store::accounts::Ctx::default();
    let now = web::now();
    let today = web::jst::today();
    let job = hire_into(
        store,
        &worker,
        &employer,
        &posting.id,
        today.plus_days(-14),
        &notice,
        now,
    )
    .await?;
    // Five days, the last one today: a good start, a tired middle, a wish to talk.
    // (days ago, attendance, health, mood, sleep, troubles, wants to talk, note)
    type Day<'a> = (i64, &'a str, i64, i64, f64, &'a [&'a str], bool, &'a str);
    let days: [Day; 5] = [
        (
            4,
            "present",
            4,
            4,
            7.0,
            &[],
            false,
            "仕事に少し慣れてきました。",
        ),
        (3, "present", 4, 3, 6.5, &["too_much_work"], false, ""),
        (
            2,
            "late",
            3,
            3,
            5.0,
            &["tired"],
            false,
            "電車が遅れました。",
        ),
        (
            1,
            "present",
            2,
            2,
            4.5,
            &["tired", "instructions_unclear"],
            true,
            "指示が早くてついていけませんでした。",
        ),
        (
            0,
            "present",
            3,
            3,
            6.0,
            &[],
            false,
            "今日は落ち着いてできました。",
        ),
    ];
    for (ago, attendance, health, mood, sleep, troubles, talk, note) in days {
        let d = today.plus_days(-ago);
        let noon = domain::interview::LocalTime {
            date: d,
            hour: 18,
            minute: 0,
        }
        .unix()
        .min(now);
        let draft = Draft {
            attendance: attendance.into(),
            clock_in: if attendance == "late" {
                "10:10"
            } else {
                "9:00"
            }
            .into(),
            clock_out: "15:00".into(),
            health: Some(health),
            sleep_hours: Some(sleep),
            mood: Some(mood),
            note: note.into(),
            troubles: troubles.iter().map(|t| (*t).to_owned()).collect(),
            trouble_note: String::new(),
            want_to_talk: talk,
            items: Default::default(),
        };
        store
            .save_report(
                worker.clone(),
                job.clone(),
                d,
                draft,
                None,
                notice.clone(),
                ctx.clone(),
                noon,
            )
            .await
            .map_err(e)?
            .map_err(|r| format!("the demo check-in was refused: {r:?}"))?;
    }
    // The supporter's visit three days ago, with an action for the company, and a
    // comment from each side.
    if let Some(supporter) = demo_id(store, PEOPLE[3].email).await? {
        let today = domain::interview::LocalTime::of_unix(now).date;
        let record = domain::support::RecordDraft {
            kind: "visit".into(),
            date: today.plus_days(-3).to_string(),
            done: "職場を訪問し、データ入力の手順を一緒に確認しました。".into(),
            own_words: "電話の取り次ぎが少し不安です。".into(),
            actions: vec![domain::support::ActionDraft {
                what: "電話の取り次ぎの手順書を作る".into(),
                owner: "follow_up".into(),
                due: today.plus_days(7).to_string(),
                done: false,
            }],
        };
        store
            .add_record(
                supporter.clone(),
                job.clone(),
                record,
                today,
                ctx.clone(),
                now,
            )
            .await
            .map_err(e)?
            .map_err(|r| format!("the demo support record was refused: {r:?}"))?;
        for (who, text) in [
            (&supporter, "今週も毎日記録できていますね。"),
            (&employer, "作業がていねいで助かっています。"),
        ] {
            store
                .add_comment(
                    who.clone(),
                    job.clone(),
                    text.into(),
                    "week".into(),
                    String::new(),
                    today,
                    ctx.clone(),
                    now,
                )
                .await
                .map_err(e)?
                .map_err(|r| format!("the demo comment was refused: {r:?}"))?;
        }
    }
    Ok(Some(format!(
        "demo work: {} works at {} (5 check-ins at /check-in, support records at /check-in/support; the supporter and the employer see the three-party page at /employments/{job}/check-ins)",
        PEOPLE[7].email, org.org_name
    )))
}

/// `worker` applies to `posting` 40 days before `now` and `employer` takes them through
/// screening, interview and offer to a hire with the first day `start` (following up
/// themself); the employment's id. The demo worker's history, and the benchmark's.
pub async fn hire_into(
    store: &Store,
    worker: &str,
    employer: &str,
    posting: &str,
    start: domain::profile::Date,
    notice: &store::selection::Notice,
    now: i64,
) -> Result<String, String> {
    use domain::disclosure::Openness;
    use domain::hiring::Stage;
    let e = |e: store::StoreError| e.to_string();
    let ctx = store::accounts::Ctx::default();
    let day = 86_400;
    let app = store
        .apply_to_posting(
            worker.to_owned(),
            posting.to_owned(),
            Openness::Open,
            "よろしくお願いいたします。".into(),
            true,
            ctx.clone(),
            notice.clone(),
            now - 40 * day,
        )
        .await
        .map_err(e)?
        .map_err(|_| "the demo job does not take applications".to_owned())?;
    for (stage, ago) in [
        (Stage::Screening, 35),
        (Stage::Interview, 30),
        (Stage::Offer, 20),
    ] {
        store
            .move_application(
                employer.to_owned(),
                app.clone(),
                store::hiring::Move {
                    to: Some(stage),
                    internal_stage: String::new(),
                    note: String::new(),
                },
                ctx.clone(),
                notice.clone(),
                now - ago * day,
            )
            .await
            .map_err(e)?
            .map_err(|_| "the demo application did not move".to_owned())?;
    }
    store
        .hire(
            employer.to_owned(),
            app,
            store::hiring::Hire {
                start_date: start,
                position: "データ入力".into(),
                hours_per_week: 20,
                follow_up_user_id: employer.to_owned(),
            },
            ctx,
            notice.clone(),
            now - 15 * day,
        )
        .await
        .map_err(e)?
        .map_err(|_| "the demo hire was refused".to_owned())
}
