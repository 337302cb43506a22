//! Sign-up, log-in, log-out and the settings page (API tokens).

use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::{html, html_with_status, page, redirect};
use crate::accounts::{self, AccountError, FieldError, LoginLimits, NewAccount, Status};
use crate::config::Registration;
use crate::db::DbError;
use crate::web::auth::{client_ip, MaybeUser, RequireUser, SESSION_COOKIE};
use crate::web::csrf::Form;
use crate::web::error::{AppError, PageError};
use crate::web::templates::render;
use crate::web::AppState;

#[derive(Debug, Deserialize)]
pub struct SignupForm {
    username: String,
    email: String,
    #[serde(default)]
    display_name: String,
    password: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    invitation: String,
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// Only local paths may be used after log-in, so the form cannot send people elsewhere.
pub(super) fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/"
    }
}

pub async fn signup_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: MaybeUser,
) -> Result<HttpResponse, PageError> {
    let body = render(
        "signup.html",
        context! {
            page => page(&req, &state, user.0.as_ref()),
            registration => state.config.registration.as_str(),
            values => context! {},
            errors => Vec::<FieldError>::new(),
        },
    )?;
    let status = if state.config.registration == Registration::Closed {
        StatusCode::FORBIDDEN
    } else {
        StatusCode::OK
    };
    Ok(html_with_status(status, body))
}

pub async fn signup(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form(form): Form<SignupForm>,
) -> Result<HttpResponse, PageError> {
    let mode = state.config.registration;
    let input = NewAccount {
        username: form.username.clone(),
        email: form.email.clone(),
        display_name: form.display_name.clone(),
        password: form.password.clone(),
        reason: Some(form.reason.clone()),
    };
    // Report every field problem together, before touching the database.
    let field_errors = accounts::validate_new_account(&input)
        .err()
        .unwrap_or_default();
    let outcome = if field_errors.is_empty() {
        let invitation = form.invitation.clone();
        let config = state.config.clone();
        state
            .db
            .run(move |conn| {
                crate::db::write_transaction(conn, |conn| {
                    let user = accounts::sign_up(conn, mode, &input, Some(&invitation))?;
                    super::email_links::queue_confirmation(conn, &config, &user)?;
                    Ok(user)
                })
            })
            .await
    } else {
        Err(AccountError::Invalid(field_errors[0].clone()))
    };
    match outcome {
        Ok(user) => {
            let body = render(
                "signup_done.html",
                context! {
                    page => page(&req, &state, None),
                    pending => user.status() == Status::Pending,
                    username => user.username,
                },
            )?;
            Ok(html(body))
        }
        Err(error) => {
            let errors = match error {
                AccountError::Invalid(_) => field_errors,
                AccountError::UsernameTaken => {
                    vec![accounts::field_error("username", error.to_string())]
                }
                AccountError::EmailTaken => vec![accounts::field_error("email", error.to_string())],
                AccountError::InvalidInvitation => {
                    vec![accounts::field_error("invitation", error.to_string())]
                }
                AccountError::RegistrationClosed => {
                    return Err(AppError::Forbidden(error.to_string()).into())
                }
                other => return Err(other.into()),
            };
            let body = render(
                "signup.html",
                context! {
                    page => page(&req, &state, None),
                    registration => mode.as_str(),
                    values => context! {
                        username => form.username,
                        email => form.email,
                        display_name => form.display_name,
                        reason => form.reason,
                        invitation => form.invitation,
                    },
                    errors => errors,
                },
            )?;
            Ok(html_with_status(StatusCode::UNPROCESSABLE_ENTITY, body))
        }
    }
}

pub async fn login_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: MaybeUser,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    let body = render(
        "login.html",
        context! {
            page => page(&req, &state, user.0.as_ref()),
            next => safe_next(query.next.as_deref().unwrap_or("/")),
            error => None::<String>,
            login => "",
        },
    )?;
    Ok(html(body))
}

pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form(form): Form<LoginForm>,
) -> Result<HttpResponse, PageError> {
    let limits = LoginLimits {
        per_account: state.config.login_failures_per_account,
        per_address: state.config.login_failures_per_address,
        window_minutes: state.config.login_window_minutes,
    };
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    let days = state.config.session_days;
    let (login, password) = (form.login.clone(), form.password.clone());
    let outcome = state
        .db
        .run(move |conn| {
            let user = accounts::log_in(conn, &login, &password, &ip, limits)?;
            let token = accounts::sessions::create(conn, &user.id, days).map_err(DbError::from)?;
            Ok::<_, AccountError>(token)
        })
        .await;
    match outcome {
        Ok(token) => {
            let cookie = Cookie::build(SESSION_COOKIE, token)
                .path("/")
                .http_only(true)
                .secure(state.config.secure_cookies())
                .same_site(SameSite::Lax)
                .max_age(time::Duration::days(i64::from(days)))
                .finish();
            let mut response = redirect(safe_next(&form.next));
            response
                .add_cookie(&cookie)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            Ok(response)
        }
        Err(error) => {
            let status = match &error {
                AccountError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
                AccountError::WrongCredentials
                | AccountError::AwaitingApproval
                | AccountError::Suspended => StatusCode::UNAUTHORIZED,
                _ => return Err(error.into()),
            };
            let body = render(
                "login.html",
                context! {
                    page => page(&req, &state, None),
                    next => safe_next(&form.next),
                    error => error.to_string(),
                    login => form.login,
                },
            )?;
            Ok(html_with_status(status, body))
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct EmptyForm {}

pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form(_): Form<EmptyForm>,
) -> Result<HttpResponse, PageError> {
    if let Some(cookie) = req.cookie(SESSION_COOKIE) {
        let token = cookie.value().to_string();
        state
            .db
            .run(move |conn| accounts::sessions::delete(conn, &token).map_err(DbError::from))
            .await?;
    }
    let mut response = redirect("/");
    let mut removal = Cookie::build(SESSION_COOKIE, "").path("/").finish();
    removal.make_removal();
    response
        .add_cookie(&removal)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(response)
}

async fn render_settings(
    req: &HttpRequest,
    state: &AppState,
    user: &accounts::User,
    new_token: Option<String>,
) -> Result<HttpResponse, PageError> {
    let user_id = user.id.clone();
    let (tokens, memberships, follows, digest) = state
        .db
        .run(move |conn| {
            let tokens = accounts::tokens::list_for_user(conn, &user_id)?;
            let memberships = crate::organisations::memberships(conn, &user_id)?;
            let follows = crate::digests::follows::list(conn, &user_id)?;
            let digest = crate::digests::settings::get(conn, &user_id)?;
            Ok::<_, DbError>((tokens, memberships, follows, digest))
        })
        .await?;
    let context = page(req, state, Some(user));
    let ui = context.lang.clone();
    let weekdays = [
        (1, crate::i18n::t(&ui, "weekday-1")),
        (2, crate::i18n::t(&ui, "weekday-2")),
        (3, crate::i18n::t(&ui, "weekday-3")),
        (4, crate::i18n::t(&ui, "weekday-4")),
        (5, crate::i18n::t(&ui, "weekday-5")),
        (6, crate::i18n::t(&ui, "weekday-6")),
        (7, crate::i18n::t(&ui, "weekday-7")),
    ];
    let time_zones: Vec<&str> = crate::digests::settings::time_zones().collect();
    let memberships: Vec<_> = memberships
        .into_iter()
        .map(|(handle, name, role)| context! { handle => handle, name => name, role => role })
        .collect();
    let body = render(
        "settings.html",
        context! {
            page => context,
            account => context! { username => user.username, email => user.email, display_name => user.display_name, role => user.role, locale => user.locale },
            tokens => tokens,
            memberships => memberships,
            new_token => new_token,
            follows => follows,
            digest => digest,
            email_confirmed => user.email_confirmed_at.is_some(),
            weekdays => weekdays,
            time_zones => time_zones,
            saved => req.query_string().contains("saved=digest"),
        },
    )?;
    Ok(html(body))
}

pub async fn settings(
    req: HttpRequest,
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
) -> Result<HttpResponse, PageError> {
    render_settings(&req, &state, &user, None).await
}

#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
}

pub async fn create_token(
    req: HttpRequest,
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    Form(form): Form<TokenForm>,
) -> Result<HttpResponse, PageError> {
    let user_id = user.id.clone();
    let (_, plain) = state
        .db
        .run(move |conn| {
            accounts::tokens::create(conn, &user_id, &form.name).map_err(DbError::from)
        })
        .await?;
    // Shown once, on this page; never stored in plain text.
    render_settings(&req, &state, &user, Some(plain)).await
}

pub async fn revoke_token(
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    path: web::Path<String>,
    Form(_): Form<EmptyForm>,
) -> Result<HttpResponse, PageError> {
    let token_id = path.into_inner();
    let revoked = state
        .db
        .run(move |conn| accounts::tokens::revoke(conn, &user.id, &token_id).map_err(DbError::from))
        .await?;
    if !revoked {
        return Err(AppError::NotFound.into());
    }
    Ok(redirect("/settings"))
}

#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    /// A catalogue's code, or empty to follow the browser's languages again.
    lang: String,
    #[serde(default)]
    next: String,
}

/// The language switcher: a member's choice is kept in their account, a visitor's in a
/// cookie for a year.
pub async fn choose_language(
    state: web::Data<AppState>,
    MaybeUser(user): MaybeUser,
    Form(form): Form<LanguageForm>,
) -> Result<HttpResponse, PageError> {
    let chosen = if form.lang.is_empty() {
        None
    } else {
        Some(
            crate::i18n::Catalogues::get()
                .supported(&form.lang)
                .ok_or_else(|| {
                    crate::web::error::AppError::bad_request(
                        "unknown_language",
                        "That language is not available.",
                    )
                })?,
        )
    };
    if let Some(user) = user {
        let locale = chosen.clone();
        state
            .db
            .run(move |conn| {
                accounts::set_locale(conn, &user.id, locale.as_deref()).map_err(DbError::from)
            })
            .await?;
    }
    let next = safe_next(&form.next);
    let next = if next.is_empty() { "/" } else { next };
    let mut response = super::redirect(next);
    let cookie = match chosen {
        Some(lang) => actix_web::cookie::Cookie::build(crate::i18n::LANGUAGE_COOKIE, lang)
            .path("/")
            .http_only(true)
            .same_site(actix_web::cookie::SameSite::Lax)
            .max_age(actix_web::cookie::time::Duration::days(365))
            .finish(),
        None => {
            let mut gone = actix_web::cookie::Cookie::build(crate::i18n::LANGUAGE_COOKIE, "")
                .path("/")
                .finish();
            gone.make_removal();
            gone
        }
    };
    response
        .add_cookie(&cookie)
        .map_err(|e| crate::web::error::AppError::Internal(e.to_string()))?;
    Ok(response)
}
