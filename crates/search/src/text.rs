//! Japanese text for the index: folding and cutting into bigrams with positions.
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;

/// Kana, kanji and the iteration marks: the scripts written without spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3041}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '々' | '〆')
}

/// NFKC (half-width katakana and full-width ASCII fold to their usual forms), lower
/// case, and no katakana long-vowel marks, so プログラマー and プログラマ are one word.
pub fn normalize(s: &str) -> String {
    s.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| *c != 'ー')
        .collect()
}

/// The tokens of a text in order: bigrams of each run of kana and kanji (a run of one
/// character is itself), or with `unigrams` every character of such a run; and each run
/// of letters and digits as one word. Everything else separates.
pub fn tokens(s: &str, unigrams: bool) -> Vec<String> {
    let n = normalize(s);
    let mut out = Vec::new();
    let mut run: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_run = |run: &mut Vec<char>, out: &mut Vec<String>| {
        if unigrams || run.len() == 1 {
            out.extend(run.iter().map(|c| c.to_string()));
        } else {
            out.extend(run.windows(2).map(|w| w.iter().collect::<String>()));
        }
        run.clear();
    };
    for c in n.chars() {
        if is_cjk(c) {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            run.push(c);
        } else if c.is_alphanumeric() {
            if !run.is_empty() {
                flush_run(&mut run, &mut out);
            }
            word.push(c);
        } else {
            if !run.is_empty() {
                flush_run(&mut run, &mut out);
            }
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
        }
    }
    if !run.is_empty() {
        flush_run(&mut run, &mut out);
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The tantivy tokenizer over [`tokens`].
#[derive(Clone)]
pub struct Ja {
    pub unigrams: bool,
}

pub struct Stream {
    tokens: Vec<Token>,
    next: usize,
    empty: Token,
}

impl Tokenizer for Ja {
    type TokenStream<'a> = Stream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Stream {
        let tokens = tokens(text, self.unigrams)
            .into_iter()
            .enumerate()
            .map(|(i, t)| Token {
                offset_from: 0,
                offset_to: 0,
                position: i,
                text: t,
                position_length: 1,
            })
            .collect();
        Stream {
            tokens,
            next: 0,
            empty: Token::default(),
        }
    }
}

impl TokenStream for Stream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        self.tokens
            .get(self.next.wrapping_sub(1))
            .unwrap_or(&self.empty)
    }
    fn token_mut(&mut self) -> &mut Token {
        match self.tokens.get_mut(self.next.wrapping_sub(1)) {
            Some(t) => t,
            None => &mut self.empty,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_bigrams() {
        assert_eq!(normalize("ｼｽﾃﾑ"), "システム");
        assert_eq!(normalize("プログラマー"), "プログラマ");
        assert_eq!(normalize("ＥＸＣＥＬ"), "excel");
        assert_eq!(tokens("一般事務", false), vec!["一般", "般事", "事務"]);
        assert_eq!(tokens("Excel事務 寮", false), vec!["excel", "事務", "寮"]);
        assert_eq!(tokens("寮あり", true), vec!["寮", "あ", "り"]);
    }
}
