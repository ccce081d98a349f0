//! `risky_attachment`: attachments of a kind that runs code or shows a login page when
//! opened (HTML, SVG, scripts, executables, disk images, macro documents).

use super::Context;
use crate::report::Evidence;

const RISKY: &[&str] = &[
    "html", "htm", "shtml", "xhtml", "svg", "js", "jse", "vbs", "vbe", "wsf", "wsh", "hta", "exe",
    "scr", "com", "pif", "bat", "cmd", "ps1", "lnk", "iso", "img", "vhd", "vhdx", "msi", "jar",
    "docm", "xlsm", "pptm", "one", "cab", "url",
];

pub fn run(cx: &Context) -> Vec<Evidence> {
    let mut out = Vec::new();
    for (i, a) in cx.msg.attachments.iter().enumerate() {
        let ext = a
            .name
            .as_deref()
            .and_then(|n| n.rsplit_once('.'))
            .map(|(_, e)| e.trim().to_ascii_lowercase());
        let by_name = ext.as_deref().is_some_and(|e| RISKY.contains(&e));
        let by_type = a.content_type == "text/html" || a.content_type == "image/svg+xml";
        if by_name || by_type {
            let shown = a.name.clone().unwrap_or_else(|| a.content_type.clone());
            out.push(
                Evidence::whole(format!("attachment[{i}].name"), shown)
                    .with_detail(a.content_type.clone()),
            );
        }
    }
    out
}
