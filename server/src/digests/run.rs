//! Composing and sending digests, safely repeatable.
//!
//! A run first writes one `digest_deliveries` row per member and period (the unique key
//! makes a second run, or a second server, skip what is already planned), then sends each
//! row: `pending` → `sending` (with its Message-ID fixed) → `sent`, or `empty` when nothing
//! is new, or `failed` when the address is refused for good. A run that stops halfway
//! leaves rows that the next run picks up; a row that is `sent` is never sent again. The one
//! case no program can close is a crash between the mail server accepting a message and the
//! row being marked `sent`: that row is sent again, with the same Message-ID, so the two
//! copies are recognisably one message.

use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use minijinja::context;
use serde::Serialize;

use super::follows::{self, FollowKind};
use super::schedule::{self, Period};
use super::settings::{self, DigestSettings};
use super::{unsubscribe, DigestError};
use crate::accounts::{self, User};
use crate::config::Config;
use crate::db::schema::{digest_deliveries, digest_settings, member_follows, users};
use crate::db::{self, Db, DbConn};
use crate::mail::{MailError, Mailer, Outgoing};
use crate::search::{DocType, Facet, Search, SearchQuery, Sort};

/// Pauses a member's digests after this many refusals in a row.
pub const BOUNCES_BEFORE_PAUSE: i32 = 3;
/// Digests sent at the same time (within lettre's pool of SMTP connections).
const PARALLEL_SENDS: usize = 8;
/// Passing failures are retried this many times, with pauses growing to six hours (about two
/// days in all), before a delivery fails.
pub const MAX_ATTEMPTS: i32 = 16;
/// At most this many items per section: a digest is a summary, the site has the rest.
const ITEMS_PER_SECTION: usize = 10;

#[derive(Debug, Clone, Serialize)]
pub struct DigestItem {
    pub title: String,
    pub url: String,
    pub type_label: String,
    pub organisation_name: String,
    pub lang: String,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DigestSection {
    pub heading: String,
    pub items: Vec<DigestItem>,
}

/// What a run did or would do for one member.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedDigest {
    pub user_id: String,
    pub username: String,
    pub email: String,
    pub period: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    Empty,
    AlreadyDone,
    Failed,
}

pub struct DigestService {
    pub db: Db,
    pub search: Arc<Search>,
    pub mailer: Arc<Mailer>,
    pub config: Arc<Config>,
    secret: Vec<u8>,
}

impl DigestService {
    pub async fn new(
        db: Db,
        search: Arc<Search>,
        mailer: Arc<Mailer>,
        config: Arc<Config>,
    ) -> Result<DigestService, DigestError> {
        let secret = db
            .query(|conn| {
                db::get_or_init_setting(conn, "secret_key", || {
                    crate::accounts::tokens::random_token("")
                })
            })
            .await?;
        Ok(DigestService {
            db,
            search,
            mailer,
            config,
            secret: secret.into_bytes(),
        })
    }

    pub fn secret(&self) -> &[u8] {
        &self.secret
    }

    /// Members whose digest for the current period is due and not yet planned.
    pub async fn due(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<(User, DigestSettings, Period)>, DigestError> {
        self.db
            .run(move |conn| {
                // Three queries whatever the number of members: this runs every minute.
                let followers: Vec<User> = users::table
                    .filter(users::id.eq_any(member_follows::table.select(member_follows::user_id)))
                    .filter(users::status.eq(accounts::Status::Active.as_str()))
                    .filter(users::email_confirmed_at.is_not_null())
                    .select(User::as_select())
                    .load(conn)?;
                let mut saved = settings::all_saved(conn)?;
                let mut candidates = Vec::new();
                for user in followers {
                    let settings = saved.remove(&user.id).unwrap_or_default();
                    if let Some(period) = schedule::due_period(&settings, now) {
                        candidates.push((user, settings, period));
                    }
                }
                let periods: std::collections::BTreeSet<&str> =
                    candidates.iter().map(|(_, _, p)| p.key.as_str()).collect();
                let planned: std::collections::HashSet<(String, String)> = digest_deliveries::table
                    .filter(digest_deliveries::period.eq_any(periods))
                    .select((digest_deliveries::user_id, digest_deliveries::period))
                    .load::<(String, String)>(conn)?
                    .into_iter()
                    .collect();
                let mut due: Vec<(User, DigestSettings, Period)> = candidates
                    .into_iter()
                    .filter(|(user, _, period)| {
                        !planned.contains(&(user.id.clone(), period.key.clone()))
                    })
                    .collect();
                due.sort_by(|a, b| a.0.username.cmp(&b.0.username));
                Ok::<_, DigestError>(due)
            })
            .await
    }

    /// Writes the delivery rows for everyone due. Returns what was planned.
    pub async fn plan(&self, now: DateTime<Utc>) -> Result<Vec<PlannedDigest>, DigestError> {
        let due = self.due(now).await?;
        let mut planned = Vec::new();
        for (user, settings, period) in due {
            let user_id = user.id.clone();
            let key = period.key.clone();
            let created = self
                .db
                .run(move |conn| plan_one(conn, &user_id, &settings, &key, now.naive_utc()))
                .await?;
            if created.is_some() {
                planned.push(PlannedDigest {
                    user_id: user.id,
                    username: user.username,
                    email: user.email,
                    period: period.key,
                });
            }
        }
        Ok(planned)
    }

    /// Deliveries not finished yet (planned, or interrupted while sending) whose next
    /// attempt is due.
    pub async fn unfinished(&self, now: DateTime<Utc>) -> Result<Vec<String>, DigestError> {
        let now = now.naive_utc();
        Ok(self
            .db
            .query(move |conn| {
                digest_deliveries::table
                    .filter(digest_deliveries::status.eq_any(["pending", "sending"]))
                    .filter(
                        digest_deliveries::next_attempt_at
                            .is_null()
                            .or(digest_deliveries::next_attempt_at.le(now)),
                    )
                    .order(digest_deliveries::created_at.asc())
                    .select(digest_deliveries::id)
                    .load(conn)
            })
            .await?)
    }

    /// The sections of a member's digest for a window.
    pub async fn compose(
        &self,
        user: &User,
        start: NaiveDateTime,
        end: NaiveDateTime,
    ) -> Result<Vec<DigestSection>, DigestError> {
        let lang = crate::i18n::language_for(user.locale.as_deref());
        let heading = |id: &str, name: &str, value: String| {
            crate::i18n::t_args(&lang, id, &crate::i18n::args(&[(name, value.into())]))
        };
        let id = user.id.clone();
        let follows = self.db.query(move |conn| follows::list(conn, &id)).await?;
        let (start, end) = (start.and_utc().timestamp(), end.and_utc().timestamp());
        let mut seen = std::collections::HashSet::new();
        let mut sections = Vec::new();
        for follow in follows {
            let (query, heading) = match follow.kind {
                FollowKind::Organisation => (
                    SearchQuery::new("").filter(Facet::Org, follow.target.clone()),
                    heading("mail-digest-from", "organisation", follow.label.clone()),
                ),
                FollowKind::Topic => (
                    SearchQuery::new("").filter(Facet::Topic, follow.target.clone()),
                    heading(
                        "mail-digest-about",
                        "topic",
                        crate::taxonomy::Taxonomy::get().label_in(
                            &lang,
                            crate::taxonomy::LEARNING_TOPICS,
                            &follow.target,
                        ),
                    ),
                ),
                FollowKind::Search => match follows::parse_search(&follow.target) {
                    Some(query) => (
                        query,
                        heading("mail-digest-matching", "search", follow.label.clone()),
                    ),
                    None => continue,
                },
            };
            let results = self
                .search
                .search(&query.sorted(Sort::Date).paged(1, 100))
                .await
                .map_err(|e| DigestError::Other(e.to_string()))?;
            let items: Vec<DigestItem> = results
                .hits
                .into_iter()
                .filter(|h| h.doc_type != DocType::Organisation)
                .filter(|h| h.published > start && h.published <= end)
                .filter(|h| seen.insert(h.id.clone()))
                .take(ITEMS_PER_SECTION)
                .map(|h| DigestItem {
                    url: self.config.absolute_url(&h.path),
                    title: h.title,
                    type_label: h.doc_type.label_in(&lang),
                    organisation_name: h.organisation_name,
                    lang: h.lang,
                    summary: crate::search::query::excerpt(&h.summary, 300),
                })
                .collect();
            if !items.is_empty() {
                sections.push(DigestSection { heading, items });
            }
        }
        Ok(sections)
    }

    /// The message for a member (used by sending and by `mutual digest preview`).
    pub fn message(
        &self,
        user: &User,
        sections: &[DigestSection],
        message_id: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Outgoing, MailError> {
        let token = unsubscribe::token(&self.secret, &user.id, now);
        let unsubscribe_url = self.config.absolute_url(&format!("/unsubscribe/{token}"));
        let settings_url = self
            .config
            .absolute_url(&format!("/email-settings/{token}"));
        let instance = self.config.display_name();
        let count: usize = sections.iter().map(|s| s.items.len()).sum();
        let lang = crate::i18n::language_for(user.locale.as_deref());
        let subject = crate::i18n::t_args(
            &lang,
            "mail-digest-subject",
            &crate::i18n::args(&[
                ("count", fluent_bundle::FluentValue::from(count)),
                (
                    "instance",
                    fluent_bundle::FluentValue::from(instance.as_str()),
                ),
            ]),
        );
        let (text, html) = crate::mail::render_pair(
            "digest",
            context! {
                ui_lang => lang,
                name => user.display_name, instance => instance, sections => sections,
                count => count, unsubscribe_url => unsubscribe_url, settings_url => settings_url,
            },
        )?;
        Ok(Outgoing {
            to: user.email.clone(),
            to_name: Some(user.display_name.clone()),
            subject,
            text,
            html: Some(html),
            headers: vec![
                ("List-Unsubscribe".into(), format!("<{unsubscribe_url}>")),
                (
                    "List-Unsubscribe-Post".into(),
                    "List-Unsubscribe=One-Click".into(),
                ),
            ],
            message_id,
        })
    }

    /// Sends one planned delivery (or finishes an interrupted one).
    pub async fn send(
        &self,
        delivery_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Outcome, DigestError> {
        let id = delivery_id.to_string();
        let row: (String, String, NaiveDateTime, NaiveDateTime, Option<String>) = self
            .db
            .query(move |conn| {
                digest_deliveries::table
                    .filter(digest_deliveries::id.eq(&id))
                    .select((
                        digest_deliveries::user_id,
                        digest_deliveries::status,
                        digest_deliveries::window_start,
                        digest_deliveries::window_end,
                        digest_deliveries::message_id,
                    ))
                    .first(conn)
            })
            .await?;
        let (user_id, status, start, end, message_id) = row;
        if !matches!(status.as_str(), "pending" | "sending") {
            return Ok(Outcome::AlreadyDone);
        }
        let uid = user_id.clone();
        let user = self
            .db
            .run(move |conn| accounts::get_user(conn, &uid).map_err(|_| DigestError::NotFound))
            .await?;
        let sections = self.compose(&user, start, end).await?;
        let items: i32 = sections.iter().map(|s| s.items.len() as i32).sum();
        if items == 0 {
            self.finish(delivery_id, "empty", 0, None).await?;
            return Ok(Outcome::Empty);
        }
        let message_id =
            message_id.unwrap_or_else(|| format!("<digest.{delivery_id}@{}>", self.mailer.host()));
        let outgoing = self
            .message(&user, &sections, Some(message_id.clone()), now)
            .map_err(|e| DigestError::Other(e.to_string()))?;
        let id = delivery_id.to_string();
        let mid = message_id.clone();
        self.db
            .query(move |conn| {
                diesel::update(digest_deliveries::table.filter(digest_deliveries::id.eq(&id)))
                    .set((
                        digest_deliveries::status.eq("sending"),
                        digest_deliveries::message_id.eq(&mid),
                        digest_deliveries::attempts.eq(digest_deliveries::attempts + 1),
                        digest_deliveries::items.eq(items),
                    ))
                    .execute(conn)
            })
            .await?;
        match self.mailer.send(&outgoing).await {
            Ok(_) => {
                self.finish(delivery_id, "sent", items, None).await?;
                let uid = user.id.clone();
                self.db
                    .query(move |conn| {
                        diesel::update(
                            digest_settings::table.filter(digest_settings::user_id.eq(&uid)),
                        )
                        .set(digest_settings::bounces.eq(0))
                        .execute(conn)
                    })
                    .await?;
                Ok(Outcome::Sent)
            }
            Err(e) if e.is_permanent() => {
                self.finish(delivery_id, "failed", items, Some(e.to_string()))
                    .await?;
                let uid = user.id.clone();
                self.db.run(move |conn| record_bounce(conn, &uid)).await?;
                Ok(Outcome::Failed)
            }
            Err(e) => {
                let id = delivery_id.to_string();
                let error = e.to_string();
                let attempts = self
                    .db
                    .query(move |conn| {
                        let attempts: i32 = digest_deliveries::table
                            .filter(digest_deliveries::id.eq(&id))
                            .select(digest_deliveries::attempts)
                            .first(conn)?;
                        // Retried with growing pauses (as deliveries to peers are), for
                        // about two days, then recorded as failed.
                        let (status, next) = if attempts >= MAX_ATTEMPTS {
                            ("failed", None)
                        } else {
                            (
                                "pending",
                                Some(now.naive_utc() + crate::jobs::backoff(attempts)),
                            )
                        };
                        diesel::update(
                            digest_deliveries::table.filter(digest_deliveries::id.eq(&id)),
                        )
                        .set((
                            digest_deliveries::status.eq(status),
                            digest_deliveries::next_attempt_at.eq(next),
                            digest_deliveries::last_error.eq(&error),
                        ))
                        .execute(conn)?;
                        Ok(attempts)
                    })
                    .await?;
                if attempts >= MAX_ATTEMPTS {
                    return Ok(Outcome::Failed);
                }
                Err(DigestError::Transient(e.to_string()))
            }
        }
    }

    async fn finish(
        &self,
        delivery_id: &str,
        status: &'static str,
        items: i32,
        error: Option<String>,
    ) -> Result<(), DigestError> {
        let id = delivery_id.to_string();
        self.db
            .query(move |conn| {
                diesel::update(digest_deliveries::table.filter(digest_deliveries::id.eq(&id)))
                    .set((
                        digest_deliveries::status.eq(status),
                        digest_deliveries::items.eq(items),
                        digest_deliveries::last_error.eq(error),
                        digest_deliveries::sent_at.eq(db::now()),
                    ))
                    .execute(conn)
            })
            .await?;
        Ok(())
    }

    /// Plans what is due, then sends everything unfinished, one after another.
    pub async fn run_now(&self, now: DateTime<Utc>) -> Result<RunReport, DigestError> {
        let planned = self.plan(now).await?.len();
        let mut report = RunReport {
            planned,
            ..RunReport::default()
        };
        // Several at once: each message spends most of its time waiting on the mail server.
        use futures_util::stream::{self, StreamExt};
        let ids = self.unfinished(now).await?;
        let mut results = stream::iter(ids)
            .map(|id| async move {
                let outcome = self.send(&id, now).await;
                (id, outcome)
            })
            .buffer_unordered(PARALLEL_SENDS);
        while let Some((id, outcome)) = results.next().await {
            match outcome {
                Ok(Outcome::Sent) => report.sent += 1,
                Ok(Outcome::Empty) => report.empty += 1,
                Ok(Outcome::Failed) => report.failed += 1,
                Ok(Outcome::AlreadyDone) => {}
                Err(DigestError::Transient(e)) => {
                    tracing::warn!(delivery = %id, error = %e, "digest not sent yet");
                    report.retry += 1;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(report)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunReport {
    pub planned: usize,
    pub sent: usize,
    pub empty: usize,
    pub failed: usize,
    pub retry: usize,
}

/// The window of a new delivery starts where the member's last one ended (nothing is missed
/// between digests), or one period back for a first digest.
fn plan_one(
    conn: &mut DbConn,
    user_id: &str,
    settings: &DigestSettings,
    period: &str,
    now: NaiveDateTime,
) -> Result<Option<String>, DigestError> {
    let last_end: Option<NaiveDateTime> = digest_deliveries::table
        .filter(digest_deliveries::user_id.eq(user_id))
        .select(diesel::dsl::max(digest_deliveries::window_end))
        .first(conn)?;
    let start = last_end.unwrap_or(now - schedule::first_window(settings));
    let id = db::new_id();
    let inserted = diesel::insert_into(digest_deliveries::table)
        .values((
            digest_deliveries::id.eq(&id),
            digest_deliveries::user_id.eq(user_id),
            digest_deliveries::period.eq(period),
            digest_deliveries::window_start.eq(start),
            digest_deliveries::window_end.eq(now),
            digest_deliveries::status.eq("pending"),
            digest_deliveries::created_at.eq(now),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(Some(id)),
        // Another run planned it first.
        Err(e) if db::is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

fn record_bounce(conn: &mut DbConn, user_id: &str) -> Result<(), DigestError> {
    let current = settings::get(conn, user_id)?;
    let exists: i64 = digest_settings::table
        .filter(digest_settings::user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    if exists == 0 {
        settings::save(conn, user_id, &current)?;
    }
    diesel::update(digest_settings::table.filter(digest_settings::user_id.eq(user_id)))
        .set(digest_settings::bounces.eq(digest_settings::bounces + 1))
        .execute(conn)?;
    diesel::update(
        digest_settings::table
            .filter(digest_settings::user_id.eq(user_id))
            .filter(digest_settings::bounces.ge(BOUNCES_BEFORE_PAUSE)),
    )
    .set(digest_settings::paused_at.eq(db::now()))
    .execute(conn)?;
    Ok(())
}
