//! Interface text in Japanese (default) and English, from Fluent files.
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::sync::{Arc, OnceLock};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ja => "ja",
            Self::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ja" => Some(Self::Ja),
            "en" => Some(Self::En),
            _ => None,
        }
    }
    pub fn other(self) -> Self {
        match self {
            Self::Ja => Self::En,
            Self::En => Self::Ja,
        }
    }
    /// The first supported language in an Accept-Language header; Japanese otherwise.
    pub fn from_accept_language(header: &str) -> Self {
        for part in header.split(',') {
            let tag = part
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if tag.starts_with("ja") {
                return Self::Ja;
            }
            if tag.starts_with("en") {
                return Self::En;
            }
        }
        Self::Ja
    }
}

type Bundle = FluentBundle<FluentResource>;

struct Bundles {
    ja: Bundle,
    en: Bundle,
}

const JA: &str = include_str!("../locales/ja.ftl");
const EN: &str = include_str!("../locales/en.ftl");

fn bundle(lang: &str, src: &'static str) -> Bundle {
    let id = match lang {
        "en" => unic_langid::langid!("en"),
        _ => unic_langid::langid!("ja"),
    };
    let mut b = FluentBundle::new_concurrent(vec![id]);
    b.set_use_isolating(false);
    // A file that fails to parse is caught by the test below; what parsed is still used.
    let res = FluentResource::try_new(src.to_owned()).unwrap_or_else(|(r, _)| r);
    let _ = b.add_resource(res);
    b
}

fn bundles() -> &'static Bundles {
    static B: OnceLock<Bundles> = OnceLock::new();
    B.get_or_init(|| Bundles {
        ja: bundle("ja", JA),
        en: bundle("en", EN),
    })
}

/// A translator for one language, handed to every template.
#[derive(Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    fn bundle(&self) -> &'static Bundle {
        match self.lang {
            Lang::Ja => &bundles().ja,
            Lang::En => &bundles().en,
        }
    }

    fn format(&self, key: &str, args: Option<&FluentArgs>) -> String {
        let b = self.bundle();
        let Some(pattern) = b.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, lang = self.lang.as_str(), "missing message");
            return key.to_owned();
        };
        let mut errors = vec![];
        b.format_pattern(pattern, args, &mut errors).into_owned()
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        self.tn(key, &[(name, value)])
    }

    /// The message `key` with several arguments.
    pub fn tn(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut fa = FluentArgs::new();
        for (name, value) in args {
            fa.set(name.to_string(), value.to_string());
        }
        self.format(key, Some(&fa))
    }

    pub fn has(&self, key: &str) -> bool {
        self.bundle().has_message(key)
    }
}

pub type SharedTr = Arc<Tr>;

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(src: &str) -> Vec<String> {
        let res = FluentResource::try_new(src.to_owned())
            .map_err(|(_, e)| format!("{e:?}"))
            .unwrap();
        let mut v: Vec<String> = res
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn both_languages_parse_and_have_the_same_messages() {
        assert_eq!(keys(JA), keys(EN));
        assert!(keys(JA).len() > 100);
    }

    #[test]
    fn arguments_and_fallback() {
        let ja = Tr::new(Lang::Ja);
        assert_eq!(ja.t("nav-login"), "ログイン");
        assert!(
            ja.t1("privacy-version", "version", "2026-11-01")
                .contains("2026-11-01")
        );
        assert_eq!(Tr::new(Lang::En).t("nav-login"), "Sign in");
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Lang::En);
        assert_eq!(Lang::from_accept_language("fr"), Lang::Ja);
    }
}
