//! Snippets for the embedded engine: the passage of a text that best shows why it matched,
//! with the query's words marked.
//!
//! tantivy's snippet generator runs the whole passage through the document language's
//! stemmer, and stemming every word of twenty bodies was most of a search's time (Greek
//! most of all). Here the passage is only folded (lower case, no accents), which is cheap,
//! and a word is stemmed only when its first letters already agree with a query word's, so
//! "banking" still marks "banked" while "the" and "person" cost nothing. Owns no state; the
//! engine hands in its analyzers.

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use super::query::{MARK_END, MARK_START};

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
    let mut stream = folded.token_stream(text);
    while stream.advance() {
        let token = stream.token();
        let word = token.text.as_str();
        let mut which = wanted
            .iter()
            .position(|w| w.folded == word || (w.prefix && word.starts_with(w.folded.as_str())));
        if which.is_none() {
            if let Some(stemmer) = stemmer.as_deref_mut() {
                let candidates: Vec<usize> = (0..wanted.len())
                    .filter(|&i| {
                        wanted[i].stem.is_some()
                            && word.chars().count() >= SHARED_START
                            && start_of(word) == start_of(&wanted[i].folded)
                    })
                    .collect();
                if !candidates.is_empty() {
                    if let Some(stem) = stem_of(stemmer, &text[token.offset_from..token.offset_to])
                    {
                        which = candidates
                            .into_iter()
                            .find(|&i| wanted[i].stem.as_deref() == Some(stem.as_str()));
                    }
                }
            }
        }
        words.push(Found {
            from: token.offset_from,
            to: token.offset_to,
            wanted: which,
        });
    }
    let (start, end) = best_window(&words, wanted.len(), max_chars)?;
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

fn stem_of(stemmer: &mut TextAnalyzer, word: &str) -> Option<String> {
    let mut stream = stemmer.token_stream(word);
    if stream.advance() {
        Some(stream.token().text.clone())
    } else {
        None
    }
}

/// The stretch of words, at most `max_chars` long, holding the most different query words
/// (then the most matches; then the earliest). Starts at the text's beginning when its
/// first match fits there, so short texts read from their start.
fn best_window(words: &[Found], wanted: usize, max_chars: usize) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize, usize, usize)> = None; // (distinct, total, start, end)
    for (i, first) in words.iter().enumerate() {
        if first.wanted.is_none() {
            continue;
        }
        let start = if first.to <= max_chars { 0 } else { first.from };
        let mut seen = vec![false; wanted];
        let (mut distinct, mut total, mut end) = (0, 0, first.to);
        for word in &words[i..] {
            if word.to - start > max_chars {
                break;
            }
            end = word.to;
            if let Some(w) = word.wanted {
                total += 1;
                if !seen[w] {
                    seen[w] = true;
                    distinct += 1;
                }
            }
        }
        let better = match best {
            None => true,
            Some((d, t, _, _)) => (distinct, total) > (d, t),
        };
        if better {
            best = Some((distinct, total, start, end));
        }
        if start == 0 && distinct == wanted {
            break;
        }
    }
    best.map(|(_, _, start, end)| (start, end))
}
