//! The public listings: the search index kept in step with the database, and the one
//! reading of a search request (pages and the API parse it the same way).
use domain::Fields;
use domain::jobs::POSTING_EMPLOYMENT;
use domain::taxonomy;
use search::{JobIndex, JobQuery, Sort};
use std::sync::{Arc, Mutex};
use store::Store;
use store::jobs::IndexChange;

/// Results per page.
pub const PAGE_SIZE: usize = 20;

pub struct Listings {
    pub index: JobIndex,
    /// The latest change already applied (Unix seconds).
    seen: Mutex<i64>,
    /// The store's listings version this index has caught up with.
    applied: std::sync::atomic::AtomicU64,
    /// One refresh at a time: each re-reads the rows of its last second, so two running
    /// at once could apply an older read of a posting after a newer one.
    refreshing: tokio::sync::Mutex<()>,
}

impl Listings {
    pub fn new(stale_after_days: i64) -> Result<Self, search::SearchError> {
        Ok(Self {
            index: JobIndex::new(stale_after_days)?,
            seen: Mutex::new(i64::MIN),
            applied: std::sync::atomic::AtomicU64::new(0),
            refreshing: tokio::sync::Mutex::new(()),
        })
    }

    /// The store's listings version this index has caught up with.
    pub fn applied(&self) -> u64 {
        self.applied.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Records that the index holds every change up to `version`.
    pub fn mark_applied(&self, version: u64) {
        self.applied
            .fetch_max(version, std::sync::atomic::Ordering::AcqRel);
    }

    /// Applies every posting change since the last refresh (all of them the first
    /// time). Changes are re-read from one second before the last one seen, so a change
    /// committed within the same second is never missed; applying one twice is harmless.
    /// Runs after each change on this node and every few seconds for the others.
    pub async fn refresh(self: &Arc<Self>, store: &Store) -> Result<usize, String> {
        let _one_at_a_time = self.refreshing.lock().await;
        let since = self
            .seen
            .lock()
            .map(|s| s.saturating_sub(1))
            .map_err(|_| "lock".to_string())?;
        let mut applied = 0;
        let mut latest = since;
        let mut after = None;
        loop {
            let (changes, cursor) = store
                .index_changes(since, after.clone(), REFRESH_PAGE)
                .await
                .map_err(|e| e.to_string())?;
            if changes.is_empty() {
                break;
            }
            if let Some((u, _)) = &cursor {
                latest = latest.max(*u);
            }
            after = cursor;
            let n = changes.len();
            let this = self.clone();
            tokio::task::spawn_blocking(move || -> Result<(), search::SearchError> {
                for ch in changes {
                    match ch {
                        IndexChange::Upsert(card) => this.index.upsert(*card)?,
                        IndexChange::Remove(id) => this.index.remove(&id)?,
                    }
                }
                Ok(())
            })
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?;
            applied += n;
            if n < REFRESH_PAGE as usize {
                break;
            }
        }
        if applied == 0 {
            return Ok(0);
        }
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.index.commit())
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?;
        if let Ok(mut s) = self.seen.lock() {
            *s = (*s).max(latest);
        }
        Ok(applied)
    }
}

/// Postings read from the database per step of a refresh.
const REFRESH_PAGE: i64 = 5000;

/// A search request as typed, to show again in the form.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub q: String,
    pub pref: String,
    pub cat: String,
    pub emp: String,
    pub hours_min: String,
    pub hours_max: String,
    pub wage_min: String,
    pub remote: bool,
    /// `remote` as sent: empty, `1`, `true` or `on` (anything else is refused).
    pub remote_raw: String,
    pub acc: Vec<String>,
    pub sort: String,
    pub page: usize,
    /// `page` as sent: empty or a whole number from 1 to 500.
    pub page_raw: String,
}

impl Typed {
    /// Every parameter a search has.
    pub const KEYS: &'static [&'static str] = &[
        "q",
        "pref",
        "cat",
        "emp",
        "hours_min",
        "hours_max",
        "wage_min",
        "remote",
        "acc",
        "sort",
        "page",
    ];

    /// Whether the search narrows anything (a search without conditions matches every
    /// posting, so it is not worth saving).
    pub fn has_conditions(&self) -> bool {
        let texts = [
            &self.q,
            &self.pref,
            &self.cat,
            &self.emp,
            &self.hours_min,
            &self.hours_max,
            &self.wage_min,
        ];
        texts.iter().any(|t| !t.is_empty()) || self.remote || !self.acc.is_empty()
    }

    /// Only a keyword is set.
    pub fn q_only(&self) -> bool {
        let rest = [
            &self.pref,
            &self.cat,
            &self.emp,
            &self.hours_min,
            &self.hours_max,
            &self.wage_min,
        ];
        rest.iter().all(|t| t.is_empty()) && !self.remote && self.acc.is_empty()
    }

    pub fn from_pairs(p: &[(String, String)]) -> Self {
        let one = |k: &str| {
            p.iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.trim().to_owned())
                .unwrap_or_default()
        };
        Typed {
            q: one("q").chars().take(200).collect(),
            pref: one("pref"),
            cat: one("cat"),
            emp: one("emp"),
            hours_min: one("hours_min"),
            hours_max: one("hours_max"),
            wage_min: one("wage_min"),
            remote: !one("remote").is_empty(),
            remote_raw: one("remote"),
            acc: p
                .iter()
                .filter(|(n, v)| n == "acc" && !v.is_empty())
                .map(|(_, v)| v.clone())
                .collect(),
            sort: one("sort"),
            page: one("page").parse().unwrap_or(1).clamp(1, 500),
            page_raw: one("page"),
        }
    }

    /// The search as a query string, without the page (for paging links and saving).
    pub fn query_string(&self) -> String {
        let mut v: Vec<(&str, &str)> = Vec::new();
        for (k, val) in [
            ("q", &self.q),
            ("pref", &self.pref),
            ("cat", &self.cat),
            ("emp", &self.emp),
            ("hours_min", &self.hours_min),
            ("hours_max", &self.hours_max),
            ("wage_min", &self.wage_min),
            ("sort", &self.sort),
        ] {
            if !val.is_empty() {
                v.push((k, val.as_str()));
            }
        }
        if self.remote {
            v.push(("remote", "1"));
        }
        for a in &self.acc {
            v.push(("acc", a));
        }
        serde_urlencoded::to_string(&v).unwrap_or_default()
    }

    /// Parses the search; every problem is reported by field.
    pub fn parse(&self) -> Result<JobQuery, Fields> {
        let mut f = Fields::new();
        let mut num = |field: &'static str, s: &str, max: u32| -> Option<u32> {
            match domain::validate::number::<u32>(&mut f, field, s) {
                Some(v) if v > max => {
                    f.add(field, "number-invalid");
                    None
                }
                v => v,
            }
        };
        let hours_min = num("hours_min", &self.hours_min, 60).map(|h| h as u8);
        let hours_max = num("hours_max", &self.hours_max, 60).map(|h| h as u8);
        let wage_min = num("wage_min", &self.wage_min, 100_000);
        let pref = num("pref", &self.pref, 47).map(|p| p as u8);
        if pref.is_some_and(|p| taxonomy::prefecture(p).is_none()) {
            f.add("pref", "choice-invalid");
        }
        if !self.cat.is_empty() && !taxonomy::is_job_category(&self.cat) {
            f.add("cat", "choice-invalid");
        }
        if !self.emp.is_empty() && !POSTING_EMPLOYMENT.contains(&self.emp.as_str()) {
            f.add("emp", "choice-invalid");
        }
        if self.acc.iter().any(|a| !taxonomy::is_accommodation(a)) {
            f.add("acc", "choice-invalid");
        }
        if !["", "1", "true", "on"].contains(&self.remote_raw.as_str()) {
            f.add("remote", "choice-invalid");
        }
        if !self.page_raw.is_empty()
            && !self
                .page_raw
                .parse::<usize>()
                .is_ok_and(|p| (1..=500).contains(&p))
        {
            f.add("page", "page-invalid");
        }
        let sort = Sort::parse(&self.sort);
        if sort.is_none() {
            f.add("sort", "choice-invalid");
        }
        if let (Some(lo), Some(hi)) = (hours_min, hours_max)
            && hi < lo
        {
            f.add("hours_max", "hours-max-below-min");
        }
        f.into_result()?;
        Ok(JobQuery {
            keywords: self.q.clone(),
            prefecture: pref,
            category: Some(self.cat.clone()).filter(|c| !c.is_empty()),
            employment: Some(self.emp.clone()).filter(|c| !c.is_empty()),
            hours_min,
            hours_max,
            wage_min,
            remote: self.remote,
            accommodations: self.acc.clone(),
            sort: sort.unwrap_or_default(),
            offset: (self.page.min(500) - 1) * PAGE_SIZE,
            limit: PAGE_SIZE,
        })
    }
}
