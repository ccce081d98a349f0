//! Data files compiled into the library. Weights, phrases, reason and advice texts live
//! in `crates/phishguard/data/`, brands in the repository's `brands/` folder.

include!(concat!(env!("OUT_DIR"), "/builtin_brands.rs"));

/// Check weights and verdict thresholds.
pub const WEIGHTS: &str = include_str!("../data/weights.toml");
/// Wording rules (phrases per group and language).
pub const PHRASES: &str = include_str!("../data/phrases.toml");
/// Free-mail and consumer ISP domains: a person's address, never a company's sender.
pub const FREEMAIL: &str = include_str!("../data/freemail.txt");
/// URL shortener domains.
pub const SHORTENERS: &str = include_str!("../data/shorteners.txt");
/// Hosting platforms anyone can publish on.
pub const HOSTING: &str = include_str!("../data/hosting.txt");
/// App stores and social networks: company profile and app pages, not the brand's site.
pub const PROFILE_HOSTS: &str = include_str!("../data/profile_hosts.txt");
pub const IMAGE_HOSTS: &str = include_str!("../data/image_hosts.txt");
/// Open redirectors on trusted names (host and path).
pub const REDIRECTORS: &str = include_str!("../data/redirectors.txt");
/// Top-level domains dominated by throw-away registrations.
pub const ABUSED_TLDS: &str = include_str!("../data/abused_tlds.txt");
/// Public figures whose names are abused in fake endorsements, and the lure wording.
pub const FIGURES: &str = include_str!("../data/impersonated_figures.toml");
/// Reason and advice texts per language.
pub const TEXTS_JA: &str = include_str!("../data/texts.ja.toml");
pub const TEXTS_EN: &str = include_str!("../data/texts.en.toml");
