//! How the embedded engine cuts text into the terms it indexes and looks up: folded words
//! (lower case, accents folded), their stems per language, and pairs of adjacent words for
//! phrase search. Indexing and querying use these same functions, so a word is always cut
//! the same way on both sides. Owns no index and no query logic.

use std::collections::HashMap;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// Words longer than this are not words (hashes, URLs run together).
const LONGEST_WORD: usize = 40;
/// How many words' stems one analyzer remembers: enough for every word of a language's
/// vocabulary, bounded so that a flood of made-up words cannot grow it without end.
const REMEMBERED_STEMS: usize = 200_000;
/// Adjacent word pairs are indexed by a hash of the pair into one of 2^12 buckets. Exact
/// pairs would be millions of distinct terms: indexing took three times the work (measured
/// 2026-12-03, docs/PERFORMANCE.md). Few buckets keep each bucket's list to the pair's own
/// documents plus a few percent of others, which the phrase's positions then rule out.
const BUCKET_BITS: u32 = 12;

pub(super) fn stemmer_language(lang: &str) -> Option<Language> {
    Some(match lang {
        "en" => Language::English,
        "fr" => Language::French,
        "es" => Language::Spanish,
        "fi" => Language::Finnish,
        "sv" => Language::Swedish,
        "el" => Language::Greek,
        "de" => Language::German,
        "it" => Language::Italian,
        "pt" => Language::Portuguese,
        "nl" => Language::Dutch,
        _ => return None,
    })
}

fn folded_tokenizer() -> impl Tokenizer {
    let words = RemoveLongFilter::limit(LONGEST_WORD).transform(SimpleTokenizer::default());
    AsciiFoldingFilter.transform(LowerCaser.transform(words))
}

/// Words, lower-cased and with diacritics folded (`Péče` → `pece`).
pub(super) fn folded_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(folded_tokenizer())
}

/// The words of a text exactly as [`folded_analyzer`] cuts and folds them, for snippets,
/// which fold twenty openings per search. Each of the analyzer's steps (cutting at what is
/// not a letter or digit, lowering, folding accents) works one character at a time, so a
/// word folds character by character: ASCII by a byte's own test, two-byte characters
/// (accented Latin, Greek, Cyrillic) from [`two_byte_letters`], and words holding anything
/// else through the analyzer, one word at a time. A test holds the two to the same words.
pub(super) struct FoldedWords<'a> {
    text: &'a str,
    at: usize,
    analyzer: &'a mut TextAnalyzer,
    /// The current word: where it is in the text, and folded.
    pub from: usize,
    pub to: usize,
    folded: String,
}

/// A character of a word, and how it folds.
enum Letter {
    Ascii(u8),
    Folded(&'static str),
    /// Beyond the table: only the analyzer folds it.
    Other(usize),
}

/// Each character from U+0080 to U+07FF (two bytes in UTF-8) as the folded analyzer takes
/// it on its own: not part of a word (None), or part of one and folded to this text.
fn two_byte_letters() -> &'static [Option<Box<str>>] {
    static LETTERS: std::sync::OnceLock<Vec<Option<Box<str>>>> = std::sync::OnceLock::new();
    LETTERS.get_or_init(|| {
        let mut analyzer = folded_analyzer();
        (0x80u32..0x800)
            .map(|code| {
                let letter = char::from_u32(code)?;
                let mut buffer = [0u8; 4];
                let mut stream = analyzer.token_stream(letter.encode_utf8(&mut buffer));
                stream
                    .advance()
                    .then(|| stream.token().text.clone().into_boxed_str())
            })
            .collect()
    })
}

impl<'a> FoldedWords<'a> {
    /// `analyzer` must be a [`folded_analyzer`].
    pub(super) fn new(text: &'a str, analyzer: &'a mut TextAnalyzer) -> FoldedWords<'a> {
        FoldedWords {
            text,
            at: 0,
            analyzer,
            from: 0,
            to: 0,
            folded: String::new(),
        }
    }

    pub(super) fn folded(&self) -> &str {
        &self.folded
    }

    /// The letter or digit at `at`, if there is one.
    fn letter_at(&self, at: usize) -> Option<Letter> {
        let bytes = self.text.as_bytes();
        let lead = *bytes.get(at)?;
        if lead.is_ascii() {
            return lead.is_ascii_alphanumeric().then_some(Letter::Ascii(lead));
        }
        if (0xc2..=0xdf).contains(&lead) {
            let code = (usize::from(lead & 0x1f) << 6) | usize::from(bytes[at + 1] & 0x3f);
            return two_byte_letters()[code - 0x80]
                .as_deref()
                .map(Letter::Folded);
        }
        let c = self.text[at..].chars().next()?;
        c.is_alphanumeric().then_some(Letter::Other(c.len_utf8()))
    }

    /// Moves to the next word; false at the end of the text.
    pub(super) fn advance(&mut self) -> bool {
        let bytes = self.text.as_bytes();
        while self.at < bytes.len() {
            let from = self.at;
            let mut only_tabled = true;
            self.folded.clear();
            while let Some(letter) = self.letter_at(self.at) {
                match letter {
                    Letter::Ascii(byte) => {
                        self.folded.push(char::from(byte.to_ascii_lowercase()));
                        self.at += 1;
                    }
                    Letter::Folded(folded) => {
                        self.folded.push_str(folded);
                        self.at += 2;
                    }
                    Letter::Other(len) => {
                        only_tabled = false;
                        self.at += len;
                    }
                }
            }
            if self.at == from {
                // Not a letter or digit: skip it, as the analyzer's tokenizer does.
                let skip = if bytes[self.at].is_ascii() {
                    1
                } else {
                    self.text[self.at..]
                        .chars()
                        .next()
                        .map_or(1, char::len_utf8)
                };
                self.at += skip;
                continue;
            }
            let text = self.text;
            let word = &text[from..self.at];
            // The analyzer's limit is on the word's length in bytes, before folding.
            if word.len() >= LONGEST_WORD {
                continue;
            }
            if !only_tabled {
                self.folded.clear();
                let mut stream = self.analyzer.token_stream(word);
                if !stream.advance() {
                    continue;
                }
                self.folded.push_str(&stream.token().text);
            }
            self.from = from;
            self.to = self.at;
            return true;
        }
        false
    }
}

/// Folded words reduced to their stem in `language` (`banking` → `bank`).
pub(super) fn stemmed_analyzer(language: Language) -> TextAnalyzer {
    TextAnalyzer::builder(folded_tokenizer())
        .filter(RememberedStems { language })
        .build()
}

/// Adjacent folded words as one term per pair, hashed into a bucket (see [`BUCKET_BITS`]):
/// a quoted phrase first narrows to the documents whose buckets hold each of its pairs, so
/// positions are compared in those alone, rather than in every document holding both words
/// (for "support the", nearly all of them).
pub(super) fn pairs_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(AdjacentPairs {
        words: folded_tokenizer(),
    })
}

/// The term [`pairs_analyzer`] makes of two adjacent folded words.
pub(super) fn pair_term(first: &str, second: &str) -> String {
    let mut term = String::new();
    push_pair_bucket(first, second, &mut term);
    term
}

/// The bucket's number in hexadecimal, as the term's text.
fn push_pair_bucket(first: &str, second: &str, out: &mut String) {
    use std::hash::{BuildHasher, Hasher};
    // A fixed hash (no random seed): the index outlives the process that wrote it.
    let mut hasher = rustc_hash::FxBuildHasher.build_hasher();
    hasher.write(first.as_bytes());
    hasher.write_u8(0xff);
    hasher.write(second.as_bytes());
    let bucket = hasher.finish() >> (64 - BUCKET_BITS);
    out.clear();
    for shift in (0..BUCKET_BITS.div_ceil(4)).rev() {
        let digit = ((bucket >> (shift * 4)) & 0xf) as u32;
        out.push(char::from_digit(digit, 16).unwrap_or('0'));
    }
}

/// A stemmer that remembers the stem of every word it has seen. Text repeats its words, and
/// stemming is the costliest part of indexing, so each distinct word is stemmed once per
/// analyzer (tantivy gives each indexing thread its own).
#[derive(Clone)]
struct RememberedStems {
    language: Language,
}

impl TokenFilter for RememberedStems {
    type Tokenizer<T: Tokenizer> = RememberedStemsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> RememberedStemsFilter<T> {
        RememberedStemsFilter {
            inner: tokenizer,
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(self.language))
                .build(),
            stems: HashMap::default(),
        }
    }
}

#[derive(Clone)]
struct RememberedStemsFilter<T> {
    inner: T,
    /// Stems one whole word.
    stemmer: TextAnalyzer,
    stems: HashMap<String, String, rustc_hash::FxBuildHasher>,
}

impl<T: Tokenizer> Tokenizer for RememberedStemsFilter<T> {
    type TokenStream<'a> = RememberedStemsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RememberedStemsStream {
            tail: self.inner.token_stream(text),
            stemmer: &mut self.stemmer,
            stems: &mut self.stems,
        }
    }
}

struct RememberedStemsStream<'a, S> {
    tail: S,
    stemmer: &'a mut TextAnalyzer,
    stems: &'a mut HashMap<String, String, rustc_hash::FxBuildHasher>,
}

impl<S: TokenStream> TokenStream for RememberedStemsStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.stems.get(token.text.as_str()) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let mut stream = self.stemmer.token_stream(&token.text);
        let stem = if stream.advance() {
            stream.token().text.clone()
        } else {
            token.text.clone()
        };
        drop(stream);
        if self.stems.len() < REMEMBERED_STEMS {
            self.stems.insert(token.text.clone(), stem.clone());
        }
        token.text = stem;
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[derive(Clone)]
struct AdjacentPairs<T> {
    words: T,
}

impl<T: Tokenizer> Tokenizer for AdjacentPairs<T> {
    type TokenStream<'a> = AdjacentPairsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        AdjacentPairsStream {
            words: self.words.token_stream(text),
            previous: String::new(),
            previous_at: None,
            pair: Token::default(),
        }
    }
}

struct AdjacentPairsStream<S> {
    words: S,
    previous: String,
    /// The previous word's position and where it starts in the text.
    previous_at: Option<(usize, usize)>,
    pair: Token,
}

impl<S: TokenStream> TokenStream for AdjacentPairsStream<S> {
    fn advance(&mut self) -> bool {
        while self.words.advance() {
            let word = self.words.token();
            // A word dropped between two (too long to be a word) leaves a gap in the
            // positions: the words around it are not adjacent, as a phrase sees them.
            let adjacent = self
                .previous_at
                .filter(|(position, _)| position + 1 == word.position);
            if let Some((position, from)) = adjacent {
                push_pair_bucket(&self.previous, &word.text, &mut self.pair.text);
                self.pair.position = position;
                self.pair.offset_from = from;
                self.pair.offset_to = word.offset_to;
            }
            self.previous.clear();
            self.previous.push_str(&word.text);
            self.previous_at = Some((word.position, word.offset_from));
            if adjacent.is_some() {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.pair
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.pair
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn pairs_are_adjacent_folded_words_and_skip_over_dropped_ones() {
        let mut pairs = pairs_analyzer();
        assert_eq!(
            terms(&mut pairs, "Circle of Support, péče"),
            vec![
                pair_term("circle", "of"),
                pair_term("of", "support"),
                pair_term("support", "pece")
            ]
        );
        let long = "x".repeat(LONGEST_WORD + 1);
        assert_eq!(
            terms(&mut pairs, &format!("bank {long} hours now")),
            vec![pair_term("hours", "now")]
        );
        assert!(terms(&mut pairs, "alone").is_empty());
        // The order of the words matters, and the same pair always lands in the same bucket.
        assert_ne!(pair_term("support", "the"), pair_term("the", "support"));
        assert_eq!(pair_term("support", "the"), pair_term("support", "the"));
        assert_eq!(pair_term("a", "b").len(), 3);
    }

    #[test]
    fn folded_words_are_the_folded_analyzer_s_words() {
        let long = "x".repeat(LONGEST_WORD);
        let long_greek = "ω".repeat(LONGEST_WORD / 2);
        // Every two-byte character, alone, inside ASCII words and in runs of its neighbours.
        let mut every_two_byte_character = String::new();
        for code in 0x80u32..0x800 {
            let c = char::from_u32(code).expect("no surrogates below U+D800");
            every_two_byte_character.push_str(&format!(" {c} a{c}b {c}1 "));
            if code % 5 == 0 {
                every_two_byte_character.push(' ');
            }
            every_two_byte_character.push(c);
        }
        let samples = [
            "Circle of Support, PÉČE and péče: Ωμέγα ΣΟΦΙΑ ß Æsir İstanbul ǅemal",
            "x̃ combining marks, ＡＢＣ wide letters, ①②③ and 12ab a_b co-op don't",
            "työntekijöiden päivän stöd finansiering kuchyně rodina ½ 3rd",
            &format!("short {long} {long}y {long_greek} {long_greek}ω end"),
            "",
            "   ...   ",
            include_str!("../demo/case_stories.json"),
            include_str!("../demo/practice_guides.json"),
            include_str!("../demo/isf_templates.json"),
            &every_two_byte_character,
        ];
        let mut analyzer = folded_analyzer();
        for text in samples {
            let mut expected = Vec::new();
            {
                let mut stream = analyzer.token_stream(text);
                while stream.advance() {
                    let token = stream.token();
                    expected.push((token.offset_from, token.offset_to, token.text.clone()));
                }
            }
            let mut words = FoldedWords::new(text, &mut analyzer);
            let mut found = Vec::new();
            while words.advance() {
                found.push((words.from, words.to, words.folded().to_string()));
            }
            assert!(text.len() < 1_000 || found.len() > 1_000, "a real text");
            assert_eq!(found, expected, "{}", &text[..text.len().min(60)]);
        }
    }

    #[test]
    fn remembered_stems_are_the_stemmer_s_own() {
        let mut remembered = stemmed_analyzer(Language::English);
        let mut plain = TextAnalyzer::builder(folded_tokenizer())
            .filter(Stemmer::new(Language::English))
            .build();
        let text = "Banking banked hours; banking again, Banked HOURS péče";
        // Twice: the second pass answers from what the first remembered.
        for _ in 0..2 {
            assert_eq!(terms(&mut remembered, text), terms(&mut plain, text));
        }
        assert_eq!(
            terms(&mut remembered, "banking banked"),
            vec!["bank", "bank"]
        );
    }
}
