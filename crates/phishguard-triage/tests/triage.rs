//! Triage runs: campaigns from lure variants, incremental runs, determinism, migrations.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::*;
use phishguard_triage::{campaigns, db};
use std::collections::BTreeSet;

fn corpus(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mail = dir.join("mail");
    std::fs::create_dir_all(&mail).unwrap();
    for i in 0..12 {
        write(&mail, &format!("lure{i:02}.eml"), &lure(i));
    }
    for i in 0..5 {
        write(&mail, &format!("parcel{i:02}.eml"), &parcel(i));
    }
    for i in 0..4 {
        write(&mail, &format!("ham{i:02}.eml"), &ham(i));
    }
    vec![mail]
}

#[test]
fn lure_variants_form_one_campaign_and_unrelated_mail_does_not_join() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = corpus(tmp.path());
    let db_path = tmp.path().join("t.sqlite");
    let stats = run(&db_path, &inputs, 2);
    assert_eq!(stats.messages, 21);
    assert_eq!(stats.analysed, 21);
    let by_source = campaigns_by_source(&db_path);
    let camp = |prefix: &str| -> BTreeSet<i64> {
        by_source
            .iter()
            .filter(|(s, _)| s.contains(prefix))
            .map(|(_, c)| *c)
            .collect()
    };
    let lures = camp("/lure");
    let parcels = camp("/parcel");
    let hams = camp("/ham");
    assert_eq!(lures.len(), 1, "lure variants split: {by_source:?}");
    assert_eq!(parcels.len(), 1, "parcel variants split: {by_source:?}");
    assert!(lures.is_disjoint(&parcels));
    assert!(hams.is_disjoint(&lures) && hams.is_disjoint(&parcels));
    assert_eq!(hams.len(), 4, "unrelated mails were merged: {by_source:?}");

    let conn = db::open(&db_path).unwrap();
    let list = campaigns::list(&conn, &campaigns::Query::default()).unwrap();
    assert_eq!(list.len(), 2, "{list:?}");
    let biggest = &list[0];
    assert_eq!(biggest.size, 12);
    assert_eq!(biggest.flagged, 12);
    assert_eq!(biggest.brands[0].value, "Microsoft");
    assert_eq!(biggest.members.len(), 12);
    assert!(biggest.senders.len() > 1);
    assert!(biggest.link_domains.len() > 1);
    assert_eq!(biggest.first_seen, "2024-03-01T10:00:00Z");
    assert_eq!(list[1].size, 5);
}

#[test]
fn second_run_analyses_nothing_new_and_new_variants_join_existing_campaign() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = corpus(tmp.path());
    let db_path = tmp.path().join("t.sqlite");
    run(&db_path, &inputs, 2);
    let before = campaigns_by_source(&db_path);

    let again = run(&db_path, &inputs, 2);
    assert_eq!(again.messages, 21);
    assert_eq!(again.analysed, 0);
    assert_eq!(again.known, 21);
    assert_eq!(again.campaigns_created, 0);
    assert_eq!(campaigns_by_source(&db_path), before);

    // new variants arrive in an mbox, with one message already known (same bytes)
    let mbox = tmp.path().join("new.mbox");
    let mut text = String::new();
    for i in [12, 13, 14, 3] {
        text.push_str("From sender@example Mon Mar  4 10:00:00 2024\n");
        text.push_str(&lure(i));
        text.push('\n');
    }
    std::fs::write(&mbox, text).unwrap();
    let third = run(&db_path, std::slice::from_ref(&mbox), 2);
    assert_eq!(third.messages, 4);
    assert_eq!(third.analysed, 3);
    assert_eq!(third.known, 1);
    assert_eq!(third.campaigns_created, 0);
    let after = campaigns_by_source(&db_path);
    let lure_campaign = before[&inputs[0].join("lure00.eml").display().to_string()];
    for n in 1..=3 {
        let src = format!("{}#{n}", mbox.display());
        assert_eq!(after.get(&src), Some(&lure_campaign), "{src}: {after:?}");
    }
    let conn = db::open(&db_path).unwrap();
    let runs: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM runs WHERE finished_ts IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(runs, 3);
}

#[test]
fn campaigns_do_not_depend_on_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = corpus(tmp.path());
    let one = tmp.path().join("one.sqlite");
    let many = tmp.path().join("many.sqlite");
    run(&one, &inputs, 1);
    run(&many, &inputs, 4);
    assert_eq!(campaigns_by_source(&one), campaigns_by_source(&many));
}

/// Everything a run stores that must not depend on the threads: message ids (the order
/// messages are stored in), the copy of a duplicate that is kept, campaigns, buckets.
fn stored(db_path: &std::path::Path) -> Vec<String> {
    let conn = db::open(db_path).unwrap();
    let mut out = Vec::new();
    for sql in [
        "SELECT m.id || ' ' || m.sha256 || ' ' || m.source || ' ' || c.seed_sha256 || ' ' || hex(m.minhash)
         FROM messages m JOIN campaigns c ON c.id = m.campaign_id ORDER BY m.id",
        "SELECT band || ' ' || bucket || ' ' || message_id FROM lsh ORDER BY 1",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

#[test]
fn big_campaigns_and_duplicates_do_not_depend_on_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let mail = tmp.path().join("mail");
    std::fs::create_dir_all(&mail).unwrap();
    // more variants of one lure than a bucket lists (40) and than are compared (24)
    for i in 0..120 {
        write(&mail, &format!("lure{i:03}.eml"), &lure(i));
    }
    // copies: the first in input order is the one kept
    for i in (0..120).step_by(7) {
        write(&mail, &format!("copy{i:03}.eml"), &lure(i));
    }
    for i in 0..5 {
        write(&mail, &format!("parcel{i:02}.eml"), &parcel(i));
        write(&mail, &format!("ham{i:02}.eml"), &ham(i));
    }
    let inputs = vec![mail];
    let mut results = Vec::new();
    for threads in [1, 2, 4] {
        let db_path = tmp.path().join(format!("t{threads}.sqlite"));
        let stats = run(&db_path, &inputs, threads);
        assert_eq!(
            (stats.messages, stats.analysed, stats.known),
            (148, 130, 18)
        );
        results.push(stored(&db_path));
    }
    assert!(results[0].iter().any(|r| r.contains("copy")));
    assert_eq!(results[0], results[1], "1 and 2 threads");
    assert_eq!(results[0], results[2], "1 and 4 threads");
}

#[test]
fn stored_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = corpus(tmp.path());
    write(&inputs[0], "attach.eml", &with_attachment());
    let db_path = tmp.path().join("t.sqlite");
    run(&db_path, &inputs, 2);
    let conn = db::open(&db_path).unwrap();
    let src = inputs[0].join("lure05.eml").display().to_string();
    let (verdict, brand, sender, ip, date, subject): (String, String, String, String, i64, String) = conn
        .query_row(
            "SELECT verdict, brand, sender_address, sending_ip, date_ts, subject FROM messages WHERE source = ?1",
            [&src],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .unwrap();
    assert_eq!(verdict, "phishing");
    assert_eq!(brand, "microsoft");
    assert_eq!(sender, "no-reply5@acc-security2.com");
    assert_eq!(ip, "45.33.15.6");
    assert_eq!(db::rfc3339(date), "2024-03-06T10:05:00Z");
    assert_eq!(subject, "Microsoft account unusual sign-in activity");
    let (reasons, links): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT COUNT(*) FROM reasons r WHERE r.message_id = m.id),
                    (SELECT COUNT(*) FROM links l WHERE l.message_id = m.id) FROM messages m WHERE source = ?1",
            [&src],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(reasons >= 3);
    assert_eq!(links, 1);
    let (name, sha): (String, String) = conn
        .query_row("SELECT name, sha256 FROM attachments", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(name, "invoice.html");
    // sha256 of the decoded attachment
    assert_eq!(
        sha,
        "e3b3bba1ebb2268cfbe313b7e35ec643463a92f15ad1a4ceee279e401bf910d1"
    );
}

#[test]
fn migrations() {
    let tmp = tempfile::tempdir().unwrap();
    let fresh = tmp.path().join("fresh.sqlite");
    let conn = db::open(&fresh).unwrap();
    assert_eq!(db::version(&conn).unwrap(), db::latest_version());
    drop(conn);
    // opening again changes nothing
    let conn = db::open(&fresh).unwrap();
    assert_eq!(db::version(&conn).unwrap(), db::latest_version());
    drop(conn);

    // a version-1 database is brought up to date, keeping its data
    let old = tmp.path().join("old.sqlite");
    {
        let mut conn = rusqlite::Connection::open(&old).unwrap();
        db::migrate_to(&mut conn, 1).unwrap();
        assert_eq!(db::version(&conn).unwrap(), 1);
        conn.execute("INSERT INTO runs (started_ts, inputs) VALUES (1, 'x')", [])
            .unwrap();
    }
    let conn = db::open(&old).unwrap();
    assert_eq!(db::version(&conn).unwrap(), db::latest_version());
    let idx: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'messages_campaign'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(idx, 1);
    let runs: i64 = conn
        .query_row("SELECT COUNT(*) FROM runs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(runs, 1);
    drop(conn);

    // a database from a newer phishguard is refused, not damaged
    let newer = tmp.path().join("newer.sqlite");
    {
        let conn = rusqlite::Connection::open(&newer).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let err = db::open(&newer).unwrap_err().to_string();
    assert!(err.contains("newer"), "{err}");
}

/// A run stopped after storing its messages (before or during the campaign assignment,
/// which is one transaction) is finished by the next run on the same database: the
/// stored messages it finds without a campaign are assigned with the new ones, and the
/// database ends as if the first run had not stopped.
#[test]
fn an_interrupted_run_is_finished_by_the_next() {
    let tmp = tempfile::tempdir().unwrap();
    let first = tmp.path().join("first");
    let second = tmp.path().join("second");
    std::fs::create_dir_all(&first).unwrap();
    std::fs::create_dir_all(&second).unwrap();
    for i in 0..60 {
        write(&first, &format!("lure{i:03}.eml"), &lure(i));
    }
    for i in 0..5 {
        write(&first, &format!("parcel{i:02}.eml"), &parcel(i));
        write(&first, &format!("ham{i:02}.eml"), &ham(i));
    }
    for i in 60..130 {
        write(&second, &format!("lure{i:03}.eml"), &lure(i));
    }
    let both = vec![first.clone(), second];

    let whole = tmp.path().join("whole.sqlite");
    run(&whole, &both, 2);

    let stopped = tmp.path().join("stopped.sqlite");
    run(&stopped, std::slice::from_ref(&first), 2);
    // what a run stopped before its campaigns were committed leaves
    db::open(&stopped)
        .unwrap()
        .execute_batch(
            "UPDATE messages SET campaign_id = NULL; DELETE FROM campaigns; DELETE FROM lsh;
             UPDATE runs SET finished_ts = NULL;",
        )
        .unwrap();
    let stats = run(&stopped, &both, 2);
    assert_eq!(
        (stats.messages, stats.analysed, stats.known, stats.clustered),
        (140, 70, 70, 140)
    );
    assert_eq!(stored(&stopped), stored(&whole));
}
