//! How often, and when, a member gets a digest.

use std::str::FromStr;

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::DigestError;
use crate::accounts::field_error;
use crate::db::schema::digest_settings;
use crate::db::{self, DbConn};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Frequency {
    Daily,
    Weekly,
    Never,
}

impl Frequency {
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
            Frequency::Never => "never",
        }
    }
    pub fn parse(text: &str) -> Option<Frequency> {
        match text {
            "daily" => Some(Frequency::Daily),
            "weekly" => Some(Frequency::Weekly),
            "never" => Some(Frequency::Never),
            _ => None,
        }
    }
}

/// A member's digest settings. `hour` is 0–23 and `weekday` 1 (Monday) to 7 (Sunday), both
/// in `timezone` (an IANA name such as `Europe/Helsinki`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DigestSettings {
    pub frequency: Frequency,
    pub hour: u32,
    pub weekday: u32,
    pub timezone: String,
    /// Set when mail to the member's address kept being refused; no digest is sent until
    /// they save their settings again.
    #[serde(default)]
    pub paused: bool,
}

impl Default for DigestSettings {
    fn default() -> Self {
        DigestSettings {
            frequency: Frequency::Weekly,
            hour: 8,
            weekday: 1,
            timezone: "UTC".into(),
            paused: false,
        }
    }
}

impl DigestSettings {
    pub fn tz(&self) -> chrono_tz::Tz {
        chrono_tz::Tz::from_str(&self.timezone).unwrap_or(chrono_tz::UTC)
    }
}

/// Settings as typed into the form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SettingsInput {
    pub frequency: String,
    #[serde(default)]
    pub hour: Option<u32>,
    #[serde(default)]
    pub weekday: Option<u32>,
    #[serde(default)]
    pub timezone: Option<String>,
}

impl SettingsInput {
    pub fn validate(&self, current: &DigestSettings) -> Result<DigestSettings, DigestError> {
        let mut errors = Vec::new();
        let frequency = Frequency::parse(self.frequency.trim()).unwrap_or_else(|| {
            errors.push(field_error("frequency", "Choose daily, weekly or never."));
            current.frequency
        });
        let hour = self.hour.unwrap_or(current.hour);
        if hour > 23 {
            errors.push(field_error("hour", "Choose an hour from 0 to 23."));
        }
        let weekday = self.weekday.unwrap_or(current.weekday);
        if !(1..=7).contains(&weekday) {
            errors.push(field_error("weekday", "Choose a day of the week."));
        }
        let timezone = self
            .timezone
            .as_deref()
            .map(str::trim)
            .unwrap_or(&current.timezone)
            .to_string();
        if chrono_tz::Tz::from_str(&timezone).is_err() {
            errors.push(field_error(
                "timezone",
                "Choose a time zone from the list, such as Europe/London.",
            ));
        }
        if errors.is_empty() {
            Ok(DigestSettings {
                frequency,
                hour,
                weekday,
                timezone,
                paused: false,
            })
        } else {
            Err(DigestError::Invalid(errors))
        }
    }
}

type SettingsRow = (String, i32, i32, String, Option<chrono::NaiveDateTime>);

fn from_row((frequency, hour, weekday, timezone, paused_at): SettingsRow) -> DigestSettings {
    DigestSettings {
        frequency: Frequency::parse(&frequency).unwrap_or(Frequency::Weekly),
        hour: hour.clamp(0, 23) as u32,
        weekday: weekday.clamp(1, 7) as u32,
        timezone,
        paused: paused_at.is_some(),
    }
}

pub fn get(conn: &mut DbConn, user_id: &str) -> QueryResult<DigestSettings> {
    let row: Option<SettingsRow> = digest_settings::table
        .filter(digest_settings::user_id.eq(user_id))
        .select((
            digest_settings::frequency,
            digest_settings::hour,
            digest_settings::weekday,
            digest_settings::timezone,
            digest_settings::paused_at,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(from_row).unwrap_or_default())
}

/// Every member's saved settings, by member id, in one query (the scheduler looks at all
/// of them each minute). Members missing here have the defaults.
pub fn all_saved(
    conn: &mut DbConn,
) -> QueryResult<std::collections::HashMap<String, DigestSettings>> {
    let rows: Vec<(String, SettingsRow)> = digest_settings::table
        .select((
            digest_settings::user_id,
            (
                digest_settings::frequency,
                digest_settings::hour,
                digest_settings::weekday,
                digest_settings::timezone,
                digest_settings::paused_at,
            ),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(user_id, row)| (user_id, from_row(row)))
        .collect())
}

/// Saves settings; saving also lifts a pause after refused mail (the member has seen the
/// problem and may have fixed their address).
pub fn save(conn: &mut DbConn, user_id: &str, settings: &DigestSettings) -> QueryResult<()> {
    let now = db::now();
    db::write_transaction(conn, |conn| {
        diesel::delete(digest_settings::table.filter(digest_settings::user_id.eq(user_id)))
            .execute(conn)?;
        diesel::insert_into(digest_settings::table)
            .values((
                digest_settings::user_id.eq(user_id),
                digest_settings::frequency.eq(settings.frequency.as_str()),
                digest_settings::hour.eq(settings.hour as i32),
                digest_settings::weekday.eq(settings.weekday as i32),
                digest_settings::timezone.eq(&settings.timezone),
                digest_settings::bounces.eq(0),
                digest_settings::updated_at.eq(now),
            ))
            .execute(conn)
            .map(|_| ())
    })
}

/// Unsubscribing: frequency `never`, everything else kept.
pub fn unsubscribe(conn: &mut DbConn, user_id: &str) -> QueryResult<()> {
    let mut settings = get(conn, user_id)?;
    settings.frequency = Frequency::Never;
    save(conn, user_id, &settings)
}

/// Time zones to offer in a list.
pub fn time_zones() -> impl Iterator<Item = &'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())
}
