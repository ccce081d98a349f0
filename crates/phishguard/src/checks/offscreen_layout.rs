//! `offscreen_layout`: the HTML's style pushes part of the mail thousands of pixels away
//! (`margin-top: 470500px`, `height: 10000vh`). Nobody scrolls that far: kits park filler
//! text there so that filters read an innocent mail while the reader sees only the lure.

use super::Context;
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    match &cx.msg.offscreen_push {
        Some(decl) => vec![
            Evidence::whole("body.html", decl.clone())
                .with_detail("content placed far beyond what a reader scrolls to"),
        ],
        None => Vec::new(),
    }
}
