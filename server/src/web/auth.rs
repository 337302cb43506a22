//! Who is asking: the session cookie for pages, a personal API token
//! (`Authorization: Bearer …`) or the session cookie for the API. Extractors here do the
//! look-up once per request; handlers then check roles with plain functions.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::{header, Method};
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};

use super::error::{ApiError, AppError, PageError};
use super::{csrf, AppState};
use crate::accounts::{self, User};
use crate::db::DbError;

pub const SESSION_COOKIE: &str = "mutual_session";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    Session,
    Token,
}

#[derive(Debug, Clone)]
pub struct Identity {
    pub user: Option<User>,
    pub method: Option<AuthMethod>,
}

fn state_of(req: &HttpRequest) -> Result<web::Data<AppState>, AppError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::Internal("application state missing".into()))
}

/// Looks the caller up once and caches the answer on the request.
pub async fn identify(req: &HttpRequest) -> Result<Identity, AppError> {
    if let Some(found) = req.extensions().get::<Identity>() {
        return Ok(found.clone());
    }
    let state = state_of(req)?;
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_string());
    let identity = if let Some(value) = bearer {
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .ok_or(AppError::Unauthenticated)?
            .trim()
            .to_string();
        let user = state
            .db
            .run(move |conn| accounts::tokens::user_for(conn, &token).map_err(DbError::from))
            .await?;
        // A wrong token is an error, not an anonymous request: the caller meant to log in.
        let user = user.ok_or(AppError::Unauthenticated)?;
        Identity {
            user: Some(user),
            method: Some(AuthMethod::Token),
        }
    } else if let Some(cookie) = req.cookie(SESSION_COOKIE) {
        let token = cookie.value().to_string();
        let days = state.config.session_days;
        let user = state
            .db
            .run(move |conn| {
                accounts::sessions::user_for(conn, &token, days).map_err(DbError::from)
            })
            .await?;
        Identity {
            method: user.as_ref().map(|_| AuthMethod::Session),
            user,
        }
    } else {
        Identity {
            user: None,
            method: None,
        }
    };
    req.extensions_mut().insert(identity.clone());
    Ok(identity)
}

/// The logged-in user, if any (pages that everyone may see).
pub struct MaybeUser(pub Option<User>);

impl FromRequest for MaybeUser {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, PageError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            // Pages ignore bearer tokens: a broken one should not hide the page.
            match identify(&req).await {
                Ok(identity) => Ok(MaybeUser(identity.user)),
                Err(AppError::Unauthenticated) => Ok(MaybeUser(None)),
                Err(e) => Err(e.into()),
            }
        })
    }
}

/// A logged-in user, or a redirect to the log-in page.
pub struct RequireUser(pub User);

impl FromRequest for RequireUser {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, PageError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let identity = identify(&req).await?;
            identity
                .user
                .map(RequireUser)
                .ok_or(AppError::Unauthenticated.into())
        })
    }
}

/// An authenticated API caller. Cookie-authenticated writes must carry the CSRF header.
pub struct ApiUser(pub User);

impl FromRequest for ApiUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let identity = identify(&req).await?;
            let user = identity.user.ok_or(AppError::Unauthenticated)?;
            let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
            if identity.method == Some(AuthMethod::Session) && !safe {
                let state = state_of(&req)?;
                let presented = req
                    .headers()
                    .get(csrf::HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                if !csrf::verify(&req, &state, presented) {
                    return Err(AppError::Csrf.into());
                }
            }
            Ok(ApiUser(user))
        })
    }
}

/// Instance administrators only.
pub fn require_admin(user: &User) -> Result<(), AppError> {
    if user.is_admin() {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "Only administrators can do this.".into(),
        ))
    }
}

/// The client's address for rate limiting; proxies are trusted only when the host says so.
pub fn client_ip(req: &HttpRequest, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for {
        if let Some(ip) = req.connection_info().realip_remote_addr() {
            return ip.to_string();
        }
    }
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}
