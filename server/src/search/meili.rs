//! The Meilisearch engine: what [`SearchEngine`] asks for, done by a Meilisearch server that
//! the host runs and configures (`search.meilisearch_url`). It owns one index on that server
//! and the settings of that index, which it applies at start-up (and waits for), so an index
//! created by hand or by an older Mutual is brought to the shape searches rely on.
//!
//! Meilisearch does not stem ("banking" does not find "banked"), so the engine claims no
//! stemming in [`Capabilities`] and the conformance suite skips those checks for it. Quoted
//! phrases, a prefix on the last word and typo tolerance are Meilisearch's own.
//!
//! It is handed search documents and never talks to the database.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Display;
use std::time::Duration;

use meilisearch_sdk::client::Client;
use meilisearch_sdk::documents::DocumentsQuery;
use meilisearch_sdk::errors::{Error as MeiliError, ErrorCode, MeilisearchError};
use meilisearch_sdk::indexes::Index;
use meilisearch_sdk::search::{MatchingStrategies, SearchResult, Selectors};
use meilisearch_sdk::settings::{
    FacetingSettings, MinWordSizeForTypos, PaginationSetting, Settings, TypoToleranceSettings,
};
use meilisearch_sdk::task_info::TaskInfo;
use meilisearch_sdk::tasks::Task;
use serde::Deserialize;

use super::query::{self, MARK_END, MARK_START};
use super::{
    Capabilities, Facet, FacetCounts, Hit, SearchDocument, SearchEngine, SearchError, SearchQuery,
    SearchResults, Sort, MAX_PER_PAGE, MAX_RESULT_WINDOW,
};

const PRIMARY_KEY: &str = "id";

/// In order of importance: a match in the title counts for more than one in the body.
const SEARCHABLE_ATTRIBUTES: [&str; 5] = ["title", "tags", "summary", "body", "organisation_name"];

const FILTERABLE_ATTRIBUTES: [&str; 7] = [
    "type",
    "topics",
    "countries",
    "lang",
    "people",
    "organisation",
    "local",
];

const SORTABLE_ATTRIBUTES: [&str; 1] = ["published"];

/// Meilisearch's default rules with `sort` moved up behind `words`: `sort` only acts when a
/// search asks for an order, and then "newest first" must beat typo, proximity and attribute
/// ranking, or a date-sorted search with words would come back in relevance order. Documents
/// matching more of the words still come first (matching strategy `last`).
const RANKING_RULES: [&str; 6] = [
    "words",
    "sort",
    "typo",
    "proximity",
    "attribute",
    "exactness",
];

/// The same rule as [`query::typo_budget`], so both engines forgive the same typos.
const ONE_TYPO_FROM: u8 = 5;
const TWO_TYPOS_FROM: u8 = 9;

/// Enough values for every country or topic in a facet list; Meilisearch's default is 100.
const MAX_VALUES_PER_FACET: usize = 200;

/// Function words of the languages most members write in. Kept short on purpose: a word that
/// is a function word in one language can be a content word in another (Swedish `men`, "but",
/// is English "men"), and a stop word can never be found. Such words are left out.
const STOP_WORDS: [&[&str]; 5] = [ENGLISH, FRENCH, SPANISH, SWEDISH, FINNISH];
const ENGLISH: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by",
    "from", "is", "are", "was", "were", "be", "as", "that", "this",
];
const FRENCH: &[&str] = &[
    "le", "la", "les", "un", "une", "des", "du", "de", "et", "ou", "à", "au", "aux", "dans",
    "pour", "par", "sur", "avec", "est", "que", "qui", "ce",
];
const SPANISH: &[&str] = &[
    "el", "los", "las", "una", "unos", "del", "al", "y", "o", "en", "con", "por", "para", "es",
    "se", "su", "sus", "lo", "como",
];
const SWEDISH: &[&str] = &[
    "och", "att", "det", "som", "ett", "i", "på", "är", "av", "för", "med", "till", "om", "var",
    "har", "inte", "sig", "så", "vid", "från",
];
const FINNISH: &[&str] = &[
    "ja", "ei", "että", "oli", "kun", "mutta", "tai", "jos", "niin", "kuin", "myös", "ovat", "sen",
    "sekä", "joka", "jotka", "tämä", "nämä", "hän", "he",
];

const NEWEST_FIRST: [&str; 1] = ["published:desc"];

const FACET_ATTRIBUTES: [&str; 6] = [
    attribute(Facet::Type),
    attribute(Facet::Topic),
    attribute(Facet::Country),
    attribute(Facet::Lang),
    attribute(Facet::People),
    attribute(Facet::Org),
];

/// The crop length comes from `crop_length`, hence no per-attribute length.
const CROPPED: [(&str, Option<usize>); 1] = [("body", None)];
const CROP_WORDS: usize = 30;
const HIGHLIGHTED: [&str; 3] = ["title", "summary", "body"];

/// A snippet without any matched word (browsing, or a match only in the title or tags).
const PLAIN_SNIPPET_CHARS: usize = 200;

/// The embedded engine's limit, so both refuse the same searches.
const MAX_QUERY_CHARS: usize = 500;

/// Indexing a few documents takes Meilisearch milliseconds; polling often keeps `upsert`
/// close to that, and "visible when this returns" is what callers rely on.
const POLL_INTERVAL: Duration = Duration::from_millis(20);
const TASK_TIMEOUT: Duration = Duration::from_secs(60);
/// Changed settings make Meilisearch re-index everything, which takes a while on a large
/// index; start-up should wait for it rather than fail.
const SETTINGS_TIMEOUT: Duration = Duration::from_secs(600);

/// Documents per request: keeps each payload well under Meilisearch's size limit.
const UPSERT_BATCH: usize = 1000;
const VERSIONS_PAGE: usize = 1000;

/// The Meilisearch attribute holding a facet's values (the API's names are shorter).
const fn attribute(facet: Facet) -> &'static str {
    match facet {
        Facet::Type => "type",
        Facet::Topic => "topics",
        Facet::Country => "countries",
        Facet::Lang => "lang",
        Facet::People => "people",
        Facet::Org => "organisation",
    }
}

fn facet_of(attribute_name: &str) -> Option<Facet> {
    Facet::ALL
        .into_iter()
        .find(|&facet| attribute(facet) == attribute_name)
}

/// A filter value as a Meilisearch string literal. Meilisearch unescapes `\"` and `\\` inside
/// double quotes, so values can hold any character without changing the expression.
fn quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Values of one facet are alternatives (OR), different facets must all match (AND):
/// `(type = "case_story" OR type = "isf_template") AND topics = "personnel"`.
fn filter_expression(filters: &BTreeMap<Facet, Vec<String>>) -> Option<String> {
    let clauses: Vec<String> = filters
        .iter()
        .filter_map(|(&facet, values)| {
            let name = attribute(facet);
            // An empty value selects nothing in particular; the embedded engine ignores it too.
            let alternatives: Vec<String> = values
                .iter()
                .filter(|value| !value.is_empty())
                .map(|value| format!("{name} = {}", quoted(value)))
                .collect();
            match alternatives.len() {
                0 => None,
                1 => Some(alternatives.concat()),
                _ => Some(format!("({})", alternatives.join(" OR "))),
            }
        })
        .collect();
    (!clauses.is_empty()).then(|| clauses.join(" AND "))
}

/// Browsing without words has no relevance to rank by, so it shows the newest first, as the
/// embedded engine does.
fn newest_first(query: &SearchQuery) -> bool {
    query.sort == Sort::Date || query::words_of(&query.text).is_empty()
}

/// One set: the languages share some words (`la`, `de`, `en`).
fn stop_words() -> BTreeSet<&'static str> {
    STOP_WORDS.into_iter().flatten().copied().collect()
}

/// Meilisearch's page and page size for the query's window. Page mode (rather than offset
/// and limit) is what makes Meilisearch count every match exactly instead of estimating.
fn page_of(query: &SearchQuery) -> (usize, usize) {
    let (offset, limit) = query.window();
    if limit == 0 {
        // Beyond the result window: no hits, but the count and facets are still wanted.
        return (1, 0);
    }
    // The page size `window` uses; below the window's end, offset is a whole number of pages.
    let per_page = query.per_page.clamp(1, MAX_PER_PAGE);
    (offset / per_page + 1, per_page)
}

/// The snippet of a hit: the cropped body when the words matched there, else the summary
/// when they matched there, else the start of the summary (or body) without marks.
fn snippet(
    document: &SearchDocument,
    formatted: &serde_json::Map<String, serde_json::Value>,
) -> String {
    let marked = |field: &str| {
        formatted
            .get(field)
            .and_then(serde_json::Value::as_str)
            .filter(|text| text.contains(MARK_START))
            .map(str::to_string)
    };
    marked("body")
        .or_else(|| marked("summary"))
        .unwrap_or_else(|| {
            let plain = if document.summary.trim().is_empty() {
                &document.body
            } else {
                &document.summary
            };
            query::excerpt(plain, PLAIN_SNIPPET_CHARS)
        })
}

fn hit(result: SearchResult<SearchDocument>) -> Hit {
    let formatted = result.formatted_result.unwrap_or_default();
    let snippet = snippet(&result.result, &formatted);
    let document = result.result;
    Hit {
        id: document.id,
        doc_type: document.doc_type,
        path: document.path,
        title: document.title,
        summary: document.summary,
        organisation: document.organisation,
        organisation_name: document.organisation_name,
        lang: document.lang,
        local: document.local,
        published: document.published,
        snippet,
    }
}

/// Only what the consistency check needs, so listing every document stays cheap.
#[derive(Deserialize)]
struct DocumentVersion {
    id: String,
    /// A document written by something other than Mutual has none; 0 makes the check
    /// replace it.
    #[serde(default)]
    version: i64,
}

/// Search over one Meilisearch index. Deliberately not `Debug`: the client holds the API key.
pub struct MeiliEngine {
    index: Index,
    /// As configured (without a trailing slash), for error messages.
    url: String,
}

impl MeiliEngine {
    /// Connects, checks that the server is up, creates the index if it is missing and applies
    /// the settings, waiting until Meilisearch has.
    pub async fn connect(
        url: &str,
        key: Option<&str>,
        index_name: &str,
    ) -> Result<MeiliEngine, SearchError> {
        // The SDK appends paths to the host as given; a trailing slash would double up.
        let url = url.trim_end_matches('/').to_string();
        // An empty key in the configuration means none, not an empty bearer token. A key read
        // from a file may end in a newline; and the SDK panics on a key that cannot be an HTTP
        // header, so one with control characters is refused here instead.
        let key = key.map(str::trim).filter(|key| !key.is_empty());
        if key.is_some_and(|key| key.chars().any(char::is_control)) {
            return Err(SearchError::Server(format!(
                "Meilisearch at {url}: the API key contains control characters"
            )));
        }
        let client = Client::new(url.clone(), key).map_err(|e| {
            SearchError::Server(format!(
                "Meilisearch at {url}: could not set up the client: {e}"
            ))
        })?;
        let engine = MeiliEngine {
            index: client.index(index_name),
            url,
        };
        let health = client
            .health()
            .await
            .map_err(|e| engine.error("checking its health", e))?;
        if health.status != "available" {
            return Err(engine.error(
                "checking its health",
                format!("the server says it is `{}`", health.status),
            ));
        }
        engine.ensure_index().await?;
        engine.apply_settings().await?;
        Ok(engine)
    }

    fn client(&self) -> &Client {
        &self.index.client
    }

    fn error(&self, what: &str, cause: impl Display) -> SearchError {
        SearchError::Server(format!(
            "Meilisearch at {} (index `{}`): {what}: {cause}",
            self.url, self.index.uid
        ))
    }

    async fn ensure_index(&self) -> Result<(), SearchError> {
        const WHAT: &str = "creating the index";
        match self.client().get_raw_index(&self.index.uid).await {
            Ok(info) => match info.get("primaryKey").and_then(serde_json::Value::as_str) {
                Some(key) if key != PRIMARY_KEY => Err(self.error(
                    "checking the index",
                    format!(
                        "its primary key is `{key}`, not `{PRIMARY_KEY}`: delete the index \
                         or configure another one"
                    ),
                )),
                // No primary key yet: the first upsert sets it, as it always names one.
                _ => Ok(()),
            },
            Err(MeiliError::Meilisearch(e)) if e.error_code == ErrorCode::IndexNotFound => {
                let task = self
                    .client()
                    .create_index(&self.index.uid, Some(PRIMARY_KEY))
                    .await
                    .map_err(|e| self.error(WHAT, e))?;
                match self.finish(task, WHAT, TASK_TIMEOUT).await? {
                    Ok(()) => Ok(()),
                    // Another process (a second `mutual` starting) created it first.
                    Err(failure) if failure.error_code == ErrorCode::IndexAlreadyExists => Ok(()),
                    Err(failure) => Err(self.error(WHAT, failure.error_message)),
                }
            }
            Err(e) => Err(self.error("reading the index", e)),
        }
    }

    async fn apply_settings(&self) -> Result<(), SearchError> {
        const WHAT: &str = "applying the index settings";
        let settings = Settings::new()
            .with_searchable_attributes(SEARCHABLE_ATTRIBUTES)
            .with_filterable_attributes(FILTERABLE_ATTRIBUTES)
            .with_sortable_attributes(SORTABLE_ATTRIBUTES)
            .with_ranking_rules(RANKING_RULES)
            .with_stop_words(stop_words())
            .with_typo_tolerance(TypoToleranceSettings {
                enabled: Some(true),
                min_word_size_for_typos: Some(MinWordSizeForTypos {
                    one_typo: Some(ONE_TYPO_FROM),
                    two_typos: Some(TWO_TYPOS_FROM),
                }),
                ..TypoToleranceSettings::default()
            })
            // Counting beyond the deepest page anyone may ask for is wasted work.
            .with_pagination(PaginationSetting {
                max_total_hits: MAX_RESULT_WINDOW,
            })
            .with_faceting(FacetingSettings {
                max_values_per_facet: MAX_VALUES_PER_FACET,
                sort_facet_values_by: None,
            });
        let task = self
            .index
            .set_settings(&settings)
            .await
            .map_err(|e| self.error(WHAT, e))?;
        self.wait(task, WHAT, SETTINGS_TIMEOUT).await
    }

    /// Waits for a task; `Ok(Err(_))` is a task Meilisearch ran and failed.
    async fn finish(
        &self,
        task: TaskInfo,
        what: &str,
        timeout: Duration,
    ) -> Result<Result<(), MeilisearchError>, SearchError> {
        let task = task
            .wait_for_completion(self.client(), Some(POLL_INTERVAL), Some(timeout))
            .await
            .map_err(|e| match e {
                MeiliError::Timeout => self.error(
                    what,
                    format!("the task did not finish within {} s", timeout.as_secs()),
                ),
                e => self.error(what, e),
            })?;
        match task {
            Task::Succeeded { .. } => Ok(Ok(())),
            Task::Failed { content } => Ok(Err(content.error)),
            Task::Enqueued { .. } | Task::Processing { .. } => {
                Err(self.error(what, "the task had not finished"))
            }
        }
    }

    async fn wait(&self, task: TaskInfo, what: &str, timeout: Duration) -> Result<(), SearchError> {
        self.finish(task, what, timeout)
            .await?
            .map_err(|failure| self.error(what, failure.error_message))
    }
}

#[async_trait::async_trait]
impl SearchEngine for MeiliEngine {
    fn name(&self) -> &'static str {
        "meilisearch"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities { stemming: false }
    }

    async fn upsert(&self, documents: Vec<SearchDocument>) -> Result<(), SearchError> {
        const WHAT: &str = "indexing documents";
        // Send every batch before waiting, so Meilisearch can index them together.
        let mut tasks = Vec::new();
        for batch in documents.chunks(UPSERT_BATCH) {
            let task = self
                .index
                .add_or_replace(batch, Some(PRIMARY_KEY))
                .await
                .map_err(|e| self.error(WHAT, e))?;
            tasks.push(task);
        }
        for task in tasks {
            self.wait(task, WHAT, TASK_TIMEOUT).await?;
        }
        Ok(())
    }

    async fn remove(&self, ids: Vec<String>) -> Result<(), SearchError> {
        const WHAT: &str = "removing documents";
        if ids.is_empty() {
            return Ok(());
        }
        let task = self
            .index
            .delete_documents(&ids)
            .await
            .map_err(|e| self.error(WHAT, e))?;
        self.wait(task, WHAT, TASK_TIMEOUT).await
    }

    async fn clear(&self) -> Result<(), SearchError> {
        const WHAT: &str = "removing every document";
        let task = self
            .index
            .delete_all_documents()
            .await
            .map_err(|e| self.error(WHAT, e))?;
        self.wait(task, WHAT, TASK_TIMEOUT).await
    }

    async fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        if query.text.chars().count() > MAX_QUERY_CHARS {
            return Err(SearchError::BadQuery(format!(
                "Use at most {MAX_QUERY_CHARS} characters in a search."
            )));
        }
        let filter = filter_expression(&query.filters);
        let (page, hits_per_page) = page_of(query);
        let (_, limit) = query.window();
        let pre_tag = MARK_START.to_string();
        let post_tag = MARK_END.to_string();

        let mut request = self.index.search();
        request
            .with_query(&query.text)
            .with_matching_strategy(MatchingStrategies::LAST)
            .with_page(page)
            .with_hits_per_page(hits_per_page)
            .with_facets(Selectors::Some(&FACET_ATTRIBUTES[..]))
            .with_attributes_to_crop(Selectors::Some(&CROPPED[..]))
            .with_crop_length(CROP_WORDS)
            .with_attributes_to_highlight(Selectors::Some(&HIGHLIGHTED[..]))
            .with_highlight_pre_tag(&pre_tag)
            .with_highlight_post_tag(&post_tag);
        if let Some(filter) = &filter {
            request.with_filter(filter);
        }
        if newest_first(query) {
            request.with_sort(&NEWEST_FIRST[..]);
        }
        let results = request
            .execute::<SearchDocument>()
            .await
            .map_err(|e| self.error("searching", e))?;

        // Every facet is present, empty when nothing matched, as the embedded engine does.
        let mut facets: FacetCounts = Facet::ALL
            .into_iter()
            .map(|facet| (facet, BTreeMap::new()))
            .collect();
        for (name, counts) in results.facet_distribution.unwrap_or_default() {
            if let Some(facet) = facet_of(&name) {
                facets.entry(facet).or_default().extend(
                    counts
                        .into_iter()
                        .map(|(value, count)| (value, count as u64)),
                );
            }
        }
        let hits: Vec<Hit> = results.hits.into_iter().take(limit).map(hit).collect();
        // Exact in page mode, but Meilisearch stops counting at `maxTotalHits`, the result window.
        let total = results
            .total_hits
            .or(results.estimated_total_hits)
            .unwrap_or(hits.len()) as u64;
        Ok(SearchResults {
            total,
            hits,
            facets,
        })
    }

    async fn versions(&self) -> Result<BTreeMap<String, i64>, SearchError> {
        let mut versions = BTreeMap::new();
        let mut offset = 0;
        loop {
            let mut request = DocumentsQuery::new(&self.index);
            request
                .with_fields(["id", "version"])
                .with_limit(VERSIONS_PAGE)
                .with_offset(offset);
            let page = request
                .execute::<DocumentVersion>()
                .await
                .map_err(|e| self.error("listing documents", e))?;
            let count = page.results.len();
            versions.extend(page.results.into_iter().map(|d| (d.id, d.version)));
            offset += count;
            if count == 0 || offset >= page.total as usize {
                break;
            }
        }
        Ok(versions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::DocType;

    #[test]
    fn filters_or_within_a_facet_and_across_facets() {
        let query = SearchQuery::new("")
            .filter(Facet::Type, "case_story")
            .filter(Facet::Type, "isf_template")
            .filter(Facet::Topic, "personnel");
        assert_eq!(
            filter_expression(&query.filters).as_deref(),
            Some(r#"(type = "case_story" OR type = "isf_template") AND topics = "personnel""#)
        );
        assert_eq!(filter_expression(&BTreeMap::new()), None);
        let empty = SearchQuery::new("").filter(Facet::Lang, "");
        assert_eq!(filter_expression(&empty.filters), None);
    }

    #[test]
    fn filter_values_are_escaped() {
        let query = SearchQuery::new("").filter(Facet::Org, r#"a"b\c"#);
        assert_eq!(
            filter_expression(&query.filters).as_deref(),
            Some(r#"organisation = "a\"b\\c""#)
        );
    }

    #[test]
    fn facet_attributes_map_back() {
        for facet in Facet::ALL {
            assert_eq!(facet_of(attribute(facet)), Some(facet));
        }
        assert_eq!(FACET_ATTRIBUTES.len(), Facet::ALL.len());
        for name in FACET_ATTRIBUTES {
            assert!(FILTERABLE_ATTRIBUTES.contains(&name));
        }
    }

    #[test]
    fn pages_follow_the_window() {
        assert_eq!(page_of(&SearchQuery::new("x").paged(3, 20)), (3, 20));
        assert_eq!(page_of(&SearchQuery::new("x").paged(0, 0)), (1, 1));
        // Offset 9990 with 30 a page: page 334, of which only 10 fit in the window.
        assert_eq!(page_of(&SearchQuery::new("x").paged(334, 30)), (334, 30));
        assert_eq!(page_of(&SearchQuery::new("x").paged(10_000, 30)), (1, 0));
    }

    #[test]
    fn browsing_is_newest_first() {
        assert!(newest_first(&SearchQuery::new("  ")));
        assert!(newest_first(&SearchQuery::new("\"!?\"")));
        assert!(!newest_first(&SearchQuery::new("bank")));
        assert!(newest_first(&SearchQuery::new("bank").sorted(Sort::Date)));
    }

    #[test]
    fn snippets_prefer_marked_body_then_summary_then_plain_text() {
        let document = SearchDocument {
            id: "1".into(),
            doc_type: DocType::CaseStory,
            path: "/x".into(),
            title: "T".into(),
            summary: "A summary".into(),
            body: "A body".into(),
            tags: vec![],
            topics: vec![],
            people: vec![],
            countries: vec![],
            lang: "en".into(),
            organisation: "org".into(),
            organisation_name: "Org".into(),
            local: true,
            published: 0,
            version: 0,
        };
        let marked = format!("a {MARK_START}body{MARK_END}");
        let mut formatted = serde_json::Map::new();
        formatted.insert("body".into(), marked.clone().into());
        formatted.insert("summary".into(), format!("{MARK_START}A{MARK_END}").into());
        assert_eq!(snippet(&document, &formatted), marked);
        formatted.insert("body".into(), "A body".into());
        assert_eq!(
            snippet(&document, &formatted),
            format!("{MARK_START}A{MARK_END}")
        );
        assert_eq!(snippet(&document, &serde_json::Map::new()), "A summary");
        let no_summary = SearchDocument {
            summary: String::new(),
            ..document
        };
        assert_eq!(snippet(&no_summary, &serde_json::Map::new()), "A body");
    }

    #[test]
    fn stop_words_leave_out_words_that_mean_something_elsewhere() {
        assert!(stop_words().len() > 80);
        assert!(!stop_words().contains("men"));
    }
}
