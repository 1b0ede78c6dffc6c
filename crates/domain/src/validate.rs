//! Parsing at the boundary: a value that passed here is valid everywhere inside.
//! Errors name the field and a message key; the web layer turns the key into
//! Japanese or English text.
use serde::Serialize;

/// One problem with one field. `code` is a message key (see the web crate's locales).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
}

/// The problems found in one submitted form or request body, in field order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields(pub Vec<FieldError>);

impl Fields {
    pub fn new() -> Self {
        Self(Vec::new())
    }
    pub fn add(&mut self, field: &'static str, code: &'static str) {
        // One message per field: the first problem found is the one to fix first.
        if !self.0.iter().any(|e| e.field == field) {
            self.0.push(FieldError { field, code });
        }
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Collects the error of a parse into this list and gives back the value, if any.
    pub fn take<T>(&mut self, field: &'static str, r: Result<T, &'static str>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(code) => {
                self.add(field, code);
                None
            }
        }
    }
    pub fn into_result(self) -> Result<(), Fields> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

/// An email address, trimmed and with its domain in lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("email-required");
        }
        if s.chars().count() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("email-invalid");
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return Err("email-invalid");
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if local.is_empty() || local.contains('@') || !domain_ok {
            return Err("email-invalid");
        }
        // Local parts are case-sensitive in theory, never in practice; one account per
        // mailbox matters more, so the whole address is folded.
        Ok(Self(format!("{}@{}", local, domain).to_lowercase()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password. Any characters are allowed (paste and password managers work);
/// only the length is checked.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

impl NewPassword {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 256;

    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let n = raw.chars().count();
        if n == 0 {
            Err("password-required")
        } else if n < Self::MIN_CHARS {
            Err("password-too-short")
        } else if n > Self::MAX_CHARS {
            Err("password-too-long")
        } else {
            Ok(Self(raw.to_owned()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn parse_text(
    raw: &str,
    max: usize,
    required: &'static str,
    too_long: &'static str,
) -> Result<String, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(required);
    }
    if s.chars().count() > max {
        return Err(too_long);
    }
    if s.chars().any(|c| c.is_control()) {
        return Err("text-control-chars");
    }
    Ok(s.to_owned())
}

/// A person's name as they write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        parse_text(raw, 100, "name-required", "name-too-long").map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name of a company or facility.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgName(String);

impl OrgName {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        parse_text(raw, 200, "org-name-required", "org-name-too-long").map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse("  Taro@Example.JP ").map(|e| e.0),
            Ok("taro@example.jp".into())
        );
        for bad in [
            "", "a", "a@b", "@b.jp", "a b@c.jp", "a@b..jp", "a@.b.jp", "a@b.jp.",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Email::parse(" "), Err("email-required"));
        assert!(Email::parse("山田@例え.jp").is_ok());
    }

    #[test]
    fn passwords_count_characters_not_bytes() {
        assert_eq!(NewPassword::parse("").err(), Some("password-required"));
        assert_eq!(
            NewPassword::parse("short").err(),
            Some("password-too-short")
        );
        assert!(NewPassword::parse("ながいぱすわーどです").is_ok());
        assert_eq!(
            format!("{:?}", NewPassword::parse("0123456789abc")),
            "Ok(NewPassword(***))"
        );
    }

    #[test]
    fn names() {
        assert_eq!(
            PersonName::parse("  山田 太郎 ").map(|n| n.0),
            Ok("山田 太郎".into())
        );
        assert_eq!(PersonName::parse(" ").err(), Some("name-required"));
        assert_eq!(
            PersonName::parse(&"あ".repeat(101)).err(),
            Some("name-too-long")
        );
        assert_eq!(
            PersonName::parse("a\u{0}b").err(),
            Some("text-control-chars")
        );
        assert_eq!(OrgName::parse("").err(), Some("org-name-required"));
    }

    #[test]
    fn fields_keep_first_error_per_field() {
        let mut f = Fields::new();
        f.add("email", "email-required");
        f.add("email", "email-invalid");
        f.add("name", "name-required");
        assert_eq!(f.0.len(), 2);
        assert_eq!(f.0[0].code, "email-required");
        assert!(f.into_result().is_err());
    }
}

// ------------------------------------------------------------------ numbers and phones

/// Full-width digits (０–９) as ASCII digits; everything else unchanged.
pub fn half_width_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// THE number parser of every form and query: full-width digits and thousands commas
/// (ASCII or full-width) are accepted. Empty is `None` without an error; anything else
/// that is not a number adds `number-invalid` to the field.
pub fn number<T: std::str::FromStr>(f: &mut Fields, field: &'static str, s: &str) -> Option<T> {
    let t: String = half_width_digits(s.trim())
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    if t.is_empty() {
        return None;
    }
    match t.parse() {
        Ok(v) => Some(v),
        Err(_) => {
            f.add(field, "number-invalid");
            None
        }
    }
}

/// THE phone-number rule: digits with optional `-`, `+` and spaces (full-width digits
/// accepted), at least ten digits (Japanese numbers have ten or eleven).
pub fn phone_ok(s: &str) -> bool {
    let s = half_width_digits(s);
    s.chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == '+' || c == ' ')
        && s.chars().filter(char::is_ascii_digit).count() >= 10
}

#[cfg(test)]
mod number_tests {
    use super::*;

    #[test]
    fn numbers_and_phones() {
        let mut f = Fields::new();
        assert_eq!(number::<u32>(&mut f, "w", "１，２００"), Some(1200));
        assert_eq!(number::<u32>(&mut f, "w", " 1,200 "), Some(1200));
        assert_eq!(number::<u32>(&mut f, "w", ""), None);
        assert!(f.is_empty());
        assert_eq!(number::<u32>(&mut f, "w", "-1"), None);
        assert_eq!(number::<u8>(&mut f, "h", "300"), None);
        assert_eq!(f.0.len(), 2);
        assert!(phone_ok("090-1234-5678") && phone_ok("０３ １２３４ ５６７８"));
        assert!(!phone_ok("110") && !phone_ok("abc-defg-hijk"));
    }
}
