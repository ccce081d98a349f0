//! `link_userinfo_trick`: `https://www.amazon.co.jp@evil.example/` — the part before `@`
//! is a user name the browser ignores; the link goes to the host after it. Counted when
//! the user part reads as a host or brand name.

use super::{Context, link_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    cx.web_links()
        .filter_map(|(i, l)| {
            let user = l.userinfo.as_ref()?;
            let host = l.host.as_ref()?;
            // `user:secret@host` is a (bad) real use; a user part that reads as a host
            // name is there to deceive.
            let name = user.split(':').next().unwrap_or("");
            if !name.contains('.') && crate::claim::display_name_brand(cx.brands, name).is_none() {
                return None;
            }
            Some(
                link_evidence(i, l)
                    .with_detail(format!("shows {user} but goes to {}", host.unicode)),
            )
        })
        .take(8)
        .collect()
}
