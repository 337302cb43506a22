//! Unsubscribing and changing digest frequency from the links in a digest, without logging
//! in: the signed token in the link says who. `POST /unsubscribe/{token}` is RFC 8058's
//! one-click unsubscribe (mail programs send it without cookies, so it has no CSRF check:
//! the token itself is the proof).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::{html_with_status, page};
use crate::digests::settings::{self, SettingsInput};
use crate::digests::unsubscribe;
use crate::web::csrf::Form;
use crate::web::error::PageError;
use crate::web::templates::render;
use crate::web::AppState;

fn member(state: &AppState, token: &str) -> Option<String> {
    unsubscribe::verify(&state.secret, token, chrono::Utc::now())
}

fn invalid(req: &HttpRequest, state: &AppState) -> Result<HttpResponse, PageError> {
    let body = render(
        "notice.html",
        context! {
            page => page(req, state, None),
            title => "This link does not work",
            paragraphs => ["It may be too old. Use the link in your newest digest, or log in and change your digest on your account page."],
            action => context! { href => "/settings", label => "Your account" },
        },
    )?;
    Ok(html_with_status(StatusCode::BAD_REQUEST, body))
}

pub async fn unsubscribe_link(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let token = path.into_inner();
    let Some(user_id) = member(&state, &token) else {
        return invalid(&req, &state);
    };
    state
        .db
        .query(move |conn| settings::unsubscribe(conn, &user_id))
        .await?;
    let body = render(
        "notice.html",
        context! {
            page => page(&req, &state, None),
            title => "You are unsubscribed",
            paragraphs => ["You will get no more digests."],
            action => context! { href => format!("/email-settings/{token}"), label => "Change how often you get digests" },
        },
    )?;
    Ok(html_with_status(StatusCode::OK, body))
}

pub async fn unsubscribe_one_click(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let token = path.into_inner();
    let Some(user_id) = member(&state, &token) else {
        return Ok(HttpResponse::BadRequest()
            .content_type("text/plain; charset=utf-8")
            .body("This unsubscribe link is not valid or has expired.\n"));
    };
    state
        .db
        .query(move |conn| settings::unsubscribe(conn, &user_id))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("Unsubscribed. You will get no more digests.\n"))
}

#[derive(Debug, Deserialize)]
pub struct FrequencyForm {
    frequency: String,
}

async fn settings_page(
    req: &HttpRequest,
    state: &AppState,
    token: String,
    user_id: String,
    saved: bool,
) -> Result<HttpResponse, PageError> {
    let current = state
        .db
        .query(move |conn| settings::get(conn, &user_id))
        .await?;
    let body = render(
        "email_settings.html",
        context! {
            page => page(req, state, None),
            token => token,
            frequency => current.frequency.as_str(),
            saved => saved,
        },
    )?;
    Ok(html_with_status(StatusCode::OK, body))
}

pub async fn email_settings(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let token = path.into_inner();
    let Some(user_id) = member(&state, &token) else {
        return invalid(&req, &state);
    };
    settings_page(&req, &state, token, user_id, false).await
}

pub async fn save_email_settings(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    Form(form): Form<FrequencyForm>,
) -> Result<HttpResponse, PageError> {
    let token = path.into_inner();
    let Some(user_id) = member(&state, &token) else {
        return invalid(&req, &state);
    };
    let id = user_id.clone();
    state
        .db
        .run(move |conn| {
            let current = settings::get(conn, &id)?;
            let new = SettingsInput {
                frequency: form.frequency.clone(),
                ..SettingsInput::default()
            }
            .validate(&current)?;
            settings::save(conn, &id, &new)?;
            Ok::<_, crate::digests::DigestError>(())
        })
        .await?;
    settings_page(&req, &state, token, user_id, true).await
}

#[derive(Debug, Deserialize)]
pub struct FollowForm {
    kind: String,
    target: String,
    /// Where to go back to (a local path).
    #[serde(default)]
    back: String,
}

/// The page to go back to: `back` when it is a local path, else the follow list.
fn local_path(path: &str) -> &str {
    if super::account::safe_next(path) == path {
        path
    } else {
        "/settings#follows"
    }
}

/// Follows an organisation, topic or search from a button on its page.
pub async fn follow(
    state: web::Data<AppState>,
    crate::web::auth::RequireUser(user): crate::web::auth::RequireUser,
    Form(form): Form<FollowForm>,
) -> Result<HttpResponse, PageError> {
    use crate::digests::follows::{self, FollowKind};
    let kind = FollowKind::parse(&form.kind).ok_or_else(|| {
        crate::web::error::AppError::bad_request("invalid_kind", "Unknown kind of follow.")
    })?;
    let target = form.target.clone();
    state
        .db
        .run(move |conn| follows::add(conn, &user.id, kind, &target))
        .await?;
    Ok(super::redirect(local_path(&form.back)))
}

#[derive(Debug, Deserialize)]
pub struct NoFields {}

pub async fn unfollow(
    state: web::Data<AppState>,
    crate::web::auth::RequireUser(user): crate::web::auth::RequireUser,
    path: web::Path<String>,
    Form(_): Form<NoFields>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    state
        .db
        .run(move |conn| crate::digests::follows::remove(conn, &user.id, &id))
        .await?;
    Ok(super::redirect("/settings#follows"))
}

#[derive(Debug, Deserialize)]
pub struct DigestForm {
    frequency: String,
    hour: Option<u32>,
    weekday: Option<u32>,
    timezone: Option<String>,
}

pub async fn save_digest(
    state: web::Data<AppState>,
    crate::web::auth::RequireUser(user): crate::web::auth::RequireUser,
    Form(form): Form<DigestForm>,
) -> Result<HttpResponse, PageError> {
    state
        .db
        .run(move |conn| {
            let current = settings::get(conn, &user.id)?;
            let new = SettingsInput {
                frequency: form.frequency.clone(),
                hour: form.hour,
                weekday: form.weekday,
                timezone: form.timezone.clone(),
            }
            .validate(&current)?;
            settings::save(conn, &user.id, &new)?;
            Ok::<_, crate::digests::DigestError>(())
        })
        .await?;
    Ok(super::redirect("/settings?saved=digest#digest"))
}
