//! Content storage: query functions over `content_items` and its side tables. No
//! permission checks here — `workflow` decides who may call what.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::{Attribution, ContentKind, Details, Status, Validated};
use crate::db::schema::{
    anonymisation_flags, content_events, content_facets, content_items, content_revisions,
    organisations, story_consents,
};
use crate::db::{self, DbConn};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = content_items)]
pub struct ContentRow {
    pub id: String,
    pub organisation_id: String,
    pub kind: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub lang: String,
    pub licence: String,
    pub status: String,
    pub body_source: String,
    pub body_html: String,
    pub data: String,
    pub country: Option<String>,
    pub revision: i32,
    pub author_id: Option<String>,
    pub original_id: Option<String>,
    pub variant: Option<String>,
    pub derived_from_url: Option<String>,
    pub derived_from_title: Option<String>,
    pub derived_from_organisation: Option<String>,
    pub derived_from_revision: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub ap_id: Option<String>,
    pub local: bool,
    pub remote_url: Option<String>,
}

/// An item with its organisation and typed details, as the rest of the program uses it.
#[derive(Debug, Clone)]
pub struct ContentItem {
    pub row: ContentRow,
    pub kind: ContentKind,
    pub status: Status,
    pub details: Details,
    pub topics: Vec<String>,
    pub organisation_handle: String,
    pub organisation_name: String,
}

impl ContentItem {
    pub fn id(&self) -> &str {
        &self.row.id
    }
    pub fn derived_from(&self) -> Option<Attribution> {
        let r = &self.row;
        r.derived_from_url.as_ref().map(|url| Attribution {
            url: url.clone(),
            title: r.derived_from_title.clone().unwrap_or_default(),
            organisation: r.derived_from_organisation.clone().unwrap_or_default(),
            revision: r.derived_from_revision,
        })
    }
    /// The stable public path of the item.
    pub fn path(&self) -> String {
        format!(
            "/organisations/{}/{}/{}",
            self.organisation_handle,
            self.kind.segment(),
            self.row.slug
        )
    }
}

fn assemble(
    conn: &mut DbConn,
    row: ContentRow,
    handle: String,
    name: String,
) -> QueryResult<ContentItem> {
    let kind = ContentKind::parse(&row.kind).ok_or(diesel::result::Error::NotFound)?;
    let status = Status::parse(&row.status).unwrap_or(Status::Draft);
    let value: serde_json::Value =
        serde_json::from_str(&row.data).unwrap_or(serde_json::Value::Null);
    let details = Details::from_json(kind, value)
        .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
    let topics = content_facets::table
        .filter(content_facets::content_id.eq(&row.id))
        .filter(content_facets::facet.eq("topic"))
        .select(content_facets::value)
        .order(content_facets::value.asc())
        .load(conn)?;
    Ok(ContentItem {
        row,
        kind,
        status,
        details,
        topics,
        organisation_handle: handle,
        organisation_name: name,
    })
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<ContentItem> {
    let (row, handle, name): (ContentRow, String, String) = content_items::table
        .inner_join(organisations::table)
        .filter(content_items::id.eq(id))
        .select((
            ContentRow::as_select(),
            organisations::handle,
            organisations::name,
        ))
        .first(conn)?;
    assemble(conn, row, handle, name)
}

pub fn get_by_slug(
    conn: &mut DbConn,
    handle: &str,
    kind: ContentKind,
    slug: &str,
) -> QueryResult<ContentItem> {
    let (row, handle, name): (ContentRow, String, String) = content_items::table
        .inner_join(organisations::table)
        .filter(organisations::handle.eq(handle))
        .filter(content_items::kind.eq(kind.as_str()))
        .filter(content_items::slug.eq(slug))
        .select((
            ContentRow::as_select(),
            organisations::handle,
            organisations::name,
        ))
        .first(conn)?;
    assemble(conn, row, handle, name)
}

/// A slug from the title, unique within the organisation and kind, never changed after.
fn unique_slug(
    conn: &mut DbConn,
    organisation_id: &str,
    kind: ContentKind,
    title: &str,
) -> QueryResult<String> {
    let mut base = slug::slugify(title);
    base.truncate(80);
    let base = base.trim_matches('-').to_string();
    let base = if base.is_empty() {
        kind.segment().trim_end_matches('s').to_string()
    } else {
        base
    };
    let taken: Vec<String> = content_items::table
        .filter(content_items::organisation_id.eq(organisation_id))
        .filter(content_items::kind.eq(kind.as_str()))
        .filter(content_items::slug.like(format!("{base}%")))
        .select(content_items::slug)
        .load(conn)?;
    if !taken.contains(&base) {
        return Ok(base);
    }
    Ok((2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or(base))
}

fn write_facets(conn: &mut DbConn, id: &str, item: &Validated) -> QueryResult<()> {
    diesel::delete(content_facets::table.filter(content_facets::content_id.eq(id)))
        .execute(conn)?;
    for (facet, value) in &item.facets {
        diesel::insert_into(content_facets::table)
            .values((
                content_facets::content_id.eq(id),
                content_facets::facet.eq(*facet),
                content_facets::value.eq(value),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn write_revision(
    conn: &mut DbConn,
    id: &str,
    revision: i32,
    item: &Validated,
    editor: Option<&str>,
    note: &str,
) -> QueryResult<()> {
    diesel::insert_into(content_revisions::table)
        .values((
            content_revisions::id.eq(db::new_id()),
            content_revisions::content_id.eq(id),
            content_revisions::revision.eq(revision),
            content_revisions::title.eq(&item.title),
            content_revisions::summary.eq(&item.summary),
            content_revisions::body_source.eq(&item.body_source),
            content_revisions::data.eq(item.details.to_json().to_string()),
            content_revisions::editor_id.eq(editor),
            content_revisions::note.eq(note),
            content_revisions::created_at.eq(db::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Where a new item comes from, when it is an adaptation.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub derived_from: Option<Attribution>,
    pub original_id: Option<String>,
    pub variant: Option<String>,
}

/// Inserts a new draft with its first revision. Returns the new id.
pub fn insert(
    conn: &mut DbConn,
    organisation_id: &str,
    author: Option<&str>,
    item: &Validated,
    origin: &Origin,
) -> QueryResult<String> {
    let id = db::new_id();
    let kind = item.details.kind();
    let now = db::now();
    crate::db::write_transaction(conn, |conn| {
        let slug = unique_slug(conn, organisation_id, kind, &item.title)?;
        let attribution = origin.derived_from.as_ref();
        diesel::insert_into(content_items::table)
            .values((
                content_items::id.eq(&id),
                content_items::organisation_id.eq(organisation_id),
                content_items::kind.eq(kind.as_str()),
                content_items::slug.eq(&slug),
                content_items::title.eq(&item.title),
                content_items::summary.eq(&item.summary),
                content_items::lang.eq(&item.lang),
                content_items::licence.eq(&item.licence),
                content_items::status.eq(Status::Draft.as_str()),
                content_items::body_source.eq(&item.body_source),
                content_items::body_html.eq(&item.body_html),
                content_items::data.eq(item.details.to_json().to_string()),
                content_items::country.eq(&item.country),
                content_items::revision.eq(1),
                content_items::author_id.eq(author),
                content_items::original_id.eq(&origin.original_id),
                content_items::variant.eq(&origin.variant),
                content_items::derived_from_url.eq(attribution.map(|a| a.url.clone())),
                content_items::derived_from_title.eq(attribution.map(|a| a.title.clone())),
                content_items::derived_from_organisation
                    .eq(attribution.map(|a| a.organisation.clone())),
                content_items::derived_from_revision.eq(attribution.and_then(|a| a.revision)),
                content_items::created_at.eq(now),
                content_items::updated_at.eq(now),
            ))
            .execute(conn)?;
        write_facets(conn, &id, item)?;
        write_revision(conn, &id, 1, item, author, "First version")?;
        Ok(id.clone())
    })
}

/// Saves a new revision of an existing item (and optionally a new status).
pub fn update(
    conn: &mut DbConn,
    id: &str,
    item: &Validated,
    editor: Option<&str>,
    note: &str,
    status: Status,
) -> QueryResult<i32> {
    crate::db::write_transaction(conn, |conn| {
        let current: i32 = content_items::table
            .filter(content_items::id.eq(id))
            .select(content_items::revision)
            .first(conn)?;
        let revision = current + 1;
        diesel::update(content_items::table.filter(content_items::id.eq(id)))
            .set((
                content_items::title.eq(&item.title),
                content_items::summary.eq(&item.summary),
                content_items::lang.eq(&item.lang),
                content_items::licence.eq(&item.licence),
                content_items::body_source.eq(&item.body_source),
                content_items::body_html.eq(&item.body_html),
                content_items::data.eq(item.details.to_json().to_string()),
                content_items::country.eq(&item.country),
                content_items::revision.eq(revision),
                content_items::status.eq(status.as_str()),
                content_items::updated_at.eq(db::now()),
            ))
            .execute(conn)?;
        write_facets(conn, id, item)?;
        write_revision(conn, id, revision, item, editor, note)?;
        crate::search::pending::enqueue_content(conn, id)?;
        Ok(revision)
    })
}

pub fn set_status(conn: &mut DbConn, id: &str, status: Status) -> QueryResult<()> {
    let now = db::now();
    let target = content_items::table.filter(content_items::id.eq(id));
    match status {
        Status::Published => diesel::update(target)
            .set((
                content_items::status.eq(status.as_str()),
                content_items::published_at.eq(now),
                content_items::withdrawn_at.eq(None::<NaiveDateTime>),
                content_items::updated_at.eq(now),
            ))
            .execute(conn)?,
        Status::Withdrawn => diesel::update(target)
            .set((
                content_items::status.eq(status.as_str()),
                content_items::withdrawn_at.eq(now),
                content_items::updated_at.eq(now),
            ))
            .execute(conn)?,
        other => diesel::update(target)
            .set((
                content_items::status.eq(other.as_str()),
                content_items::updated_at.eq(now),
            ))
            .execute(conn)?,
    };
    crate::search::pending::enqueue_content(conn, id)?;
    Ok(())
}

pub fn log_event(
    conn: &mut DbConn,
    id: &str,
    actor: Option<&str>,
    action: &str,
    note: &str,
) -> QueryResult<()> {
    diesel::insert_into(content_events::table)
        .values((
            content_events::id.eq(db::new_id()),
            content_events::content_id.eq(id),
            content_events::actor_id.eq(actor),
            content_events::action.eq(action),
            content_events::note.eq(note),
            content_events::created_at.eq(db::now()),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = content_events)]
pub struct Event {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub content_id: String,
    #[serde(skip)]
    pub actor_id: Option<String>,
    pub action: String,
    pub note: String,
    pub created_at: NaiveDateTime,
}

pub fn events(conn: &mut DbConn, id: &str) -> QueryResult<Vec<Event>> {
    content_events::table
        .filter(content_events::content_id.eq(id))
        .order(content_events::created_at.asc())
        .select(Event::as_select())
        .load(conn)
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = content_revisions)]
pub struct Revision {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub content_id: String,
    pub revision: i32,
    pub title: String,
    pub summary: String,
    pub body_source: String,
    pub data: String,
    #[serde(skip)]
    pub editor_id: Option<String>,
    pub note: String,
    pub created_at: NaiveDateTime,
}

pub fn revisions(conn: &mut DbConn, id: &str) -> QueryResult<Vec<Revision>> {
    content_revisions::table
        .filter(content_revisions::content_id.eq(id))
        .order(content_revisions::revision.desc())
        .select(Revision::as_select())
        .load(conn)
}

pub fn revision(conn: &mut DbConn, id: &str, number: i32) -> QueryResult<Revision> {
    content_revisions::table
        .filter(content_revisions::content_id.eq(id))
        .filter(content_revisions::revision.eq(number))
        .select(Revision::as_select())
        .first(conn)
}

/// What a listing asks for. Facet filters match exact values.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub kind: Option<ContentKind>,
    pub organisation_id: Option<String>,
    pub statuses: Vec<Status>,
    pub topic: Option<String>,
    pub people: Option<String>,
    pub country: Option<String>,
    pub lang: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

pub fn list(conn: &mut DbConn, filter: &Filter) -> QueryResult<(Vec<ContentItem>, i64)> {
    let build = || {
        let mut query = content_items::table
            .inner_join(organisations::table)
            .into_boxed();
        if let Some(kind) = filter.kind {
            query = query.filter(content_items::kind.eq(kind.as_str()));
        }
        if let Some(org) = &filter.organisation_id {
            query = query.filter(content_items::organisation_id.eq(org.clone()));
        }
        let statuses: Vec<&str> = if filter.statuses.is_empty() {
            vec![Status::Published.as_str()]
        } else {
            filter.statuses.iter().map(|s| s.as_str()).collect()
        };
        query = query.filter(content_items::status.eq_any(statuses));
        if let Some(lang) = &filter.lang {
            query = query.filter(
                content_items::lang
                    .eq(lang.clone())
                    .or(content_items::lang.like(format!("{lang}-%"))),
            );
        }
        for (facet, value) in [
            ("topic", &filter.topic),
            ("people", &filter.people),
            ("country", &filter.country),
        ] {
            if let Some(value) = value {
                query = query.filter(
                    content_items::id.eq_any(
                        content_facets::table
                            .filter(content_facets::facet.eq(facet))
                            .filter(content_facets::value.eq(value.clone()))
                            .select(content_facets::content_id),
                    ),
                );
            }
        }
        query
    };
    let total: i64 = build().count().get_result(conn)?;
    let rows: Vec<(ContentRow, String, String)> = build()
        .order((
            content_items::published_at.desc(),
            content_items::updated_at.desc(),
        ))
        .offset(filter.offset.max(0))
        .limit(filter.limit.clamp(1, 100))
        .select((
            ContentRow::as_select(),
            organisations::handle,
            organisations::name,
        ))
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|(row, handle, name)| assemble(conn, row, handle, name))
        .collect::<QueryResult<Vec<_>>>()?;
    Ok((items, total))
}

/// The private consent record of a story.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = story_consents)]
pub struct ConsentRow {
    pub content_id: String,
    pub method: String,
    pub scope: String,
    pub expires_on: Option<String>,
    pub notes: String,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub withdrawn_reason: Option<String>,
    pub recorded_by: Option<String>,
    pub updated_at: NaiveDateTime,
}

impl ConsentRow {
    pub fn scope(&self) -> Vec<String> {
        serde_json::from_str(&self.scope).unwrap_or_default()
    }
}

pub fn consent(conn: &mut DbConn, id: &str) -> QueryResult<Option<ConsentRow>> {
    story_consents::table
        .filter(story_consents::content_id.eq(id))
        .select(ConsentRow::as_select())
        .first(conn)
        .optional()
}

pub fn save_consent(
    conn: &mut DbConn,
    id: &str,
    method: &str,
    scope: &[String],
    expires_on: Option<&str>,
    notes: &str,
    by: Option<&str>,
) -> QueryResult<()> {
    let scope = serde_json::to_string(scope).unwrap_or_else(|_| "[]".into());
    let now = db::now();
    if consent(conn, id)?.is_some() {
        diesel::update(story_consents::table.filter(story_consents::content_id.eq(id)))
            .set((
                story_consents::method.eq(method),
                story_consents::scope.eq(&scope),
                story_consents::expires_on.eq(expires_on),
                story_consents::notes.eq(notes),
                story_consents::withdrawn_at.eq(None::<NaiveDateTime>),
                story_consents::withdrawn_reason.eq(None::<String>),
                story_consents::recorded_by.eq(by),
                story_consents::updated_at.eq(now),
            ))
            .execute(conn)?;
    } else {
        diesel::insert_into(story_consents::table)
            .values((
                story_consents::content_id.eq(id),
                story_consents::method.eq(method),
                story_consents::scope.eq(&scope),
                story_consents::expires_on.eq(expires_on),
                story_consents::notes.eq(notes),
                story_consents::recorded_by.eq(by),
                story_consents::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn mark_consent_withdrawn(conn: &mut DbConn, id: &str, reason: &str) -> QueryResult<()> {
    diesel::update(story_consents::table.filter(story_consents::content_id.eq(id)))
        .set((
            story_consents::withdrawn_at.eq(db::now()),
            story_consents::withdrawn_reason.eq(reason),
            story_consents::updated_at.eq(db::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Stories whose consent ran out before `today` (YYYY-MM-DD) and are still shown.
pub fn published_with_expired_consent(conn: &mut DbConn, today: &str) -> QueryResult<Vec<String>> {
    content_items::table
        .inner_join(story_consents::table)
        .filter(content_items::status.eq_any([
            Status::Published.as_str(),
            Status::Approved.as_str(),
            Status::Submitted.as_str(),
        ]))
        .filter(story_consents::expires_on.lt(today))
        .select(content_items::id)
        .load(conn)
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = anonymisation_flags)]
pub struct FlagRow {
    pub id: String,
    #[serde(skip)]
    pub content_id: String,
    pub revision: i32,
    pub field: String,
    pub start_char: i32,
    pub end_char: i32,
    pub category: String,
    pub flagged_text: String,
    pub suggestion: String,
    pub resolution: String,
    pub reason: Option<String>,
    #[serde(skip)]
    pub resolved_by: Option<String>,
    pub resolved_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

pub fn flags(conn: &mut DbConn, id: &str) -> QueryResult<Vec<FlagRow>> {
    anonymisation_flags::table
        .filter(anonymisation_flags::content_id.eq(id))
        .order((
            anonymisation_flags::revision.desc(),
            anonymisation_flags::field.asc(),
            anonymisation_flags::start_char.asc(),
        ))
        .select(FlagRow::as_select())
        .load(conn)
}

pub fn insert_flag(
    conn: &mut DbConn,
    id: &str,
    revision: i32,
    field: &str,
    flag: &super::anonymisation::Flag,
    carried: Option<(&str, Option<&str>)>,
) -> QueryResult<()> {
    let to_i32 = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    let (resolution, reason) = carried.unwrap_or(("open", None));
    diesel::insert_into(anonymisation_flags::table)
        .values((
            anonymisation_flags::id.eq(db::new_id()),
            anonymisation_flags::content_id.eq(id),
            anonymisation_flags::revision.eq(revision),
            anonymisation_flags::field.eq(field),
            anonymisation_flags::start_char.eq(to_i32(flag.start)),
            anonymisation_flags::end_char.eq(to_i32(flag.end)),
            anonymisation_flags::category.eq(flag.category.as_str()),
            anonymisation_flags::flagged_text.eq(&flag.text),
            anonymisation_flags::suggestion.eq(&flag.suggestion),
            anonymisation_flags::resolution.eq(resolution),
            anonymisation_flags::reason.eq(reason),
            anonymisation_flags::resolved_at.eq((resolution != "open").then(db::now)),
            anonymisation_flags::created_at.eq(db::now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn resolve_flag(
    conn: &mut DbConn,
    flag_id: &str,
    resolution: &str,
    reason: Option<&str>,
    by: &str,
) -> QueryResult<usize> {
    diesel::update(anonymisation_flags::table.filter(anonymisation_flags::id.eq(flag_id)))
        .set((
            anonymisation_flags::resolution.eq(resolution),
            anonymisation_flags::reason.eq(reason),
            anonymisation_flags::resolved_by.eq(by),
            anonymisation_flags::resolved_at.eq(db::now()),
        ))
        .execute(conn)
}

pub fn flag(conn: &mut DbConn, flag_id: &str) -> QueryResult<FlagRow> {
    anonymisation_flags::table
        .filter(anonymisation_flags::id.eq(flag_id))
        .select(FlagRow::as_select())
        .first(conn)
}

/// A published translation or easy-read version of an item.
#[derive(Debug, Clone, Serialize)]
pub struct VariantLink {
    pub variant: String,
    pub lang: String,
    pub title: String,
    pub path: String,
}

pub fn variants_of(conn: &mut DbConn, id: &str) -> QueryResult<Vec<VariantLink>> {
    let rows: Vec<(String, String, String, String, String, String)> = content_items::table
        .inner_join(organisations::table)
        .filter(content_items::original_id.eq(id))
        .filter(content_items::status.eq(Status::Published.as_str()))
        .select((
            content_items::variant.assume_not_null(),
            content_items::lang,
            content_items::title,
            organisations::handle,
            content_items::kind,
            content_items::slug,
        ))
        .order((content_items::variant, content_items::lang))
        .load(conn)?;
    Ok(variant_links(rows))
}

/// The published original a version was written from (`variant` is "original").
pub fn original_of(conn: &mut DbConn, original_id: &str) -> QueryResult<Option<VariantLink>> {
    let rows: Vec<(String, String, String, String, String, String)> = content_items::table
        .inner_join(organisations::table)
        .filter(content_items::id.eq(original_id))
        .filter(content_items::status.eq(Status::Published.as_str()))
        .select((
            content_items::id,
            content_items::lang,
            content_items::title,
            organisations::handle,
            content_items::kind,
            content_items::slug,
        ))
        .load(conn)?;
    Ok(variant_links(rows).into_iter().next().map(|mut link| {
        link.variant = "original".into();
        link
    }))
}

fn variant_links(rows: Vec<(String, String, String, String, String, String)>) -> Vec<VariantLink> {
    rows.into_iter()
        .map(|(variant, lang, title, handle, kind, slug)| VariantLink {
            path: format!(
                "/organisations/{handle}/{}/{slug}",
                ContentKind::parse(&kind)
                    .map(|k| k.segment())
                    .unwrap_or("stories")
            ),
            variant,
            lang,
            title,
        })
        .collect()
}

/// What only a remote item has.
#[derive(Debug, Clone)]
pub struct RemoteItem {
    pub ap_id: String,
    pub remote_url: String,
    pub revision: i32,
    pub published_at: Option<NaiveDateTime>,
    pub derived_from: Option<Attribution>,
}

/// Stores or replaces a published item received from another instance. Returns its id.
pub fn upsert_remote(
    conn: &mut DbConn,
    organisation_id: &str,
    item: &Validated,
    remote: &RemoteItem,
) -> QueryResult<String> {
    crate::db::write_transaction(conn, |conn| {
        let existing: Option<(String, String, i32)> = content_items::table
            .filter(content_items::ap_id.eq(&remote.ap_id))
            .select((
                content_items::id,
                content_items::organisation_id,
                content_items::revision,
            ))
            .first(conn)
            .optional()?;
        let now = db::now();
        let attribution = remote.derived_from.as_ref();
        let id = match existing {
            Some((id, owner, revision)) => {
                if owner != organisation_id {
                    // Only the organisation that published it may change it.
                    return Err(diesel::result::Error::NotFound);
                }
                if remote.revision < revision {
                    // An older revision arriving late must not overwrite a newer one.
                    return Ok(id);
                }
                diesel::update(content_items::table.filter(content_items::id.eq(&id)))
                    .set((
                        content_items::title.eq(&item.title),
                        content_items::summary.eq(&item.summary),
                        content_items::lang.eq(&item.lang),
                        content_items::licence.eq(&item.licence),
                        content_items::body_source.eq(&item.body_source),
                        content_items::body_html.eq(&item.body_html),
                        content_items::data.eq(item.details.to_json().to_string()),
                        content_items::country.eq(&item.country),
                        content_items::revision.eq(remote.revision),
                        content_items::status.eq(Status::Published.as_str()),
                        content_items::updated_at.eq(now),
                    ))
                    .execute(conn)?;
                id
            }
            None => {
                let id = db::new_id();
                let kind = item.details.kind();
                let slug = unique_slug(conn, organisation_id, kind, &item.title)?;
                diesel::insert_into(content_items::table)
                    .values((
                        content_items::id.eq(&id),
                        content_items::organisation_id.eq(organisation_id),
                        content_items::kind.eq(kind.as_str()),
                        content_items::slug.eq(&slug),
                        content_items::title.eq(&item.title),
                        content_items::summary.eq(&item.summary),
                        content_items::lang.eq(&item.lang),
                        content_items::licence.eq(&item.licence),
                        content_items::status.eq(Status::Published.as_str()),
                        content_items::body_source.eq(&item.body_source),
                        content_items::body_html.eq(&item.body_html),
                        content_items::data.eq(item.details.to_json().to_string()),
                        content_items::country.eq(&item.country),
                        content_items::revision.eq(remote.revision),
                        content_items::derived_from_url.eq(attribution.map(|a| a.url.clone())),
                        content_items::derived_from_title.eq(attribution.map(|a| a.title.clone())),
                        content_items::derived_from_organisation
                            .eq(attribution.map(|a| a.organisation.clone())),
                        content_items::derived_from_revision
                            .eq(attribution.and_then(|a| a.revision)),
                        content_items::created_at.eq(now),
                        content_items::updated_at.eq(now),
                        content_items::published_at.eq(remote.published_at.unwrap_or(now)),
                        content_items::ap_id.eq(&remote.ap_id),
                        content_items::local.eq(false),
                        content_items::remote_url.eq(&remote.remote_url),
                    ))
                    .execute(conn)?;
                id
            }
        };
        write_facets(conn, &id, item)?;
        crate::search::pending::enqueue_content(conn, &id)?;
        Ok(id)
    })
}

/// Removes a remote item (its author deleted or withdrew it). Returns whether one was removed.
pub fn delete_remote(conn: &mut DbConn, ap_id: &str, organisation_id: &str) -> QueryResult<bool> {
    let target = content_items::table
        .filter(content_items::ap_id.eq(ap_id))
        .filter(content_items::organisation_id.eq(organisation_id))
        .filter(content_items::local.eq(false));
    let ids: Vec<String> = target.select(content_items::id).load(conn)?;
    let removed = diesel::delete(target).execute(conn)?;
    for id in &ids {
        crate::search::pending::enqueue_content(conn, id)?;
    }
    Ok(removed > 0)
}
