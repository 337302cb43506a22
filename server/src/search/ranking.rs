//! Ranking a text search's matches, segment by segment, without tantivy's collectors.
//!
//! A search with words needs three things from each segment: its matches (filters and
//! deletions applied), their facet counts, and the best few of them by relevance or date.
//! tantivy's collectors get them by calling the scorer, the top-documents collector and
//! the facet collector through virtual calls for every match, a quarter of a common word's
//! search. Here the matches are already a bitset with each document's score at hand
//! (`word_scores.rs`), so filtering is an AND with the facet values' sets (`facet_bits.rs`),
//! counting reads the bitset, and the best few are kept in one plain loop that looks at a
//! document's tie-breaking number only when it could make the page.
//!
//! The order is exactly that of tantivy's `TopDocs` ordered by (score or date descending,
//! `tie` ascending), which searches without words still use. Owns no index, decides nothing
//! about what matches or how it scores.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Arc;

use tantivy::columnar::Column;
use tantivy::query::EnableScoring;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader};

use super::doc_bits::DocBits;
use super::embedded::index_error;
use super::facet_bits::{FacetCache, SegmentCounts, SegmentFacets};
use super::word_scores::{WordsQuery, WordsWeight};
use super::{Facet, FacetCounts, SearchError};

/// What the page is ordered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RankBy {
    Relevance,
    Date,
}

/// The matches' number and facet counts, and the page's documents in order.
pub(super) struct Ranked {
    pub total: u64,
    pub facets: FacetCounts,
    pub page: Vec<DocAddress>,
}

/// A document's place: higher `rank` first, then lower `tie`, then lower address.
#[derive(Clone, Copy, Debug)]
struct Place {
    rank: u64,
    tie: u64,
    address: DocAddress,
}

impl Place {
    /// `Less` when `self` comes first.
    fn order(&self, other: &Place) -> Ordering {
        other
            .rank
            .cmp(&self.rank)
            .then(self.tie.cmp(&other.tie))
            .then(self.address.cmp(&other.address))
    }
}

/// A score as a number that sorts the same way (scores are floats of either sign).
fn score_rank(score: Score) -> u64 {
    // -0 and 0 are the same score.
    let bits = (score + 0.0).to_bits();
    u64::from(if bits >> 31 == 1 {
        !bits
    } else {
        bits | (1 << 31)
    })
}

/// A date (seconds, either sign) as a number that sorts the same way.
fn date_rank(published: i64) -> u64 {
    (published as u64) ^ (1 << 63)
}

/// The matches of `words` within `filters`, counted by facet value, and the page of
/// `limit` documents from `offset` (`window`) ranked `by`.
pub(super) fn rank(
    searcher: &Searcher,
    words: &WordsQuery,
    filters: &BTreeMap<Facet, Vec<String>>,
    cache: &FacetCache,
    segments: &[Arc<SegmentFacets>],
    by: RankBy,
    (offset, limit): (usize, usize),
) -> Result<Ranked, SearchError> {
    let scoring = if by == RankBy::Relevance && limit > 0 {
        EnableScoring::enabled_from_searcher(searcher)
    } else {
        EnableScoring::disabled_from_searcher(searcher)
    };
    let weight = words.words_weight(scoring).map_err(index_error)?;
    // Each filter is any of its values: their numbers, looked up once for every segment.
    let filters: Vec<Vec<u32>> = filters
        .iter()
        .filter(|(_, values)| values.iter().any(|v| !v.is_empty()))
        .map(|(facet, values)| cache.numbers_of(*facet, values))
        .collect();
    let wanted = if limit == 0 { 0 } else { offset + limit };
    let readers: Vec<(usize, &SegmentReader)> =
        searcher.segment_readers().iter().enumerate().collect();
    let per_segment = searcher
        .index()
        .search_executor()
        .map(
            |(ord, reader): (usize, &SegmentReader)| {
                let facets = segments.get(ord).ok_or_else(|| {
                    tantivy::TantivyError::InternalError("facet sets not prepared".into())
                })?;
                segment_ranked(&weight, reader, ord as u32, facets, &filters, by, wanted)
            },
            readers.into_iter(),
        )
        .map_err(index_error)?;
    let mut counts = Vec::with_capacity(per_segment.len());
    let mut places = Vec::new();
    for (segment_counts, segment_places) in per_segment {
        counts.push(segment_counts);
        places.extend(segment_places);
    }
    places.sort_unstable_by(Place::order);
    let (total, facets) = cache.merge(counts);
    Ok(Ranked {
        total,
        facets,
        page: places
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|place| place.address)
            .collect(),
    })
}

/// One segment's counts and its best `wanted` matches, in no particular order.
fn segment_ranked(
    weight: &WordsWeight,
    reader: &SegmentReader,
    ord: u32,
    facets: &SegmentFacets,
    filters: &[Vec<u32>],
    by: RankBy,
    wanted: usize,
) -> tantivy::Result<(SegmentCounts, Vec<Place>)> {
    let Some(found) = weight.segment_matches(reader)? else {
        return Ok(((0, Vec::new()), Vec::new()));
    };
    let mut docs = found.docs;
    for numbers in filters {
        docs.and(&facets.holding(numbers));
    }
    if let Some(alive) = reader.alive_bitset() {
        docs.retain(|doc| alive.is_alive(doc));
    }
    let counts = facets.count_matches(&docs);
    if wanted == 0 || counts.0 == 0 {
        return Ok((counts, Vec::new()));
    }
    let ties = reader.fast_fields().u64("tie")?;
    let places = match by {
        RankBy::Relevance => best(&docs, wanted, ord, &ties, |doc| {
            score_rank(found.scores.of(doc))
        }),
        RankBy::Date => {
            let published = reader.fast_fields().i64("published")?;
            best(&docs, wanted, ord, &ties, |doc| {
                published.first(doc).map_or(0, date_rank)
            })
        }
    };
    Ok((counts, places))
}

/// The best `wanted` of `docs` by `rank_of`, then by tie. Keeps up to twice as many as
/// wanted and cuts back to the best when full, so a document that cannot make the cut is
/// turned away on its rank alone; its tie is read only when it might.
fn best(
    docs: &DocBits,
    wanted: usize,
    ord: u32,
    ties: &Column<u64>,
    rank_of: impl Fn(DocId) -> u64,
) -> Vec<Place> {
    let mut kept: Vec<Place> = Vec::with_capacity(wanted * 2);
    // The worst place kept after the last cut: nothing ranked below it can make the page.
    let mut floor: Option<Place> = None;
    for doc in docs.iter() {
        let rank = rank_of(doc);
        if floor.is_some_and(|floor| rank < floor.rank) {
            continue;
        }
        let place = Place {
            rank,
            tie: ties.first(doc).unwrap_or(u64::MAX),
            address: DocAddress::new(ord, doc),
        };
        if floor.is_some_and(|floor| place.order(&floor) != Ordering::Less) {
            continue;
        }
        kept.push(place);
        if kept.len() == wanted * 2 {
            // Puts the `wanted`-th best at `wanted - 1`, the better ones before it.
            kept.select_nth_unstable_by(wanted - 1, Place::order);
            kept.truncate(wanted);
            floor = kept.last().copied();
        }
    }
    kept
}
