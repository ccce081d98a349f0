//! `link_mixed_script_host`: a link's host name mixes scripts (Latin with Cyrillic or
//! Greek look-alikes). Japanese IDNs (`日本語.jp`) are single-script and not counted.

use super::{Context, link_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    cx.web_links()
        .filter_map(|(i, l)| {
            let h = l.host.as_ref()?;
            h.mixed_script
                .then(|| link_evidence(i, l).with_detail(format!("{} is {}", h.unicode, h.ascii)))
        })
        .take(8)
        .collect()
}
