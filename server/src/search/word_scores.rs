//! A query's words scored term at a time into per-segment arrays and combined as sets.
//!
//! Each word's alternatives (its folded form, in titles, its stems, its other spellings) are
//! read straight through once into a set of documents with a best and a summed score each,
//! rather than as tantivy's union of one scorer per alternative (a virtual call and a seek
//! per alternative per document). A word scores like a `DisjunctionMaxQuery` over its
//! alternatives: the best plus `tie_breaker` times the rest.
//!
//! The words then combine as sets: the documents holding every required word (or enough of
//! them, for a relaxed search) are one AND of bitsets, instead of one word's scorer seeking
//! in the other's for each of its documents. A document scores the sum of the words it
//! holds, stop words included, as a `BooleanQuery` of `Must` and `Should` clauses would.
//! Quoted phrases take part as required members whose matches are read out whole.
//!
//! Owns no index and decides nothing about which alternatives a word has or which words
//! are required: the engine (`embedded.rs`) builds the queries.

use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};

use super::doc_bits::{
    for_each_document_and_frequency_of, for_each_document_of, DocBits, DocBitsDocSet,
};
use super::typos::OtherSpellings;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

/// A word's alternatives: terms scored by BM25 (with a boost each) and queries whose matches
/// all score alike (the typo automata), with their boost.
#[derive(Clone, Debug)]
pub(super) struct WordQuery {
    pub scored: Vec<(Term, Score)>,
    pub constant: Vec<(OtherSpellings, Score)>,
    pub tie_breaker: Score,
}

/// What a document must hold to match a [`WordsQuery`].
#[derive(Debug)]
pub(super) enum Required {
    Word(WordQuery),
    /// A quoted phrase, or any other query: its matches are read out whole.
    Phrase(Box<dyn Query>),
}

impl Clone for Required {
    fn clone(&self) -> Required {
        match self {
            Required::Word(word) => Required::Word(word.clone()),
            Required::Phrase(query) => Required::Phrase(query.box_clone()),
        }
    }
}

/// The text of a search: documents holding `needed` of the `required` members (all of them
/// but in a relaxed search) score the sum of the members and `optional` words they hold.
/// With nothing required, any optional word will do.
#[derive(Clone, Debug)]
pub(super) struct WordsQuery {
    pub required: Vec<Required>,
    pub optional: Vec<WordQuery>,
    pub needed: usize,
}

impl WordQuery {
    fn word_weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<WordWeight> {
        let mut scored = Vec::with_capacity(self.scored.len());
        for (term, boost) in &self.scored {
            let bm25 = match enable_scoring {
                EnableScoring::Enabled {
                    statistics_provider,
                    ..
                } => Some(
                    Bm25Weight::for_terms(statistics_provider, std::slice::from_ref(term))?
                        .boost_by(*boost),
                ),
                EnableScoring::Disabled { .. } => None,
            };
            scored.push((term.clone(), bm25));
        }
        Ok(WordWeight {
            scored,
            constant: self.constant.clone(),
            tie_breaker: self.tie_breaker,
        })
    }
}

impl WordsQuery {
    /// The weight itself rather than boxed, for the engine's own ranking (`ranking.rs`).
    pub(super) fn words_weight(
        &self,
        enable_scoring: EnableScoring<'_>,
    ) -> tantivy::Result<WordsWeight> {
        let mut required = Vec::with_capacity(self.required.len());
        for member in &self.required {
            required.push(match member {
                Required::Word(word) => MemberWeight::Word(word.word_weight(enable_scoring)?),
                Required::Phrase(query) => MemberWeight::Other(query.weight(enable_scoring)?),
            });
        }
        let mut optional = Vec::with_capacity(self.optional.len());
        for word in &self.optional {
            optional.push(MemberWeight::Word(word.word_weight(enable_scoring)?));
        }
        Ok(WordsWeight {
            needed: self.needed.clamp(1, required.len().max(1)),
            required,
            optional,
            scoring: enable_scoring.is_scoring_enabled(),
        })
    }
}

impl Query for WordsQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.words_weight(enable_scoring)?))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        let words = self.required.iter().filter_map(|member| match member {
            Required::Word(word) => Some(word),
            Required::Phrase(_) => None,
        });
        for word in words.chain(&self.optional) {
            for (term, _) in &word.scored {
                visitor(term, false);
            }
        }
        for member in &self.required {
            if let Required::Phrase(query) = member {
                query.query_terms(visitor);
            }
        }
    }
}

/// One member's documents in one segment, with each document's best alternative score and
/// the sum of all its alternatives' scores (both empty when scoring is off).
struct Matches {
    docs: DocBits,
    best: Vec<Score>,
    sum: Vec<Score>,
    tie_breaker: Score,
}

impl Matches {
    fn new(max_doc: DocId, scoring: bool, tie_breaker: Score) -> Matches {
        let scores = if scoring { max_doc as usize } else { 0 };
        Matches {
            docs: DocBits::new(max_doc),
            best: vec![0.0; scores],
            sum: vec![0.0; scores],
            tie_breaker,
        }
    }

    fn add(&mut self, doc: DocId, score: Score) {
        let at = doc as usize;
        if let (Some(best), Some(sum)) = (self.best.get_mut(at), self.sum.get_mut(at)) {
            *best = best.max(score);
            *sum += score;
        }
        self.docs.insert(doc);
    }

    /// The document's score: 0 for a document not held (whose best and sum are 0).
    #[inline]
    fn score(&self, doc: DocId) -> Score {
        let at = doc as usize;
        match (self.best.get(at), self.sum.get(at)) {
            (Some(best), Some(sum)) => best + (sum - best) * self.tie_breaker,
            _ => 0.0,
        }
    }
}

struct WordWeight {
    /// None when scoring is off.
    scored: Vec<(Term, Option<Bm25Weight>)>,
    constant: Vec<(OtherSpellings, Score)>,
    tie_breaker: Score,
}

impl WordWeight {
    /// The word's documents in `reader`; scored only within `within` when given (an
    /// optional word counts only in documents that match anyway).
    fn matches(
        &self,
        reader: &SegmentReader,
        scoring: bool,
        within: Option<&DocBits>,
    ) -> tantivy::Result<Matches> {
        let mut found = Matches::new(reader.max_doc(), scoring, self.tie_breaker);
        let wanted = |doc: DocId| within.is_none_or(|docs| docs.contains(doc));
        for (term, bm25) in &self.scored {
            let index = reader.inverted_index(term.field())?;
            let Some(info) = index.get_term_info(term)? else {
                continue;
            };
            match bm25 {
                Some(bm25) => {
                    let norms = reader.get_fieldnorms_reader(term.field())?;
                    for_each_document_and_frequency_of(&index, &info, |doc, frequency| {
                        if wanted(doc) {
                            found.add(doc, bm25.score(norms.fieldnorm_id(doc), frequency));
                        }
                    })?;
                }
                None => for_each_document_of(&index, &info, |doc| {
                    if wanted(doc) {
                        found.docs.insert(doc);
                    }
                })?,
            }
        }
        for (others, score) in &self.constant {
            // Into a set of their own first: a document holding two of the spellings
            // scores the alternative once.
            let mut spelt = DocBits::new(reader.max_doc());
            others.for_each_document(reader, |doc| spelt.insert(doc))?;
            for doc in spelt.iter() {
                if wanted(doc) {
                    found.add(doc, *score);
                }
            }
        }
        Ok(found)
    }
}

enum MemberWeight {
    Word(WordWeight),
    Other(Box<dyn Weight>),
}

impl MemberWeight {
    fn matches(
        &self,
        reader: &SegmentReader,
        scoring: bool,
        within: Option<&DocBits>,
    ) -> tantivy::Result<Matches> {
        match self {
            MemberWeight::Word(word) => word.matches(reader, scoring, within),
            MemberWeight::Other(weight) => {
                let mut found = Matches::new(reader.max_doc(), scoring, 0.0);
                let mut scorer = weight.scorer(reader, 1.0)?;
                let mut doc = scorer.doc();
                while doc != TERMINATED {
                    if within.is_none_or(|docs| docs.contains(doc)) {
                        let score = if scoring { scorer.score() } else { 0.0 };
                        found.add(doc, score);
                    }
                    doc = scorer.advance();
                }
                Ok(found)
            }
        }
    }
}

pub(super) struct WordsWeight {
    required: Vec<MemberWeight>,
    optional: Vec<MemberWeight>,
    needed: usize,
    scoring: bool,
}

/// One segment's matching documents and what each scores.
pub(super) struct SegmentMatches {
    pub docs: DocBits,
    pub scores: Scores,
}

/// Each member's matches in one segment, from which a document's score is summed.
pub(super) struct Scores {
    /// Required members first, then optional words.
    members: Vec<Matches>,
    scoring: bool,
}

impl Scores {
    /// The sum of the members `doc` holds (0 when scoring is off).
    #[inline]
    pub(super) fn of(&self, doc: DocId) -> Score {
        if !self.scoring {
            return 0.0;
        }
        // A member's score is 0 where it is not held: adding it changes nothing.
        self.members.iter().map(|found| found.score(doc)).sum()
    }
}

impl WordsWeight {
    /// The segment's documents holding enough required members, with their scores. None
    /// when no document in the segment can match.
    pub(super) fn segment_matches(
        &self,
        reader: &SegmentReader,
    ) -> tantivy::Result<Option<SegmentMatches>> {
        Ok(self
            .matching(reader)?
            .map(|(docs, members)| SegmentMatches {
                docs,
                scores: Scores {
                    members,
                    scoring: self.scoring,
                },
            }))
    }

    /// The documents holding enough required members, and the members' matches. None when
    /// no document in the segment can match.
    fn matching(&self, reader: &SegmentReader) -> tantivy::Result<Option<(DocBits, Vec<Matches>)>> {
        let every = self.needed >= self.required.len();
        let mut members = Vec::with_capacity(self.required.len() + self.optional.len());
        for member in &self.required {
            let found = member.matches(reader, self.scoring, None)?;
            // A required word the segment lacks: nothing here can match.
            if every && found.docs.is_empty() {
                return Ok(None);
            }
            members.push(found);
        }
        let docs = if members.is_empty() {
            None
        } else if every {
            let mut docs = members[0].docs.clone();
            for found in &members[1..] {
                docs.and(&found.docs);
            }
            Some(docs)
        } else {
            Some(at_least(reader.max_doc(), &members, self.needed))
        };
        let mut union = DocBits::new(reader.max_doc());
        for member in &self.optional {
            let found = member.matches(reader, self.scoring, docs.as_ref())?;
            if docs.is_none() {
                union.or(&found.docs);
            }
            members.push(found);
        }
        let docs = docs.unwrap_or(union);
        if docs.is_empty() {
            return Ok(None);
        }
        Ok(Some((docs, members)))
    }
}

/// The documents held by at least `needed` of `members`.
fn at_least(max_doc: DocId, members: &[Matches], needed: usize) -> DocBits {
    let mut counts = vec![0u16; max_doc as usize];
    for found in members {
        for doc in found.docs.iter() {
            counts[doc as usize] = counts[doc as usize].saturating_add(1);
        }
    }
    let mut docs = DocBits::new(max_doc);
    for (doc, &count) in counts.iter().enumerate() {
        if usize::from(count) >= needed {
            docs.insert(doc as DocId);
        }
    }
    docs
}

impl Weight for WordsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let Some(found) = self.segment_matches(reader)? else {
            return Ok(Box::new(EmptyScorer));
        };
        Ok(Box::new(WordsScorer {
            docs: DocBitsDocSet::new(found.docs),
            scores: found.scores,
            boost,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new(
            "sum of the words held: each its best alternative plus the others' share",
            scorer.score(),
        ))
    }
}

struct WordsScorer {
    docs: DocBitsDocSet,
    scores: Scores,
    boost: Score,
}

impl DocSet for WordsScorer {
    fn advance(&mut self) -> DocId {
        self.docs.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.docs.seek(target)
    }

    fn doc(&self) -> DocId {
        self.docs.doc()
    }

    fn size_hint(&self) -> u32 {
        self.docs.size_hint()
    }
}

impl Scorer for WordsScorer {
    fn score(&mut self) -> Score {
        if !self.scores.scoring {
            return self.boost;
        }
        self.scores.of(self.docs.doc()) * self.boost
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, TermQuery};
    use tantivy::schema::{Field, IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, DocAddress, Index, IndexWriter};

    use super::*;

    /// A searcher over documents of (title, text), each text also holding its title as
    /// the engine's `all` field does; with the `all` and `title` fields.
    fn searcher_over(docs: &[(&str, &str)]) -> (tantivy::Searcher, Field, Field) {
        let mut schema = Schema::builder();
        let all = schema.add_text_field("all", TEXT);
        let title = schema.add_text_field("title", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for (t, a) in docs {
            writer
                .add_document(doc!(title => *t, all => format!("{t} {a}")))
                .expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        (searcher, all, title)
    }

    #[test]
    fn scores_are_those_of_a_disjunction_max_over_the_same_alternatives() {
        let (searcher, all, title) = searcher_over(&[
            ("Banking hours", "banking hours saved for later hours"),
            ("Other", "the hour we banked"),
            // Two other spellings in one document: the alternative counts once.
            ("Two", "an hour or houms"),
            ("Hours", "hours"),
            ("Nothing", "nothing here at all"),
            (
                "Long",
                "a long text that mentions hours once among many other words",
            ),
        ]);
        let others = || OtherSpellings::new(all, "hours", 1, false).expect("automaton");
        let word = WordQuery {
            scored: vec![
                (Term::from_field_text(all, "hours"), 1.0),
                (Term::from_field_text(title, "hours"), 2.0),
            ],
            constant: vec![(others(), 0.3)],
            tie_breaker: 0.1,
        };
        let union = DisjunctionMaxQuery::with_tie_breaker(
            vec![
                Box::new(TermQuery::new(
                    Term::from_field_text(all, "hours"),
                    IndexRecordOption::WithFreqs,
                )) as Box<dyn Query>,
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(title, "hours"),
                        IndexRecordOption::WithFreqs,
                    )),
                    2.0,
                )),
                Box::new(BoostQuery::new(Box::new(others()), 0.3)),
            ],
            0.1,
        );
        let ours = scored(
            &searcher,
            &WordsQuery {
                required: vec![Required::Word(word)],
                optional: Vec::new(),
                needed: 1,
            },
        );
        let theirs = scored(&searcher, &union);
        assert_eq!(
            ours.len(),
            5,
            "every document with hours, hour or houms: {ours:?}"
        );
        assert_eq!(ours.len(), theirs.len());
        for ((a, x), (b, y)) in ours.iter().zip(&theirs) {
            assert_eq!(a, b);
            assert!((x - y).abs() < 1e-5, "{a:?}: {x} against {y}");
        }
    }

    /// Sorted (document, score) pairs, for comparing two queries' results.
    fn scored(searcher: &tantivy::Searcher, query: &dyn Query) -> Vec<(DocAddress, Score)> {
        let mut found: Vec<(DocAddress, Score)> = searcher
            .search(query, &TopDocs::with_limit(100).order_by_score())
            .expect("search")
            .into_iter()
            .map(|(score, address)| (address, score))
            .collect();
        found.sort_by_key(|(address, _)| *address);
        found
    }

    #[test]
    fn words_combine_as_a_boolean_query_of_required_and_optional_words_would() {
        let (searcher, all, title) = searcher_over(&[
            ("Banking hours", "the family banked hours with the staff"),
            ("Staff", "staff and family and hours"),
            ("Family", "a family without the other words"),
            ("Hours", "hours of the day"),
            ("Staff hours", "staff hours"),
            ("Nothing", "nothing here"),
            ("Family staff", "the family chose the staff"),
        ]);
        let word = |w: &str| WordQuery {
            scored: vec![
                (Term::from_field_text(all, w), 1.0),
                (Term::from_field_text(title, w), 2.0),
            ],
            constant: Vec::new(),
            tie_breaker: 0.1,
        };
        let disjunction = |w: &str| -> Box<dyn Query> {
            Box::new(DisjunctionMaxQuery::with_tie_breaker(
                vec![
                    Box::new(TermQuery::new(
                        Term::from_field_text(all, w),
                        IndexRecordOption::WithFreqs,
                    )) as Box<dyn Query>,
                    Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(
                            Term::from_field_text(title, w),
                            IndexRecordOption::WithFreqs,
                        )),
                        2.0,
                    )),
                ],
                0.1,
            ))
        };
        let required = ["family", "staff", "hours"];
        let words = |needed: usize| WordsQuery {
            required: required.iter().map(|w| Required::Word(word(w))).collect(),
            optional: vec![word("the")],
            needed,
        };
        let strict = BooleanQuery::new(
            required
                .iter()
                .map(|w| (Occur::Must, disjunction(w)))
                .chain([(Occur::Should, disjunction("the"))])
                .collect(),
        );
        let relaxed = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(BooleanQuery::with_minimum_required_clauses(
                    required
                        .iter()
                        .map(|w| (Occur::Should, disjunction(w)))
                        .collect(),
                    2,
                )) as Box<dyn Query>,
            ),
            (Occur::Should, disjunction("the")),
        ]);
        let stop_words_only = WordsQuery {
            required: Vec::new(),
            optional: vec![word("the"), word("of")],
            needed: 0,
        };
        let union = BooleanQuery::union(vec![disjunction("the"), disjunction("of")]);
        for (name, ours, theirs, expected) in [
            (
                "every word",
                scored(&searcher, &words(3)),
                scored(&searcher, &strict),
                2,
            ),
            (
                "two of three",
                scored(&searcher, &words(2)),
                scored(&searcher, &relaxed),
                4,
            ),
            (
                "stop words only",
                scored(&searcher, &stop_words_only),
                scored(&searcher, &union),
                4,
            ),
        ] {
            assert_eq!(ours.len(), expected, "{name}: {ours:?}");
            assert_eq!(ours.len(), theirs.len(), "{name}");
            for ((a, x), (b, y)) in ours.iter().zip(&theirs) {
                assert_eq!(a, b, "{name}");
                assert!((x - y).abs() < 1e-5, "{name}, {a:?}: {x} against {y}");
            }
        }
    }
}
