//! The JSON API under `/api/v1`: the same operations as the pages, with the same
//! permission checks, authenticated by a personal API token or the session cookie.
//! Wire types (`views`) are separate from storage rows. The OpenAPI document is
//! generated from these handlers and types by utoipa, so it cannot drift from the code.

pub mod content;
pub mod digests;
pub mod search;

use content::ExpandKinds;

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::accounts::{self, User};
use crate::db::DbError;
use crate::organisations::{self, Organisation, ProfileInput};
use crate::web::auth::ApiUser;
use crate::web::error::{ApiError, AppError};
use crate::web::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/openapi.json", web::get().to(openapi))
        .route("/me", web::get().to(me))
        .route("/tokens", web::get().to(list_tokens))
        .route("/tokens", web::post().to(create_token))
        .route("/tokens/{id}", web::delete().to(revoke_token))
        .route("/organisations", web::get().to(list_organisations))
        .route("/organisations", web::post().to(create_organisation))
        .route("/organisations/{handle}", web::get().to(get_organisation))
        .route(
            "/organisations/{handle}",
            web::put().to(replace_organisation),
        )
        .route(
            "/organisations/{handle}",
            web::patch().to(patch_organisation),
        )
        .route(
            "/organisations/{handle}/follows",
            web::get().to(list_follows),
        )
        .route(
            "/organisations/{handle}/follows",
            web::post().to(follow_peer),
        )
        .route(
            "/organisations/{handle}/follows/{peer}",
            web::delete().to(unfollow_peer),
        )
        // Before content: its `/{segment}` routes would take `/search` for a content type.
        .configure(search::configure)
        .configure(digests::configure)
        .configure(content::configure)
        .default_service(web::to(|| async {
            Err::<HttpResponse, _>(ApiError(AppError::NotFound))
        }));
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Mutual API", description = "Federated peer learning for personalised support. Authenticate with `Authorization: Bearer <token>` (create tokens on the settings page) or the session cookie plus an `X-CSRF-Token` header for writes.", license(name = "AGPL-3.0-or-later")),
    paths(list_follows, follow_peer, unfollow_peer, me, list_tokens, create_token, revoke_token, list_organisations, create_organisation, get_organisation, replace_organisation, patch_organisation,
        content::list, content::create, content::get, content::update, content::action, content::adapt, content::write_version, content::revisions, content::revision_diff,
        content::get_consent, content::put_consent, content::withdraw_consent, content::story_flags, content::run_story_check, content::resolve_flag,
        content::export_csv, content::check_text, content::announce, content::report, search::search, digests::list_follows, digests::add_follow, digests::remove_follow, digests::get_digest, digests::put_digest),
    components(schemas(MeView, MembershipView, TokenView, NewTokenView, CreateToken, OrganisationView, OrganisationList, CreateOrganisation, ProfileInput, ErrorView,
        content::ContentView, content::ContentList, content::OrganisationRef, content::RevisionView, content::DiffView, content::ActionBody,
        content::ConsentView, content::StoryFlagView, content::ResolveBody, content::AnnounceBody, content::ReportBody, content::CheckRequest, content::CheckResponse, content::CheckFlag,
        crate::content::CommonInput, crate::content::StoryDetails, crate::content::GuideDetails, crate::content::Reference, crate::content::Attribution,
        FollowRequest, FollowView, digests::FollowRequestBody, crate::digests::follows::Follow, crate::digests::follows::FollowKind, crate::digests::settings::DigestSettings, crate::digests::settings::SettingsInput, crate::digests::settings::Frequency, search::SearchResponse, search::SearchHitView, crate::search::DocType, crate::content::ContentKind, crate::content::Status, crate::content::diff::Segment,
        crate::content::workflow::ConsentInput, crate::content::workflow::AdaptOptions, crate::content::workflow::VersionOptions, crate::content::workflow::VersionKind, crate::content::workflow::Resolution)),
    modifiers(&BearerAuth, &ExpandKinds)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        openapi.security = Some(vec![utoipa::openapi::security::SecurityRequirement::new(
            "bearer",
            Vec::<String>::new(),
        )]);
    }
}

async fn openapi() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}

/// Every error has this shape; `error` is a stable code, `message` is for people.
#[derive(Serialize, ToSchema)]
pub struct ErrorView {
    pub error: String,
    pub message: String,
    pub fields: Option<Vec<serde_json::Value>>,
}

#[derive(Serialize, ToSchema)]
pub struct MembershipView {
    pub handle: String,
    pub name: String,
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct MeView {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: String,
    pub organisations: Vec<MembershipView>,
}

#[utoipa::path(get, path = "/api/v1/me", responses(
    (status = 200, body = MeView),
    (status = 401, body = ErrorView, description = "No valid token or session")
))]
async fn me(state: web::Data<AppState>, ApiUser(user): ApiUser) -> Result<HttpResponse, ApiError> {
    let user_id = user.id.clone();
    let memberships = state
        .db
        .run(move |conn| organisations::memberships(conn, &user_id).map_err(DbError::from))
        .await?;
    Ok(HttpResponse::Ok().json(MeView {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        email: user.email,
        role: user.role,
        organisations: memberships
            .into_iter()
            .map(|(handle, name, role)| MembershipView { handle, name, role })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct TokenView {
    pub id: String,
    pub name: String,
    pub created_at: chrono::NaiveDateTime,
    pub last_used_at: Option<chrono::NaiveDateTime>,
}

#[derive(Serialize, ToSchema)]
pub struct NewTokenView {
    pub id: String,
    pub name: String,
    /// The token itself. It is shown only in this response.
    pub token: String,
}

#[derive(Deserialize, ToSchema)]
pub struct CreateToken {
    #[serde(default)]
    pub name: String,
}

#[utoipa::path(get, path = "/api/v1/tokens", responses((status = 200, body = [TokenView])))]
async fn list_tokens(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
) -> Result<HttpResponse, ApiError> {
    let tokens = state
        .db
        .run(move |conn| accounts::tokens::list_for_user(conn, &user.id).map_err(DbError::from))
        .await?;
    let views: Vec<TokenView> = tokens
        .into_iter()
        .map(|t| TokenView {
            id: t.id,
            name: t.name,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
        })
        .collect();
    Ok(HttpResponse::Ok().json(views))
}

#[utoipa::path(post, path = "/api/v1/tokens", request_body = CreateToken, responses((status = 201, body = NewTokenView)))]
async fn create_token(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    body: web::Json<CreateToken>,
) -> Result<HttpResponse, ApiError> {
    let name = body.into_inner().name;
    let (token, plain) = state
        .db
        .run(move |conn| accounts::tokens::create(conn, &user.id, &name).map_err(DbError::from))
        .await?;
    Ok(HttpResponse::Created().json(NewTokenView {
        id: token.id,
        name: token.name,
        token: plain,
    }))
}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", responses((status = 204), (status = 404, body = ErrorView)))]
async fn revoke_token(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let revoked = state
        .db
        .run(move |conn| accounts::tokens::revoke(conn, &user.id, &id).map_err(DbError::from))
        .await?;
    if revoked {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(AppError::NotFound.into())
    }
}

/// An organisation profile on the wire.
#[derive(Serialize, ToSchema)]
pub struct OrganisationView {
    pub handle: String,
    pub url: String,
    pub name: String,
    pub summary: String,
    /// ISO 3166-1 alpha-2, or ISO 3166-2 for the UK nations (`GB-SCT`).
    pub country: String,
    pub regions: Vec<String>,
    /// BCP 47 language tags.
    pub languages: Vec<String>,
    pub kind: String,
    pub people_supported: Vec<String>,
    pub wants_to_learn: Vec<String>,
    pub offers_to_share: Vec<String>,
    pub hosts_events: bool,
    pub accessibility_statement: String,
    pub contact_email: Option<String>,
    pub contact_url: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

fn organisation_view(state: &AppState, org: Organisation) -> OrganisationView {
    let p = org.profile;
    OrganisationView {
        url: format!("{}organisations/{}", state.config.public_url, org.handle),
        handle: org.handle,
        name: p.name,
        summary: p.summary,
        country: p.country,
        regions: p.regions,
        languages: p.languages,
        kind: p.kind,
        people_supported: p.people_supported,
        wants_to_learn: p.wants_to_learn,
        offers_to_share: p.offers_to_share,
        hosts_events: p.hosts_events,
        accessibility_statement: p.accessibility_statement,
        contact_email: p.contact_email,
        contact_url: p.contact_url,
        created_at: org.created_at,
        updated_at: org.updated_at,
    }
}

#[derive(Serialize, ToSchema)]
pub struct OrganisationList {
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub items: Vec<OrganisationView>,
}

#[derive(Deserialize, IntoParams)]
pub struct PageQuery {
    /// Page number, from 1.
    page: Option<i64>,
    /// Items per page, 1 to 100 (default 30).
    per_page: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/organisations", params(PageQuery), security(()), responses((status = 200, body = OrganisationList)))]
async fn list_organisations(
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = query.page.unwrap_or(1).max(1);
    let per_page = query.per_page.unwrap_or(30).clamp(1, 100);
    let (items, total) = state
        .db
        .run(move |conn| {
            organisations::list(conn, (page - 1) * per_page, per_page).map_err(DbError::from)
        })
        .await?;
    let items = items
        .into_iter()
        .map(|o| organisation_view(&state, o))
        .collect();
    Ok(HttpResponse::Ok().json(OrganisationList {
        total,
        page,
        per_page,
        items,
    }))
}

#[utoipa::path(get, path = "/api/v1/organisations/{handle}", security(()), responses((status = 200, body = OrganisationView), (status = 404, body = ErrorView)))]
async fn get_organisation(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let handle = path.into_inner();
    let org = state
        .db
        .run(move |conn| organisations::get(conn, &handle))
        .await?;
    Ok(HttpResponse::Ok().json(organisation_view(&state, org)))
}

#[derive(Deserialize, ToSchema)]
pub struct CreateOrganisation {
    pub handle: String,
    #[serde(flatten)]
    pub profile: ProfileInput,
}

#[utoipa::path(post, path = "/api/v1/organisations", request_body = CreateOrganisation, responses(
    (status = 201, body = OrganisationView),
    (status = 409, body = ErrorView, description = "The handle is taken"),
    (status = 422, body = ErrorView, description = "A field is invalid")
))]
async fn create_organisation(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    body: web::Json<CreateOrganisation>,
) -> Result<HttpResponse, ApiError> {
    let CreateOrganisation { handle, profile } = body.into_inner();
    let org = state
        .db
        .run(move |conn| organisations::create(conn, &handle, &profile, Some(&user.id)))
        .await?;
    Ok(HttpResponse::Created().json(organisation_view(&state, org)))
}

/// Checks the caller may edit, then applies `change` to the stored profile and saves it.
async fn edit_organisation(
    state: &AppState,
    user: User,
    handle: String,
    change: impl FnOnce(ProfileInput) -> Result<ProfileInput, AppError> + Send + 'static,
) -> Result<Organisation, ApiError> {
    let result = state
        .db
        .run(move |conn| {
            let current = organisations::get_editable(conn, &handle, &user)?;
            let input = change(to_input(&current))?;
            Ok::<_, AppError>(organisations::update(conn, &handle, &input)?)
        })
        .await?;
    Ok(result)
}

fn to_input(org: &Organisation) -> ProfileInput {
    let p = &org.profile;
    ProfileInput {
        name: p.name.clone(),
        summary: p.summary.clone(),
        country: p.country.clone(),
        regions: p.regions.clone(),
        languages: p.languages.clone(),
        kind: p.kind.clone(),
        people_supported: p.people_supported.clone(),
        wants_to_learn: p.wants_to_learn.clone(),
        offers_to_share: p.offers_to_share.clone(),
        hosts_events: p.hosts_events,
        accessibility_statement: p.accessibility_statement.clone(),
        contact_email: p.contact_email.clone(),
        contact_url: p.contact_url.clone(),
    }
}

#[utoipa::path(put, path = "/api/v1/organisations/{handle}", request_body = ProfileInput, responses(
    (status = 200, body = OrganisationView),
    (status = 403, body = ErrorView, description = "Not an editor of this organisation"),
    (status = 422, body = ErrorView)
))]
async fn replace_organisation(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<String>,
    body: web::Json<ProfileInput>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let org = edit_organisation(&state, user, path.into_inner(), move |_| Ok(input)).await?;
    Ok(HttpResponse::Ok().json(organisation_view(&state, org)))
}

#[utoipa::path(patch, path = "/api/v1/organisations/{handle}", request_body(content = serde_json::Value, description = "Any subset of the profile fields"), responses(
    (status = 200, body = OrganisationView),
    (status = 403, body = ErrorView),
    (status = 422, body = ErrorView)
))]
async fn patch_organisation(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<String>,
    body: web::Json<serde_json::Map<String, serde_json::Value>>,
) -> Result<HttpResponse, ApiError> {
    let changes = body.into_inner();
    let org = edit_organisation(&state, user, path.into_inner(), move |current| {
        let mut merged = serde_json::to_value(ProfileJson::from(current))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        if let Some(object) = merged.as_object_mut() {
            for (key, value) in changes {
                if !object.contains_key(&key) {
                    return Err(AppError::bad_request(
                        "unknown_field",
                        format!("'{key}' is not a profile field."),
                    ));
                }
                object.insert(key, value);
            }
        }
        serde_json::from_value::<ProfileInput>(merged).map_err(|e| {
            AppError::bad_request(
                "invalid_json",
                format!("The JSON body could not be read: {e}"),
            )
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(organisation_view(&state, org)))
}

/// The profile as JSON, for merging a PATCH into it.
#[derive(Serialize)]
struct ProfileJson {
    name: String,
    summary: String,
    country: String,
    regions: Vec<String>,
    languages: Vec<String>,
    kind: String,
    people_supported: Vec<String>,
    wants_to_learn: Vec<String>,
    offers_to_share: Vec<String>,
    hosts_events: bool,
    accessibility_statement: String,
    contact_email: Option<String>,
    contact_url: Option<String>,
}

impl From<ProfileInput> for ProfileJson {
    fn from(p: ProfileInput) -> Self {
        ProfileJson {
            name: p.name,
            summary: p.summary,
            country: p.country,
            regions: p.regions,
            languages: p.languages,
            kind: p.kind,
            people_supported: p.people_supported,
            wants_to_learn: p.wants_to_learn,
            offers_to_share: p.offers_to_share,
            hosts_events: p.hosts_events,
            accessibility_statement: p.accessibility_statement,
            contact_email: p.contact_email,
            contact_url: p.contact_url,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct FollowRequest {
    /// The peer organisation: `handle@host`, or its actor URL.
    pub target: String,
}

#[derive(Serialize, ToSchema)]
pub struct FollowView {
    /// The peer's handle as known here (`handle@host`).
    pub handle: String,
    pub name: String,
    /// `pending` until the peer accepts, then `accepted` (or `rejected`).
    pub state: String,
}

async fn editable_local(
    state: &AppState,
    user: User,
    handle: String,
) -> Result<Organisation, ApiError> {
    let org = state
        .db
        .run(move |conn| organisations::get_editable(conn, &handle, &user))
        .await?;
    Ok(org)
}

#[utoipa::path(get, path = "/api/v1/organisations/{handle}/follows", responses((status = 200, body = [FollowView]), (status = 403, body = ErrorView)))]
async fn list_follows(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let org = editable_local(&state, user, path.into_inner()).await?;
    let actor = crate::federation::actor_url(&state.config, &org.handle)
        .map_err(|e| AppError::Internal(e.to_string()))?
        .to_string();
    let rows = state
        .db
        .query(move |conn| crate::federation::routes::following_of(conn, &actor))
        .await?;
    let views: Vec<FollowView> = rows
        .into_iter()
        .map(|(handle, name, state)| FollowView {
            handle,
            name,
            state,
        })
        .collect();
    Ok(HttpResponse::Ok().json(views))
}

#[utoipa::path(post, path = "/api/v1/organisations/{handle}/follows", request_body = FollowRequest,
    responses((status = 202, body = FollowView, description = "The Follow was sent; the state becomes accepted when the peer answers"),
        (status = 403, body = ErrorView), (status = 422, body = ErrorView, description = "The peer could not be found or refused")))]
async fn follow_peer(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<String>,
    body: web::Json<FollowRequest>,
) -> Result<HttpResponse, ApiError> {
    let org = editable_local(&state, user, path.into_inner()).await?;
    let data = state.federation.to_request_data();
    let handle = crate::federation::routes::follow(&data, &org.handle, &body.target)
        .await
        .map_err(|e| {
            AppError::Invalid(vec![crate::accounts::field_error("target", e.to_string())])
        })?;
    let name = {
        let handle = handle.clone();
        state
            .db
            .run(move |conn| organisations::get(conn, &handle))
            .await?
            .profile
            .name
    };
    Ok(HttpResponse::Accepted().json(FollowView {
        handle,
        name,
        state: "pending".into(),
    }))
}

#[utoipa::path(delete, path = "/api/v1/organisations/{handle}/follows/{peer}", params(("handle" = String, Path), ("peer" = String, Path, description = "The peer's handle as listed, e.g. partners@mutual.example")),
    responses((status = 204, description = "Unfollowed; an Undo is sent to the peer"), (status = 404, body = ErrorView)))]
async fn unfollow_peer(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (handle, peer) = path.into_inner();
    let org = editable_local(&state, user, handle).await?;
    let data = state.federation.to_request_data();
    match crate::federation::routes::unfollow(&data, &org.handle, &peer).await {
        Ok(()) => Ok(HttpResponse::NoContent().finish()),
        Err(crate::federation::FederationError::NotFound) => Err(AppError::NotFound.into()),
        Err(e) => Err(AppError::Internal(e.to_string()).into()),
    }
}
