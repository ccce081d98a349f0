//! Link targets inside attached PDF documents.
//!
//! A growing share of lures say almost nothing in the mail and attach a one-page PDF whose
//! only job is a big clickable button. The button is a link annotation (`/URI (…)`), and
//! where it goes is as telling as a link in the body. We need only those targets, from files
//! that are often broken on purpose, with bounded work; so this is a tolerant scanner for
//! `/URI` entries, in the file's bytes and inside compressed object streams (`/ObjStm`,
//! where PDF 1.5+ writers put annotations), not a PDF parser. Page content, fonts and images
//! are never decompressed.

use flate2::{Decompress, FlushDecompress, Status};
use memchr::memmem;

/// Most inflated bytes read from one object stream.
const MAX_STREAM_OUT: usize = 1 << 20;
/// Most inflated bytes read from one document, all streams together.
const MAX_DOC_OUT: usize = 4 << 20;
/// Most object streams opened in one document.
const MAX_STREAMS: usize = 64;
/// Longest link target kept.
const MAX_URI_BYTES: usize = 2048;

/// Whether `data` is a PDF: the `%PDF-` signature within the first kilobyte (readers
/// accept junk before it).
pub fn is_pdf(data: &[u8]) -> bool {
    memmem::find(data.get(..1024).unwrap_or(data), b"%PDF-").is_some()
}

/// The link targets (`/URI` actions) in a PDF, in order of appearance, without
/// duplicates, at most `max`.
pub fn link_targets(data: &[u8], max: usize) -> Vec<String> {
    let mut out = Vec::new();
    if max == 0 || !is_pdf(data) {
        return out;
    }
    scan_uris(data, &mut out, max);
    let mut budget = MAX_DOC_OUT;
    let mut opened = 0;
    let finder = memmem::Finder::new(b"/ObjStm");
    let mut from = 0;
    while out.len() < max && opened < MAX_STREAMS && budget > 0 {
        let Some(at) = data.get(from..).and_then(|d| finder.find(d)) else {
            break;
        };
        let at = from + at;
        from = at + 7;
        let Some(body) = stream_body(data, at) else {
            continue;
        };
        opened += 1;
        let inflated = inflate(body, MAX_STREAM_OUT.min(budget));
        budget = budget.saturating_sub(inflated.len());
        scan_uris(&inflated, &mut out, max);
    }
    out
}

/// The raw bytes of the stream whose dictionary holds position `dict_pos`: from after the
/// `stream` keyword's end of line up to `endstream`. None when the dictionary's own end
/// (`>>`) or the keyword is missing, or the filter is not Flate.
fn stream_body(data: &[u8], dict_pos: usize) -> Option<&[u8]> {
    // the dictionary ends at the first `stream` keyword after it; it must not cross into
    // another object
    let rest = data.get(dict_pos..)?;
    let kw = memmem::find(rest, b"stream")?;
    let dict = rest.get(..kw)?;
    if memmem::find(dict, b"endobj").is_some() || memmem::find(dict, b"/FlateDecode").is_none() {
        return None;
    }
    let mut start = dict_pos + kw + b"stream".len();
    // the keyword is followed by CRLF or LF
    if data.get(start) == Some(&b'\r') {
        start += 1;
    }
    if data.get(start) == Some(&b'\n') {
        start += 1;
    }
    let body = data.get(start..)?;
    let end = memmem::find(body, b"endstream").unwrap_or(body.len());
    body.get(..end)
}

/// Inflate a zlib stream, at most `limit` bytes out; whatever came out before an error is
/// kept (truncated streams are common and still hold the first annotations).
fn inflate(input: &[u8], limit: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(limit.min(input.len().saturating_mul(4)).min(64 << 10));
    let mut z = Decompress::new(true);
    let mut chunk = [0u8; 16 << 10];
    loop {
        let before_in = z.total_in();
        let before_out = z.total_out();
        let consumed = usize::try_from(before_in).unwrap_or(usize::MAX);
        let Some(rest) = input.get(consumed..) else {
            break;
        };
        let status = z.decompress(rest, &mut chunk, FlushDecompress::None);
        let produced = usize::try_from(z.total_out() - before_out).unwrap_or(0);
        let take = produced.min(limit - out.len());
        out.extend_from_slice(chunk.get(..take).unwrap_or(&[]));
        match status {
            Ok(Status::Ok) if out.len() < limit => {
                if z.total_in() == before_in && produced == 0 {
                    break;
                }
            }
            _ => break,
        }
    }
    out
}

/// Add every `/URI` string in `bytes` to `out`.
fn scan_uris(bytes: &[u8], out: &mut Vec<String>, max: usize) {
    for at in memmem::find_iter(bytes, b"/URI") {
        if out.len() >= max {
            return;
        }
        let mut i = at + 4;
        while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        let raw = match bytes.get(i) {
            Some(b'(') => literal_string(bytes.get(i + 1..).unwrap_or(&[])),
            Some(b'<') if bytes.get(i + 1) != Some(&b'<') => {
                hex_string(bytes.get(i + 1..).unwrap_or(&[]))
            }
            _ => continue,
        };
        let Ok(text) = std::str::from_utf8(&raw) else {
            continue;
        };
        let uri = text.trim().trim_end_matches('\0');
        if !looks_like_uri(uri) {
            continue;
        }
        if !out.iter().any(|u| u == uri) {
            out.push(uri.to_string());
        }
    }
}

/// A scheme (`https:`, `mailto:`) or `www.` first, no control characters: what is left
/// of a match inside binary data fails this.
fn looks_like_uri(s: &str) -> bool {
    if s.chars().any(char::is_control) {
        return false;
    }
    if s.len() > 4 && s[..4].eq_ignore_ascii_case("www.") {
        return true;
    }
    let Some(colon) = s.find(':') else {
        return false;
    };
    let scheme = &s[..colon];
    colon + 1 < s.len()
        && scheme.len() <= 10
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// A PDF literal string after its `(`: balanced parentheses, backslash escapes.
fn literal_string(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while out.len() < MAX_URI_BYTES {
        let Some(&b) = s.get(i) else {
            break;
        };
        match b {
            b'\\' => {
                i += 1;
                match s.get(i) {
                    Some(b'n') => out.push(b'\n'),
                    Some(b'r') => out.push(b'\r'),
                    Some(b't') => out.push(b'\t'),
                    Some(d @ b'0'..=b'7') => {
                        let mut v = u32::from(d - b'0');
                        let mut k = 1;
                        while k < 3 {
                            let Some(&c @ b'0'..=b'7') = s.get(i + 1) else {
                                break;
                            };
                            i += 1;
                            v = v * 8 + u32::from(c - b'0');
                            k += 1;
                        }
                        out.push((v & 0xff) as u8);
                    }
                    // an escaped line end continues the string
                    Some(b'\r') | Some(b'\n') => {}
                    Some(&c) => out.push(c),
                    None => break,
                }
            }
            b'(' => {
                depth += 1;
                out.push(b);
            }
            b')' => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
                out.push(b);
            }
            _ => out.push(b),
        }
        i += 1;
    }
    out
}

/// A PDF hex string after its `<`, up to `>`; whitespace ignored, an odd last digit padded.
fn hex_string(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut high: Option<u8> = None;
    for &b in s {
        if b == b'>' || out.len() >= MAX_URI_BYTES {
            break;
        }
        let v = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => continue,
        };
        match high.take() {
            Some(h) => out.push(h << 4 | v),
            None => high = Some(v),
        }
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::ZlibEncoder;
    use std::io::Write;

    fn deflate(b: &[u8]) -> Vec<u8> {
        let mut e = ZlibEncoder::new(Vec::new(), Compression::default());
        let _ = e.write_all(b);
        e.finish().unwrap_or_default()
    }

    #[test]
    fn plain_annotation_links_are_found() {
        let pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Annot /Subtype /Link /A << /S /URI /URI (https://example.test/pay) >> >>\nendobj\n2 0 obj << /A << /URI(http://b.test/\\(x\\)) >> >> endobj\n%%EOF";
        assert_eq!(
            link_targets(pdf, 10),
            vec!["https://example.test/pay", "http://b.test/(x)"]
        );
    }

    #[test]
    fn hex_and_escaped_strings_decode() {
        let pdf =
            b"%PDF-1.7\n<< /URI <68747470733A2F2F782E74657374> >> << /URI (\\150ttp://y.test) >>";
        assert_eq!(
            link_targets(pdf, 10),
            vec!["https://x.test", "http://y.test"]
        );
    }

    #[test]
    fn links_in_compressed_object_streams_are_found() {
        // repeated so that the encoder compresses (a short input may be stored as is)
        let inner =
            b"1 0 2 40 << /Type /Annot >> << /S /URI /URI (https://hidden.test/a) >> ".repeat(20);
        let z = deflate(&inner);
        assert!(memmem::find(&z, b"hidden").is_none());
        let mut pdf =
            b"%PDF-1.5\n5 0 obj\n<< /Type /ObjStm /N 2 /First 8 /Filter /FlateDecode /Length "
                .to_vec();
        pdf.extend_from_slice(z.len().to_string().as_bytes());
        pdf.extend_from_slice(b" >>\nstream\r\n");
        pdf.extend_from_slice(&z);
        pdf.extend_from_slice(b"\r\nendstream\nendobj\n%%EOF");
        assert_eq!(link_targets(&pdf, 10), vec!["https://hidden.test/a"]);
        // a page content stream is never opened
        let mut page = b"%PDF-1.5\n6 0 obj\n<< /Filter /FlateDecode >>\nstream\n".to_vec();
        page.extend_from_slice(&z);
        page.extend_from_slice(b"\nendstream\nendobj");
        assert!(link_targets(&page, 10).is_empty());
    }

    #[test]
    fn not_a_pdf_or_broken_input_gives_nothing_and_never_panics() {
        assert!(link_targets(b"/URI (https://x.test)", 10).is_empty());
        assert!(link_targets(b"%PDF-1.4 /URI (", 10).is_empty());
        assert!(link_targets(b"%PDF-1.4 /URI <", 10).is_empty());
        assert!(link_targets(b"%PDF-1.4 /URI", 10).is_empty());
        assert!(link_targets(b"%PDF-1.4 /URI (\\", 10).is_empty());
        assert!(link_targets(b"%PDF-1.4 /URI (\x01\x02ab) /URI (no scheme here)", 10).is_empty());
        let mut garbage = b"%PDF-1.5 /ObjStm /FlateDecode stream\n".to_vec();
        garbage.extend((0..5000u32).map(|i| (i * 7919 % 251) as u8));
        let _ = link_targets(&garbage, 10);
        let _ = link_targets(b"%PDF-1.5 /ObjStm /FlateDecode stream", 10);
    }

    #[test]
    fn inflation_is_bounded() {
        let big = vec![b'a'; 8 << 20];
        let z = deflate(&big);
        assert_eq!(inflate(&z, 1000).len(), 1000);
        assert_eq!(inflate(&z, MAX_STREAM_OUT).len(), MAX_STREAM_OUT);
    }

    #[test]
    fn duplicates_and_the_cap() {
        let pdf = b"%PDF-1.4 /URI (https://a.test) /URI (https://a.test) /URI (https://b.test) /URI (https://c.test)";
        assert_eq!(
            link_targets(pdf, 2),
            vec!["https://a.test", "https://b.test"]
        );
    }
}
