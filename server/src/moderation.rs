//! Reports about content: made by members here, or received from other instances as a
//! `Flag`. Moderators and administrators see them on the admin page and resolve them.
//! This module stores reports; sending a `Flag` to another instance is federation's job.

use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::moderation_reports;
use crate::db::{self, DbConn};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = moderation_reports)]
pub struct Report {
    pub id: String,
    pub content_id: Option<String>,
    pub object_url: String,
    pub reporter: String,
    pub reason: String,
    pub origin: String,
    pub forwarded: bool,
    pub created_at: chrono::NaiveDateTime,
    pub resolved_at: Option<chrono::NaiveDateTime>,
}

pub const MAX_REASON_CHARS: usize = 2000;

/// Stores a report. `origin` is `local` (a member here) or `remote` (a Flag received).
pub fn record(
    conn: &mut DbConn,
    content_id: Option<&str>,
    object_url: &str,
    reporter: &str,
    reason: &str,
    origin: &str,
    forwarded: bool,
) -> QueryResult<String> {
    let id = db::new_id();
    let reason: String = reason.trim().chars().take(MAX_REASON_CHARS).collect();
    diesel::insert_into(moderation_reports::table)
        .values((
            moderation_reports::id.eq(&id),
            moderation_reports::content_id.eq(content_id),
            moderation_reports::object_url.eq(object_url),
            moderation_reports::reporter.eq(reporter),
            moderation_reports::reason.eq(&reason),
            moderation_reports::origin.eq(origin),
            moderation_reports::forwarded.eq(forwarded),
            moderation_reports::created_at.eq(db::now()),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn open_reports(conn: &mut DbConn) -> QueryResult<Vec<Report>> {
    moderation_reports::table
        .filter(moderation_reports::resolved_at.is_null())
        .order(moderation_reports::created_at.desc())
        .select(Report::as_select())
        .load(conn)
}

pub fn resolve(conn: &mut DbConn, id: &str) -> QueryResult<bool> {
    let changed = diesel::update(moderation_reports::table.filter(moderation_reports::id.eq(id)))
        .set(moderation_reports::resolved_at.eq(db::now()))
        .execute(conn)?;
    Ok(changed == 1)
}
