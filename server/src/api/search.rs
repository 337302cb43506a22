//! `GET /api/v1/search`: full-text search over published learning and organisations.

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use crate::search::{query, DocType, Facet, Hit, SearchQuery, SearchResults};
use crate::web::error::{ApiError, AppError};
use crate::web::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/search", web::get().to(search));
}

/// Query parameters. Facet parameters take several values repeated (`topic=a&topic=b`) or
/// comma-separated (`topic=a,b`); values of one facet are alternatives, different facets
/// must all match.
#[derive(IntoParams)]
#[allow(dead_code)]
pub struct SearchParams {
    /// Words to find. Quotes make a phrase; the last word also matches longer words
    /// (search as you type); words of 5+ letters tolerate one typo, 9+ two (a typo in the
    /// first letter counts as two).
    q: Option<String>,
    /// `case_story`, `isf_template`, `practice_guide` or `organisation`.
    #[param(rename = "type")]
    r#type: Option<String>,
    /// A `learning_topics` slug.
    topic: Option<String>,
    /// An ISO 3166 code; a country code also finds its subdivisions (`GB` finds `GB-SCT`).
    country: Option<String>,
    /// A language subtag such as `en` or `fi`.
    lang: Option<String>,
    /// A `people_supported` slug.
    people: Option<String>,
    /// An organisation handle (`handle` or `handle@host`).
    org: Option<String>,
    /// `relevance` (default) or `date` (newest first).
    sort: Option<String>,
    /// From 1.
    page: Option<usize>,
    /// 1 to 100, default 20.
    per_page: Option<usize>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchHitView {
    pub id: String,
    /// The public page (on this instance, also for items received from peers).
    pub url: String,
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    pub doc_type: DocType,
    pub title: String,
    pub summary: String,
    /// The organisation's handle.
    pub organisation: String,
    pub organisation_name: String,
    pub lang: String,
    /// Whether it was published on this instance (false: received from a peer).
    pub local: bool,
    /// RFC 3339.
    pub published: String,
    /// A short passage, HTML-escaped, with matched words in `<mark>`.
    pub snippet: String,
}

#[derive(Serialize, ToSchema)]
pub struct SearchResponse {
    pub total: u64,
    pub page: usize,
    pub per_page: usize,
    pub hits: Vec<SearchHitView>,
    /// Per facet (`type`, `topic`, `country`, `lang`, `people`, `org`), how many matches have
    /// each value — over all matches, not just this page.
    pub facets: BTreeMap<String, BTreeMap<String, u64>>,
}

pub fn hit_view(state: &AppState, hit: Hit) -> SearchHitView {
    let url = state.config.absolute_url(&hit.path);
    SearchHitView {
        id: hit.id,
        url,
        doc_type: hit.doc_type,
        title: hit.title,
        summary: hit.summary,
        organisation: hit.organisation,
        organisation_name: hit.organisation_name,
        lang: hit.lang,
        local: hit.local,
        published: chrono::DateTime::from_timestamp(hit.published, 0)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default(),
        snippet: query::snippet_html(&hit.snippet),
    }
}

/// Reads a request's query string into a search.
pub fn parse_query(req: &HttpRequest) -> Result<SearchQuery, AppError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(req.query_string().as_bytes())
        .into_owned()
        .collect();
    SearchQuery::from_params(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(
        |errors| {
            AppError::bad_request(
                "invalid_query",
                errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        },
    )
}

fn response(state: &AppState, query: &SearchQuery, results: SearchResults) -> SearchResponse {
    SearchResponse {
        total: results.total,
        page: query.page.max(1),
        per_page: query.per_page.clamp(1, crate::search::MAX_PER_PAGE),
        hits: results
            .hits
            .into_iter()
            .map(|hit| hit_view(state, hit))
            .collect(),
        facets: Facet::ALL
            .into_iter()
            .map(|facet| {
                (
                    facet.as_str().to_string(),
                    results.facets.get(&facet).cloned().unwrap_or_default(),
                )
            })
            .collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/search", params(SearchParams), security(()), responses(
    (status = 200, body = SearchResponse),
    (status = 400, description = "A parameter has a value that cannot be used", body = super::ErrorView)))]
pub async fn search(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let query = parse_query(&req)?;
    let results = state.search.search(&query).await?;
    Ok(HttpResponse::Ok().json(response(&state, &query, results)))
}
