//! The background sweeps of a server node: certificate reminders, purging expired form
//! drafts, keeping this node's listings in step with postings changed through other
//! nodes, saved-search alerts, notices about postings past their confirmation period, and
//! interview reminders the day before.
use std::time::Duration;
use store::Store;
use web::AppState;
use web::listings::Typed;

/// Hourly: queue the reminder mail for certificates expiring within three months.
pub async fn reminders(store: Store, base: String) {
    loop {
        let base = base.clone();
        let r = store
            .certificate_reminders_due(web::jst::today(), web::now(), move |to, lang| {
                web::mail::certificate_reminder(&base, to, lang)
            })
            .await;
        match r {
            Ok(0) => {}
            Ok(n) => tracing::info!(count = n, "certificate reminders queued"),
            Err(e) => tracing::error!(error = %e, "certificate reminder sweep failed"),
        }
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
}

/// Hourly: drafts past their time are deleted, with their keys.
pub async fn drafts_purge(store: Store) {
    loop {
        match store.drafts_purge(web::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(count = n, "expired drafts deleted"),
            Err(e) => tracing::error!(error = %e, "draft purge failed"),
        }
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
}

/// Every hour: the retention run (closed accounts past their period are erased; see
/// `store::erasure`). Each account is claimed by one conditional update, so nodes
/// running it at the same time erase each account once.
pub async fn retention(store: Store, keeping: store::erasure::Keeping) {
    loop {
        match store.retention_run(keeping, web::now()).await {
            Ok(r) if r == store::erasure::RetentionReport::default() => {}
            Ok(r) => tracing::info!(
                erased = r.accounts_erased,
                records_held = r.records_held,
                holds_released = r.holds_released,
                provision_records_deleted = r.provision_records_deleted,
                "retention run"
            ),
            Err(e) => tracing::error!(error = %e, "retention run failed"),
        }
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
}

/// Hourly: the last month's invoices are issued to every organisation on a plan
/// (`store::billing`); one per organisation and month, so nodes running it at the same
/// time, or again, issue nothing twice.
pub async fn billing(store: Store, issuer: store::billing::Issuer) {
    loop {
        let today = web::jst::today();
        let month = domain::billing::Month::last_ended(today);
        match store
            .billing_run(month, issuer.clone(), today, web::now())
            .await
        {
            Ok(r) if r.issued == 0 => {}
            Ok(r) => tracing::info!(month = %month, issued = r.issued, "invoices issued"),
            Err(e) => tracing::error!(error = %e, "billing run failed"),
        }
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
}

/// Hourly: the privacy officers are reminded of each incident's report deadlines
/// (`store::incidents`), each reminder once across nodes.
pub async fn incident_reminders(store: Store, base: String) {
    loop {
        let base = base.clone();
        let r = store
            .incident_reminders(web::now(), move |lang, id, r, due| {
                web::mail::incident_reminder(&base, lang, id, r, due)
            })
            .await;
        match r {
            Ok(0) => {}
            Ok(n) => tracing::info!(count = n, "incident reminders queued"),
            Err(e) => tracing::error!(error = %e, "incident reminder sweep failed"),
        }
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
}

/// Every few seconds: postings changed through other nodes reach this node's listings.
pub async fn listings_refresh(state: AppState) {
    loop {
        tokio::time::sleep(Duration::from_secs(5)).await;
        state.refresh_listings().await;
    }
}

/// Saved-search alerts and notices about postings past their confirmation period.
pub async fn alerts(state: AppState, every: u64) {
    loop {
        tokio::time::sleep(Duration::from_secs(every.max(1))).await;
        saved_search_alerts(&state).await;
        interview_reminders(&state).await;
        support_alerts(&state.store, state.notice(), web::now()).await;
    }
}

/// The early-warning rules over days at `at`, and escalations (each once across
/// nodes: the store claims the slot and each escalation).
pub async fn support_alerts(
    store: &Store,
    notice: store::selection::Notice,
    at: i64,
) -> store::support::Swept {
    match store.sweep_alerts(at, notice).await {
        Ok(s) => {
            if s.raised + s.escalated > 0 {
                tracing::info!(raised = s.raised, escalated = s.escalated, "support alerts");
            }
            s
        }
        Err(e) => {
            tracing::error!(error = %e, "support alert sweep failed");
            store::support::Swept::default()
        }
    }
}

/// Interviews that start tomorrow (in Japan): the reminder to both sides, once each.
pub async fn interview_reminders(app: &AppState) {
    let tomorrow = domain::interview::LocalTime::of_unix(web::now() + 86_400).date;
    let due = match app.store.interviews_to_remind(tomorrow).await {
        Ok(d) => d,
        Err(e) => {
            tracing::error!(error = %e, "interview reminder sweep failed");
            return;
        }
    };
    for (interview, application) in due {
        if let Err(e) = app
            .store
            .remind_interview(interview, application, app.notice(), web::now())
            .await
        {
            tracing::error!(error = %e, "interview reminder failed");
        }
    }
}

/// Saved-search alerts (new matching postings since the last check) and notices to
/// companies whose postings passed their confirmation period.
pub async fn saved_search_alerts(app: &AppState) {
    app.refresh_listings().await;
    let base = app.cfg.public_url.clone();
    let b2 = base.clone();
    match app
        .store
        .stale_postings_notify(
            web::now(),
            app.cfg.stale_after_days,
            move |to, lang, id, title| web::mail::posting_stale(&b2, to, lang, id, title),
        )
        .await
    {
        Ok(0) => {}
        Ok(n) => tracing::info!(count = n, "stale posting notices queued"),
        Err(e) => tracing::error!(error = %e, "stale posting sweep failed"),
    }
    let searches = match app.store.saved_searches(None).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "saved searches unreadable");
            return;
        }
    };
    let t = web::now();
    for s in searches {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&s.query).unwrap_or_default();
        let Ok(mut q) = Typed::from_pairs(&pairs).parse() else {
            continue;
        };
        q.sort = search::Sort::Newest;
        q.offset = 0;
        q.limit = 100;
        let listings = app.listings.clone();
        let hits = tokio::task::spawn_blocking(move || listings.index.search(&q, t)).await;
        let Ok(Ok(hits)) = hits else {
            continue;
        };
        let new: Vec<String> = hits
            .cards
            .iter()
            // A minute of overlap: a posting published in the second of the last check
            // is not missed (the store tells each posting once).
            .filter(|c| c.published_at >= s.checked_at - 60 && c.published_at >= s.created_at)
            .map(|c| c.id.clone())
            .collect();
        let base = base.clone();
        if let Err(e) = app
            .store
            .alert(s, new, t, move |to, lang, n| {
                web::mail::saved_search(&base, to, lang, n)
            })
            .await
        {
            tracing::error!(error = %e, "saved search alert failed");
        }
    }
}
