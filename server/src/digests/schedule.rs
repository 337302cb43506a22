//! When a digest is due: pure functions of a member's settings and the time.
//!
//! A period is a local calendar day (`daily:2026-11-23`) or ISO week (`weekly:2026-W48`) in
//! the member's time zone. The digest of a period is due from the member's chosen hour (and,
//! weekly, day) in that period; once a delivery row for the period exists it is never due
//! again, whatever happens after — that row is what makes runs repeatable.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};

use super::settings::{DigestSettings, Frequency};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub key: String,
    /// When the digest of this period becomes due.
    pub due_at: DateTime<Utc>,
}

/// The local moment `date` at `hour`:00 as UTC. A clock gap (spring forward) moves it to the
/// first valid hour after; a repeated hour takes the first.
fn local_at(settings: &DigestSettings, date: NaiveDate, hour: u32) -> DateTime<Utc> {
    let tz = settings.tz();
    for h in hour..24 {
        if let Some(naive) = date.and_hms_opt(h, 0, 0) {
            if let Some(t) = tz.from_local_datetime(&naive).earliest() {
                return t.with_timezone(&Utc);
            }
        }
    }
    Utc.from_utc_datetime(&date.and_hms_opt(hour.min(23), 0, 0).unwrap_or_default())
}

/// The period `now` falls in for this member, if they get digests at all.
pub fn current_period(settings: &DigestSettings, now: DateTime<Utc>) -> Option<Period> {
    let local_date = now.with_timezone(&settings.tz()).date_naive();
    match settings.frequency {
        Frequency::Never => None,
        Frequency::Daily => Some(Period {
            key: format!("daily:{}", local_date.format("%Y-%m-%d")),
            due_at: local_at(settings, local_date, settings.hour),
        }),
        Frequency::Weekly => {
            let week = local_date.iso_week();
            let monday = local_date
                - chrono::Duration::days(i64::from(local_date.weekday().num_days_from_monday()));
            let day = monday + chrono::Duration::days(i64::from(settings.weekday.clamp(1, 7) - 1));
            Some(Period {
                key: format!("weekly:{}-W{:02}", week.year(), week.week()),
                due_at: local_at(settings, day, settings.hour),
            })
        }
    }
}

/// The period whose digest should go out now, if one is due.
pub fn due_period(settings: &DigestSettings, now: DateTime<Utc>) -> Option<Period> {
    if settings.paused {
        return None;
    }
    current_period(settings, now).filter(|p| now >= p.due_at)
}

/// How far back a first digest looks when there is no earlier one.
pub fn first_window(settings: &DigestSettings) -> chrono::Duration {
    match settings.frequency {
        Frequency::Daily => chrono::Duration::days(1),
        _ => chrono::Duration::days(7),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("time")
            .with_timezone(&Utc)
    }

    fn settings(frequency: Frequency, hour: u32, weekday: u32, tz: &str) -> DigestSettings {
        DigestSettings {
            frequency,
            hour,
            weekday,
            timezone: tz.into(),
            paused: false,
        }
    }

    #[test]
    fn daily_digests_are_due_from_the_local_hour() {
        let helsinki = settings(Frequency::Daily, 7, 1, "Europe/Helsinki");
        // 04:59 UTC is 06:59 in Helsinki (UTC+2 in November): not yet.
        assert_eq!(due_period(&helsinki, at("2026-11-23T04:59:00Z")), None);
        let due = due_period(&helsinki, at("2026-11-23T05:00:00Z")).expect("due");
        assert_eq!(due.key, "daily:2026-11-23");
        // Late in the local day it is still the same period: one digest a day.
        assert_eq!(
            due_period(&helsinki, at("2026-11-23T21:30:00Z"))
                .expect("due")
                .key,
            "daily:2026-11-23"
        );
        // 22:30 UTC is already the 24th in Helsinki, before 07:00.
        assert_eq!(due_period(&helsinki, at("2026-11-23T22:30:00Z")), None);
    }

    #[test]
    fn weekly_digests_use_the_local_week_and_day() {
        let friday_9 = settings(Frequency::Weekly, 9, 5, "America/Vancouver");
        // Friday 27 November 2026, 09:00 in Vancouver is 17:00 UTC.
        assert_eq!(due_period(&friday_9, at("2026-11-27T16:59:00Z")), None);
        let due = due_period(&friday_9, at("2026-11-27T17:00:00Z")).expect("due");
        assert_eq!(due.key, "weekly:2026-W48");
        assert_eq!(
            due_period(&friday_9, at("2026-11-29T23:00:00Z"))
                .expect("due")
                .key,
            "weekly:2026-W48"
        );
        assert_eq!(
            current_period(&friday_9, at("2026-11-30T09:00:00Z"))
                .expect("period")
                .key,
            "weekly:2026-W49"
        );
    }

    #[test]
    fn never_and_paused_are_never_due() {
        assert_eq!(
            due_period(
                &settings(Frequency::Never, 0, 1, "UTC"),
                at("2026-11-23T12:00:00Z")
            ),
            None
        );
        let mut paused = settings(Frequency::Daily, 0, 1, "UTC");
        paused.paused = true;
        assert_eq!(due_period(&paused, at("2026-11-23T12:00:00Z")), None);
    }

    #[test]
    fn a_missing_local_hour_moves_forward() {
        // 29 March 2026: clocks in London go from 01:00 to 02:00.
        let london = settings(Frequency::Daily, 1, 1, "Europe/London");
        let due = current_period(&london, at("2026-03-29T12:00:00Z")).expect("period");
        assert_eq!(due.due_at, at("2026-03-29T01:00:00Z"));
    }
}
