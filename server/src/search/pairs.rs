//! Word pairs for fast phrase search in the embedded index. Every two adjacent words of a
//! text are hashed into one of `BUCKETS` tokens of a `pairs` field, so a phrase query can
//! first keep the documents whose buckets hold each of its pairs (one short posting list
//! each) and read word positions only in those, instead of in every document holding all
//! its words ("support person" is in 12,000 of 100,000 documents; both words are in
//! 36,000). Buckets, not the pairs themselves: a field of every distinct pair made the term
//! dictionary as large as the text and indexing four times slower. A bucket may hold other
//! pairs too, so it only narrows; the phrase query still decides.
//!
//! Owns the pair tokenizer and the bucket of a pair; the index and the queries live in
//! `embedded.rs`.

use tantivy::tokenizer::{BoxTokenStream, TextAnalyzer, Token, TokenStream, Tokenizer};

/// Enough buckets that a common pair shares its bucket with few others, few enough that
/// the dictionary stays tiny (every bucket is a four-hex-digit term).
const BUCKETS: u32 = 1 << 16;

const FNV_OFFSET: u32 = 0x811c_9dc5;
const FNV_PRIME: u32 = 0x0100_0193;

/// FNV-1a: stable across builds and platforms, as the index needs, and cheap to carry on
/// from one word to the next.
fn fnv(mut hash: u32, bytes: &[u8]) -> u32 {
    for &byte in bytes {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    hash
}

/// The hash state after a pair's first word and the separator.
fn after_first(word: &str) -> u32 {
    fnv(fnv(FNV_OFFSET, word.as_bytes()), &[0])
}

fn write_bucket(hash: u32, out: &mut String) {
    use std::fmt::Write;
    out.clear();
    let _ = write!(out, "{:04x}", hash % BUCKETS);
}

/// The bucket term of two adjacent (already folded) words.
pub fn bucket(first: &str, second: &str) -> String {
    let mut out = String::with_capacity(4);
    write_bucket(fnv(after_first(first), second.as_bytes()), &mut out);
    out
}

/// Splits text as `words` does and yields the bucket of each adjacent pair.
#[derive(Clone)]
pub struct PairTokenizer {
    words: TextAnalyzer,
}

impl PairTokenizer {
    pub fn new(words: TextAnalyzer) -> PairTokenizer {
        PairTokenizer { words }
    }
}

/// Streams the pairs as the words come, reusing one token: indexing runs it over every
/// word of every document.
pub struct PairStream<'a> {
    words: BoxTokenStream<'a>,
    previous: Option<u32>,
    token: Token,
}

impl Tokenizer for PairTokenizer {
    type TokenStream<'a> = PairStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PairStream<'a> {
        PairStream {
            words: self.words.token_stream(text),
            previous: None,
            token: Token {
                text: String::with_capacity(4),
                ..Token::default()
            },
        }
    }
}

impl TokenStream for PairStream<'_> {
    fn advance(&mut self) -> bool {
        while self.words.advance() {
            let word = self.words.token();
            let next = after_first(&word.text);
            let Some(previous) = self.previous.replace(next) else {
                continue;
            };
            write_bucket(fnv(previous, word.text.as_bytes()), &mut self.token.text);
            self.token.offset_from = word.offset_from;
            self.token.offset_to = word.offset_to;
            self.token.position = word.position;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_adjacent_pair_becomes_its_bucket() {
        let mut tokenizer = PairTokenizer::new(crate::search::embedded::folded_words());
        let mut stream = tokenizer.token_stream("Support the Person");
        let mut found = Vec::new();
        while stream.advance() {
            found.push(stream.token().text.clone());
        }
        assert_eq!(
            found,
            vec![bucket("support", "the"), bucket("the", "person")]
        );
        assert_ne!(bucket("support", "the"), bucket("the", "support"));
        assert_eq!(bucket("ab", "c").len(), 4);
        assert_ne!(
            bucket("ab", "c"),
            bucket("a", "bc"),
            "the words are kept apart"
        );
    }
}
