//! HSN (goods) and SAC (services) master search.
//!
//! The official GST directory (21,568 HSN + 680 SAC codes, see
//! `data/SOURCES.md`) is compiled into the binary so lookups need no I/O.
//! It is parsed on first use into sorted entries plus an inverted word index,
//! which keeps a search to tens of microseconds.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::error::GstError;

static HSN_CSV: &str = include_str!("../data/HSN_MSTR.csv");
static SAC_CSV: &str = include_str!("../data/SAC_MSTR.csv");

/// Longest query accepted, to bound work per request.
pub const MAX_QUERY_CHARS: usize = 100;
/// Largest page size.
pub const MAX_PAGE_SIZE: usize = 100;
/// Shorter query words only match whole index words, not prefixes, so that
/// "a" does not expand to half the vocabulary.
const MIN_PREFIX_CHARS: usize = 3;

/// Words too common to discriminate; dropped unless the query has nothing else.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "not", "of", "on", "or", "other",
    "than", "the", "to", "with",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CodeKind {
    /// HSN code from the goods master.
    Goods,
    /// SAC code (always starts with 99).
    Service,
}

/// One master entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HsnEntry {
    pub code: String,
    pub description: String,
    pub kind: CodeKind,
}

/// Why a result matched, in ranking order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    ExactCode,
    CodePrefix,
    AllWords,
    AnyWord,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HsnMatch {
    pub code: String,
    pub description: String,
    pub kind: CodeKind,
    pub match_kind: MatchKind,
    /// For word matches: how many distinct query words matched.
    pub matched_words: usize,
}

/// One page of ranked results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchPage {
    pub query: String,
    /// Total matches across all pages.
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub results: Vec<HsnMatch>,
}

struct Entry {
    code: &'static str,
    description: Cow<'static, str>,
    kind: CodeKind,
}

struct Index {
    /// Sorted by code.
    entries: Vec<Entry>,
    by_code: HashMap<&'static str, u32>,
    /// Sorted vocabulary with posting lists of entry ids (ascending).
    vocab: Vec<(String, Vec<u32>)>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(build_index)
}

/// Parses the embedded CSVs; call at start-up to move the one-off cost
/// (a few tens of milliseconds) out of the first request.
pub fn warm_up() -> usize {
    index().entries.len()
}

fn build_index() -> Index {
    let mut entries = Vec::with_capacity(22_300);
    for (csv, kind) in [(HSN_CSV, CodeKind::Goods), (SAC_CSV, CodeKind::Service)] {
        for (code, description) in parse_csv(csv).skip(1) {
            let code = code.trim();
            if code.is_empty() {
                continue;
            }
            entries.push(Entry {
                code,
                description,
                kind,
            });
        }
    }
    entries.sort_by(|a, b| a.code.cmp(b.code));
    entries.dedup_by(|a, b| a.code == b.code);
    let by_code = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.code, i as u32))
        .collect();
    let mut words: HashMap<String, Vec<u32>> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        for w in tokenize(&e.description) {
            let list = words.entry(w).or_default();
            if list.last() != Some(&(i as u32)) {
                list.push(i as u32);
            }
        }
    }
    let mut vocab: Vec<(String, Vec<u32>)> = words.into_iter().collect();
    vocab.sort_by(|a, b| a.0.cmp(&b.0));
    Index {
        entries,
        by_code,
        vocab,
    }
}

/// Minimal RFC-4180 reader for two-column files: yields (code, description).
/// Borrowed slices wherever no `""` escape needs undoing.
fn parse_csv(text: &'static str) -> impl Iterator<Item = (&'static str, Cow<'static, str>)> {
    text.lines().filter(|l| !l.is_empty()).filter_map(|line| {
        let (code, rest) = line.split_once(',')?;
        let desc = match rest.strip_prefix('"') {
            Some(inner) => {
                let inner = inner.strip_suffix('"').unwrap_or(inner);
                if inner.contains("\"\"") {
                    Cow::Owned(inner.replace("\"\"", "\""))
                } else {
                    Cow::Borrowed(inner)
                }
            }
            None => Cow::Borrowed(rest),
        };
        Some((code, desc))
    })
}

fn tokenize(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
}

/// Exact lookup of an HSN or SAC code.
pub fn lookup(code: &str) -> Option<HsnEntry> {
    let idx = index();
    idx.by_code.get(code.trim()).map(|&i| {
        let e = &idx.entries[i as usize];
        HsnEntry {
            code: e.code.to_string(),
            description: e.description.to_string(),
            kind: e.kind,
        }
    })
}

/// Whether the code exists in the master (no allocation).
pub fn is_known(code: &str) -> bool {
    index().by_code.contains_key(code)
}

/// Ranked, paginated search.
///
/// Ranking: exact code, then codes starting with the query (shorter, i.e.
/// more general, first), then descriptions containing all query words, then
/// any of them (more matched words first). Query words of three or more
/// characters also match longer words ("yarn" finds "yarns").
pub fn search(query: &str, offset: usize, limit: usize) -> Result<SearchPage, GstError> {
    let q = query.trim();
    check_search(q, limit)?;
    let idx = index();
    let compact: String = q.chars().filter(|c| !c.is_whitespace()).collect();
    let ranked = if compact.bytes().all(|b| b.is_ascii_digit()) {
        code_matches(idx, &compact)
    } else {
        word_matches(idx, q)
    };
    let total = ranked.len();
    let results = ranked
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|(i, match_kind, matched_words)| {
            let e = &idx.entries[i as usize];
            HsnMatch {
                code: e.code.to_string(),
                description: e.description.to_string(),
                kind: e.kind,
                match_kind,
                matched_words,
            }
        })
        .collect();
    Ok(SearchPage {
        query: q.to_string(),
        total,
        offset,
        limit,
        results,
    })
}

/// A ranked hit: (entry id, match kind, matched words).
type Ranked = (u32, MatchKind, usize);

/// The trimmed query is 1 to [`MAX_QUERY_CHARS`] characters and the page
/// size 1 to [`MAX_PAGE_SIZE`].
fn check_search(q: &str, limit: usize) -> Result<(), GstError> {
    let chars = q.chars().count();
    if chars == 0 {
        return Err(GstError::invalid("q", "query must not be empty"));
    }
    if chars > MAX_QUERY_CHARS {
        return Err(GstError::LimitExceeded {
            field: "q".into(),
            limit: MAX_QUERY_CHARS,
            actual: chars,
        });
    }
    if limit == 0 || limit > MAX_PAGE_SIZE {
        return Err(GstError::invalid(
            "limit",
            format!("limit must be between 1 and {MAX_PAGE_SIZE}"),
        ));
    }
    Ok(())
}

/// A numeric query: the exact code, then longer codes starting with it
/// (shorter first).
fn code_matches(idx: &Index, compact: &str) -> Vec<Ranked> {
    let mut ranked = Vec::new();
    if let Some(&i) = idx.by_code.get(compact) {
        ranked.push((i, MatchKind::ExactCode, 0));
    }
    // Entries are sorted by code, so the prefix range is contiguous.
    let start = idx.entries.partition_point(|e| e.code < compact);
    let mut prefixed: Vec<u32> = idx.entries[start..]
        .iter()
        .take_while(|e| e.code.starts_with(compact))
        .enumerate()
        .filter(|(_, e)| e.code != compact)
        .map(|(k, _)| (start + k) as u32)
        .collect();
    prefixed.sort_by_key(|&i| (idx.entries[i as usize].code.len(), i));
    ranked.extend(prefixed.into_iter().map(|i| (i, MatchKind::CodePrefix, 0)));
    ranked
}

/// The distinct query words, without stop words unless nothing else is left.
fn query_words(q: &str) -> Vec<String> {
    let mut words: Vec<String> = tokenize(q).collect();
    words.sort();
    words.dedup();
    let meaningful: Vec<String> = words
        .iter()
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .cloned()
        .collect();
    if meaningful.is_empty() {
        words
    } else {
        meaningful
    }
}

/// The ids of entries whose description has an index word matching `w`
/// (whole word, or as a prefix for words of [`MIN_PREFIX_CHARS`] or more),
/// ascending and distinct.
fn word_hits(idx: &Index, w: &str) -> Vec<u32> {
    let mut hits: Vec<u32> = Vec::new();
    let start = idx.vocab.partition_point(|(v, _)| v.as_str() < w);
    for (v, postings) in &idx.vocab[start..] {
        let is_match = if w.chars().count() >= MIN_PREFIX_CHARS {
            v.starts_with(w)
        } else {
            v == w
        };
        if !is_match {
            break;
        }
        hits.extend_from_slice(postings);
    }
    hits.sort_unstable();
    hits.dedup();
    hits
}

/// A text query: entries matching all words, then any (more words first),
/// then shorter codes, then by code.
fn word_matches(idx: &Index, q: &str) -> Vec<Ranked> {
    let words = query_words(q);
    let mut counts = vec![0u8; idx.entries.len()];
    let mut touched: Vec<u32> = Vec::new();
    for w in &words {
        for i in word_hits(idx, w) {
            let c = &mut counts[i as usize];
            if *c == 0 {
                touched.push(i);
            }
            *c = c.saturating_add(1);
        }
    }
    let n = words.len();
    let mut ranked: Vec<Ranked> = touched
        .into_iter()
        .map(|i| {
            let c = counts[i as usize] as usize;
            let kind = if c >= n {
                MatchKind::AllWords
            } else {
                MatchKind::AnyWord
            };
            (i, kind, c)
        })
        .collect();
    ranked.sort_by(|a, b| {
        let (ea, eb) = (&idx.entries[a.0 as usize], &idx.entries[b.0 as usize]);
        (a.1, std::cmp::Reverse(a.2), ea.code.len(), ea.code).cmp(&(
            b.1,
            std::cmp::Reverse(b.2),
            eb.code.len(),
            eb.code,
        ))
    });
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn master_has_all_official_rows() {
        let idx = index();
        let goods = idx
            .entries
            .iter()
            .filter(|e| e.kind == CodeKind::Goods)
            .count();
        let services = idx.entries.len() - goods;
        assert_eq!((goods, services), (21_568, 680));
    }

    #[test]
    fn lookup_exact_codes() {
        let e = lookup("998316").unwrap();
        assert_eq!(e.kind, CodeKind::Service);
        assert!(e.description.to_lowercase().contains("network management"));
        let e = lookup("0101").unwrap();
        assert_eq!(e.description, "LIVE HORSES, ASSES, MULES AND HINNIES.");
        assert_eq!(e.kind, CodeKind::Goods);
        assert!(lookup("12345678").is_none());
        assert!(is_known("5205"));
        assert!(!is_known("0000"));
    }

    #[test]
    fn numeric_query_ranks_exact_then_prefix_by_length() {
        let page = search("9983", 0, 10).unwrap();
        assert_eq!(page.results[0].code, "9983");
        assert_eq!(page.results[0].match_kind, MatchKind::ExactCode);
        assert!(page.total > 1);
        assert!(page.results[1..]
            .iter()
            .all(|m| m.code.starts_with("9983") && m.match_kind == MatchKind::CodePrefix));
        let lens: Vec<usize> = page.results.iter().map(|m| m.code.len()).collect();
        assert!(lens.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn word_query_ranks_all_words_before_any_word() {
        let page = search("cotton yarn", 0, 100).unwrap();
        assert_eq!(page.results[0].match_kind, MatchKind::AllWords);
        let top: Vec<&str> = page.results[..10].iter().map(|m| m.code.as_str()).collect();
        for heading in ["5205", "5206", "5207"] {
            assert!(top.contains(&heading), "{heading} not in {top:?}");
        }
        let kinds: Vec<MatchKind> = page.results.iter().map(|m| m.match_kind).collect();
        assert!(kinds.windows(2).all(|w| w[0] <= w[1]));
        let all = search("cotton yarn", 0, 100).unwrap();
        let last = search("cotton yarn", all.total - 1, 10).unwrap();
        assert_eq!(last.results.len(), 1);
        assert_eq!(last.results[0].match_kind, MatchKind::AnyWord);
    }

    #[test]
    fn software_finds_services_and_goods() {
        let page = search("software", 0, 50).unwrap();
        assert!(page.total >= 10);
        assert!(page.results.iter().any(|m| m.kind == CodeKind::Service));
        assert!(page
            .results
            .iter()
            .all(|m| m.description.to_lowercase().contains("software")));
    }

    #[test]
    fn pagination_is_stable_and_total_is_constant() {
        let a = search("yarn", 0, 5).unwrap();
        let b = search("yarn", 5, 5).unwrap();
        assert_eq!(a.total, b.total);
        assert!(a
            .results
            .iter()
            .all(|x| b.results.iter().all(|y| x.code != y.code)));
        let beyond = search("yarn", a.total + 10, 5).unwrap();
        assert!(beyond.results.is_empty());
    }

    #[test]
    fn rejects_bad_queries() {
        assert_eq!(search("  ", 0, 10).unwrap_err().field(), Some("q"));
        assert_eq!(
            search(&"x".repeat(MAX_QUERY_CHARS + 1), 0, 10)
                .unwrap_err()
                .code(),
            "limit_exceeded"
        );
        assert_eq!(search("yarn", 0, 0).unwrap_err().field(), Some("limit"));
        assert_eq!(search("zzqqxx", 0, 10).unwrap().total, 0);
    }
}
