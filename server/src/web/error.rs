//! The HTTP edge's one error type. Domain errors convert into it; it renders as JSON
//! (`{"error": "code", "message": "…"}`) for the API and as a plain page for people.
//! The whole cause chain is logged once, here.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use std::collections::BTreeMap;

use serde::Serialize;

use crate::accounts::{AccountError, FieldError};
use crate::db::DbError;
use crate::organisations::OrganisationError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("Some fields need changing.")]
    Invalid(Vec<FieldError>),
    #[error("You need to log in first.")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("We could not find that page.")]
    NotFound,
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("The request is too large. The limit is {limit} bytes.")]
    TooLarge { limit: usize },
    #[error("{0}")]
    TooManyRequests(String),
    #[error("The form has expired or did not come from this site. Go back, reload the page and try again.")]
    Csrf,
    #[error("Something went wrong on our side. It has been logged.")]
    Internal(String),
}

impl AppError {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::BadRequest {
            code,
            message: message.into(),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest { code, .. } | AppError::Conflict { code, .. } => code,
            AppError::Invalid(_) => "invalid_input",
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound => "not_found",
            AppError::TooLarge { .. } => "payload_too_large",
            AppError::TooManyRequests(_) => "rate_limited",
            AppError::Csrf => "csrf_failed",
            AppError::Internal(_) => "internal_error",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message as English text with `{ $name }` placeables, and their values, so a
    /// page can show it in the visitor's language (see `i18n::english_in`).
    pub fn message_pattern(&self) -> (String, BTreeMap<String, String>) {
        match self {
            AppError::TooLarge { limit } => (
                "The request is too large. The limit is { $limit } bytes.".to_string(),
                BTreeMap::from([("limit".to_string(), limit.to_string())]),
            ),
            other => (other.to_string(), BTreeMap::new()),
        }
    }

    fn log(&self) {
        if let AppError::Internal(detail) = self {
            tracing::error!(error = %detail, "request failed");
        }
    }
}

impl From<crate::search::SearchError> for AppError {
    fn from(e: crate::search::SearchError) -> Self {
        use crate::search::SearchError;
        match e {
            SearchError::BadQuery(message) => AppError::bad_request("invalid_query", message),
            SearchError::Db(db) => AppError::from(db),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<crate::digests::DigestError> for AppError {
    fn from(e: crate::digests::DigestError) -> Self {
        use crate::digests::DigestError;
        match e {
            DigestError::Invalid(fields) => AppError::Invalid(fields),
            DigestError::NotFound => AppError::NotFound,
            DigestError::Db(db) => AppError::from(db),
            DigestError::Transient(message) | DigestError::Other(message) => {
                AppError::Internal(message)
            }
        }
    }
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Query(diesel::result::Error::NotFound) => AppError::NotFound,
            other => AppError::Internal(format!("{other}: {other:?}")),
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        AppError::from(DbError::Query(e))
    }
}

impl From<AccountError> for AppError {
    fn from(e: AccountError) -> Self {
        let message = e.to_string();
        match e {
            AccountError::Invalid(field) => AppError::Invalid(vec![field]),
            AccountError::UsernameTaken => AppError::Conflict {
                code: "username_taken",
                message,
            },
            AccountError::EmailTaken => AppError::Conflict {
                code: "email_taken",
                message,
            },
            AccountError::WrongCredentials
            | AccountError::AwaitingApproval
            | AccountError::Suspended => AppError::Forbidden(message),
            AccountError::RateLimited { .. } => AppError::TooManyRequests(message),
            AccountError::RegistrationClosed => AppError::Forbidden(message),
            AccountError::InvalidInvitation => AppError::bad_request("invalid_invitation", message),
            AccountError::InvalidLink => AppError::bad_request("invalid_link", message),
            AccountError::NotFound => AppError::NotFound,
            AccountError::Hashing | AccountError::Mail(_) => AppError::Internal(message),
            AccountError::Db(db) => AppError::from(db),
        }
    }
}

impl From<OrganisationError> for AppError {
    fn from(e: OrganisationError) -> Self {
        let message = e.to_string();
        match e {
            OrganisationError::Invalid(fields) => AppError::Invalid(fields),
            OrganisationError::HandleTaken => AppError::Conflict {
                code: "handle_taken",
                message,
            },
            OrganisationError::NotFound => AppError::NotFound,
            OrganisationError::UnknownUser => AppError::bad_request("unknown_user", message),
            OrganisationError::Forbidden => AppError::Forbidden(message),
            OrganisationError::Db(db) => AppError::from(db),
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<&'a [FieldError]>,
}

/// The API form of an error: JSON with a stable code.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ApiError(#[from] pub AppError);

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.0.log();
        let fields = match &self.0 {
            AppError::Invalid(fields) => Some(fields.as_slice()),
            _ => None,
        };
        let message = match &self.0 {
            AppError::Invalid(fields) => fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join(" "),
            other => other.to_string(),
        };
        let mut response = HttpResponse::build(self.0.status());
        if matches!(self.0, AppError::Unauthenticated) {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"mutual\""));
        }
        response.json(ErrorBody {
            error: self.0.code(),
            message,
            fields,
        })
    }
}

/// The page form of an error: a short, plain page (or a redirect to log in).
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct PageError(#[from] pub AppError);

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.0.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.0.log();
        if matches!(self.0, AppError::Unauthenticated) {
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/login"))
                .finish();
        }
        let (message, message_args) = self.0.message_pattern();
        let page = ErrorPage {
            status: self.0.status(),
            message,
            message_args,
            details: match &self.0 {
                AppError::Invalid(fields) => fields.clone(),
                _ => Vec::new(),
            },
        };
        page.response(crate::i18n::DEFAULT_LANGUAGE)
    }
}

/// An error page, kept on its response so the `error_page_language` middleware, which can
/// see the request, can show it again in the visitor's language.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub status: StatusCode,
    /// English, with `{ $name }` placeables.
    pub message: String,
    pub message_args: BTreeMap<String, String>,
    pub details: Vec<FieldError>,
}

impl ErrorPage {
    pub fn response(&self, lang: &str) -> HttpResponse {
        let mut response = HttpResponse::build(self.status)
            .content_type("text/html; charset=utf-8")
            .body(self.render(lang));
        response.extensions_mut().insert(self.clone());
        response
    }

    pub fn render(&self, lang: &str) -> String {
        let message = crate::i18n::english_in(lang, &self.message, &self.message_args);
        let details: Vec<String> = self.details.iter().map(|d| d.message_in(lang)).collect();
        super::templates::render_error_page(self.status, lang, &message, &details)
    }
}

macro_rules! into_wrappers {
    ($($from:ty),*) => {$(
        impl From<$from> for ApiError {
            fn from(e: $from) -> Self { ApiError(AppError::from(e)) }
        }
        impl From<$from> for PageError {
            fn from(e: $from) -> Self { PageError(AppError::from(e)) }
        }
    )*};
}
into_wrappers!(
    DbError,
    diesel::result::Error,
    AccountError,
    OrganisationError,
    crate::search::SearchError,
    crate::digests::DigestError
);
