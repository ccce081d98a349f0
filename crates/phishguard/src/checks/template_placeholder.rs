//! `template_placeholder`: an unfilled mail-merge field is left in the subject, the sender's
//! name or the opening of the text (`[username]`, `{{first_name}}`, `%EMAIL%`, `#RANDOM10#`):
//! the mail came off a bulk template whose fields the sender never filled — no service that
//! holds your account writes to you like that.

use super::Context;
use crate::report::Evidence;
use regex::Regex;
use std::sync::LazyLock;

/// Personalisation fields and filler macros, in the bracket styles of common bulk mailers.
static PLACEHOLDER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    // what only a mail merge calls a field; bare `name`/`user` in single brackets are
    // everyday in code and configuration (`{name}`, `[user]`), so they count only in the
    // bulk mailers' own double or symbol brackets
    let specific = r"(?:first[ _]?name|last[ _]?name|full[ _]?name|f_?name|l_?name|user[ _]?name|e-?mail(?:[ _]?address)?|recipient|customer[ _]?name|random[a-z_]*\d*|randon[a-z_]*\d*)";
    let any = format!(r"(?:{specific}|name|user)");
    Regex::new(&format!(
        r"(?i)\[\[\s*{any}\s*\]\]|\[\s*{specific}\s*\]|\{{\{{\s*{any}\s*\}}\}}|%%?{any}%%?|\*\|{any}\|\*|\$\{{?{specific}\}}?\$|#{specific}#"
    ))
    .ok()
});

/// How far into the body the opening is (bytes): a placeholder further down is more often
/// a template being discussed than one being sent.
const OPENING: usize = 1000;

/// Every placeholder starts with one of these bytes: a text without any holds none (and
/// most do not: the regex is skipped).
fn may_hold(s: &str) -> bool {
    s.bytes()
        .any(|b| matches!(b, b'[' | b'{' | b'%' | b'*' | b'$' | b'#'))
}

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some(re) = PLACEHOLDER.as_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if may_hold(&cx.msg.subject)
        && let Some(m) = re.find(&cx.msg.subject)
    {
        out.push(Evidence::span(
            "header:Subject",
            &cx.msg.subject,
            m.start(),
            m.end(),
        ));
    }
    if let Some(from) = &cx.msg.from
        && let Some(name) = &from.name
        && may_hold(name)
        && let Some(m) = re.find(name)
    {
        out.push(Evidence::whole("header:From", m.as_str()).with_detail("in the sender's name"));
    }
    let body = &cx.msg.body;
    let opening = body.get(..body.floor_char_boundary(OPENING)).unwrap_or("");
    if may_hold(opening)
        && let Some(m) = re.find(opening)
    {
        out.push(Evidence::span("body.text", body, m.start(), m.end()));
    }
    out
}
