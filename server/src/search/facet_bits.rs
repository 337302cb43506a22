//! Facet counts for the embedded engine, from bitsets.
//!
//! tantivy's facet collector reads every matching document's facet values from a column:
//! about 0.1 µs a document, so a common word (a fifth of the corpus) spent more time on
//! counts than on anything else, and browsing everything cost most of all. Here each
//! segment's facet values are turned once into sets of documents (a bitset for common
//! values, a sorted list for rare ones); a search collects its matches into a bitset and
//! each value's count is the size of an intersection. The cost no longer grows with the
//! number of matches, only with the segment's size and the number of values.
//!
//! Segments never change once written (deletions are applied by the collector, which never
//! sees a deleted document), so a segment's sets are built once and kept until the segment
//! leaves the index. Values are numbered across segments, so that segments' counts add up
//! by number rather than by looking each value up by name (string comparisons were a
//! twentieth of a search). Owns nothing but this cache; what to count is the engine's
//! business.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::schema::Field;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::doc_bits::{for_each_document_of, DocBits};
use super::{Facet, FacetCounts, SearchError};

/// The documents holding one facet value in one segment.
enum Holders {
    /// Values held by many documents: intersected word by word.
    Dense(DocBits),
    /// Values held by few (fewer documents than the bitset has words): looked up one by one.
    Sparse(Vec<DocId>),
}

/// Every facet value any segment has held, numbered in the order first seen.
#[derive(Default)]
struct ValueNumbers {
    numbers: HashMap<(Facet, Arc<str>), u32>,
    named: Arc<NamedValues>,
}

/// The values by number, and their numbers in (facet, value) order.
#[derive(Default, Clone)]
struct NamedValues {
    names: Vec<(Facet, Arc<str>)>,
    sorted: Vec<u32>,
}

impl ValueNumbers {
    fn number(&mut self, facet: Facet, value: &str) -> u32 {
        let name: Arc<str> = Arc::from(value);
        if let Some(&number) = self.numbers.get(&(facet, name.clone())) {
            return number;
        }
        let number = self.numbers.len() as u32;
        self.numbers.insert((facet, name.clone()), number);
        // Copies the names only while a search still holds them.
        let named = Arc::make_mut(&mut self.named);
        named.names.push((facet, name));
        let names = &named.names;
        let at = named
            .sorted
            .partition_point(|&n| (names[n as usize].0, &*names[n as usize].1) < (facet, value));
        named.sorted.insert(at, number);
        number
    }
}

pub(super) struct SegmentFacets {
    /// Each value's number and the documents holding it.
    values: Vec<(u32, Holders)>,
    /// The same sets turned around, every value and the sparse ones only. A narrow search
    /// counts faster by visiting its few matches than by intersecting every value's set,
    /// and values held by few documents each (organisations) count faster by visiting the
    /// matches than by looking each of their documents up in them.
    all_by_document: ValuesByDocument,
    sparse_by_document: ValuesByDocument,
    /// Each value's number of documents (deleted ones included), in `values`' order.
    totals: Vec<u64>,
    max_doc: DocId,
    /// What intersecting every value's set costs for a search matching everything, in words
    /// and document lookups: the bar the per-document count must beat.
    dense_values: usize,
    sparse_docs: usize,
}

/// Each document's values (indexes into [`SegmentFacets::values`]): document `d`'s are
/// `of[starts[d]..starts[d + 1]]`.
struct ValuesByDocument {
    starts: Vec<u32>,
    of: Vec<u32>,
}

impl ValuesByDocument {
    /// From (document, value) pairs in document order.
    fn build(pairs: &[(DocId, u32)], max_doc: DocId) -> ValuesByDocument {
        let mut starts = Vec::with_capacity(max_doc as usize + 1);
        let mut at = 0;
        for doc in 0..=max_doc {
            while at < pairs.len() && pairs[at].0 < doc {
                at += 1;
            }
            starts.push(at as u32);
        }
        ValuesByDocument {
            starts,
            of: pairs.iter().map(|&(_, value)| value).collect(),
        }
    }

    /// Values per document, on average, scaled by 1,024.
    fn per_document_1024(&self) -> usize {
        self.of.len() * 1024 / self.starts.len().max(1)
    }

    /// Adds one to the count of every value of every document in `docs`, or of every
    /// document not in `docs` when `missing` (then the counts are of misses).
    fn tally(&self, docs: &DocBits, missing: bool, counts: &mut [u64]) {
        let max_doc = self.starts.len().saturating_sub(1);
        for (at, &word) in docs.words.iter().enumerate() {
            let first = at * 64;
            let mut rest = if missing { !word } else { word };
            if first + 64 > max_doc {
                rest &= (1u64 << (max_doc - first)) - 1;
            }
            while rest != 0 {
                let doc = first + rest.trailing_zeros() as usize;
                rest &= rest - 1;
                let (from, to) = (self.starts[doc] as usize, self.starts[doc + 1] as usize);
                for &value in &self.of[from..to] {
                    counts[value as usize] += 1;
                }
            }
        }
    }
}

/// How the sparse values are counted alongside the dense sets' intersections.
#[derive(Clone, Copy, Debug)]
enum SparseBy {
    /// Each of their documents looked up in the matches.
    Lookups,
    /// The matches visited.
    Matches,
    /// The documents that miss visited (a value's matches are its documents less those).
    Misses,
}

impl SegmentFacets {
    fn build(
        segment: &SegmentReader,
        field: Field,
        numbers: &mut ValueNumbers,
    ) -> Result<SegmentFacets, SearchError> {
        let index = segment
            .inverted_index(field)
            .map_err(super::embedded::index_error)?;
        let max_doc = segment.max_doc();
        let words = (max_doc as usize).div_ceil(64);
        let mut values = Vec::new();
        let mut pairs: Vec<(DocId, u32)> = Vec::new();
        let mut terms = index
            .terms()
            .stream()
            .map_err(super::embedded::index_error)?;
        while terms.advance() {
            // Facet terms are the path's parts joined by NUL; "/type" is indexed beside
            // "/type/case_story", and only the second is a value.
            let Ok(key) = std::str::from_utf8(terms.key()) else {
                continue;
            };
            let mut parts = key.split('\0');
            let (Some(name), Some(value), None) = (parts.next(), parts.next(), parts.next()) else {
                continue;
            };
            let Some(facet) = Facet::ALL.into_iter().find(|f| f.as_str() == name) else {
                continue;
            };
            let info = terms.value();
            let index_of_value = values.len() as u32;
            let mut docs = Vec::with_capacity(info.doc_freq as usize);
            for_each_document_of(&index, info, |doc| {
                docs.push(doc);
                pairs.push((doc, index_of_value));
            })
            .map_err(super::embedded::index_error)?;
            let holders = if docs.len() < words {
                Holders::Sparse(docs)
            } else {
                let mut bits = DocBits::new(max_doc);
                for doc in docs {
                    bits.insert(doc);
                }
                Holders::Dense(bits)
            };
            values.push((numbers.number(facet, value), holders));
        }
        pairs.sort_unstable();
        let all_by_document = ValuesByDocument::build(&pairs, max_doc);
        pairs.retain(|&(_, value)| matches!(values[value as usize].1, Holders::Sparse(_)));
        let sparse_by_document = ValuesByDocument::build(&pairs, max_doc);
        let totals = values
            .iter()
            .map(|(_, holders)| match holders {
                Holders::Dense(bits) => bits.len(),
                Holders::Sparse(docs) => docs.len() as u64,
            })
            .collect();
        let dense_values = values
            .iter()
            .filter(|(_, h)| matches!(h, Holders::Dense(_)))
            .count();
        let sparse_docs = values
            .iter()
            .map(|(_, h)| match h {
                Holders::Sparse(docs) => docs.len(),
                Holders::Dense(_) => 0,
            })
            .sum();
        Ok(SegmentFacets {
            values,
            all_by_document,
            sparse_by_document,
            totals,
            max_doc,
            dense_values,
            sparse_docs,
        })
    }

    /// Each value's number of matches, visiting the matches one by one.
    fn count_by_document(&self, matches: &DocBits) -> Vec<(u32, u64)> {
        let mut counts = vec![0u64; self.values.len()];
        self.all_by_document.tally(matches, false, &mut counts);
        self.numbered(counts)
    }

    /// Each value's number of matches, visiting the documents that do not match: a value's
    /// matches are its documents less those. For broad searches, where fewer documents
    /// miss than match (browsing everything: only the deleted ones).
    fn count_by_missing(&self, matches: &DocBits) -> Vec<(u32, u64)> {
        let mut missing = vec![0u64; self.values.len()];
        self.all_by_document.tally(matches, true, &mut missing);
        let counts = self
            .totals
            .iter()
            .zip(missing)
            .map(|(total, missing)| total - missing)
            .collect();
        self.numbered(counts)
    }

    /// Counts by index into `values` as (value number, count), leaving out the zeros.
    fn numbered(&self, counts: Vec<u64>) -> Vec<(u32, u64)> {
        counts
            .into_iter()
            .zip(&self.values)
            .filter(|(count, _)| *count > 0)
            .map(|(count, (number, _))| (*number, count))
            .collect()
    }

    /// The segment's matches and each value's number of them (values with none left out).
    pub(super) fn count_matches(&self, matches: &DocBits) -> SegmentCounts {
        let matched = matches.len();
        (matched, self.count(matches, matched))
    }

    /// The documents holding any of the values numbered `numbers`.
    pub(super) fn holding(&self, numbers: &[u32]) -> DocBits {
        let mut holders = DocBits::new(self.max_doc);
        for (number, held) in &self.values {
            if !numbers.contains(number) {
                continue;
            }
            match held {
                Holders::Dense(bits) => holders.or(bits),
                Holders::Sparse(docs) => docs.iter().for_each(|&doc| holders.insert(doc)),
            }
        }
        holders
    }

    /// Each value's number of matches, given the segment's matches (values with none left
    /// out), by whichever way visits least.
    fn count(&self, matches: &DocBits, matched: u64) -> Vec<(u32, u64)> {
        let matched = matched as usize;
        let missed = (self.max_doc as usize).saturating_sub(matched);
        let visited = matched.min(missed);
        let by_document = visited * self.all_by_document.per_document_1024() / 1024;
        let sparse_by_document = visited * self.sparse_by_document.per_document_1024() / 1024;
        let by_sets =
            self.dense_values * matches.words.len() / 2 + self.sparse_docs.min(sparse_by_document);
        if by_document < by_sets {
            return if missed < matched {
                self.count_by_missing(matches)
            } else {
                self.count_by_document(matches)
            };
        }
        let sparse = if self.sparse_docs <= sparse_by_document {
            SparseBy::Lookups
        } else if missed < matched {
            SparseBy::Misses
        } else {
            SparseBy::Matches
        };
        self.count_by_sets(matches, sparse)
    }

    /// Each value's number of matches: the dense values' sets intersected with the matches,
    /// the sparse values counted `sparse`.
    fn count_by_sets(&self, matches: &DocBits, sparse: SparseBy) -> Vec<(u32, u64)> {
        // A narrow search touches few words of the bitset: only those need intersecting.
        // A broad one touches most, and a plain pass over all of them is faster.
        let occupied: Vec<usize> = (0..matches.words.len())
            .filter(|&i| matches.words[i] != 0)
            .collect();
        let broad = occupied.len() * 2 > matches.words.len();
        let mut counts = vec![0u64; self.values.len()];
        for ((_, holders), count) in self.values.iter().zip(counts.iter_mut()) {
            *count = match holders {
                Holders::Sparse(docs) => match sparse {
                    SparseBy::Lookups => {
                        docs.iter().filter(|&&d| matches.contains(d)).count() as u64
                    }
                    SparseBy::Matches | SparseBy::Misses => 0,
                },
                Holders::Dense(bits) if broad => bits
                    .words
                    .iter()
                    .zip(&matches.words)
                    .map(|(a, b)| u64::from((a & b).count_ones()))
                    .sum(),
                Holders::Dense(bits) => occupied
                    .iter()
                    .map(|&i| u64::from((bits.words[i] & matches.words[i]).count_ones()))
                    .sum(),
            };
        }
        match sparse {
            SparseBy::Lookups => {}
            SparseBy::Matches => self.sparse_by_document.tally(matches, false, &mut counts),
            SparseBy::Misses => {
                let mut missing = vec![0u64; self.values.len()];
                self.sparse_by_document.tally(matches, true, &mut missing);
                for (((_, holders), count), (total, missed)) in self
                    .values
                    .iter()
                    .zip(counts.iter_mut())
                    .zip(self.totals.iter().zip(missing))
                {
                    if matches!(holders, Holders::Sparse(_)) {
                        *count = total - missed;
                    }
                }
            }
        }
        self.numbered(counts)
    }
}

/// Every live segment's facet sets, built on first use.
#[derive(Default)]
pub struct FacetCache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>,
    numbers: Mutex<ValueNumbers>,
}

impl FacetCache {
    /// The sets of `searcher`'s segments, in its order: builds those of segments new since
    /// the last call and forgets those merged away. Called once per search before
    /// collecting, so collecting never builds, and a search keeps its segments' sets even
    /// when another search (with a newer searcher) has since forgotten them.
    pub fn prepare(
        &self,
        searcher: &Searcher,
        field: Field,
    ) -> Result<Vec<Arc<SegmentFacets>>, SearchError> {
        let mut segments = self.segments.lock().unwrap_or_else(|p| p.into_inner());
        let live: Vec<&SegmentReader> = searcher.segment_readers().iter().collect();
        segments.retain(|id, _| live.iter().any(|s| s.segment_id() == *id));
        let mut prepared = Vec::with_capacity(live.len());
        for segment in live {
            let facets = match segments.entry(segment.segment_id()) {
                std::collections::hash_map::Entry::Occupied(entry) => Arc::clone(entry.get()),
                std::collections::hash_map::Entry::Vacant(entry) => {
                    let mut numbers = self.numbers.lock().unwrap_or_else(|p| p.into_inner());
                    let built = Arc::new(SegmentFacets::build(segment, field, &mut numbers)?);
                    Arc::clone(entry.insert(built))
                }
            };
            prepared.push(facets);
        }
        Ok(prepared)
    }

    fn named(&self) -> Arc<NamedValues> {
        let numbers = self.numbers.lock().unwrap_or_else(|p| p.into_inner());
        Arc::clone(&numbers.named)
    }

    /// The numbers of `facet`'s `values` that some segment has held (the others match
    /// nothing).
    pub(super) fn numbers_of(&self, facet: Facet, values: &[String]) -> Vec<u32> {
        let numbers = self.numbers.lock().unwrap_or_else(|p| p.into_inner());
        values
            .iter()
            .filter_map(|value| numbers.numbers.get(&(facet, Arc::from(value.as_str()))))
            .copied()
            .collect()
    }

    /// The total and the counts of every facet value, from each segment's.
    pub(super) fn merge(&self, segment_counts: Vec<SegmentCounts>) -> (u64, FacetCounts) {
        let named = self.named();
        let mut total = 0;
        let mut counts = vec![0u64; named.names.len()];
        for (count, segment_counts) in segment_counts {
            total += count;
            for (number, n) in segment_counts {
                if let Some(sum) = counts.get_mut(number as usize) {
                    *sum += n;
                }
            }
        }
        // In (facet, value) order, so each facet's map is built from sorted values at once.
        let mut merged: FacetCounts = BTreeMap::new();
        let mut values = named
            .sorted
            .iter()
            .map(|&number| (&named.names[number as usize], counts[number as usize]))
            .filter(|(_, count)| *count > 0)
            .peekable();
        while let Some(((facet, _), _)) = values.peek() {
            let facet = *facet;
            let of_facet: BTreeMap<String, u64> = std::iter::from_fn(|| {
                values
                    .next_if(|((f, _), _)| *f == facet)
                    .map(|((_, value), count)| (String::from(&**value), count))
            })
            .collect();
            merged.insert(facet, of_facet);
        }
        (total, merged)
    }
}

/// Collects a search's matches and returns their number and their facet counts.
pub struct FacetCountCollector {
    pub cache: Arc<FacetCache>,
    /// The searcher's segments' sets, in its order ([`FacetCache::prepare`]).
    pub segments: Vec<Arc<SegmentFacets>>,
}

pub struct FacetCountSegmentCollector {
    facets: Option<Arc<SegmentFacets>>,
    matches: DocBits,
}

impl Collector for FacetCountCollector {
    type Fruit = (u64, FacetCounts);
    type Child = FacetCountSegmentCollector;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetCountSegmentCollector> {
        Ok(FacetCountSegmentCollector {
            facets: self.segments.get(segment_ord as usize).cloned(),
            matches: DocBits::new(segment.max_doc()),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        segment_fruits: Vec<SegmentCounts>,
    ) -> tantivy::Result<(u64, FacetCounts)> {
        Ok(self.cache.merge(segment_fruits))
    }
}

/// One segment's matches and its values' counts.
pub(super) type SegmentCounts = (u64, Vec<(u32, u64)>);

impl SegmentCollector for FacetCountSegmentCollector {
    type Fruit = SegmentCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.matches.insert(doc);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for &doc in docs {
            self.matches.insert(doc);
        }
    }

    fn harvest(self) -> SegmentCounts {
        match &self.facets {
            Some(facets) => facets.count_matches(&self.matches),
            None => (self.matches.len(), Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Facet as TantivyFacet, Schema};
    use tantivy::{Index, TantivyDocument};

    /// An empty index with one facet field, and its writer.
    fn facet_index() -> (Index, Field, tantivy::IndexWriter) {
        let mut builder = Schema::builder();
        let field = builder.add_facet_field("facets", tantivy::schema::FacetOptions::default());
        let index = Index::create_in_ram(builder.build());
        let writer = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        (index, field, writer)
    }

    #[test]
    fn counting_by_document_and_by_sets_agree() {
        let (index, field, mut writer) = facet_index();
        for doc in 0..1_000u32 {
            let mut d = TantivyDocument::default();
            // Common values (dense sets), rare ones (sparse lists), several per document.
            d.add_facet(
                field,
                TantivyFacet::from_path(["type", ["a", "b", "c"][doc as usize % 3]]),
            );
            d.add_facet(
                field,
                TantivyFacet::from_path(["topic", &format!("t{}", doc % 7)]),
            );
            if doc % 97 == 0 {
                d.add_facet(
                    field,
                    TantivyFacet::from_path(["org", &format!("rare{}", doc % 5)]),
                );
            }
            writer.add_document(d).expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let segment = &searcher.segment_readers()[0];
        let mut numbers = ValueNumbers::default();
        let facets = SegmentFacets::build(segment, field, &mut numbers).expect("facet sets");
        assert!(facets
            .values
            .iter()
            .any(|(_, h)| matches!(h, Holders::Sparse(_))));
        assert!(facets
            .values
            .iter()
            .any(|(_, h)| matches!(h, Holders::Dense(_))));
        let sorted = |counts: Vec<(u32, u64)>| {
            let mut named: Vec<(Facet, Arc<str>, u64)> = counts
                .into_iter()
                .map(|(number, count)| {
                    let (facet, value) = numbers.named.names[number as usize].clone();
                    (facet, value, count)
                })
                .collect();
            named.sort_by(|a, b| (a.0.as_str(), &a.1).cmp(&(b.0.as_str(), &b.1)));
            named
        };
        for every in [1u32, 2, 3, 50, 97, 1_000] {
            let mut matches = DocBits::new(segment.max_doc());
            for doc in (0..1_000).step_by(every as usize) {
                matches.insert(doc);
            }
            let by_document = sorted(facets.count_by_document(&matches));
            for sparse in [SparseBy::Lookups, SparseBy::Matches, SparseBy::Misses] {
                assert_eq!(
                    by_document,
                    sorted(facets.count_by_sets(&matches, sparse)),
                    "every {every}, sparse values by {sparse:?}"
                );
            }
            assert_eq!(
                by_document,
                sorted(facets.count_by_missing(&matches)),
                "every {every}"
            );
            let type_a = by_document
                .iter()
                .find(|(f, v, _)| *f == Facet::Type && &**v == "a")
                .map(|c| c.2);
            let expected = (0..1_000)
                .step_by(every as usize)
                .filter(|d| d % 3 == 0)
                .count() as u64;
            assert_eq!(type_a.unwrap_or(0), expected, "every {every}");
            // The other documents: a broad search, where few miss.
            let mut others = DocBits::new(segment.max_doc());
            (0..1_000)
                .filter(|doc| !matches.contains(*doc))
                .for_each(|doc| others.insert(doc));
            let by_document = sorted(facets.count_by_document(&others));
            assert_eq!(
                sorted(facets.count_by_missing(&others)),
                by_document,
                "all but every {every}"
            );
            for sparse in [SparseBy::Lookups, SparseBy::Matches, SparseBy::Misses] {
                assert_eq!(
                    sorted(facets.count_by_sets(&others, sparse)),
                    by_document,
                    "all but every {every}, sparse values by {sparse:?}"
                );
            }
        }
    }

    #[test]
    fn counts_add_up_across_segments_by_value() {
        let (index, field, mut writer) = facet_index();
        // Two segments: values in both, in one only, and first seen in the second.
        let segments: [&[(&str, &str)]; 2] = [
            &[
                ("lang", "fi"),
                ("lang", "en"),
                ("lang", "fi"),
                ("country", "se"),
            ],
            &[
                ("lang", "en"),
                ("lang", "el"),
                ("country", "fi"),
                ("lang", "fi"),
            ],
        ];
        for docs in segments {
            for (facet, value) in docs {
                let mut d = TantivyDocument::default();
                d.add_facet(field, TantivyFacet::from_path([*facet, *value]));
                writer.add_document(d).expect("add");
            }
            writer.commit().expect("commit");
        }
        let searcher = index.reader().expect("reader").searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        let cache = Arc::new(FacetCache::default());
        let segments = cache.prepare(&searcher, field).expect("facet sets");
        let (total, counts) = searcher
            .search(
                &tantivy::query::AllQuery,
                &FacetCountCollector {
                    cache: cache.clone(),
                    segments,
                },
            )
            .expect("search");
        assert_eq!(total, 8);
        let of = |facet: Facet| -> Vec<(String, u64)> {
            counts
                .get(&facet)
                .map(|m| m.iter().map(|(v, n)| (v.clone(), *n)).collect())
                .unwrap_or_default()
        };
        assert_eq!(
            of(Facet::Lang),
            vec![("el".into(), 1), ("en".into(), 2), ("fi".into(), 3)]
        );
        assert_eq!(of(Facet::Country), vec![("fi".into(), 1), ("se".into(), 1)]);
        // A value seen again keeps its number; the names stay in (facet, value) order.
        let named = cache.named();
        assert_eq!(named.names.len(), 5);
        let in_order: Vec<(Facet, &str)> = named
            .sorted
            .iter()
            .map(|&n| (named.names[n as usize].0, &*named.names[n as usize].1))
            .collect();
        let mut expected = in_order.clone();
        expected.sort();
        assert_eq!(in_order, expected);
    }
}
