//! `markup_padding`: the HTML repeats empty tags over and over (`<area><area><area>…`,
//! `<figcaption>` eight times, then `<kbd>` …). No editor or mail tool writes that; kits
//! add it so that each copy of a mail hashes differently and fingerprint filters miss it.

use super::Context;
use crate::report::Evidence;

/// Different tags padded: one run can be a template's quirk, several are deliberate.
const MIN_TAGS: usize = 3;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let tags = &cx.msg.padding_tags;
    if tags.len() < MIN_TAGS {
        return Vec::new();
    }
    let shown: Vec<String> = tags.iter().take(6).map(|t| format!("<{t}>")).collect();
    vec![
        Evidence::whole("body.html", shown.join(" ")).with_detail(format!(
            "{} different tags each repeated empty at least 8 times in a row",
            tags.len()
        )),
    ]
}
