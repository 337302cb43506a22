//! The words a query word may have been meant as: those within its typo budget, or (for the
//! word being typed) those it begins within that budget, found by walking the index's
//! dictionary with tantivy's Levenshtein automata.
//!
//! As in Meilisearch, a typo in the first letter counts as two: people rarely get the first
//! letter wrong, and allowing it multiplies the words a typo can reach (and so the documents
//! a search must read) many times over. With one typo allowed the first letter must be
//! right; with two, either the first letter is right and two typos fall elsewhere, or it is
//! the only typo. The exact word itself is left out too: the query scores it as a term of
//! its own, and reading the commonest words' postings a second time here was a large part
//! of a search's work. Owns no index and builds no other queries.

use std::sync::Arc;

use tantivy::query::{DfaWrapper, FuzzyTermQuery};
use tantivy::schema::Field;
use tantivy::{DocId, SegmentReader, Term};
use tantivy_fst::Automaton;

use super::doc_bits::for_each_document_of;

/// Documents holding a word within `typos` of `word` (or beginning within them, with
/// `prefix`), other than `word` itself. Matches score alike: how close a typo came is not
/// evidence of relevance.
#[derive(Clone)]
pub(super) struct OtherSpellings {
    field: Field,
    automaton: Arc<Spellings>,
}

impl OtherSpellings {
    /// `word` is already folded, as the field's terms are. `typos` is 0, 1 or 2.
    pub(super) fn new(
        field: Field,
        word: &str,
        typos: u8,
        prefix: bool,
    ) -> tantivy::Result<OtherSpellings> {
        Ok(OtherSpellings {
            field,
            automaton: Arc::new(Spellings::new(field, word, typos, prefix)?),
        })
    }

    /// Calls `each` with every document of `reader` holding one of the spellings: once per
    /// spelling it holds, so a document holding two is given twice.
    pub(super) fn for_each_document(
        &self,
        reader: &SegmentReader,
        mut each: impl FnMut(DocId),
    ) -> tantivy::Result<()> {
        let index = reader.inverted_index(self.field)?;
        let mut terms = index
            .terms()
            .search(self.automaton.as_ref())
            .into_stream()?;
        while terms.advance() {
            for_each_document_of(&index, terms.value(), &mut each)?;
        }
        Ok(())
    }

    /// The same spellings, one word at a time (sharing the automata already built).
    pub(super) fn matcher(&self) -> SpellingMatcher {
        SpellingMatcher {
            automaton: Arc::clone(&self.automaton),
        }
    }
}

/// The same test for one word at a time, for marking the words a search matched in a
/// snippet: `recruted` marks *recruited*, as it found it.
pub(crate) struct SpellingMatcher {
    automaton: Arc<Spellings>,
}

impl SpellingMatcher {
    /// None for a word that allows no typo (nothing to find beyond the word itself).
    pub(crate) fn new(word: &str, typos: u8, prefix: bool) -> Option<SpellingMatcher> {
        if typos == 0 {
            return None;
        }
        // The field only labels the term the automaton is built from.
        let automaton = Spellings::new(Field::from_field_id(0), word, typos, prefix).ok()?;
        Some(SpellingMatcher {
            automaton: Arc::new(automaton),
        })
    }

    /// Whether `word` (folded) is another spelling of the query word; the word itself is not.
    pub(crate) fn matches(&self, word: &str) -> bool {
        let automaton = &*self.automaton;
        let mut place = automaton.start();
        for &byte in word.as_bytes() {
            if !automaton.can_match(&place) {
                return false;
            }
            place = automaton.accept(&place, byte);
        }
        automaton.is_match(&place)
    }
}

impl std::fmt::Debug for SpellingMatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpellingMatcher")
            .field("word", &String::from_utf8_lossy(&self.automaton.word))
            .finish()
    }
}

impl std::fmt::Debug for OtherSpellings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OtherSpellings")
            .field("field", &self.field)
            .field("word", &String::from_utf8_lossy(&self.automaton.word))
            .finish()
    }
}

/// The terms [`OtherSpellings`] finds, as one automaton over a term's bytes.
struct Spellings {
    /// The whole budget, for terms whose first letter is right.
    first_right: DfaWrapper,
    /// The budget less the first letter's second typo, for terms whose first letter is
    /// wrong; none when the budget is under two (a wrong first letter already exceeds it).
    first_wrong: Option<DfaWrapper>,
    /// The query word's first letter, as bytes.
    first_letter: Vec<u8>,
    word: Vec<u8>,
}

/// Where a term stands against the query word's first letter and the word itself.
#[derive(Clone)]
struct Place {
    first_right: u32,
    first_wrong: u32,
    /// Bytes of the first letter matched so far; `RIGHT` once all of it has, `WRONG` once a
    /// byte has differed.
    first_letter: usize,
    /// Bytes of the word matched so far, or `WRONG` once the term has become another word.
    word: usize,
}

const RIGHT: usize = usize::MAX - 1;
const WRONG: usize = usize::MAX;

impl Spellings {
    fn new(field: Field, word: &str, typos: u8, prefix: bool) -> tantivy::Result<Spellings> {
        let dfa = |typos: u8| {
            let term = Term::from_field_text(field, word);
            let fuzzy = if prefix {
                FuzzyTermQuery::new_prefix(term, typos, true)
            } else {
                FuzzyTermQuery::new(term, typos, true)
            };
            fuzzy.automaton()
        };
        let first_letter = word.chars().next().map_or(0, char::len_utf8);
        Ok(Spellings {
            first_right: dfa(typos)?,
            first_wrong: if typos >= 2 {
                Some(dfa(typos - 1)?)
            } else {
                None
            },
            first_letter: word.as_bytes()[..first_letter].to_vec(),
            word: word.as_bytes().to_vec(),
        })
    }
}

impl Automaton for Spellings {
    type State = Place;

    fn start(&self) -> Place {
        Place {
            first_right: self.first_right.start(),
            first_wrong: self.first_wrong.as_ref().map_or(0, |dfa| dfa.start()),
            first_letter: if self.first_letter.is_empty() {
                RIGHT
            } else {
                0
            },
            word: 0,
        }
    }

    fn is_match(&self, place: &Place) -> bool {
        if place.word == self.word.len() {
            return false;
        }
        match place.first_letter {
            RIGHT => self.first_right.is_match(&place.first_right),
            WRONG => self
                .first_wrong
                .as_ref()
                .is_some_and(|dfa| dfa.is_match(&place.first_wrong)),
            // Within the first letter: no term ends inside a letter.
            _ => false,
        }
    }

    fn can_match(&self, place: &Place) -> bool {
        match place.first_letter {
            WRONG => self
                .first_wrong
                .as_ref()
                .is_some_and(|dfa| dfa.can_match(&place.first_wrong)),
            _ => self.first_right.can_match(&place.first_right),
        }
    }

    fn accept(&self, place: &Place, byte: u8) -> Place {
        let first_letter = match place.first_letter {
            RIGHT | WRONG => place.first_letter,
            matched if self.first_letter[matched] != byte => WRONG,
            matched if matched + 1 == self.first_letter.len() => RIGHT,
            matched => matched + 1,
        };
        let word = match self.word.get(place.word) {
            Some(&expected) if place.word != WRONG && expected == byte => place.word + 1,
            _ => WRONG,
        };
        Place {
            first_right: if first_letter == WRONG {
                place.first_right
            } else {
                self.first_right.accept(&place.first_right, byte)
            },
            first_wrong: match &self.first_wrong {
                Some(dfa) if first_letter != RIGHT => dfa.accept(&place.first_wrong, byte),
                _ => place.first_wrong,
            },
            first_letter,
            word,
        }
    }
}

#[cfg(test)]
mod tests {
    use tantivy::query::{AutomatonWeight, EnableScoring, Query, Weight};
    use tantivy::schema::{Schema, STORED, TEXT};
    use tantivy::{doc, DocAddress, Index, IndexWriter, TantivyDocument};

    use super::*;

    /// The same documents as tantivy's own automaton query finds them: a reference for
    /// the word scorers' tests (`word_scores.rs`), which read them with
    /// [`OtherSpellings::for_each_document`].
    impl Query for OtherSpellings {
        fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
            Ok(Box::new(AutomatonWeight::<Spellings>::new(
                self.field,
                Arc::clone(&self.automaton),
            )))
        }
    }

    /// The index the tests search, one word per document.
    const WORDS: [&str; 7] = [
        "support",
        "suport",
        "supports",
        "supported",
        "sport",
        "rapport",
        "σπιτια",
    ];

    fn words_found(word: &str, typos: u8, prefix: bool) -> Vec<String> {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT | STORED);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for w in WORDS {
            writer.add_document(doc!(text => w)).expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let others = OtherSpellings::new(text, word, typos, prefix).expect("automaton");
        let mut addresses = Vec::new();
        for (segment, reader) in searcher.segment_readers().iter().enumerate() {
            others
                .for_each_document(reader, |doc| {
                    addresses.push(DocAddress::new(segment as u32, doc))
                })
                .expect("postings");
        }
        let mut found: Vec<String> = addresses
            .into_iter()
            .map(|address| {
                let doc: TantivyDocument = searcher.doc(address).expect("stored");
                doc.get_first(text)
                    .and_then(|v| tantivy::schema::Value::as_str(&v))
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        found.sort();
        found
    }

    #[test]
    fn other_spellings_leave_out_the_word_itself() {
        assert_eq!(
            words_found("support", 1, false),
            vec!["suport", "supports"],
            "one typo away, but not the word"
        );
        assert_eq!(
            words_found("suport", 1, false),
            vec!["sport", "support"],
            "a misspelt word finds the right one"
        );
        assert_eq!(
            words_found("support", 1, true),
            vec!["suport", "supported", "supports"],
            "words begun within one typo, but not the word"
        );
        assert_eq!(
            words_found("sup", 0, true),
            vec!["suport", "support", "supported", "supports"],
            "a prefix that is no word finds every word it begins"
        );
    }

    #[test]
    fn a_typo_in_the_first_letter_counts_as_two() {
        // One typo allowed: the first letter must be right.
        assert!(words_found("xupport", 1, false).is_empty());
        assert!(words_found("upport", 1, false).is_empty());
        // Two allowed: a wrong first letter may be the only typo...
        assert_eq!(words_found("xupported", 2, false), vec!["supported"]);
        assert_eq!(words_found("xupported", 2, true), vec!["supported"]);
        // ...but not one of two.
        assert!(words_found("xuported", 2, false).is_empty());
        // With the first letter right, two typos anywhere else.
        assert_eq!(
            words_found("supportxx", 2, false),
            vec!["support", "supported", "supports"]
        );
        // A letter of two bytes is one letter: "ψ" and "σ" share their first byte.
        assert!(words_found("ψπιτια", 1, false).is_empty());
        assert_eq!(words_found("ψπιτια", 2, false), vec!["σπιτια"]);
        assert_eq!(words_found("σπιτα", 1, false), vec!["σπιτια"]);
    }

    #[test]
    fn the_matcher_agrees_with_the_index() {
        for (word, typos, prefix) in [
            ("support", 1, false),
            ("suport", 1, false),
            ("support", 1, true),
            ("xupported", 2, false),
            ("ψπιτια", 2, false),
        ] {
            let matcher = SpellingMatcher::new(word, typos, prefix).expect("a matcher");
            let mut matched: Vec<String> = WORDS
                .into_iter()
                .filter(|w| matcher.matches(w))
                .map(str::to_string)
                .collect();
            matched.sort();
            assert_eq!(matched, words_found(word, typos, prefix), "{word}");
        }
        assert!(SpellingMatcher::new("bank", 0, false).is_none());
    }
}
