//! The index of public job postings.
//!
//! Japanese has no spaces, so text is cut into overlapping two-character pieces
//! (bigrams) that keep their positions: a word is found as a phrase of its bigrams, so
//! 事務 finds 一般事務 but スタッフ (スタ·タッ·ッフ) does not find アシスタント (…スタ·タン…).
//! Before cutting, text is NFKC-folded (ｼｽﾃﾑ → システム, full-width letters and digits →
//! ASCII), lower-cased, and katakana long vowels are dropped (プログラマー → プログラマ).
//! Single-kanji words (寮, 駅) are looked up in a second field of single characters.
//!
//! The index holds only what every visitor may see: published postings. Beside it, an
//! in-memory catalogue of the same postings (`JobCard`) renders result lists without a
//! database round trip and is what recommendations rank.
#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

mod text;

pub use text::{normalize, tokens};

use domain::jobs::{JobCard, Remote};
use domain::matching::{Key, Match, Needs, NeedsKey};
use std::collections::HashMap;
use std::ops::Bound;
use std::sync::{Arc, Mutex, RwLock};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term,
};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("index lock poisoned")]
    Poisoned,
}

pub type Result<T> = std::result::Result<T, SearchError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    Newest,
    Wage,
}

impl Sort {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "relevance" | "" => Some(Self::Relevance),
            "new" => Some(Self::Newest),
            "wage" => Some(Self::Wage),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Relevance => "relevance",
            Self::Newest => "new",
            Self::Wage => "wage",
        }
    }
}

/// A search: keywords and filters, all of which must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobQuery {
    pub keywords: String,
    pub prefecture: Option<u8>,
    pub category: Option<String>,
    pub employment: Option<String>,
    pub hours_min: Option<u8>,
    pub hours_max: Option<u8>,
    /// Lowest wage as yen per hour (any unit is converted).
    pub wage_min: Option<u32>,
    /// Remote work possible (partly or fully).
    pub remote: bool,
    /// Every one of these must be offered.
    pub accommodations: Vec<String>,
    pub sort: Sort,
    pub offset: usize,
    pub limit: usize,
}

pub struct Hits {
    pub total: usize,
    pub cards: Vec<Arc<JobCard>>,
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    slot: Field,
    title: Field,
    body: Field,
    title1: Field,
    body1: Field,
    pref: Field,
    category: Field,
    employment: Field,
    remote: Field,
    acc: Field,
    hours: Field,
    wage: Field,
    published: Field,
    confirmed: Field,
}

#[derive(Default)]
struct Catalog {
    cards: Vec<Option<Arc<JobCard>>>,
    /// The same postings packed for ranking (same slots).
    keys: Vec<Option<Key>>,
    by_id: HashMap<String, usize>,
    free: Vec<usize>,
    /// Slots freed since the last commit: still referenced by visible documents.
    freed: Vec<usize>,
}

/// The index and its catalogue. Cheap to share (`Arc`).
pub struct JobIndex {
    f: Fields,
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    catalog: RwLock<Catalog>,
    /// Days after its last confirmation that a posting leaves the listings.
    stale_after_days: i64,
}

const BIGRAM: &str = "ja_bigram";
const UNIGRAM: &str = "ja_unigram";
/// How much more a match in the title counts than one in the body.
const TITLE_BOOST: f32 = 3.0;
/// Catalogue cards keep this many characters of the body (for result snippets).
const SNIPPET_CHARS: usize = 120;

impl JobIndex {
    pub fn new(stale_after_days: i64) -> Result<Self> {
        let mut sb = Schema::builder();
        let text_opts = |tok: &str, rec: IndexRecordOption| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tok)
                    .set_index_option(rec),
            )
        };
        let pos = IndexRecordOption::WithFreqsAndPositions;
        let f = Fields {
            id: sb.add_text_field("id", STRING),
            slot: sb.add_u64_field("slot", FAST),
            title: sb.add_text_field("title", text_opts(BIGRAM, pos)),
            body: sb.add_text_field("body", text_opts(BIGRAM, pos)),
            title1: sb.add_text_field("title1", text_opts(UNIGRAM, IndexRecordOption::Basic)),
            body1: sb.add_text_field("body1", text_opts(UNIGRAM, IndexRecordOption::Basic)),
            pref: sb.add_text_field("pref", STRING),
            category: sb.add_text_field("category", STRING),
            employment: sb.add_text_field("employment", STRING),
            remote: sb.add_text_field("remote", STRING),
            acc: sb.add_text_field("acc", STRING),
            hours: sb.add_u64_field("hours", FAST | INDEXED),
            wage: sb.add_u64_field("wage", FAST | INDEXED),
            published: sb.add_i64_field("published", FAST),
            confirmed: sb.add_i64_field("confirmed", FAST),
        };
        let index = Index::create_in_ram(sb.build());
        index
            .tokenizers()
            .register(BIGRAM, TextAnalyzer::from(text::Ja { unigrams: false }));
        index
            .tokenizers()
            .register(UNIGRAM, TextAnalyzer::from(text::Ja { unigrams: true }));
        let writer = index.writer_with_num_threads(1, 32_000_000)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            f,
            index,
            reader,
            writer: Mutex::new(writer),
            catalog: RwLock::new(Catalog::default()),
            stale_after_days,
        })
    }

    pub fn stale_after_days(&self) -> i64 {
        self.stale_after_days
    }

    /// Adds or replaces a posting (visible after [`JobIndex::commit`]).
    pub fn upsert(&self, card: JobCard) -> Result<()> {
        let f = self.f;
        let writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        let mut cat = self.catalog.write().map_err(|_| SearchError::Poisoned)?;
        writer.delete_term(Term::from_field_text(f.id, &card.id));
        let slot = match cat.by_id.get(&card.id) {
            Some(s) => *s,
            None => match cat.free.pop() {
                Some(s) => s,
                None => {
                    cat.cards.push(None);
                    cat.keys.push(None);
                    cat.cards.len() - 1
                }
            },
        };
        let mut d = TantivyDocument::default();
        d.add_text(f.id, &card.id);
        d.add_u64(f.slot, slot as u64);
        d.add_text(f.title, &card.title);
        d.add_text(f.body, &card.body);
        d.add_text(f.title1, &card.title);
        d.add_text(f.body1, &card.body);
        d.add_text(f.pref, card.prefecture.to_string());
        d.add_text(f.category, &card.category);
        d.add_text(
            f.employment,
            domain::jobs::employment_code(card.employment_type),
        );
        if card.remote != Remote::None {
            d.add_text(f.remote, "1");
        }
        for a in &card.accommodations {
            d.add_text(f.acc, a);
        }
        d.add_u64(f.hours, u64::from(card.hours_per_week));
        d.add_u64(f.wage, u64::from(card.hourly_wage));
        d.add_i64(f.published, card.published_at);
        d.add_i64(f.confirmed, card.confirmed_at);
        writer.add_document(d)?;
        if let Some(k) = cat.keys.get_mut(slot) {
            *k = Some(Key::of(&card));
        }
        let mut card = card;
        if card.body.chars().count() > SNIPPET_CHARS {
            card.body = card.body.chars().take(SNIPPET_CHARS).collect();
        }
        cat.by_id.insert(card.id.clone(), slot);
        if let Some(c) = cat.cards.get_mut(slot) {
            *c = Some(Arc::new(card));
        }
        Ok(())
    }

    /// Takes a posting out (closed, returned, withdrawn).
    pub fn remove(&self, id: &str) -> Result<()> {
        let writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        let mut cat = self.catalog.write().map_err(|_| SearchError::Poisoned)?;
        writer.delete_term(Term::from_field_text(self.f.id, id));
        if let Some(slot) = cat.by_id.remove(id) {
            if let Some(c) = cat.cards.get_mut(slot) {
                *c = None;
            }
            if let Some(k) = cat.keys.get_mut(slot) {
                *k = None;
            }
            cat.freed.push(slot);
        }
        Ok(())
    }

    /// Makes every change so far visible to searches.
    pub fn commit(&self) -> Result<()> {
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        writer.commit()?;
        self.reader.reload()?;
        let mut cat = self.catalog.write().map_err(|_| SearchError::Poisoned)?;
        let freed = std::mem::take(&mut cat.freed);
        cat.free.extend(freed);
        Ok(())
    }

    /// The card of a posting in the public listings, whether fresh or not.
    pub fn card(&self, id: &str) -> Option<Arc<JobCard>> {
        let cat = self.catalog.read().ok()?;
        let slot = cat.by_id.get(id)?;
        cat.cards.get(*slot).cloned().flatten()
    }

    pub fn len(&self) -> usize {
        self.catalog.read().map(|c| c.by_id.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn keyword_query(&self, words: &str) -> Option<Box<dyn Query>> {
        let f = self.f;
        let mut musts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in normalize(words).split_whitespace() {
            let toks = tokens(word, false);
            let single_kanji = toks.len() == 1
                && toks[0].chars().count() == 1
                && text::is_cjk(toks[0].chars().next().unwrap_or(' '));
            let field_query = |field: Field, uni: Field| -> Box<dyn Query> {
                if single_kanji {
                    Box::new(TermQuery::new(
                        Term::from_field_text(uni, &toks[0]),
                        IndexRecordOption::Basic,
                    ))
                } else if toks.len() == 1 {
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, &toks[0]),
                        IndexRecordOption::WithFreqs,
                    ))
                } else {
                    Box::new(PhraseQuery::new(
                        toks.iter()
                            .map(|t| Term::from_field_text(field, t))
                            .collect(),
                    ))
                }
            };
            if toks.is_empty() {
                continue;
            }
            let either: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(field_query(f.title, f.title1), TITLE_BOOST)),
                ),
                (Occur::Should, field_query(f.body, f.body1)),
            ]));
            musts.push((Occur::Must, either));
        }
        if musts.is_empty() {
            None
        } else {
            Some(Box::new(BooleanQuery::new(musts)))
        }
    }

    fn build(&self, q: &JobQuery, now: i64) -> Box<dyn Query> {
        let f = self.f;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        match self.keyword_query(&q.keywords) {
            Some(k) => clauses.push((Occur::Must, k)),
            None => clauses.push((Occur::Must, Box::new(AllQuery))),
        }
        let mut filter = |qq: Box<dyn Query>| {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(qq, 0.0))));
        };
        let term = |field: Field, v: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, v),
                IndexRecordOption::Basic,
            ))
        };
        if let Some(p) = q.prefecture {
            filter(term(f.pref, &p.to_string()));
        }
        if let Some(c) = &q.category {
            filter(term(f.category, c));
        }
        if let Some(e) = &q.employment {
            filter(term(f.employment, e));
        }
        if q.remote {
            filter(term(f.remote, "1"));
        }
        for a in &q.accommodations {
            filter(term(f.acc, a));
        }
        if q.hours_min.is_some() || q.hours_max.is_some() {
            let lo = q.hours_min.map_or(Bound::Unbounded, |h| {
                Bound::Included(Term::from_field_u64(f.hours, u64::from(h)))
            });
            let hi = q.hours_max.map_or(Bound::Unbounded, |h| {
                Bound::Included(Term::from_field_u64(f.hours, u64::from(h)))
            });
            filter(Box::new(RangeQuery::new(lo, hi)));
        }
        if let Some(w) = q.wage_min {
            filter(Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_u64(f.wage, u64::from(w))),
                Bound::Unbounded,
            )));
        }
        // 求人情報の的確表示: a posting not confirmed for the set period is not listed.
        let fresh_from = now - self.stale_after_days * 86_400;
        filter(Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_i64(f.confirmed, fresh_from)),
            Bound::Unbounded,
        )));
        Box::new(BooleanQuery::new(clauses))
    }

    /// Runs a search; `total` counts every match, `cards` is the requested page.
    pub fn search(&self, q: &JobQuery, now: i64) -> Result<Hits> {
        let searcher = self.reader.searcher();
        let query = self.build(q, now);
        let limit = q.limit.clamp(1, 100);
        let top = TopDocs::with_limit(limit).and_offset(q.offset);
        let (addrs, total): (Vec<DocAddress>, usize) = match q.sort {
            Sort::Relevance => {
                let (hits, n) = searcher.search(&query, &(top, Count))?;
                (hits.into_iter().map(|(_, a)| a).collect(), n)
            }
            Sort::Newest => {
                let (hits, n) = searcher.search(
                    &query,
                    &(
                        top.order_by_fast_field::<i64>("published", Order::Desc),
                        Count,
                    ),
                )?;
                (hits.into_iter().map(|(_, a)| a).collect(), n)
            }
            Sort::Wage => {
                let (hits, n) = searcher.search(
                    &query,
                    &(top.order_by_fast_field::<u64>("wage", Order::Desc), Count),
                )?;
                (hits.into_iter().map(|(_, a)| a).collect(), n)
            }
        };
        let cat = self.catalog.read().map_err(|_| SearchError::Poisoned)?;
        let mut cards = Vec::with_capacity(addrs.len());
        for a in addrs {
            let col = searcher
                .segment_reader(a.segment_ord)
                .fast_fields()
                .u64("slot")?;
            if let Some(slot) = col.first(a.doc_id)
                && let Some(Some(c)) = cat.cards.get(slot as usize)
            {
                cards.push(c.clone());
            }
        }
        Ok(Hits { total, cards })
    }

    /// The `k` fresh postings that match a seeker best, with reasons. Ranks the packed
    /// keys (one pass over a contiguous array), then explains only the best.
    pub fn recommend(&self, needs: &Needs, now: i64, k: usize) -> Vec<(Arc<JobCard>, Match)> {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        let Ok(cat) = self.catalog.read() else {
            return Vec::new();
        };
        let nk = NeedsKey::of(needs);
        let fresh_from = now - self.stale_after_days * 86_400;
        let mut heap: BinaryHeap<Reverse<(u8, i64, Reverse<usize>)>> =
            BinaryHeap::with_capacity(k + 1);
        for (slot, key) in cat.keys.iter().enumerate() {
            let Some(key) = key else { continue };
            if key.confirmed_at < fresh_from {
                continue;
            }
            let s = if key.overflow {
                match cat.cards.get(slot) {
                    Some(Some(c)) => domain::matching::points(needs, c),
                    _ => continue,
                }
            } else {
                domain::matching::points_key(&nk, key)
            };
            heap.push(Reverse((s, key.published_at, Reverse(slot))));
            if heap.len() > k {
                heap.pop();
            }
        }
        let mut best: Vec<(u8, i64, Reverse<usize>)> =
            heap.into_iter().map(|Reverse(x)| x).collect();
        best.sort_by(|a, b| b.cmp(a));
        best.into_iter()
            .filter_map(|(_, _, Reverse(slot))| cat.cards.get(slot).cloned().flatten())
            .map(|c| {
                let m = domain::matching::score(needs, &c);
                (c, m)
            })
            .collect()
    }

    /// Used by the benchmark: the index's own size in memory, roughly.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    #[doc(hidden)]
    pub fn index(&self) -> &Index {
        &self.index
    }
}
