//! Copies a whole instance from one database to another (`mutual db copy --to URL`), for
//! hosts who outgrow SQLite and move to PostgreSQL. Every table is copied in dependency
//! order inside one transaction on the target, so a failure leaves the target empty.

use diesel::prelude::*;

use super::schema;
use super::{run_migrations, DbConn, DbError};

/// Declares a row type per table and the function that copies them all, in this order
/// (parents before children, so foreign keys hold at every step).
macro_rules! tables {
    ($( $table:ident { $first:ident : $first_ty:ty $(, $column:ident : $ty:ty)* $(,)? } )*) => {
        $(
            #[allow(non_snake_case)]
            mod $table {
                use diesel::prelude::*;
                #[allow(unused_imports)]
                use super::Ts;
                #[derive(Queryable, Selectable, Insertable)]
                #[diesel(table_name = crate::db::schema::$table)]
                pub struct Row { pub $first: $first_ty, $(pub $column: $ty),* }
            }
        )*

        /// The tables this copies, in order.
        pub const TABLES: &[&str] = &[$(stringify!($table)),*];

        fn count_all(conn: &mut DbConn) -> QueryResult<Vec<(&'static str, i64)>> {
            Ok(vec![$((stringify!($table), schema::$table::table.count().get_result::<i64>(conn)?)),*])
        }

        fn copy_rows(from: &mut DbConn, to: &mut DbConn) -> QueryResult<Vec<(&'static str, usize)>> {
            let mut copied = Vec::new();
            $(
                // Ordered by the first key: ids are UUID v7, so rows that point at older rows
                // of the same table (an easy-read version at its original) come after them.
                let rows: Vec<$table::Row> = schema::$table::table
                    .order(schema::$table::$first.asc())
                    .select($table::Row::as_select())
                    .load(from)?;
                for row in &rows {
                    diesel::insert_into(schema::$table::table).values(row).execute(to)?;
                }
                copied.push((stringify!($table), rows.len()));
            )*
            Ok(copied)
        }
    };
}

type Ts = chrono::NaiveDateTime;

tables! {
    instance_settings { key: String, value: String }
    users {
        id: String, username: String, email: String, display_name: String, password_hash: String,
        role: String, status: String, sign_up_reason: Option<String>, locale: Option<String>,
        created_at: Ts, approved_at: Option<Ts>, email_confirmed_at: Option<Ts>,
    }
    sessions { id: String, user_id: String, created_at: Ts, expires_at: Ts, last_seen_at: Ts }
    api_tokens {
        id: String, user_id: String, name: String, token_hash: String, created_at: Ts,
        last_used_at: Option<Ts>, revoked_at: Option<Ts>,
    }
    login_attempts { id: String, username: String, client_ip: String, succeeded: bool, attempted_at: Ts }
    invitations {
        id: String, code_hash: String, created_by: Option<String>, created_at: Ts, expires_at: Ts,
        used_by: Option<String>, used_at: Option<Ts>,
    }
    vocabulary_terms { vocabulary: String, slug: String, label: String, description: String, position: i32 }
    organisations {
        id: String, handle: String, name: String, summary: String, country: String, regions: String,
        languages: String, kind: String, hosts_events: bool, accessibility_statement: String,
        contact_email: Option<String>, contact_url: Option<String>, created_at: Ts, updated_at: Ts,
        actor_id: Option<String>, local: bool, inbox_url: Option<String>,
        shared_inbox_url: Option<String>, public_key_pem: Option<String>,
        private_key_pem: Option<String>, fetched_at: Option<Ts>,
    }
    organisation_members { organisation_id: String, user_id: String, role: String, created_at: Ts }
    organisation_terms { organisation_id: String, relation: String, vocabulary: String, slug: String }
    jobs {
        id: String, kind: String, payload: String, dedupe_key: Option<String>, state: String,
        attempts: i32, max_attempts: i32, run_at: Ts, lease_owner: Option<String>,
        lease_expires_at: Option<Ts>, last_error: Option<String>, created_at: Ts, updated_at: Ts,
        finished_at: Option<Ts>,
    }
    content_items {
        id: String, organisation_id: String, kind: String, slug: String, title: String,
        summary: String, lang: String, licence: String, status: String, body_source: String,
        body_html: String, data: String, country: Option<String>, revision: i32,
        author_id: Option<String>, original_id: Option<String>, variant: Option<String>,
        derived_from_url: Option<String>, derived_from_title: Option<String>,
        derived_from_organisation: Option<String>, derived_from_revision: Option<i32>,
        created_at: Ts, updated_at: Ts, published_at: Option<Ts>, withdrawn_at: Option<Ts>,
        ap_id: Option<String>, local: bool, remote_url: Option<String>,
    }
    content_facets { content_id: String, facet: String, value: String }
    content_revisions {
        id: String, content_id: String, revision: i32, title: String, summary: String,
        body_source: String, data: String, editor_id: Option<String>, note: String, created_at: Ts,
    }
    story_consents {
        content_id: String, method: String, scope: String, expires_on: Option<String>,
        notes: String, withdrawn_at: Option<Ts>, withdrawn_reason: Option<String>,
        recorded_by: Option<String>, updated_at: Ts,
    }
    anonymisation_flags {
        id: String, content_id: String, revision: i32, field: String, start_char: i32,
        end_char: i32, category: String, flagged_text: String, suggestion: String,
        resolution: String, reason: Option<String>, resolved_by: Option<String>,
        resolved_at: Option<Ts>, created_at: Ts,
    }
    content_events {
        id: String, content_id: String, actor_id: Option<String>, action: String, note: String,
        created_at: Ts,
    }
    follows {
        id: String, follower: String, follower_inbox: String, following: String, state: String,
        activity_id: String, created_at: Ts, updated_at: Ts,
    }
    received_activities { id: String, received_at: Ts }
    federation_domains { domain: String, policy: String, note: String, created_at: Ts }
    moderation_reports {
        id: String, content_id: Option<String>, object_url: String, reporter: String,
        reason: String, origin: String, forwarded: bool, created_at: Ts, resolved_at: Option<Ts>,
    }
    delivery_hosts {
        host: String, failures: i32, last_error: Option<String>, paused_until: Option<Ts>,
        updated_at: Ts,
    }
    search_pending { doc_id: String, doc_kind: String, queued_at: Ts }
    account_tokens {
        token_hash: String, user_id: String, purpose: String, created_at: Ts, expires_at: Ts,
        used_at: Option<Ts>,
    }
    member_follows {
        id: String, user_id: String, kind: String, target: String, label: String, created_at: Ts,
    }
    digest_settings {
        user_id: String, frequency: String, hour: i32, weekday: i32, timezone: String,
        bounces: i32, paused_at: Option<Ts>, updated_at: Ts,
    }
    digest_deliveries {
        id: String, user_id: String, period: String, window_start: Ts, window_end: Ts,
        status: String, items: i32, message_id: Option<String>, attempts: i32,
        next_attempt_at: Option<Ts>, last_error: Option<String>, created_at: Ts, sent_at: Option<Ts>,
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("the target database already has data ({0}); copy only into an empty database")]
    TargetNotEmpty(String),
    #[error("the source database is behind: run `mutual migrate` on it first")]
    SourceNotMigrated,
}

/// Migrates the target, checks it is empty, and copies every row from `from`.
pub fn copy_database(
    from: &mut DbConn,
    to: &mut DbConn,
) -> Result<Vec<(&'static str, usize)>, CopyError> {
    if !run_migrations(from)?.is_empty() {
        return Err(CopyError::SourceNotMigrated);
    }
    run_migrations(to)?;
    let filled: Vec<String> = count_all(to)
        .map_err(DbError::from)?
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(table, n)| format!("{table}: {n} rows"))
        .collect();
    if !filled.is_empty() {
        return Err(CopyError::TargetNotEmpty(filled.join(", ")));
    }
    let copied = to
        .transaction(|to| copy_rows(from, to))
        .map_err(DbError::from)?;
    Ok(copied)
}
