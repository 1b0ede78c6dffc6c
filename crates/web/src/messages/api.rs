//! The threads API: `GET /api/v1/threads`, `GET`/`POST /api/v1/threads/{id}/messages`,
//! `PUT /api/v1/threads/{id}/supporter`, `GET /api/v1/attachments/{id}`.
use super::{check_body, check_files, refused};
use crate::api::{ApiJson, body, no_content_or_404};
use crate::error::{Failure, WebResult};
use crate::jst::today;
use crate::request::{Req, viewer};
use crate::{AppState, now};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use domain::disclosure::Visibility;
use serde::{Deserialize, Serialize};
use store::disclosure::thread::{MessageView, ThreadView, Via};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ThreadList {
    /// Newest first; `messages` is left out here.
    pub threads: Vec<ThreadView>,
}

#[derive(Serialize, ToSchema)]
pub struct MessageList {
    /// The thread's header (`messages` left out).
    pub thread: ThreadView,
    /// Oldest first: the messages the viewer may read.
    pub messages: Vec<MessageView>,
}

/// A file sent with a message (PDF, PNG, JPEG or plain text, at most 10 MB).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileBody {
    /// The file's name (no `/`, `\\` or control characters); its extension
    /// (`.pdf`, `.png`, `.jpg`, `.jpeg`, `.txt`) must match its content.
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = r"^[^/\\\x00-\x1F\x7F-\x9F]*[^/\\\x00-\x1F\x7F-\x9F\s][^/\\\x00-\x1F\x7F-\x9F]*$"
    )]
    pub name: String,
    /// The content, base64 (standard alphabet, padded).
    #[schema(
        min_length = 4,
        pattern = r"^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
    )]
    pub content_base64: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageBody {
    /// Plain text (links are made clickable; nothing else is rendered); may be empty
    /// when a file goes with it.
    #[schema(
        max_length = 5000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub body: String,
    /// `supporter_only`: the seeker and the linked supporter only (the seeker's side of
    /// a job thread). Default `all`.
    #[serde(default)]
    pub visibility: Option<Visibility>,
    /// At most 3 files.
    #[serde(default)]
    #[schema(max_items = 3)]
    pub attachments: Vec<FileBody>,
}

#[derive(Serialize, ToSchema)]
pub struct MessageCreated {
    pub message_id: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupporterBody {
    /// Whether the linked facility's staff take part in this thread.
    pub joins: bool,
}

pub async fn threads(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<ThreadList>> {
    let v = viewer(&req)?;
    let threads = app
        .store
        .threads(v.user_id.clone(), req.ctx.clone(), today(), now())
        .await?;
    Ok(Json(ThreadList { threads }))
}

pub async fn messages(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<MessageList>> {
    messages_via(&app, &req, id, Via::Party).await
}

/// A thread's messages through one door.
pub(crate) async fn messages_via(
    app: &AppState,
    req: &Req,
    id: String,
    via: Via,
) -> WebResult<Json<MessageList>> {
    let v = viewer(req)?;
    let mut thread = app
        .store
        .open_thread(v.user_id.clone(), id, via, req.ctx.clone(), today(), now())
        .await?
        .ok_or(Failure::NotFound)?
        .into_view();
    let messages = thread.messages.take().unwrap_or_default();
    Ok(Json(MessageList { thread, messages }))
}

pub async fn send(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<MessageBody>,
) -> WebResult<Response> {
    send_via(&app, &req, id, body(b)?, Via::Party).await
}

/// Writes a JSON message through one door (the store refuses "supporter only" to
/// anyone but the seeker's side).
pub(crate) async fn send_via(
    app: &AppState,
    req: &Req,
    id: String,
    b: MessageBody,
    via: Via,
) -> WebResult<Response> {
    let v = viewer(req)?;
    let files = check_files(decode_files(b.attachments)?)?;
    let text = check_body(&b.body, !files.is_empty())?;
    let mid = app
        .store
        .send_message(
            v.user_id.clone(),
            id,
            text,
            b.visibility.unwrap_or(Visibility::All),
            files,
            via,
            app.notice(),
            req.ctx.clone(),
            now(),
        )
        .await?
        .map_err(refused)?;
    Ok((
        StatusCode::CREATED,
        Json(MessageCreated { message_id: mid }),
    )
        .into_response())
}

/// The files of a JSON message, decoded (their content is checked after).
pub(crate) fn decode_files(list: Vec<FileBody>) -> WebResult<Vec<(String, Vec<u8>)>> {
    use base64::Engine;
    use base64::engine::{GeneralPurpose, GeneralPurposeConfig};
    // Standard base64; trailing bits that are not zero are forgiven (some encoders
    // leave them).
    let engine = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
    );
    list.into_iter()
        .enumerate()
        .map(|(i, f)| {
            let bytes = engine.decode(f.content_base64.trim()).map_err(|_| {
                Failure::field(
                    ["attachments.0", "attachments.1", "attachments.2"]
                        .get(i)
                        .copied()
                        .unwrap_or("attachments"),
                    "file-base64-invalid",
                )
            })?;
            Ok((f.name, bytes))
        })
        .collect()
}

pub async fn supporter(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<SupporterBody>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    let b = body(b)?;
    let ok = app
        .store
        .set_thread_supporter(v.user_id.clone(), id, b.joins, req.ctx.clone(), now())
        .await?;
    no_content_or_404(ok)
}

/// A file of a message, to participants who read that message only; always as a
/// download (never shown inside the site).
pub async fn attachment(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let (name, mime, bytes) = app
        .store
        .attachment(v.user_id.clone(), id, Via::Party, req.ctx.clone(), now())
        .await?
        .ok_or(Failure::NotFound)?;
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    let disposition = format!(
        "attachment; filename=\"attachment\"; filename*=UTF-8''{}",
        encoded.replace('+', "%20")
    );
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&mime).map_err(|_| Failure::Internal)?,
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(|_| Failure::Internal)?,
    );
    Ok(resp)
}
