//! Message threads: one per application (an accepted scout opens one), one per
//! employment, and the support thread with the linked facility. The API and the pages;
//! every read goes through the store's door (`open_thread`), every write is authorised
//! there by the sender's standing in the thread.
pub mod agency;
pub mod api;
pub mod pages;
pub mod reports;

use crate::error::{Failure, WebResult};
use domain::attachment;
use store::messages::{MessageRefused, NewAttachment};

/// At most this many characters per message.
pub const MAX_BODY_CHARS: usize = 5000;

/// The request-body limit of a message with its files (base64 in JSON is 4/3 larger).
pub const MAX_REQUEST_BYTES: usize =
    attachment::MAX_FILES * attachment::MAX_BYTES * 4 / 3 + 64 * 1024;

pub(crate) fn refused(r: MessageRefused) -> Failure {
    match r {
        MessageRefused::NotFound => Failure::NotFound,
        MessageRefused::Closed => Failure::Conflict("err-thread-closed"),
        MessageRefused::SupporterOnlyNotAllowed => Failure::field("visibility", "choice-invalid"),
        MessageRefused::NoFileStore => Failure::field("attachments", "file-store-missing"),
        MessageRefused::Suspended => Failure::Conflict("err-account-suspended"),
    }
}

/// A message body: plain text within the length, no control characters; not blank
/// unless a file goes with it.
pub(crate) fn check_body(s: &str, has_files: bool) -> WebResult<String> {
    let t = s.trim();
    if t.is_empty() && !has_files {
        return Err(Failure::field("body", "message-empty"));
    }
    if t.chars().count() > MAX_BODY_CHARS {
        return Err(Failure::field("body", "text-too-long"));
    }
    if t.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(Failure::field("body", "text-invalid"));
    }
    Ok(t.to_owned())
}

/// Checks the files of one message by their content; the field of the first problem.
pub(crate) fn check_files(files: Vec<(String, Vec<u8>)>) -> WebResult<Vec<NewAttachment>> {
    if files.len() > attachment::MAX_FILES {
        return Err(Failure::field("attachments", "files-too-many"));
    }
    files
        .into_iter()
        .map(|(name, bytes)| {
            let mime = attachment::check(&name, &bytes)
                .map_err(|code| Failure::field("attachments", code))?;
            Ok(NewAttachment {
                name: name.trim().to_owned(),
                mime,
                bytes,
            })
        })
        .collect()
}

/// A piece of a message body as shown: text, or a link (http and https only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Link(String),
}

/// Splits plain text into text and links: nothing else in a message is rendered.
pub fn linkify(body: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = body;
    loop {
        let next = ["https://", "http://"]
            .iter()
            .filter_map(|p| rest.find(p))
            .min();
        let Some(at) = next else { break };
        let end = rest[at..]
            .find(|c: char| c.is_whitespace() || "<>\"'「」（）()、。".contains(c))
            .map_or(rest.len(), |e| at + e);
        let mut url = &rest[at..end];
        // A sentence's full stop or comma after a link is not part of it.
        while let Some(u) = url.strip_suffix(['.', ',', ';', ':', '!', '?']) {
            url = u;
        }
        let end = at + url.len();
        if url.len() > "https://".len() {
            if at > 0 {
                out.push(Piece::Text(rest[..at].to_owned()));
            }
            out.push(Piece::Link(url.to_owned()));
        } else {
            out.push(Piece::Text(rest[..end].to_owned()));
        }
        rest = &rest[end..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_owned()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_found_and_nothing_else_is_markup() {
        assert_eq!(
            linkify("見てください https://example.jp/a?b=1。よろしく"),
            vec![
                Piece::Text("見てください ".into()),
                Piece::Link("https://example.jp/a?b=1".into()),
                Piece::Text("。よろしく".into()),
            ]
        );
        assert_eq!(
            linkify("<b>x</b> javascript:alert(1)"),
            vec![Piece::Text("<b>x</b> javascript:alert(1)".into())]
        );
        assert_eq!(
            linkify("see http://a.example."),
            vec![
                Piece::Text("see ".into()),
                Piece::Link("http://a.example".into()),
                Piece::Text(".".into())
            ]
        );
        assert_eq!(linkify("https://"), vec![Piece::Text("https://".into())]);
    }
}
