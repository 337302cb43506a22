//! Server-side sessions. The cookie holds a random token; the database holds only its
//! SHA-256, so a leaked database copy cannot be replayed as a log-in.

use chrono::Duration;
use diesel::prelude::*;

use super::tokens::{hash_token, random_token};
use super::User;
use crate::db::schema::{sessions, users};
use crate::db::{self, DbConn};

/// A session is refreshed at most this often, to spare a write on every request.
const TOUCH_EVERY_MINUTES: i64 = 10;

pub fn create(conn: &mut DbConn, user_id: &str, valid_days: u32) -> QueryResult<String> {
    let token = random_token("");
    let now = db::now();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(hash_token(&token)),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(now),
            sessions::expires_at.eq(now + Duration::days(i64::from(valid_days))),
            sessions::last_seen_at.eq(now),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The active user behind a session token, if the session exists, is unexpired, and the
/// account is still active.
pub fn user_for(conn: &mut DbConn, token: &str, valid_days: u32) -> QueryResult<Option<User>> {
    let id = hash_token(token);
    let now = db::now();
    let found: Option<(User, chrono::NaiveDateTime)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::id.eq(&id))
        .filter(sessions::expires_at.gt(now))
        .filter(users::status.eq(super::Status::Active.as_str()))
        .select((User::as_select(), sessions::last_seen_at))
        .first(conn)
        .optional()?;
    if let Some((_, last_seen)) = &found {
        if now - *last_seen > Duration::minutes(TOUCH_EVERY_MINUTES) {
            // Sliding expiry: an active member stays logged in.
            diesel::update(sessions::table.filter(sessions::id.eq(&id)))
                .set((
                    sessions::last_seen_at.eq(now),
                    sessions::expires_at.eq(now + Duration::days(i64::from(valid_days))),
                ))
                .execute(conn)?;
        }
    }
    Ok(found.map(|(user, _)| user))
}

pub fn delete(conn: &mut DbConn, token: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::id.eq(hash_token(token)))).execute(conn)
}

pub fn delete_all_for_user(conn: &mut DbConn, user_id: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}

pub fn prune_expired(conn: &mut DbConn) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::expires_at.le(db::now()))).execute(conn)
}
