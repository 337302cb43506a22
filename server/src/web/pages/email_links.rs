//! Pages behind the links sent by mail: confirming an address, and the "forgot password"
//! form with its reset page. Also the helpers that queue those mails.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::{html, html_with_status, page};
use crate::accounts::email_links::{self, Purpose};
use crate::accounts::{AccountError, FieldError, Status, User};
use crate::config::Config;
use crate::db::DbConn;
use crate::web::auth::MaybeUser;
use crate::web::csrf::Form;
use crate::web::error::{AppError, PageError};
use crate::web::templates::render;
use crate::web::AppState;

/// Queues the "confirm your address" mail, inside the caller's database work.
pub fn queue_confirmation(
    conn: &mut DbConn,
    config: &Config,
    user: &User,
) -> Result<(), AccountError> {
    let token = email_links::issue(conn, &user.id, Purpose::ConfirmEmail)?;
    let mail = crate::mail::account::confirm_email(
        user,
        &config.display_name(),
        &config.absolute_url(&format!("/confirm-email/{token}")),
    )
    .map_err(AccountError::Mail)?;
    crate::mail::queue::enqueue(conn, &mail)?;
    Ok(())
}

/// Queues "your account is ready" after an administrator's approval.
pub fn queue_approval(conn: &mut DbConn, config: &Config, user: &User) -> Result<(), AccountError> {
    let mail = crate::mail::account::approved(
        user,
        &config.display_name(),
        &config.absolute_url("/login"),
    )
    .map_err(AccountError::Mail)?;
    crate::mail::queue::enqueue(conn, &mail)?;
    Ok(())
}

fn notice(
    req: &HttpRequest,
    state: &AppState,
    user: Option<&User>,
    status: StatusCode,
    title: &str,
    paragraphs: &[&str],
    action: Option<(&str, &str)>,
) -> Result<HttpResponse, PageError> {
    let body = render(
        "notice.html",
        context! {
            page => page(req, state, user),
            title => title,
            paragraphs => paragraphs,
            action => action.map(|(href, label)| context! { href => href, label => label }),
        },
    )?;
    Ok(html_with_status(status, body))
}

pub async fn confirm_email(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: MaybeUser,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let token = path.into_inner();
    match state
        .db
        .run(move |conn| email_links::confirm_email(conn, &token))
        .await
    {
        Ok(_) => notice(
            &req,
            &state,
            user.0.as_ref(),
            StatusCode::OK,
            "Your email address is confirmed",
            &["Thank you. We will send your digests to this address."],
            Some(("/", "Go to the home page")),
        ),
        Err(AccountError::InvalidLink) => notice(
            &req,
            &state,
            user.0.as_ref(),
            StatusCode::BAD_REQUEST,
            "This link does not work",
            &["It may be too old, or it was used already.", "Log in and ask for a new one, or reset your password: that confirms your address too."],
            Some(("/password/forgot", "Reset your password")),
        ),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct ForgotForm {
    login: String,
}

pub async fn forgot_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: MaybeUser,
) -> Result<HttpResponse, PageError> {
    let body = render(
        "password_forgot.html",
        context! { page => page(&req, &state, user.0.as_ref()), login => "", error => None::<String> },
    )?;
    Ok(html(body))
}

pub async fn forgot(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: MaybeUser,
    Form(form): Form<ForgotForm>,
) -> Result<HttpResponse, PageError> {
    let login = form.login.trim().to_string();
    if login.is_empty() {
        let body = render(
            "password_forgot.html",
            context! {
                page => page(&req, &state, user.0.as_ref()),
                login => "",
                error => "Type your username or email address.",
            },
        )?;
        return Ok(html_with_status(StatusCode::UNPROCESSABLE_ENTITY, body));
    }
    let config = state.config.clone();
    state
        .db
        .run(move |conn| {
            // Suspended accounts get nothing; nobody learns from the page whether an
            // account exists.
            if let Some(user) = email_links::find_by_login(conn, &login)? {
                if user.status() != Status::Suspended {
                    let token = email_links::issue(conn, &user.id, Purpose::ResetPassword)?;
                    let mail = crate::mail::account::reset_password(
                        &user,
                        &config.display_name(),
                        &config.absolute_url(&format!("/password/reset/{token}")),
                    )
                    .map_err(AccountError::Mail)?;
                    crate::mail::queue::enqueue(conn, &mail)?;
                }
            }
            Ok::<_, AccountError>(())
        })
        .await?;
    notice(
        &req,
        &state,
        user.0.as_ref(),
        StatusCode::OK,
        "Check your email",
        &[
            "If an account has that username or address, we have sent it a link to choose a new password.",
            "The link works for 1 hour. Look in your spam folder too.",
        ],
        None,
    )
}

#[derive(Debug, Deserialize)]
pub struct ResetForm {
    password: String,
    password_again: String,
}

fn reset_page(
    req: &HttpRequest,
    state: &AppState,
    token: &str,
    errors: Vec<FieldError>,
) -> Result<HttpResponse, PageError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = render(
        "password_reset.html",
        context! { page => page(req, state, None), token => token, errors => errors },
    )?;
    Ok(html_with_status(status, body))
}

fn invalid_link(req: &HttpRequest, state: &AppState) -> Result<HttpResponse, PageError> {
    notice(
        req,
        state,
        None,
        StatusCode::BAD_REQUEST,
        "This link does not work",
        &["It may be more than 1 hour old, or it was used already."],
        Some(("/password/forgot", "Ask for a new link")),
    )
}

pub async fn reset_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let token = path.into_inner();
    let check = token.clone();
    let usable = state
        .db
        .query(move |conn| email_links::is_usable(conn, &check, Purpose::ResetPassword))
        .await?;
    if !usable {
        return invalid_link(&req, &state);
    }
    reset_page(&req, &state, &token, Vec::new())
}

pub async fn reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    Form(form): Form<ResetForm>,
) -> Result<HttpResponse, PageError> {
    let token = path.into_inner();
    if form.password != form.password_again {
        return reset_page(
            &req,
            &state,
            &token,
            vec![crate::accounts::field_error(
                "password_again",
                "The two passwords are not the same. Type the same password twice.",
            )],
        );
    }
    let plain = token.clone();
    let password = form.password.clone();
    match state
        .db
        .run(move |conn| email_links::reset_password(conn, &plain, &password))
        .await
    {
        Ok(_) => notice(
            &req,
            &state,
            None,
            StatusCode::OK,
            "Your password is changed",
            &["You can log in with your new password now. You were logged out everywhere else."],
            Some(("/login", "Log in")),
        ),
        Err(AccountError::Invalid(error)) => reset_page(&req, &state, &token, vec![error]),
        Err(AccountError::InvalidLink) => invalid_link(&req, &state),
        Err(e) => Err(AppError::from(e).into()),
    }
}
