//! Digests: what a member follows (organisations, topics, saved searches), how often and
//! when they want to hear about it, and — in later parts — composing and sending the digest
//! of what is new. It owns `member_follows`, `digest_settings` and `digest_deliveries`;
//! it reads content, organisations and the search index but never changes them.

pub mod follows;
pub mod schedule;
pub mod settings;

use crate::accounts::FieldError;
use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    #[error("some fields need changing")]
    Invalid(Vec<FieldError>),
    #[error("no such follow")]
    NotFound,
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
