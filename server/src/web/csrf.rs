//! CSRF protection for every form: a random `mutual_csrf` cookie (HttpOnly,
//! SameSite=Lax) and a form field that must equal HMAC(instance secret, cookie). A
//! cross-site page can neither read the cookie nor compute the HMAC. API calls that
//! authenticate with the session cookie send the same token in `X-CSRF-Token`.
//!
//! [`Form`] reads and checks a form body in one step, so a handler cannot take form
//! input without the check. It also rejects bodies over the limit and invalid UTF-8.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::error::{AppError, PageError};
use super::AppState;

pub const COOKIE: &str = "mutual_csrf";
pub const FIELD: &str = "csrf_token";
pub const HEADER: &str = "x-csrf-token";

/// A cookie value created for this request because the browser had none yet.
#[derive(Clone)]
pub struct FreshCsrfCookie(pub String);

pub fn token_for(secret: &[u8], cookie_value: &str) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(b"csrf:");
    mac.update(cookie_value.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The cookie value for this request: the browser's, or the one being set now.
pub fn cookie_value(req: &HttpRequest) -> Option<String> {
    req.cookie(COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| v.len() >= 32)
        .or_else(|| {
            req.extensions()
                .get::<FreshCsrfCookie>()
                .map(|c| c.0.clone())
        })
}

/// The token to put in this request's forms.
pub fn form_token(req: &HttpRequest, state: &AppState) -> String {
    cookie_value(req)
        .map(|v| token_for(&state.secret, &v))
        .unwrap_or_default()
}

/// True when `presented` is the right token for the cookie the browser sent.
pub fn verify(req: &HttpRequest, state: &AppState, presented: &str) -> bool {
    let Some(cookie) = req.cookie(COOKIE).map(|c| c.value().to_string()) else {
        return false;
    };
    let expected = token_for(&state.secret, &cookie);
    !expected.is_empty() && expected.as_bytes().ct_eq(presented.as_bytes()).into()
}

/// Decodes `application/x-www-form-urlencoded`, refusing invalid UTF-8 instead of
/// silently replacing it.
pub fn decode_pairs(body: &[u8]) -> Result<Vec<(String, String)>, AppError> {
    let text = std::str::from_utf8(body).map_err(|_| {
        AppError::bad_request(
            "invalid_utf8",
            "The form contained text that is not valid UTF-8.",
        )
    })?;
    let decode = |raw: &str| -> Result<String, AppError> {
        let spaced = raw.replace('+', " ");
        percent_encoding::percent_decode_str(&spaced)
            .decode_utf8()
            .map(|s| s.into_owned())
            .map_err(|_| {
                AppError::bad_request(
                    "invalid_utf8",
                    "The form contained text that is not valid UTF-8.",
                )
            })
    };
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((decode(key)?, decode(value)?))
        })
        .collect()
}

/// A checked form body: CSRF token verified, size limited, UTF-8 valid, fields parsed.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Form<T> {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, PageError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| AppError::Internal("application state missing".into()))?;
            let limit = state.config.max_form_bytes;
            let content_type = req
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !content_type.starts_with("application/x-www-form-urlencoded") {
                return Err(AppError::bad_request(
                    "unsupported_content_type",
                    "Send the form as application/x-www-form-urlencoded.",
                )
                .into());
            }
            let body = read_limited(&req, &mut payload, limit).await?;
            let pairs = decode_pairs(&body)?;
            let presented = pairs
                .iter()
                .find(|(k, _)| k == FIELD)
                .map(|(_, v)| v.as_str())
                .unwrap_or("");
            if !verify(&req, &state, presented) {
                return Err(AppError::Csrf.into());
            }
            let value = serde_html_form::from_bytes::<T>(&body).map_err(|e| {
                AppError::bad_request("invalid_form", format!("The form could not be read: {e}."))
            })?;
            Ok(Form(value))
        })
    }
}

/// Reads a request body, failing with 413 as soon as it passes `limit`.
pub async fn read_limited(
    req: &HttpRequest,
    payload: &mut Payload,
    limit: usize,
) -> Result<Vec<u8>, AppError> {
    use futures_util::StreamExt;
    if let Some(length) = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
    {
        if length > limit {
            return Err(AppError::TooLarge { limit });
        }
    }
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            AppError::bad_request(
                "unreadable_body",
                format!("The request body could not be read: {e}"),
            )
        })?;
        if body.len() + chunk.len() > limit {
            return Err(AppError::TooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_depends_on_secret_and_cookie() {
        let a = token_for(b"secret-one", "cookie-value-aaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        assert_eq!(a.len(), 64);
        assert_ne!(
            a,
            token_for(b"secret-two", "cookie-value-aaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        );
        assert_ne!(
            a,
            token_for(b"secret-one", "cookie-value-bbbbbbbbbbbbbbbbbbbbbbbbbbbb")
        );
    }

    #[test]
    fn invalid_utf8_is_refused_not_replaced() {
        assert!(decode_pairs(b"name=%FF%FE").is_err());
        assert!(decode_pairs(b"name=\xff").is_err());
        let pairs = decode_pairs(b"name=K%C3%A4ytt%C3%A4j%C3%A4+yksi&x=").expect("valid");
        assert_eq!(pairs[0], ("name".to_string(), "Käyttäjä yksi".to_string()));
    }
}
