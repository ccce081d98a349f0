//! Style rules that move content out of the reader's sight by sheer distance
//! (`margin-top: 470500px`, `height: 10000vh`, `flex-grow: 10000`): whatever sits beyond is
//! never scrolled to. Screen-reader helpers in genuine mail hide by *negative* offsets
//! (`left: -9999px`), which are left alone.

/// Properties that push what follows down or out when given a huge positive value.
const PUSHING: &[&[u8]] = &[
    b"margin",
    b"margin-top",
    b"margin-bottom",
    b"padding",
    b"padding-top",
    b"padding-bottom",
    b"height",
    b"min-height",
    b"flex-grow",
];

/// The first declaration in `html` (style attributes and `<style>` blocks alike) that
/// pushes content thousands of pixels away, as written (`margin-top: 470500px`).
pub fn offscreen_push(b: &[u8]) -> Option<String> {
    for colon in memchr::memchr_iter(b':', b) {
        let Some(value) = b.get(colon + 1..) else {
            continue;
        };
        let value_start = value.iter().take_while(|c| c.is_ascii_whitespace()).count();
        let digits = value
            .get(value_start..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        // a short number cannot be huge; most colons (URLs, text) stop here
        if digits < 3 {
            continue;
        }
        let Some((start, name)) = property_before(b, colon) else {
            continue;
        };
        if !PUSHING.iter().any(|p| name.eq_ignore_ascii_case(p)) {
            continue;
        }
        let num = value
            .get(value_start..value_start + digits)
            .unwrap_or_default();
        let n: u64 = std::str::from_utf8(num)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(u64::MAX);
        let unit_start = value_start + digits;
        let unit: Vec<u8> = value
            .get(unit_start..)
            .unwrap_or_default()
            .iter()
            .take(3)
            .take_while(|c| c.is_ascii_alphabetic())
            .map(u8::to_ascii_lowercase)
            .collect();
        let huge = match unit.as_slice() {
            b"px" => n >= 5000,
            b"vh" => n >= 500,
            b"em" | b"rem" => n >= 300,
            b"" => name.eq_ignore_ascii_case(b"flex-grow") && n >= 100,
            _ => false,
        };
        if huge {
            let end = colon + 1 + unit_start + unit.len();
            return b
                .get(start..end)
                .map(|d| String::from_utf8_lossy(d).into_owned());
        }
    }
    None
}

/// The CSS property name written right before the colon at `colon` (spaces allowed
/// between), and where it starts.
fn property_before(b: &[u8], colon: usize) -> Option<(usize, &[u8])> {
    let before = b.get(..colon)?;
    let end = before.len() - before.iter().rev().take_while(|c| **c == b' ').count();
    let head = before.get(..end)?;
    let n = head
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_alphabetic() || **c == b'-')
        .count();
    let start = end - n;
    head.get(start..)
        .filter(|s| !s.is_empty())
        .map(|s| (start, s))
}

#[cfg(test)]
mod tests {
    use super::offscreen_push;

    #[test]
    fn huge_pushes_are_found() {
        assert_eq!(
            offscreen_push(b"<style>.below { margin-top: 470500px; }</style>").as_deref(),
            Some("margin-top: 470500px")
        );
        assert!(offscreen_push(br#"<div style="height:10000vh">x</div>"#).is_some());
        assert!(offscreen_push(b".spacer { flex-grow: 2000; }").is_some());
        assert!(offscreen_push(b"<td style='PADDING-TOP : 8000PX'>").is_some());
    }

    #[test]
    fn ordinary_layout_and_negative_hiding_are_not() {
        for html in [
            "<style>.sr-only{position:absolute;left:-9999px;top:-9999px}</style>",
            "<div style=\"margin-top:-6000px\">",
            "<table style=\"height:600px;max-width:9999px\">",
            "<p style=\"line-height:1500%\">",
            "https://example.com:8443/path",
            "Time: 12345 seconds",
            "<div style=\"min-height:100vh;flex-grow:1\">",
            "<img height=\"5000\">",
        ] {
            assert_eq!(offscreen_push(html.as_bytes()), None, "{html}");
        }
    }
}
