//! `image_free_host`: the mail's pictures are hot-linked from a free picture-sharing host
//! (imgur, ibb.co, postimg …; `data/image_hosts.txt`). Companies load their newsletters'
//! and notices' pictures from their own site or mailing service; a lure drawn in a picture
//! and sent from a throw-away set-up loads it from wherever costs nothing.

use super::Context;
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let sender = cx
        .msg
        .from
        .as_ref()
        .and_then(|f| f.domain.as_ref())
        .map(|d| d.registrable.as_str());
    cx.msg
        .image_hosts
        .iter()
        .filter_map(|h| {
            let entry = cx.image_hosts.matching(h, sender)?;
            Some(
                Evidence::whole("body.html", format!("<img src=\"…{h}…\">"))
                    .with_detail(format!("picture loaded from {entry}")),
            )
        })
        .take(2)
        .collect()
}
