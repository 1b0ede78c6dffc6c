//! `tsunagu bench`: generates national-scale data, measures search and recommendation
//! latency, the search page's throughput under concurrent load, memory and start-up
//! time, and writes BENCHMARKS.md. Each figure stands beside a baseline measured in the
//! same run on the same data (plain SQL `LIKE`, a trivial endpoint), so the ratios stay
//! meaningful on another machine.
use crate::generate::{self, Rng};
use domain::ConsentKind;
use domain::matching::Needs;
use domain::profile::Section;
use domain::validate::{Email, PersonName};
use search::JobQuery;
use std::fmt::Write as _;
use std::time::{Duration, Instant};
use store::Store;
use store::accounts::NewAccount;
use store::{consents, jobs};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub struct Scale {
    pub postings: usize,
    pub seekers: usize,
    pub companies: usize,
    pub seconds: u64,
    /// Measure the data already in the data directory (made by an earlier run).
    pub reuse: bool,
}

const KEYWORDS: &[&str] = &[
    "事務",
    "スタッフ",
    "プログラマ",
    "データ入力",
    "倉庫",
    "Excel",
    "清掃",
    "システム",
    "販売",
    "調理",
];

fn pct(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)]
}

struct Lat {
    p50: f64,
    p95: f64,
    p99: f64,
}

fn lat(mut v: Vec<f64>) -> Lat {
    Lat {
        p50: pct(&mut v, 0.50),
        p95: pct(&mut v, 0.95),
        p99: pct(&mut v, 0.99),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Generates the data set. Returns the seekers' generated needs (to ask for recommendations).
fn generate(store: &Store, s: &Scale, now: i64, log: &dyn Fn(&str)) -> Result<(), String> {
    let mut r = Rng::new(20_261_122);
    let hash = store::passwords::hash("bench-password-2026").map_err(|e| e.to_string())?;
    let author = store
        .seed_blocking(|seed| {
            let a = NewAccount {
                kind: domain::UserKind::Employer,
                email: Email::parse("bench-employer@example.jp")
                    .map_err(|_| store::StoreError::NotFound)?,
                password_hash: hash.clone(),
                name: PersonName::parse("ベンチ 担当").map_err(|_| store::StoreError::NotFound)?,
                lang: "ja".into(),
                org_name: domain::validate::OrgName::parse("ベンチ株式会社").ok(),
                consents: vec![ConsentKind::PrivacyPolicy],
                partners: vec![],
                method: "bench",
                email_verified: true,
            };
            seed.create_account(&a, now)
        })
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut orgs: Vec<String> = Vec::with_capacity(s.companies);
    for chunk in 0..s.companies.div_ceil(2000) {
        let ids = store
            .seed_blocking(|seed| {
                let mut ids = Vec::new();
                for i in chunk * 2000..((chunk + 1) * 2000).min(s.companies) {
                    let org = jobs::seed_org(seed.conn(), &generate::company_name(&mut r, i), now)?;
                    jobs::seed_company(
                        seed.conn(),
                        &org,
                        &generate::company(&mut r),
                        Some(now),
                        now,
                    )?;
                    ids.push(org);
                }
                Ok(ids)
            })
            .map_err(|e| e.to_string())?;
        orgs.extend(ids);
    }
    log(&format!(
        "{} companies in {:.1} s",
        orgs.len(),
        started.elapsed().as_secs_f64()
    ));
    let started = Instant::now();
    for chunk in 0..s.postings.div_ceil(5000) {
        store
            .seed_blocking(|seed| {
                for _ in chunk * 5000..((chunk + 1) * 5000).min(s.postings) {
                    let org = r.pick(&orgs).clone();
                    let p = generate::posting(&mut r);
                    let published = now - r.below(60 * 86_400) as i64;
                    // One in twenty was not confirmed within the period: not listed.
                    let confirmed = if r.chance(5) {
                        now - (31 + r.below(30) as i64) * 86_400
                    } else {
                        now - r.below(29 * 86_400) as i64
                    }
                    .max(published);
                    jobs::seed_published(seed.conn(), &org, &author, &p, published, confirmed)?;
                }
                Ok(())
            })
            .map_err(|e| e.to_string())?;
    }
    log(&format!(
        "{} postings in {:.1} s",
        s.postings,
        started.elapsed().as_secs_f64()
    ));
    let started = Instant::now();
    for chunk in 0..s.seekers.div_ceil(2000) {
        store
            .seed_blocking(|seed| {
                for i in chunk * 2000..((chunk + 1) * 2000).min(s.seekers) {
                    let a = NewAccount {
                        kind: domain::UserKind::Seeker,
                        email: Email::parse(&format!("seeker{i}@bench.example.jp"))
                            .map_err(|_| store::StoreError::NotFound)?,
                        password_hash: hash.clone(),
                        name: PersonName::parse(&format!("求職者 {i}"))
                            .map_err(|_| store::StoreError::NotFound)?,
                        lang: "ja".into(),
                        org_name: None,
                        consents: vec![ConsentKind::PrivacyPolicy, ConsentKind::SensitiveData],
                        partners: vec![],
                        method: "bench",
                        email_verified: true,
                    };
                    let id = seed.create_account(&a, now)?;
                    let p = generate::seeker_profile(&mut r);
                    for sec in [Section::Desired, Section::Career, Section::Accommodations] {
                        seed.store_section(&id, &p, sec, now)?;
                    }
                    if r.chance(30) {
                        consents::give(
                            seed.conn(),
                            &id,
                            ConsentKind::ScoutVisibility,
                            "bench",
                            now,
                        )?;
                    }
                }
                Ok(())
            })
            .map_err(|e| e.to_string())?;
    }
    log(&format!(
        "{} seekers in {:.1} s",
        s.seekers,
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

fn queries(n: usize) -> Vec<JobQuery> {
    let mut r = Rng::new(7);
    (0..n)
        .map(|_| {
            let mut q = JobQuery {
                keywords: (*r.pick(KEYWORDS)).to_owned(),
                prefecture: Some(*r.pick(&[13u8, 14, 27, 23, 1, 40])),
                employment: Some((*r.pick(&["part_time", "full_time", "contract"])).to_owned()),
                limit: 20,
                ..JobQuery::default()
            };
            match r.below(3) {
                0 => q.remote = true,
                1 => q.hours_max = Some(30),
                _ => q.wage_min = Some(1100),
            }
            q
        })
        .collect()
}

/// The same search as plain SQL on the same database: `LIKE` on the stored posting.
fn like_sql(q: &JobQuery, fresh_from: i64) -> String {
    let esc = |s: &str| s.replace('\'', "''");
    let mut w = format!(
        "status = 'published' AND confirmed_at >= {fresh_from} AND (title LIKE '%{k}%' OR fields LIKE '%{k}%')",
        k = esc(&q.keywords)
    );
    if let Some(p) = q.prefecture {
        let _ = write!(w, " AND fields LIKE '%[\"prefecture\",\"{p}\"]%'");
    }
    if let Some(e) = &q.employment {
        let _ = write!(
            w,
            " AND fields LIKE '%[\"employment_type\",\"{}\"]%'",
            esc(e)
        );
    }
    if q.remote {
        w.push_str(" AND fields NOT LIKE '%[\"remote\",\"none\"]%'");
    }
    format!("SELECT id AS v FROM postings WHERE {w} ORDER BY published_at DESC")
}

/// One keep-alive HTTP/1.1 connection issuing GETs until the deadline; returns the
/// latencies of the answers that were 200.
async fn client(addr: String, path: String, until: Instant) -> Vec<f64> {
    let mut out = Vec::new();
    let Ok(mut s) = tokio::net::TcpStream::connect(&addr).await else {
        return out;
    };
    let _ = s.set_nodelay(true);
    let req = format!("GET {path} HTTP/1.1\r\nHost: bench\r\nAccept-Language: ja\r\n\r\n");
    let mut buf = Vec::with_capacity(64 * 1024);
    while Instant::now() < until {
        let t = Instant::now();
        if s.write_all(req.as_bytes()).await.is_err() {
            break;
        }
        buf.clear();
        let (ok, need) = loop {
            let mut chunk = [0u8; 16 * 1024];
            match s.read(&mut chunk).await {
                Ok(0) | Err(_) => return out,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                let len = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                break (head.starts_with("http/1.1 200"), end + 4 + len);
            }
        };
        while buf.len() < need {
            let mut chunk = [0u8; 16 * 1024];
            match s.read(&mut chunk).await {
                Ok(0) | Err(_) => return out,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        if ok {
            out.push(ms(t.elapsed()));
        }
    }
    out
}

async fn load(addr: &str, path: &str, conns: usize, secs: u64) -> (f64, Lat) {
    let until = Instant::now() + Duration::from_secs(secs);
    let started = Instant::now();
    let handles: Vec<_> = (0..conns)
        .map(|_| tokio::spawn(client(addr.to_owned(), path.to_owned(), until)))
        .collect();
    let mut all = Vec::new();
    for h in handles {
        if let Ok(v) = h.await {
            all.extend(v);
        }
    }
    let rps = all.len() as f64 / started.elapsed().as_secs_f64();
    (rps, lat(all))
}

fn proc_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .next()
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_owned())
        })
        .and_then(|kb| kb.parse::<u64>().ok())
        .map(|kb| kb / 1024 / 1024)
        .unwrap_or(0);
    let os = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("PRETTY_NAME=")).map(|l| {
                l.trim_start_matches("PRETTY_NAME=")
                    .trim_matches('"')
                    .to_owned()
            })
        })
        .unwrap_or_default();
    format!("{cores} cores ({cpu}), {mem} GiB memory, {os}")
}

pub async fn run(
    store: Store,
    cfg: &crate::config::Config,
    s: Scale,
    out_path: &std::path::Path,
) -> Result<String, String> {
    let log = |m: &str| {
        tracing::info!("{m}");
    };
    let now = web::now();
    let backend = store.backend().as_str();
    let existing = store
        .baseline_texts_blocking("SELECT CAST(COUNT(*) AS TEXT) AS v FROM postings")
        .map_err(|e| e.to_string())?;
    let empty = existing.first().map(String::as_str) == Some("0");
    let t = Instant::now();
    match (empty, s.reuse) {
        (true, _) => generate(&store, &s, now, &log)?,
        (false, true) => log("measuring the data of an earlier run (--reuse)"),
        (false, false) => {
            return Err(
                "bench needs an empty database: give it a fresh --data-dir, or --reuse".into(),
            );
        }
    }
    let gen_secs = t.elapsed().as_secs_f64();

    // In process: load the listings exactly as the server does.
    let web_cfg = crate::server::web_config(cfg);
    let app = web::AppState::new(store.clone(), web_cfg)?;
    let t = Instant::now();
    app.refresh_listings().await;
    let load_secs = t.elapsed().as_secs_f64();
    let listed = {
        let index = app.listings.clone();
        let all = JobQuery {
            limit: 1,
            ..JobQuery::default()
        };
        tokio::task::spawn_blocking(move || {
            index.index.search(&all, now).map(|h| h.total).unwrap_or(0)
        })
        .await
        .map_err(|e| e.to_string())?
    };

    // Search: keyword + 3 filters, in the index and as plain SQL.
    let qs = queries(200);
    let index = app.listings.clone();
    let qs2 = qs.clone();
    let (search_lat, totals) = tokio::task::spawn_blocking(move || {
        let mut v = Vec::new();
        let mut totals = 0usize;
        for _round in 0..10 {
            for q in &qs2 {
                let t = Instant::now();
                let h = index.index.search(q, now);
                v.push(ms(t.elapsed()));
                totals += h.map(|h| h.total).unwrap_or(0);
            }
        }
        (lat(v), totals / (10 * qs2.len().max(1)))
    })
    .await
    .map_err(|e| e.to_string())?;
    let fresh_from = now - cfg.posting_stale_days * 86_400;
    let mut sql_v = Vec::new();
    let mut sql_total = 0usize;
    for q in qs.iter().take(50) {
        let sql = like_sql(q, fresh_from);
        let t = Instant::now();
        let rows = store
            .baseline_texts_blocking(&sql)
            .map_err(|e| e.to_string())?;
        sql_v.push(ms(t.elapsed()));
        sql_total += rows.len();
    }
    let index_total_50: usize = {
        let index = app.listings.clone();
        let qs3: Vec<JobQuery> = qs.iter().take(50).cloned().collect();
        tokio::task::spawn_blocking(move || {
            qs3.iter()
                .map(|q| index.index.search(q, now).map(|h| h.total).unwrap_or(0))
                .sum()
        })
        .await
        .map_err(|e| e.to_string())?
    };
    let sql_lat = lat(sql_v);

    // Recommendations: top 20 for generated seekers, against the naive way (load the
    // seeker's categories from SQL, score them).
    let mut r = Rng::new(99);
    let needs: Vec<Needs> = (0..300)
        .map(|_| Needs::from_profile(&generate::seeker_profile(&mut r)))
        .collect();
    let index = app.listings.clone();
    let n2 = needs.clone();
    let rec_lat = tokio::task::spawn_blocking(move || {
        let mut v = Vec::new();
        for _ in 0..3 {
            for n in &n2 {
                let t = Instant::now();
                let _ = index.index.recommend(n, now, 20);
                v.push(ms(t.elapsed()));
            }
        }
        lat(v)
    })
    .await
    .map_err(|e| e.to_string())?;
    let mut naive = Vec::new();
    for n in needs.iter().take(20) {
        let cats: Vec<String> = n
            .categories
            .iter()
            .map(|c| format!("fields LIKE '%[\"category\",\"{c}\"]%'"))
            .collect();
        let sql = format!(
            "SELECT fields AS v FROM postings WHERE status = 'published' AND confirmed_at >= {fresh_from} AND ({})",
            if cats.is_empty() {
                "1=1".into()
            } else {
                cats.join(" OR ")
            }
        );
        let t = Instant::now();
        let rows = store
            .baseline_texts_blocking(&sql)
            .map_err(|e| e.to_string())?;
        let mut best: Vec<u8> = rows
            .iter()
            .filter_map(|f| serde_json::from_str::<Vec<(String, String)>>(f).ok())
            .filter_map(|f| domain::jobs::Posting::parse(&f).ok())
            .map(|p| {
                let card = domain::jobs::JobCard::from_posting("x", "c", "c", &[], &p, now, now);
                domain::matching::score(n, &card).score
            })
            .collect();
        best.sort_unstable();
        naive.push(ms(t.elapsed()));
    }
    let naive_lat = lat(naive);
    drop(app);

    // The server: start-up, memory, throughput.
    let port = 18_000 + (std::process::id() % 2000) as u16;
    let addr = format!("127.0.0.1:{port}");
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let t = Instant::now();
    let mut child = std::process::Command::new(exe)
        .arg("--data-dir")
        .arg(&cfg.data_dir)
        .args(["serve", "--listen", &addr])
        .env("TSUNAGU_DATABASE_URL", &cfg.database_url)
        .env("TSUNAGU_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let pid = child.id();
    let mut up = false;
    while t.elapsed() < Duration::from_secs(300) {
        if tokio::net::TcpStream::connect(&addr).await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let startup = t.elapsed().as_secs_f64();
    if !up {
        let _ = child.kill();
        return Err("the server did not start".into());
    }
    let rss_idle = proc_kb(pid, "VmRSS:");
    let page = "/jobs?q=%E4%BA%8B%E5%8B%99&pref=13&emp=part_time&hours_max=30";
    let _ = load(&addr, page, 4, 1).await; // warm-up
    let (page_rps, page_lat) = load(&addr, page, 64, s.seconds).await;
    let (health_rps, health_lat) = load(&addr, "/healthz", 64, s.seconds).await;
    let api = "/api/v1/jobs?q=%E4%BA%8B%E5%8B%99&pref=13&emp=part_time&remote=1";
    let (api_rps, api_lat) = load(&addr, api, 64, s.seconds).await;
    let rss_peak = proc_kb(pid, "VmHWM:");
    let rss_after = proc_kb(pid, "VmRSS:");
    let _ = child.kill();
    let _ = child.wait();

    let mut md = String::new();
    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(
        md,
        "Written by `tsunagu bench` on {} (UTC). Re-run: `cargo run --release -- --data-dir /tmp/tsunagu-bench bench` (the directory must be new).\n",
        time::OffsetDateTime::now_utc().date()
    );
    let _ = writeln!(md, "- Machine: {}", machine());
    let _ = writeln!(
        md,
        "- Database: {backend}; the server and the load generator share the machine."
    );
    let _ = writeln!(
        md,
        "- Data: {} companies, {} postings ({} listed; the rest were not confirmed within {} days), {} seekers (30% open to scouts), {}.\n",
        s.companies,
        s.postings,
        listed,
        cfg.posting_stale_days,
        s.seekers,
        if s.reuse && gen_secs < 1.0 {
            "generated by an earlier run".to_owned()
        } else {
            format!("generated in {gen_secs:.0} s")
        }
    );
    let _ = writeln!(md, "## Search: keyword + 3 filters over the postings\n");
    let _ = writeln!(
        md,
        "200 queries (a keyword such as 事務 or プログラマ, prefecture, employment type, and remote / hours / wage), 10 rounds, in the server's index. Baseline: the same query as plain SQL `LIKE` on the same database (50 queries).\n"
    );
    let _ = writeln!(md, "| | p50 ms | p95 ms | p99 ms | target |");
    let _ = writeln!(md, "|---|---|---|---|---|");
    let _ = writeln!(
        md,
        "| index | {:.2} | {:.2} | {:.2} | p95 < 10 ms: {} |",
        search_lat.p50,
        search_lat.p95,
        search_lat.p99,
        if search_lat.p95 < 10.0 {
            "met"
        } else {
            "NOT met"
        }
    );
    let _ = writeln!(
        md,
        "| SQL LIKE baseline | {:.2} | {:.2} | {:.2} | |",
        sql_lat.p50, sql_lat.p95, sql_lat.p99
    );
    let _ = writeln!(
        md,
        "| ratio (baseline / index) | {:.0}× | {:.0}× | {:.0}× | |\n",
        sql_lat.p50 / search_lat.p50.max(0.001),
        sql_lat.p95 / search_lat.p95.max(0.001),
        sql_lat.p99 / search_lat.p99.max(0.001)
    );
    let _ = writeln!(
        md,
        "Mean matches per query: {totals}. Over the 50 baseline queries the index found {index_total_50} and `LIKE` {sql_total} (`LIKE` also matches inside unrelated words and cannot fold ｼｽﾃﾑ or プログラマー).\n"
    );
    let _ = writeln!(md, "## Top-20 recommendations for a seeker\n");
    let _ = writeln!(
        md,
        "300 generated seekers × 3, ranking every listed posting by the matching rules. Baseline: load the postings of the seeker's categories with SQL and score them (20 seekers).\n"
    );
    let _ = writeln!(md, "| | p50 ms | p95 ms | p99 ms | target |");
    let _ = writeln!(md, "|---|---|---|---|---|");
    let _ = writeln!(
        md,
        "| catalogue | {:.2} | {:.2} | {:.2} | p95 < 20 ms: {} |",
        rec_lat.p50,
        rec_lat.p95,
        rec_lat.p99,
        if rec_lat.p95 < 20.0 { "met" } else { "NOT met" }
    );
    let _ = writeln!(
        md,
        "| SQL + score baseline | {:.2} | {:.2} | {:.2} | |",
        naive_lat.p50, naive_lat.p95, naive_lat.p99
    );
    let _ = writeln!(
        md,
        "| ratio (baseline / catalogue) | {:.0}× | {:.0}× | {:.0}× | |\n",
        naive_lat.p50 / rec_lat.p50.max(0.001),
        naive_lat.p95 / rec_lat.p95.max(0.001),
        naive_lat.p99 / rec_lat.p99.max(0.001)
    );
    let _ = writeln!(
        md,
        "## The server under load (64 connections, {} s each)\n",
        s.seconds
    );
    let _ = writeln!(
        md,
        "Baseline: `/healthz`, which does no work, on the same server in the same run: the ceiling of this machine's HTTP stack.\n"
    );
    let _ = writeln!(
        md,
        "| path | requests/s | p50 ms | p95 ms | p99 ms | target |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|");
    let _ = writeln!(
        md,
        "| search page `{page}` | {:.0} | {:.1} | {:.1} | {:.1} | ≥ 2,000/s: {} |",
        page_rps,
        page_lat.p50,
        page_lat.p95,
        page_lat.p99,
        if page_rps >= 2000.0 { "met" } else { "NOT met" }
    );
    let _ = writeln!(
        md,
        "| search API `{api}` | {:.0} | {:.1} | {:.1} | {:.1} | |",
        api_rps, api_lat.p50, api_lat.p95, api_lat.p99
    );
    let _ = writeln!(
        md,
        "| `/healthz` baseline | {:.0} | {:.1} | {:.1} | {:.1} | |",
        health_rps, health_lat.p50, health_lat.p95, health_lat.p99
    );
    let _ = writeln!(
        md,
        "| search page / baseline | {:.2} | | | | |\n",
        page_rps / health_rps.max(1.0)
    );
    let _ = writeln!(md, "## Memory and start-up\n");
    let _ = writeln!(md, "| | figure | target |");
    let _ = writeln!(md, "|---|---|---|");
    let _ = writeln!(
        md,
        "| server resident memory after start-up | {} MB | |",
        rss_idle / 1024
    );
    let _ = writeln!(
        md,
        "| server peak resident memory (after the load) | {} MB | < 500 MB: {} |",
        rss_peak / 1024,
        if rss_peak / 1024 < 500 {
            "met"
        } else {
            "NOT met"
        }
    );
    let _ = writeln!(
        md,
        "| server resident memory after the load | {} MB | |",
        rss_after / 1024
    );
    let _ = writeln!(
        md,
        "| start-up until the server accepts connections (listings loaded) | {:.1} s | |",
        startup
    );
    let _ = writeln!(
        md,
        "| loading the listings alone, in process | {:.1} s | |",
        load_secs
    );
    std::fs::write(out_path, &md).map_err(|e| e.to_string())?;
    Ok(md)
}
