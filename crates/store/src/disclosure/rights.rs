//! The privacy officer's view of a data-subject request: who asked (their name and
//! address, through the account door with the stated purpose `PrivacyRequest`), what
//! they asked and what was answered. Each view is an access-log entry.
use super::{Access, log_read, view_account_tx};
use crate::error::{Result, StoreError};
use crate::schema::rights_requests;
use crate::{DbConn, Keyring};
use diesel::prelude::*;
use domain::rights::{RequestKind, RequestStatus};

/// One request as the privacy officer reads it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OfficerView {
    pub id: String,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub created_at: i64,
    pub due_at: i64,
    pub decided_at: Option<i64>,
    /// `None` once the person's data was erased.
    pub requester_name: Option<String>,
    pub requester_email: Option<String>,
    pub detail: Option<String>,
    pub reply: Option<String>,
}

type Row = (
    String,
    String,
    Vec<u8>,
    i64,
    i64,
    String,
    Option<i64>,
    Option<Vec<u8>>,
);

fn open_or_none(keys: &Keyring, col: &str, id: &str, enc: &[u8]) -> Result<Option<String>> {
    match keys.open_string("rights_requests", col, id, enc) {
        Ok(s) => Ok(Some(s)),
        Err(StoreError::KeyErased) => Ok(None),
        Err(e) => Err(e),
    }
}

pub(crate) fn view_request_tx(
    c: &mut DbConn,
    keys: &Keyring,
    a: &Access<'_>,
    id: &str,
) -> Result<Option<OfficerView>> {
    let row: Option<(String, Row)> = rights_requests::table
        .filter(rights_requests::id.eq(id))
        .select((
            rights_requests::user_id,
            (
                rights_requests::kind,
                rights_requests::status,
                rights_requests::detail_enc,
                rights_requests::created_at,
                rights_requests::due_at,
                rights_requests::id,
                rights_requests::decided_at,
                rights_requests::reply_enc,
            ),
        ))
        .first(c)
        .optional()?;
    let Some((user, (kind, status, detail, created_at, due_at, rid, decided_at, reply))) = row
    else {
        return Ok(None);
    };
    let (Some(kind), Some(status)) = (RequestKind::parse(&kind), RequestStatus::parse(&status))
    else {
        return Ok(None);
    };
    let account = match view_account_tx(c, keys, a, &user) {
        Ok(v) => v.map(|d| d.into_view()),
        Err(StoreError::KeyErased) => None,
        Err(e) => return Err(e),
    };
    let detail = open_or_none(keys, "detail", &rid, &detail)?;
    let reply = match &reply {
        Some(r) => open_or_none(keys, "reply", &rid, r)?,
        None => None,
    };
    log_read(
        c,
        a,
        &user,
        "rights_request.read",
        vec!["rights_request"],
        a.reason,
    )?;
    Ok(Some(OfficerView {
        id: rid,
        kind,
        status,
        created_at,
        due_at,
        decided_at,
        requester_name: account.as_ref().and_then(|v| v.name.clone()),
        requester_email: account.and_then(|v| v.email),
        detail,
        reply,
    }))
}
