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
    if !m.body_from_html || m.images == 0 || cx.web_links().next().is_none() {
        return Vec::new();
    }
    // text hidden for a layout switch is still text the mail carries
    let letters = m.body.chars().filter(|c| c.is_alphanumeric()).count() + m.hidden_chars;
    if letters > MAX_TEXT {
        return Vec::new();
    }
    vec![
        Evidence::whole("body.html", m.body.trim().to_string())
            .with_detail(format!("{} image(s), {letters} letters of text", m.images)),
    ]
}
