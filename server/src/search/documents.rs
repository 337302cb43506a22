//! Turns database rows into search documents. The one place that decides what the public
//! may find: only published items and organisation profiles, and of those only the fields
//! their public pages show (never consent records, authors or reviewers' notes).

use std::collections::BTreeMap;

use diesel::prelude::*;

use super::pending::{DocKind, Entry};
use super::query::strip_marks;
use super::{DocType, SearchDocument};
use crate::content::store::{self, ContentItem};
use crate::content::{Details, Status};
use crate::db::schema::{content_facets, content_items, organisations};
use crate::db::DbConn;
use crate::organisations::{Organisation, REMOTE_ACCOUNT_KIND};
use crate::taxonomy::{self, Taxonomy};

fn micros(t: chrono::NaiveDateTime) -> i64 {
    t.and_utc().timestamp_micros()
}

/// The primary language subtag, lower-case: `fr-CA` → `fr`.
pub fn primary_language(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Plain text of a Markdown body: the words a reader sees, without markup.
pub fn markdown_text(source: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut text = String::with_capacity(source.len());
    for event in Parser::new(source) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => text.push('\n'),
            _ => {}
        }
    }
    text
}

/// Free-text strings inside an ISF template's structured data (line descriptions, outcomes,
/// how flexibility works), which members search for as much as the body.
fn structured_text(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::String(s) if s.contains(' ') => {
            out.push_str(s);
            out.push('\n');
        }
        serde_json::Value::Array(values) => values.iter().for_each(|v| structured_text(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| structured_text(v, out)),
        _ => {}
    }
}

/// The terms' labels in every interface language, so a member finds an item by its topic
/// in their own words ("henkilöstö" as well as "personnel").
fn labels(vocabulary: &str, slugs: &[String], out: &mut Vec<String>) {
    let taxonomy = Taxonomy::get();
    for slug in slugs {
        if taxonomy.term(vocabulary, slug).is_none() {
            continue;
        }
        for lang in crate::i18n::Catalogues::get().languages() {
            let label = taxonomy.label_in(lang, vocabulary, slug);
            if !out.contains(&label) {
                out.push(label);
            }
        }
    }
}

/// The search document of an item, or `None` when the public may not see it.
pub fn content_document(
    item: &ContentItem,
    facets: &[(String, String)],
    organisation_updated: chrono::NaiveDateTime,
) -> Option<SearchDocument> {
    if item.status != Status::Published {
        return None;
    }
    let values = |facet: &str| -> Vec<String> {
        facets
            .iter()
            .filter(|(f, _)| f == facet)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let topics = values("topic");
    let people = values("people");
    let mut tags = Vec::new();
    labels(taxonomy::LEARNING_TOPICS, &topics, &mut tags);
    labels(taxonomy::PEOPLE_SUPPORTED, &people, &mut tags);
    labels(taxonomy::GOOD_PRACTICE, &values("good_practice"), &mut tags);
    let mut body = markdown_text(&item.row.body_source);
    if let Details::Isf(data) = &item.details {
        if let Ok(value) = serde_json::to_value(data.as_ref()) {
            structured_text(&value, &mut body);
        }
    }
    let row = &item.row;
    Some(SearchDocument {
        id: row.id.clone(),
        doc_type: item.kind.into(),
        path: item.path(),
        title: strip_marks(&row.title),
        summary: strip_marks(&row.summary),
        body: strip_marks(&body),
        tags,
        topics,
        people,
        countries: values("country"),
        lang: primary_language(&row.lang),
        organisation: item.organisation_handle.clone(),
        organisation_name: strip_marks(&item.organisation_name),
        local: row.local,
        published: row
            .published_at
            .unwrap_or(row.created_at)
            .and_utc()
            .timestamp(),
        version: micros(row.updated_at.max(organisation_updated)),
    })
}

/// The search document of an organisation's profile; `None` for remote people who follow
/// an organisation here (they are stored as organisations but are not ones).
pub fn organisation_document(org: &Organisation, local: bool) -> Option<SearchDocument> {
    let profile = &org.profile;
    if profile.kind == REMOTE_ACCOUNT_KIND {
        return None;
    }
    let mut topics = profile.offers_to_share.clone();
    for topic in &profile.wants_to_learn {
        if !topics.contains(topic) {
            topics.push(topic.clone());
        }
    }
    let mut tags = Vec::new();
    labels(taxonomy::LEARNING_TOPICS, &topics, &mut tags);
    labels(
        taxonomy::PEOPLE_SUPPORTED,
        &profile.people_supported,
        &mut tags,
    );
    let mut countries = Vec::new();
    if !profile.country.is_empty() {
        countries.push(profile.country.clone());
        if let Some((country, _)) = profile.country.split_once('-') {
            countries.push(country.to_string());
        }
    }
    let body = [profile.regions.join(", "), profile.kind.clone()].join("\n");
    Some(SearchDocument {
        id: org.id.clone(),
        doc_type: DocType::Organisation,
        path: format!("/organisations/{}", org.handle),
        title: strip_marks(&profile.name),
        summary: strip_marks(&profile.summary),
        body: strip_marks(&body),
        tags,
        topics,
        people: profile.people_supported.clone(),
        countries,
        lang: profile
            .languages
            .first()
            .map(|l| primary_language(l))
            .unwrap_or_default(),
        organisation: org.handle.clone(),
        organisation_name: strip_marks(&profile.name),
        local,
        published: org.created_at.and_utc().timestamp(),
        version: micros(org.updated_at),
    })
}

fn load_content(conn: &mut DbConn, id: &str) -> QueryResult<Option<SearchDocument>> {
    let item = match store::get(conn, id) {
        Ok(item) => item,
        Err(diesel::result::Error::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    if item.status != Status::Published {
        return Ok(None);
    }
    let facets: Vec<(String, String)> = content_facets::table
        .filter(content_facets::content_id.eq(id))
        .select((content_facets::facet, content_facets::value))
        .load(conn)?;
    let organisation_updated: chrono::NaiveDateTime = organisations::table
        .filter(organisations::id.eq(&item.row.organisation_id))
        .select(organisations::updated_at)
        .first(conn)?;
    Ok(content_document(&item, &facets, organisation_updated))
}

fn load_organisation(conn: &mut DbConn, id: &str) -> QueryResult<Option<SearchDocument>> {
    Ok(crate::organisations::get_by_id(conn, id)?
        .and_then(|(org, local)| organisation_document(&org, local)))
}

/// The current documents for waiting entries, and the ids that must leave the index.
pub fn load(
    conn: &mut DbConn,
    entries: &[Entry],
) -> QueryResult<(Vec<SearchDocument>, Vec<String>)> {
    let mut documents = Vec::new();
    let mut gone = Vec::new();
    for entry in entries {
        let document = match entry.kind {
            DocKind::Content => load_content(conn, &entry.doc_id)?,
            DocKind::Organisation => load_organisation(conn, &entry.doc_id)?,
        };
        match document {
            Some(document) => documents.push(document),
            None => gone.push(entry.doc_id.clone()),
        }
    }
    Ok((documents, gone))
}

/// Every id that should be in the index with its version, for the consistency check.
pub fn expected_versions(conn: &mut DbConn) -> QueryResult<BTreeMap<String, i64>> {
    let mut versions = BTreeMap::new();
    let items: Vec<(String, chrono::NaiveDateTime, chrono::NaiveDateTime)> = content_items::table
        .inner_join(organisations::table)
        .filter(content_items::status.eq(Status::Published.as_str()))
        .select((
            content_items::id,
            content_items::updated_at,
            organisations::updated_at,
        ))
        .load(conn)?;
    for (id, updated, organisation_updated) in items {
        versions.insert(id, micros(updated.max(organisation_updated)));
    }
    let orgs: Vec<(String, chrono::NaiveDateTime)> = organisations::table
        .filter(organisations::kind.ne(REMOTE_ACCOUNT_KIND))
        .select((organisations::id, organisations::updated_at))
        .load(conn)?;
    for (id, updated) in orgs {
        versions.insert(id, micros(updated));
    }
    Ok(versions)
}

/// Everything indexable, a page at a time in id order (for `reindex`): entries after `after`.
pub fn all_entries(conn: &mut DbConn, after: &str, limit: i64) -> QueryResult<Vec<Entry>> {
    let now = crate::db::now();
    let items: Vec<String> = content_items::table
        .filter(content_items::status.eq(Status::Published.as_str()))
        .filter(content_items::id.gt(after))
        .order(content_items::id.asc())
        .select(content_items::id)
        .limit(limit)
        .load(conn)?;
    let orgs: Vec<String> = organisations::table
        .filter(organisations::kind.ne(REMOTE_ACCOUNT_KIND))
        .filter(organisations::id.gt(after))
        .order(organisations::id.asc())
        .select(organisations::id)
        .limit(limit)
        .load(conn)?;
    let mut entries: Vec<Entry> = items
        .into_iter()
        .map(|id| (id, DocKind::Content))
        .chain(orgs.into_iter().map(|id| (id, DocKind::Organisation)))
        .map(|(doc_id, kind)| Entry {
            doc_id,
            kind,
            queued_at: now,
        })
        .collect();
    // Merge the two id-ordered lists and keep the first `limit`, so `after` moves forward
    // through both tables together.
    entries.sort_by(|a, b| a.doc_id.cmp(&b.doc_id));
    entries.truncate(limit as usize);
    Ok(entries)
}

/// How many documents the index should hold.
pub fn expected_count(conn: &mut DbConn) -> QueryResult<i64> {
    let items: i64 = content_items::table
        .filter(content_items::status.eq(Status::Published.as_str()))
        .count()
        .get_result(conn)?;
    let orgs: i64 = organisations::table
        .filter(organisations::kind.ne(REMOTE_ACCOUNT_KIND))
        .count()
        .get_result(conn)?;
    Ok(items + orgs)
}
