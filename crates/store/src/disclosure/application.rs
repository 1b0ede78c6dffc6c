//! The door for an application's own records: its stage and history, the seeker's
//! message, the interviews, the 合理的配慮 ledger, the employment record, and the
//! company's internal sub-stage and note.
//!
//! As for profiles: facts from live rows → `domain::disclosure::application_relationship`
//! → the items of `application_items` → the view built from those items only, with the
//! access-log entry and the provision record of exactly the items that held something,
//! in the same transaction. The loaders below are private to this module.
use super::{Access, Disclosed, family_linked, log_read, record_provision};
use crate::consents::{is_active, is_active_for};
use crate::error::Result;
use crate::hiring::{Employment, EmploymentsOf, employment_rows};
use crate::orgs::{org_name, org_of_kind};
use crate::schema::{
    application_events, application_internal, applications, interview_slots, interviews,
    ledger_acks, ledger_entries, memberships, postings,
};
use crate::{DbConn, Keyring};
use diesel::prelude::*;
use domain::disclosure::{self, AItem, AppFacts, AppRel, Openness};
use domain::hiring::Stage;
use domain::ledger::{Decision, Side};
use domain::{ConsentKind, OrgKind};
use serde::Serialize;
use utoipa::ToSchema;

/// How a viewer stands to one application (for authorising writes: nothing is shown,
/// nothing is logged).
#[derive(Debug, Clone)]
pub(crate) struct Standing {
    pub rel: AppRel,
    pub seeker: String,
    pub org: String,
    pub posting: Option<String>,
    pub stage: Stage,
    pub openness: Openness,
    pub supporter_joins: bool,
    /// The organisation through which the viewer stands (company or facility).
    pub via: Option<String>,
    /// The scout whose acceptance opened the application, if one did.
    pub scout: Option<String>,
}

impl Standing {
    /// The side the viewer writes for in the ledger and the interviews, if any.
    pub fn side(&self) -> Option<Side> {
        match self.rel {
            AppRel::Company => Some(Side::Company),
            r if disclosure::acts_for_seeker(r) => Some(Side::Seeker),
            _ => None,
        }
    }
}

type AppRow = (
    String,
    String,
    Option<String>,
    String,
    String,
    bool,
    Option<String>,
);

fn app_row(c: &mut DbConn, id: &str) -> Result<Option<AppRow>> {
    Ok(applications::table
        .filter(applications::id.eq(id))
        .select((
            applications::seeker_id,
            applications::org_id,
            applications::posting_id,
            applications::openness,
            applications::stage,
            applications::supporter_joins,
            applications::scout_id,
        ))
        .first(c)
        .optional()?)
}

/// The facts of `viewer` towards application `id`, and the relationship they make.
/// `None` when there is no such application.
pub(crate) fn standing(c: &mut DbConn, viewer: &str, id: &str) -> Result<Option<Standing>> {
    let Some((seeker, org, posting, openness, stage, joins, scout)) = app_row(c, id)? else {
        return Ok(None);
    };
    let (Some(stage), Some(openness)) = (Stage::parse(&stage), Openness::parse(&openness)) else {
        return Ok(None);
    };
    let mut f = AppFacts {
        oneself: viewer == seeker,
        live: !matches!(stage, Stage::Withdrawn | Stage::NotHired),
        supporter_joins: joins,
        ..AppFacts::default()
    };
    let mut via = None;
    if !f.oneself {
        let member: i64 = memberships::table
            .filter(memberships::org_id.eq(&org))
            .filter(memberships::user_id.eq(viewer))
            .filter(memberships::ended_at.is_null())
            .count()
            .get_result(c)?;
        f.company_member = member > 0;
        if f.company_member {
            via = Some(org.clone());
        } else {
            for fac in org_of_kind(c, viewer, OrgKind::Facility)? {
                if is_active_for(c, &seeker, ConsentKind::SupporterLink, Some(&fac), None)? {
                    f.linked_supporter = true;
                    // The facility recorded at the hire follows the worker's employment.
                    let hired_with: i64 = crate::schema::employments::table
                        .filter(crate::schema::employments::application_id.eq(id))
                        .filter(crate::schema::employments::supporter_org_id.eq(&fac))
                        .count()
                        .get_result(c)?;
                    f.supporter_joins |= hired_with > 0;
                    via = Some(fac);
                }
            }
            f.family_shares_status = family_linked(c, &seeker, viewer)?
                && is_active_for(
                    c,
                    &seeker,
                    ConsentKind::FamilyShare,
                    Some(viewer),
                    Some("application_status"),
                )?;
        }
    }
    Ok(Some(Standing {
        rel: disclosure::application_relationship(&f),
        seeker,
        org,
        posting,
        stage,
        openness,
        supporter_joins: joins,
        via,
        scout,
    }))
}

// ------------------------------------------------------------------ the view

/// One proposed interview time.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SlotView {
    pub id: String,
    /// Local time in Japan, `YYYY-MM-DDTHH:MM`.
    pub starts_at: String,
    pub minutes: u16,
    pub place: String,
    pub online_url: String,
}

/// An interview: the times proposed, the one chosen, the accommodations provided.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InterviewView {
    pub id: String,
    /// `proposed`, `chosen`, `others_asked` or `cancelled`.
    pub status: String,
    /// Codes of `domain::interview::ACCOMMODATIONS`.
    pub accommodations: Vec<String>,
    pub slots: Vec<SlotView>,
    pub chosen_slot_id: Option<String>,
    /// What the seeker (or the supporter) wrote when asking for other times.
    pub request: String,
    pub sequence: i32,
    pub updated_at: i64,
}

impl InterviewView {
    pub fn chosen(&self) -> Option<&SlotView> {
        let id = self.chosen_slot_id.as_deref()?;
        self.slots.iter().find(|s| s.id == id)
    }
}

/// One version of one ledger item.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LedgerVersion {
    pub id: String,
    pub version: i32,
    /// Who wrote this version.
    pub side: Side,
    /// Codes of the accommodation taxonomy.
    pub codes: Vec<String>,
    /// The difficulty or request, in the seeker's words.
    pub request: String,
    /// What was discussed (the company's record).
    pub discussion: String,
    pub decision: Decision,
    /// Why not possible, or what the alternative is.
    pub reason: String,
    /// The date of the decision, YYYY-MM-DD.
    pub decided_on: Option<String>,
    pub seeker_acknowledged: bool,
    pub company_acknowledged: bool,
    pub created_at: i64,
}

/// One ledger item: every version, oldest first (the last is the current one).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LedgerItem {
    pub item_id: String,
    pub versions: Vec<LedgerVersion>,
}

impl LedgerItem {
    pub fn current(&self) -> Option<&LedgerVersion> {
        self.versions.last()
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StageEvent {
    pub stage: Stage,
    pub at: i64,
}

/// An application as one viewer may see it: the parts the policy withholds are absent.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationView {
    pub id: String,
    pub seeker_id: String,
    pub company_id: String,
    pub company_name: String,
    pub posting_id: Option<String>,
    pub posting_title: Option<String>,
    pub openness: Openness,
    pub stage: Stage,
    pub supporter_joins: bool,
    /// How the viewer stands: `seeker`, `company`, `supporter` or `family`.
    pub relationship: String,
    pub history: Vec<StageEvent>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interviews: Option<Vec<InterviewView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ledger: Option<Vec<LedgerItem>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employment: Option<Employment>,
    /// The company's own sub-stage (company members only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub internal_stage: Option<String>,
    /// The company's own note (company members only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip)]
    pub rel: Option<AppRel>,
    /// The side the viewer writes for (ledger, interviews), if any.
    #[serde(skip)]
    pub side: Option<Side>,
}

fn rel_name(r: AppRel) -> &'static str {
    match r {
        AppRel::Seeker => "seeker",
        AppRel::Company | AppRel::CompanyEnded => "company",
        AppRel::Supporter => "supporter",
        AppRel::Family => "family",
        AppRel::Stranger => "stranger",
    }
}

fn open(keys: &Keyring, table: &str, col: &str, id: &str, v: &[u8]) -> Result<String> {
    keys.open_string(table, col, id, v)
}

fn codes(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

fn load_interviews(c: &mut DbConn, keys: &Keyring, app: &str) -> Result<Vec<InterviewView>> {
    type Row = (
        String,
        String,
        String,
        Option<String>,
        Option<Vec<u8>>,
        i32,
        i64,
    );
    let rows: Vec<Row> = interviews::table
        .filter(interviews::application_id.eq(app))
        .order(interviews::created_at.asc())
        .select((
            interviews::id,
            interviews::status,
            interviews::accommodations,
            interviews::chosen_slot,
            interviews::request_enc,
            interviews::sequence,
            interviews::updated_at,
        ))
        .load(c)?;
    let mut out = Vec::new();
    for (id, status, acc, chosen, req, sequence, updated_at) in rows {
        let slots: Vec<(String, String, i32, String, String)> = interview_slots::table
            .filter(interview_slots::interview_id.eq(&id))
            .order(interview_slots::starts_at.asc())
            .select((
                interview_slots::id,
                interview_slots::starts_at,
                interview_slots::minutes,
                interview_slots::place,
                interview_slots::online_url,
            ))
            .load(c)?;
        let request = match req {
            Some(r) => open(keys, "interviews", "request", &id, &r)?,
            None => String::new(),
        };
        out.push(InterviewView {
            slots: slots
                .into_iter()
                .map(|(id, starts_at, m, place, online_url)| SlotView {
                    id,
                    starts_at,
                    minutes: u16::try_from(m).unwrap_or(0),
                    place,
                    online_url,
                })
                .collect(),
            id,
            status,
            accommodations: codes(&acc),
            chosen_slot_id: chosen,
            request,
            sequence,
            updated_at,
        });
    }
    Ok(out)
}

fn load_ledger(c: &mut DbConn, keys: &Keyring, app: &str) -> Result<Vec<LedgerItem>> {
    type Row = (
        String,
        String,
        i32,
        String,
        Vec<u8>,
        Vec<u8>,
        String,
        Vec<u8>,
        Option<String>,
        String,
        i64,
    );
    let rows: Vec<Row> = ledger_entries::table
        .filter(ledger_entries::application_id.eq(app))
        .order((
            ledger_entries::created_at.asc(),
            ledger_entries::version.asc(),
        ))
        .select((
            ledger_entries::id,
            ledger_entries::item_id,
            ledger_entries::version,
            ledger_entries::codes,
            ledger_entries::request_enc,
            ledger_entries::discussion_enc,
            ledger_entries::decision,
            ledger_entries::reason_enc,
            ledger_entries::decided_on,
            ledger_entries::side,
            ledger_entries::created_at,
        ))
        .load(c)?;
    let mut items: Vec<LedgerItem> = Vec::new();
    for (id, item, version, cs, req, disc, decision, reason, decided_on, side, at) in rows {
        let acks: Vec<String> = ledger_acks::table
            .filter(ledger_acks::entry_id.eq(&id))
            .select(ledger_acks::side)
            .load(c)?;
        let v = LedgerVersion {
            request: open(keys, "ledger_entries", "request", &id, &req)?,
            discussion: open(keys, "ledger_entries", "discussion", &id, &disc)?,
            reason: open(keys, "ledger_entries", "reason", &id, &reason)?,
            seeker_acknowledged: acks.iter().any(|s| s == Side::Seeker.as_str()),
            company_acknowledged: acks.iter().any(|s| s == Side::Company.as_str()),
            id,
            version,
            side: Side::parse(&side).unwrap_or(Side::Seeker),
            codes: codes(&cs),
            decision: Decision::parse(&decision).unwrap_or(Decision::Pending),
            decided_on,
            created_at: at,
        };
        match items.iter_mut().find(|i| i.item_id == item) {
            Some(i) => i.versions.push(v),
            None => items.push(LedgerItem {
                item_id: item,
                versions: vec![v],
            }),
        }
    }
    for i in &mut items {
        i.versions.sort_by_key(|v| v.version);
    }
    Ok(items)
}

/// THE read of an application by anyone: the items of `want` the policy allows the
/// viewer, built, logged and recorded. `None`: the viewer may see nothing (answer 404).
/// Inside a write transaction.
pub(crate) fn open_application_tx(
    c: &mut DbConn,
    keys: &Keyring,
    a: &Access<'_>,
    id: &str,
    want: &[AItem],
) -> Result<Option<Disclosed<ApplicationView>>> {
    let Some(st) = standing(c, a.viewer, id)? else {
        return Ok(None);
    };
    let sensitive = is_active(c, &st.seeker, ConsentKind::SensitiveData)?;
    let items: Vec<AItem> = disclosure::application_items(st.rel, sensitive)
        .into_iter()
        .filter(|i| want.contains(i))
        .collect();
    if !items.contains(&AItem::Stage) {
        return Ok(None);
    }
    let has = |i: AItem| items.contains(&i);
    let history: Vec<(String, i64)> = application_events::table
        .filter(application_events::application_id.eq(id))
        .order(application_events::at.asc())
        .select((application_events::stage, application_events::at))
        .load(c)?;
    let posting_title: Option<String> = match &st.posting {
        Some(p) => postings::table
            .filter(postings::id.eq(p))
            .select(postings::title)
            .first(c)
            .optional()?,
        None => None,
    };
    let message = if has(AItem::Message) {
        let enc: Option<Vec<u8>> = applications::table
            .filter(applications::id.eq(id))
            .select(applications::message_enc)
            .first(c)?;
        match enc {
            Some(m) => Some(open(keys, "applications", "message", id, &m)?),
            None => Some(String::new()),
        }
    } else {
        None
    };
    let interviews = if has(AItem::Interviews) {
        Some(load_interviews(c, keys, id)?)
    } else {
        None
    };
    let ledger = if has(AItem::Ledger) {
        Some(load_ledger(c, keys, id)?)
    } else {
        None
    };
    let employment = if has(AItem::Employment) {
        employment_rows(c, EmploymentsOf::Application(id))?
            .into_iter()
            .next()
    } else {
        None
    };
    let (internal_stage, note) = if has(AItem::Internal) {
        let row: Option<(Vec<u8>, Vec<u8>)> = application_internal::table
            .filter(application_internal::application_id.eq(id))
            .select((
                application_internal::internal_stage_enc,
                application_internal::note_enc,
            ))
            .first(c)
            .optional()?;
        match row {
            Some((s, n)) => (
                Some(open(
                    keys,
                    "application_internal",
                    "internal_stage",
                    id,
                    &s,
                )?),
                Some(open(keys, "application_internal", "note", id, &n)?),
            ),
            None => (Some(String::new()), Some(String::new())),
        }
    } else {
        (None, None)
    };
    // What held something: the provision record names exactly these.
    let mut shown = vec![AItem::Stage];
    if message.as_deref().is_some_and(|m| !m.is_empty()) {
        shown.push(AItem::Message);
    }
    if interviews.as_ref().is_some_and(|v| !v.is_empty()) {
        shown.push(AItem::Interviews);
    }
    if ledger.as_ref().is_some_and(|v| !v.is_empty()) {
        shown.push(AItem::Ledger);
    }
    if employment.is_some() {
        shown.push(AItem::Employment);
    }
    let names: Vec<&'static str> = shown.iter().map(|i| i.as_str()).collect();
    if st.rel != AppRel::Seeker {
        if let Some(basis) = disclosure::application_provision_basis(st.rel) {
            // An application an accepted scout opened rests on the scout.
            let basis = match (basis, &st.scout) {
                ("application", Some(_)) => "scout_accept",
                (b, _) => b,
            };
            record_provision(
                c,
                &st.seeker,
                st.via.as_deref(),
                a.viewer,
                &names.join(","),
                basis,
                a.now,
            )?;
        }
        let mut logged = names.clone();
        if internal_stage.is_some() {
            logged.push(AItem::Internal.as_str());
        }
        log_read(c, a, &st.seeker, "application.read", logged, a.reason)?;
    }
    let view = ApplicationView {
        id: id.to_owned(),
        seeker_id: st.seeker.clone(),
        company_name: org_name(c, &st.org)?.unwrap_or_default(),
        company_id: st.org.clone(),
        posting_id: st.posting.clone(),
        posting_title,
        openness: st.openness,
        stage: st.stage,
        supporter_joins: st.supporter_joins,
        relationship: rel_name(st.rel).to_owned(),
        history: history
            .into_iter()
            .filter_map(|(s, at)| Stage::parse(&s).map(|stage| StageEvent { stage, at }))
            .collect(),
        message,
        interviews,
        ledger,
        employment,
        internal_stage,
        note,
        rel: Some(st.rel),
        side: st.side(),
    };
    Ok(Some(Disclosed { view, items: names }))
}

/// The application an interview belongs to.
pub(crate) fn interview_application(c: &mut DbConn, interview: &str) -> Result<Option<String>> {
    Ok(interviews::table
        .filter(interviews::id.eq(interview))
        .select(interviews::application_id)
        .first(c)
        .optional()?)
}

/// The application a ledger item belongs to.
pub(crate) fn ledger_application(c: &mut DbConn, item_or_entry: &str) -> Result<Option<String>> {
    Ok(ledger_entries::table
        .filter(
            ledger_entries::item_id
                .eq(item_or_entry)
                .or(ledger_entries::id.eq(item_or_entry)),
        )
        .select(ledger_entries::application_id)
        .first(c)
        .optional()?)
}

impl crate::Store {
    /// An application as `viewer` may see it (the items of `want` the policy allows;
    /// logged and recorded), or `None` (answer 404).
    pub async fn open_application(
        &self,
        viewer: String,
        id: String,
        want: &'static [AItem],
        reason: &'static str,
        ctx: crate::accounts::Ctx,
        now: i64,
    ) -> Result<Option<Disclosed<ApplicationView>>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let a = Access::new(&viewer, reason, &ctx, now);
                open_application_tx(c, &keys, &a, &id, want)
            })
            .await
    }
}
