//! Federation over ActivityPub: organisations are `Organization` actors; published
//! stories, guides and ISF templates travel as `Article`s carrying Mutual's structured
//! data in a JSON-LD extension. This module owns discovery (WebFinger, NodeInfo), actor
//! and object documents, the inbox (signatures verified by `activitypub_federation`),
//! follows, delivery through the durable job queue, and the domain policy. It stores
//! remote organisations and content through the organisation and content tables, and
//! never changes a local item except on behalf of a verified activity about it.

pub mod activities;
pub mod delivery;
pub mod instance;
pub mod objects;
pub mod policy;
pub mod protocol;
pub mod routes;

use std::sync::Arc;

use activitypub_federation::config::{Data, FederationConfig};
use url::Url;

use crate::config::Config;
use crate::db::{Db, DbError};

/// What federation handlers get: the database and the configuration.
#[derive(Clone)]
pub struct FedData {
    pub db: Db,
    pub config: Arc<Config>,
    pub instance: Arc<instance::InstanceActor>,
}

pub type FedConfig = FederationConfig<FedData>;
pub type Context = Data<FedData>;

#[derive(Debug, thiserror::Error)]
pub enum FederationError {
    #[error(transparent)]
    Protocol(#[from] activitypub_federation::error::Error),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Refused(String),
    #[error("not found")]
    NotFound,
}

impl From<diesel::result::Error> for FederationError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => FederationError::NotFound,
            other => FederationError::Db(DbError::Query(other)),
        }
    }
}

impl From<url::ParseError> for FederationError {
    fn from(e: url::ParseError) -> Self {
        FederationError::Invalid(format!("bad URL: {e}"))
    }
}

impl From<serde_json::Error> for FederationError {
    fn from(e: serde_json::Error) -> Self {
        FederationError::Invalid(format!("bad JSON: {e}"))
    }
}

impl actix_web::ResponseError for FederationError {
    fn status_code(&self) -> actix_web::http::StatusCode {
        use activitypub_federation::error::Error as E;
        use actix_web::http::StatusCode;
        match self {
            FederationError::NotFound | FederationError::Protocol(E::NotFound) => {
                StatusCode::NOT_FOUND
            }
            FederationError::Refused(_) => StatusCode::FORBIDDEN,
            FederationError::Protocol(
                E::ActivitySignatureInvalid | E::ActivityBodyDigestInvalid,
            ) => StatusCode::UNAUTHORIZED,
            FederationError::Protocol(E::UrlVerificationError(_)) => StatusCode::FORBIDDEN,
            // The signature library reports expired or malformed signatures as plain text.
            FederationError::Protocol(E::Other(message))
                if message.contains("Signature") || message.contains("signature") =>
            {
                StatusCode::UNAUTHORIZED
            }
            FederationError::Db(_) => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    fn error_response(&self) -> actix_web::HttpResponse {
        let status = self.status_code();
        if status.is_server_error() {
            tracing::error!(error = %self, "federation request failed");
        } else {
            tracing::info!(error = %self, "federation request refused");
        }
        // Library errors can quote a whole fetched document; keep answers short.
        let message: String = self.to_string().chars().take(300).collect();
        actix_web::HttpResponse::build(status).json(serde_json::json!({
            "error": "federation_error",
            "message": message,
        }))
    }
}

/// The host (with port, if any) the federation library treats as local.
pub fn domain(config: &Config) -> String {
    config.public_host()
}

pub async fn build(db: Db, config: Arc<Config>) -> Result<FedConfig, FederationError> {
    let verifier = policy::DomainPolicy {
        db: db.clone(),
        default_mode: config.federation.mode,
    };
    let instance = Arc::new(instance::load(&db, &config.public_url).await?);
    let fed = FederationConfig::builder()
        .domain(domain(&config))
        // Every fetch of a remote document is signed by the instance actor, so peers that
        // require signed fetches (authorized fetch) answer.
        .signed_fetch_actor(&*instance)
        .app_data(FedData {
            db,
            config: config.clone(),
            instance,
        })
        .url_verifier(Box::new(verifier))
        // Plain http and loopback addresses only when the host allows it (tests, demos).
        .debug(config.federation.allow_private_addresses)
        .http_fetch_limit(config.federation.fetch_limit)
        .build()
        .await
        .map_err(|e| FederationError::Invalid(e.to_string()))?;
    Ok(fed)
}

/// The public URL of a local organisation's actor (the same as its profile page).
pub fn actor_url(config: &Config, handle: &str) -> Result<Url, FederationError> {
    Ok(config.public_url.join(&format!("organisations/{handle}"))?)
}

/// True when the request asks for ActivityStreams JSON rather than a page.
pub fn wants_activity_json(req: &actix_web::HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .map(|accept| {
            accept.contains("application/activity+json")
                || (accept.contains("application/ld+json") && accept.contains("activitystreams"))
        })
        .unwrap_or(false)
}

pub const ACTIVITY_JSON: &str = "application/activity+json";
