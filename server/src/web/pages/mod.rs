//! Page handlers, grouped by what a person is doing. Each one reads its input, calls a
//! capability's plain functions and renders a template.

mod account;
mod admin;
mod content;
mod digests;
mod email_links;

pub use content::choice_lists;
pub use email_links::queue_approval;
mod isf_form;
mod organisations;
mod search;

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
        .route(
            "/confirm-email/{token}",
            web::get().to(email_links::confirm_email),
        )
        .route("/follows", web::post().to(digests::follow))
        .route("/follows/{id}/remove", web::post().to(digests::unfollow))
        .route("/settings/digest", web::post().to(digests::save_digest))
        .route(
            "/unsubscribe/{token}",
            web::get().to(digests::unsubscribe_link),
        )
        .route(
            "/unsubscribe/{token}",
            web::post().to(digests::unsubscribe_one_click),
        )
        .route(
            "/email-settings/{token}",
            web::get().to(digests::email_settings),
        )
        .route(
            "/email-settings/{token}",
            web::post().to(digests::save_email_settings),
        )
        .route("/password/forgot", web::get().to(email_links::forgot_form))
        .route("/password/forgot", web::post().to(email_links::forgot))
        .route(
            "/password/reset/{token}",
            web::get().to(email_links::reset_form),
        )
        .route(
            "/password/reset/{token}",
            web::post().to(email_links::reset),
        )
        .route("/settings", web::get().to(account::settings))
        .route("/language", web::post().to(account::choose_language))
        .route("/settings/tokens", web::post().to(account::create_token))
        .route(
            "/settings/tokens/{id}/revoke",
            web::post().to(account::revoke_token),
        )
        .route("/search", web::get().to(search::search))
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
        .route(
            "/organisations/{handle}/follow",
            web::post().to(organisations::follow),
        )
        .route(
            "/organisations/{handle}/unfollow",
            web::post().to(organisations::unfollow),
        )
        .route(
            "/admin/federation/mode",
            web::post().to(admin::federation_mode),
        )
        .route(
            "/admin/federation/domains",
            web::post().to(admin::federation_domain),
        )
        .route("/stories", web::get().to(content::directory))
        .route("/guides", web::get().to(content::directory))
        .route("/isf-templates", web::get().to(content::directory))
        .route(
            "/organisations/{handle}/{segment}",
            web::get().to(content::organisation_items),
        )
        .route(
            "/organisations/{handle}/{segment}",
            web::post().to(content::create),
        )
        .route(
            "/organisations/{handle}/{segment}/new",
            web::get().to(content::new_form),
        )
        .route(
            "/organisations/{handle}/{segment}/{slug}",
            web::get().to(content::show),
        )
        .route(
            "/organisations/{handle}/{segment}/{slug}/edit",
            web::get().to(content::edit_form),
        )
        .route(
            "/organisations/{handle}/{segment}/{slug}/edit",
            web::post().to(content::update),
        )
        .route(
            "/organisations/{handle}/{segment}/{slug}/revisions",
            web::get().to(content::revisions),
        )
        .route(
            "/organisations/{handle}/{segment}/{slug}/diff",
            web::get().to(content::revision_diff),
        )
        .route(
            "/organisations/{handle}/{segment}/{slug}/print",
            web::get().to(content::print),
        )
        .route(
            "/organisations/{handle}/{segment}/{slug}/review",
            web::get().to(content::review),
        )
        .route(
            "/organisations/{handle}/{segment}/{slug}/flags/{flag}",
            web::post().to(content::resolve_flag),
        )
        .route(
            "/organisations/{handle}/{segment}/{slug}/share",
            web::post().to(content::share),
        )
        .route(
            "/organisations/{handle}/{segment}/{slug}/report",
            web::post().to(content::report),
        )
        .route(
            "/admin/reports/{id}/resolve",
            web::post().to(admin::resolve_report),
        )
        .route(
            "/organisations/{handle}/{segment}/{slug}/{action}",
            web::post().to(content::action),
        )
        .route(
            "/organisations/{handle}/{segment}/{slug}/{export}",
            web::get().to(content::export),
        )
        .route("/moderation", web::get().to(admin::moderation))
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
        lang: interface_language(req, user),
        languages: crate::i18n::Catalogues::get()
            .all()
            .iter()
            .map(|c| (c.lang.clone(), c.name.clone()))
            .collect(),
    }
}

/// The member's own choice, then the visitor's cookie, then `Accept-Language`.
pub fn interface_language(req: &HttpRequest, user: Option<&User>) -> String {
    let cookie = req.cookie(crate::i18n::LANGUAGE_COOKIE);
    crate::i18n::Catalogues::get().choose(
        user.and_then(|u| u.locale.as_deref()),
        cookie.as_ref().map(|c| c.value()),
        req.headers()
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
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
