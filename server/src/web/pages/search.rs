//! The search page: a plain GET form (works without JavaScript), the facets as groups of
//! checkboxes with their counts, results with marked snippets, and pages.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Serialize;

use super::{html, page};
use crate::i18n;
use crate::search::{query, DocType, Facet, SearchQuery, SearchResults, Sort};
use crate::taxonomy::{self, Taxonomy};
use crate::web::auth::MaybeUser;
use crate::web::error::PageError;
use crate::web::templates::render;
use crate::web::AppState;

#[derive(Serialize)]
struct OptionView {
    value: String,
    label: String,
    count: u64,
    checked: bool,
}

#[derive(Serialize)]
struct FacetView {
    name: &'static str,
    legend: String,
    options: Vec<OptionView>,
}

#[derive(Serialize)]
struct HitView {
    url: String,
    title: String,
    type_label: String,
    organisation_name: String,
    lang: String,
    local: bool,
    published: String,
    snippet_html: String,
}

/// Names of languages in their own language, so a speaker recognises theirs.
fn language_name(code: &str, ui: &str) -> String {
    match code {
        "en" => "English",
        "fr" => "Français",
        "es" => "Español",
        "fi" => "Suomi",
        "sv" => "Svenska",
        "el" => "Ελληνικά",
        "cs" => "Čeština",
        "de" => "Deutsch",
        "it" => "Italiano",
        "pt" => "Português",
        "nl" => "Nederlands",
        "" => return i18n::t(ui, "search-language-not-given"),
        other => return other.to_string(),
    }
    .to_string()
}

fn label(facet: Facet, value: &str, ui: &str, names: &HashMap<String, String>) -> String {
    let taxonomy = Taxonomy::get();
    match facet {
        Facet::Type => DocType::parse(value)
            .map(|t| t.label_in(ui))
            .unwrap_or_else(|| value.to_string()),
        Facet::Topic => taxonomy.label_in(ui, taxonomy::LEARNING_TOPICS, value),
        Facet::People => taxonomy.label_in(ui, taxonomy::PEOPLE_SUPPORTED, value),
        Facet::Country => crate::organisations::country_name_in(ui, value),
        Facet::Lang => language_name(value, ui),
        Facet::Org => names
            .get(value)
            .cloned()
            .unwrap_or_else(|| value.to_string()),
    }
}

fn legend(facet: Facet, ui: &str) -> String {
    match facet {
        Facet::Type => i18n::t(ui, "facet-type"),
        Facet::Topic => i18n::t(ui, "facet-topic"),
        Facet::Country => i18n::t(ui, "facet-country"),
        Facet::Lang => i18n::t(ui, "facet-language"),
        Facet::People => i18n::t(ui, "facet-people"),
        Facet::Org => i18n::t(ui, "facet-organisation"),
    }
}

fn facet_views(
    query: &SearchQuery,
    results: &SearchResults,
    ui: &str,
    names: &HashMap<String, String>,
) -> Vec<FacetView> {
    Facet::ALL
        .into_iter()
        .map(|facet| {
            let selected = query.filters.get(&facet).cloned().unwrap_or_default();
            let counts = results.facets.get(&facet).cloned().unwrap_or_default();
            let mut options: Vec<OptionView> = counts
                .iter()
                .map(|(value, count)| OptionView {
                    value: value.clone(),
                    label: label(facet, value, ui, names),
                    count: *count,
                    checked: selected.contains(value),
                })
                .collect();
            // A chosen value with no matches stays on the page, so it can be unticked.
            for value in &selected {
                if !counts.contains_key(value) {
                    options.push(OptionView {
                        value: value.clone(),
                        label: label(facet, value, ui, names),
                        count: 0,
                        checked: true,
                    });
                }
            }
            options.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
            FacetView {
                name: facet.as_str(),
                legend: legend(facet, ui),
                options,
            }
        })
        .filter(|f| !f.options.is_empty())
        .collect()
}

/// The query string of this search at another page.
fn page_link(query: &SearchQuery, page_number: usize) -> String {
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    if !query.text.is_empty() {
        serializer.append_pair("q", &query.text);
    }
    for (facet, values) in &query.filters {
        for value in values {
            serializer.append_pair(facet.as_str(), value);
        }
    }
    if query.sort == Sort::Date {
        serializer.append_pair("sort", "date");
    }
    serializer.append_pair("page", &page_number.to_string());
    format!("/search?{}", serializer.finish())
}

pub async fn search(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: MaybeUser,
) -> Result<HttpResponse, PageError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(req.query_string().as_bytes())
        .into_owned()
        .collect();
    let (query, problems) =
        match SearchQuery::from_params(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
            Ok(query) => (query, Vec::new()),
            Err(errors) => (SearchQuery::new(""), errors),
        };
    let results = state.search.search(&query).await?;
    let context = page(&req, &state, user.0.as_ref());
    // The organisation filter shows names; the index counts handles.
    let mut handles: Vec<String> = results
        .facets
        .get(&Facet::Org)
        .map(|counts| counts.keys().cloned().collect())
        .unwrap_or_default();
    handles.extend(query.filters.get(&Facet::Org).cloned().unwrap_or_default());
    let names = state
        .db
        .query(move |conn| crate::organisations::names_by_handle(conn, &handles))
        .await?;
    let ui = context.lang.clone();
    let (_, limit) = query.window();
    let page_number = query.page.max(1);
    // Pages past the result window cannot be shown, so none are offered.
    let pages = (results.total as usize)
        .min(crate::search::MAX_RESULT_WINDOW)
        .div_ceil(limit.max(1))
        .max(1);
    let hits: Vec<HitView> = results
        .hits
        .iter()
        .map(|hit| HitView {
            url: hit.path.clone(),
            title: hit.title.clone(),
            type_label: hit.doc_type.label_in(&ui),
            organisation_name: hit.organisation_name.clone(),
            lang: hit.lang.clone(),
            local: hit.local,
            published: chrono::DateTime::from_timestamp(hit.published, 0)
                .map(|t| t.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            snippet_html: query::snippet_html(&hit.snippet),
        })
        .collect();
    let body = render(
        "search.html",
        context! {
            page => context,
            q => query.text.clone(),
            sort => if query.sort == Sort::Date { "date" } else { "relevance" },
            problems => problems,
            facets => facet_views(&query, &results, &ui, &names),
            filtered => !query.filters.is_empty(),
            search_params => crate::digests::follows::canonical_search(&query),
            total => results.total,
            hits => hits,
            page_number => page_number,
            pages => pages,
            previous => (page_number > 1).then(|| page_link(&query, page_number - 1)),
            next => (page_number < pages).then(|| page_link(&query, page_number + 1)),
        },
    )?;
    Ok(html(body))
}
