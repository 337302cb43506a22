//! One query word's alternatives (its folded form, in titles, its stems, its other spellings)
//! scored term at a time into per-segment arrays, rather than as tantivy's union of one
//! scorer per alternative. The union scores every document through a virtual call and a
//! seek per alternative; here each term's postings are read straight through once, and the
//! word becomes one set of documents with one score each. Scores are those of a
//! `DisjunctionMaxQuery` over the same alternatives (the best plus `tie_breaker` times the
//! rest). Owns no index and decides nothing about which alternatives a word has.

use tantivy::postings::Postings;
use tantivy::query::{BitSetDocSet, Bm25Weight, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::BitSet;

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

impl Query for WordQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
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
        let mut constant = Vec::with_capacity(self.constant.len());
        for (query, boost) in &self.constant {
            constant.push((query.weight(enable_scoring)?, *boost));
        }
        Ok(Box::new(WordWeight {
            scored,
            constant,
            tie_breaker: self.tie_breaker,
            scoring: enable_scoring.is_scoring_enabled(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (term, _) in &self.scored {
            visitor(term, false);
        }
    }
}

struct WordWeight {
    /// None when scoring is off.
    scored: Vec<(Term, Option<Bm25Weight>)>,
    constant: Vec<(Box<dyn Weight>, Score)>,
    tie_breaker: Score,
    scoring: bool,
}

impl Weight for WordWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let max_doc = reader.max_doc();
        let mut docs = BitSet::with_max_value(max_doc);
        let (mut best, mut sum) = if self.scoring {
            (
                vec![0.0f32; max_doc as usize],
                vec![0.0f32; max_doc as usize],
            )
        } else {
            (Vec::new(), Vec::new())
        };
        for (term, bm25) in &self.scored {
            let index = reader.inverted_index(term.field())?;
            let Some(info) = index.get_term_info(term)? else {
                continue;
            };
            match bm25 {
                Some(bm25) => {
                    let norms = reader.get_fieldnorms_reader(term.field())?;
                    let mut postings =
                        index.read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
                    let mut doc = postings.doc();
                    while doc != TERMINATED {
                        let score = bm25.score(norms.fieldnorm_id(doc), postings.term_freq());
                        let at = doc as usize;
                        best[at] = best[at].max(score);
                        sum[at] += score;
                        docs.insert(doc);
                        doc = postings.advance();
                    }
                }
                None => {
                    let mut postings =
                        index.read_block_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
                    loop {
                        let block = postings.docs();
                        if block.is_empty() {
                            break;
                        }
                        for &doc in block {
                            docs.insert(doc);
                        }
                        postings.advance();
                    }
                }
            }
        }
        for (weight, score) in &self.constant {
            let mut matches = weight.scorer(reader, 1.0)?;
            let mut doc = matches.doc();
            while doc != TERMINATED {
                if self.scoring {
                    let at = doc as usize;
                    best[at] = best[at].max(*score);
                    sum[at] += *score;
                }
                docs.insert(doc);
                doc = matches.advance();
            }
        }
        Ok(Box::new(WordScorer {
            docs: BitSetDocSet::from(docs),
            best,
            sum,
            tie_breaker: self.tie_breaker,
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
            "best alternative plus the others' share",
            scorer.score(),
        ))
    }
}

struct WordScorer {
    docs: BitSetDocSet,
    best: Vec<Score>,
    sum: Vec<Score>,
    tie_breaker: Score,
    boost: Score,
}

impl DocSet for WordScorer {
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

impl Scorer for WordScorer {
    fn score(&mut self) -> Score {
        let at = self.docs.doc() as usize;
        match (self.best.get(at), self.sum.get(at)) {
            (Some(best), Some(sum)) => (best + (sum - best) * self.tie_breaker) * self.boost,
            _ => self.boost,
        }
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::{BoostQuery, DisjunctionMaxQuery, TermQuery};
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, DocAddress, Index, IndexWriter};

    use super::*;

    #[test]
    fn scores_are_those_of_a_disjunction_max_over_the_same_alternatives() {
        let mut schema = Schema::builder();
        let all = schema.add_text_field("all", TEXT);
        let title = schema.add_text_field("title", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for (t, a) in [
            ("Banking hours", "banking hours saved for later hours"),
            ("Other", "the hour we banked"),
            ("Hours", "hours"),
            ("Nothing", "nothing here at all"),
            (
                "Long",
                "a long text that mentions hours once among many other words",
            ),
        ] {
            writer
                .add_document(doc!(title => t, all => format!("{t} {a}")))
                .expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
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
        let scores = |query: &dyn Query| -> Vec<(DocAddress, Score)> {
            let mut found: Vec<(DocAddress, Score)> = searcher
                .search(query, &TopDocs::with_limit(10).order_by_score())
                .expect("search")
                .into_iter()
                .map(|(score, address)| (address, score))
                .collect();
            found.sort_by_key(|(address, _)| *address);
            found
        };
        let ours = scores(&word);
        let theirs = scores(&union);
        assert_eq!(ours.len(), 4, "every document with hours or hour: {ours:?}");
        assert_eq!(ours.len(), theirs.len());
        for ((a, x), (b, y)) in ours.iter().zip(&theirs) {
            assert_eq!(a, b);
            assert!((x - y).abs() < 1e-5, "{a:?}: {x} against {y}");
        }
    }
}
