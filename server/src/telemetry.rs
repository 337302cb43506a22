//! Structured logs with `tracing`. Request ids come from `tracing-actix-web` and are on
//! every line logged while a request is handled.

use tracing_subscriber::{fmt, EnvFilter};

use crate::config::LogFormat;

/// Installs the global subscriber once; later calls (tests) are ignored.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_env("MUTUAL_LOG")
        .or_else(|_| EnvFilter::try_new("info,actix_server=warn,diesel=warn"))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = match format {
        LogFormat::Json => fmt()
            .with_env_filter(filter)
            .json()
            .flatten_event(true)
            .try_init(),
        LogFormat::Pretty => fmt().with_env_filter(filter).with_target(false).try_init(),
    };
}
