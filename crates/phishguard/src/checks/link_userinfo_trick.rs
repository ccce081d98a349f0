//! `link_userinfo_trick`: `https://www.amazon.co.jp@evil.example/` — the part before `@`
//! is a user name the browser ignores; the link goes to the host after it.

use super::{Context, link_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    cx.web_links()
        .filter_map(|(i, l)| {
            let user = l.userinfo.as_ref()?;
            let host = l.host.as_ref()?;
            Some(link_evidence(i, l).with_detail(format!("shows {user} but goes to {}", host.unicode)))
        })
        .take(8)
        .collect()
}
