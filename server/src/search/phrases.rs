//! Quoted phrases for the embedded engine: the documents whose words stand side by side in
//! the phrase's order.
//!
//! Only documents whose pair buckets (`analysis::pair_term`) hold every adjacent pair of the
//! phrase can match, so positions are compared in those alone. Each word's postings are then
//! read once, in document order, keeping a running count of the positions passed. tantivy's
//! phrase scorer instead sums the frequencies before a document in its block for every
//! document it reads, which made phrases of common words ("support the") the slowest
//! searches of all.
//!
//! Owns no index and no scoring: the engine ranks a phrase by its pairs' own terms and uses
//! this query only to decide which documents match.

use tantivy::directory::CompositeFile;
use tantivy::index::SegmentComponent;
use tantivy::positions::PositionReader;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{ConstScorer, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, SegmentReader, TantivyError, Term};

use super::doc_bits::{for_each_document_of, DocBits, DocBitsDocSet};

/// The documents holding `words` (terms of one field indexed with positions) one after the
/// other. `pairs` are the bucket terms of each adjacent pair: every matching document holds
/// them all, whatever else shares their buckets.
#[derive(Clone, Debug)]
pub(super) struct ExactPhrase {
    words: Vec<Term>,
    pairs: Vec<Term>,
}

impl ExactPhrase {
    /// `words` must hold at least two words, and `pairs` one bucket term per adjacent pair.
    pub(super) fn new(words: Vec<Term>, pairs: Vec<Term>) -> ExactPhrase {
        debug_assert!(words.len() >= 2 && pairs.len() + 1 == words.len());
        ExactPhrase { words, pairs }
    }
}

impl Query for ExactPhrase {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for word in &self.words {
            visitor(word, true);
        }
    }
}

impl Weight for ExactPhrase {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        match phrase_documents(reader, &self.words, &self.pairs)? {
            Some(docs) => Ok(Box::new(ConstScorer::new(DocBitsDocSet::new(docs), boost))),
            None => Ok(Box::new(EmptyScorer)),
        }
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let holds = phrase_documents(reader, &self.words, &self.pairs)?
            .is_some_and(|docs| docs.contains(doc));
        if !holds {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not hold the phrase"
            )));
        }
        Ok(Explanation::new("holds the phrase", 1.0))
    }
}

/// The documents of `reader` holding the phrase; None when none can.
fn phrase_documents(
    reader: &SegmentReader,
    words: &[Term],
    pairs: &[Term],
) -> tantivy::Result<Option<DocBits>> {
    let Some(candidates) = bucket_documents(reader, pairs)? else {
        return Ok(None);
    };
    let field = words[0].field();
    let index = reader.inverted_index(field)?;
    let positions = CompositeFile::open(&reader.open_read(SegmentComponent::Positions)?)?
        .open_read(field)
        .ok_or_else(|| TantivyError::SchemaError("the phrase's field has no positions".into()))?;
    let mut cursors = Vec::with_capacity(words.len());
    for word in words {
        let Some(info) = index.get_term_info(word)? else {
            return Ok(None);
        };
        cursors.push(WordCursor {
            postings: index
                .read_block_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?,
            positions: PositionReader::open(
                positions.read_bytes_slice(info.positions_range.clone())?,
            )?,
            at: 0,
            offset: 0,
        });
    }
    let mut found = DocBits::new(reader.max_doc());
    // Positions where the phrase could start, narrowed word by word.
    let mut starts = Vec::new();
    let mut next = Vec::new();
    let mut buffer = Vec::new();
    'documents: for doc in candidates.iter() {
        for (i, cursor) in cursors.iter_mut().enumerate() {
            match cursor.seek(doc) {
                Seek::Holds => {}
                Seek::Lacks => continue 'documents,
                Seek::Past => break 'documents,
            }
            if i == 0 {
                cursor.positions(&mut buffer, &mut starts);
                continue;
            }
            if i + 1 == words.len() {
                // The last word: one start it follows is enough.
                if any_followed(&starts, cursor.gaps(&mut buffer), i as u32) {
                    found.insert(doc);
                }
                continue 'documents;
            }
            cursor.positions(&mut buffer, &mut next);
            keep_followed(&mut starts, &next, i as u32);
            if starts.is_empty() {
                continue 'documents;
            }
        }
    }
    Ok((!found.is_empty()).then_some(found))
}

/// The documents holding every bucket term; None when one is missing from the segment.
fn bucket_documents(reader: &SegmentReader, pairs: &[Term]) -> tantivy::Result<Option<DocBits>> {
    let mut candidates: Option<DocBits> = None;
    for pair in pairs {
        let index = reader.inverted_index(pair.field())?;
        let Some(info) = index.get_term_info(pair)? else {
            return Ok(None);
        };
        let mut docs = DocBits::new(reader.max_doc());
        for_each_document_of(&index, &info, |doc| docs.insert(doc))?;
        match &mut candidates {
            Some(so_far) => so_far.and(&docs),
            None => candidates = Some(docs),
        }
    }
    Ok(candidates.filter(|docs| !docs.is_empty()))
}

/// Keeps the start positions `s` for which the word `distance` places from the start stands
/// at `s + distance` (`positions` ascending, as `starts` are).
fn keep_followed(starts: &mut Vec<u32>, positions: &[u32], distance: u32) {
    let mut kept = 0;
    let mut j = 0;
    for i in 0..starts.len() {
        let wanted = starts[i] + distance;
        while j < positions.len() && positions[j] < wanted {
            j += 1;
        }
        if j == positions.len() {
            break;
        }
        if positions[j] == wanted {
            starts[kept] = starts[i];
            kept += 1;
        }
    }
    starts.truncate(kept);
}

/// Whether the word `distance` places from the start stands at `s + distance` for some start
/// `s` (ascending), its positions given as gaps from the previous one.
fn any_followed(starts: &[u32], gaps: &[u32], distance: u32) -> bool {
    let mut starts = starts.iter().map(|start| start + distance);
    let Some(mut wanted) = starts.next() else {
        return false;
    };
    let mut position = 0;
    for gap in gaps {
        position += gap;
        while wanted < position {
            match starts.next() {
                Some(next) => wanted = next,
                None => return false,
            }
        }
        if wanted == position {
            return true;
        }
    }
    false
}

enum Seek {
    Holds,
    Lacks,
    /// The word's documents have all been passed.
    Past,
}

/// One word's postings, read forward, with the offset of the current document's positions
/// among all the word's positions.
struct WordCursor {
    postings: BlockSegmentPostings,
    positions: PositionReader,
    /// The current document's place in the loaded block.
    at: usize,
    offset: u64,
}

impl WordCursor {
    fn seek(&mut self, doc: DocId) -> Seek {
        loop {
            let docs = self.postings.docs();
            let Some(&last) = docs.last() else {
                return Seek::Past;
            };
            let freqs = self.postings.freqs();
            if last < doc {
                self.offset += freqs[self.at..].iter().map(|&f| u64::from(f)).sum::<u64>();
                self.postings.advance();
                self.at = 0;
                continue;
            }
            while docs[self.at] < doc {
                self.offset += u64::from(freqs[self.at]);
                self.at += 1;
            }
            return if docs[self.at] == doc {
                Seek::Holds
            } else {
                Seek::Lacks
            };
        }
    }

    /// The current document's positions of the word, stored as gaps from the previous one
    /// (the first from the document's start), read into `buffer`.
    fn gaps<'b>(&mut self, buffer: &'b mut Vec<u32>) -> &'b [u32] {
        let count = self.postings.freqs()[self.at] as usize;
        if buffer.len() < count {
            buffer.resize(count, 0);
        }
        let gaps = &mut buffer[..count];
        self.positions.read(self.offset, gaps);
        gaps
    }

    /// The current document's positions of the word, ascending, into `out`.
    fn positions(&mut self, buffer: &mut Vec<u32>, out: &mut Vec<u32>) {
        out.clear();
        let mut position = 0;
        out.extend(self.gaps(buffer).iter().map(|gap| {
            position += gap;
            position
        }));
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::DocSetCollector;
    use tantivy::query::PhraseQuery;
    use tantivy::schema::{Schema, TextFieldIndexing, TextOptions};
    use tantivy::{doc, Index, IndexWriter, Term};

    use super::super::analysis::{folded_analyzer, pair_term, pairs_analyzer};
    use super::*;

    #[test]
    fn finds_the_documents_tantivy_s_phrase_query_finds() {
        let text = |tokenizer: &str, record: IndexRecordOption| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(record),
            )
        };
        let mut schema = Schema::builder();
        let all = schema.add_text_field(
            "all",
            text("folded", IndexRecordOption::WithFreqsAndPositions),
        );
        let pairs = schema.add_text_field("pairs", text("pairs", IndexRecordOption::WithFreqs));
        let index = Index::create_in_ram(schema.build());
        index.tokenizers().register("folded", folded_analyzer());
        index.tokenizers().register("pairs", pairs_analyzer());
        // A few very common words and many rarer ones, so that terms span many blocks of
        // postings and of positions, documents hold a word many times, and pair buckets
        // are shared by pairs that are not the phrase's.
        let common = ["the", "support", "and", "of", "person"];
        let rare: Vec<String> = (0..400).map(|i| format!("w{i}")).collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |below: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % below
        };
        let mut writer: IndexWriter = index
            .writer_with_num_threads(1, 30_000_000)
            .expect("writer");
        for n in 0..3_000 {
            let length = 1 + next(120) as usize;
            let words: Vec<&str> = (0..length)
                .map(|_| {
                    if next(2) == 0 {
                        common[next(common.len() as u64) as usize]
                    } else {
                        rare[next(rare.len() as u64) as usize].as_str()
                    }
                })
                .collect();
            let body = words.join(" ");
            writer
                .add_document(doc!(all => body.as_str(), pairs => body.as_str()))
                .expect("add");
            // Two segments, and a deleted document in one.
            if n == 1_500 {
                writer.commit().expect("commit");
            }
        }
        writer.delete_term(Term::from_field_text(all, "w7"));
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        assert_eq!(searcher.segment_readers().len(), 2);

        let mut phrases: Vec<Vec<&str>> = Vec::new();
        for a in common {
            for b in common {
                phrases.push(vec![a, b]);
            }
            phrases.push(vec![a, "w1"]);
            phrases.push(vec!["w2", a]);
            phrases.push(vec![a, "the", "support"]);
        }
        phrases.push(vec!["w3", "w4"]);
        phrases.push(vec!["support", "nowhere"]);
        phrases.push(vec!["the", "the", "the"]);
        let mut matched_some = 0;
        for phrase in &phrases {
            let words: Vec<Term> = phrase
                .iter()
                .map(|w| Term::from_field_text(all, w))
                .collect();
            let buckets = phrase
                .windows(2)
                .map(|pair| Term::from_field_text(pairs, &pair_term(pair[0], pair[1])))
                .collect();
            let ours = searcher
                .search(&ExactPhrase::new(words.clone(), buckets), &DocSetCollector)
                .expect("search");
            let theirs = searcher
                .search(&PhraseQuery::new(words), &DocSetCollector)
                .expect("search");
            assert_eq!(ours, theirs, "{phrase:?}");
            if !ours.is_empty() {
                matched_some += 1;
            }
        }
        // Most phrases match somewhere, so the comparison is not between empty sets.
        assert!(matched_some > phrases.len() / 2, "{matched_some}");
    }
}
