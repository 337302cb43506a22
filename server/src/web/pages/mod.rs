//! Page handlers, grouped by what a person is doing. Each one reads its input, calls a
//! capability's plain functions and renders a template.

mod account;
mod admin;
mod organisations;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;

use super::error::PageError;
use super::templates::{self, PageContext, UserView};
use super::{csrf, AppState};
use crate::accounts::User;
use crate::db::DbError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/signup", web::get().to(account::signup_form))
        .route("/signup", web::post().to(account::signup))
        .route("/login", web::get().to(account::login_form))
        .route("/login", web::post().to(account::login))
        .route("/logout", web::post().to(account::logout))
        .route("/settings", web::get().to(account::settings))
        .route("/settings/tokens", web::post().to(account::create_token))
        .route(
            "/settings/tokens/{id}/revoke",
            web::post().to(account::revoke_token),
        )
        .route("/organisations", web::get().to(organisations::list))
        .route("/organisations", web::post().to(organisations::create))
        .route("/organisations/new", web::get().to(organisations::new_form))
        .route(
            "/organisations/{handle}",
            web::get().to(organisations::show),
        )
        .route(
            "/organisations/{handle}/edit",
            web::get().to(organisations::edit_form),
        )
        .route(
            "/organisations/{handle}/edit",
            web::post().to(organisations::update),
        )
        .route("/admin", web::get().to(admin::dashboard))
        .route("/admin/users/{id}/approve", web::post().to(admin::approve))
        .route("/admin/users/{id}/role", web::post().to(admin::change_role))
        .route(
            "/admin/users/{id}/status",
            web::post().to(admin::change_status),
        )
        .route(
            "/admin/invitations",
            web::post().to(admin::create_invitation),
        );
}

/// The context every template gets.
pub fn page(req: &HttpRequest, state: &AppState, user: Option<&User>) -> PageContext {
    PageContext {
        instance_name: state.config.instance_name.clone(),
        user: user.map(|u| UserView {
            id: u.id.clone(),
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            is_admin: u.is_admin(),
            is_staff: u.is_staff(),
        }),
        csrf_token: csrf::form_token(req, state),
        path: req.path().to_string(),
        lang: "en".into(),
    }
}

pub fn html(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body)
}

pub fn html_with_status(status: actix_web::http::StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body)
}

/// After a successful form post: 303 so a reload does not post again.
pub fn redirect(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

async fn home(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: super::auth::MaybeUser,
) -> Result<HttpResponse, PageError> {
    let (organisations, total) = state
        .db
        .run(|conn| crate::organisations::list(conn, 0, 12).map_err(DbError::from))
        .await?;
    let body = templates::render(
        "home.html",
        context! {
            page => page(&req, &state, user.0.as_ref()),
            organisations => organisations,
            total => total,
            registration => state.config.registration.as_str(),
        },
    )?;
    Ok(html(body))
}
