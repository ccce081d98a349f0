//! Test mail: variants of one lure, a second unrelated lure, and ordinary mail.
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

use phishguard_triage::{Options, Stats, db};
use std::path::{Path, PathBuf};

const NAMES: [&str; 8] = [
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
];

/// Variant `i` of the Microsoft sign-in lure: another sender, recipient, IP, date,
/// random token, reference and link domain.
pub fn lure(i: usize) -> String {
    let name = NAMES[i % NAMES.len()];
    let token = format!(
        "{:016x}{:08x}",
        0x9e37_79b9_7f4a_7c15u64.wrapping_mul(i as u64 + 7),
        i * 7919
    );
    format!(
        "From: Microsoft account team <no-reply{i}@acc-security{}.com>\n\
To: {name}@example.org\n\
Subject: Microsoft account unusual sign-in activity\n\
Date: Mon, {:02} Mar 2024 10:{:02}:00 +0000\n\
Received: from mx.internal (mx.internal [10.0.0.{}]) by mail.example.org; Mon, 04 Mar 2024 10:00:02 +0000\n\
Received: from host{i}.sender.example (host{i}.sender.example [45.33.{}.{}]) by mx.example.org; Mon, 04 Mar 2024 10:00:01 +0000\n\
Content-Type: text/plain; charset=utf-8\n\
\n\
Dear {name},\n\
\n\
We detected something unusual about a recent sign-in to the Microsoft account {name}@example.org.\n\
Sign-in details: Country/region: Russia/Moscow, IP address: 103.225.{}.{}, Date: {:02}/03/2024 10:00 GMT.\n\
If this wasn't you, please verify your account immediately or it will be suspended within 24 hours.\n\
Verify your account now: http://login-microsoftonline-verify{}.xyz/secure?id={token}\n\
Reference: MSX-{}\n\
Thanks, The Microsoft account team\n",
        i % 3,
        1 + i % 28,
        i % 60,
        i + 2,
        10 + i,
        i + 1,
        i * 3 % 255,
        i * 7 % 255,
        1 + i % 28,
        i % 4,
        &token[..12].to_uppercase(),
    )
}

/// A parcel-delivery lure (a different campaign).
pub fn parcel(i: usize) -> String {
    format!(
        "From: DHL Express <notice{i}@parcel-track{i}.top>\n\
To: user{i}@example.org\n\
Subject: Your parcel could not be delivered\n\
Date: Tue, 05 Mar 2024 0{}:00:00 +0000\n\
Content-Type: text/plain; charset=utf-8\n\
\n\
Hello,\n\
your DHL parcel is held at our depot because the customs fee of 2.99 EUR was not paid.\n\
Pay the fee with your card within 48 hours or the parcel is returned to the sender:\n\
https://dhl-parcel-fee{i}.top/pay\n\
DHL Express customer service\n",
        i % 10
    )
}

/// Ordinary mail, each different.
pub fn ham(i: usize) -> String {
    let topics = [
        "Shall we meet for lunch on Friday at the usual place near the station? I can book a table for four.",
        "The quarterly budget spreadsheet is attached to the shared drive; please add your team's travel costs by Thursday.",
        "Thanks for the photos from the hiking trip, the view from the ridge was wonderful and the weather held all day.",
        "Reminder: the choir rehearsal moves to the small hall next week because the main hall is being painted.",
    ];
    format!(
        "From: Friend {i} <friend{i}@example.net>\n\
To: me@example.org\n\
Subject: Note {i}\n\
Date: Wed, 06 Mar 2024 12:00:00 +0000\n\
Content-Type: text/plain; charset=utf-8\n\
\n\
{}\n",
        topics[i % topics.len()]
    )
}

/// A lure with an attachment (for attachment-hash indicators).
pub fn with_attachment() -> String {
    "From: Invoices <billing@invoice-payments.top>\n\
To: acct@example.org\n\
Subject: Overdue invoice <b>#4471</b> \"urgent\" & final\n\
Date: Thu, 07 Mar 2024 09:00:00 +0000\n\
MIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=\"XX\"\n\
\n\
--XX\n\
Content-Type: text/plain; charset=utf-8\n\
\n\
Your PayPal account is limited. Confirm your password and card details immediately at\n\
http://paypal-account-limited.top/login or your account will be closed within 24 hours.\n\
--XX\n\
Content-Type: application/octet-stream; name=\"invoice.html\"\n\
Content-Disposition: attachment; filename=\"invoice.html\"\n\
Content-Transfer-Encoding: base64\n\
\n\
PGh0bWw+PGZvcm0gYWN0aW9uPSJodHRwOi8vZXZpbC5leGFtcGxlLyI+PC9mb3JtPjwvaHRtbD4=\n\
--XX--\n"
        .to_string()
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

pub fn run(db_path: &Path, inputs: &[PathBuf], threads: usize) -> Stats {
    let analyzer = phishguard::Analyzer::new().unwrap();
    let mut conn = db::open(db_path).unwrap();
    let opts = Options {
        threads,
        ..Options::default()
    };
    let mut errors = Vec::new();
    let stats = phishguard_triage::run(&mut conn, &analyzer, inputs, &opts, &mut |e| {
        if let phishguard_triage::Event::Error { source, message } = e {
            errors.push(format!("{source}: {message}"));
        }
    })
    .unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    stats
}

/// source → campaign id of every message.
pub fn campaigns_by_source(db_path: &Path) -> std::collections::BTreeMap<String, i64> {
    let conn = db::open(db_path).unwrap();
    let mut stmt = conn
        .prepare("SELECT source, campaign_id FROM messages")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}
