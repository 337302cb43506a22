//! A set of one segment's documents, one bit each, shared by the engine's own scorers
//! (`word_scores.rs`, `phrases.rs`) and facet counts (`facet_bits.rs`): sets are combined a
//! word (64 documents) at a time, and walked in order. Also the one walk over a term's
//! documents that fills them. Owns no index.

use tantivy::postings::TermInfo;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, InvertedIndexReader, TERMINATED};

/// Calls `each` with every document holding the term `info` describes, in order, reading
/// its postings a block of 128 at a time (documents only, no frequencies).
pub(super) fn for_each_document_of(
    index: &InvertedIndexReader,
    info: &TermInfo,
    mut each: impl FnMut(DocId),
) -> std::io::Result<()> {
    let mut postings = index.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
    loop {
        let block = postings.docs();
        if block.is_empty() {
            return Ok(());
        }
        for &doc in block {
            each(doc);
        }
        postings.advance();
    }
}

/// Calls `each` with every document holding the term `info` describes and the term's
/// frequency in it, in order, a block of 128 at a time.
pub(super) fn for_each_document_and_frequency_of(
    index: &InvertedIndexReader,
    info: &TermInfo,
    mut each: impl FnMut(DocId, u32),
) -> std::io::Result<()> {
    let mut postings =
        index.read_block_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
    loop {
        let docs = postings.docs();
        if docs.is_empty() {
            return Ok(());
        }
        for (&doc, &frequency) in docs.iter().zip(postings.freqs()) {
            each(doc, frequency);
        }
        postings.advance();
    }
}

#[derive(Clone, Debug)]
pub(super) struct DocBits {
    pub(super) words: Vec<u64>,
}

impl DocBits {
    pub(super) fn new(max_doc: DocId) -> DocBits {
        DocBits {
            words: vec![0; (max_doc as usize).div_ceil(64)],
        }
    }

    pub(super) fn insert(&mut self, doc: DocId) {
        self.words[(doc / 64) as usize] |= 1u64 << (doc % 64);
    }

    pub(super) fn contains(&self, doc: DocId) -> bool {
        self.words
            .get((doc / 64) as usize)
            .is_some_and(|word| word & (1u64 << (doc % 64)) != 0)
    }

    pub(super) fn is_empty(&self) -> bool {
        self.words.iter().all(|&word| word == 0)
    }

    pub(super) fn len(&self) -> u64 {
        self.words
            .iter()
            .map(|word| u64::from(word.count_ones()))
            .sum()
    }

    pub(super) fn and(&mut self, other: &DocBits) {
        for (mine, theirs) in self.words.iter_mut().zip(&other.words) {
            *mine &= theirs;
        }
    }

    pub(super) fn or(&mut self, other: &DocBits) {
        for (mine, theirs) in self.words.iter_mut().zip(&other.words) {
            *mine |= theirs;
        }
    }

    /// Keeps only the documents `keep` says yes to.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(DocId) -> bool) {
        for (at, word) in self.words.iter_mut().enumerate() {
            let mut rest = *word;
            while rest != 0 {
                let bit = rest.trailing_zeros();
                rest &= rest - 1;
                if !keep(at as DocId * 64 + bit) {
                    *word &= !(1u64 << bit);
                }
            }
        }
    }

    /// The documents in order.
    pub(super) fn iter(&self) -> Ones<'_> {
        Ones {
            words: &self.words,
            at: 0,
            rest: self.words.first().copied().unwrap_or(0),
        }
    }
}

/// A cursor over the set bits of `words`: the word it is in and that word's bits not yet
/// given. Shared by [`Ones`] and [`DocBitsDocSet`], so both walk a set the same way.
fn next_one(words: &[u64], at: &mut usize, rest: &mut u64) -> Option<DocId> {
    loop {
        if *rest != 0 {
            let bit = rest.trailing_zeros();
            *rest &= *rest - 1;
            return Some(*at as DocId * 64 + bit);
        }
        *at += 1;
        *rest = *words.get(*at)?;
    }
}

/// The documents of a [`DocBits`], in order.
pub(super) struct Ones<'a> {
    words: &'a [u64],
    at: usize,
    rest: u64,
}

impl Iterator for Ones<'_> {
    type Item = DocId;

    fn next(&mut self) -> Option<DocId> {
        next_one(self.words, &mut self.at, &mut self.rest)
    }
}

/// The documents of a [`DocBits`] as a tantivy document set (the matches of a scorer).
pub(super) struct DocBitsDocSet {
    bits: DocBits,
    at: usize,
    rest: u64,
    doc: DocId,
    len: u32,
}

impl DocBitsDocSet {
    pub(super) fn new(bits: DocBits) -> DocBitsDocSet {
        let rest = bits.words.first().copied().unwrap_or(0);
        let len = bits.len() as u32;
        let mut docs = DocBitsDocSet {
            bits,
            at: 0,
            rest,
            doc: 0,
            len,
        };
        docs.next_from_rest();
        docs
    }

    fn next_from_rest(&mut self) -> DocId {
        self.doc = next_one(&self.bits.words, &mut self.at, &mut self.rest).unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for DocBitsDocSet {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.next_from_rest()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc == TERMINATED || target <= self.doc {
            return self.doc;
        }
        let at = (target / 64) as usize;
        let Some(&word) = self.bits.words.get(at) else {
            self.at = self.bits.words.len();
            self.rest = 0;
            self.doc = TERMINATED;
            return TERMINATED;
        };
        self.at = at;
        self.rest = word & (u64::MAX << (target % 64));
        self.next_from_rest()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_walked_and_sought_in_order() {
        let mut bits = DocBits::new(300);
        let docs = [0, 5, 63, 64, 65, 200, 299];
        for doc in docs {
            bits.insert(doc);
        }
        assert_eq!(bits.iter().collect::<Vec<_>>(), docs);
        assert_eq!(bits.len(), docs.len() as u64);
        let mut set = DocBitsDocSet::new(bits.clone());
        assert_eq!(set.doc(), 0);
        assert_eq!(set.advance(), 5);
        assert_eq!(set.seek(64), 64);
        assert_eq!(set.seek(66), 200);
        assert_eq!(set.advance(), 299);
        assert_eq!(set.advance(), TERMINATED);
        assert_eq!(DocBitsDocSet::new(bits).seek(300), TERMINATED);
        assert_eq!(DocBits::new(300).iter().next(), None);
        assert_eq!(DocBitsDocSet::new(DocBits::new(0)).doc(), TERMINATED);
        let mut odd = DocBits::new(300);
        docs.iter().for_each(|&doc| odd.insert(doc));
        odd.retain(|doc| doc % 2 == 1);
        assert_eq!(odd.iter().collect::<Vec<_>>(), [5, 63, 65, 299]);
    }
}
