//! Digests: what a member follows (organisations, topics, saved searches), how often and
//! when they want to hear about it, and — in later parts — composing and sending the digest
//! of what is new. It owns `member_follows`, `digest_settings` and `digest_deliveries`;
//! it reads content, organisations and the search index but never changes them.

pub mod follows;
pub mod run;
pub mod schedule;
pub mod settings;
pub mod unsubscribe;

use crate::accounts::FieldError;
use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    #[error("some fields need changing")]
    Invalid(Vec<FieldError>),
    #[error("no such follow")]
    NotFound,
    /// Sending can be tried again later.
    #[error("{0}")]
    Transient(String),
    #[error("{0}")]
    Other(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for DigestError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => DigestError::NotFound,
            other => DigestError::Db(DbError::Query(other)),
        }
    }
}
