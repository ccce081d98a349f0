//! One milter connection as a state machine: commands in, replies out. It does no I/O
//! and runs no analysis itself: at the end of a message it hands the assembled message
//! back ([`Step::Eom`]) and the caller reports the outcome with [`Session::finish`].

use crate::codec::{Command, Family, PROTOCOL_VERSION, Response, action, proto};
use crate::config::{Action, Config, FaultAction};
use phishguard::Verdict;
use serde::Serialize;
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::Arc;

/// Header names this milter adds (and removes from incoming mail, so that a sender
/// cannot forge them).
pub const HEADER_VERDICT: &str = "X-Phishguard-Verdict";
pub const HEADER_SCORE: &str = "X-Phishguard-Score";
pub const HEADER_REASONS: &str = "X-Phishguard-Reasons";
const OWN_HEADERS: [&str; 3] = [HEADER_VERDICT, HEADER_SCORE, HEADER_REASONS];

/// What the analysis found.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub verdict: Verdict,
    pub score: f64,
    /// Check ids, strongest first.
    pub reasons: Vec<String>,
}

/// Why a message was not judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The analysis failed or panicked.
    Error,
    /// The time budget was spent.
    Timeout,
    /// All analysis workers are busy and the queue is full.
    Overload,
    /// The message is over `max_message_bytes`.
    Oversize,
}

impl Fault {
    pub fn as_str(self) -> &'static str {
        match self {
            Fault::Error => "error",
            Fault::Timeout => "timeout",
            Fault::Overload => "overload",
            Fault::Oversize => "oversize",
        }
    }
}

/// What the caller must do after a command.
#[derive(Debug, PartialEq)]
pub enum Step {
    /// Send these (possibly none: macros and aborts get no reply).
    Reply(Vec<Response>),
    /// End of message: analyse `raw` (or, for an oversized message, nothing) and call
    /// [`Session::finish`].
    Eom(Eom),
    /// Close the connection.
    Close,
}

#[derive(Debug, PartialEq)]
pub enum Eom {
    Analyze(Vec<u8>),
    Oversize,
}

/// One line of the per-mail log.
#[derive(Debug, Clone, Serialize)]
pub struct MailLog {
    pub queue_id: String,
    pub client: String,
    /// `null` when the message was not judged.
    pub verdict: Option<&'static str>,
    pub score: Option<f64>,
    pub reasons: Vec<String>,
    /// `accept`, `tag`, `quarantine`, `reject`, `tempfail`, `skip`.
    pub action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<&'static str>,
    pub bytes: usize,
    /// Milliseconds from end of message to reply (set by the caller).
    pub ms: f64,
    /// Live sender authentication results (`spf=pass dkim=pass dmarc=pass`; set by the
    /// caller when DNS verification is on).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth: Option<String>,
}

#[derive(Debug, Default)]
struct Message {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Bytes seen (headers and body), counted on after the limit.
    size: usize,
    oversized: bool,
}

/// The state of one connection.
#[derive(Debug)]
pub struct Session {
    cfg: Arc<Config>,
    actions: u32,
    protocol: u32,
    negotiated: bool,
    macros: BTreeMap<u8, BTreeMap<String, String>>,
    client: String,
    client_ip: Option<IpAddr>,
    helo: Option<String>,
    mail_from: Option<String>,
    msg: Option<Message>,
    logs: Vec<MailLog>,
}

impl Session {
    pub fn new(cfg: Arc<Config>) -> Session {
        Session {
            cfg,
            actions: 0,
            protocol: 0,
            negotiated: false,
            macros: BTreeMap::new(),
            client: String::new(),
            client_ip: None,
            helo: None,
            mail_from: None,
            msg: None,
            logs: Vec::new(),
        }
    }

    /// Log lines produced since the last call.
    pub fn take_logs(&mut self) -> Vec<MailLog> {
        std::mem::take(&mut self.logs)
    }

    /// A macro's value, latest stage first.
    pub fn macro_value(&self, name: &str) -> Option<&str> {
        self.macros
            .values()
            .rev()
            .find_map(|m| m.get(name))
            .map(String::as_str)
    }

    /// What the SMTP session saw of the current message: client IP, HELO, MAIL FROM.
    pub fn envelope(&self) -> phishguard_auth::Envelope {
        phishguard_auth::Envelope {
            ip: self.client_ip,
            helo: self.helo.clone(),
            mail_from: self.mail_from.clone(),
        }
    }

    fn queue_id(&self) -> String {
        self.macro_value("i").unwrap_or("").to_string()
    }

    fn reset_message(&mut self) {
        self.msg = None;
        // Connection- and HELO-level macros stay; the message's go.
        self.macros.retain(|stage, _| matches!(stage, b'C' | b'H'));
    }

    fn message(&mut self) -> &mut Message {
        self.msg.get_or_insert_with(Message::default)
    }

    fn count(&mut self, n: usize) {
        let limit = self.cfg.faults.max_message_bytes;
        let m = self.message();
        m.size = m.size.saturating_add(n);
        if m.size > limit && !m.oversized {
            m.oversized = true;
            m.body = Vec::new();
            m.headers = Vec::new();
        }
    }

    /// Handles one command.
    pub fn on_command(&mut self, cmd: Command) -> Step {
        let cont = || Step::Reply(vec![Response::Continue]);
        match cmd {
            Command::OptNeg {
                version,
                actions,
                protocol,
            } => {
                if version < 2 {
                    return Step::Close;
                }
                self.actions = actions & (action::ADDHDRS | action::CHGHDRS | action::QUARANTINE);
                self.protocol = protocol
                    & (proto::NOHELO
                        | proto::NORCPT
                        | proto::NOUNKNOWN
                        | proto::NODATA
                        | proto::SKIP);
                self.negotiated = true;
                Step::Reply(vec![Response::OptNeg {
                    version: version.min(PROTOCOL_VERSION),
                    actions: self.actions,
                    protocol: self.protocol,
                }])
            }
            Command::Macro { stage, macros } => {
                self.macros.entry(stage).or_default().extend(macros);
                Step::Reply(vec![])
            }
            Command::Connect { hostname, family } => {
                self.client_ip = match &family {
                    Family::Inet(ip, _) => Some(*ip),
                    _ => None,
                };
                self.client = match &family {
                    Family::Inet(ip, _) => format!("{hostname}[{ip}]"),
                    Family::Unix(p) => format!("{hostname}[unix:{p}]"),
                    Family::Unknown | Family::Other(..) => hostname,
                };
                if let Some(ip) = self.client_ip
                    && self
                        .cfg
                        .skip
                        .trusted_networks
                        .iter()
                        .any(|n| n.contains(ip))
                {
                    self.log_skip("trusted_network");
                    return Step::Reply(vec![Response::Accept]);
                }
                cont()
            }
            Command::Helo(name) => {
                self.helo = Some(name.trim().to_string()).filter(|h| !h.is_empty());
                cont()
            }
            Command::Rcpt(_) | Command::Data | Command::Unknown(_) => cont(),
            Command::Mail(args) => {
                self.msg = Some(Message::default());
                self.mail_from = args.first().map(|a| {
                    a.trim()
                        .trim_start_matches('<')
                        .trim_end_matches('>')
                        .to_string()
                });
                let authed = self
                    .macro_value("auth_authen")
                    .is_some_and(|v| !v.is_empty());
                if authed && self.cfg.skip.authenticated {
                    self.log_skip("authenticated");
                    self.reset_message();
                    return Step::Reply(vec![Response::Accept]);
                }
                cont()
            }
            Command::Header { name, value } => {
                self.count(name.len() + value.len() + 4);
                let m = self.message();
                if !m.oversized {
                    m.headers.push((name, value));
                }
                cont()
            }
            Command::Eoh => cont(),
            Command::Body(chunk) => {
                self.count(chunk.len());
                let skip_ok = self.protocol & proto::SKIP != 0;
                let m = self.message();
                if m.oversized {
                    return Step::Reply(vec![if skip_ok {
                        Response::Skip
                    } else {
                        Response::Continue
                    }]);
                }
                m.body.extend_from_slice(&chunk);
                cont()
            }
            Command::BodyEob => {
                let m = self.message();
                if m.oversized {
                    return Step::Eom(Eom::Oversize);
                }
                let mut raw = Vec::with_capacity(m.size + m.headers.len() * 2 + 2);
                for (name, value) in &m.headers {
                    raw.extend_from_slice(name.as_bytes());
                    raw.extend_from_slice(b": ");
                    // folded values come with bare LF: the message (and DKIM) has CRLF
                    if value.contains('\n') {
                        let crlf = value.replace("\r\n", "\n").replace('\n', "\r\n");
                        raw.extend_from_slice(crlf.as_bytes());
                    } else {
                        raw.extend_from_slice(value.as_bytes());
                    }
                    raw.extend_from_slice(b"\r\n");
                }
                raw.extend_from_slice(b"\r\n");
                raw.extend_from_slice(&m.body);
                Step::Eom(Eom::Analyze(raw))
            }
            Command::Abort => {
                self.reset_message();
                Step::Reply(vec![])
            }
            Command::Quit => Step::Close,
            Command::QuitNc => {
                self.reset_message();
                self.macros.clear();
                self.client.clear();
                self.client_ip = None;
                self.helo = None;
                self.mail_from = None;
                Step::Reply(vec![])
            }
            // A command this milter does not know: no reply is defined, so none is sent.
            Command::Other(_) => Step::Reply(vec![]),
        }
    }

    fn log_skip(&mut self, why: &'static str) {
        self.logs.push(MailLog {
            queue_id: self.queue_id(),
            client: self.client.clone(),
            verdict: None,
            score: None,
            reasons: vec![],
            action: "skip",
            fault: None,
            skipped: Some(why),
            bytes: 0,
            ms: 0.0,
            auth: None,
        });
    }

    /// The replies for the message that [`Step::Eom`] handed out, given what the
    /// analysis found (or why there is no result). Resets the message state and queues
    /// its log line (see [`Session::take_logs`]).
    pub fn finish(&mut self, result: Result<Outcome, Fault>) -> Vec<Response> {
        let msg = self.msg.take().unwrap_or_default();
        let mut log = MailLog {
            queue_id: self.queue_id(),
            client: self.client.clone(),
            verdict: None,
            score: None,
            reasons: vec![],
            action: "accept",
            fault: None,
            skipped: None,
            bytes: msg.size,
            ms: 0.0,
            auth: None,
        };
        let out = match result {
            Err(fault) => {
                let act = match fault {
                    Fault::Oversize => self.cfg.faults.on_oversize,
                    _ => self.cfg.faults.on_error,
                };
                log.fault = Some(fault.as_str());
                log.action = act.as_str();
                match act {
                    FaultAction::Accept => vec![Response::Accept],
                    FaultAction::Tempfail => vec![Response::TempFail],
                }
            }
            Ok(outcome) => {
                let act = self.cfg.action_for(outcome.verdict);
                log.verdict = Some(outcome.verdict.as_str());
                log.score = Some(round2(outcome.score));
                log.reasons = outcome.reasons.clone();
                log.action = act.as_str();
                self.replies(&msg, &outcome, act)
            }
        };
        self.logs.push(log);
        self.reset_message();
        out
    }

    fn replies(&self, msg: &Message, outcome: &Outcome, act: Action) -> Vec<Response> {
        if act == Action::Reject {
            return vec![Response::ReplyCode(self.reject_reply(outcome))];
        }
        let can_add = self.actions & action::ADDHDRS != 0;
        let can_change = self.actions & action::CHGHDRS != 0;
        let mut out = Vec::new();
        if self.cfg.add_headers && can_add {
            if can_change {
                // Remove forged copies of our headers, last first so indexes hold.
                for own in OWN_HEADERS {
                    let n = msg
                        .headers
                        .iter()
                        .filter(|(name, _)| name.eq_ignore_ascii_case(own))
                        .count();
                    for index in (1..=n).rev() {
                        out.push(Response::ChgHeader {
                            index: index as u32,
                            name: own.to_string(),
                            value: String::new(),
                        });
                    }
                }
            }
            let reasons = if outcome.reasons.is_empty() {
                "none".to_string()
            } else {
                clip(&outcome.reasons.join(", "), 900)
            };
            out.push(Response::AddHeader {
                name: HEADER_VERDICT.into(),
                value: outcome.verdict.as_str().into(),
            });
            out.push(Response::AddHeader {
                name: HEADER_SCORE.into(),
                value: format!("{:.2}", outcome.score),
            });
            out.push(Response::AddHeader {
                name: HEADER_REASONS.into(),
                value: reasons,
            });
        }
        let tag = match outcome.verdict {
            Verdict::Phishing => self.cfg.subject_tag.phishing.as_str(),
            Verdict::Suspicious => self.cfg.subject_tag.suspicious.as_str(),
            Verdict::Legitimate => "",
        };
        let tagging = matches!(act, Action::Tag | Action::Quarantine)
            && self.cfg.subject_tag.enabled
            && !tag.is_empty();
        if tagging {
            let subject = msg
                .headers
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("Subject"))
                .map(|(_, v)| v.as_str());
            match subject {
                Some(s) if s.trim_start().starts_with(tag) => {}
                Some(s) if can_change => out.push(Response::ChgHeader {
                    index: 1,
                    name: "Subject".into(),
                    value: format!("{tag} {}", s.trim_start()),
                }),
                None if can_add => out.push(Response::AddHeader {
                    name: "Subject".into(),
                    value: tag.to_string(),
                }),
                _ => {}
            }
        }
        if act == Action::Quarantine && self.actions & action::QUARANTINE != 0 {
            out.push(Response::Quarantine(format!(
                "{} {}",
                safe_text(&self.cfg.policy.quarantine_reason),
                outcome.verdict.as_str()
            )));
        }
        out.push(Response::Accept);
        out
    }

    fn reject_reply(&self, outcome: &Outcome) -> String {
        let ids: Vec<&str> = outcome.reasons.iter().take(3).map(String::as_str).collect();
        let mut text = format!("550 5.7.1 {}", safe_text(&self.cfg.policy.reject_text));
        if !ids.is_empty() {
            text.push_str(&format!(" ({})", safe_text(&ids.join(", "))));
        }
        clip(&text, 400)
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Printable ASCII only (no CR/LF, no `%`, which Sendmail treats as a format).
fn safe_text(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '%' {
                c
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn clip(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Cidr;

    fn session(cfg: Config) -> Session {
        let mut s = Session::new(Arc::new(cfg));
        let r = s.on_command(Command::OptNeg {
            version: 6,
            actions: 0x1ff,
            protocol: 0x1fffff,
        });
        assert_eq!(
            r,
            Step::Reply(vec![Response::OptNeg {
                version: 6,
                actions: action::ADDHDRS | action::CHGHDRS | action::QUARANTINE,
                protocol: proto::NOHELO
                    | proto::NORCPT
                    | proto::NOUNKNOWN
                    | proto::NODATA
                    | proto::SKIP,
            }])
        );
        s
    }

    fn connect(s: &mut Session, ip: &str) -> Step {
        s.on_command(Command::Connect {
            hostname: "client.example".into(),
            family: Family::Inet(ip.parse().unwrap(), 4321),
        })
    }

    fn message(s: &mut Session, subject: &str) -> Step {
        s.on_command(Command::Mail(vec!["<a@example.org>".into()]));
        s.on_command(Command::Header {
            name: "Subject".into(),
            value: subject.into(),
        });
        s.on_command(Command::Header {
            name: "X-Phishguard-Verdict".into(),
            value: "legitimate".into(),
        });
        s.on_command(Command::Eoh);
        s.on_command(Command::Body(b"hello\r\n".to_vec()));
        s.on_command(Command::BodyEob)
    }

    fn phish() -> Outcome {
        Outcome {
            verdict: Verdict::Phishing,
            score: 7.254,
            reasons: vec!["link_off_brand".into(), "urgent_action".into()],
        }
    }

    #[test]
    fn tag_policy_adds_headers_and_tags_subject() {
        let mut s = session(Config::default());
        assert_eq!(
            connect(&mut s, "192.0.2.1"),
            Step::Reply(vec![Response::Continue])
        );
        let Step::Eom(Eom::Analyze(raw)) = message(&mut s, "Your account") else {
            panic!()
        };
        let text = String::from_utf8(raw).unwrap();
        assert!(
            text.starts_with(
                "Subject: Your account\r\nX-Phishguard-Verdict: legitimate\r\n\r\nhello"
            )
        );
        let out = s.finish(Ok(phish()));
        assert_eq!(
            out,
            vec![
                Response::ChgHeader {
                    index: 1,
                    name: HEADER_VERDICT.into(),
                    value: String::new()
                },
                Response::AddHeader {
                    name: HEADER_VERDICT.into(),
                    value: "phishing".into()
                },
                Response::AddHeader {
                    name: HEADER_SCORE.into(),
                    value: "7.25".into()
                },
                Response::AddHeader {
                    name: HEADER_REASONS.into(),
                    value: "link_off_brand, urgent_action".into()
                },
                Response::ChgHeader {
                    index: 1,
                    name: "Subject".into(),
                    value: "[phishing?] Your account".into()
                },
                Response::Accept,
            ]
        );
        let logs = s.take_logs();
        assert_eq!(logs.len(), 1);
        assert_eq!(logs[0].action, "tag");
        assert_eq!(logs[0].score, Some(7.25));
    }

    #[test]
    fn legitimate_gets_headers_only() {
        let mut s = session(Config::default());
        connect(&mut s, "192.0.2.1");
        message(&mut s, "Order");
        let out = s.finish(Ok(Outcome {
            verdict: Verdict::Legitimate,
            score: 0.0,
            reasons: vec![],
        }));
        assert!(out.contains(&Response::AddHeader {
            name: HEADER_REASONS.into(),
            value: "none".into()
        }));
        assert!(
            !out.iter()
                .any(|r| matches!(r, Response::ChgHeader { name, .. } if name == "Subject"))
        );
        assert_eq!(out.last(), Some(&Response::Accept));
    }

    #[test]
    fn reject_and_quarantine() {
        let mut cfg = Config::default();
        cfg.policy.phishing = Action::Reject;
        cfg.policy.suspicious = Action::Quarantine;
        let mut s = session(cfg);
        connect(&mut s, "192.0.2.1");
        message(&mut s, "x");
        assert_eq!(
            s.finish(Ok(phish())),
            vec![Response::ReplyCode(
                "550 5.7.1 Message rejected as likely phishing (link_off_brand, urgent_action)"
                    .into()
            )]
        );
        message(&mut s, "y");
        let out = s.finish(Ok(Outcome {
            verdict: Verdict::Suspicious,
            ..phish()
        }));
        assert!(out.contains(&Response::Quarantine("phishguard suspicious".into())));
        assert!(out.contains(&Response::ChgHeader {
            index: 1,
            name: "Subject".into(),
            value: "[suspicious?] y".into()
        }));
    }

    #[test]
    fn trusted_network_and_authenticated_are_skipped() {
        let mut cfg = Config::default();
        cfg.skip.trusted_networks = vec!["10.0.0.0/8".parse::<Cidr>().unwrap()];
        cfg.skip.authenticated = true;
        let mut s = session(cfg);
        assert_eq!(
            connect(&mut s, "10.1.2.3"),
            Step::Reply(vec![Response::Accept])
        );
        assert_eq!(s.take_logs()[0].skipped, Some("trusted_network"));
        let mut s = Session::new(s.cfg.clone());
        connect(&mut s, "192.0.2.1");
        s.on_command(Command::Macro {
            stage: b'M',
            macros: [("auth_authen".to_string(), "bob".to_string())].into(),
        });
        assert_eq!(
            s.on_command(Command::Mail(vec!["<bob@example.org>".into()])),
            Step::Reply(vec![Response::Accept])
        );
        // The next message on the connection, not authenticated, is scanned.
        s.on_command(Command::Abort);
        assert!(matches!(message(&mut s, "z"), Step::Eom(Eom::Analyze(_))));
    }

    #[test]
    fn oversize_and_faults_follow_config() {
        let mut cfg = Config::default();
        cfg.faults.max_message_bytes = 100;
        cfg.faults.on_error = FaultAction::Tempfail;
        let mut s = session(cfg);
        connect(&mut s, "192.0.2.1");
        s.on_command(Command::Mail(vec![]));
        assert_eq!(
            s.on_command(Command::Body(vec![b'a'; 200])),
            Step::Reply(vec![Response::Skip])
        );
        assert_eq!(s.on_command(Command::BodyEob), Step::Eom(Eom::Oversize));
        assert_eq!(s.finish(Err(Fault::Oversize)), vec![Response::Accept]);
        message(&mut s, "x");
        assert_eq!(s.finish(Err(Fault::Timeout)), vec![Response::TempFail]);
        let logs = s.take_logs();
        assert_eq!(logs[0].fault, Some("oversize"));
        assert_eq!(logs[1].fault, Some("timeout"));
        assert_eq!(logs[1].action, "tempfail");
    }

    #[test]
    fn macros_reset_per_message_and_quit_nc() {
        let mut s = session(Config::default());
        connect(&mut s, "192.0.2.1");
        s.on_command(Command::Macro {
            stage: b'M',
            macros: [("i".to_string(), "Q1".to_string())].into(),
        });
        message(&mut s, "x");
        s.finish(Ok(phish()));
        assert_eq!(s.take_logs()[0].queue_id, "Q1");
        assert_eq!(s.macro_value("i"), None);
        assert_eq!(s.on_command(Command::QuitNc), Step::Reply(vec![]));
        assert_eq!(s.on_command(Command::Other(b'Z')), Step::Reply(vec![]));
        assert_eq!(s.on_command(Command::Quit), Step::Close);
    }

    /// Random byte streams through the decoder and the session: no panic, whatever comes.
    #[test]
    fn random_streams_never_panic() {
        use crate::codec::{Decoder, encode_command};
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut rand = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let codes = b"ODCHMRTLNBEAQKUZ";
        for _ in 0..2000 {
            let mut s = Session::new(Arc::new(Config {
                faults: crate::config::Faults {
                    max_message_bytes: 64,
                    ..Default::default()
                },
                ..Config::default()
            }));
            let mut d = Decoder::new(4096);
            for _ in 0..(rand() % 20) {
                let code = codes[(rand() % codes.len() as u64) as usize];
                let data: Vec<u8> = (0..rand() % 40)
                    .map(|_| match rand() % 4 {
                        0 => 0,
                        1 => b'4',
                        _ => rand() as u8,
                    })
                    .collect();
                let mut pkt = encode_command(code, &data);
                if rand() % 10 == 0 {
                    pkt.truncate((rand() % 6) as usize);
                }
                d.extend(&pkt);
                while let Ok(Some(cmd)) = d.next_command() {
                    if let Step::Eom(_) = s.on_command(cmd) {
                        let _ = s.finish(Err(Fault::Error));
                    }
                }
            }
        }
    }

    #[test]
    fn envelope_for_live_verification() {
        let mut s = session(Config::default());
        connect(&mut s, "192.0.2.1");
        s.on_command(Command::Helo("out.example.org".into()));
        let Step::Eom(Eom::Analyze(_)) = message(&mut s, "x") else {
            panic!()
        };
        let env = s.envelope();
        assert_eq!(env.ip, Some("192.0.2.1".parse().unwrap()));
        assert_eq!(env.helo.as_deref(), Some("out.example.org"));
        assert_eq!(env.mail_from.as_deref(), Some("a@example.org"));
        // folded header values get CRLF line ends in the assembled message
        s.on_command(Command::Mail(vec!["<>".into()]));
        assert_eq!(s.envelope().mail_from.as_deref(), Some(""));
        s.on_command(Command::Header {
            name: "DKIM-Signature".into(),
            value: "v=1;\n\tb=x".into(),
        });
        let Step::Eom(Eom::Analyze(raw)) = s.on_command(Command::BodyEob) else {
            panic!()
        };
        assert!(raw.starts_with(b"DKIM-Signature: v=1;\r\n\tb=x\r\n"));
    }

    #[test]
    fn reply_text_is_sanitised() {
        assert_eq!(safe_text("a\r\nb %s\0 c"), "a b s c");
        assert_eq!(clip("ééé", 3), "é");
    }
}
