//! What a message may carry: PDF, PNG, JPEG and plain text, at most 10 MB each, the type
//! read from the content (magic bytes) and matching the name's extension.

/// At most this many bytes per file.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// At most this many files per message.
pub const MAX_FILES: usize = 3;
/// At most this many characters in a file name.
pub const MAX_NAME_CHARS: usize = 120;

/// The type of a file from its first bytes, if it is one we take.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if is_text(bytes) {
        Some("text/plain")
    } else {
        None
    }
}

/// UTF-8 text without control characters other than tab, line feed, carriage return
/// and form feed (a byte-order mark is fine).
fn is_text(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok_and(|s| {
        !s.is_empty()
            && s.chars()
                .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
    })
}

/// The types a name's extension stands for.
fn types_of(name: &str) -> &'static [&'static str] {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => &["application/pdf"],
        "png" => &["image/png"],
        "jpg" | "jpeg" => &["image/jpeg"],
        "txt" => &["text/plain"],
        _ => &[],
    }
}

/// Checks one file: the problem's code (for the field), or its type.
pub fn check(name: &str, bytes: &[u8]) -> Result<&'static str, &'static str> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name
            .chars()
            .any(|c| c.is_control() || matches!(c, '/' | '\\'))
    {
        return Err("file-name-invalid");
    }
    if bytes.is_empty() {
        return Err("file-empty");
    }
    if bytes.len() > MAX_BYTES {
        return Err("file-too-large");
    }
    let Some(mime) = sniff(bytes) else {
        return Err("file-type-unknown");
    };
    if !types_of(name).contains(&mime) {
        return Err("file-type-mismatch");
    }
    Ok(mime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_read_from_the_content_and_must_match_the_name() {
        assert_eq!(check("a.pdf", b"%PDF-1.7\n..."), Ok("application/pdf"));
        assert_eq!(check("a.PNG", b"\x89PNG\r\n\x1a\n...."), Ok("image/png"));
        assert_eq!(check("a.jpeg", &[0xFF, 0xD8, 0xFF, 0xE0]), Ok("image/jpeg"));
        assert_eq!(
            check("メモ.txt", "こんにちは\n".as_bytes()),
            Ok("text/plain")
        );
        // A forged extension: the content says otherwise.
        assert_eq!(
            check("cv.pdf", b"MZ\x90\x00 an executable"),
            Err("file-type-unknown")
        );
        assert_eq!(check("cv.pdf", b"plain words"), Err("file-type-mismatch"));
        assert_eq!(
            check("photo.png", &[0xFF, 0xD8, 0xFF, 0xE0]),
            Err("file-type-mismatch")
        );
        assert_eq!(check("run.exe", b"plain words"), Err("file-type-mismatch"));
        assert_eq!(check("a.txt", b""), Err("file-empty"));
        assert_eq!(check("../a.txt", b"x"), Err("file-name-invalid"));
        assert_eq!(
            check("a.txt", &vec![b'a'; MAX_BYTES + 1]),
            Err("file-too-large")
        );
    }
}
