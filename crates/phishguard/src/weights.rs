//! Check weights and verdict thresholds, read from `data/weights.toml`.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub suspicious: f64,
    pub phishing: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    pub thresholds: Thresholds,
    pub weights: BTreeMap<String, f64>,
}

impl Weights {
    /// Parse and check that every check has a weight and every weight a check.
    pub fn parse(text: &str, check_ids: &[&str]) -> Result<Weights, String> {
        let w: Weights = toml::from_str(text).map_err(|e| format!("weights: {e}"))?;
        for id in check_ids {
            if !w.weights.contains_key(*id) {
                return Err(format!("weights: no weight for check {id:?}"));
            }
        }
        for id in w.weights.keys() {
            if !check_ids.contains(&id.as_str()) {
                return Err(format!("weights: {id:?} is not a check"));
            }
        }
        if !(w.thresholds.suspicious > 0.0 && w.thresholds.phishing >= w.thresholds.suspicious) {
            return Err("weights: thresholds must satisfy 0 < suspicious <= phishing".into());
        }
        Ok(w)
    }

    pub fn of(&self, id: &str) -> f64 {
        self.weights.get(id).copied().unwrap_or(0.0)
    }
}
