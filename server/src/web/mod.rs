//! The web interface and HTTP plumbing: routes, middleware (request ids, security
//! headers, the CSRF cookie), static files and the page handlers in `pages/`. Handlers
//! stay thin: they parse input, call a capability's plain functions and render. This
//! module holds no domain rules and writes no SQL.

pub mod auth;
pub mod csrf;
pub mod error;
pub mod pages;
pub mod templates;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{Compress, DefaultHeaders, Next};
use actix_web::{web, App, FromRequest, HttpMessage, HttpResponse, HttpServer};
use serde_json::json;
use tracing_actix_web::{RequestId, TracingLogger};

use crate::config::Config;
use crate::db::{Db, DbError};
use error::AppError;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    /// Keys the CSRF HMAC (and later signed links); stored in the database so every
    /// server of one instance agrees and restarts keep forms valid.
    pub secret: Arc<Vec<u8>>,
    pub federation: crate::federation::FedConfig,
    pub search: Arc<crate::search::Search>,
}

impl AppState {
    pub async fn new(
        db: Db,
        config: Arc<Config>,
        federation: crate::federation::FedConfig,
        search: Arc<crate::search::Search>,
    ) -> Result<AppState, String> {
        let secret = db
            .run(|conn| {
                crate::db::get_or_init_setting(conn, "secret_key", || {
                    crate::accounts::tokens::random_token("")
                })
                .map_err(DbError::from)
            })
            .await
            .map_err(|e| e.to_string())?;
        Ok(AppState {
            db,
            config,
            secret: Arc::new(secret.into_bytes()),
            federation,
            search,
        })
    }
}

const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

pub fn server(state: AppState, listener: TcpListener) -> std::io::Result<Server> {
    let federation = state.federation.clone();
    let data = web::Data::new(state);
    let server =
        HttpServer::new(move || {
            let form_limit = data.config.max_form_bytes;
            let json_limit = data.config.max_json_bytes;
            App::new()
                .app_data(data.clone())
                .app_data(web::JsonConfig::default().limit(json_limit).error_handler(
                    |err, _req| {
                        let message = match &err {
                            actix_web::error::JsonPayloadError::Overflow { limit }
                            | actix_web::error::JsonPayloadError::OverflowKnownLength {
                                limit,
                                ..
                            } => {
                                return error::ApiError(AppError::TooLarge { limit: *limit })
                                    .into();
                            }
                            actix_web::error::JsonPayloadError::ContentType => {
                                "Send JSON with Content-Type: application/json.".to_string()
                            }
                            other => format!("The JSON body could not be read: {other}"),
                        };
                        error::ApiError(AppError::bad_request("invalid_json", message)).into()
                    },
                ))
                .app_data(web::PayloadConfig::default().limit(form_limit.max(json_limit)))
                .wrap(activitypub_federation::config::FederationMiddleware::new(
                    federation.clone(),
                ))
                .wrap(actix_web::middleware::from_fn(csrf_cookie))
                .wrap(actix_web::middleware::from_fn(error_page_language))
                .wrap(actix_web::middleware::from_fn(request_id_header))
                .wrap(
                    DefaultHeaders::new()
                        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                        .add((header::X_FRAME_OPTIONS, "DENY"))
                        .add((header::REFERRER_POLICY, "same-origin"))
                        .add((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY)),
                )
                .wrap(Compress::default())
                .wrap(TracingLogger::default())
                .route("/healthz", web::get().to(healthz))
                .route("/static/{path:.*}", web::get().to(static_file))
                .service(web::scope("/api/v1").configure(crate::api::configure))
                .configure(crate::federation::routes::configure)
                .configure(pages::configure)
                .default_service(web::to(not_found))
        })
        .listen(listener)?
        .shutdown_timeout(10)
        .run();
    Ok(server)
}

/// Gives every visitor a CSRF cookie, so the first form they see already works.
async fn csrf_cookie(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let has_cookie = req
        .cookie(csrf::COOKIE)
        .map(|c| c.value().len() >= 32)
        .unwrap_or(false);
    let fresh = if has_cookie {
        None
    } else {
        let value = crate::accounts::tokens::random_token("");
        req.extensions_mut()
            .insert(csrf::FreshCsrfCookie(value.clone()));
        Some(value)
    };
    let secure = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.config.secure_cookies())
        .unwrap_or(false);
    let mut response = next.call(req).await?;
    if let Some(value) = fresh {
        let cookie = Cookie::build(csrf::COOKIE, value)
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Lax)
            .finish();
        if let Ok(header_value) = HeaderValue::from_str(&cookie.to_string()) {
            response
                .headers_mut()
                .append(header::SET_COOKIE, header_value);
        }
    }
    Ok(response)
}

/// Error pages are made where an error becomes a response, which cannot see the request;
/// this shows them again in the visitor's language (their account's, their cookie's or
/// their browser's).
async fn error_page_language(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let response = next.call(req).await?.map_into_boxed_body();
    let Some(page) = response
        .response()
        .extensions()
        .get::<error::ErrorPage>()
        .cloned()
    else {
        return Ok(response);
    };
    let user = auth::MaybeUser::extract(response.request())
        .await
        .ok()
        .and_then(|maybe| maybe.0);
    let lang = pages::interface_language(response.request(), user.as_ref());
    if lang == crate::i18n::DEFAULT_LANGUAGE {
        return Ok(response);
    }
    let body = page.render(&lang);
    Ok(response.map_body(|head, _| {
        head.headers_mut().remove(header::CONTENT_LENGTH);
        BoxBody::new(body)
    }))
}

/// Returns the request id `tracing-actix-web` put on the log lines, so a member's
/// report can be matched to the logs.
async fn request_id_header(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req.extensions().get::<RequestId>().map(|id| id.to_string());
    let mut response = next.call(req).await?;
    if let Some(id) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        response
            .headers_mut()
            .insert(header::HeaderName::from_static("x-request-id"), id);
    }
    Ok(response)
}

/// Liveness and readiness: answers 200 only when the database answers.
async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let backend = state.db.backend().name();
    let checked = state
        .db
        .run(|conn| {
            use diesel::connection::SimpleConnection;
            conn.batch_execute("SELECT 1").map_err(DbError::from)
        })
        .await;
    match checked {
        Ok(()) => HttpResponse::Ok().json(json!({
            "status": "ok",
            "database": "ok",
            "backend": backend,
            "version": crate::VERSION,
        })),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable().json(json!({
                "status": "error",
                "database": "unavailable",
                "backend": backend,
                "version": crate::VERSION,
            }))
        }
    }
}

async fn static_file(path: web::Path<String>) -> HttpResponse {
    let path = path.into_inner();
    match templates::StaticFiles::get(&path) {
        Some(file) => {
            let mime = mime_guess::from_path(&path).first_or_octet_stream();
            HttpResponse::Ok()
                .content_type(mime.as_ref())
                .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
                .body(file.data.into_owned())
        }
        None => not_found_response(&path),
    }
}

fn not_found_response(path: &str) -> HttpResponse {
    if path.starts_with("/api/") {
        HttpResponse::NotFound()
            .json(json!({"error": "not_found", "message": "There is no such API endpoint."}))
    } else {
        error::ErrorPage {
            status: actix_web::http::StatusCode::NOT_FOUND,
            message: AppError::NotFound.to_string(),
            message_args: Default::default(),
            details: Vec::new(),
        }
        .response(crate::i18n::DEFAULT_LANGUAGE)
    }
}

async fn not_found(req: actix_web::HttpRequest) -> HttpResponse {
    not_found_response(req.path())
}
