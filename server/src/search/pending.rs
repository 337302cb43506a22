//! The queue of documents waiting to be indexed: a row per item or organisation whose public
//! form may have changed, written by the query functions that change them, in the same
//! transaction. `sync` drains it into the engine. Duplicates collapse into one row.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{content_items, search_pending};
use crate::db::{self, DbConn};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Content,
    Organisation,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Content => "content",
            DocKind::Organisation => "organisation",
        }
    }
    pub fn parse(text: &str) -> Option<DocKind> {
        match text {
            "content" => Some(DocKind::Content),
            "organisation" => Some(DocKind::Organisation),
            _ => None,
        }
    }
}

/// One waiting document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub doc_id: String,
    pub kind: DocKind,
    pub queued_at: NaiveDateTime,
}

/// Queues a document for (re)indexing and asks for the sync to run when the caller's
/// database work is done.
pub fn enqueue(conn: &mut DbConn, kind: DocKind, doc_id: &str) -> QueryResult<()> {
    diesel::delete(search_pending::table.filter(search_pending::doc_id.eq(doc_id)))
        .execute(conn)?;
    diesel::insert_into(search_pending::table)
        .values((
            search_pending::doc_id.eq(doc_id),
            search_pending::doc_kind.eq(kind.as_str()),
            search_pending::queued_at.eq(db::now()),
        ))
        .execute(conn)?;
    db::request_after_write();
    Ok(())
}

pub fn enqueue_content(conn: &mut DbConn, content_id: &str) -> QueryResult<()> {
    enqueue(conn, DocKind::Content, content_id)
}

/// An organisation and everything it published: its name and handle appear in their documents.
pub fn enqueue_organisation(conn: &mut DbConn, organisation_id: &str) -> QueryResult<()> {
    enqueue(conn, DocKind::Organisation, organisation_id)?;
    let items: Vec<String> = content_items::table
        .filter(content_items::organisation_id.eq(organisation_id))
        .select(content_items::id)
        .load(conn)?;
    for item in items {
        enqueue_content(conn, &item)?;
    }
    Ok(())
}

/// The oldest `limit` waiting documents.
pub fn take(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<Entry>> {
    let rows: Vec<(String, String, NaiveDateTime)> = search_pending::table
        .order((
            search_pending::queued_at.asc(),
            search_pending::doc_id.asc(),
        ))
        .limit(limit)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(doc_id, kind, queued_at)| {
            DocKind::parse(&kind).map(|kind| Entry {
                doc_id,
                kind,
                queued_at,
            })
        })
        .collect())
}

/// Removes entries once indexed — unless the document was queued again meanwhile, in which
/// case its newer row stays for the next round.
pub fn done(conn: &mut DbConn, entries: &[Entry]) -> QueryResult<()> {
    for entry in entries {
        diesel::delete(
            search_pending::table
                .filter(search_pending::doc_id.eq(&entry.doc_id))
                .filter(search_pending::queued_at.le(entry.queued_at)),
        )
        .execute(conn)?;
    }
    Ok(())
}

pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    search_pending::table.count().get_result(conn)
}
