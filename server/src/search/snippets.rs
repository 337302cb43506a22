//! Snippets for the embedded engine: the passage of a text that best shows why it matched,
//! with the query's words marked.
//!
//! tantivy's snippet generator runs the whole passage through the document language's
//! stemmer, and stemming every word of twenty bodies was most of a search's time (Greek
//! most of all). Here the passage is only folded (lower case, no accents), which is cheap,
//! and a word is stemmed only when its first letters already agree with a query word's, so
//! "banking" still marks "banked" while "the" and "person" cost nothing. Owns no state; the
//! engine hands in its analyzers.

use std::sync::Arc;

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use super::analysis::FoldedWords;
use super::query::{MARK_END, MARK_START};
use super::typos::SpellingMatcher;

/// Letters a word and a query word must share before the word is worth stemming. Stems of
/// one word agree on more than this in every language the index stems.
const SHARED_START: usize = 3;

/// One query word as the snippet looks for it.
#[derive(Debug, Clone)]
pub struct Wanted {
    pub folded: String,
    /// The word as the document's language stems it, if the language has a stemmer.
    pub stem: Option<String>,
    /// Whether longer words starting with it count (the word being typed).
    pub prefix: bool,
    /// The other spellings the search accepted for it (typos), if it allows any.
    pub spellings: Option<Arc<SpellingMatcher>>,
}

struct Found {
    from: usize,
    to: usize,
    /// Which query word it is, or None for a word that is not one.
    wanted: Option<usize>,
}

fn start_of(word: &str) -> &str {
    match word.char_indices().nth(SHARED_START) {
        Some((at, _)) => &word[..at],
        None => word,
    }
}

/// Finds the query's words in `text` and returns at most `max_chars` (bytes, rounded down
/// to a word) around the best group of them, marked; None when no word is found.
pub fn snippet(
    text: &str,
    wanted: &[Wanted],
    folded: &mut TextAnalyzer,
    mut stemmer: Option<&mut TextAnalyzer>,
    max_chars: usize,
) -> Option<String> {
    if text.is_empty() || wanted.is_empty() {
        return None;
    }
    let mut words: Vec<Found> = Vec::new();
    let mut seen = vec![false; wanted.len()];
    let mut distinct = 0;
    // Once every query word has been seen, the earliest window holding them all starts at
    // or before that word, so the text beyond that word plus one window cannot change the
    // snippet: most hits stop reading well short of the 2,000 bytes they are given.
    let mut enough_at: Option<usize> = None;
    let mut stream = FoldedWords::new(text, folded);
    let window = loop {
        let mut more = false;
        while stream.advance() {
            let (from, to) = (stream.from, stream.to);
            let which = which_wanted(
                stream.folded(),
                &text[from..to],
                wanted,
                stemmer.as_deref_mut(),
            );
            if let Some(w) = which {
                if !seen[w] {
                    seen[w] = true;
                    distinct += 1;
                    if distinct == wanted.len() {
                        enough_at = Some(from + max_chars);
                    }
                }
            }
            words.push(Found {
                from,
                to,
                wanted: which,
            });
            if enough_at.is_some_and(|limit| to > limit) {
                more = true;
                break;
            }
        }
        let window = best_window(&words, wanted.len(), max_chars);
        // Stopped early but no window holds every word after all: read on to the end.
        let complete = window.is_some_and(|(found, _, _)| found == wanted.len());
        if !more || complete {
            break window;
        }
        enough_at = None;
    };
    let (_, start, end) = window?;
    let mut out = String::with_capacity(end - start + 16);
    let mut at = start;
    for word in &words {
        if word.wanted.is_none() || word.from < start || word.to > end {
            continue;
        }
        out.push_str(&text[at..word.from]);
        out.push(MARK_START);
        out.push_str(&text[word.from..word.to]);
        out.push(MARK_END);
        at = word.to;
    }
    out.push_str(&text[at..end]);
    Some(out)
}

/// Which query word `word` (folded; `raw` as written) is, if any: the same folded word, a
/// longer one for the word being typed, one within its typos, or one with the same stem.
fn which_wanted(
    word: &str,
    raw: &str,
    wanted: &[Wanted],
    stemmer: Option<&mut TextAnalyzer>,
) -> Option<usize> {
    let exact = wanted
        .iter()
        .position(|w| w.folded == word || (w.prefix && word.starts_with(w.folded.as_str())));
    if exact.is_some() {
        return exact;
    }
    let misspelt = wanted.iter().position(|w| {
        w.spellings
            .as_ref()
            .is_some_and(|spellings| spellings.matches(word))
    });
    if misspelt.is_some() {
        return misspelt;
    }
    let stemmer = stemmer?;
    // Worth stemming when it starts with a query word's first letters (the query word
    // having at least that many).
    let shares_start = |w: &Wanted| {
        let start = start_of(&w.folded);
        w.stem.is_some() && word.starts_with(start) && start.chars().count() == SHARED_START
    };
    if !wanted.iter().any(shares_start) {
        return None;
    }
    let stem = stem_of(stemmer, raw)?;
    wanted
        .iter()
        .position(|w| shares_start(w) && w.stem.as_deref() == Some(stem.as_str()))
}

fn stem_of(stemmer: &mut TextAnalyzer, word: &str) -> Option<String> {
    let mut stream = stemmer.token_stream(word);
    if stream.advance() {
        Some(stream.token().text.clone())
    } else {
        None
    }
}

/// The earliest stretch of words, at most `max_chars` long, holding the most different query
/// words: (how many, start, end). Starts at the text's beginning when its first match fits
/// there, so short texts read from their start.
fn best_window(words: &[Found], wanted: usize, max_chars: usize) -> Option<(usize, usize, usize)> {
    let mut best: Option<(usize, usize, usize)> = None; // (distinct, start, end)
    for (i, first) in words.iter().enumerate() {
        if first.wanted.is_none() {
            continue;
        }
        let start = if first.to <= max_chars { 0 } else { first.from };
        let mut seen = vec![false; wanted];
        let (mut distinct, mut end) = (0, first.to);
        for word in &words[i..] {
            if word.to - start > max_chars {
                break;
            }
            end = word.to;
            if let Some(w) = word.wanted {
                if !seen[w] {
                    seen[w] = true;
                    distinct += 1;
                }
            }
        }
        if best.is_none_or(|(d, _, _)| distinct > d) {
            best = Some((distinct, start, end));
        }
        if distinct == wanted {
            break;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, SimpleTokenizer};

    fn folded() -> TextAnalyzer {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build()
    }

    fn wanted(words: &[&str]) -> Vec<Wanted> {
        words
            .iter()
            .map(|w| Wanted {
                folded: w.to_string(),
                stem: None,
                prefix: false,
                spellings: None,
            })
            .collect()
    }

    fn snippet_of(text: &str, words: &[&str], max_chars: usize) -> String {
        snippet(text, &wanted(words), &mut folded(), None, max_chars).expect("a snippet")
    }

    fn marked(word: &str) -> String {
        format!("{MARK_START}{word}{MARK_END}")
    }

    #[test]
    fn the_earliest_window_holding_every_word_is_marked() {
        let text = format!(
            "{} banked hours and the family chose staff. {}",
            "Filler words here. ".repeat(20),
            "Later the family banked hours again. ".repeat(5)
        );
        let snippet = snippet_of(&text, &["banked", "family"], 80);
        assert!(snippet.starts_with(&marked("banked")), "{snippet}");
        assert!(snippet.contains(&marked("family")));
    }

    #[test]
    fn words_first_seen_far_apart_still_find_a_later_window_with_both() {
        // Both words are seen within the first part, but too far apart for one window;
        // reading must go on to the sentence that holds both.
        let text = format!(
            "Banked at the start. {filler} Family, much later. {filler} Here the family banked hours.",
            filler = "Filler words here. ".repeat(10),
        );
        let snippet = snippet_of(&text, &["banked", "family"], 60);
        assert!(
            snippet.contains(&format!("{} {}", marked("family"), marked("banked"))),
            "{snippet}"
        );
    }

    #[test]
    fn words_found_within_their_typos_are_marked() {
        let text = "Filler words here. We recruited workers who share interests.";
        let wanted = vec![Wanted {
            folded: "recruted".into(),
            stem: None,
            prefix: false,
            spellings: SpellingMatcher::new("recruted", 1, false).map(Arc::new),
        }];
        let snippet = snippet(text, &wanted, &mut folded(), None, 200).expect("a snippet");
        assert!(snippet.contains(&marked("recruited")), "{snippet}");
        assert!(!snippet.contains(&marked("workers")), "{snippet}");
    }
}
