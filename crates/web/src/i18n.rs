//! Interface text in Japanese (default), English and やさしい日本語 (easy Japanese), from
//! Fluent files. Easy Japanese covers the seeker-facing screens; a message it lacks falls
//! back to Japanese. Readings for furigana live beside each Japanese file
//! (`ja.ruby.ftl`, `easy.ruby.ftl`, made by `tools/furigana.py`): the same messages with
//! `｜漢字《かんじ》` marks, which [`Tr::h`] turns into `<ruby>` when furigana is on.
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::fmt;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ja,
    En,
    /// やさしい日本語: Japanese with short sentences and common words.
    Easy,
}

impl Lang {
    /// Every language, in the order the switch offers them.
    pub const ALL: [Lang; 3] = [Lang::Ja, Lang::Easy, Lang::En];

    /// The code stored with an account and in the language cookie.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ja => "ja",
            Self::En => "en",
            Self::Easy => "easy",
        }
    }
    /// The BCP 47 tag for `lang` attributes: easy Japanese is Japanese.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Ja | Self::Easy => "ja",
            Self::En => "en",
        }
    }
    /// The language's own name, as the switch shows it.
    pub fn own_name(self) -> &'static str {
        match self {
            Self::Ja => "日本語",
            Self::En => "English",
            Self::Easy => "やさしい にほんご",
        }
    }
    pub fn is_japanese(self) -> bool {
        self != Self::En
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ja" => Some(Self::Ja),
            "en" => Some(Self::En),
            "easy" => Some(Self::Easy),
            _ => None,
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
    easy: Bundle,
    ja_ruby: Bundle,
    easy_ruby: Bundle,
}

const JA: &str = include_str!("../locales/ja.ftl");
const EN: &str = include_str!("../locales/en.ftl");
const EASY: &str = include_str!("../locales/easy.ftl");
const JA_RUBY: &str = include_str!("../locales/ja.ruby.ftl");
const EASY_RUBY: &str = include_str!("../locales/easy.ruby.ftl");

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
        easy: bundle("ja", EASY),
        ja_ruby: bundle("ja", JA_RUBY),
        easy_ruby: bundle("ja", EASY_RUBY),
    })
}

/// Marks of furigana in the `.ruby.ftl` files: `｜base《reading》`.
const RUBY_START: char = '｜';
const RUBY_OPEN: char = '《';
const RUBY_CLOSE: char = '》';
/// What the marks in argument values (user-entered text) become while a message is
/// built, so that only the message files' own marks turn into ruby.
const SHIELD: [(char, char); 3] = [
    (RUBY_START, '\u{E000}'),
    (RUBY_OPEN, '\u{E001}'),
    (RUBY_CLOSE, '\u{E002}'),
];

/// A message as HTML: escaped, with `<ruby>` where furigana is on. Templates print it
/// as it is (askama does not escape it again).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Msg(String);

impl Msg {
    /// Plain text, escaped.
    pub fn text(s: &str) -> Self {
        let mut out = String::with_capacity(s.len());
        escape_into(&mut out, s);
        Self(out)
    }
    pub fn as_html(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl askama::filters::HtmlSafe for Msg {}

fn escape_into(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Escapes `s` and turns its `｜base《reading》` marks into ruby. The reading is hidden
/// from assistive technology: a screen reader reads the base text once, as written.
fn ruby_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    let mut rest = s;
    while let Some(i) = rest.find(RUBY_START) {
        escape_into(&mut out, &rest[..i]);
        let after = &rest[i + RUBY_START.len_utf8()..];
        let parts = after.split_once(RUBY_OPEN).and_then(|(base, tail)| {
            let (reading, tail) = tail.split_once(RUBY_CLOSE)?;
            (!base.contains(RUBY_START) && !base.contains(RUBY_CLOSE))
                .then_some((base, reading, tail))
        });
        match parts {
            Some((base, reading, tail)) => {
                out.push_str("<ruby>");
                escape_into(&mut out, base);
                out.push_str("<rp aria-hidden=\"true\">(</rp><rt aria-hidden=\"true\">");
                escape_into(&mut out, reading);
                out.push_str("</rt><rp aria-hidden=\"true\">)</rp></ruby>");
                rest = tail;
            }
            None => {
                escape_into(&mut out, &rest[i..i + RUBY_START.len_utf8()]);
                rest = after;
            }
        }
    }
    escape_into(&mut out, rest);
    out
}

/// Removes furigana marks, leaving the base text.
pub fn strip_ruby(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(RUBY_START) {
        out.push_str(&rest[..i]);
        let after = &rest[i + RUBY_START.len_utf8()..];
        match after
            .split_once(RUBY_OPEN)
            .and_then(|(base, tail)| tail.split_once(RUBY_CLOSE).map(|(_, tail)| (base, tail)))
        {
            Some((base, tail)) => {
                out.push_str(base);
                rest = tail;
            }
            None => {
                out.push(RUBY_START);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A translator for one language, handed to every template.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
    /// Furigana over kanji in [`Tr::h`] output.
    pub ruby: bool,
}

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Self { lang, ruby: false }
    }
    pub fn with_ruby(lang: Lang, ruby: bool) -> Self {
        Self { lang, ruby }
    }

    /// The bundles to look a message up in, best first.
    fn chain(&self, ruby: bool) -> &'static [&'static Bundle] {
        static CHAINS: OnceLock<[Vec<&'static Bundle>; 5]> = OnceLock::new();
        let c = CHAINS.get_or_init(|| {
            let b = bundles();
            [
                vec![&b.ja],
                vec![&b.en],
                vec![&b.easy, &b.ja],
                vec![&b.ja_ruby, &b.ja],
                vec![&b.easy_ruby, &b.easy, &b.ja_ruby, &b.ja],
            ]
        });
        match (self.lang, ruby) {
            (Lang::En, _) => &c[1],
            (Lang::Ja, false) => &c[0],
            (Lang::Easy, false) => &c[2],
            (Lang::Ja, true) => &c[3],
            (Lang::Easy, true) => &c[4],
        }
    }

    fn format(&self, key: &str, args: Option<&FluentArgs>, ruby: bool) -> String {
        let found = self
            .chain(ruby)
            .iter()
            .find_map(|b| b.get_message(key).and_then(|m| m.value()).map(|p| (b, p)));
        let Some((b, pattern)) = found else {
            tracing::warn!(key, lang = self.lang.as_str(), "missing message");
            return key.to_owned();
        };
        let mut errors = vec![];
        b.format_pattern(pattern, args, &mut errors).into_owned()
    }

    fn args(args: &[(&str, &str)], shield: bool) -> FluentArgs<'static> {
        let mut fa = FluentArgs::new();
        for (name, value) in args {
            let v = if shield {
                value
                    .chars()
                    .map(|c| SHIELD.iter().find(|(m, _)| *m == c).map_or(c, |(_, s)| *s))
                    .collect()
            } else {
                value.to_string()
            };
            fa.set(name.to_string(), v);
        }
        fa
    }

    /// The message `key`, as plain text.
    pub fn t(&self, key: &str) -> String {
        self.format(key, None, false)
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        self.tn(key, &[(name, value)])
    }

    /// The message `key` with several arguments.
    pub fn tn(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.format(key, Some(&Self::args(args, false)), false)
    }

    /// The message `key` as HTML, with furigana when it is on.
    pub fn h(&self, key: &str) -> Msg {
        self.hn(key, &[])
    }

    pub fn h1(&self, key: &str, name: &str, value: &str) -> Msg {
        self.hn(key, &[(name, value)])
    }

    pub fn hn(&self, key: &str, args: &[(&str, &str)]) -> Msg {
        if !self.ruby || self.lang == Lang::En {
            return Msg::text(&self.format(key, Some(&Self::args(args, false)), false));
        }
        let marked = self.format(key, Some(&Self::args(args, true)), true);
        let mut html = ruby_html(&marked);
        for (m, s) in SHIELD {
            html = html.replace(s, m.encode_utf8(&mut [0; 4]));
        }
        Msg(html)
    }

    pub fn has(&self, key: &str) -> bool {
        self.chain(false).iter().any(|b| b.has_message(key))
    }
}

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
        let ja = keys(JA);
        for k in keys(EASY) {
            assert!(ja.contains(&k), "easy.ftl has {k}, which ja.ftl lacks");
        }
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
        // Easy Japanese falls back to Japanese for what it does not have.
        let easy = Tr::new(Lang::Easy);
        assert_eq!(easy.t("operator-title"), ja.t("operator-title"));
    }

    fn kanji(c: char) -> bool {
        matches!(c, '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '々' | '〆' | 'ヶ')
    }

    /// Each message of a file formatted without arguments (placeables show as `{$x}`).
    fn formatted(src: &'static str) -> Vec<(String, String)> {
        let b = bundle("ja", src);
        keys(src)
            .into_iter()
            .filter_map(|k| {
                let p = b.get_message(&k)?.value()?;
                let mut errors = vec![];
                let v = b.format_pattern(p, None, &mut errors).into_owned();
                Some((k, v))
            })
            .collect()
    }

    #[test]
    fn furigana_files_match_their_message_files() {
        for (name, plain, ruby) in [("ja", JA, JA_RUBY), ("easy", EASY, EASY_RUBY)] {
            let marked: std::collections::HashMap<String, String> =
                formatted(ruby).into_iter().collect();
            for (key, text) in formatted(plain) {
                if !text.chars().any(kanji) {
                    continue;
                }
                let Some(m) = marked.get(&key) else {
                    panic!("{name}.ruby.ftl lacks {key}: run python3 tools/furigana.py");
                };
                assert_eq!(
                    strip_ruby(m),
                    text,
                    "{name}.ruby.ftl is stale for {key}: run python3 tools/furigana.py"
                );
                // Every kanji carries a reading; every reading is hiragana.
                let mut rest = m.as_str();
                let mut outside = String::new();
                while let Some(i) = rest.find(RUBY_START) {
                    outside.push_str(&rest[..i]);
                    let after = &rest[i + RUBY_START.len_utf8()..];
                    let (base, tail) = after.split_once(RUBY_OPEN).unwrap_or(("", after));
                    let (reading, tail) = tail.split_once(RUBY_CLOSE).unwrap_or(("", tail));
                    assert!(!base.is_empty() && !reading.is_empty(), "{key}: bad mark");
                    assert!(
                        reading
                            .chars()
                            .all(|c| ('\u{3041}'..='\u{309f}').contains(&c) || c == 'ー'),
                        "{key}: reading {reading} is not hiragana"
                    );
                    rest = tail;
                }
                outside.push_str(rest);
                assert!(
                    !outside.chars().any(kanji),
                    "{key}: kanji without a reading"
                );
            }
        }
    }

    /// The rules of やさしい日本語 that a program can check, for every message of easy.ftl.
    /// Returns the breaches, one line each.
    fn easy_breaches(messages: &[(String, String)]) -> Vec<String> {
        const MAX_SENTENCE: usize = 40;
        const MAX_KANJI_RUN: usize = 4;
        const DOUBLE_NEGATIVES: [&str; 7] = [
            "ないわけ",
            "なくはな",
            "ないことはな",
            "なくもな",
            "なければ",
            "ずには",
            "ないではな",
        ];
        // Honorific and humble forms: easy Japanese is polite plain form (です・ます).
        const KEIGO: [&str; 6] = ["いただ", "ご覧", "申し上げ", "いたし", "おりま", "お待ち"];
        const ENDINGS: [&str; 10] = [
            "ます",
            "です",
            "ください",
            "ました",
            "ません",
            "でした",
            "か",
            "ましょう",
            "ありがとう",
            "ごめんなさい",
        ];
        let mut out = vec![];
        for (key, value) in messages {
            // Placeables count as one word.
            let mut text = String::new();
            let mut depth = 0;
            for c in value.chars() {
                match c {
                    '{' => {
                        if depth == 0 {
                            text.push('X');
                        }
                        depth += 1;
                    }
                    '}' if depth > 0 => depth -= 1,
                    _ if depth == 0 => text.push(c),
                    _ => {}
                }
            }
            for bad in DOUBLE_NEGATIVES {
                if text.contains(bad) {
                    out.push(format!("{key}: double negative ({bad})"));
                }
            }
            for bad in KEIGO {
                if text.contains(bad) {
                    out.push(format!("{key}: honorific form ({bad})"));
                }
            }
            // Kanji compounds (spaces between words break a run).
            let mut run = 0;
            for c in text.chars() {
                run = if kanji(c) { run + 1 } else { 0 };
                if run > MAX_KANJI_RUN {
                    out.push(format!("{key}: kanji compound longer than {MAX_KANJI_RUN}"));
                    break;
                }
            }
            for sentence in text.split_inclusive(['。', '！', '？', '\n']) {
                let s: String = sentence.chars().filter(|c| !c.is_whitespace()).collect();
                if s.is_empty() {
                    continue;
                }
                let n = s.chars().count();
                if n > MAX_SENTENCE {
                    out.push(format!("{key}: sentence of {n} characters: {s}"));
                }
                if s.matches("ください").count() > 1 {
                    out.push(format!("{key}: more than one instruction: {s}"));
                }
                // A full sentence ends politely; brackets at its end and examples aside.
                if let Some(body) = s.strip_suffix('。') {
                    let mut body = body.to_owned();
                    while let Some(open) = body
                        .ends_with([')', '）', '」'])
                        .then(|| body.rfind(['(', '（', '「']))
                        .flatten()
                    {
                        body.truncate(open);
                    }
                    if !body.starts_with('例') && !ENDINGS.iter().any(|e| body.ends_with(e)) {
                        out.push(format!("{key}: not polite plain form: {s}"));
                    }
                }
            }
        }
        out
    }

    #[test]
    fn easy_japanese_follows_its_rules() {
        let breaches = easy_breaches(&formatted(EASY));
        assert!(breaches.is_empty(), "{}", breaches.join("\n"));
        // The check itself catches each rule.
        let bad = |v: &str| easy_breaches(&[("k".to_owned(), v.to_owned())]);
        assert_eq!(bad("行かなければなりません。").len(), 1);
        assert_eq!(bad("要配慮個人情報です。").len(), 1);
        assert_eq!(bad("書いて ください。送って ください。").len(), 0);
        assert_eq!(bad("書いて、送って ください、押して ください。").len(), 1);
        assert_eq!(bad("ご覧ください。").len(), 1);
        assert_eq!(bad("保存した。").len(), 1);
        assert_eq!(
            bad("これは とても 長い 文で、四十文字を 超えて しまうので、読む 人が 困ります、だから 短く 分けて 書く 必要が ありますが、分けて いません。").len(),
            1
        );
    }

    /// The seeker-facing screens have every message in easy Japanese.
    #[test]
    fn easy_japanese_covers_the_seeker_screens() {
        // Prefixes of messages only other kinds of users see (employers, supporters,
        // the operator) and the posting form's hints.
        const NOT_SEEKER: [&str; 119] = [
            "stats-operator-",
            "stats-people",
            "stats-none",
            "stats-publish",
            "billing-",
            "mail-incident-reminder",
            "console-",
            "incident-",
            "org-",
            "members-",
            "role-",
            "invite-member",
            "invite-cannot",
            "accept-",
            "facility-",
            "family-of-",
            "seeker-",
            "draft-heading",
            "draft-lead",
            "draft-sent",
            "back-to-seeker",
            "nav-company",
            "nav-postings",
            "nav-operator",
            "nav-facility",
            "posting",
            "company-",
            "candidate",
            "cmatch-",
            "operator-",
            "review-",
            "return-",
            "mail-invite-member",
            "mail-stale",
            "status-draft",
            "status-submitted",
            "status-returned",
            "barrier-resolved",
            "report-resolved",
            "rate-",
            "workforce-",
            "interview-propose",
            "interview-slot-",
            "interview-cancel",
            "ledger-decide",
            "ledger-reason-hint",
            "applicants-open",
            "application-internal",
            "application-applicant",
            "application-family-notice",
            "scout-search",
            "scout-f-",
            "scout-found",
            "scout-no-postings",
            "scout-send",
            "scout-sent",
            "nav-scout-search",
            "next-application_new",
            "next-interview_others_asked",
            "next-interview_proposed-supporter",
            "next-application_stage-supporter",
            "next-scout_answered",
            "mail-notice-scout_answered",
            "thread-party-seeker",
            "agency-company",
            "agency-threads",
            "agency-scout-",
            "agency-clients-",
            "checkins-",
            "agency-delegated",
            "agency-ended",
            "reports-",
            "thread-privacy-notice-other",
            "report-open",
            "report-decision",
            "report-title",
            "report-purpose",
            "report-logged",
            "report-sender",
            "report-sent",
            "report-message",
            "report-warned",
            "report-suspended",
            "report-decide",
            "report-side",
            "staff-",
            "team-nav",
            "team-chart",
            "team-health-summary",
            "team-ledger",
            "team-records-not-shared",
            "notice-group-alerts",
            "mail-notice-support_alert",
            "next-alerts-heading",
            "next-alert-badge",
            "next-support_alert",
            "team-title",
            "team-worker",
            "team-checkins",
            "end-",
            "employment-ended",
            "ret-",
            "mon-save",
            "err-month-invalid",
            // The operator's access log and policy versions.
            "audit-",
            "policy-admin-",
            "policy-builtin",
            "policy-current",
            "policy-easy-hint",
            "policy-kind",
            "policy-publish",
            "policy-reached",
            "policy-read",
            "policy-requires",
            "policy-summary-",
            "policy-text",
            "policy-version",
            // The takedown of a posting (operator and company).
            "takedown-",
            "mail-returned-",
        ];
        let easy = keys(EASY);
        let missing: Vec<String> = keys(JA)
            .into_iter()
            .filter(|k| !easy.contains(k))
            .filter(|k| !NOT_SEEKER.iter().any(|p| k.starts_with(p)))
            .filter(|k| {
                !(k.starts_with("cf-") || k.starts_with("pf-") || k.starts_with("a11y-gap"))
            })
            .filter(|k| !k.starts_with("err-") || SEEKER_ERRORS.contains(&k.as_str()))
            .collect();
        assert!(missing.is_empty(), "easy.ftl lacks {missing:?}");
    }

    /// Error messages a seeker can meet (the rest belong to employer and operator forms).
    const SEEKER_ERRORS: [&str; 30] = [
        "err-code-required",
        "err-code-wrong",
        "err-totp-already-on",
        "err-totp-not-on",
        "err-rights-detail-required",
        "err-rights-text-long",
        "err-password-wrong",
        "err-choice-invalid",
        "err-report-reason-required",
        "err-hours-max-below-min",
        "err-thread-closed",
        "err-file-name-invalid",
        "err-file-empty",
        "err-file-too-large",
        "err-file-type-unknown",
        "err-file-type-mismatch",
        "err-files-too-many",
        "err-report-own",
        "err-message-empty",
        "err-attendance-required",
        "err-time-invalid",
        "err-clock-out-before-in",
        "err-clock-not-worked",
        "err-scale-invalid",
        "err-sleep-invalid",
        "err-item-unknown",
        "err-item-value-invalid",
        "err-employment-unknown",
        "err-report-day-closed",
        "err-report-sensitive-consent",
    ];

    #[test]
    fn ruby_html_is_escaped_and_hidden_from_screen_readers() {
        assert_eq!(
            ruby_html("<b>｜漢字《かんじ》</b>"),
            "&lt;b&gt;<ruby>漢字<rp aria-hidden=\"true\">(</rp><rt aria-hidden=\"true\">かんじ</rt><rp aria-hidden=\"true\">)</rp></ruby>&lt;/b&gt;"
        );
        assert_eq!(ruby_html("｜壊れた"), "｜壊れた");
        assert_eq!(strip_ruby("a｜漢字《かんじ》b"), "a漢字b");
        // Marks in user-entered arguments stay text.
        let tr = Tr::with_ruby(Lang::Ja, true);
        let h = tr.h1("privacy-version", "version", "｜悪《わる》");
        assert!(h.as_html().contains("｜悪《わる》"), "{h}");
        assert!(h.as_html().contains("<ruby>"), "{h}");
        assert!(
            !Tr::new(Lang::Ja)
                .h("nav-privacy")
                .as_html()
                .contains("<ruby>")
        );
    }
}
