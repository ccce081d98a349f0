//! `phishguard triage`, `campaigns`, `indicators`, `report` end to end.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_phishguard"))
}

fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "status {:?}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn lure(i: usize) -> String {
    format!(
        "From: PayPal Service <service{i}@pp-resolution{i}.top>\nTo: user{i}@example.org\n\
Subject: Your account has been limited (case {i}{i}{i})\nDate: Mon, 0{} Apr 2024 08:00:00 +0000\n\
Content-Type: text/plain\n\n\
Dear customer {i},\nwe noticed unusual activity and limited your PayPal account.\n\
Confirm your password and card details within 24 hours at https://paypal-limited{i}.top/confirm?t=a8{i}f93kd02 \n\
or your account will be closed permanently.\nPayPal Security Team\n",
        1 + i % 9
    )
}

#[test]
fn triage_then_campaigns_indicators_and_report() {
    let tmp = tempfile::tempdir().unwrap();
    let mail = tmp.path().join("mail");
    std::fs::create_dir_all(&mail).unwrap();
    for i in 0..5 {
        std::fs::write(mail.join(format!("m{i}.eml")), lure(i)).unwrap();
    }
    let db = tmp.path().join("t.sqlite");
    let db_s = db.to_str().unwrap();
    let mail_s = mail.to_str().unwrap();

    let out = ok(bin()
        .args(["triage", mail_s, "--db", db_s, "--threads", "2", "--stats"])
        .output()
        .unwrap());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("5 messages read, 5 analysed"), "{stdout}");
    assert!(
        stderr.contains("messages/s") && stderr.contains("MB/s"),
        "{stderr}"
    );
    assert!(stderr.contains("peak memory"), "{stderr}");

    let out = ok(bin()
        .args(["triage", mail_s, "--db", db_s, "--json"])
        .output()
        .unwrap());
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["analysed"], 0);
    assert_eq!(stats["known"], 5);

    let out = ok(bin()
        .args(["campaigns", "--db", db_s, "--json"])
        .output()
        .unwrap());
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["size"], 5, "{list}");
    assert_eq!(list[0]["members"].as_array().unwrap().len(), 5);
    let out = ok(bin().args(["campaigns", "--db", db_s]).output().unwrap());
    assert!(String::from_utf8_lossy(&out.stdout).contains("m3.eml"));

    let out = ok(bin()
        .args(["indicators", "--db", db_s, "--format", "stix"])
        .output()
        .unwrap());
    let bundle: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(bundle["type"], "bundle");
    let out = ok(bin()
        .args(["indicators", "--db", db_s, "--format", "csv"])
        .output()
        .unwrap());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("type,value,first_seen"));
    let json_out = tmp.path().join("i.json");
    ok(bin()
        .args(["indicators", "--db", db_s, "--format", "json", "--out"])
        .arg(&json_out)
        .output()
        .unwrap());
    let inds: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_out).unwrap()).unwrap();
    assert!(
        inds.as_array()
            .unwrap()
            .iter()
            .any(|i| i["value"] == "paypal-limited3.top")
    );

    let report = tmp.path().join("r.html");
    ok(bin()
        .args(["report", "--db", db_s, "--out"])
        .arg(&report)
        .output()
        .unwrap());
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("<svg") && !html.contains("<script"));

    // the read-only commands do not create a database
    let out = bin()
        .args(["campaigns", "--db"])
        .arg(tmp.path().join("missing.sqlite"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!tmp.path().join("missing.sqlite").exists());
}
