//! The milter wire protocol (version 6, as spoken by Sendmail's libmilter and Postfix).
//!
//! Every packet is a 4-byte big-endian length, then that many bytes: one command byte
//! and its data. Strings are NUL-terminated. Nothing here trusts the peer: a length over
//! the configured maximum, a truncated packet or a malformed field is an error, never a
//! panic.

use std::collections::BTreeMap;

/// The protocol version this milter speaks.
pub const PROTOCOL_VERSION: u32 = 6;

/// Actions (what the milter may change), `SMFIF_*`.
pub mod action {
    pub const ADDHDRS: u32 = 0x01;
    pub const CHGBODY: u32 = 0x02;
    pub const ADDRCPT: u32 = 0x04;
    pub const DELRCPT: u32 = 0x08;
    pub const CHGHDRS: u32 = 0x10;
    pub const QUARANTINE: u32 = 0x20;
}

/// Protocol flags (which steps the MTA may leave out), `SMFIP_*`.
pub mod proto {
    pub const NOCONNECT: u32 = 0x01;
    pub const NOHELO: u32 = 0x02;
    pub const NOMAIL: u32 = 0x04;
    pub const NORCPT: u32 = 0x08;
    pub const NOBODY: u32 = 0x10;
    pub const NOHDRS: u32 = 0x20;
    pub const NOEOH: u32 = 0x40;
    pub const NOUNKNOWN: u32 = 0x100;
    pub const NODATA: u32 = 0x200;
    /// The MTA understands `SMFIR_SKIP`.
    pub const SKIP: u32 = 0x400;
}

/// Maximum packet size accepted by default (Postfix sends body chunks of at most 64 KiB
/// and headers of at most 100 KiB by default).
pub const DEFAULT_MAX_FRAME: usize = 1 << 20;

/// What is wrong with a packet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    #[error("packet of {0} bytes is over the limit of {1}")]
    TooLarge(usize, usize),
    #[error("empty packet")]
    Empty,
    #[error("malformed {0} packet")]
    Malformed(&'static str),
}

/// The peer's socket address as the MTA reports it in `SMFIC_CONNECT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Family {
    Unknown,
    Unix(String),
    Inet(std::net::IpAddr, u16),
    /// An address that did not parse; kept as text.
    Other(char, String),
}

/// A command from the MTA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    OptNeg {
        version: u32,
        actions: u32,
        protocol: u32,
    },
    /// Macros for the command `stage` (`C`, `H`, `M`, `R`, `T`, `L`, `N`, `E`, ...).
    Macro {
        stage: u8,
        macros: BTreeMap<String, String>,
    },
    Connect {
        hostname: String,
        family: Family,
    },
    Helo(String),
    Mail(Vec<String>),
    Rcpt(Vec<String>),
    Data,
    Header {
        name: String,
        value: String,
    },
    Eoh,
    Body(Vec<u8>),
    BodyEob,
    Abort,
    Quit,
    QuitNc,
    /// An SMTP command the MTA did not know.
    Unknown(Vec<u8>),
    /// A command code this milter does not know (ignored).
    Other(u8),
}

/// A reply or modification to the MTA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    OptNeg {
        version: u32,
        actions: u32,
        protocol: u32,
    },
    Continue,
    Accept,
    TempFail,
    Reject,
    Discard,
    Skip,
    /// `SMFIR_REPLYCODE`: e.g. `550 5.7.1 text`.
    ReplyCode(String),
    AddHeader {
        name: String,
        value: String,
    },
    InsHeader {
        index: u32,
        name: String,
        value: String,
    },
    /// Change the `index`-th (from 1) header called `name`; an empty value deletes it.
    ChgHeader {
        index: u32,
        name: String,
        value: String,
    },
    Quarantine(String),
}

/// Splits a byte stream into packets. Feed bytes with [`Decoder::extend`], take
/// commands with [`Decoder::next`].
#[derive(Debug)]
pub struct Decoder {
    buf: Vec<u8>,
    max_frame: usize,
}

impl Decoder {
    pub fn new(max_frame: usize) -> Decoder {
        Decoder {
            buf: Vec::new(),
            max_frame,
        }
    }

    pub fn extend(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Bytes buffered but not yet a whole packet.
    pub fn pending(&self) -> usize {
        self.buf.len()
    }

    /// The next whole command, `Ok(None)` if more bytes are needed. After an error the
    /// stream cannot be resynchronised: the connection should be closed.
    pub fn next_command(&mut self) -> Result<Option<Command>, CodecError> {
        let Some(len_bytes) = self.buf.get(..4) else {
            return Ok(None);
        };
        let mut len = [0u8; 4];
        len.copy_from_slice(len_bytes);
        let len = u32::from_be_bytes(len) as usize;
        if len == 0 {
            return Err(CodecError::Empty);
        }
        if len > self.max_frame {
            return Err(CodecError::TooLarge(len, self.max_frame));
        }
        let Some(packet) = self.buf.get(4..4 + len) else {
            return Ok(None);
        };
        let cmd = parse_command(packet);
        self.buf.drain(..4 + len);
        cmd.map(Some)
    }
}

/// Parses one packet (command byte and data).
pub fn parse_command(packet: &[u8]) -> Result<Command, CodecError> {
    let (&code, data) = packet.split_first().ok_or(CodecError::Empty)?;
    Ok(match code {
        b'O' => {
            let mut f = Fields::new(data);
            let m = "option negotiation";
            Command::OptNeg {
                version: f.u32().ok_or(CodecError::Malformed(m))?,
                actions: f.u32().ok_or(CodecError::Malformed(m))?,
                protocol: f.u32().ok_or(CodecError::Malformed(m))?,
            }
        }
        b'D' => {
            let (&stage, rest) = data.split_first().ok_or(CodecError::Malformed("macro"))?;
            let mut macros = BTreeMap::new();
            let mut f = Fields::new(rest);
            while !f.is_empty() {
                let name = f.string().ok_or(CodecError::Malformed("macro"))?;
                // A name without a value: tolerate (treat as empty).
                let value = f.string().unwrap_or_default();
                macros.insert(macro_name(&name), value);
            }
            Command::Macro { stage, macros }
        }
        b'C' => {
            let m = "connect";
            let mut f = Fields::new(data);
            let hostname = f.string().ok_or(CodecError::Malformed(m))?;
            let fam = f.u8().ok_or(CodecError::Malformed(m))?;
            let family = match fam {
                b'U' => Family::Unknown,
                b'L' | b'4' | b'6' => {
                    let port = f.u16().ok_or(CodecError::Malformed(m))?;
                    let addr = f.string().ok_or(CodecError::Malformed(m))?;
                    match fam {
                        b'L' => Family::Unix(addr),
                        _ => {
                            let text = addr.strip_prefix("IPv6:").unwrap_or(&addr);
                            match text.parse() {
                                Ok(ip) => Family::Inet(ip, port),
                                Err(_) => Family::Other(fam as char, addr),
                            }
                        }
                    }
                }
                other => Family::Other(other as char, String::new()),
            };
            Command::Connect { hostname, family }
        }
        b'H' => Command::Helo(Fields::new(data).string().unwrap_or_default()),
        b'M' => Command::Mail(Fields::new(data).strings()),
        b'R' => Command::Rcpt(Fields::new(data).strings()),
        b'T' => Command::Data,
        b'L' => {
            let mut f = Fields::new(data);
            let name = f.string().ok_or(CodecError::Malformed("header"))?;
            let value = f.string().ok_or(CodecError::Malformed("header"))?;
            Command::Header { name, value }
        }
        b'N' => Command::Eoh,
        b'B' => Command::Body(data.to_vec()),
        b'E' => Command::BodyEob,
        b'A' => Command::Abort,
        b'Q' => Command::Quit,
        b'K' => Command::QuitNc,
        b'U' => Command::Unknown(data.to_vec()),
        other => Command::Other(other),
    })
}

/// `{auth_authen}` and `auth_authen` are the same macro.
fn macro_name(name: &str) -> String {
    name.trim_start_matches('{')
        .trim_end_matches('}')
        .to_string()
}

/// Reads NUL-terminated strings and big-endian integers from packet data.
struct Fields<'a> {
    data: &'a [u8],
}

impl<'a> Fields<'a> {
    fn new(data: &'a [u8]) -> Self {
        Fields { data }
    }

    fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let head = self.data.get(..n)?;
        self.data = self.data.get(n..)?;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1)?.first().copied()
    }

    fn u16(&mut self) -> Option<u16> {
        let b = self.take(2)?;
        Some(u16::from_be_bytes([*b.first()?, *b.get(1)?]))
    }

    fn u32(&mut self) -> Option<u32> {
        let b = self.take(4)?;
        let mut a = [0u8; 4];
        a.copy_from_slice(b);
        Some(u32::from_be_bytes(a))
    }

    /// A NUL-terminated string (lossy UTF-8); `None` if there is no NUL.
    fn string(&mut self) -> Option<String> {
        let end = self.data.iter().position(|&b| b == 0)?;
        let s = String::from_utf8_lossy(self.take(end)?).into_owned();
        self.take(1)?;
        Some(s)
    }

    /// All NUL-terminated strings; a trailing unterminated one is kept too.
    fn strings(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        while !self.is_empty() {
            match self.string() {
                Some(s) => out.push(s),
                None => {
                    out.push(String::from_utf8_lossy(self.data).into_owned());
                    break;
                }
            }
        }
        out
    }
}

/// Encodes a response as a whole packet (length prefix included).
pub fn encode(resp: &Response) -> Vec<u8> {
    let mut body: Vec<u8> = Vec::new();
    let push_str = |b: &mut Vec<u8>, s: &str| {
        // NUL cannot appear inside a field.
        b.extend(s.bytes().filter(|&c| c != 0));
        b.push(0);
    };
    match resp {
        Response::OptNeg {
            version,
            actions,
            protocol,
        } => {
            body.push(b'O');
            body.extend_from_slice(&version.to_be_bytes());
            body.extend_from_slice(&actions.to_be_bytes());
            body.extend_from_slice(&protocol.to_be_bytes());
        }
        Response::Continue => body.push(b'c'),
        Response::Accept => body.push(b'a'),
        Response::TempFail => body.push(b't'),
        Response::Reject => body.push(b'r'),
        Response::Discard => body.push(b'd'),
        Response::Skip => body.push(b's'),
        Response::ReplyCode(text) => {
            body.push(b'y');
            push_str(&mut body, text);
        }
        Response::AddHeader { name, value } => {
            body.push(b'h');
            push_str(&mut body, name);
            push_str(&mut body, value);
        }
        Response::InsHeader { index, name, value } => {
            body.push(b'i');
            body.extend_from_slice(&index.to_be_bytes());
            push_str(&mut body, name);
            push_str(&mut body, value);
        }
        Response::ChgHeader { index, name, value } => {
            body.push(b'm');
            body.extend_from_slice(&index.to_be_bytes());
            push_str(&mut body, name);
            push_str(&mut body, value);
        }
        Response::Quarantine(reason) => {
            body.push(b'q');
            push_str(&mut body, reason);
        }
    }
    let mut out = Vec::with_capacity(body.len() + 4);
    out.extend_from_slice(&(body.len() as u32).to_be_bytes());
    out.extend_from_slice(&body);
    out
}

/// Encodes a command as the MTA would (for tests and test clients).
pub fn encode_command(code: u8, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 5);
    out.extend_from_slice(&((data.len() + 1) as u32).to_be_bytes());
    out.push(code);
    out.extend_from_slice(data);
    out
}

/// Parses a response packet (command byte and data), as the MTA would (for tests).
pub fn parse_response(packet: &[u8]) -> Result<Response, CodecError> {
    let (&code, data) = packet.split_first().ok_or(CodecError::Empty)?;
    let mut f = Fields::new(data);
    let bad = CodecError::Malformed("response");
    Ok(match code {
        b'O' => Response::OptNeg {
            version: f.u32().ok_or(bad.clone())?,
            actions: f.u32().ok_or(bad.clone())?,
            protocol: f.u32().ok_or(bad)?,
        },
        b'c' => Response::Continue,
        b'a' => Response::Accept,
        b't' => Response::TempFail,
        b'r' => Response::Reject,
        b'd' => Response::Discard,
        b's' => Response::Skip,
        b'y' => Response::ReplyCode(f.string().ok_or(bad)?),
        b'h' => Response::AddHeader {
            name: f.string().ok_or(bad.clone())?,
            value: f.string().ok_or(bad)?,
        },
        b'i' => Response::InsHeader {
            index: f.u32().ok_or(bad.clone())?,
            name: f.string().ok_or(bad.clone())?,
            value: f.string().ok_or(bad)?,
        },
        b'm' => Response::ChgHeader {
            index: f.u32().ok_or(bad.clone())?,
            name: f.string().ok_or(bad.clone())?,
            value: f.string().ok_or(bad)?,
        },
        b'q' => Response::Quarantine(f.string().ok_or(bad)?),
        _ => return Err(bad),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8]) -> Vec<Result<Option<Command>, CodecError>> {
        let mut d = Decoder::new(DEFAULT_MAX_FRAME);
        d.extend(bytes);
        let mut out = Vec::new();
        loop {
            let r = d.next_command();
            let stop = !matches!(r, Ok(Some(_)));
            out.push(r);
            if stop {
                break;
            }
        }
        out
    }

    #[test]
    fn optneg_roundtrip() {
        let mut data = Vec::new();
        for v in [6u32, 0x1ff, 0x1fffff] {
            data.extend_from_slice(&v.to_be_bytes());
        }
        let pkt = encode_command(b'O', &data);
        let mut d = Decoder::new(DEFAULT_MAX_FRAME);
        d.extend(&pkt);
        assert_eq!(
            d.next_command(),
            Ok(Some(Command::OptNeg {
                version: 6,
                actions: 0x1ff,
                protocol: 0x1fffff
            }))
        );
        assert_eq!(d.next_command(), Ok(None));
        let resp = Response::OptNeg {
            version: 6,
            actions: 0x31,
            protocol: 0x70a,
        };
        let enc = encode(&resp);
        assert_eq!(&enc[..4], &13u32.to_be_bytes());
        assert_eq!(parse_response(&enc[4..]), Ok(resp));
    }

    #[test]
    fn byte_at_a_time_and_several_in_one_read() {
        let mut stream = encode_command(b'L', b"Subject\0hello\0");
        stream.extend(encode_command(b'N', b""));
        stream.extend(encode_command(b'B', b"body\r\n"));
        let mut d = Decoder::new(DEFAULT_MAX_FRAME);
        let mut got = Vec::new();
        for b in &stream {
            d.extend(std::slice::from_ref(b));
            while let Ok(Some(c)) = d.next_command() {
                got.push(c);
            }
        }
        assert_eq!(
            got,
            vec![
                Command::Header {
                    name: "Subject".into(),
                    value: "hello".into()
                },
                Command::Eoh,
                Command::Body(b"body\r\n".to_vec()),
            ]
        );
        assert_eq!(d.pending(), 0);
    }

    #[test]
    fn truncated_frames_wait_for_more() {
        let pkt = encode_command(b'H', b"mx.example\0");
        for cut in 0..pkt.len() {
            let mut d = Decoder::new(DEFAULT_MAX_FRAME);
            d.extend(&pkt[..cut]);
            assert_eq!(d.next_command(), Ok(None), "cut at {cut}");
        }
    }

    #[test]
    fn oversize_and_empty_frames_are_errors() {
        let mut d = Decoder::new(100);
        d.extend(&101u32.to_be_bytes());
        assert_eq!(d.next_command(), Err(CodecError::TooLarge(101, 100)));
        let mut d = Decoder::new(100);
        d.extend(&u32::MAX.to_be_bytes());
        assert!(matches!(d.next_command(), Err(CodecError::TooLarge(..))));
        let mut d = Decoder::new(100);
        d.extend(&0u32.to_be_bytes());
        assert_eq!(d.next_command(), Err(CodecError::Empty));
    }

    #[test]
    fn malformed_fields_do_not_panic() {
        // Every command code with every short payload.
        for code in 0u8..=255 {
            for data in [
                &b""[..],
                b"\0",
                b"x",
                b"\0\0\0",
                b"ab\0",
                b"h\x004",
                b"h\0L\0",
                b"h\x006\0\x19",
                b"\xff\xfe\0\xff",
            ] {
                let _ = parse_command(&encode_command(code, data)[4..]);
                let _ = parse_response(&encode_command(code, data)[4..]);
            }
        }
        assert!(matches!(
            parse_command(b"O\0\0\0\x06"),
            Err(CodecError::Malformed(_))
        ));
        assert!(matches!(
            parse_command(b"Lname-without-nul"),
            Err(CodecError::Malformed(_))
        ));
    }

    #[test]
    fn unknown_command_is_kept_not_fatal() {
        let out = decode_all(&encode_command(b'Z', b"whatever"));
        assert_eq!(out.first(), Some(&Ok(Some(Command::Other(b'Z')))));
    }

    #[test]
    fn connect_families() {
        let mut data = b"mx.example\x004".to_vec();
        data.extend_from_slice(&25u16.to_be_bytes());
        data.extend_from_slice(b"192.0.2.1\0");
        assert_eq!(
            parse_command(&encode_command(b'C', &data)[4..]),
            Ok(Command::Connect {
                hostname: "mx.example".into(),
                family: Family::Inet("192.0.2.1".parse().unwrap(), 25)
            })
        );
        let mut data = b"mx\x006".to_vec();
        data.extend_from_slice(&25u16.to_be_bytes());
        data.extend_from_slice(b"IPv6:2001:db8::1\0");
        assert!(matches!(
            parse_command(&encode_command(b'C', &data)[4..]),
            Ok(Command::Connect {
                family: Family::Inet(std::net::IpAddr::V6(_), 25),
                ..
            })
        ));
        assert_eq!(
            parse_command(&encode_command(b'C', b"localhost\0U")[4..]),
            Ok(Command::Connect {
                hostname: "localhost".into(),
                family: Family::Unknown
            })
        );
    }

    #[test]
    fn macros_and_mail_args() {
        let cmd = parse_command(&encode_command(b'D', b"Mi\0ABC123\0{auth_authen}\0bob\0")[4..]);
        let Ok(Command::Macro { stage, macros }) = cmd else {
            panic!("{cmd:?}")
        };
        assert_eq!(stage, b'M');
        assert_eq!(macros.get("i").map(String::as_str), Some("ABC123"));
        assert_eq!(macros.get("auth_authen").map(String::as_str), Some("bob"));
        assert_eq!(
            parse_command(&encode_command(b'M', b"<a@b.example>\0SIZE=10\0")[4..]),
            Ok(Command::Mail(vec![
                "<a@b.example>".into(),
                "SIZE=10".into()
            ]))
        );
    }

    #[test]
    fn responses_encode() {
        assert_eq!(encode(&Response::Continue), vec![0, 0, 0, 1, b'c']);
        let r = Response::ChgHeader {
            index: 1,
            name: "Subject".into(),
            value: "[x] hi".into(),
        };
        assert_eq!(parse_response(&encode(&r)[4..]), Ok(r));
        let r = Response::ReplyCode("550 5.7.1 no".into());
        assert_eq!(parse_response(&encode(&r)[4..]), Ok(r));
        // NUL inside a field is dropped, not sent.
        assert_eq!(
            parse_response(&encode(&Response::Quarantine("a\0b".into()))[4..]),
            Ok(Response::Quarantine("ab".into()))
        );
    }
}
