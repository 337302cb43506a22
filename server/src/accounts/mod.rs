//! Accounts: people who sign in, their roles on the instance, passwords (argon2id),
//! server-side sessions, personal API tokens, invitations and the login rate limit.
//! It knows nothing of HTTP (cookies and forms are the web layer's business) and
//! nothing of organisations.

pub mod email_links;
pub mod passwords;
pub mod sessions;
pub mod tokens;

use chrono::Duration;
use diesel::prelude::*;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::Registration;
use crate::db::schema::{invitations, login_attempts, users};
use crate::db::{self, DbConn, DbError};

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    Invalid(FieldError),
    #[error("That username is already taken. Choose another.")]
    UsernameTaken,
    #[error("An account with that email address already exists.")]
    EmailTaken,
    #[error("The username or password is wrong.")]
    WrongCredentials,
    #[error("too many failed log-in attempts; try again in {minutes} minutes")]
    RateLimited { minutes: u32 },
    #[error("This account is waiting for an administrator to approve it.")]
    AwaitingApproval,
    #[error("This account is suspended.")]
    Suspended,
    #[error("This site does not accept new accounts.")]
    RegistrationClosed,
    #[error("The invitation code is not valid or has expired.")]
    InvalidInvitation,
    #[error(
        "This link is not valid: it may have been used already or be too old. Ask for a new one."
    )]
    InvalidLink,
    #[error("the password could not be hashed")]
    Hashing,
    #[error("no such account")]
    NotFound,
    /// An account mail (confirmation, password reset) could not be queued.
    #[error("the e-mail could not be prepared: {0}")]
    Mail(#[from] crate::mail::MailError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for AccountError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => AccountError::NotFound,
            other => AccountError::Db(DbError::Query(other)),
        }
    }
}

/// A validation failure tied to one form field, so pages can point at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    /// What to change, in English (the API's and the logs' language).
    pub message: String,
    /// The message's id in the catalogues (`messages.ftl`), so a page shows it in the
    /// member's language and an API client can translate it.
    #[serde(default)]
    pub message_id: String,
    /// The values in the message (a limit, a year), by the names the catalogues use.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub message_args: BTreeMap<String, String>,
}

impl FieldError {
    /// The same message about another field.
    pub fn for_field(self, field: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            ..self
        }
    }

    /// The message in the interface language `lang`.
    pub fn message_in(&self, lang: &str) -> String {
        if lang == crate::i18n::DEFAULT_LANGUAGE {
            return self.message.clone();
        }
        crate::i18n::lookup_with(lang, &self.message_id, &self.message_args)
            .unwrap_or_else(|| self.message.clone())
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for FieldError {}

/// A field's error with a fixed English message (a literal the catalogues hold).
pub fn field_error(field: impl Into<String>, message: impl Into<String>) -> FieldError {
    let message = message.into();
    FieldError {
        field: field.into(),
        message_id: crate::i18n::english_message_id(&message),
        message,
        message_args: BTreeMap::new(),
    }
}

/// A field's error whose English message has values in it: `pattern` names them as
/// Fluent does (`"Use at most { $max } characters."`).
pub fn field_error_with(
    field: impl Into<String>,
    pattern: &str,
    args: &[(&str, String)],
) -> FieldError {
    let message_args: BTreeMap<String, String> = args
        .iter()
        .map(|(name, value)| (name.to_string(), value.clone()))
        .collect();
    FieldError {
        field: field.into(),
        message: crate::i18n::english_in(crate::i18n::DEFAULT_LANGUAGE, pattern, &message_args),
        message_id: crate::i18n::english_message_id(pattern),
        message_args,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Moderator,
    Member,
}

impl Role {
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "admin" => Some(Role::Admin),
            "moderator" => Some(Role::Moderator),
            "member" => Some(Role::Member),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Moderator => "moderator",
            Role::Member => "member",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Active,
    Suspended,
}

impl Status {
    pub fn parse(text: &str) -> Option<Status> {
        match text {
            "pending" => Some(Status::Pending),
            "active" => Some(Status::Active),
            "suspended" => Some(Status::Suspended),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Active => "active",
            Status::Suspended => "suspended",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: String,
    pub username: String,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub status: String,
    pub sign_up_reason: Option<String>,
    pub locale: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub approved_at: Option<chrono::NaiveDateTime>,
    pub email_confirmed_at: Option<chrono::NaiveDateTime>,
}

impl User {
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Member)
    }
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Suspended)
    }
    pub fn is_admin(&self) -> bool {
        self.role() == Role::Admin
    }
    pub fn is_staff(&self) -> bool {
        matches!(self.role(), Role::Admin | Role::Moderator)
    }
}

#[derive(Insertable)]
#[diesel(table_name = users)]
struct NewUserRow<'a> {
    id: &'a str,
    username: &'a str,
    email: &'a str,
    display_name: &'a str,
    password_hash: &'a str,
    role: &'a str,
    status: &'a str,
    sign_up_reason: Option<&'a str>,
    created_at: chrono::NaiveDateTime,
    approved_at: Option<chrono::NaiveDateTime>,
    email_confirmed_at: Option<chrono::NaiveDateTime>,
}

/// What someone types to create an account, before validation.
#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    pub username: String,
    pub email: String,
    pub display_name: String,
    pub password: String,
    pub reason: Option<String>,
}

/// Usernames are lower-case letters, digits and underscores, starting with a letter,
/// so they are safe in URLs and as fediverse handles.
pub fn parse_username(raw: &str) -> Result<String, FieldError> {
    let username = raw.trim().to_lowercase();
    let ok_chars = username
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if username.len() < 3 || username.len() > 30 {
        return Err(field_error("username", "Use 3 to 30 characters."));
    }
    if !ok_chars || !username.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err(field_error(
            "username",
            "Start with a letter. Use only letters a to z, numbers and _.",
        ));
    }
    Ok(username)
}

pub fn parse_email(raw: &str) -> Result<String, FieldError> {
    let email = raw.trim().to_lowercase();
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(|c| c.is_whitespace() || c.is_control())
                && email.matches('@').count() == 1
        }
        None => false,
    };
    if !valid || email.len() > 254 {
        return Err(field_error(
            "email",
            "Enter an email address like name@example.org.",
        ));
    }
    Ok(email)
}

pub const MIN_PASSWORD_CHARS: usize = 10;

pub fn check_password_strength(password: &str) -> Result<(), FieldError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(field_error_with(
            "password",
            "Use at least { $min } characters. A few words together work well.",
            &[("min", MIN_PASSWORD_CHARS.to_string())],
        ));
    }
    if chars > 256 {
        return Err(field_error("password", "Use at most 256 characters."));
    }
    Ok(())
}

pub fn parse_display_name(raw: &str, username: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if name.chars().count() > 100 {
        return Err(field_error("display_name", "Use at most 100 characters."));
    }
    if name.chars().any(|c| c.is_control()) {
        return Err(field_error(
            "display_name",
            "Remove special control characters.",
        ));
    }
    Ok(if name.is_empty() {
        username.to_string()
    } else {
        name.to_string()
    })
}

/// Validates every field and returns all problems, not just the first.
pub fn validate_new_account(
    input: &NewAccount,
) -> Result<(String, String, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let username = parse_username(&input.username)
        .map_err(|e| errors.push(e))
        .ok();
    let email = parse_email(&input.email).map_err(|e| errors.push(e)).ok();
    let _ = check_password_strength(&input.password).map_err(|e| errors.push(e));
    let display = username
        .as_deref()
        .map(|u| parse_display_name(&input.display_name, u))
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    if let Some(reason) = &input.reason {
        if reason.chars().count() > 2000 {
            errors.push(field_error("reason", "Use at most 2000 characters."));
        }
    }
    match (username, email, display) {
        (Some(u), Some(e), Some(d)) if errors.is_empty() => Ok((u, e, d)),
        _ => Err(errors),
    }
}

/// Creates an account with the given role and status. Used by sign-up and the admin CLI.
/// An account made by an administrator (or a tool): its address counts as confirmed.
pub fn create_account(
    conn: &mut DbConn,
    input: &NewAccount,
    role: Role,
    status: Status,
) -> Result<User, AccountError> {
    insert_account(conn, input, role, status, true)
}

fn insert_account(
    conn: &mut DbConn,
    input: &NewAccount,
    role: Role,
    status: Status,
    email_confirmed: bool,
) -> Result<User, AccountError> {
    let (username, email, display_name) = validate_new_account(input)
        .map_err(|mut errors| AccountError::Invalid(errors.remove(0)))?;
    let password_hash = passwords::hash(&input.password).map_err(|_| AccountError::Hashing)?;
    let id = db::new_id();
    let now = db::now();
    let row = NewUserRow {
        id: &id,
        username: &username,
        email: &email,
        display_name: &display_name,
        password_hash: &password_hash,
        role: role.as_str(),
        status: status.as_str(),
        sign_up_reason: input
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty()),
        created_at: now,
        approved_at: (status == Status::Active).then_some(now),
        email_confirmed_at: email_confirmed.then_some(now),
    };
    // Checked first for a clear message; the unique indexes still guard against races.
    if find_by_username(conn, &username)?.is_some() {
        return Err(AccountError::UsernameTaken);
    }
    if users::table
        .filter(users::email.eq(&email))
        .count()
        .get_result::<i64>(conn)?
        > 0
    {
        return Err(AccountError::EmailTaken);
    }
    diesel::insert_into(users::table)
        .values(&row)
        .execute(conn)
        .map_err(|e| {
            if db::is_unique_violation(&e) {
                AccountError::UsernameTaken
            } else {
                AccountError::from(e)
            }
        })?;
    get_user(conn, &id)
}

/// Sign-up as the host's registration mode allows. Returns the account (pending or active).
pub fn sign_up(
    conn: &mut DbConn,
    mode: Registration,
    input: &NewAccount,
    invitation_code: Option<&str>,
) -> Result<User, AccountError> {
    match mode {
        Registration::Closed => Err(AccountError::RegistrationClosed),
        Registration::Open => insert_account(conn, input, Role::Member, Status::Active, false),
        Registration::Approval => insert_account(conn, input, Role::Member, Status::Pending, false),
        Registration::Invite => {
            let code = invitation_code.map(str::trim).unwrap_or_default();
            crate::db::write_transaction(conn, |conn| {
                let invitation =
                    find_usable_invitation(conn, code)?.ok_or(AccountError::InvalidInvitation)?;
                let user = insert_account(conn, input, Role::Member, Status::Active, false)?;
                let claimed = diesel::update(
                    invitations::table
                        .filter(invitations::id.eq(&invitation))
                        .filter(invitations::used_by.is_null()),
                )
                .set((
                    invitations::used_by.eq(&user.id),
                    invitations::used_at.eq(db::now()),
                ))
                .execute(conn)?;
                if claimed != 1 {
                    return Err(AccountError::InvalidInvitation);
                }
                Ok(user)
            })
        }
    }
}

pub fn get_user(conn: &mut DbConn, id: &str) -> Result<User, AccountError> {
    Ok(users::table
        .filter(users::id.eq(id))
        .select(User::as_select())
        .first(conn)?)
}

/// The member's interface language (a catalogue's code), or None to follow the browser.
pub fn set_locale(conn: &mut DbConn, user_id: &str, locale: Option<&str>) -> QueryResult<()> {
    diesel::update(users::table.filter(users::id.eq(user_id)))
        .set(users::locale.eq(locale))
        .execute(conn)?;
    Ok(())
}

pub fn find_by_username(conn: &mut DbConn, username: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::username.eq(username.trim().to_lowercase()))
        .select(User::as_select())
        .first(conn)
        .optional()
}

fn find_by_login(conn: &mut DbConn, login: &str) -> QueryResult<Option<User>> {
    let login = login.trim().to_lowercase();
    users::table
        .filter(users::username.eq(&login).or(users::email.eq(&login)))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn list_users(conn: &mut DbConn) -> QueryResult<Vec<User>> {
    users::table
        .order(users::created_at.asc())
        .select(User::as_select())
        .load(conn)
}

pub fn pending_users(conn: &mut DbConn) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::status.eq(Status::Pending.as_str()))
        .order(users::created_at.asc())
        .select(User::as_select())
        .load(conn)
}

pub fn approve(conn: &mut DbConn, user_id: &str) -> Result<User, AccountError> {
    let changed = diesel::update(users::table.filter(users::id.eq(user_id)))
        .set((
            users::status.eq(Status::Active.as_str()),
            users::approved_at.eq(db::now()),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Err(AccountError::NotFound);
    }
    get_user(conn, user_id)
}

pub fn set_status(conn: &mut DbConn, user_id: &str, status: Status) -> Result<User, AccountError> {
    let changed = diesel::update(users::table.filter(users::id.eq(user_id)))
        .set(users::status.eq(status.as_str()))
        .execute(conn)?;
    if changed == 0 {
        return Err(AccountError::NotFound);
    }
    if status == Status::Suspended {
        sessions::delete_all_for_user(conn, user_id)?;
    }
    get_user(conn, user_id)
}

pub fn set_role(conn: &mut DbConn, user_id: &str, role: Role) -> Result<User, AccountError> {
    let changed = diesel::update(users::table.filter(users::id.eq(user_id)))
        .set(users::role.eq(role.as_str()))
        .execute(conn)?;
    if changed == 0 {
        return Err(AccountError::NotFound);
    }
    get_user(conn, user_id)
}

pub fn count_admins(conn: &mut DbConn) -> QueryResult<i64> {
    users::table
        .filter(users::role.eq(Role::Admin.as_str()))
        .filter(users::status.eq(Status::Active.as_str()))
        .count()
        .get_result(conn)
}

/// How many failed log-ins are tolerated, and over which window.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimits {
    pub per_account: u32,
    pub per_address: u32,
    pub window_minutes: u32,
}

/// Checks a password, counting failures per account and per client address. Failed
/// attempts are recorded in the database so the limit holds across restarts and servers.
pub fn log_in(
    conn: &mut DbConn,
    login: &str,
    password: &str,
    client_ip: &str,
    limits: LoginLimits,
) -> Result<User, AccountError> {
    let login_key = login.trim().to_lowercase();
    let since = db::now() - Duration::minutes(i64::from(limits.window_minutes));
    let failures_for = |conn: &mut DbConn, by_account: bool| -> QueryResult<i64> {
        let query = login_attempts::table
            .filter(login_attempts::succeeded.eq(false))
            .filter(login_attempts::attempted_at.gt(since))
            .into_boxed();
        let query = if by_account {
            query.filter(login_attempts::username.eq(&login_key))
        } else {
            query.filter(login_attempts::client_ip.eq(client_ip))
        };
        query.count().get_result(conn)
    };
    if failures_for(conn, true)? >= i64::from(limits.per_account)
        || failures_for(conn, false)? >= i64::from(limits.per_address)
    {
        return Err(AccountError::RateLimited {
            minutes: limits.window_minutes,
        });
    }

    let user = find_by_login(conn, &login_key)?;
    // Verify against a fixed hash when the account does not exist, so timing does not
    // reveal which usernames are registered.
    let verified = match &user {
        Some(user) => passwords::verify(password, &user.password_hash),
        None => {
            passwords::verify(password, passwords::dummy_hash());
            false
        }
    };
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::id.eq(db::new_id()),
            login_attempts::username.eq(&login_key),
            login_attempts::client_ip.eq(client_ip),
            login_attempts::succeeded.eq(verified),
            login_attempts::attempted_at.eq(db::now()),
        ))
        .execute(conn)?;
    match user {
        Some(user) if verified => match user.status() {
            Status::Active => Ok(user),
            Status::Pending => Err(AccountError::AwaitingApproval),
            Status::Suspended => Err(AccountError::Suspended),
        },
        _ => Err(AccountError::WrongCredentials),
    }
}

/// Old attempts only matter inside the window; this keeps the table small.
pub fn prune_login_attempts(conn: &mut DbConn, older_than_minutes: u32) -> QueryResult<usize> {
    let cutoff = db::now() - Duration::minutes(i64::from(older_than_minutes));
    diesel::delete(login_attempts::table.filter(login_attempts::attempted_at.lt(cutoff)))
        .execute(conn)
}

/// Creates a single-use invitation code, returned once in plain text; only its hash is stored.
pub fn create_invitation(
    conn: &mut DbConn,
    created_by: Option<&str>,
    valid_days: i64,
) -> QueryResult<String> {
    let code = tokens::random_token("inv_");
    diesel::insert_into(invitations::table)
        .values((
            invitations::id.eq(db::new_id()),
            invitations::code_hash.eq(tokens::hash_token(&code)),
            invitations::created_by.eq(created_by),
            invitations::created_at.eq(db::now()),
            invitations::expires_at.eq(db::now() + Duration::days(valid_days)),
        ))
        .execute(conn)?;
    Ok(code)
}

fn find_usable_invitation(conn: &mut DbConn, code: &str) -> QueryResult<Option<String>> {
    if code.is_empty() {
        return Ok(None);
    }
    invitations::table
        .filter(invitations::code_hash.eq(tokens::hash_token(code)))
        .filter(invitations::used_by.is_null())
        .filter(invitations::expires_at.gt(db::now()))
        .select(invitations::id)
        .first(conn)
        .optional()
}
