//! Search: full-text search over published learning (case stories, ISF templates, practice
//! guides) and organisation profiles, local and received over federation. It owns the index
//! and the queue of documents waiting to be (re)indexed (`pending`), turns database rows into
//! search documents (`documents`), and keeps the index in step with the database (`sync`).
//!
//! Two engines sit behind one small trait, [`SearchEngine`]: the embedded default
//! (`embedded`, tantivy, index in the data folder) and Meilisearch (`meili`) when the host
//! configures one. Only what the public may read ever becomes a search document, so a search
//! can never reveal a draft, a withdrawn story or consent records. This module reads content
//! and organisations but never changes them, and knows nothing of HTTP.

mod analysis;
mod doc_bits;
pub mod documents;
pub mod embedded;
mod facet_bits;
pub mod meili;
pub mod pending;
mod phrases;
pub mod query;
mod ranking;
mod snippets;
pub mod sync;
mod typos;
mod word_scores;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use sync::Search;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the search index could not be used: {0}")]
    Index(String),
    #[error(
        "the search index in {0} is in use by another process (is `mutual serve` running? stop it first)"
    )]
    Locked(String),
    #[error("the search server did not answer as expected: {0}")]
    Server(String),
    #[error("{0}")]
    BadQuery(String),
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
}

impl From<diesel::result::Error> for SearchError {
    fn from(e: diesel::result::Error) -> Self {
        SearchError::Db(crate::db::DbError::Query(e))
    }
}

/// What a search document is. The API's `type` values.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DocType {
    CaseStory,
    IsfTemplate,
    PracticeGuide,
    Organisation,
}

impl DocType {
    pub const ALL: [DocType; 4] = [
        DocType::CaseStory,
        DocType::IsfTemplate,
        DocType::PracticeGuide,
        DocType::Organisation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocType::CaseStory => "case_story",
            DocType::IsfTemplate => "isf_template",
            DocType::PracticeGuide => "practice_guide",
            DocType::Organisation => "organisation",
        }
    }

    pub fn parse(text: &str) -> Option<DocType> {
        DocType::ALL.into_iter().find(|t| t.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            DocType::CaseStory => "Case story",
            DocType::IsfTemplate => "ISF template",
            DocType::PracticeGuide => "Practice guide",
            DocType::Organisation => "Organisation",
        }
    }
}

impl DocType {
    /// The label in the interface language `lang`.
    pub fn label_in(self, lang: &str) -> String {
        crate::i18n::t(
            lang,
            match self {
                DocType::CaseStory => "doc-type-case-story",
                DocType::IsfTemplate => "doc-type-isf-template",
                DocType::PracticeGuide => "doc-type-practice-guide",
                DocType::Organisation => "doc-type-organisation",
            },
        )
    }
}

impl From<crate::content::ContentKind> for DocType {
    fn from(kind: crate::content::ContentKind) -> Self {
        use crate::content::ContentKind;
        match kind {
            ContentKind::CaseStory => DocType::CaseStory,
            ContentKind::IsfTemplate => DocType::IsfTemplate,
            ContentKind::PracticeGuide => DocType::PracticeGuide,
        }
    }
}

/// One thing the public can find. Built only from what the public may read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchDocument {
    /// The database id of the item or organisation.
    pub id: String,
    #[serde(rename = "type")]
    pub doc_type: DocType,
    /// The public path on this instance (`/organisations/…`), made absolute when shown.
    pub path: String,
    pub title: String,
    pub summary: String,
    /// The body as plain text.
    pub body: String,
    /// Labels of the item's vocabulary terms, so "autism" finds an item tagged with it.
    pub tags: Vec<String>,
    /// `learning_topics` slugs.
    pub topics: Vec<String>,
    /// `people_supported` slugs.
    pub people: Vec<String>,
    /// ISO 3166 codes (a subdivision brings its country too).
    pub countries: Vec<String>,
    /// BCP 47 primary language subtag of the text (`en`, `fi`, …).
    pub lang: String,
    /// The organisation's handle (`handle` or `handle@host`).
    pub organisation: String,
    pub organisation_name: String,
    pub local: bool,
    /// Unix seconds.
    pub published: i64,
    /// Changes whenever the source row changes (its `updated_at` in microseconds): lets the
    /// start-up check find documents that are out of date.
    pub version: i64,
}

/// The facets members can filter on, in the order pages show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Facet {
    Type,
    Topic,
    Country,
    Lang,
    People,
    Org,
}

impl Facet {
    pub const ALL: [Facet; 6] = [
        Facet::Type,
        Facet::Topic,
        Facet::Country,
        Facet::Lang,
        Facet::People,
        Facet::Org,
    ];

    /// The name in the API's query string and in its `facets` object.
    pub fn as_str(self) -> &'static str {
        match self {
            Facet::Type => "type",
            Facet::Topic => "topic",
            Facet::Country => "country",
            Facet::Lang => "lang",
            Facet::People => "people",
            Facet::Org => "org",
        }
    }

    pub fn parse(text: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|f| f.as_str() == text)
    }

    /// The document's values for this facet.
    pub fn values(self, doc: &SearchDocument) -> Vec<String> {
        match self {
            Facet::Type => vec![doc.doc_type.as_str().to_string()],
            Facet::Topic => doc.topics.clone(),
            Facet::Country => doc.countries.clone(),
            Facet::Lang => vec![doc.lang.clone()],
            Facet::People => doc.people.clone(),
            Facet::Org => vec![doc.organisation.clone()],
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Relevance,
    Date,
}

impl Sort {
    pub fn parse(text: &str) -> Option<Sort> {
        match text {
            "" | "relevance" => Some(Sort::Relevance),
            "date" => Some(Sort::Date),
            _ => None,
        }
    }
}

/// A search as asked: words, filters (values within one facet are alternatives, different
/// facets must all match), order and page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchQuery {
    pub text: String,
    pub filters: BTreeMap<Facet, Vec<String>>,
    pub sort: Sort,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
}

pub const MAX_PER_PAGE: usize = 100;
pub const DEFAULT_PER_PAGE: usize = 20;
/// Deep pages cost as much as all the pages before them; nobody reads page 500.
pub const MAX_RESULT_WINDOW: usize = 10_000;

impl SearchQuery {
    pub fn new(text: impl Into<String>) -> SearchQuery {
        SearchQuery {
            text: text.into(),
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            ..SearchQuery::default()
        }
    }

    pub fn filter(mut self, facet: Facet, value: impl Into<String>) -> SearchQuery {
        self.filters.entry(facet).or_default().push(value.into());
        self
    }

    pub fn sorted(mut self, sort: Sort) -> SearchQuery {
        self.sort = sort;
        self
    }

    pub fn paged(mut self, page: usize, per_page: usize) -> SearchQuery {
        self.page = page;
        self.per_page = per_page;
        self
    }

    /// Page and page size brought into range: `(offset, limit)`.
    pub fn window(&self) -> (usize, usize) {
        let per_page = self.per_page.clamp(1, MAX_PER_PAGE);
        let page = self.page.max(1);
        let offset = (page - 1).saturating_mul(per_page).min(MAX_RESULT_WINDOW);
        let limit = per_page.min(MAX_RESULT_WINDOW - offset);
        (offset, limit)
    }
}

/// A problem with one query parameter (the field is the parameter's name), for a clear
/// 400 or a message beside the search box.
pub type ParamError = crate::accounts::FieldError;

impl SearchQuery {
    /// Reads the parameters of `GET /search` and `GET /api/v1/search`: `q`, one parameter per
    /// facet (repeated, or comma-separated, for several values), `sort`, `page`, `per_page`.
    /// Unknown parameters are ignored, so links with tracking or old parameters still work.
    pub fn from_params<'a>(
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<SearchQuery, Vec<ParamError>> {
        let mut query = SearchQuery::new("");
        let mut errors = Vec::new();
        let mut error = |error: ParamError| errors.push(error);
        use crate::accounts::{field_error, field_error_with};
        for (name, raw) in params {
            let value = raw.trim();
            match name {
                // Only leading space goes: a trailing one says the last word is finished
                // (no prefix matching), as a person typing "staff " means.
                "q" => query.text = raw.trim_start().to_string(),
                "sort" => match Sort::parse(value) {
                    Some(sort) => query.sort = sort,
                    None => error(field_error("sort", "Sort by relevance or date.")),
                },
                "page" => match value.parse::<usize>() {
                    Ok(page) if page >= 1 => query.page = page,
                    _ => error(field_error("page", "The page is a whole number from 1.")),
                },
                "per_page" => match value.parse::<usize>() {
                    Ok(n) if (1..=MAX_PER_PAGE).contains(&n) => query.per_page = n,
                    _ => error(field_error_with(
                        "per_page",
                        "Results per page: a whole number from 1 to { $max }.",
                        &[("max", MAX_PER_PAGE.to_string())],
                    )),
                },
                other => {
                    let Some(facet) = Facet::parse(other) else {
                        continue;
                    };
                    for value in value.split(',').map(str::trim).filter(|v| !v.is_empty()) {
                        if facet == Facet::Type && DocType::parse(value).is_none() {
                            error(field_error_with(
                                "type",
                                "Unknown type \"{ $value }\": use case_story, isf_template, practice_guide or organisation.",
                                &[("value", value.to_string())],
                            ));
                            continue;
                        }
                        if value.chars().count() > 200 {
                            error(field_error(other, "That value is too long."));
                            continue;
                        }
                        // Codes as the index stores them: `gb` is GB, `en-GB` is en.
                        let value = match facet {
                            Facet::Country => value.to_ascii_uppercase(),
                            Facet::Lang => documents::primary_language(value),
                            _ => value.to_string(),
                        };
                        let value = value.as_str();
                        let values = query.filters.entry(facet).or_default();
                        if !values.iter().any(|v| v == value) {
                            values.push(value.to_string());
                        }
                    }
                }
            }
        }
        if query.text.chars().count() > 500 {
            error(field_error("q", "Use at most 500 characters in a search."));
        }
        if (query.page - 1).saturating_mul(query.per_page) >= MAX_RESULT_WINDOW {
            error(field_error_with(
                "page",
                "Only the first { $max } results can be paged through: add words or filters.",
                &[("max", MAX_RESULT_WINDOW.to_string())],
            ));
        }
        if errors.is_empty() {
            Ok(query)
        } else {
            Err(errors)
        }
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub id: String,
    pub doc_type: DocType,
    pub path: String,
    pub title: String,
    pub summary: String,
    pub organisation: String,
    pub organisation_name: String,
    pub lang: String,
    pub local: bool,
    pub published: i64,
    /// A short passage with the matched words marked by [`query::MARK_START`] and
    /// [`query::MARK_END`]; `query::snippet_html` turns it into safe HTML.
    pub snippet: String,
}

/// Counts per value, per facet, over every match (not just the page).
pub type FacetCounts = BTreeMap<Facet, BTreeMap<String, u64>>;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchResults {
    pub total: u64,
    pub hits: Vec<Hit>,
    pub facets: FacetCounts,
}

/// What an engine can do beyond the common ground (the conformance suite checks what is
/// claimed here, and reports what is not).
#[derive(Debug, Clone, Copy)]
pub struct Capabilities {
    /// Finds "banking" for "banked" in the languages [`query::STEMMED_LANGUAGES`] names.
    pub stemming: bool,
}

/// A search engine: what Mutual needs of one, and no more.
#[async_trait::async_trait]
pub trait SearchEngine: Send + Sync {
    /// `embedded` or `meilisearch`, for logs and `mutual search check`.
    fn name(&self) -> &'static str;

    fn capabilities(&self) -> Capabilities;

    /// Adds or replaces documents (by id). Visible to searches when this returns.
    async fn upsert(&self, documents: Vec<SearchDocument>) -> Result<(), SearchError>;

    /// Removes documents by id; unknown ids are ignored.
    async fn remove(&self, ids: Vec<String>) -> Result<(), SearchError>;

    /// Removes every document.
    async fn clear(&self) -> Result<(), SearchError>;

    async fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError>;

    /// Every document's id and version, for the consistency check.
    async fn versions(&self) -> Result<BTreeMap<String, i64>, SearchError>;
}

pub type Engine = Arc<dyn SearchEngine>;

/// Opens the engine the configuration names: Meilisearch when a URL is set, otherwise the
/// embedded index under the data folder.
pub async fn open_engine(config: &crate::config::Config) -> Result<Engine, SearchError> {
    open_engine_with(config, true).await
}

/// The same for looking only (`mutual search check`): the embedded index opens without its
/// write lock, so a running server does not stand in the way.
pub async fn open_engine_read_only(config: &crate::config::Config) -> Result<Engine, SearchError> {
    open_engine_with(config, false).await
}

async fn open_engine_with(
    config: &crate::config::Config,
    writable: bool,
) -> Result<Engine, SearchError> {
    match &config.search.meilisearch_url {
        Some(url) => {
            let engine = meili::MeiliEngine::connect(
                url.as_str(),
                config.search.meilisearch_key.as_deref(),
                &config.search.meilisearch_index,
            )
            .await?;
            Ok(Arc::new(engine))
        }
        None => {
            let dir = config.data_dir.join("search");
            let engine = tokio::task::spawn_blocking(move || {
                if writable {
                    embedded::EmbeddedEngine::open(&dir)
                } else {
                    embedded::EmbeddedEngine::open_read_only(&dir)
                }
            })
            .await
            .map_err(|e| SearchError::Index(e.to_string()))??;
            Ok(Arc::new(engine))
        }
    }
}
