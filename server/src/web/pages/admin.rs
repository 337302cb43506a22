//! The administrators' page: approve sign-ups, change roles, suspend, invite.

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::{html, page, redirect};
use crate::accounts::{self, Role, Status};
use crate::db::DbError;
use crate::web::auth::{require_admin, RequireUser};
use crate::web::csrf::Form;
use crate::web::error::{AppError, PageError};
use crate::web::templates::render;
use crate::web::AppState;

async fn render_dashboard(
    req: &HttpRequest,
    state: &AppState,
    user: &accounts::User,
    invitation: Option<String>,
) -> Result<HttpResponse, PageError> {
    let default_mode = state.config.federation.mode;
    let (users, pending, jobs, domains, mode, reports) = state
        .db
        .run(move |conn| {
            Ok::<_, DbError>((
                accounts::list_users(conn)?,
                accounts::pending_users(conn)?,
                crate::jobs::counts(conn)?,
                crate::federation::policy::list(conn)?,
                crate::federation::policy::mode(conn, default_mode)?,
                crate::moderation::open_reports(conn)?,
            ))
        })
        .await?;
    let view = |u: &accounts::User| {
        context! {
            id => u.id, username => u.username, email => u.email, display_name => u.display_name,
            role => u.role, status => u.status, reason => u.sign_up_reason,
            created_at => u.created_at.format("%Y-%m-%d").to_string(),
        }
    };
    let body = render(
        "admin.html",
        context! {
            page => page(req, state, Some(user)),
            users => users.iter().map(view).collect::<Vec<_>>(),
            pending => pending.iter().map(view).collect::<Vec<_>>(),
            jobs => jobs.into_iter().map(|(state, count)| context! { state => state, count => count }).collect::<Vec<_>>(),
            registration => state.config.registration.as_str(),
            invitation => invitation,
            federation_mode => match mode { crate::config::FederationMode::Open => "open", crate::config::FederationMode::Allowlist => "allowlist" },
            reports => reports,
            domains => domains.into_iter().map(|(domain, policy, note)| context! { domain => domain, policy => policy, note => note }).collect::<Vec<_>>(),
        },
    )?;
    Ok(html(body))
}

pub async fn dashboard(
    req: HttpRequest,
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
) -> Result<HttpResponse, PageError> {
    require_admin(&user)?;
    render_dashboard(&req, &state, &user, None).await
}

#[derive(Debug, Deserialize)]
pub struct NoFields {}

pub async fn approve(
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    path: web::Path<String>,
    Form(_): Form<NoFields>,
) -> Result<HttpResponse, PageError> {
    require_admin(&user)?;
    let id = path.into_inner();
    let config = state.config.clone();
    state
        .db
        .run(move |conn| {
            crate::db::write_transaction(conn, |conn| {
                let user = accounts::approve(conn, &id)?;
                super::email_links::queue_approval(conn, &config, &user)?;
                Ok::<_, accounts::AccountError>(())
            })
        })
        .await?;
    Ok(redirect("/admin"))
}

#[derive(Debug, Deserialize)]
pub struct RoleForm {
    role: String,
}

pub async fn change_role(
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    path: web::Path<String>,
    Form(form): Form<RoleForm>,
) -> Result<HttpResponse, PageError> {
    require_admin(&user)?;
    let role = Role::parse(&form.role).ok_or_else(|| {
        AppError::bad_request("invalid_role", "Choose admin, moderator or member.")
    })?;
    let id = path.into_inner();
    if id == user.id && role != Role::Admin {
        return Err(AppError::bad_request(
            "own_role",
            "You cannot remove your own administrator role. Ask another administrator.",
        )
        .into());
    }
    state
        .db
        .run(move |conn| accounts::set_role(conn, &id, role))
        .await?;
    Ok(redirect("/admin"))
}

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    status: String,
}

pub async fn change_status(
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    path: web::Path<String>,
    Form(form): Form<StatusForm>,
) -> Result<HttpResponse, PageError> {
    require_admin(&user)?;
    let status = match Status::parse(&form.status) {
        Some(s @ (Status::Active | Status::Suspended)) => s,
        _ => {
            return Err(
                AppError::bad_request("invalid_status", "Choose active or suspended.").into(),
            )
        }
    };
    let id = path.into_inner();
    if id == user.id {
        return Err(AppError::bad_request("own_status", "You cannot suspend yourself.").into());
    }
    state
        .db
        .run(move |conn| accounts::set_status(conn, &id, status).map(|_| ()))
        .await?;
    Ok(redirect("/admin"))
}

pub async fn create_invitation(
    req: HttpRequest,
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    Form(_): Form<NoFields>,
) -> Result<HttpResponse, PageError> {
    require_admin(&user)?;
    let creator = user.id.clone();
    let code = state
        .db
        .run(move |conn| {
            accounts::create_invitation(conn, Some(&creator), 14).map_err(DbError::from)
        })
        .await?;
    render_dashboard(&req, &state, &user, Some(code)).await
}

#[derive(Debug, Deserialize)]
pub struct ModeForm {
    mode: String,
}

pub async fn federation_mode(
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    Form(form): Form<ModeForm>,
) -> Result<HttpResponse, PageError> {
    require_admin(&user)?;
    let mode = match form.mode.as_str() {
        "open" => crate::config::FederationMode::Open,
        "allowlist" => crate::config::FederationMode::Allowlist,
        _ => return Err(AppError::bad_request("invalid_mode", "Choose open or allowlist.").into()),
    };
    state
        .db
        .query(move |conn| crate::federation::policy::set_mode(conn, mode))
        .await?;
    Ok(redirect("/admin#federation"))
}

#[derive(Debug, Deserialize)]
pub struct DomainForm {
    domain: String,
    /// `allow`, `block` or `remove`.
    policy: String,
    #[serde(default)]
    note: String,
}

pub async fn federation_domain(
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    Form(form): Form<DomainForm>,
) -> Result<HttpResponse, PageError> {
    require_admin(&user)?;
    let domain = crate::federation::policy::normalise(&form.domain).ok_or_else(|| {
        AppError::bad_request(
            "invalid_domain",
            "Give a domain such as mutual.example.org, with a port if it has one.",
        )
    })?;
    let policy = form.policy.clone();
    if !matches!(policy.as_str(), "allow" | "block" | "remove") {
        return Err(
            AppError::bad_request("invalid_policy", "Choose allow, block or remove.").into(),
        );
    }
    let note: String = form.note.trim().chars().take(500).collect();
    state
        .db
        .query(move |conn| {
            if policy == "remove" {
                crate::federation::policy::remove(conn, &domain).map(|_| ())
            } else {
                crate::federation::policy::set(conn, &domain, &policy, &note)
            }
        })
        .await?;
    Ok(redirect("/admin#federation"))
}

pub async fn resolve_report(
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    path: web::Path<String>,
    Form(_): Form<NoFields>,
) -> Result<HttpResponse, PageError> {
    if !user.is_staff() {
        return Err(
            AppError::Forbidden("Only moderators and administrators can do this.".into()).into(),
        );
    }
    let id = path.into_inner();
    let resolved = state
        .db
        .query(move |conn| crate::moderation::resolve(conn, &id))
        .await?;
    if !resolved {
        return Err(AppError::NotFound.into());
    }
    Ok(redirect(if user.is_admin() {
        "/admin#reports"
    } else {
        "/moderation"
    }))
}

/// Moderators' page: open reports (administrators see the same on the admin page).
pub async fn moderation(
    req: HttpRequest,
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
) -> Result<HttpResponse, PageError> {
    if !user.is_staff() {
        return Err(AppError::Forbidden(
            "Only moderators and administrators can see reports.".into(),
        )
        .into());
    }
    let reports = state.db.query(crate::moderation::open_reports).await?;
    let body = render(
        "moderation.html",
        context! { page => page(&req, &state, Some(&user)), reports => reports },
    )?;
    Ok(html(body))
}
