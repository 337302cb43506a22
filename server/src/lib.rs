//! Mutual: a self-hostable, federated peer-learning server for organisations that
//! provide personalised support. Each top-level module is one capability; its module
//! comment says what it owns and what it must not touch.

pub mod accounts;
pub mod api;
pub mod cli;
pub mod config;
pub mod content;
pub mod db;
pub mod demo;
pub mod digests;
pub mod federation;
pub mod i18n;
pub mod jobs;
pub mod mail;
pub mod maintenance;
pub mod moderation;
pub mod organisations;
pub mod search;
pub mod startup;
pub mod taxonomy;
pub mod telemetry;
pub mod web;

/// The version shown in NodeInfo, `/healthz` and `mutual --version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// mimalloc rather than the system allocator: a search allocates and frees many short-lived
/// buffers (typo automata, bitsets, snippets) from several threads, and glibc's allocator
/// spent a tenth of a search's time on them; indexing gains too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
