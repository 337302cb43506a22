//! Single-use links sent by mail: confirming an email address and resetting a password.
//! A link carries a random token; only its hash is stored, with an expiry, and using it
//! marks it used in the same statement that checks it, so two clicks cannot both succeed.

use diesel::prelude::*;

use super::{get_user, passwords, AccountError, User};
use crate::db::schema::{account_tokens, sessions, users};
use crate::db::{self, DbConn};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    ConfirmEmail,
    ResetPassword,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::ConfirmEmail => "confirm_email",
            Purpose::ResetPassword => "reset_password",
        }
    }

    /// How long a link works: long enough to find the mail, short for a password reset.
    pub fn lifetime(self) -> chrono::Duration {
        match self {
            Purpose::ConfirmEmail => chrono::Duration::days(7),
            Purpose::ResetPassword => chrono::Duration::hours(1),
        }
    }
}

/// Makes a new link token for `purpose`; earlier unused ones for the same purpose stop
/// working, so only the newest mail's link does.
pub fn issue(conn: &mut DbConn, user_id: &str, purpose: Purpose) -> QueryResult<String> {
    let plain = super::tokens::random_token("");
    let now = db::now();
    db::write_transaction(conn, |conn| {
        diesel::delete(
            account_tokens::table
                .filter(account_tokens::user_id.eq(user_id))
                .filter(account_tokens::purpose.eq(purpose.as_str()))
                .filter(account_tokens::used_at.is_null()),
        )
        .execute(conn)?;
        diesel::insert_into(account_tokens::table)
            .values((
                account_tokens::token_hash.eq(super::tokens::hash_token(&plain)),
                account_tokens::user_id.eq(user_id),
                account_tokens::purpose.eq(purpose.as_str()),
                account_tokens::created_at.eq(now),
                account_tokens::expires_at.eq(now + purpose.lifetime()),
            ))
            .execute(conn)
    })?;
    Ok(plain)
}

/// Uses a token: returns its account if the token exists, has this purpose, has not
/// expired and was not used; marks it used.
fn redeem(conn: &mut DbConn, plain: &str, purpose: Purpose) -> Result<User, AccountError> {
    let hash = super::tokens::hash_token(plain.trim());
    let now = db::now();
    let user_id: Option<String> = account_tokens::table
        .filter(account_tokens::token_hash.eq(&hash))
        .filter(account_tokens::purpose.eq(purpose.as_str()))
        .filter(account_tokens::used_at.is_null())
        .filter(account_tokens::expires_at.gt(now))
        .select(account_tokens::user_id)
        .first(conn)
        .optional()?;
    let user_id = user_id.ok_or(AccountError::InvalidLink)?;
    let claimed = diesel::update(
        account_tokens::table
            .filter(account_tokens::token_hash.eq(&hash))
            .filter(account_tokens::used_at.is_null()),
    )
    .set(account_tokens::used_at.eq(now))
    .execute(conn)?;
    if claimed != 1 {
        return Err(AccountError::InvalidLink);
    }
    get_user(conn, &user_id)
}

/// Whether a token would work, without using it (to show the new-password form).
pub fn is_usable(conn: &mut DbConn, plain: &str, purpose: Purpose) -> QueryResult<bool> {
    let count: i64 = account_tokens::table
        .filter(account_tokens::token_hash.eq(super::tokens::hash_token(plain.trim())))
        .filter(account_tokens::purpose.eq(purpose.as_str()))
        .filter(account_tokens::used_at.is_null())
        .filter(account_tokens::expires_at.gt(db::now()))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

pub fn confirm_email(conn: &mut DbConn, plain: &str) -> Result<User, AccountError> {
    db::write_transaction(conn, |conn| {
        let user = redeem(conn, plain, Purpose::ConfirmEmail)?;
        diesel::update(users::table.filter(users::id.eq(&user.id)))
            .set(users::email_confirmed_at.eq(db::now()))
            .execute(conn)?;
        get_user(conn, &user.id)
    })
}

/// Sets a new password with a reset link. Every session of the account ends (whoever had
/// the old password is logged out), and the address counts as confirmed: the link reached it.
pub fn reset_password(
    conn: &mut DbConn,
    plain: &str,
    new_password: &str,
) -> Result<User, AccountError> {
    super::check_password_strength(new_password).map_err(AccountError::Invalid)?;
    let hash = passwords::hash(new_password).map_err(|_| AccountError::Hashing)?;
    db::write_transaction(conn, |conn| {
        let user = redeem(conn, plain, Purpose::ResetPassword)?;
        diesel::update(users::table.filter(users::id.eq(&user.id)))
            .set((
                users::password_hash.eq(&hash),
                users::email_confirmed_at.eq(user.email_confirmed_at.unwrap_or_else(db::now)),
            ))
            .execute(conn)?;
        diesel::delete(sessions::table.filter(sessions::user_id.eq(&user.id))).execute(conn)?;
        get_user(conn, &user.id)
    })
}

/// The account a "forgot password" form names, by username or address.
pub fn find_by_login(conn: &mut DbConn, login: &str) -> QueryResult<Option<User>> {
    let login = login.trim().to_lowercase();
    users::table
        .filter(users::username.eq(&login).or(users::email.eq(&login)))
        .select(User::as_select())
        .first(conn)
        .optional()
}
