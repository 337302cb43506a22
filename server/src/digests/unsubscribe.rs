//! Signed unsubscribe links: `{user id}.{expiry, unix seconds}.{HMAC-SHA256}` with the
//! instance's secret key. A link works without logging in (RFC 8058 one-click), so it must
//! not be guessable or reusable for someone else, and it stops working after a while.

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Each digest carries a fresh link; older ones keep working this long.
pub const LIFETIME_DAYS: i64 = 60;

fn signature(secret: &[u8], user_id: &str, expires: i64) -> Option<String> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).ok()?;
    mac.update(format!("unsubscribe:{user_id}:{expires}").as_bytes());
    Some(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
}

pub fn token(secret: &[u8], user_id: &str, now: chrono::DateTime<chrono::Utc>) -> String {
    let expires = (now + chrono::Duration::days(LIFETIME_DAYS)).timestamp();
    let sig = signature(secret, user_id, expires).unwrap_or_default();
    format!("{user_id}.{expires}.{sig}")
}

/// The member a token names, if it is genuine and not expired.
pub fn verify(secret: &[u8], token: &str, now: chrono::DateTime<chrono::Utc>) -> Option<String> {
    let mut parts = token.trim().rsplitn(3, '.');
    let sig = parts.next()?;
    let expires: i64 = parts.next()?.parse().ok()?;
    let user_id = parts.next()?;
    if expires < now.timestamp() {
        return None;
    }
    let expected = signature(secret, user_id, expires)?;
    use subtle::ConstantTimeEq;
    if expected.as_bytes().ct_eq(sig.as_bytes()).into() {
        Some(user_id.to_string())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forged_or_expired_tokens_are_refused() {
        let now = chrono::Utc::now();
        let good = token(b"secret", "user-1", now);
        assert_eq!(verify(b"secret", &good, now).as_deref(), Some("user-1"));
        assert_eq!(verify(b"other secret", &good, now), None);
        let forged = good.replacen("user-1", "user-2", 1);
        assert_eq!(verify(b"secret", &forged, now), None);
        let later = now + chrono::Duration::days(LIFETIME_DAYS + 1);
        assert_eq!(verify(b"secret", &good, later), None);
        assert_eq!(verify(b"secret", "garbage", now), None);
    }
}
