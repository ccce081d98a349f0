//! The milter over a real socket, driven the way Postfix drives it: option negotiation,
//! connect, MAIL, RCPT, headers, body chunks, end of body; and faults.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use phishguard::Verdict;
use phishguard::auth::AuthResults;
use phishguard_milter::codec::{Response, encode_command, parse_response};
use phishguard_milter::config::Cidr;
use phishguard_milter::{
    Action, AnalyzeFn, Config, FaultAction, Listen, Outcome, Server, phishguard_analyzer,
};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

fn example(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    std::fs::read(path).unwrap()
}

/// Starts a server on a free loopback port.
async fn start(mut cfg: Config, analyze: AnalyzeFn) -> std::net::SocketAddr {
    cfg.listen = Listen::Inet(([127, 0, 0, 1], 0).into());
    cfg.workers = 2;
    // offline unless a test turns DNS on (with its own test server)
    if cfg.auth.dns.is_none() {
        cfg.auth.dns = Some(false);
    }
    let server = Server::bind(cfg, analyze).await.unwrap();
    let addr = server.local_addr().unwrap();
    tokio::spawn(server.serve());
    addr
}

/// A minimal MTA side.
struct Mta<S> {
    s: S,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Mta<S> {
    async fn send(&mut self, code: u8, data: &[u8]) {
        self.s.write_all(&encode_command(code, data)).await.unwrap();
    }

    async fn recv(&mut self) -> Option<Response> {
        let mut len = [0u8; 4];
        tokio::time::timeout(Duration::from_secs(20), self.s.read_exact(&mut len))
            .await
            .expect("reply in time")
            .ok()?;
        let mut pkt = vec![0u8; u32::from_be_bytes(len) as usize];
        self.s.read_exact(&mut pkt).await.ok()?;
        Some(parse_response(&pkt).unwrap())
    }

    /// Sends a command and reads replies up to the final one.
    async fn cmd(&mut self, code: u8, data: &[u8]) -> Vec<Response> {
        self.send(code, data).await;
        let mut out = Vec::new();
        while let Some(r) = self.recv().await {
            let last = matches!(
                r,
                Response::Continue
                    | Response::Accept
                    | Response::Reject
                    | Response::TempFail
                    | Response::Discard
                    | Response::Skip
                    | Response::ReplyCode(_)
                    | Response::OptNeg { .. }
            );
            out.push(r);
            if last {
                break;
            }
        }
        out
    }

    async fn negotiate(&mut self) {
        let mut data = Vec::new();
        for v in [6u32, 0x1ff, 0x1f_ffff] {
            data.extend_from_slice(&v.to_be_bytes());
        }
        let r = self.cmd(b'O', &data).await;
        assert!(
            matches!(r[..], [Response::OptNeg { version: 6, .. }]),
            "{r:?}"
        );
    }

    async fn connect(&mut self, ip: &str) -> Vec<Response> {
        self.send(b'D', b"Cj\0mx.example\0{daemon_name}\0smtpd\0")
            .await;
        let mut data = b"client.example\x004".to_vec();
        data.extend_from_slice(&2525u16.to_be_bytes());
        data.extend_from_slice(ip.as_bytes());
        data.push(0);
        self.cmd(b'C', &data).await
    }

    /// MAIL, RCPT, headers, body, end of body: the end-of-body replies.
    async fn message(&mut self, raw: &[u8], queue_id: &str, auth: Option<&str>) -> Vec<Response> {
        let mut macros = format!("i\0{queue_id}\0").into_bytes();
        if let Some(a) = auth {
            macros.extend_from_slice(format!("{{auth_authen}}\0{a}\0").as_bytes());
        }
        self.send(b'D', &[b"M".as_slice(), &macros].concat()).await;
        let r = self.cmd(b'M', b"<sender@example.org>\0SIZE=100\0").await;
        if r != [Response::Continue] {
            return r;
        }
        assert_eq!(
            self.cmd(b'R', b"<user@example.jp>\0").await,
            [Response::Continue]
        );
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map(|i| (i, i + 4))
            .unwrap_or((raw.len(), raw.len()));
        let head = String::from_utf8_lossy(&raw[..split.0]).into_owned();
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in head.split("\r\n") {
            if line.starts_with([' ', '\t']) {
                if let Some(h) = headers.last_mut() {
                    h.1.push('\n');
                    h.1.push_str(line);
                }
            } else if let Some((n, v)) = line.split_once(':') {
                headers.push((n.to_string(), v.trim_start().to_string()));
            }
        }
        for (n, v) in &headers {
            let data = [n.as_bytes(), b"\0", v.as_bytes(), b"\0"].concat();
            assert_eq!(self.cmd(b'L', &data).await, [Response::Continue]);
        }
        assert_eq!(self.cmd(b'N', b"").await, [Response::Continue]);
        for chunk in raw[split.1..].chunks(65535) {
            let r = self.cmd(b'B', chunk).await;
            if r != [Response::Continue] {
                assert_eq!(r, [Response::Skip]);
                break;
            }
        }
        self.send(b'D', format!("Ei\0{queue_id}\0").as_bytes())
            .await;
        self.cmd(b'E', b"").await
    }
}

async fn mta(addr: std::net::SocketAddr) -> Mta<TcpStream> {
    let mut m = Mta {
        s: TcpStream::connect(addr).await.unwrap(),
    };
    m.negotiate().await;
    m
}

fn header<'a>(replies: &'a [Response], name: &str) -> Option<&'a str> {
    replies.iter().find_map(|r| match r {
        Response::AddHeader { name: n, value } if n == name => Some(value.as_str()),
        _ => None,
    })
}

fn subject_change(replies: &[Response]) -> Option<&str> {
    replies.iter().find_map(|r| match r {
        Response::ChgHeader { name, value, .. } if name == "Subject" => Some(value.as_str()),
        _ => None,
    })
}

fn fixed(verdict: Verdict) -> AnalyzeFn {
    Arc::new(move |_: &[u8], _: &str, _: Option<&AuthResults>| {
        Ok(Outcome {
            verdict,
            score: 9.0,
            reasons: vec!["link_off_brand".into()],
        })
    })
}

#[tokio::test]
async fn phishing_and_genuine_mail_over_a_connection() {
    let addr = start(Config::default(), phishguard_analyzer().unwrap()).await;
    let mut m = mta(addr).await;
    assert_eq!(m.connect("192.0.2.10").await, [Response::Continue]);

    let r = m
        .message(&example("fake-prime-suspension.eml"), "AAA111", None)
        .await;
    assert_eq!(
        header(&r, "X-Phishguard-Verdict"),
        Some("phishing"),
        "{r:?}"
    );
    assert!(
        header(&r, "X-Phishguard-Score")
            .unwrap()
            .parse::<f64>()
            .unwrap()
            > 5.0
    );
    assert!(
        header(&r, "X-Phishguard-Reasons")
            .unwrap()
            .contains("link_off_brand")
    );
    let subject = subject_change(&r).unwrap();
    assert!(subject.starts_with("[phishing?] =?UTF-8?B?"), "{subject}");
    assert_eq!(r.last(), Some(&Response::Accept));

    // A second message on the same connection.
    let r = m
        .message(&example("genuine-amazon-order.eml"), "BBB222", None)
        .await;
    assert_eq!(
        header(&r, "X-Phishguard-Verdict"),
        Some("legitimate"),
        "{r:?}"
    );
    assert_eq!(subject_change(&r), None);
    assert_eq!(r.last(), Some(&Response::Accept));

    // An aborted message, then a malformed one: still answered.
    m.send(b'A', b"").await;
    let r = m
        .message(b"\x00\xff garbage without headers", "CCC333", None)
        .await;
    assert!(matches!(r.last(), Some(Response::Accept)), "{r:?}");
    m.send(b'Q', b"").await;
}

#[tokio::test]
async fn reject_quarantine_and_skips() {
    let mut cfg = Config::default();
    cfg.policy.phishing = Action::Reject;
    cfg.policy.suspicious = Action::Quarantine;
    cfg.skip.trusted_networks = vec!["198.51.100.0/24".parse::<Cidr>().unwrap()];
    cfg.skip.authenticated = true;
    let addr = start(cfg.clone(), fixed(Verdict::Phishing)).await;
    let mut m = mta(addr).await;
    m.connect("192.0.2.10").await;
    let r = m.message(b"Subject: x\r\n\r\nbody\r\n", "Q1", None).await;
    assert_eq!(
        r,
        [Response::ReplyCode(
            "550 5.7.1 Message rejected as likely phishing (link_off_brand)".into()
        )]
    );
    // Authenticated sender: accepted at MAIL, nothing more asked.
    let r = m
        .message(b"Subject: x\r\n\r\nbody\r\n", "Q2", Some("bob"))
        .await;
    assert_eq!(r, [Response::Accept]);

    // Trusted network: accepted at connect.
    let mut m = mta(addr).await;
    assert_eq!(m.connect("198.51.100.7").await, [Response::Accept]);

    let addr = start(cfg, fixed(Verdict::Suspicious)).await;
    let mut m = mta(addr).await;
    m.connect("192.0.2.10").await;
    let r = m
        .message(b"Subject: hello\r\n\r\nbody\r\n", "Q3", None)
        .await;
    assert!(
        r.contains(&Response::Quarantine("phishguard suspicious".into())),
        "{r:?}"
    );
    assert_eq!(subject_change(&r), Some("[suspicious?] hello"));
    assert_eq!(r.last(), Some(&Response::Accept));
}

#[tokio::test]
async fn time_budget_and_internal_errors_follow_the_fault_action() {
    let slow: AnalyzeFn = Arc::new(|_: &[u8], _: &str, _: Option<&AuthResults>| {
        std::thread::sleep(Duration::from_secs(3));
        Err("too slow".into())
    });
    let panics: AnalyzeFn = Arc::new(|_: &[u8], _: &str, _: Option<&AuthResults>| panic!("boom"));
    for (on_error, expect) in [
        (FaultAction::Accept, Response::Accept),
        (FaultAction::Tempfail, Response::TempFail),
    ] {
        let mut cfg = Config::default();
        cfg.faults.timeout_ms = 200;
        cfg.faults.on_error = on_error;
        let addr = start(cfg.clone(), slow.clone()).await;
        let mut m = mta(addr).await;
        m.connect("192.0.2.10").await;
        let t = Instant::now();
        let r = m.message(b"Subject: x\r\n\r\nbody\r\n", "T1", None).await;
        assert_eq!(r, std::slice::from_ref(&expect));
        assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());

        let addr = start(cfg, panics.clone()).await;
        let mut m = mta(addr).await;
        m.connect("192.0.2.10").await;
        for q in ["P1", "P2"] {
            let r = m.message(b"Subject: x\r\n\r\nbody\r\n", q, None).await;
            assert_eq!(r, std::slice::from_ref(&expect));
        }
    }
}

#[tokio::test]
async fn oversized_message_follows_its_action() {
    for (act, expect) in [
        (FaultAction::Accept, Response::Accept),
        (FaultAction::Tempfail, Response::TempFail),
    ] {
        let mut cfg = Config::default();
        cfg.faults.max_message_bytes = 100_000;
        cfg.faults.on_oversize = act;
        let addr = start(cfg, fixed(Verdict::Phishing)).await;
        let mut m = mta(addr).await;
        m.connect("192.0.2.10").await;
        let mut raw = b"Subject: big\r\n\r\n".to_vec();
        raw.resize(300_000, b'a');
        let r = m.message(&raw, "O1", None).await;
        assert_eq!(r, [expect]);
        // The connection goes on with a normal message.
        let r = m
            .message(b"Subject: small\r\n\r\nbody\r\n", "O2", None)
            .await;
        assert_eq!(header(&r, "X-Phishguard-Verdict"), Some("phishing"));
    }
}

#[tokio::test]
async fn bad_packets_close_only_their_connection() {
    let addr = start(Config::default(), fixed(Verdict::Legitimate)).await;
    // A length over the frame limit: the fault action, then close.
    let mut m = mta(addr).await;
    m.s.write_all(&(64u32 << 20).to_be_bytes()).await.unwrap();
    assert_eq!(m.recv().await, Some(Response::Accept));
    assert_eq!(m.recv().await, None);
    // An unknown command is ignored; the connection keeps working.
    let mut m = mta(addr).await;
    m.send(b'Z', b"future command").await;
    assert_eq!(m.connect("192.0.2.10").await, [Response::Continue]);
    // A truncated packet then EOF: the server just drops it.
    let mut m = mta(addr).await;
    m.s.write_all(&[0, 0, 0, 50, b'L', b'x']).await.unwrap();
    m.s.shutdown().await.unwrap();
    assert_eq!(m.recv().await, None);
    // The server still serves.
    let mut m = mta(addr).await;
    m.connect("192.0.2.10").await;
    let r = m.message(b"Subject: x\r\n\r\nbody\r\n", "B1", None).await;
    assert_eq!(header(&r, "X-Phishguard-Verdict"), Some("legitimate"));
}

#[tokio::test]
async fn many_connections_at_once() {
    let addr = start(Config::default(), phishguard_analyzer().unwrap()).await;
    let phish = Arc::new(example("fake-prime-suspension.eml"));
    let mut tasks = Vec::new();
    for i in 0..16 {
        let phish = phish.clone();
        tasks.push(tokio::spawn(async move {
            let mut m = mta(addr).await;
            m.connect("192.0.2.10").await;
            for j in 0..5 {
                let r = m.message(&phish, &format!("M{i}x{j}"), None).await;
                assert_eq!(header(&r, "X-Phishguard-Verdict"), Some("phishing"));
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
}

#[tokio::test]
async fn unix_socket_and_metrics() {
    let dir = std::env::temp_dir().join(format!("pg-milter-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("milter.sock");
    let cfg = Config {
        listen: Listen::Unix(path.clone()),
        workers: 1,
        ..Config::default()
    };
    let server = Server::bind(cfg, fixed(Verdict::Phishing)).await.unwrap();
    let metrics = server.metrics();
    tokio::spawn(server.serve());
    let mut m = Mta {
        s: tokio::net::UnixStream::connect(&path).await.unwrap(),
    };
    m.negotiate().await;
    m.send(b'C', b"localhost\0U").await;
    assert_eq!(m.recv().await, Some(Response::Continue));
    let r = m.message(b"Subject: x\r\n\r\nbody\r\n", "U1", None).await;
    assert_eq!(header(&r, "X-Phishguard-Verdict"), Some("phishing"));

    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let maddr = l.local_addr().unwrap();
    tokio::spawn(phishguard_milter::metrics::serve(l, metrics));
    let mut s = TcpStream::connect(maddr).await.unwrap();
    s.write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut body = String::new();
    s.read_to_string(&mut body).await.unwrap();
    assert!(body.starts_with("HTTP/1.1 200 OK"), "{body}");
    assert!(
        body.contains("phishguard_milter_verdicts_total{verdict=\"phishing\"} 1"),
        "{body}"
    );
    assert!(body.contains("phishguard_milter_actions_total{action=\"tag\"} 1"));
    assert!(body.contains("phishguard_milter_seconds_count 1"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A DNS server on loopback: NXDOMAIN for every query when `answer` is true, silence
/// (time-outs) when false. Bounded: it stops after 500 queries.
fn loopback_dns(answer: bool) -> std::net::SocketAddr {
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = sock.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut buf = [0u8; 1500];
        for _ in 0..500 {
            let Ok((n, peer)) = sock.recv_from(&mut buf) else {
                return;
            };
            if !answer || n < 12 {
                continue;
            }
            let mut reply = buf[..n].to_vec();
            reply[2] = 0x81 | (buf[2] & 0x01);
            reply[3] = 0x83; // NXDOMAIN
            reply[6..12].copy_from_slice(&[0; 6]);
            let _ = sock.send_to(&reply, peer);
        }
    });
    addr
}

fn live_config(dns: std::net::SocketAddr) -> Config {
    let mut cfg = Config::default();
    cfg.auth.dns = Some(true);
    cfg.auth.nameservers = vec![dns.to_string()];
    cfg.auth.dns_timeout_ms = 300;
    cfg.auth.timeout_ms = 1500;
    cfg
}

#[tokio::test]
async fn live_verification_finds_an_unsigned_official_sender() {
    // The "genuine" example is not DKIM-signed: verified live, amazon.co.jp did not
    // send it (no signature, no SPF pass for the client), so the From is forged.
    let addr = start(
        live_config(loopback_dns(true)),
        phishguard_analyzer().unwrap(),
    )
    .await;
    let mut m = mta(addr).await;
    m.connect("192.0.2.10").await;
    let r = m
        .message(&example("genuine-prime-payment-notice.eml"), "LIVE1", None)
        .await;
    let reasons = header(&r, "X-Phishguard-Reasons").unwrap();
    assert!(reasons.contains("official_sender_auth_fail"), "{r:?}");
    assert!(!reasons.contains("sender_auth_results"), "{r:?}");
    assert_eq!(r.last(), Some(&Response::Accept));
}

#[tokio::test]
async fn dns_time_outs_are_no_verdict_and_no_fault() {
    let mut cfg = live_config(loopback_dns(false));
    cfg.policy.phishing = Action::Reject;
    cfg.faults.on_error = FaultAction::Tempfail;
    let addr = start(cfg, phishguard_analyzer().unwrap()).await;
    let mut m = mta(addr).await;
    m.connect("192.0.2.10").await;
    let started = Instant::now();
    let r = m
        .message(&example("genuine-prime-payment-notice.eml"), "LIVE2", None)
        .await;
    // judged on the message alone, within the budget: not tempfailed, not rejected
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        header(&r, "X-Phishguard-Verdict"),
        Some("legitimate"),
        "{r:?}"
    );
    assert!(
        !header(&r, "X-Phishguard-Reasons")
            .unwrap()
            .contains("official_sender_auth_fail")
    );
    assert_eq!(r.last(), Some(&Response::Accept));
}
