//! Sender authentication settings on the command line: trusted authserv-ids (flags or
//! the `[auth]` table of a configuration file, the milter's included) and `--dns`.

use phishguard_auth::AuthConfig;
use std::path::PathBuf;

#[derive(clap::Args, Debug, Clone, Default)]
pub struct AuthArgs {
    /// Believe `Authentication-Results` headers written by this authserv-id (your own
    /// receiving MTA, e.g. mx.example.jp); repeatable. Headers from anyone else are
    /// ignored.
    #[arg(long = "trust-authserv-id", value_name = "ID")]
    pub trust_authserv_id: Vec<String>,
    /// Read the `[auth]` table of this TOML file (trusted_authserv_ids, DNS settings);
    /// the milter's configuration file will do.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// The file's `[auth]` table; other tables are ignored.
#[derive(serde::Deserialize, Default)]
struct ConfigFile {
    #[serde(default)]
    auth: AuthConfig,
}

impl AuthArgs {
    /// The configuration file's settings with the flags' authserv-ids added.
    pub fn load(&self) -> Result<AuthConfig, String> {
        let mut cfg = match &self.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                toml::from_str::<ConfigFile>(&text)
                    .map_err(|e| format!("{}: {e}", path.display()))?
                    .auth
            }
            None => AuthConfig::default(),
        };
        cfg.trusted_authserv_ids
            .extend(self.trust_authserv_id.iter().cloned());
        cfg.trusted_authserv_ids.retain(|s| !s.trim().is_empty());
        Ok(cfg)
    }
}
