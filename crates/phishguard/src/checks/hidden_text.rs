//! `hidden_text`: the HTML carries a block of text styled so the reader never sees it
//! (display:none, font-size:0 …) — filler that makes a lure look like ordinary mail to
//! filters. A short hidden preview line is ordinary newsletter practice and does not count,
//! nor does a mail whose whole text is hidden (responsive layouts switched by media query).

use super::Context;
use crate::report::Evidence;

/// Hidden characters needed: a preheader is one line.
const MIN_HIDDEN: usize = 300;

pub fn run(cx: &Context) -> Vec<Evidence> {
    if cx.msg.hidden_chars < MIN_HIDDEN {
        return Vec::new();
    }
    // Responsive mail hides one layout and shows another with a media query: when next to
    // nothing is visible, the hidden text *is* the message, not filler beside it.
    let visible = cx.msg.body.chars().filter(|c| c.is_alphanumeric()).count();
    if visible < 40 {
        return Vec::new();
    }
    vec![
        Evidence::whole("body.html", cx.msg.hidden_sample.trim().to_string())
            .with_detail(format!("{} hidden characters", cx.msg.hidden_chars)),
    ]
}
