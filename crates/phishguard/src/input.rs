//! Reading messages from paths: single `.eml` files, directories (recursive: `*.eml`,
//! `*.mbox`, Maildir `cur/` and `new/`), mbox files (streamed, one message at a time),
//! standard input, and raw SMS text. Formats are detected from content unless forced.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Detect from content (and, for directories, file names).
    #[default]
    Auto,
    /// One RFC 5322 message.
    Eml,
    /// An mbox file.
    Mbox,
    /// A Maildir (or any directory).
    Maildir,
    /// Raw SMS / pasted text, optional first line `From: <sender>`.
    Sms,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Some(Format::Auto),
            "eml" | "mail" => Some(Format::Eml),
            "mbox" => Some(Format::Mbox),
            "maildir" | "dir" => Some(Format::Maildir),
            "sms" | "text" | "txt" => Some(Format::Sms),
            _ => None,
        }
    }
}

/// What one item holds.
#[derive(Debug, Clone)]
pub enum ItemBody {
    Mail(Vec<u8>),
    Sms {
        text: String,
        sender: Option<String>,
    },
}

/// One message read from the input.
#[derive(Debug, Clone)]
pub struct Item {
    /// File path, `path#N` for the N-th message of an mbox (from 1), `-` for stdin.
    pub source: String,
    pub body: ItemBody,
    /// The raw input was longer than the read limit and was cut.
    pub cut: bool,
}

/// A file or message that could not be read.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{source_name}: {message}")]
pub struct InputError {
    /// Which file or message.
    pub source_name: String,
    pub message: String,
}

fn err(source: impl Into<String>, message: impl Into<String>) -> InputError {
    InputError {
        source_name: source.into(),
        message: message.into(),
    }
}

type Items = Box<dyn Iterator<Item = Result<Item, InputError>>>;

/// Options for reading.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    pub format: Format,
    /// Bytes read of one message; the rest is dropped and the item marked `cut`.
    pub max_message_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: Format::Auto,
            max_message_bytes: crate::message::Limits::default().max_message_bytes,
        }
    }
}

/// All messages under `path` (`-` is standard input), lazily.
pub fn read_path(path: &Path, opts: ReadOptions) -> Items {
    if path.as_os_str() == "-" {
        return read_stdin(opts);
    }
    let source = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return Box::new(std::iter::once(Err(err(source, e.to_string())))),
    };
    if meta.is_dir() {
        return read_dir(path, opts);
    }
    read_file(path, opts)
}

fn read_stdin(opts: ReadOptions) -> Items {
    let mut buf = Vec::new();
    let limit = opts.max_message_bytes as u64 + 1;
    if let Err(e) = std::io::stdin().lock().take(limit).read_to_end(&mut buf) {
        return Box::new(std::iter::once(Err(err("-", e.to_string()))));
    }
    let cut = cut_to(&mut buf, opts.max_message_bytes);
    items_from_bytes("-".into(), buf, None, cut, opts)
}

/// The messages in an in-memory input (a pasted mail, an upload, an archive member):
/// format detected as for files, an mbox split into its messages.
pub fn items_from_bytes(
    source: String,
    buf: Vec<u8>,
    ext: Option<&str>,
    cut: bool,
    opts: ReadOptions,
) -> Items {
    let format = match opts.format {
        Format::Auto => detect(&buf, ext),
        Format::Maildir => Format::Eml,
        f => f,
    };
    if format == Format::Mbox {
        return Box::new(mbox_items(
            source,
            BufReader::new(std::io::Cursor::new(buf)),
            opts,
        ));
    }
    let mut buf = buf;
    // the caller may have cut already; an in-memory input is held to the same limit
    let cut = cut_to(&mut buf, opts.max_message_bytes) || cut;
    Box::new(std::iter::once(make_item(source, buf, format, cut)))
}

fn cut_to(buf: &mut Vec<u8>, max: usize) -> bool {
    if buf.len() > max {
        buf.truncate(max);
        true
    } else {
        false
    }
}

fn read_file(path: &Path, opts: ReadOptions) -> Items {
    let source = path.display().to_string();
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return Box::new(std::iter::once(Err(err(source, e.to_string())))),
    };
    // A file of up to `SMALL_FILE` (nearly all) is read at once into a buffer of its size,
    // and looked at there as the buffered reader below would have read it: the first read
    // (64 KiB) for the format, then the message up to the limit or the mbox's messages.
    let len = file.metadata().map_or(u64::MAX, |m| m.len());
    if len <= SMALL_FILE {
        let mut data = Vec::with_capacity(len as usize + 1);
        if let Err(e) = file.read_to_end(&mut data) {
            return Box::new(std::iter::once(Err(err(source, e.to_string()))));
        }
        let format = match opts.format {
            Format::Auto => detect(
                data.get(..data.len().min(READ_BUFFER)).unwrap_or(&[]),
                path.extension().and_then(|e| e.to_str()),
            ),
            Format::Maildir => Format::Eml,
            f => f,
        };
        if format == Format::Mbox {
            return Box::new(mbox_items_in_memory(source, &data, opts));
        }
        data.truncate(opts.max_message_bytes.saturating_add(1));
        let cut = cut_to(&mut data, opts.max_message_bytes);
        return Box::new(std::iter::once(make_item(source, data, format, cut)));
    }
    let mut reader = BufReader::with_capacity(READ_BUFFER, file);
    let format = match opts.format {
        Format::Auto => match reader.fill_buf() {
            Ok(peek) => detect(peek, path.extension().and_then(|e| e.to_str())),
            Err(e) => return Box::new(std::iter::once(Err(err(source, e.to_string())))),
        },
        Format::Maildir => Format::Eml,
        f => f,
    };
    if format == Format::Mbox {
        return Box::new(mbox_items(source, reader, opts));
    }
    let limit = opts.max_message_bytes as u64 + 1;
    // sized from the file's length: one allocation instead of a doubling per read
    let size = reader
        .get_ref()
        .metadata()
        .map_or(0, |m| m.len().min(limit) as usize);
    let mut buf = Vec::with_capacity(size);
    if let Err(e) = reader.take(limit).read_to_end(&mut buf) {
        return Box::new(std::iter::once(Err(err(source, e.to_string()))));
    }
    let cut = cut_to(&mut buf, opts.max_message_bytes);
    Box::new(std::iter::once(make_item(source, buf, format, cut)))
}

/// The buffered reader's buffer (and so the most the format is told from).
const READ_BUFFER: usize = 64 * 1024;

/// Files up to this size are read at once (bigger ones, mostly mboxes, are streamed).
const SMALL_FILE: u64 = 16 << 20;

fn make_item(source: String, buf: Vec<u8>, format: Format, cut: bool) -> Result<Item, InputError> {
    if buf.iter().all(u8::is_ascii_whitespace) {
        return Err(err(source, "empty file"));
    }
    let body = match format {
        Format::Sms => {
            if crate::message::looks_binary(&buf) {
                return Err(err(source, "binary data, not a mail message or text"));
            }
            ItemBody::Sms {
                text: String::from_utf8_lossy(&buf).into_owned(),
                sender: None,
            }
        }
        _ => {
            if format == Format::Auto && crate::message::looks_binary(&buf) {
                return Err(err(source, "binary data, not a mail message or text"));
            }
            ItemBody::Mail(buf)
        }
    };
    Ok(Item { source, body, cut })
}

/// The messages of an mbox held in memory, as mail-parser's `MessageIterator` reads them
/// (tested against it): lines before the first `From ` line are dropped, a `From ` line
/// starts a message, and `>From ` lines (any number of `>`) lose one `>`. Lines are found
/// with memchr and runs of plain lines copied at once, instead of a read per line.
fn mbox_messages(data: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut current: Option<Vec<u8>> = None;
    // the plain lines of the current message not copied yet start at `pending`
    let mut pending = 0;
    let mut start = 0;
    while start < data.len() {
        let end = memchr::memchr(b'\n', data.get(start..).unwrap_or(&[]))
            .map_or(data.len(), |i| start + i + 1);
        let line = data.get(start..end).unwrap_or(&[]);
        let from = line.starts_with(b"From ");
        let quoted_from = line.first() == Some(&b'>')
            && line
                .iter()
                .position(|&c| c != b'>')
                .is_some_and(|i| line.get(i..).is_some_and(|l| l.starts_with(b"From ")));
        if from || quoted_from {
            if let Some(m) = current.as_mut() {
                m.extend_from_slice(data.get(pending..start).unwrap_or(&[]));
            }
            if from {
                out.extend(current.replace(Vec::new()));
            } else if let Some(m) = current.as_mut() {
                m.extend_from_slice(line.get(1..).unwrap_or(&[]));
            }
            pending = end;
        }
        start = end;
    }
    if let Some(mut m) = current {
        m.extend_from_slice(data.get(pending..).unwrap_or(&[]));
        out.push(m);
    }
    out
}

/// [`mbox_items`] for an mbox read into memory.
fn mbox_items_in_memory(
    source: String,
    data: &[u8],
    opts: ReadOptions,
) -> impl Iterator<Item = Result<Item, InputError>> + use<> {
    let messages = mbox_messages(data);
    let none = messages.is_empty().then(|| {
        Err(err(
            source.clone(),
            "mbox holds no message (no line starts with \"From \")",
        ))
    });
    messages
        .into_iter()
        .enumerate()
        .map(move |(i, mut buf)| {
            let cut = cut_to(&mut buf, opts.max_message_bytes);
            make_item(format!("{source}#{}", i + 1), buf, Format::Eml, cut)
        })
        .chain(none)
}

fn mbox_items<R: BufRead + 'static>(
    source: String,
    reader: R,
    opts: ReadOptions,
) -> impl Iterator<Item = Result<Item, InputError>> {
    let mut n = 0usize;
    let mut seen_any = false;
    let mut finished = false;
    let mut iter = mail_parser::mailbox::mbox::MessageIterator::new(reader);
    std::iter::from_fn(move || {
        if finished {
            return None;
        }
        match iter.next() {
            Some(Ok(m)) => {
                n += 1;
                seen_any = true;
                let mut buf = m.unwrap_contents();
                let cut = cut_to(&mut buf, opts.max_message_bytes);
                Some(make_item(format!("{source}#{n}"), buf, Format::Eml, cut))
            }
            Some(Err(e)) => {
                finished = true;
                Some(Err(err(format!("{source}#{}", n + 1), e.to_string())))
            }
            None => {
                finished = true;
                (!seen_any).then(|| {
                    Err(err(
                        source.clone(),
                        "mbox holds no message (no line starts with \"From \")",
                    ))
                })
            }
        }
    })
}

/// Mail files in a directory tree, in name order: `*.eml`, `*.mbox`, every file in a
/// Maildir `cur/` or `new/` folder, and `.txt` or extension-less files that start like a
/// mail or an mbox.
fn read_dir(dir: &Path, opts: ReadOptions) -> Items {
    let root = dir.to_path_buf();
    let mut found = false;
    // In name order. Siblings' paths are their directory's path joined with their names,
    // so comparing the paths compares the names, without taking each path apart
    // (`sort_by_file_name` finds the file name per comparison).
    let mut walk = walkdir::WalkDir::new(dir)
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
        .into_iter();
    let mut done = false;
    let mut current: Option<Items> = None;
    Box::new(std::iter::from_fn(move || {
        loop {
            if let Some(it) = current.as_mut() {
                if let Some(x) = it.next() {
                    return Some(x);
                }
                current = None;
            }
            if done {
                return None;
            }
            match walk.next() {
                None => {
                    done = true;
                    if !found {
                        return Some(Err(err(
                            root.display().to_string(),
                            "no mail found (looked for *.eml, *.mbox and Maildir cur/, new/ files)",
                        )));
                    }
                    return None;
                }
                Some(Err(e)) => {
                    let p = e
                        .path()
                        .map_or_else(|| root.display().to_string(), |p| p.display().to_string());
                    found = true;
                    return Some(Err(err(p, e.to_string())));
                }
                Some(Ok(entry)) => {
                    if !entry.file_type().is_file() || !is_mail_file(entry.path()) {
                        continue;
                    }
                    found = true;
                    let f = if opts.format == Format::Maildir {
                        Format::Auto
                    } else {
                        opts.format
                    };
                    current = Some(read_file(entry.path(), ReadOptions { format: f, ..opts }));
                }
            }
        }
    }))
}

fn is_mail_file(p: &Path) -> bool {
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if matches!(ext.as_deref(), Some("eml" | "mbox")) {
        return true;
    }
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with('.') {
        return false;
    }
    let parent: PathBuf = p.parent().map(Path::to_path_buf).unwrap_or_default();
    // other files whose first bytes are a mail header block or an mbox ("From ")
    // (corpora keep mail as .txt or without an extension)
    if matches!(ext.as_deref(), None | Some("txt" | "msg" | "mail")) {
        let mut head = [0u8; 4096];
        let n = File::open(p)
            .and_then(|mut f| f.read(&mut head))
            .unwrap_or(0);
        let head = head.get(..n).unwrap_or(&[]);
        if head.starts_with(b"From ") || looks_like_mail(head) {
            return true;
        }
    }
    parent
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n == "cur" || n == "new")
        && parent
            .parent()
            .is_some_and(|g| g.join("cur").is_dir() || g.join("new").is_dir())
}

/// Mostly control bytes: not text and not mail.
/// Guess the format of a file from its first bytes (and extension).
pub fn detect(peek: &[u8], ext: Option<&str>) -> Format {
    let peek = peek.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(peek);
    if peek.starts_with(b"From ") {
        return Format::Mbox;
    }
    let ext = ext.map(str::to_ascii_lowercase);
    if ext.as_deref() == Some("eml") || looks_like_mail(peek) {
        return Format::Eml;
    }
    if ext.as_deref() == Some("txt") {
        return Format::Sms;
    }
    if crate::message::looks_binary(peek) {
        Format::Auto
    } else {
        Format::Sms
    }
}

/// Does the text start with a mail header block? One `From:` line followed by text is an
/// SMS with its sender, not a mail.
pub fn looks_like_mail(peek: &[u8]) -> bool {
    let text = String::from_utf8_lossy(peek.get(..peek.len().min(16384)).unwrap_or(peek));
    let mut headers = 0;
    let mut first_name = String::new();
    for line in text.lines() {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) && headers > 0 {
            continue;
        }
        let Some((name, _)) = line.split_once(':') else {
            break;
        };
        let valid = !name.is_empty()
            && name.len() < 80
            && name.bytes().all(|b| b.is_ascii_graphic() && b != b':');
        if !valid {
            break;
        }
        if headers == 0 {
            first_name = name.to_ascii_lowercase();
        }
        headers += 1;
    }
    // one line alone makes a mail only when it is a header mail carries: "Amazon: your
    // code is 123456" is how many SMS begin
    headers >= 2 || (headers == 1 && first_name != "from" && is_mail_header_name(&first_name))
}

/// Header names only mail carries (lower case), for a text that starts with one line.
fn is_mail_header_name(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "received",
        "return-path",
        "delivered-to",
        "date",
        "subject",
        "to",
        "cc",
        "message-id",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
        "reply-to",
        "sender",
        "dkim-signature",
        "authentication-results",
        "in-reply-to",
        "references",
        "user-agent",
        "thread-topic",
        "importance",
    ];
    NAMES.contains(&name) || ["x-", "arc-", "list-"].iter().any(|p| name.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    // found by the mbox_split fuzz target: an in-memory input that is not an mbox was
    // passed on whole, past the size limit
    #[test]
    fn in_memory_input_is_held_to_the_size_limit() {
        let opts = ReadOptions {
            format: Format::Auto,
            max_message_bytes: 100,
        };
        let mail = format!("From: a@b.example\nSubject: x\n\n{}", "y".repeat(500));
        let items: Vec<_> = items_from_bytes("m".into(), mail.into_bytes(), None, false, opts)
            .flatten()
            .collect();
        assert_eq!(items.len(), 1);
        assert!(items[0].cut);
        match &items[0].body {
            ItemBody::Mail(raw) => assert_eq!(raw.len(), 100),
            ItemBody::Sms { .. } => panic!("not a mail"),
        }
    }

    #[test]
    fn mbox_split_in_memory_is_mail_parsers() {
        let pieces: [&[u8]; 12] = [
            b"From a@b Mon Jan 1 00:00:00 2024\n",
            b"From \n",
            b"Subject: x\n",
            b"\n",
            b">From here\n",
            b">>From there\n",
            b">not from\n",
            b">\n",
            b"body line\r\n",
            b"From",
            b"no newline at the end",
            b"\xff\xfe\n",
        ];
        let mut rng = crate::test_rng::XorShift::new(0x2545_f491_4f6c_dd1du64);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..20_000 {
            let data: Vec<u8> = (0..next(10))
                .flat_map(|_| pieces[next(pieces.len())].to_vec())
                .collect();
            let want: Vec<Vec<u8>> =
                mail_parser::mailbox::mbox::MessageIterator::new(std::io::Cursor::new(&data))
                    .map(|m| m.unwrap().unwrap_contents())
                    .collect();
            assert_eq!(
                mbox_messages(&data),
                want,
                "{:?}",
                String::from_utf8_lossy(&data)
            );
        }
    }

    #[test]
    fn paths_sort_siblings_as_file_names_do() {
        let root = std::env::temp_dir().join(format!("phishguard-walk-{}", std::process::id()));
        let names = [
            "a", "a.b", "a-b", "a b", "b", "B", "\u{e4}", "a0", "aa", "z.eml",
        ];
        for sub in ["", "a", "a.b", "sub dir"] {
            for n in names {
                let d = root.join(sub);
                std::fs::create_dir_all(&d).unwrap();
                let _ = std::fs::write(d.join(format!("{n}.x")), b"x");
            }
        }
        let by_name: Vec<PathBuf> = walkdir::WalkDir::new(&root)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .collect();
        let by_path: Vec<PathBuf> = walkdir::WalkDir::new(&root)
            .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .collect();
        let _ = std::fs::remove_dir_all(&root);
        assert!(by_name.len() > 40);
        assert_eq!(by_path, by_name);
    }

    #[test]
    fn detects_formats() {
        assert_eq!(
            detect(
                b"From a@b Mon Jan 1 00:00:00 2024\nSubject: x\n\nhi\n",
                None
            ),
            Format::Mbox
        );
        assert_eq!(
            detect(b"Received: x\nFrom: a@b\nSubject: x\n\nbody", None),
            Format::Eml
        );
        assert_eq!(
            detect(b"From: Amazon\n\xe3\x81\x82 https://x.example", Some("txt")),
            Format::Sms
        );
        assert_eq!(detect("【Amazon】お支払い".as_bytes(), None), Format::Sms);
        assert_eq!(
            detect("Amazon: 認証コードは 482913 です。".as_bytes(), None),
            Format::Sms
        );
        assert_eq!(detect(b"Subject: hello\r\n\r\nbody", None), Format::Eml);
        assert_eq!(
            detect(b"\x00\x01\x02\x03\x04\x05\x06\x07\x08", None),
            Format::Auto
        );
    }
}
