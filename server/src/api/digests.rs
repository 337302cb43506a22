//! `/api/v1/me/follows` and `/api/v1/me/digest`: what the member follows for their digest,
//! and how often they get it.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::digests::follows::{self, Follow, FollowKind};
use crate::digests::settings::{self, DigestSettings, SettingsInput};
use crate::web::auth::ApiUser;
use crate::web::error::{ApiError, AppError};
use crate::web::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/follows", web::get().to(list_follows))
        .route("/me/follows", web::post().to(add_follow))
        .route("/me/follows/{id}", web::delete().to(remove_follow))
        .route("/me/digest", web::get().to(get_digest))
        .route("/me/digest", web::put().to(put_digest));
}

#[derive(Deserialize, ToSchema)]
pub struct FollowRequestBody {
    /// `organisation`, `topic` or `search`.
    pub kind: String,
    /// An organisation handle (`handle` or `handle@host`), a `learning_topics` slug, or a
    /// search as a query string (`q=staff&topic=personnel`, as `GET /api/v1/search` takes).
    pub target: String,
}

#[utoipa::path(get, path = "/api/v1/me/follows", responses((status = 200, body = [Follow])))]
pub async fn list_follows(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
) -> Result<HttpResponse, ApiError> {
    let list = state
        .db
        .query(move |conn| follows::list(conn, &user.id))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(post, path = "/api/v1/me/follows", request_body = FollowRequestBody, responses(
    (status = 201, body = Follow), (status = 422, body = super::ErrorView)))]
pub async fn add_follow(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    body: web::Json<FollowRequestBody>,
) -> Result<HttpResponse, ApiError> {
    let kind = FollowKind::parse(body.kind.trim()).ok_or_else(|| {
        AppError::Invalid(vec![crate::accounts::field_error(
            "kind",
            "Use organisation, topic or search.",
        )])
    })?;
    let target = body.target.clone();
    let follow = state
        .db
        .run(move |conn| follows::add(conn, &user.id, kind, &target))
        .await?;
    Ok(HttpResponse::Created().json(follow))
}

#[utoipa::path(delete, path = "/api/v1/me/follows/{id}", responses(
    (status = 204), (status = 404, body = super::ErrorView)))]
pub async fn remove_follow(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    state
        .db
        .run(move |conn| follows::remove(conn, &user.id, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = "/api/v1/me/digest", responses((status = 200, body = DigestSettings)))]
pub async fn get_digest(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
) -> Result<HttpResponse, ApiError> {
    let current = state
        .db
        .query(move |conn| settings::get(conn, &user.id))
        .await?;
    Ok(HttpResponse::Ok().json(current))
}

#[utoipa::path(put, path = "/api/v1/me/digest", request_body = SettingsInput, responses(
    (status = 200, body = DigestSettings), (status = 422, body = super::ErrorView)))]
pub async fn put_digest(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    body: web::Json<SettingsInput>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let saved = state
        .db
        .run(move |conn| {
            let current = settings::get(conn, &user.id)?;
            let new = input.validate(&current)?;
            settings::save(conn, &user.id, &new)?;
            Ok::<_, crate::digests::DigestError>(new)
        })
        .await?;
    Ok(HttpResponse::Ok().json(saved))
}
