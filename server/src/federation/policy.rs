//! Which instances we talk to: open federation with a blocklist, or an allowlist (a
//! closed network of vetted providers). Blocked domains are refused inbound and never
//! delivered to. Domains are compared with their port, as the federation library does.

use activitypub_federation::config::UrlVerifier;
use async_trait::async_trait;
use diesel::prelude::*;
use url::Url;

use crate::config::FederationMode;
use crate::db::schema::federation_domains;
use crate::db::{self, Db, DbConn};

#[derive(Clone)]
pub struct DomainPolicy {
    pub db: Db,
    /// The configured mode, used until an administrator picks one on the admin page.
    pub default_mode: FederationMode,
}

/// `host` or `host:port`, lower-case, without a trailing dot.
pub fn domain_of(url: &Url) -> Option<String> {
    let host = url.host_str()?.trim_end_matches('.').to_lowercase();
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

pub fn normalise(domain: &str) -> Option<String> {
    let domain = domain.trim().trim_end_matches('.').to_lowercase();
    let valid = !domain.is_empty()
        && domain.len() <= 253
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    valid.then_some(domain)
}

pub fn set(conn: &mut DbConn, domain: &str, policy: &str, note: &str) -> QueryResult<()> {
    diesel::delete(federation_domains::table.filter(federation_domains::domain.eq(domain)))
        .execute(conn)?;
    diesel::insert_into(federation_domains::table)
        .values((
            federation_domains::domain.eq(domain),
            federation_domains::policy.eq(policy),
            federation_domains::note.eq(note),
            federation_domains::created_at.eq(db::now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn remove(conn: &mut DbConn, domain: &str) -> QueryResult<usize> {
    diesel::delete(federation_domains::table.filter(federation_domains::domain.eq(domain)))
        .execute(conn)
}

pub fn list(conn: &mut DbConn) -> QueryResult<Vec<(String, String, String)>> {
    federation_domains::table
        .order(federation_domains::domain.asc())
        .select((
            federation_domains::domain,
            federation_domains::policy,
            federation_domains::note,
        ))
        .load(conn)
}

/// The mode stored by the admin page overrides the configured default.
pub fn mode(conn: &mut DbConn, default: FederationMode) -> QueryResult<FederationMode> {
    Ok(match db::get_setting(conn, "federation_mode")?.as_deref() {
        Some("allowlist") => FederationMode::Allowlist,
        Some("open") => FederationMode::Open,
        _ => default,
    })
}

pub fn set_mode(conn: &mut DbConn, mode: FederationMode) -> QueryResult<()> {
    use crate::db::schema::instance_settings::dsl as s;
    let value = match mode {
        FederationMode::Open => "open",
        FederationMode::Allowlist => "allowlist",
    };
    diesel::delete(s::instance_settings.filter(s::key.eq("federation_mode"))).execute(conn)?;
    diesel::insert_into(s::instance_settings)
        .values((s::key.eq("federation_mode"), s::value.eq(value)))
        .execute(conn)?;
    Ok(())
}

/// Whether we may exchange anything with `domain`.
pub fn allowed(conn: &mut DbConn, domain: &str, default: FederationMode) -> QueryResult<bool> {
    let policy: Option<String> = federation_domains::table
        .filter(federation_domains::domain.eq(domain))
        .select(federation_domains::policy)
        .first(conn)
        .optional()?;
    Ok(match (mode(conn, default)?, policy.as_deref()) {
        (_, Some("block")) => false,
        (FederationMode::Open, _) => true,
        (FederationMode::Allowlist, Some("allow")) => true,
        (FederationMode::Allowlist, _) => false,
    })
}

#[async_trait]
impl UrlVerifier for DomainPolicy {
    async fn verify(&self, url: &Url) -> Result<(), activitypub_federation::error::Error> {
        let Some(domain) = domain_of(url) else {
            return Err(activitypub_federation::error::Error::UrlVerificationError(
                "the URL has no host",
            ));
        };
        let default = self.default_mode;
        let allowed = self
            .db
            .query(move |conn| allowed(conn, &domain, default))
            .await
            .unwrap_or(false);
        if allowed {
            Ok(())
        } else {
            Err(activitypub_federation::error::Error::UrlVerificationError(
                "this instance does not federate with that domain",
            ))
        }
    }
}
