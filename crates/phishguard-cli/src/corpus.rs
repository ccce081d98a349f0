//! A labelled corpus: `labels.tsv` (path, source, label, …) and the mail itself, read
//! straight from a `.tar.xz` archive (streamed, never unpacked) or from a directory.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One row of `labels.tsv`.
#[derive(Debug, Clone)]
pub struct Label {
    pub source: String,
    pub label: String,
}

/// Read `labels.tsv`: tab-separated, a header line naming at least `path`, `source`, `label`.
pub fn read_labels(path: &Path) -> Result<HashMap<String, Label>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| format!("{}: no {name:?} column in the header", path.display()))
    };
    let (p, s, l) = (col("path")?, col("source")?, col("label")?);
    let mut out = HashMap::new();
    for (n, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let get = |i: usize| {
            f.get(i)
                .map(|x| x.trim().to_string())
                .ok_or_else(|| format!("{}: line {}: too few columns", path.display(), n + 2))
        };
        out.insert(
            normalise_path(&get(p)?),
            Label {
                source: get(s)?,
                label: get(l)?,
            },
        );
    }
    Ok(out)
}

pub fn normalise_path(p: &str) -> String {
    p.trim_start_matches("./").to_string()
}

/// Where the mail comes from.
pub enum Mail {
    Archive(PathBuf),
    Root(PathBuf),
}

/// Call `f(path, bytes)` for every regular file of the corpus whose path is in `wanted`.
/// Files over `max_bytes` are cut (the analyzer marks them truncated).
pub fn for_each_file(
    mail: &Mail,
    wanted: &HashMap<String, Label>,
    max_bytes: usize,
    mut f: impl FnMut(String, Result<Vec<u8>, String>),
) -> Result<(), String> {
    match mail {
        Mail::Archive(path) => {
            let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let xz =
                liblzma::read::XzDecoder::new(std::io::BufReader::with_capacity(1 << 20, file));
            let mut archive = tar::Archive::new(xz);
            let entries = archive
                .entries()
                .map_err(|e| format!("{}: {e}", path.display()))?;
            for entry in entries {
                let mut entry = entry.map_err(|e| format!("{}: {e}", path.display()))?;
                if !entry.header().entry_type().is_file() {
                    continue;
                }
                let name = match entry.path() {
                    Ok(p) => normalise_path(&p.to_string_lossy()),
                    Err(_) => continue,
                };
                if !wanted.contains_key(&name) {
                    continue;
                }
                let mut buf = Vec::new();
                let r = (&mut entry)
                    .take(max_bytes as u64)
                    .read_to_end(&mut buf)
                    .map(|_| buf)
                    .map_err(|e| e.to_string());
                f(name, r);
            }
        }
        Mail::Root(root) => {
            let mut paths: Vec<&String> = wanted.keys().collect();
            paths.sort();
            for p in paths {
                let full = root.join(p);
                let r = std::fs::File::open(&full).and_then(|file| {
                    let mut buf = Vec::new();
                    file.take(max_bytes as u64)
                        .read_to_end(&mut buf)
                        .map(|_| buf)
                });
                f(p.clone(), r.map_err(|e| e.to_string()));
            }
        }
    }
    Ok(())
}
