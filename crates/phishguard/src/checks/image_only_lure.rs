//! `image_only_lure`: an HTML mail that is pictures and links with almost no text — the
//! lure is drawn in an image (or a QR code) so that text filters read nothing. Plain-text
//! alternatives count as text.

use super::Context;
use crate::report::Evidence;

/// Visible letters below which a mail "says nothing" in text: room for a one-line caption
/// ("click the picture to open your message") but not for a paragraph a person wrote.
const MAX_TEXT: usize = 120;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let m = cx.msg;
    if m.images == 0 || cx.web_links().next().is_none() {
        return Vec::new();
    }
    // Text hidden for a layout switch is still text the mail carries. A plain-text
    // alternative that holds only the link says nothing either (its words count, its
    // addresses do not), as long as the HTML a client shows says nothing too.
    // Counting stops past MAX_TEXT: beyond it the count is not used (the mail has text).
    let letters = if m.body_from_html {
        m.body
            .chars()
            .filter(|c| c.is_alphanumeric())
            .take(MAX_TEXT + 1)
            .count()
    } else {
        plain_letters(&m.body, MAX_TEXT + 1).max(m.html_letters)
    } + m.hidden_chars;
    if letters > MAX_TEXT {
        return Vec::new();
    }
    let part = if m.body_from_html {
        "body.html"
    } else {
        "body"
    };
    vec![
        Evidence::whole(part, m.body.trim().to_string())
            .with_detail(format!("{} image(s), {letters} letters of text", m.images)),
    ]
}

/// Letters and digits of a plain-text body, not counting addresses; counting stops once
/// `cap` is reached (the result is then at least `cap`).
fn plain_letters(body: &str, cap: usize) -> usize {
    let mut n = 0usize;
    for w in body.split_whitespace().filter(|w| !is_address(w)) {
        n += w.chars().filter(|c| c.is_alphanumeric()).count();
        if n >= cap {
            break;
        }
    }
    n
}

/// A web or mail address written out in a plain-text part (`https://…`, `www.…`, `<…>`).
fn is_address(word: &str) -> bool {
    let w = word.trim_matches(|c: char| matches!(c, '<' | '>' | '(' | ')' | '[' | ']' | '"'));
    let lower = w.get(..8).unwrap_or(w).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stopping early never changes the verdict, nor the count below the cap.
    #[test]
    fn capped_count_agrees_below_the_cap() {
        let full = |body: &str| -> usize {
            body.split_whitespace()
                .filter(|w| !is_address(w))
                .map(|w| w.chars().filter(|c| c.is_alphanumeric()).count())
                .sum()
        };
        let long = "word ".repeat(100);
        for body in [
            "",
            "click here https://example.com/abcdefghijklmnopqrstuvwxyz",
            "<www.example.com> 会員 ａｂｃ",
            long.as_str(),
            "x".repeat(121).as_str(),
            "x".repeat(120).as_str(),
        ] {
            let n = full(body);
            let capped = plain_letters(body, MAX_TEXT + 1);
            assert_eq!(n > MAX_TEXT, capped > MAX_TEXT, "{body}");
            if n <= MAX_TEXT {
                assert_eq!(capped, n, "{body}");
            }
        }
    }
}
