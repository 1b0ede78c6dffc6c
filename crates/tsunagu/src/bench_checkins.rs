//! `tsunagu bench-check-ins`: the durable daily check-in write — sealed with the worker's
//! key, its audit entry, the alerts raised with it, one transaction committed with
//! `synchronous = FULL` — as a share of bare SQLite commits per second measured in the
//! same run on the same database, with millions of check-ins already in it. Writes its
//! section of BENCHMARKS.md (between its markers; the other sections stay).
use crate::demo;
use domain::ConsentKind;
use domain::profile::Date;
use domain::retention::{Attendance, Draft, Report};
use domain::validate::{Email, PersonName};
use std::fmt::Write as _;
use std::time::Instant;
use store::Store;
use store::accounts::NewAccount;

pub struct Scale {
    /// Check-ins in the database before measuring.
    pub reports: usize,
    /// Workers (one employment each); the check-ins are spread over them.
    pub workers: usize,
    /// Writes measured (each a worker's check-in of today, then the same again replaced).
    pub writes: usize,
}

const BEGIN: &str = "<!-- check-in writes (tsunagu bench-check-ins) -->";
const END: &str = "<!-- /check-in writes -->";

fn report(i: usize) -> Report {
    let att = [
        Attendance::Present,
        Attendance::Present,
        Attendance::Present,
        Attendance::Late,
        Attendance::DayOff,
    ][i % 5];
    Report {
        attendance: Some(att),
        health: Some((i % 5 + 1) as u8),
        mood: Some(((i / 5) % 5 + 1) as u8),
        sleep_hours: Some(6.5),
        note: "いつもどおり作業しました。".into(),
        ..Report::default()
    }
}

/// Generates the data, measures, and returns the section written.
pub async fn run(
    store: Store,
    public_url: &str,
    s: Scale,
    out: &std::path::Path,
) -> Result<String, String> {
    let e = |e: store::StoreError| e.to_string();
    let now = web::now();
    let t0 = Instant::now();
    demo::load(&store)?;
    let employer = store
        .seed_blocking(|seed| seed.user_by_email("employer@demo.tsunagu.example"))
        .map_err(e)?
        .ok_or("the demo employer is missing")?;
    let posting = store
        .postings_of(
            store
                .memberships_of(employer.clone())
                .await
                .map_err(e)?
                .first()
                .map(|m| m.org_id.clone())
                .ok_or("the demo company is missing")?,
        )
        .await
        .map_err(e)?
        .into_iter()
        .find(|p| p.is_public(now, domain::jobs::STALE_AFTER_DAYS))
        .map(|p| p.id)
        .ok_or("no public demo posting")?;
    let notice = web::mail::notice_writer(public_url.to_owned());
    let hash = store::passwords::hash("bench-password-2026").map_err(|e| e.to_string())?;
    let today = web::jst::today();
    let mut jobs = Vec::with_capacity(s.workers);
    for i in 0..s.workers {
        let worker = store
            .seed_blocking(|seed| {
                seed.create_account(
                    &NewAccount {
                        kind: domain::UserKind::Seeker,
                        email: Email::parse(&format!("bench-worker-{i}@example.jp"))
                            .map_err(|_| store::StoreError::NotFound)?,
                        password_hash: hash.clone(),
                        name: PersonName::parse("ベンチ 太郎")
                            .map_err(|_| store::StoreError::NotFound)?,
                        lang: "ja".into(),
                        org_name: None,
                        consents: vec![ConsentKind::PrivacyPolicy, ConsentKind::SensitiveData],
                        partners: vec![],
                        method: "bench",
                        email_verified: true,
                    },
                    now,
                )
            })
            .map_err(e)?;
        let job = demo::hire_into(
            &store,
            &worker,
            &employer,
            &posting,
            today.plus_days(-30),
            &notice,
            now,
        )
        .await?;
        jobs.push((worker, job));
    }
    let hires_secs = t0.elapsed().as_secs_f64();
    // The history: `reports` check-ins spread over the workers, on the days before.
    let t = Instant::now();
    let per = s.reports.div_ceil(s.workers.max(1));
    let mut written = 0;
    for (w, (worker, job)) in jobs.iter().enumerate() {
        let mut start = 0;
        while start < per && written < s.reports {
            let n = (per - start).min(20_000).min(s.reports - written);
            let days: Vec<(Date, Report)> = (start..start + n)
                .map(|k| (today.plus_days(-1 - k as i64), report(w + k)))
                .collect();
            store
                .seed_blocking(|seed| seed.seed_reports(job, worker, &days, now))
                .map_err(e)?;
            start += n;
            written += n;
        }
        if w % 100 == 0 {
            tracing::info!(written, "check-ins generated");
        }
    }
    let gen_secs = t.elapsed().as_secs_f64();

    // The product's write: today's check-in of each worker, then each replaced.
    let ctx = store::accounts::Ctx::default();
    let n = s.writes.min(jobs.len().max(1) * 2);
    let t = Instant::now();
    for i in 0..n {
        let (worker, job) = &jobs[i % jobs.len()];
        let draft = Draft {
            attendance: "present".into(),
            clock_in: "9:00".into(),
            clock_out: "17:00".into(),
            health: Some((i % 5 + 1) as i64),
            sleep_hours: Some(7.0),
            mood: Some(3),
            note: "今日もがんばりました。".into(),
            ..Draft::default()
        };
        store
            .save_report(
                worker.clone(),
                job.clone(),
                today,
                draft,
                Some(format!("bench-{i}")),
                notice.clone(),
                ctx.clone(),
                web::now(),
            )
            .await
            .map_err(e)?
            .map_err(|r| format!("a check-in was refused: {r:?}"))?;
    }
    let durable = n as f64 / t.elapsed().as_secs_f64();
    // The baseline: a bare row per commit, on the same database and writer.
    store.seed_blocking(|seed| seed.bare_table()).map_err(e)?;
    let t = Instant::now();
    for i in 0..n {
        store
            .seed_blocking(|seed| seed.bare_row(i as i64))
            .map_err(e)?;
    }
    let bare = n as f64 / t.elapsed().as_secs_f64();

    let mut md = String::new();
    let _ = writeln!(md, "{BEGIN}");
    let _ = writeln!(md, "## Durable daily check-in writes\n");
    let _ = writeln!(
        md,
        "Written by `tsunagu bench-check-ins` on {} (UTC), {} database. {} check-ins of {} workers already in the database (generated in {:.0} s; {} hires through the product in {:.0} s). Re-run: `cargo run --release -- --data-dir /tmp/tsunagu-bench-checkins bench-check-ins` (the directory must be new).\n",
        time::OffsetDateTime::now_utc().date(),
        store.backend().as_str(),
        written,
        jobs.len(),
        gen_secs,
        jobs.len(),
        hires_secs,
    );
    let _ = writeln!(
        md,
        "The product's write is `Store::save_report`: the check-in sealed with the worker's key, the audit entry, the alerts raised with it (talk flag, troubles), one transaction committed durably (WAL, `synchronous = FULL`). {n} writes in a row: each worker's check-in of today, then each replaced. Baseline: a bare one-row insert per commit on the same database and writer in the same run.\n"
    );
    let _ = writeln!(md, "| | writes/s | share of bare commits |");
    let _ = writeln!(md, "|---|---|---|");
    let _ = writeln!(
        md,
        "| durable check-in write | {durable:.0} | {:.0} % |",
        durable / bare * 100.0
    );
    let _ = writeln!(md, "| bare SQLite commit baseline | {bare:.0} | 100 % |");
    let _ = writeln!(md, "{END}");

    let old = std::fs::read_to_string(out).unwrap_or_default();
    let new = match (old.find(BEGIN), old.find(END)) {
        (Some(a), Some(b)) if a < b => {
            format!("{}{}{}", &old[..a], md.trim_end(), &old[b + END.len()..])
        }
        _ => format!("{}\n\n{}", old.trim_end(), md.trim_end()),
    };
    std::fs::write(out, new.trim_start().to_owned() + "\n").map_err(|e| e.to_string())?;
    Ok(md)
}
