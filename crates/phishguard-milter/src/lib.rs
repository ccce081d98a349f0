//! phishguard as a milter: Postfix and Sendmail hand each message to it over the milter
//! protocol (version 6), and it adds `X-Phishguard-*` headers, tags the subject, holds
//! or rejects, as the configuration says.
//!
//! [`codec`] reads and writes packets, [`session`] is the per-connection state machine
//! (and the policy), [`server`] runs connections and the analysis workers, [`metrics`]
//! counts. Faults never lose mail: an internal error, a spent time budget or an
//! oversized message gets the configured fault action (accept untouched, or tempfail).
#![forbid(unsafe_code)]

pub mod codec;
pub mod config;
pub mod metrics;
pub mod server;
pub mod session;

pub use config::{Action, Config, FaultAction, Listen};
pub use server::{AnalyzeFn, Server, phishguard_analyzer, phishguard_analyzer_trusting, run};
pub use session::{Fault, Outcome};
