//! phishguard bulk triage: analyse mail archives into a SQLite database, group the
//! messages into campaigns, export indicators (CSV, JSON, STIX 2.1) and write an HTML
//! report. The library never prints; the `phishguard` CLI drives it.
#![forbid(unsafe_code)]

mod assign;
pub mod campaigns;
pub mod cluster;
pub mod db;
pub mod extract;
pub mod html_report;
pub mod indicators;
pub mod runner;
pub mod stix;

pub use runner::{Event, Options, Stats, run};

/// Anything that stops a triage command.
#[derive(Debug, thiserror::Error)]
pub enum TriageError {
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("schema: {0}")]
    Schema(String),
    #[error("{0}")]
    Io(String),
}
