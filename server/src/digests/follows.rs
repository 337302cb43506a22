//! What a member follows for their digest.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::DigestError;
use crate::accounts::field_error;
use crate::db::schema::{member_follows, organisations};
use crate::db::{self, DbConn};
use crate::search::SearchQuery;
use crate::taxonomy::{self, Taxonomy};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FollowKind {
    Organisation,
    Topic,
    Search,
}

impl FollowKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FollowKind::Organisation => "organisation",
            FollowKind::Topic => "topic",
            FollowKind::Search => "search",
        }
    }
    pub fn parse(text: &str) -> Option<FollowKind> {
        match text {
            "organisation" => Some(FollowKind::Organisation),
            "topic" => Some(FollowKind::Topic),
            "search" => Some(FollowKind::Search),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Follow {
    pub id: String,
    pub kind: FollowKind,
    /// An organisation handle, a topic slug, or a saved search's query string.
    pub target: String,
    /// What pages and digests call it.
    pub label: String,
    pub created_at: chrono::NaiveDateTime,
}

/// A saved search as a canonical query string: only the search's own parameters, in a fixed
/// order, so the same search saved twice is one follow.
pub fn canonical_search(query: &SearchQuery) -> String {
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    serializer.append_pair("q", query.text.trim());
    for (facet, values) in &query.filters {
        let mut values = values.clone();
        values.sort();
        for value in values {
            serializer.append_pair(facet.as_str(), &value);
        }
    }
    serializer.finish()
}

pub fn parse_search(target: &str) -> Option<SearchQuery> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(target.as_bytes())
        .into_owned()
        .collect();
    SearchQuery::from_params(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).ok()
}

fn describe_search(query: &SearchQuery) -> String {
    let mut parts = Vec::new();
    if !query.text.trim().is_empty() {
        parts.push(format!("“{}”", query.text.trim()));
    }
    for (facet, values) in &query.filters {
        parts.push(format!("{}: {}", facet.as_str(), values.join(", ")));
    }
    if parts.is_empty() {
        "Everything new".into()
    } else {
        parts.join(" · ")
    }
}

/// Checks what is to be followed and names it. Organisations must be known here; topics
/// must be in the vocabulary; searches must be valid searches.
pub fn resolve(
    conn: &mut DbConn,
    kind: FollowKind,
    target: &str,
) -> Result<(String, String), DigestError> {
    let target = target.trim();
    let invalid = |message: &str| DigestError::Invalid(vec![field_error("target", message)]);
    match kind {
        FollowKind::Organisation => {
            let handle = target.trim_start_matches('@').to_lowercase();
            let name: Option<String> = organisations::table
                .filter(organisations::handle.eq(&handle))
                .filter(organisations::kind.ne(crate::organisations::REMOTE_ACCOUNT_KIND))
                .select(organisations::name)
                .first(conn)
                .optional()?;
            let name =
                name.ok_or_else(|| invalid("There is no organisation with that handle here."))?;
            Ok((handle, name))
        }
        FollowKind::Topic => {
            let term = Taxonomy::get()
                .term(taxonomy::LEARNING_TOPICS, target)
                .ok_or_else(|| invalid("Choose a topic from the list."))?;
            Ok((term.slug.clone(), term.label.clone()))
        }
        FollowKind::Search => {
            let query = parse_search(target).ok_or_else(|| invalid("That is not a search."))?;
            if query.text.trim().is_empty() && query.filters.is_empty() {
                return Err(invalid(
                    "Type some words or choose a filter before saving a search.",
                ));
            }
            Ok((canonical_search(&query), describe_search(&query)))
        }
    }
}

/// Follows something (again: following twice is one follow). Returns the follow.
pub fn add(
    conn: &mut DbConn,
    user_id: &str,
    kind: FollowKind,
    target: &str,
) -> Result<Follow, DigestError> {
    let (target, label) = resolve(conn, kind, target)?;
    let existing: Option<String> = member_follows::table
        .filter(member_follows::user_id.eq(user_id))
        .filter(member_follows::kind.eq(kind.as_str()))
        .filter(member_follows::target.eq(&target))
        .select(member_follows::id)
        .first(conn)
        .optional()?;
    if existing.is_none() {
        diesel::insert_into(member_follows::table)
            .values((
                member_follows::id.eq(db::new_id()),
                member_follows::user_id.eq(user_id),
                member_follows::kind.eq(kind.as_str()),
                member_follows::target.eq(&target),
                member_follows::label.eq(&label),
                member_follows::created_at.eq(db::now()),
            ))
            .execute(conn)
            .or_else(|e| {
                if db::is_unique_violation(&e) {
                    Ok(0)
                } else {
                    Err(e)
                }
            })?;
    }
    list(conn, user_id)?
        .into_iter()
        .find(|f| f.kind == kind && f.target == target)
        .ok_or(DigestError::NotFound)
}

pub fn remove(conn: &mut DbConn, user_id: &str, follow_id: &str) -> Result<(), DigestError> {
    let removed = diesel::delete(
        member_follows::table
            .filter(member_follows::user_id.eq(user_id))
            .filter(member_follows::id.eq(follow_id)),
    )
    .execute(conn)?;
    if removed == 0 {
        return Err(DigestError::NotFound);
    }
    Ok(())
}

pub fn list(conn: &mut DbConn, user_id: &str) -> QueryResult<Vec<Follow>> {
    let rows: Vec<(String, String, String, String, chrono::NaiveDateTime)> = member_follows::table
        .filter(member_follows::user_id.eq(user_id))
        .order((member_follows::kind.asc(), member_follows::label.asc()))
        .select((
            member_follows::id,
            member_follows::kind,
            member_follows::target,
            member_follows::label,
            member_follows::created_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, kind, target, label, created_at)| {
            FollowKind::parse(&kind).map(|kind| Follow {
                id,
                kind,
                target,
                label,
                created_at,
            })
        })
        .collect())
}
