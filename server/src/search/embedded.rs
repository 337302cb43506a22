//! The embedded engine: a tantivy index in `data_dir/search`, needing no setup.
//!
//! Every document's text goes into one folded field (`all`: lower-cased, diacritics folded,
//! not stemmed) used for exact words, typos, prefixes and phrases; one field of its adjacent
//! word pairs (`pairs`) that quoted phrases look up; and one stemmed field for its own
//! language (`text_en`, `text_fi`, …). `analysis` cuts the text for all of them. A query
//! word is looked up in all of them, so a member need not say which language they search
//! in. Facets are one hierarchical facet field (`/topic/personnel`), counted from
//! per-segment bitsets (`facet_bits`). Searches with words are matched, scored, filtered,
//! counted and ranked by our own code (`word_scores`, `ranking`); browsing without words
//! uses tantivy's collectors. It holds nothing the database does not: `mutual search
//! reindex` can always rebuild it.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::collector::sort_key::SortByStaticFastValue;
use tantivy::collector::TopDocs;
use tantivy::directory::MmapDirectory;
use tantivy::indexer::LogMergePolicy;
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Facet as TantivyFacet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing,
    TextOptions, Value, FAST, STORED, STRING,
};
use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, StopWordFilter, TextAnalyzer};
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument,
    Term,
};

use super::analysis::{
    folded_analyzer, pair_term, pairs_analyzer, stemmed_analyzer, stemmer_language,
};
use super::facet_bits::{FacetCache, FacetCountCollector, SegmentFacets};
use super::phrases::ExactPhrase;
use super::query::{self, ParsedQuery, STEMMED_LANGUAGES};
use super::ranking::{self, RankBy};
use super::snippets;
use super::typos::{OtherSpellings, SpellingMatcher};
use super::word_scores::{Required, WordQuery, WordsQuery};
use super::{
    Capabilities, DocType, Facet, FacetCounts, Hit, SearchDocument, SearchEngine, SearchError,
    SearchQuery, SearchResults, Sort,
};

/// The typo automata a search built, by the folded word they are for.
type QuerySpellings = Vec<(String, Arc<SpellingMatcher>)>;
/// A search's counts and facets, its page of hits as addresses, and its typo automata.
type Matched = (SearchResults, Vec<DocAddress>, QuerySpellings);

/// Indexing memory: tantivy splits it between its threads and flushes a segment when full.
const WRITER_MEMORY: usize = 96 * 1024 * 1024;
const WRITER_THREADS: usize = 2;
const MERGE_AT_SEGMENTS: usize = 3;
/// The most threads one search uses (one per segment at most).
const SEARCH_THREADS: usize = 4;
/// Fewer hits than this are not worth handing to another thread.
const MIN_HITS_PER_THREAD: usize = 4;
const SNIPPET_CHARS: usize = 200;
/// Bumped whenever the schema or the analyzers change: an index built with another version
/// is rebuilt from the database at start-up rather than searched wrongly.
const SCHEMA_VERSION: &str = "5";
/// Bytes per compressed block of stored documents: a few documents each.
const DOC_STORE_BLOCK_BYTES: usize = 4_096;

pub(super) fn index_error(e: impl std::fmt::Display) -> SearchError {
    SearchError::Index(e.to_string())
}

#[derive(Clone)]
struct Fields {
    id: Field,
    stored: Field,
    all: Field,
    title: Field,
    /// Adjacent word pairs of everything in `all`, for quoted phrases.
    pairs: Field,
    stemmed: Vec<(&'static str, Field)>,
    facets: Field,
    published: Field,
    version: Field,
    /// Orders documents that tie on score or date; see [`tie_order`].
    tie: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let id = builder.add_text_field("id", STRING | FAST);
    let stored = builder.add_text_field("doc", STORED);
    let text = |tokenizer: &str, positions: bool| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(if positions {
                    IndexRecordOption::WithFreqsAndPositions
                } else {
                    IndexRecordOption::WithFreqs
                }),
        )
    };
    let all = builder.add_text_field("all", text("mutual_folded", true));
    let title = builder.add_text_field("title", text("mutual_folded", false));
    let pairs = builder.add_text_field("pairs", text("mutual_pairs", false));
    let stemmed = STEMMED_LANGUAGES
        .iter()
        .map(|lang| {
            let field = builder.add_text_field(
                &format!("text_{lang}"),
                text(&format!("mutual_{lang}"), false),
            );
            (*lang, field)
        })
        .collect();
    let facets = builder.add_facet_field("facets", FacetOptions::default());
    let published = builder.add_i64_field("published", FAST);
    let version = builder.add_i64_field("version", FAST);
    let tie = builder.add_u64_field("tie", FAST);
    (
        builder.build(),
        Fields {
            id,
            stored,
            all,
            title,
            pairs,
            stemmed,
            facets,
            published,
            version,
            tie,
        },
    )
}

/// Where a document goes among those with the same score or date: fixed by its id alone, so
/// a rebuilt index gives exactly the same pages whatever order it was filled in. A number
/// rather than the id itself, which tantivy would look up in a dictionary for every hit on
/// every page (a twentieth of a search).
fn tie_order(id: &str) -> u64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(id.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

struct Analyzers {
    folded: TextAnalyzer,
    stemmed: Vec<(&'static str, TextAnalyzer)>,
    stop_words: Vec<TextAnalyzer>,
}

impl Analyzers {
    fn new() -> Analyzers {
        let stop_languages = [
            Language::English,
            Language::French,
            Language::Spanish,
            Language::Finnish,
            Language::Swedish,
            Language::German,
            Language::Italian,
            Language::Portuguese,
            Language::Dutch,
        ];
        Analyzers {
            folded: folded_analyzer(),
            stemmed: STEMMED_LANGUAGES
                .iter()
                .filter_map(|lang| stemmer_language(lang).map(|l| (*lang, stemmed_analyzer(l))))
                .collect(),
            stop_words: stop_languages
                .into_iter()
                .filter_map(|language| {
                    StopWordFilter::new(language).map(|filter| {
                        TextAnalyzer::builder(SimpleTokenizer::default())
                            .filter(LowerCaser)
                            .filter(filter)
                            .build()
                    })
                })
                .collect(),
        }
    }
}

/// The single token an analyzer makes of one query word (words were split the same way).
fn token_of(analyzer: &mut TextAnalyzer, word: &str) -> Option<String> {
    let mut stream = analyzer.token_stream(word);
    let mut token = None;
    while stream.advance() {
        if token.is_none() {
            token = Some(stream.token().text.clone());
        }
    }
    token
}

fn is_stop_word(analyzers: &mut Analyzers, word: &str) -> bool {
    analyzers
        .stop_words
        .iter_mut()
        .any(|analyzer| token_of(analyzer, word).is_none())
}

struct Inner {
    reader: IndexReader,
    /// None when opened read-only (`mutual search check` beside a running server).
    writer: Option<Mutex<IndexWriter>>,
    fields: Fields,
    analyzers: Mutex<Analyzers>,
    facet_cache: Arc<FacetCache>,
    /// The threads of the index's search executor.
    search_threads: usize,
}

pub struct EmbeddedEngine {
    inner: Arc<Inner>,
    dir: PathBuf,
}

impl EmbeddedEngine {
    /// Opens the index in `dir`, creating it (or recreating it, if it was built by another
    /// schema version: the start-up check then finds it empty and rebuilds it).
    pub fn open(dir: &Path) -> Result<EmbeddedEngine, SearchError> {
        EmbeddedEngine::open_with(dir, true)
    }

    /// Opens the index for searching only: needs no lock, so it works while a server has
    /// the index open. Changes through it fail.
    pub fn open_read_only(dir: &Path) -> Result<EmbeddedEngine, SearchError> {
        EmbeddedEngine::open_with(dir, false)
    }

    fn open_with(dir: &Path, writable: bool) -> Result<EmbeddedEngine, SearchError> {
        std::fs::create_dir_all(dir).map_err(index_error)?;
        let (schema, fields) = schema();
        let marker = dir.join("schema-version");
        let current = std::fs::read_to_string(&marker).unwrap_or_default();
        if writable && current.trim() != SCHEMA_VERSION && dir.join("meta.json").exists() {
            tracing::warn!(dir = %dir.display(), "search index built by another version: starting it again");
            for entry in std::fs::read_dir(dir).map_err(index_error)?.flatten() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        let directory = MmapDirectory::open(dir).map_err(index_error)?;
        let mut index = Index::open_or_create(directory, schema).map_err(index_error)?;
        // Each hit decompresses the whole block its document sits in: tantivy's 16 kB
        // blocks made that a twentieth of a search. Segments written from now on use these.
        index.settings_mut().docstore_blocksize = DOC_STORE_BLOCK_BYTES;
        // A search runs its segments side by side: on a quiet two-core host that halves
        // the time a member waits, and under load it costs no more work in all.
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(SEARCH_THREADS);
        if threads > 1 {
            index
                .set_multithread_executor(threads)
                .map_err(index_error)?;
        }
        if writable {
            std::fs::write(&marker, SCHEMA_VERSION).map_err(index_error)?;
        }
        index
            .tokenizers()
            .register("mutual_folded", folded_analyzer());
        index
            .tokenizers()
            .register("mutual_pairs", pairs_analyzer());
        for lang in STEMMED_LANGUAGES {
            if let Some(language) = stemmer_language(lang) {
                index
                    .tokenizers()
                    .register(&format!("mutual_{lang}"), stemmed_analyzer(language));
            }
        }
        let writer = if writable {
            let writer: IndexWriter = index
                .writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY)
                .map_err(|e| match e {
                    tantivy::TantivyError::LockFailure(..) => {
                        SearchError::Locked(dir.display().to_string())
                    }
                    other => index_error(other),
                })?;
            // Every search walks each segment's dictionary for typos and prefixes, so fewer
            // segments answer faster: merge three of a size rather than tantivy's eight.
            let mut merges = LogMergePolicy::default();
            merges.set_min_num_segments(MERGE_AT_SEGMENTS);
            writer.set_merge_policy(Box::new(merges));
            Some(Mutex::new(writer))
        } else {
            None
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(index_error)?;
        Ok(EmbeddedEngine {
            inner: Arc::new(Inner {
                reader,
                writer,
                fields,
                analyzers: Mutex::new(Analyzers::new()),
                facet_cache: Arc::default(),
                search_threads: threads,
            }),
            dir: dir.to_path_buf(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    async fn blocking<T, F>(&self, work: F) -> Result<T, SearchError>
    where
        F: FnOnce(&Inner) -> Result<T, SearchError> + Send + 'static,
        T: Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || work(&inner))
            .await
            .map_err(index_error)?
    }

    /// The synchronous search, for benchmarks that measure the engine without a runtime.
    pub fn search_now(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        self.inner.search(query)
    }

    /// Adds documents without committing, for bulk loads; [`EmbeddedEngine::commit`] ends them.
    pub fn add_now(&self, documents: &[SearchDocument]) -> Result<(), SearchError> {
        self.inner.add(documents, false)
    }

    pub fn commit(&self) -> Result<(), SearchError> {
        self.inner.commit()
    }
}

impl Inner {
    fn lock_writer(&self) -> Result<std::sync::MutexGuard<'_, IndexWriter>, SearchError> {
        // A panic while holding the writer leaves nothing half-written that matters: the
        // uncommitted batch is simply redone from the pending queue.
        self.writer
            .as_ref()
            .map(|w| w.lock().unwrap_or_else(|p| p.into_inner()))
            .ok_or_else(|| SearchError::Index("the index was opened read-only".into()))
    }

    fn to_tantivy(&self, doc: &SearchDocument) -> Result<TantivyDocument, SearchError> {
        let f = &self.fields;
        let mut out = TantivyDocument::default();
        out.add_text(f.id, &doc.id);
        out.add_text(
            f.stored,
            serde_json::to_string(&StoredHit::of(doc)).map_err(index_error)?,
        );
        out.add_text(f.title, &doc.title);
        // Searching an organisation's name finds what it published (as Meilisearch does).
        let all = [&doc.title, &doc.summary, &doc.body]
            .into_iter()
            .chain(&doc.tags)
            .chain([&doc.organisation_name]);
        for text in all {
            out.add_text(f.all, text);
            out.add_text(f.pairs, text);
        }
        if let Some((_, field)) = f.stemmed.iter().find(|(lang, _)| *lang == doc.lang) {
            for text in [&doc.title, &doc.summary, &doc.body] {
                out.add_text(*field, text);
            }
            for tag in &doc.tags {
                out.add_text(*field, tag);
            }
        }
        for facet in Facet::ALL {
            for value in facet.values(doc) {
                if !value.is_empty() {
                    out.add_facet(f.facets, TantivyFacet::from_path([facet.as_str(), &value]));
                }
            }
        }
        out.add_i64(f.published, doc.published);
        out.add_i64(f.version, doc.version);
        out.add_u64(f.tie, tie_order(&doc.id));
        Ok(out)
    }

    fn add(&self, documents: &[SearchDocument], commit: bool) -> Result<(), SearchError> {
        let converted = documents
            .iter()
            .map(|d| self.to_tantivy(d))
            .collect::<Result<Vec<_>, _>>()?;
        let mut writer = self.lock_writer()?;
        for (doc, tantivy_doc) in documents.iter().zip(converted) {
            writer.delete_term(Term::from_field_text(self.fields.id, &doc.id));
            writer.add_document(tantivy_doc).map_err(index_error)?;
        }
        if commit {
            writer.commit().map_err(index_error)?;
            drop(writer);
            self.reader.reload().map_err(index_error)?;
        }
        Ok(())
    }

    fn commit(&self) -> Result<(), SearchError> {
        self.lock_writer()?.commit().map_err(index_error)?;
        self.reader.reload().map_err(index_error)
    }

    fn word_query(
        &self,
        analyzers: &mut Analyzers,
        present: &[Field],
        word: &str,
        prefix: bool,
        spellings: &mut QuerySpellings,
    ) -> Option<WordQuery> {
        let f = &self.fields;
        let folded = token_of(&mut analyzers.folded, word)?;
        let mut scored: Vec<(Term, f32)> = vec![
            (Term::from_field_text(f.all, &folded), 1.0),
            (Term::from_field_text(f.title, &folded), 2.0),
        ];
        for (lang, analyzer) in analyzers.stemmed.iter_mut() {
            let Some((_, field)) = f.stemmed.iter().find(|(l, _)| l == lang) else {
                continue;
            };
            if !present.contains(field) {
                continue;
            }
            if let Some(stem) = token_of(analyzer, word) {
                scored.push((Term::from_field_text(*field, &stem), 1.0));
            }
        }
        let typos = query::typo_budget(word);
        // The word being typed: its prefix query below also finds every word within the
        // typo budget, so a second walk of the dictionary for typos alone would be wasted.
        let typed = is_typed(prefix, &folded);
        let mut constant: Vec<(OtherSpellings, f32)> = Vec::new();
        if typos > 0 || typed {
            // Typo budgets are 0 to 2, which tantivy's automata all support.
            if let Ok(others) = OtherSpellings::new(f.all, &folded, typos, typed) {
                // Snippets mark these too; a prefix with no typos they already mark.
                if typos > 0 {
                    spellings.push((folded.clone(), Arc::new(others.matcher())));
                }
                let boost = if typed { 0.5 } else { 0.3 };
                constant.push((others, boost));
            }
        }
        Some(WordQuery {
            scored,
            constant,
            tie_breaker: 0.1,
        })
    }

    /// The text part of a query. `relaxed`: at least most words instead of all of them, for
    /// questions typed in full ("how do other providers bank unused hours") that no single
    /// item answers word for word.
    fn text_query(
        &self,
        parsed: &ParsedQuery,
        present: &[Field],
        relaxed: bool,
        spellings: &mut QuerySpellings,
    ) -> Option<WordsQuery> {
        let mut analyzers = self.analyzers.lock().unwrap_or_else(|p| p.into_inner());
        let mut required: Vec<Required> = Vec::new();
        let mut optional: Vec<WordQuery> = Vec::new();
        let last = parsed.words.len().saturating_sub(1);
        for (i, word) in parsed.words.iter().enumerate() {
            let prefix = parsed.last_word_is_prefix && i == last;
            let Some(q) = self.word_query(&mut analyzers, present, word, prefix, spellings) else {
                continue;
            };
            if is_stop_word(&mut analyzers, word) && !prefix {
                optional.push(q);
            } else {
                required.push(Required::Word(q));
            }
        }
        for phrase in &parsed.phrases {
            let words: Vec<String> = phrase
                .iter()
                .filter_map(|w| token_of(&mut analyzers.folded, w))
                .collect();
            if let Some(q) = self.phrase_query(&words) {
                required.push(Required::Phrase(q));
            }
        }
        if required.is_empty() && optional.is_empty() {
            return None;
        }
        // With nothing but stop words ("the"), any of them will do.
        let needed = if relaxed {
            required.len().div_ceil(2).max(1)
        } else {
            required.len()
        };
        Some(WordsQuery {
            required,
            optional,
            needed,
        })
    }

    /// A quoted phrase of folded words. Only documents whose pair buckets hold each of its
    /// adjacent pairs can match, and those short lists lead: positions are compared in them
    /// alone, not in every document holding the words ("support the": nearly all of them).
    fn phrase_query(&self, words: &[String]) -> Option<Box<dyn Query>> {
        let f = &self.fields;
        match words {
            [] => None,
            [word] => Some(Box::new(TermQuery::new(
                Term::from_field_text(f.all, word),
                IndexRecordOption::WithFreqs,
            ))),
            _ => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = words
                    .windows(2)
                    .map(|pair| {
                        let term = Term::from_field_text(f.pairs, &pair_term(&pair[0], &pair[1]));
                        let query: Box<dyn Query> =
                            Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                        (Occur::Must, query)
                    })
                    .collect();
                let terms = words
                    .iter()
                    .map(|w| Term::from_field_text(f.all, w))
                    .collect();
                let buckets = words
                    .windows(2)
                    .map(|pair| Term::from_field_text(f.pairs, &pair_term(&pair[0], &pair[1])))
                    .collect();
                // How often the pairs occur ranks it; the positions only decide the match.
                clauses.push((
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(
                        Box::new(ExactPhrase::new(terms, buckets)),
                        0.0,
                    )),
                ));
                Some(Box::new(BooleanQuery::new(clauses)))
            }
        }
    }

    fn filter_query(&self, query: &SearchQuery) -> Vec<(Occur, Box<dyn Query>)> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (facet, values) in &query.filters {
            let alternatives: Vec<Box<dyn Query>> = values
                .iter()
                .filter(|v| !v.is_empty())
                .map(|value| {
                    let term = Term::from_facet(
                        self.fields.facets,
                        &TantivyFacet::from_path([facet.as_str(), value.as_str()]),
                    );
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>
                })
                .collect();
            if alternatives.is_empty() {
                continue;
            }
            // Filters decide what matches, never the order.
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(
                    Box::new(BooleanQuery::union(alternatives)),
                    0.0,
                )),
            ));
        }
        clauses
    }

    fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        if query.text.chars().count() > 500 {
            return Err(SearchError::BadQuery(
                "Use at most 500 characters in a search.".into(),
            ));
        }
        let parsed = query::parse(&query.text);
        let searcher = self.reader.searcher();
        let strict = self.run(&searcher, query, &parsed, false)?;
        if strict.0.total == 0 && parsed.words.len() >= 3 {
            if let Ok(relaxed) = self.run(&searcher, query, &parsed, true) {
                if relaxed.0.total > 0 {
                    return self.finish(&searcher, query, &parsed, relaxed);
                }
            }
        }
        self.finish(&searcher, query, &parsed, strict)
    }

    /// Matches, counts and facets; hits are addresses until `finish` loads them.
    fn run(
        &self,
        searcher: &Searcher,
        query: &SearchQuery,
        parsed: &ParsedQuery,
        relaxed: bool,
    ) -> Result<Matched, SearchError> {
        // Stemmed fields of languages with no documents cannot match: leave them out.
        let present: Vec<Field> = self
            .fields
            .stemmed
            .iter()
            .map(|(_, field)| *field)
            .filter(|field| {
                searcher.segment_readers().iter().any(|segment| {
                    segment
                        .inverted_index(*field)
                        .map(|index| index.terms().num_terms() > 0)
                        .unwrap_or(true)
                })
            })
            .collect();
        let mut spellings = QuerySpellings::new();
        let text = self.text_query(parsed, &present, relaxed, &mut spellings);
        let segments = self.facet_cache.prepare(searcher, self.fields.facets)?;
        let (offset, limit) = query.window();
        let (total, mut facets, addresses) = match text {
            // Searches with words rank their matches themselves (`ranking.rs`).
            Some(words) => {
                let by = match query.sort {
                    Sort::Date => RankBy::Date,
                    Sort::Relevance => RankBy::Relevance,
                };
                let ranked = ranking::rank(
                    searcher,
                    &words,
                    &query.filters,
                    &self.facet_cache,
                    &segments,
                    by,
                    (offset, limit),
                )?;
                (ranked.total, ranked.facets, ranked.page)
            }
            None => self.browse(searcher, query, segments, offset, limit)?,
        };
        for facet in Facet::ALL {
            facets.entry(facet).or_default();
        }
        Ok((
            SearchResults {
                total,
                hits: Vec::new(),
                facets,
            },
            addresses,
            spellings,
        ))
    }

    /// A search without words: everything within the filters, newest first.
    fn browse(
        &self,
        searcher: &Searcher,
        query: &SearchQuery,
        segments: Vec<Arc<SegmentFacets>>,
        offset: usize,
        limit: usize,
    ) -> Result<(u64, FacetCounts, Vec<DocAddress>), SearchError> {
        let mut clauses = self.filter_query(query);
        clauses.push((Occur::Must, Box::new(AllQuery)));
        let combined = BooleanQuery::new(clauses);
        let counter = FacetCountCollector {
            cache: self.facet_cache.clone(),
            segments,
        };
        if limit == 0 {
            let (total, facets) = searcher.search(&combined, &counter).map_err(index_error)?;
            return Ok((total, facets, Vec::new()));
        }
        let top = TopDocs::with_limit(limit).and_offset(offset).order_by((
            (
                SortByStaticFastValue::<i64>::for_field("published"),
                Order::Desc,
            ),
            (SortByStaticFastValue::<u64>::for_field("tie"), Order::Asc),
        ));
        let (top, (total, facets)) = searcher
            .search(&combined, &(top, counter))
            .map_err(index_error)?;
        Ok((total, facets, top.into_iter().map(|(_, a)| a).collect()))
    }

    fn finish(
        &self,
        searcher: &Searcher,
        _query: &SearchQuery,
        parsed: &ParsedQuery,
        (mut results, addresses, spellings): Matched,
    ) -> Result<SearchResults, SearchError> {
        if addresses.is_empty() {
            return Ok(results);
        }
        // The typo automata the search built, so snippets mark what it found.
        let words = wanted_words(parsed, &mut folded_analyzer(), |word, _, _| {
            spellings
                .iter()
                .find(|(w, _)| w == word)
                .map(|(_, matcher)| Arc::clone(matcher))
        });
        // Loading a page of hits and cutting their snippets is a third of a search's time:
        // the search threads share it, in order, as they share the matching.
        let chunk = addresses
            .len()
            .div_ceil(self.search_threads)
            .max(MIN_HITS_PER_THREAD);
        let pages = searcher
            .index()
            .search_executor()
            .map(
                |part: &[DocAddress]| Ok(self.load_hits(searcher, &words, part)),
                addresses.chunks(chunk),
            )
            .map_err(index_error)?;
        for page in pages {
            results.hits.extend(page?);
        }
        Ok(results)
    }

    /// The hits at `addresses`, with their snippets.
    fn load_hits(
        &self,
        searcher: &Searcher,
        words: &[(String, snippets::Wanted)],
        addresses: &[DocAddress],
    ) -> Result<Vec<Hit>, SearchError> {
        let mut hits = Vec::with_capacity(addresses.len());
        let mut folded = folded_analyzer();
        let mut highlighters: HashMap<String, Highlighter> = HashMap::new();
        for &address in addresses {
            let stored: TantivyDocument = searcher.doc(address).map_err(index_error)?;
            let Some(json) = stored
                .get_first(self.fields.stored)
                .and_then(|v| v.as_str())
            else {
                continue;
            };
            let doc: StoredHit = serde_json::from_str(json).map_err(index_error)?;
            let highlighter = highlighters
                .entry(doc.lang.to_string())
                .or_insert_with(|| Highlighter::new(words, &doc.lang));
            let snippet = highlighter
                .snippet(&doc.opening, &mut folded)
                .or_else(|| highlighter.snippet(&doc.summary, &mut folded))
                .unwrap_or_else(|| {
                    let source = if doc.summary.is_empty() {
                        &doc.opening
                    } else {
                        &doc.summary
                    };
                    query::excerpt(source, SNIPPET_CHARS)
                });
            hits.push(Hit {
                id: doc.id.into_owned(),
                doc_type: doc.doc_type,
                path: doc.path.into_owned(),
                title: doc.title.into_owned(),
                summary: doc.summary.into_owned(),
                organisation: doc.organisation.into_owned(),
                organisation_name: doc.organisation_name.into_owned(),
                lang: doc.lang.into_owned(),
                local: doc.local,
                published: doc.published,
                snippet,
            });
        }
        Ok(hits)
    }

    fn versions(&self) -> Result<BTreeMap<String, i64>, SearchError> {
        let searcher = self.reader.searcher();
        let mut versions = BTreeMap::new();
        let mut id = String::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let ids = fast
                .str("id")
                .map_err(index_error)?
                .ok_or_else(|| SearchError::Index("the index has no id column".into()))?;
            let version_column = fast.i64("version").map_err(index_error)?;
            for doc in segment.doc_ids_alive() {
                let Some(ord) = ids.term_ords(doc).next() else {
                    continue;
                };
                id.clear();
                ids.ord_to_str(ord, &mut id).map_err(index_error)?;
                versions.insert(id.clone(), version_column.first(doc).unwrap_or_default());
            }
        }
        Ok(versions)
    }
}

/// What a hit shows, stored with each document: the body only as far as snippets look
/// ([`opening`]), so loading a page of hits decompresses and parses a part of each
/// document rather than all of it (the rest is the database's). Borrowed from the document
/// when written; read back owned, to be moved into the [`Hit`].
#[derive(Serialize, Deserialize)]
struct StoredHit<'a> {
    id: Cow<'a, str>,
    #[serde(rename = "type")]
    doc_type: DocType,
    path: Cow<'a, str>,
    title: Cow<'a, str>,
    summary: Cow<'a, str>,
    organisation: Cow<'a, str>,
    organisation_name: Cow<'a, str>,
    lang: Cow<'a, str>,
    local: bool,
    published: i64,
    opening: Cow<'a, str>,
}

impl<'a> StoredHit<'a> {
    fn of(doc: &'a SearchDocument) -> StoredHit<'a> {
        StoredHit {
            id: Cow::Borrowed(&doc.id),
            doc_type: doc.doc_type,
            path: Cow::Borrowed(&doc.path),
            title: Cow::Borrowed(&doc.title),
            summary: Cow::Borrowed(&doc.summary),
            organisation: Cow::Borrowed(&doc.organisation),
            organisation_name: Cow::Borrowed(&doc.organisation_name),
            lang: Cow::Borrowed(&doc.lang),
            local: doc.local,
            published: doc.published,
            opening: Cow::Borrowed(opening(&doc.body)),
        }
    }
}

/// The part of a body snippets are looked for in: stemming a whole long body for every hit
/// costs more than the rest of the search (Greek most of all), and the opening is where a
/// reader decides.
fn opening(body: &str) -> &str {
    const SNIPPET_SOURCE_BYTES: usize = 2_000;
    if body.len() <= SNIPPET_SOURCE_BYTES {
        return body;
    }
    let mut end = SNIPPET_SOURCE_BYTES;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    &body[..end]
}

/// The snippet a hit in `lang` with this `body` gets for `query_text`, as a search builds
/// it (for the benchmark, which times it by language).
pub fn body_snippet(query_text: &str, lang: &str, body: &str) -> Option<String> {
    let mut folded = folded_analyzer();
    let words = wanted_words(
        &query::parse(query_text),
        &mut folded,
        |word, typos, typed| SpellingMatcher::new(word, typos, typed).map(Arc::new),
    );
    let mut highlighter = Highlighter::new(&words, lang);
    highlighter.snippet(opening(body), &mut folded)
}

/// Whether the last word (`prefix`) is matched as the start of longer words: not when it
/// is a single letter, which would match nearly every word.
fn is_typed(prefix: bool, folded: &str) -> bool {
    prefix && folded.chars().count() >= 2
}

/// The query's words as snippets look for them, before any language's stemming: built once
/// per search and shared by each language's [`Highlighter`], because the typo automata
/// cost more to build than a snippet to cut. Each with the word as typed, for stemming.
fn wanted_words(
    parsed: &ParsedQuery,
    folded: &mut TextAnalyzer,
    mut spellings_of: impl FnMut(&str, u8, bool) -> Option<Arc<SpellingMatcher>>,
) -> Vec<(String, snippets::Wanted)> {
    let last = parsed.words.len().saturating_sub(1);
    // (word, being typed, in a phrase): phrase words are exact, so they allow no typos.
    let words = parsed
        .words
        .iter()
        .enumerate()
        .map(|(i, w)| (w, parsed.last_word_is_prefix && i == last, false))
        .chain(parsed.phrases.iter().flatten().map(|w| (w, false, true)));
    let mut wanted: Vec<(String, snippets::Wanted)> = Vec::new();
    for (word, prefix, in_phrase) in words {
        let Some(folded_word) = token_of(folded, word) else {
            continue;
        };
        if wanted.iter().any(|(_, w)| w.folded == folded_word) {
            continue;
        }
        // As the search looked for it (`word_query`).
        let typed = is_typed(prefix, &folded_word);
        let spellings = if in_phrase {
            None
        } else {
            spellings_of(&folded_word, query::typo_budget(word), typed)
        };
        wanted.push((
            word.clone(),
            snippets::Wanted {
                folded: folded_word,
                stem: None,
                prefix,
                spellings,
            },
        ));
    }
    wanted
}

/// The query's words as one language's documents are searched for them.
struct Highlighter {
    wanted: Vec<snippets::Wanted>,
    stemmer: Option<TextAnalyzer>,
}

impl Highlighter {
    /// Marks the query's words as the document's language analyzes them (so "banked"
    /// marks "banking" in English text), or folded for other languages.
    fn new(words: &[(String, snippets::Wanted)], lang: &str) -> Highlighter {
        let mut stemmer = stemmer_language(lang).map(stemmed_analyzer);
        let wanted = words
            .iter()
            .map(|(word, wanted)| snippets::Wanted {
                stem: stemmer.as_mut().and_then(|s| token_of(s, word)),
                ..wanted.clone()
            })
            .collect();
        Highlighter { wanted, stemmer }
    }

    fn snippet(&mut self, text: &str, folded: &mut TextAnalyzer) -> Option<String> {
        snippets::snippet(
            text,
            &self.wanted,
            folded,
            self.stemmer.as_mut(),
            SNIPPET_CHARS,
        )
    }
}

#[async_trait::async_trait]
impl SearchEngine for EmbeddedEngine {
    fn name(&self) -> &'static str {
        "embedded"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities { stemming: true }
    }

    async fn upsert(&self, documents: Vec<SearchDocument>) -> Result<(), SearchError> {
        if documents.is_empty() {
            return Ok(());
        }
        self.blocking(move |inner| inner.add(&documents, true))
            .await
    }

    async fn remove(&self, ids: Vec<String>) -> Result<(), SearchError> {
        if ids.is_empty() {
            return Ok(());
        }
        self.blocking(move |inner| {
            let mut writer = inner.lock_writer()?;
            for id in &ids {
                writer.delete_term(Term::from_field_text(inner.fields.id, id));
            }
            writer.commit().map_err(index_error)?;
            drop(writer);
            inner.reader.reload().map_err(index_error)
        })
        .await
    }

    async fn clear(&self) -> Result<(), SearchError> {
        self.blocking(|inner| {
            let mut writer = inner.lock_writer()?;
            writer.delete_all_documents().map_err(index_error)?;
            writer.commit().map_err(index_error)?;
            drop(writer);
            inner.reader.reload().map_err(index_error)
        })
        .await
    }

    async fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        let query = query.clone();
        self.blocking(move |inner| inner.search(&query)).await
    }

    async fn versions(&self) -> Result<BTreeMap<String, i64>, SearchError> {
        self.blocking(|inner| inner.versions()).await
    }
}

impl Drop for EmbeddedEngine {
    fn drop(&mut self) {
        // The writer's merge threads hold the index lock; let them finish cleanly so the next
        // open in this process (tests, reindex) does not find the lock taken.
        if Arc::strong_count(&self.inner) == 1 {
            if let Ok(mut writer) = self.inner.lock_writer() {
                let _ = writer.rollback();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greek_and_finnish_words_stem_to_the_same_root() {
        let mut analyzers = Analyzers::new();
        let stem = |analyzers: &mut Analyzers, lang: &str, word: &str| {
            let (_, analyzer) = analyzers
                .stemmed
                .iter_mut()
                .find(|(l, _)| *l == lang)
                .expect("a stemmer for the language");
            token_of(analyzer, word)
        };
        assert_eq!(
            stem(&mut analyzers, "fi", "avustajat"),
            stem(&mut analyzers, "fi", "avustajan")
        );
        assert_eq!(
            stem(&mut analyzers, "en", "banking"),
            stem(&mut analyzers, "en", "banked")
        );
        assert!(is_stop_word(&mut analyzers, "the"));
        assert!(!is_stop_word(&mut analyzers, "hours"));
    }

    #[test]
    fn a_hit_is_stored_with_its_body_only_as_far_as_snippets_read() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let engine = EmbeddedEngine::open(dir.path()).expect("index");
        let mut doc = sample_document(1);
        // "giraffe" early in a long body, "zebra" well past the part snippets read.
        let filler = "words about support plans and ordinary days ".repeat(100);
        doc.body = format!("The giraffe story. {filler} The zebra ending.");
        assert!(doc.body.find("zebra").expect("zebra") > 2_000);
        engine.add_now(&[doc.clone()]).expect("add");
        engine.commit().expect("commit");

        let searcher = engine.inner.reader.searcher();
        let stored: TantivyDocument = searcher.doc(DocAddress::new(0, 0)).expect("stored");
        let json = stored
            .get_first(engine.inner.fields.stored)
            .and_then(|v| v.as_str())
            .expect("the hit record");
        assert!(json.contains("giraffe"), "the opening is kept for snippets");
        assert!(
            !json.contains("zebra"),
            "the rest of the body is not stored"
        );
        assert!(json.len() < doc.body.len(), "{} bytes stored", json.len());

        // Both words are still searchable, and a hit shows what it showed before.
        for (word, marked) in [("giraffe", true), ("zebra", false)] {
            let results = engine
                .search_now(&SearchQuery {
                    text: word.into(),
                    ..SearchQuery::default()
                })
                .expect("search");
            assert_eq!(results.total, 1, "{word}");
            let hit = &results.hits[0];
            assert_eq!(
                (hit.id.as_str(), hit.title.as_str(), hit.path.as_str()),
                (doc.id.as_str(), doc.title.as_str(), doc.path.as_str())
            );
            assert_eq!(hit.snippet.contains(query::MARK_START), marked, "{word}");
        }
    }

    /// Documents of a few words drawn from a small vocabulary, so that many share a score
    /// or a date and the tie-breaking order decides.
    fn sample_document(n: u64) -> SearchDocument {
        const WORDS: [&str; 16] = [
            "support",
            "staff",
            "the",
            "family",
            "budget",
            "hours",
            "banking",
            "recruited",
            "matching",
            "autism",
            "plan",
            "and",
            "housing",
            "tuki",
            "famille",
            "personal",
        ];
        let mut state = n
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut next = |bound: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % bound
        };
        let mut text = |len: u64| {
            (0..len)
                .map(|_| WORDS[next(WORDS.len() as u64) as usize])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let title = text(2);
        let body = text(3 + n % 5);
        let pick = |options: &[&str], at: u64| options[(at as usize) % options.len()].to_string();
        SearchDocument {
            id: format!("doc-{n}"),
            doc_type: super::super::DocType::ALL[(n % 4) as usize],
            path: format!("/items/{n}"),
            title,
            summary: String::new(),
            body,
            tags: Vec::new(),
            topics: vec![pick(&["personnel", "money", "housing"], n / 3)],
            people: vec![pick(&["autism", "older-people"], n / 7)],
            countries: vec![pick(&["fi", "se", "gb"], n / 2)],
            lang: pick(&["en", "fr", "fi"], n / 5),
            organisation: pick(&["a", "b", "c", "d"], n / 11),
            organisation_name: String::new(),
            local: n.is_multiple_of(2),
            published: 1_700_000_000 + (n % 37) as i64 * 86_400,
            version: 1,
        }
    }

    /// The same search through tantivy's collectors: a boolean query of the filters and the
    /// words, its best documents by (score or date, tie), and the facet counts.
    fn through_collectors(
        inner: &Inner,
        searcher: &Searcher,
        query: &SearchQuery,
        relaxed: bool,
    ) -> (u64, FacetCounts, Vec<DocAddress>) {
        let parsed = query::parse(&query.text);
        let present: Vec<Field> = inner.fields.stemmed.iter().map(|(_, f)| *f).collect();
        let words = inner
            .text_query(&parsed, &present, relaxed, &mut QuerySpellings::new())
            .expect("a search with words");
        let mut clauses = inner.filter_query(query);
        clauses.push((Occur::Must, Box::new(words)));
        let combined = BooleanQuery::new(clauses);
        let counter = FacetCountCollector {
            cache: inner.facet_cache.clone(),
            segments: inner
                .facet_cache
                .prepare(searcher, inner.fields.facets)
                .expect("facet sets"),
        };
        let (offset, limit) = query.window();
        let tie = (SortByStaticFastValue::<u64>::for_field("tie"), Order::Asc);
        let (addresses, (total, mut facets)) = match query.sort {
            Sort::Relevance => {
                let top = TopDocs::with_limit(limit).and_offset(offset).order_by((
                    (
                        tantivy::collector::sort_key::SortBySimilarityScore,
                        Order::Desc,
                    ),
                    tie,
                ));
                let (top, counted) = searcher.search(&combined, &(top, counter)).expect("search");
                (top.into_iter().map(|(_, a)| a).collect(), counted)
            }
            Sort::Date => {
                let top = TopDocs::with_limit(limit).and_offset(offset).order_by((
                    (
                        SortByStaticFastValue::<i64>::for_field("published"),
                        Order::Desc,
                    ),
                    tie,
                ));
                let (top, counted) = searcher.search(&combined, &(top, counter)).expect("search");
                (top.into_iter().map(|(_, a)| a).collect(), counted)
            }
        };
        for facet in Facet::ALL {
            facets.entry(facet).or_default();
        }
        (total, facets, addresses)
    }

    #[test]
    fn text_searches_rank_and_count_as_tantivy_s_collectors_would() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let engine = EmbeddedEngine::open(dir.path()).expect("index");
        // Three segments, with deletions and a replaced document in the first two.
        for batch in 0..3u64 {
            let docs: Vec<SearchDocument> = (batch * 700..(batch + 1) * 700)
                .map(sample_document)
                .collect();
            engine.add_now(&docs).expect("add");
            engine.commit().expect("commit");
        }
        {
            let inner = &engine.inner;
            let mut writer = inner.lock_writer().expect("writer");
            for n in (0..1_400).step_by(9) {
                writer.delete_term(Term::from_field_text(inner.fields.id, &format!("doc-{n}")));
            }
            writer.commit().expect("commit");
        }
        engine.inner.reader.reload().expect("reload");
        let mut changed = sample_document(5);
        changed.body = "banking banking hours".into();
        engine.inner.add(&[changed], true).expect("replace");
        let inner = &engine.inner;
        let searcher = inner.reader.searcher();
        assert!(searcher.segment_readers().len() >= 2);
        assert!(searcher
            .segment_readers()
            .iter()
            .any(|s| s.alive_bitset().is_some()));

        let texts = [
            "support",
            "the",
            "staff budget",
            "famile",
            "recruted",
            "bank",
            "budget the",
            "\"support staff\"",
            "\"the family\" plan",
            "hous",
            "tuki famille autism plan",
        ];
        let filters: [&[(Facet, &str)]; 4] = [
            &[],
            &[(Facet::Lang, "en")],
            &[
                (Facet::Topic, "money"),
                (Facet::Topic, "housing"),
                (Facet::Country, "fi"),
            ],
            &[(Facet::Org, "nobody")],
        ];
        let mut compared = 0;
        for text in texts {
            for filter in filters {
                for sort in [Sort::Relevance, Sort::Date] {
                    for (page, per_page) in [(1, 20), (3, 7), (1, 100), (2, 0)] {
                        let mut query = SearchQuery::new(text);
                        for (facet, value) in filter {
                            query = query.filter(*facet, *value);
                        }
                        query.sort = sort;
                        query.page = page;
                        query.per_page = per_page;
                        let parsed = query::parse(text);
                        for relaxed in [false, true] {
                            let (results, addresses, _) = inner
                                .run(&searcher, &query, &parsed, relaxed)
                                .expect("search");
                            let (total, facets, expected) =
                                through_collectors(inner, &searcher, &query, relaxed);
                            let case = format!("{text:?} {filter:?} {sort:?} page {page} of {per_page}, relaxed {relaxed}");
                            assert_eq!(results.total, total, "{case}");
                            assert_eq!(results.facets, facets, "{case}");
                            assert_eq!(addresses, expected, "{case}");
                            compared += usize::from(!addresses.is_empty());
                        }
                    }
                }
            }
        }
        assert!(compared > 300, "only {compared} searches had hits");
    }
}
