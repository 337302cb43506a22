//! Personal API tokens (`Authorization: Bearer …`) and the random-token helpers that
//! sessions and invitations share. Tokens are shown once and stored as SHA-256 hashes:
//! they carry 256 bits of randomness, so a fast hash is enough (unlike passwords).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use diesel::prelude::*;
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::User;
use crate::db::schema::{api_tokens, users};
use crate::db::{self, DbConn};

pub const API_TOKEN_PREFIX: &str = "mutual_";

pub fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: String,
    #[serde(skip)]
    pub user_id: String,
    pub name: String,
    #[serde(skip)]
    pub token_hash: String,
    pub created_at: chrono::NaiveDateTime,
    pub last_used_at: Option<chrono::NaiveDateTime>,
    pub revoked_at: Option<chrono::NaiveDateTime>,
}

/// Creates a token and returns it with its plain text, which is never stored.
pub fn create(conn: &mut DbConn, user_id: &str, name: &str) -> QueryResult<(ApiToken, String)> {
    let plain = random_token(API_TOKEN_PREFIX);
    let id = db::new_id();
    let name = name.trim();
    let name = if name.is_empty() { "API token" } else { name };
    let name: String = name.chars().take(100).collect();
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::id.eq(&id),
            api_tokens::user_id.eq(user_id),
            api_tokens::name.eq(&name),
            api_tokens::token_hash.eq(hash_token(&plain)),
            api_tokens::created_at.eq(db::now()),
        ))
        .execute(conn)?;
    let token = api_tokens::table
        .filter(api_tokens::id.eq(&id))
        .select(ApiToken::as_select())
        .first(conn)?;
    Ok((token, plain))
}

pub fn list_for_user(conn: &mut DbConn, user_id: &str) -> QueryResult<Vec<ApiToken>> {
    api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .filter(api_tokens::revoked_at.is_null())
        .order(api_tokens::created_at.desc())
        .select(ApiToken::as_select())
        .load(conn)
}

/// Revokes one of the user's own tokens; returns false if there was no such token.
pub fn revoke(conn: &mut DbConn, user_id: &str, token_id: &str) -> QueryResult<bool> {
    let changed = diesel::update(
        api_tokens::table
            .filter(api_tokens::id.eq(token_id))
            .filter(api_tokens::user_id.eq(user_id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(db::now()))
    .execute(conn)?;
    Ok(changed == 1)
}

/// The active user a bearer token belongs to.
pub fn user_for(conn: &mut DbConn, plain: &str) -> QueryResult<Option<User>> {
    if !plain.starts_with(API_TOKEN_PREFIX) {
        return Ok(None);
    }
    let hash = hash_token(plain);
    let found: Option<(User, String)> = api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(&hash))
        .filter(api_tokens::revoked_at.is_null())
        .filter(users::status.eq(super::Status::Active.as_str()))
        .select((User::as_select(), api_tokens::id))
        .first(conn)
        .optional()?;
    if let Some((_, token_id)) = &found {
        diesel::update(api_tokens::table.filter(api_tokens::id.eq(token_id)))
            .set(api_tokens::last_used_at.eq(db::now()))
            .execute(conn)?;
    }
    Ok(found.map(|(user, _)| user))
}
