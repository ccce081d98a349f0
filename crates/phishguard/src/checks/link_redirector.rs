//! `link_redirector`: a link goes through an open redirector on a trusted name
//! (`google.com/url?q=…`, `bing.com/ck/a?…`, `l.facebook.com/l.php?u=…`). The reader and
//! simple filters see google.com; the browser ends on whatever address the link carries.
//! Mail from the redirector's own company is not counted.

use super::{Context, link_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let sender_owner = cx
        .msg
        .from
        .as_ref()
        .and_then(|f| f.domain.as_ref())
        .and_then(|d| cx.brands.owner(d))
        .map(|(b, _)| b);
    let mut out = Vec::new();
    for (i, l) in cx.web_links() {
        let Some(host) = &l.host else { continue };
        if !cx.is_redirect(l) {
            continue;
        }
        // Google's own mail links through google.com/url
        if sender_owner.is_some() && cx.brands.owner(host).map(|(b, _)| b) == sender_owner {
            continue;
        }
        out.push(link_evidence(i, l).with_detail(format!(
            "{} forwards to the address the link carries",
            host.unicode
        )));
    }
    if !cx.links_matter(out.len()) {
        return Vec::new();
    }
    out.truncate(8);
    out
}
