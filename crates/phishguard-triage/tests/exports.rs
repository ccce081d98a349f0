//! Exports: indicators as CSV, JSON and STIX 2.1 (validated against the official STIX 2.1
//! JSON schemas vendored in `tests/stix-schemas/`), and the HTML report.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::*;
use phishguard_triage::{db, html_report, indicators, stix};
use serde_json::Value;
use std::path::Path;

const SCHEMA_BASE: &str =
    "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/";

fn triaged(dir: &Path) -> std::path::PathBuf {
    let mail = dir.join("mail");
    std::fs::create_dir_all(&mail).unwrap();
    for i in 0..6 {
        write(&mail, &format!("lure{i}.eml"), &lure(i));
    }
    for i in 0..3 {
        write(&mail, &format!("parcel{i}.eml"), &parcel(i));
        write(&mail, &format!("ham{i}.eml"), &ham(i));
    }
    write(&mail, "attach.eml", &with_attachment());
    let db_path = dir.join("t.sqlite");
    run(&db_path, &[mail], 2);
    db_path
}

/// A validator for STIX 2.1 bundles, with every schema loaded from the vendored copy.
fn stix_validator() -> jsonschema::Validator {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/stix-schemas");
    let mut opts = jsonschema::options().with_draft(jsonschema::Draft::Draft7);
    let mut bundle = None;
    for sub in ["common", "observables", "sdos", "sros"] {
        for entry in std::fs::read_dir(root.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            let schema: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let name = path.file_name().unwrap().to_str().unwrap();
            let uri = format!("{SCHEMA_BASE}{sub}/{name}");
            assert_eq!(schema["$id"].as_str(), Some(uri.as_str()));
            if sub == "common" && name == "bundle.json" {
                bundle = Some(schema.clone());
            }
            opts = opts.with_resource(uri, jsonschema::Resource::from_contents(schema));
        }
    }
    opts.build(&bundle.unwrap()).unwrap()
}

fn assert_valid(v: &jsonschema::Validator, doc: &Value) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "STIX bundle invalid: {errors:#?}");
}

#[test]
fn indicators_come_from_flagged_messages_only() {
    let tmp = tempfile::tempdir().unwrap();
    let conn = db::open(&triaged(tmp.path())).unwrap();
    let inds = indicators::collect(&conn).unwrap();
    let kinds: std::collections::BTreeSet<&str> = inds.iter().map(|i| i.kind).collect();
    for k in [
        "url",
        "domain",
        "sender-address",
        "sender-domain",
        "ip",
        "file-sha256",
    ] {
        assert!(kinds.contains(k), "no {k} indicator: {kinds:?}");
    }
    // the ordinary mail's senders are not indicators
    assert!(!inds.iter().any(|i| i.value.contains("friend")));
    let ip = inds
        .iter()
        .find(|i| i.kind == "ip" && i.value == "45.33.10.1")
        .unwrap();
    assert_eq!(ip.messages, 1);
    assert_eq!(ip.first_seen, "2024-03-01T10:00:00Z");
    let domain = inds
        .iter()
        .find(|i| i.kind == "sender-domain" && i.value == "acc-security0.com")
        .unwrap();
    assert_eq!(domain.messages, 2);
    assert_eq!(domain.campaigns.len(), 1);
    assert_eq!(domain.first_seen, "2024-03-01T10:00:00Z");
    assert_eq!(domain.last_seen, "2024-03-04T10:03:00Z");
    let file = inds.iter().find(|i| i.kind == "file-sha256").unwrap();
    assert_eq!(file.names, vec!["invoice.html".to_string()]);
}

#[test]
fn csv_and_json() {
    let tmp = tempfile::tempdir().unwrap();
    let conn = db::open(&triaged(tmp.path())).unwrap();
    let inds = indicators::collect(&conn).unwrap();
    let mut csv = Vec::new();
    indicators::write_csv(&mut csv, &inds).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("type,value,first_seen,last_seen,messages,campaigns,brands,names")
    );
    assert_eq!(lines.count(), inds.len());
    assert!(csv.contains("\nip,45.33.10.1,2024-03-01T10:00:00Z,2024-03-01T10:00:00Z,1,"));
    assert_eq!(indicators::csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");

    let mut json = Vec::new();
    indicators::write_json(&mut json, &inds).unwrap();
    let v: Value = serde_json::from_slice(&json).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), inds.len());
    assert!(arr.iter().all(|i| i["type"].is_string()
        && i["value"].is_string()
        && i["first_seen"].is_string()
        && i["campaigns"].is_array()));
}

#[test]
fn stix_bundle_validates_against_the_stix_2_1_schemas() {
    let tmp = tempfile::tempdir().unwrap();
    let conn = db::open(&triaged(tmp.path())).unwrap();
    let inds = indicators::collect(&conn).unwrap();
    let bundle = stix::bundle(&conn, &inds).unwrap();
    let validator = stix_validator();
    assert_valid(&validator, &bundle);

    let objects = bundle["objects"].as_array().unwrap();
    let count = |t: &str| objects.iter().filter(|o| o["type"] == t).count();
    assert_eq!(count("indicator"), inds.len());
    assert!(count("campaign") >= 2);
    assert!(count("relationship") >= inds.len());
    let patterns: Vec<&str> = objects
        .iter()
        .filter_map(|o| o["pattern"].as_str())
        .collect();
    assert!(patterns.contains(&"[ipv4-addr:value = '45.33.10.1']"));
    assert!(
        patterns
            .iter()
            .any(|p| p.starts_with("[file:hashes.'SHA-256' = '"))
    );
    // the same database exports the same bundle
    assert_eq!(bundle, stix::bundle(&conn, &inds).unwrap());

    // the validator does check: a broken indicator fails
    let mut broken = bundle.clone();
    let ind = broken["objects"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|o| o["type"] == "indicator")
        .unwrap();
    ind.as_object_mut().unwrap().remove("pattern");
    ind["created"] = Value::String("yesterday".into());
    assert!(!validator.is_valid(&broken));
}

#[test]
fn stix_pattern_strings_are_escaped() {
    assert_eq!(stix::pattern_literal(r"a'b\c"), r"'a\'b\\c'");
}

#[test]
fn html_report_is_self_contained_and_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let conn = db::open(&triaged(tmp.path())).unwrap();
    let html = html_report::render(&conn, "Desk <report>").unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    let lower = html.to_ascii_lowercase();
    for bad in [
        "<script",
        "src=\"http",
        "href=\"http",
        "src='http",
        "href='http",
        "url(",
        "@import",
        "<link",
        "<iframe",
    ] {
        assert!(!lower.contains(bad), "report holds {bad:?}");
    }
    assert!(html.matches("<svg").count() >= 4, "charts missing");
    // mail-derived text is escaped
    assert!(!html.contains("<b>#4471</b>"));
    assert!(html.contains("&lt;b&gt;#4471&lt;/b&gt; &quot;urgent&quot; &amp; final"));
    assert!(html.contains("<title>Desk &lt;report&gt;</title>"));
    assert!(html.contains("Microsoft account unusual sign-in activity"));
    assert_eq!(
        html_report::esc("<a href='x'>&"),
        "&lt;a href=&#39;x&#39;&gt;&amp;"
    );
}
