//! HTML bodies: visible text, links with their shown text, image alt texts, forms.
//! Uses a real HTML tokenizer (html5gum); nothing is rendered or fetched.

use html5gum::{DefaultEmitter, Token, Tokenizer};

/// A link as found in HTML.
#[derive(Debug, Clone, Default)]
pub struct HtmlLink {
    pub href: String,
    /// The text the reader sees (anchor text, or the alt text of a linked image).
    pub text: String,
    /// `a`, `area` or `form`.
    pub tag: &'static str,
}

/// What an HTML body shows and where it links.
#[derive(Debug, Default)]
pub struct HtmlDoc {
    pub text: String,
    pub links: Vec<HtmlLink>,
    /// `<img alt>` and `<title>` texts.
    pub alt_texts: Vec<String>,
    /// Inputs of a form asking for a password or card data (their names/types).
    pub secret_inputs: Vec<String>,
    /// Characters of text inside elements styled to be invisible (display:none,
    /// font-size:0, visibility:hidden …), and the first such text.
    pub hidden_chars: usize,
    pub hidden_sample: String,
    /// `<img>` elements.
    pub images: usize,
    /// The link limit was reached.
    pub links_truncated: bool,
}

fn attr(tag: &html5gum::StartTag<()>, name: &[u8]) -> Option<String> {
    tag.attributes
        .get(name)
        .map(|v| String::from_utf8_lossy(&v.value).trim().to_string())
}

/// Does an inline style hide the element's text from the reader?
fn hides(style: &str) -> bool {
    let s: String = style
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    [
        "display:none",
        "visibility:hidden",
        "font-size:0",
        "opacity:0;",
        "max-height:0",
        "height:0;overflow:hidden",
    ]
    .iter()
    .any(|k| s.contains(k))
        || s.ends_with("opacity:0")
        || s.contains("font-size:0px")
        || s.contains("font-size:1px")
}

/// Elements that have no end tag.
fn is_void(name: &[u8]) -> bool {
    matches!(
        name,
        b"br"
            | b"img"
            | b"meta"
            | b"input"
            | b"hr"
            | b"link"
            | b"area"
            | b"base"
            | b"col"
            | b"wbr"
            | b"source"
    )
}

fn is_block(name: &[u8]) -> bool {
    matches!(
        name,
        b"p" | b"br"
            | b"div"
            | b"tr"
            | b"td"
            | b"th"
            | b"li"
            | b"ul"
            | b"ol"
            | b"table"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"hr"
            | b"blockquote"
            | b"section"
            | b"center"
    )
}

/// Attributes kept per tag. The tokenizer walks from attribute to attribute by recursion,
/// so a tag with hundreds of thousands of attributes (hostile input) would exhaust the
/// stack; no real tag has more than a few dozen.
const MAX_ATTRIBUTES: usize = 64;

/// Drop attributes beyond [`MAX_ATTRIBUTES`] in any tag. A light scan: it only changes
/// input that has such a tag, and then only inside that tag.
fn cap_attributes(html: &str) -> std::borrow::Cow<'_, str> {
    let b = html.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        if b.get(i) != Some(&b'<') || !b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        // inside a start tag: count attributes (white space followed by a name)
        let mut j = i + 1;
        let mut attrs = 0;
        let mut quote: Option<u8> = None;
        let mut cut_at = None;
        while let Some(&c) = b.get(j) {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == b'"' || c == b'\'' => quote = Some(c),
                None if c == b'>' => break,
                None if c.is_ascii_whitespace()
                    && b.get(j + 1)
                        .is_some_and(|n| !n.is_ascii_whitespace() && *n != b'>' && *n != b'/') =>
                {
                    attrs += 1;
                    if attrs > MAX_ATTRIBUTES && cut_at.is_none() {
                        cut_at = Some(j);
                    }
                }
                None => {}
            }
            j += 1;
        }
        if let Some(cut) = cut_at {
            let o = out.get_or_insert_with(|| Vec::with_capacity(b.len()));
            o.extend_from_slice(b.get(copied..cut).unwrap_or(&[]));
            copied = j; // resume at the closing '>' (or the end)
        }
        i = j.max(i + 1);
    }
    match out {
        None => std::borrow::Cow::Borrowed(html),
        Some(mut o) => {
            o.extend_from_slice(b.get(copied..).unwrap_or(&[]));
            std::borrow::Cow::Owned(String::from_utf8_lossy(&o).into_owned())
        }
    }
}

/// Tokenize `html` (at most `max_bytes` of it) and collect text, links and alt texts.
pub fn extract(html: &str, max_bytes: usize, max_links: usize) -> HtmlDoc {
    let html = cap_attributes(crate::text::truncate_at_char(html, max_bytes));
    let html = html.as_ref();
    let mut emitter = DefaultEmitter::default();
    // switch to RAWTEXT/script states after <script>, <style>, <title> …
    emitter.naively_switch_states(true);
    let mut doc = HtmlDoc::default();
    let mut skip_depth = 0usize; // inside <script>/<style>/<head> content
    let mut in_title = false;
    let mut title = String::new();
    let mut current: Option<HtmlLink> = None;
    // open elements (name, hides its content) — for hidden-text accounting
    let mut open: Vec<(Vec<u8>, bool)> = Vec::new();
    let mut hidden_depth = 0usize;
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = tag.name.as_slice();
                if !tag.self_closing && !is_void(name) && open.len() < 512 {
                    let hidden = attr(&tag, b"style").is_some_and(|s| hides(&s))
                        || tag.attributes.contains_key(b"hidden".as_slice());
                    if hidden {
                        hidden_depth += 1;
                    }
                    open.push((name.to_vec(), hidden));
                }
                match name {
                    b"script" | b"style" | b"noscript" | b"template" if !tag.self_closing => {
                        skip_depth += 1
                    }
                    b"title" => in_title = true,
                    b"a" | b"area" => {
                        if let Some(l) = current.take() {
                            push_link(&mut doc, l, max_links);
                        }
                        if let Some(href) = attr(&tag, b"href") {
                            let link = HtmlLink {
                                href,
                                text: attr(&tag, b"alt").unwrap_or_default(),
                                tag: if name == b"a" { "a" } else { "area" },
                            };
                            if name == b"a" {
                                current = Some(link);
                            } else {
                                push_link(&mut doc, link, max_links);
                            }
                        }
                    }
                    b"form" => {
                        if let Some(action) = attr(&tag, b"action").filter(|a| !a.is_empty()) {
                            let link = HtmlLink {
                                href: action,
                                text: String::new(),
                                tag: "form",
                            };
                            push_link(&mut doc, link, max_links);
                        }
                    }
                    b"input" => {
                        let ty = attr(&tag, b"type").unwrap_or_default().to_ascii_lowercase();
                        let nm = attr(&tag, b"name").unwrap_or_default().to_ascii_lowercase();
                        let secret = ty == "password"
                            || ["passw", "cvv", "cvc", "cardnum", "card_num", "ccnum", "pin"]
                                .iter()
                                .any(|k| nm.contains(k));
                        if secret && doc.secret_inputs.len() < 16 {
                            doc.secret_inputs
                                .push(format!("<input type=\"{ty}\" name=\"{nm}\">"));
                        }
                    }
                    b"img" => {
                        doc.images += 1;
                        if let Some(alt) = attr(&tag, b"alt").filter(|a| !a.is_empty()) {
                            if let Some(l) = current.as_mut() {
                                l.text.push(' ');
                                l.text.push_str(&alt);
                            }
                            if doc.alt_texts.len() < 256 {
                                doc.alt_texts.push(alt);
                            }
                        }
                    }
                    _ => {}
                }
                if is_block(name) {
                    doc.text.push('\n');
                }
            }
            Token::EndTag(tag) => {
                let name = tag.name.as_slice();
                if let Some(pos) = open.iter().rposition(|(n, _)| n.as_slice() == name) {
                    for (_, h) in open.drain(pos..) {
                        if h {
                            hidden_depth = hidden_depth.saturating_sub(1);
                        }
                    }
                }
                match name {
                    b"script" | b"style" | b"noscript" | b"template" => {
                        skip_depth = skip_depth.saturating_sub(1)
                    }
                    b"title" => in_title = false,
                    b"a" => {
                        if let Some(l) = current.take() {
                            push_link(&mut doc, l, max_links);
                        }
                    }
                    _ => {}
                }
                if is_block(name) {
                    doc.text.push('\n');
                }
            }
            Token::String(s) => {
                let s = String::from_utf8_lossy(&s.value);
                if in_title {
                    title.push_str(&s);
                } else if skip_depth == 0 && hidden_depth > 0 {
                    let visible: usize = s
                        .chars()
                        .filter(|c| !c.is_whitespace() && !crate::text::is_invisible(*c))
                        .count();
                    doc.hidden_chars += visible;
                    if doc.hidden_sample.len() < 200 && visible > 0 {
                        doc.hidden_sample
                            .push_str(crate::text::truncate_at_char(s.trim(), 200));
                        doc.hidden_sample.push(' ');
                    }
                } else if skip_depth == 0 {
                    doc.text.push_str(&s);
                    if let Some(l) = current.as_mut() {
                        l.text.push_str(&s);
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(l) = current.take() {
        push_link(&mut doc, l, max_links);
    }
    let title = title.trim();
    if !title.is_empty() {
        doc.alt_texts.push(title.to_string());
    }
    doc
}

fn push_link(doc: &mut HtmlDoc, mut link: HtmlLink, max_links: usize) {
    if doc.links.len() >= max_links {
        doc.links_truncated = true;
        return;
    }
    link.text = link.text.split_whitespace().collect::<Vec<_>>().join(" ");
    doc.links.push(link);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_with_shown_text_and_alt() {
        let d = extract(
            r#"<html><head><title>Amazon.co.jp</title><style>a{}</style></head><body>
            <p>Hello &amp; welcome</p><a href="https://evil.example/login">https://www.amazon.co.jp/</a>
            <a href="https://x.example/"><img alt="Amazon logo" src="x.png"></a>
            <script>var a = "<a href='nope'>";</script>
            <form action="https://steal.example/p"><input type="password" name="pw"></form></body></html>"#,
            1 << 20,
            100,
        );
        assert_eq!(d.links.len(), 3);
        assert_eq!(d.links[0].href, "https://evil.example/login");
        assert_eq!(d.links[0].text, "https://www.amazon.co.jp/");
        assert_eq!(d.links[1].text, "Amazon logo");
        assert_eq!(d.links[2].tag, "form");
        assert!(d.text.contains("Hello & welcome"));
        assert!(!d.text.contains("var a"));
        assert!(d.alt_texts.iter().any(|a| a == "Amazon.co.jp"));
        assert_eq!(d.secret_inputs.len(), 1);
    }

    #[test]
    fn hidden_text_is_counted_not_shown() {
        let d = extract(
            r#"<div>Pay now</div><div style="display: none">lorem ipsum dolor <b>sit</b> amet</div><p>end</p>"#,
            1 << 20,
            10,
        );
        assert!(d.text.contains("Pay now") && d.text.contains("end"));
        assert!(!d.text.contains("lorem"));
        assert_eq!(d.hidden_chars, "loremipsumdolorsitamet".len());
    }

    #[test]
    fn a_tag_with_huge_numbers_of_attributes_does_not_exhaust_the_stack() {
        let attrs: String = (0..300_000).map(|i| format!(" a{i}=\"v\"")).collect();
        let html =
            format!("<p>before</p><a href=\"https://x.example/\"{attrs}>link</a><p>after</p>");
        let d = extract(&html, 64 << 20, 100);
        assert_eq!(d.links.len(), 1);
        assert_eq!(d.links[0].text, "link");
        assert!(d.text.contains("after"));
    }

    #[test]
    fn link_limit_is_reported() {
        let html = "<a href='https://a.example/'>x</a>".repeat(20);
        let d = extract(&html, 1 << 20, 5);
        assert_eq!(d.links.len(), 5);
        assert!(d.links_truncated);
    }
}
