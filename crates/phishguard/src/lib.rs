//! phishguard: explainable phishing detection for mail and SMS.
//!
//! The pipeline reads top to bottom: [`message`] parses and normalises (addresses, links,
//! text), [`claim`] finds the brand the message claims, [`checks`] each look for one kind of
//! evidence, [`weights`] turn what fired into a score and a verdict, and [`advice`] says
//! what to do next. [`Analyzer`] holds what is built once. The library never prints and
//! never exits.
#![forbid(unsafe_code)]
// Input is hostile: no panicking index or slice on data from a message.
#![deny(clippy::indexing_slicing)]

pub mod advice;
pub mod analyze;
pub mod auth;
pub mod brands;
pub mod checks;
pub mod claim;
pub mod css;
pub mod data;
pub mod domain;
pub mod forward;
#[doc(hidden)]
pub mod harness;
pub mod html;
mod html_entities;
mod html_tok;
pub mod input;
pub mod lexicon;
pub mod lists;
pub mod lookalike;
pub mod message;
pub mod pdf;
pub mod report;
#[cfg(test)]
mod test_rng;
pub mod text;
pub mod texts;
pub mod weights;

pub use analyze::{Analyzer, SetupError, StageTimes};
pub use input::{Format, InputError, Item, ItemBody};
pub use message::Limits;
pub use report::{Report, Verdict};
pub use texts::Lang;
