//! HTML bodies: visible text, links with their shown text, image alt texts, forms.
//! Uses a real HTML tokenizer (the WHATWG states, as html5gum has them: `html_tok`);
//! nothing is rendered or fetched.
//!
//! The tokenizer reports to a [`Collector`]: it keeps only the handful of attributes the
//! analysis reads (`href`, `alt`, `style`, `hidden`, `action`, `type`, `name`) in buffers
//! reused from tag to tag, and does not buffer what is never read (other attributes'
//! values, the text of `<script>`/`<style>`, comments, doctypes).

use crate::html_tok::Events;
use std::borrow::Cow;

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
    /// `<img>` elements and elements with a background picture (`style="background:url(…)"`).
    pub images: usize,
    /// The hosts `<img src>` pictures are loaded from (lower case, each once, at most 16).
    pub image_hosts: Vec<String>,
    /// The link limit was reached.
    pub links_truncated: bool,
    /// Tags repeated as padding: runs of the same empty start tag over and over
    /// (`<figcaption><figcaption>…`), as kits write to break message fingerprints.
    pub padding_tags: Vec<String>,
}

/// Finds runs of one start tag repeated with nothing between (no text, no end tag).
/// Editors and mail tools do not write those (bar line breaks and Word's `w:` / `o:`
/// schema tags); kits pad mails with them so that no two copies hash alike.
#[derive(Default)]
struct PaddingRuns {
    name: Vec<u8>,
    len: usize,
    found: Vec<String>,
}

impl PaddingRuns {
    /// A run this long is padding.
    const RUN: usize = 8;

    fn start_tag(&mut self, name: &[u8]) {
        if name == self.name.as_slice() {
            self.len += 1;
            let counted = name != b"br" && !name.contains(&b':');
            if self.len == Self::RUN && counted && self.found.len() < 16 {
                let name = String::from_utf8_lossy(name).into_owned();
                if !self.found.contains(&name) {
                    self.found.push(name);
                }
            }
        } else {
            self.name.clear();
            self.name.extend_from_slice(name);
            self.len = 1;
        }
    }

    /// An end tag or visible text ends a run.
    fn interrupt(&mut self) {
        self.len = 0;
        self.name.clear();
    }

    fn text(&mut self, s: &[u8]) {
        if !s.iter().all(u8::is_ascii_whitespace) {
            self.interrupt();
        }
    }
}

/// Declarations that hide text, split at their first colon: the style (white space
/// removed, lower case) hides if it holds one of them anywhere. (`font-size:0` covers
/// `font-size:0px`.)
#[cfg(test)]
const HIDING: [(&[u8], &[u8]); 7] = [
    (b"display", b":none"),
    (b"visibility", b":hidden"),
    (b"font-size", b":0"),
    (b"opacity", b":0;"),
    (b"max-height", b":0"),
    (b"height", b":0;overflow:hidden"),
    (b"font-size", b":1px"),
];

/// The declarations of `HIDING` that hide a box whatever its children say.
const HIDING_BOX: [(&[u8], &[u8]); 5] = [
    (b"display", b":none"),
    (b"visibility", b":hidden"),
    (b"opacity", b":0;"),
    (b"max-height", b":0"),
    (b"height", b":0;overflow:hidden"),
];

/// The declarations of `HIDING` that shrink the font to nothing: a child that sets a
/// font size of its own is seen again (e-mail builders put `font-size:0` on layout cells
/// to remove the gaps between inline blocks, and size the text inside).
const HIDING_FONT: [(&[u8], &[u8]); 2] = [(b"font-size", b":0"), (b"font-size", b":1px")];

/// Any font size.
const FONT_SIZE: [(&[u8], &[u8]); 1] = [(b"font-size", b":")];

/// What an inline style does to the text inside: hides the box (`display:none` …), and
/// what it sets the font size to (`Some(true)`: to nothing, `Some(false)`: to a size).
/// One pass over the colons for the three tables (tested against a pass per table).
fn style_effect(style: &[u8], buf: &mut Vec<u8>) -> (bool, Option<bool>) {
    let s: &[u8] = if style.is_ascii() {
        style
    } else {
        // white space removed, lower case (then the in-place tests below read it as is)
        buf.clear();
        let mut tmp = [0u8; 4];
        for c in String::from_utf8_lossy(style)
            .chars()
            .filter(|c| !c.is_whitespace())
        {
            buf.extend_from_slice(c.to_ascii_lowercase().encode_utf8(&mut tmp).as_bytes());
        }
        buf
    };
    let holds = |table: &[(&[u8], &[u8])], at: usize| {
        table
            .iter()
            .any(|(name, value)| spaced_ends_with(s, at, name) && spaced_starts_with(s, at, value))
    };
    let (mut boxed, mut zero, mut sized) = (false, false, false);
    for at in memchr::memchr_iter(b':', s) {
        // every declaration name tested ends in `y` (display …), `t` (height) or `e`
        let last = s
            .get(..at)
            .and_then(|b| b.iter().rev().find(|c| !is_style_space(**c)))
            .map(u8::to_ascii_lowercase);
        match last {
            Some(b'y' | b't') => boxed = boxed || holds(&HIDING_BOX, at),
            Some(b'e') => {
                zero = zero || holds(&HIDING_FONT, at);
                sized = sized || holds(&FONT_SIZE, at);
            }
            _ => {}
        }
        if boxed && zero {
            break;
        }
    }
    let boxed = boxed || spaced_ends_with(s, s.len(), b"opacity:0");
    let font = if zero {
        Some(true)
    } else if sized {
        Some(false)
    } else {
        None
    };
    (boxed, font)
}

/// [`style_effect`] as a search per table.
#[cfg(test)]
fn style_effect_per_table(style: &[u8], buf: &mut Vec<u8>) -> (bool, Option<bool>) {
    let boxed = matches_any(style, buf, &HIDING_BOX, true);
    let font = if matches_any(style, buf, &HIDING_FONT, false) {
        Some(true)
    } else if matches_any(style, buf, &FONT_SIZE, false) {
        Some(false)
    } else {
        None
    };
    (boxed, font)
}

/// Does an inline style hide the element's text from the reader? `buf` is scratch space.
#[cfg(test)]
fn hides(style: &[u8], buf: &mut Vec<u8>) -> bool {
    matches_any(style, buf, &HIDING, true)
}

/// Does the style (white space removed, lower case) hold one of `table`'s declarations
/// (or, with `opacity_end`, end in `opacity:0`)? `buf` is scratch space.
#[cfg(test)]
fn matches_any(
    style: &[u8],
    buf: &mut Vec<u8>,
    table: &[(&[u8], &[u8])],
    opacity_end: bool,
) -> bool {
    if style.is_ascii() {
        return matches_ascii(style, table, opacity_end);
    }
    buf.clear();
    let style = String::from_utf8_lossy(style);
    let mut tmp = [0u8; 4];
    for c in style.chars().filter(|c| !c.is_whitespace()) {
        buf.extend_from_slice(c.to_ascii_lowercase().encode_utf8(&mut tmp).as_bytes());
    }
    let s = buf.as_slice();
    // Every declaration holds a colon: look for them only around the colons of the style
    // (one pass, instead of a substring search per declaration).
    memchr::memchr_iter(b':', s).any(|at| {
        let (before, after) = s.split_at(at);
        table
            .iter()
            .any(|(name, value)| before.ends_with(name) && after.starts_with(value))
    }) || (opacity_end && s.ends_with(b"opacity:0"))
}

/// The ASCII white space of `char::is_whitespace`.
fn is_style_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// Does `s` (ASCII), with its white space removed and lower-cased, hold `pat` (lower case,
/// no white space) starting at `at`? Reads `s` in place instead of building that string.
fn spaced_starts_with(s: &[u8], mut at: usize, pat: &[u8]) -> bool {
    for &p in pat {
        while s.get(at).copied().is_some_and(is_style_space) {
            at += 1;
        }
        match s.get(at) {
            Some(b) if b.to_ascii_lowercase() == p => at += 1,
            _ => return false,
        }
    }
    true
}

/// As [`spaced_starts_with`], for `pat` ending right before `end`.
fn spaced_ends_with(s: &[u8], mut end: usize, pat: &[u8]) -> bool {
    for &p in pat.iter().rev() {
        while end > 0 && s.get(end - 1).copied().is_some_and(is_style_space) {
            end -= 1;
        }
        match end.checked_sub(1).and_then(|i| s.get(i)) {
            Some(b) if b.to_ascii_lowercase() == p => end -= 1,
            _ => return false,
        }
    }
    true
}

/// [`matches_any`] for an ASCII style: the same tests, read in place around each colon
/// (white space skipped, letters compared lower-cased) without copying the style.
#[cfg(test)]
fn matches_ascii(style: &[u8], table: &[(&[u8], &[u8])], opacity_end: bool) -> bool {
    memchr::memchr_iter(b':', style).any(|at| {
        table.iter().any(|(name, value)| {
            spaced_ends_with(style, at, name) && spaced_starts_with(style, at, value)
        })
    }) || (opacity_end && spaced_ends_with(style, style.len(), b"opacity:0"))
}

/// [`hides`] for an ASCII style.
#[cfg(test)]
fn hides_ascii(style: &[u8]) -> bool {
    matches_ascii(style, &HIDING, true)
}

/// Does an inline style draw a picture (`background: url(…)`)? A lure drawn as a box's
/// background is an image like any `<img>`.
fn draws_image(style: &[u8]) -> bool {
    // every `url(` ends in a `(`: look only there
    memchr::memchr_iter(b'(', style).any(|at| {
        at >= 3
            && style
                .get(at - 3..at)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"url"))
    })
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

/// Attributes kept per tag: the first 64 (html5gum, which this extractor was built on,
/// walked from attribute to attribute by recursion, and a hostile tag with hundreds of
/// thousands of them exhausted the stack; no real tag has more than a few dozen).
const MAX_ATTRIBUTES: usize = 64;

/// Drop attributes beyond [`MAX_ATTRIBUTES`] in any tag. A light scan: it only changes
/// input that has such a tag, and then only inside that tag.
fn cap_attributes(html: &str) -> std::borrow::Cow<'_, str> {
    let b = html.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    let mut copied = 0;
    // jump from '<' to '<' ('<' is ASCII, so never inside a multi-byte character)
    while let Some(k) = b.get(i..).and_then(|rest| memchr::memchr(b'<', rest)) {
        i += k;
        if !b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        // inside a start tag: count attributes (white space followed by a name)
        let mut j = i + 1;
        let mut attrs = 0;
        let mut cut_at = None;
        while let Some(&c) = b.get(j) {
            match c {
                b'"' | b'\'' => {
                    // a quoted value: jump past its closing quote (or to the end)
                    match b.get(j + 1..).and_then(|rest| memchr::memchr(c, rest)) {
                        Some(len) => j += len + 2,
                        None => j = b.len(),
                    }
                    continue;
                }
                b'>' => break,
                _ if c.is_ascii_whitespace()
                    && b.get(j + 1)
                        .is_some_and(|n| !n.is_ascii_whitespace() && *n != b'>' && *n != b'/') =>
                {
                    attrs += 1;
                    if attrs > MAX_ATTRIBUTES && cut_at.is_none() {
                        cut_at = Some(j);
                    }
                }
                _ => {}
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

/// Attributes the extractor reads, as bits of [`TagAttrs::seen`].
const HREF: u8 = 1;
const ALT: u8 = 1 << 1;
const STYLE: u8 = 1 << 2;
const ACTION: u8 = 1 << 3;
const TYPE: u8 = 1 << 4;
const NAME: u8 = 1 << 5;
const HIDDEN: u8 = 1 << 6;
const SRC: u8 = 1 << 7;

fn attr_bit(name: &[u8]) -> Option<u8> {
    match name {
        b"href" => Some(HREF),
        b"alt" => Some(ALT),
        b"style" => Some(STYLE),
        b"action" => Some(ACTION),
        b"type" => Some(TYPE),
        b"name" => Some(NAME),
        b"hidden" => Some(HIDDEN),
        b"src" => Some(SRC),
        _ => None,
    }
}

/// The attributes of the tag being read that the extractor needs. As with html5gum's
/// own attribute map, the first of two attributes with the same name wins.
#[derive(Default)]
struct TagAttrs {
    /// Which of the wanted attributes the tag has.
    seen: u8,
    /// Where the next attribute value goes (none: an attribute nobody reads, or a repeat).
    target: u8,
    href: Vec<u8>,
    alt: Vec<u8>,
    style: Vec<u8>,
    action: Vec<u8>,
    ty: Vec<u8>,
    name: Vec<u8>,
    src: Vec<u8>,
}

impl TagAttrs {
    fn buf(&mut self, bit: u8) -> Option<&mut Vec<u8>> {
        match bit {
            HREF => Some(&mut self.href),
            ALT => Some(&mut self.alt),
            STYLE => Some(&mut self.style),
            ACTION => Some(&mut self.action),
            TYPE => Some(&mut self.ty),
            NAME => Some(&mut self.name),
            SRC => Some(&mut self.src),
            _ => None,
        }
    }

    fn raw(&self, bit: u8) -> Option<&[u8]> {
        if self.seen & bit == 0 {
            return None;
        }
        match bit {
            HREF => Some(&self.href),
            ALT => Some(&self.alt),
            STYLE => Some(&self.style),
            ACTION => Some(&self.action),
            TYPE => Some(&self.ty),
            NAME => Some(&self.name),
            SRC => Some(&self.src),
            _ => Some(&[]),
        }
    }

    /// The attribute's value, trimmed (what the reader of the tag would use).
    fn get(&self, bit: u8) -> Option<String> {
        self.raw(bit)
            .map(|v| String::from_utf8_lossy(v).trim().to_string())
    }

    fn has(&self, bit: u8) -> bool {
        self.seen & bit != 0
    }

    fn name(&mut self, name: &[u8]) {
        self.target = 0;
        if let Some(bit) = attr_bit(name)
            && self.seen & bit == 0
        {
            self.seen |= bit;
            self.target = bit;
            if let Some(b) = self.buf(bit) {
                b.clear();
            }
        }
    }

    fn value(&mut self, value: &[u8]) {
        let target = self.target;
        if let Some(b) = self.buf(target) {
            b.extend_from_slice(value);
        }
    }

    fn reset(&mut self) {
        self.seen = 0;
    }
}

/// Notes the host of an `<img src>` (`https://host/…`, `//host/…`); relative sources,
/// `cid:` parts and `data:` pictures have none.
fn note_image_host(doc: &mut HtmlDoc, src: &[u8]) {
    let src = src.trim_ascii();
    let lower = |n: usize| src.get(..n).map(<[u8]>::to_ascii_lowercase);
    let rest = if lower(8).as_deref() == Some(b"https://") {
        src.get(8..)
    } else if lower(7).as_deref() == Some(b"http://") {
        src.get(7..)
    } else if src.starts_with(b"//") {
        src.get(2..)
    } else {
        None
    };
    let Some(rest) = rest else { return };
    let end = rest
        .iter()
        .position(|b| matches!(b, b'/' | b'?' | b'#' | b':' | b'\\') || b.is_ascii_whitespace())
        .unwrap_or(rest.len());
    let Some(host) = rest.get(..end).filter(|h| !h.is_empty() && h.is_ascii()) else {
        return;
    };
    let host = String::from_utf8_lossy(host).to_ascii_lowercase();
    if doc.image_hosts.len() < 16 && !doc.image_hosts.contains(&host) {
        doc.image_hosts.push(host);
    }
}

/// Characters of `s` that show: not white space, not invisible.
fn visible_chars(s: &str) -> usize {
    if s.is_ascii() {
        // (no ASCII character is invisible)
        s.bytes().filter(|b| !is_style_space(*b)).count()
    } else {
        s.chars()
            .filter(|c| !c.is_whitespace() && !crate::text::is_invisible(*c))
            .count()
    }
}

fn lossy(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// What the tokenizer's events build up into an [`HtmlDoc`].
struct Collector {
    doc: HtmlDoc,
    max_links: usize,
    attrs: TagAttrs,
    /// Text waiting to be handed on: text arrives in pieces that end where a tag, comment
    /// or doctype begins (the hidden-text sample is kept per piece).
    pending_text: Vec<u8>,
    /// inside <script>/<style>/<noscript>/<template> content
    skip_depth: usize,
    in_title: bool,
    title: String,
    current: Option<HtmlLink>,
    /// Open elements (where the name starts in `open_names`, its length, whether it hides
    /// its content), for hidden-text accounting.
    open: Vec<(usize, usize, bool, bool)>,
    open_names: Vec<u8>,
    hidden_depth: usize,
    /// For the open elements that set a font size: whether it is nothing (last = inmost).
    font_zero: Vec<bool>,
    scratch: Vec<u8>,
    padding: PaddingRuns,
}

impl Collector {
    fn new(max_links: usize) -> Self {
        Collector {
            doc: HtmlDoc::default(),
            max_links,
            attrs: TagAttrs::default(),
            pending_text: Vec::new(),
            skip_depth: 0,
            in_title: false,
            title: String::new(),
            current: None,
            open: Vec::new(),
            open_names: Vec::new(),
            hidden_depth: 0,
            font_zero: Vec::new(),
            scratch: Vec::new(),
            padding: PaddingRuns::default(),
        }
    }

    /// A start tag is complete (its attributes are in `attrs`).
    fn start_tag(&mut self, name: &[u8], self_closing: bool) {
        self.padding.start_tag(name);
        let max_links = self.max_links;
        let doc = &mut self.doc;
        let attrs = &self.attrs;
        if !self_closing && !is_void(name) && self.open.len() < 512 {
            let (boxed, font) = attrs
                .raw(STYLE)
                .map_or((false, None), |s| style_effect(s, &mut self.scratch));
            let hidden = boxed || attrs.has(HIDDEN);
            if hidden {
                self.hidden_depth += 1;
            }
            if let Some(zero) = font {
                self.font_zero.push(zero);
            }
            self.open
                .push((self.open_names.len(), name.len(), hidden, font.is_some()));
            self.open_names.extend_from_slice(name);
        }
        if attrs.raw(STYLE).is_some_and(draws_image) {
            doc.images += 1;
        }
        match name {
            b"script" | b"style" | b"noscript" | b"template" if !self_closing => {
                self.skip_depth += 1
            }
            b"title" => self.in_title = true,
            b"a" | b"area" => {
                if let Some(l) = self.current.take() {
                    push_link(doc, l, max_links);
                }
                if let Some(href) = attrs.get(HREF) {
                    let link = HtmlLink {
                        href,
                        text: attrs.get(ALT).unwrap_or_default(),
                        tag: if name == b"a" { "a" } else { "area" },
                    };
                    if name == b"a" {
                        self.current = Some(link);
                    } else {
                        push_link(doc, link, max_links);
                    }
                }
            }
            b"form" => {
                if let Some(action) = attrs.get(ACTION).filter(|a| !a.is_empty()) {
                    let link = HtmlLink {
                        href: action,
                        text: String::new(),
                        tag: "form",
                    };
                    push_link(doc, link, max_links);
                }
            }
            b"input" => {
                let ty = attrs.get(TYPE).unwrap_or_default().to_ascii_lowercase();
                let nm = attrs.get(NAME).unwrap_or_default().to_ascii_lowercase();
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
                if let Some(src) = attrs.raw(SRC) {
                    note_image_host(doc, src);
                }
                if let Some(alt) = attrs.get(ALT).filter(|a| !a.is_empty()) {
                    if let Some(l) = self.current.as_mut() {
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
        // the attributes are the tag's own
        self.attrs.reset();
    }

    fn end_tag(&mut self, name: &[u8]) {
        self.attrs.reset();
        self.padding.interrupt();
        let names = &self.open_names;
        if let Some(pos) = self
            .open
            .iter()
            .rposition(|&(start, len, _, _)| names.get(start..start + len) == Some(name))
        {
            if let Some(&(start, _, _, _)) = self.open.get(pos) {
                self.open_names.truncate(start);
            }
            for (_, _, h, f) in self.open.drain(pos..) {
                if h {
                    self.hidden_depth = self.hidden_depth.saturating_sub(1);
                }
                if f {
                    self.font_zero.pop();
                }
            }
        }
        match name {
            b"script" | b"style" | b"noscript" | b"template" => {
                self.skip_depth = self.skip_depth.saturating_sub(1)
            }
            b"title" => self.in_title = false,
            b"a" => {
                if let Some(l) = self.current.take() {
                    push_link(&mut self.doc, l, self.max_links);
                }
            }
            _ => {}
        }
        if is_block(name) {
            self.doc.text.push('\n');
        }
    }

    fn string(&mut self, value: &[u8]) {
        self.padding.text(value);
        let s = lossy(value);
        let doc = &mut self.doc;
        if self.in_title {
            self.title.push_str(&s);
        } else if self.skip_depth == 0
            && (self.hidden_depth > 0 || self.font_zero.last() == Some(&true))
        {
            let visible = visible_chars(&s);
            doc.hidden_chars += visible;
            if doc.hidden_sample.len() < 200 && visible > 0 {
                doc.hidden_sample
                    .push_str(crate::text::truncate_at_char(s.trim(), 200));
                doc.hidden_sample.push(' ');
            }
        } else if self.skip_depth == 0 {
            doc.text.push_str(&s);
            if let Some(l) = self.current.as_mut() {
                l.text.push_str(&s);
            }
        }
    }

    fn finish(mut self) -> HtmlDoc {
        if let Some(l) = self.current.take() {
            push_link(&mut self.doc, l, self.max_links);
        }
        let title = self.title.trim();
        if !title.is_empty() {
            self.doc.alt_texts.push(title.to_string());
        }
        self.doc.padding_tags = self.padding.found;
        self.doc
    }

    /// Hand on the pending text (`CallbackEmitter::flush_current_characters`).
    fn flush_text(&mut self) {
        if self.pending_text.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.pending_text);
        self.string(&text);
        self.pending_text = text;
        self.pending_text.clear();
    }
}

impl Events for Collector {
    fn text(&mut self, s: &[u8]) {
        // What `string` would drop is not kept. The state it depends on only changes at
        // tags, and the pending text is handed on before any tag.
        if self.in_title || self.skip_depth == 0 {
            self.pending_text.extend_from_slice(s);
        }
    }

    fn flush(&mut self) {
        self.flush_text();
    }

    fn attribute(&mut self, name: &[u8]) -> bool {
        self.attrs.name(name);
        self.attrs.target != 0
    }

    fn value(&mut self, s: &[u8]) {
        self.attrs.value(s);
    }

    fn start_tag(&mut self, name: &[u8], self_closing: bool) {
        Collector::start_tag(self, name, self_closing);
    }

    fn end_tag(&mut self, name: &[u8]) {
        Collector::end_tag(self, name);
    }
}

/// Tokenize `html` (at most `max_bytes` of it) and collect text, links and alt texts.
pub fn extract(html: &str, max_bytes: usize, max_links: usize) -> HtmlDoc {
    let html = cap_attributes(crate::text::truncate_at_char(html, max_bytes));
    let mut collector = Collector::new(max_links);
    crate::html_tok::tokenize(html.as_ref(), &mut collector);
    collector.finish()
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

    // The extractor as it was with html5gum's DefaultEmitter (attribute maps, tokens),
    // kept to check that the callback-driven one gives exactly the same documents.
    fn attr(tag: &html5gum::StartTag<()>, name: &[u8]) -> Option<String> {
        tag.attributes
            .get(name)
            .map(|v| String::from_utf8_lossy(&v.value).trim().to_string())
    }

    fn reference_hides(style: &str) -> bool {
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

    fn reference_squash(style: &str) -> String {
        style
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    }

    fn reference_hides_box(style: &str) -> bool {
        let s = reference_squash(style);
        [
            "display:none",
            "visibility:hidden",
            "opacity:0;",
            "max-height:0",
            "height:0;overflow:hidden",
        ]
        .iter()
        .any(|k| s.contains(k))
            || s.ends_with("opacity:0")
    }

    fn reference_font(style: &str) -> Option<bool> {
        let s = reference_squash(style);
        if s.contains("font-size:0") || s.contains("font-size:1px") {
            Some(true)
        } else if s.contains("font-size:") {
            Some(false)
        } else {
            None
        }
    }

    fn reference_extract(html: &str, max_bytes: usize, max_links: usize) -> HtmlDoc {
        let html = cap_attributes(crate::text::truncate_at_char(html, max_bytes));
        let html = html.as_ref();
        let mut emitter = html5gum::DefaultEmitter::default();
        // switch to RAWTEXT/script states after <script>, <style>, <title> …
        emitter.naively_switch_states(true);
        let mut doc = HtmlDoc::default();
        let mut skip_depth = 0usize; // inside <script>/<style>/<head> content
        let mut in_title = false;
        let mut title = String::new();
        let mut current: Option<HtmlLink> = None;
        // open elements (name, hides its content) — for hidden-text accounting
        let mut open: Vec<(Vec<u8>, bool, bool)> = Vec::new();
        let mut hidden_depth = 0usize;
        let mut font_zero: Vec<bool> = Vec::new();
        let mut padding = PaddingRuns::default();
        for token in html5gum::Tokenizer::new_with_emitter(html, emitter).flatten() {
            match &token {
                html5gum::Token::StartTag(tag) => padding.start_tag(&tag.name),
                html5gum::Token::EndTag(_) => padding.interrupt(),
                html5gum::Token::String(s) => padding.text(&s.value),
                _ => {}
            }
            match token {
                html5gum::Token::StartTag(tag) => {
                    let name = tag.name.as_slice();
                    if !tag.self_closing && !is_void(name) && open.len() < 512 {
                        let style = attr(&tag, b"style").unwrap_or_default();
                        let font = reference_font(&style);
                        let hidden = reference_hides_box(&style)
                            || tag.attributes.contains_key(b"hidden".as_slice());
                        if hidden {
                            hidden_depth += 1;
                        }
                        if let Some(z) = font {
                            font_zero.push(z);
                        }
                        open.push((name.to_vec(), hidden, font.is_some()));
                    }
                    if attr(&tag, b"style").is_some_and(|s| draws_image(s.as_bytes())) {
                        doc.images += 1;
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
                            if let Some(src) = attr(&tag, b"src") {
                                note_image_host(&mut doc, src.as_bytes());
                            }
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
                html5gum::Token::EndTag(tag) => {
                    let name = tag.name.as_slice();
                    if let Some(pos) = open.iter().rposition(|(n, _, _)| n.as_slice() == name) {
                        for (_, h, f) in open.drain(pos..) {
                            if h {
                                hidden_depth = hidden_depth.saturating_sub(1);
                            }
                            if f {
                                font_zero.pop();
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
                html5gum::Token::String(s) => {
                    let s = String::from_utf8_lossy(&s.value);
                    if in_title {
                        title.push_str(&s);
                    } else if skip_depth == 0
                        && (hidden_depth > 0 || font_zero.last() == Some(&true))
                    {
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
        doc.padding_tags = padding.found;
        doc
    }

    // cap_attributes as it was, byte by byte through quoted values
    fn reference_cap_attributes(html: &str) -> std::borrow::Cow<'_, str> {
        let b = html.as_bytes();
        let mut out: Option<Vec<u8>> = None;
        let mut i = 0;
        let mut copied = 0;
        while i < b.len() {
            if b.get(i) != Some(&b'<') {
                // jump to the next '<' (a memchr), or go on byte by byte off a char boundary
                match html.get(i..).map(|rest| rest.find('<')) {
                    Some(Some(k)) => i += k,
                    Some(None) => break,
                    None => i += 1,
                }
                continue;
            }
            if !b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
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
                        && b.get(j + 1).is_some_and(|n| {
                            !n.is_ascii_whitespace() && *n != b'>' && *n != b'/'
                        }) =>
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

    #[test]
    fn cap_attributes_matches_the_byte_by_byte_scan() {
        let many: String = (0..80).map(|i| format!(" a{i}=1")).collect();
        let quoted: String = (0..70).map(|i| format!(" q{i}=\"x > y\"")).collect();
        let mixed: String = (0..70).map(|i| format!(" m{i}='a\"b' n{i}")).collect();
        let cases = [
            String::new(),
            "no tags at all".to_string(),
            format!("<p{many}>text</p><a href=x{many}>"),
            format!("<p{quoted}>x</p>"),
            format!("<p{mixed}>x</p>"),
            format!("<p{many}"),
            format!("<p{many} title=\"unterminated"),
            format!("\u{3042}<b{many}>\u{3044}<{many}<1{many}></p{many}>"),
            format!("<div a='{many}' b=\"{many}\"{many}/>"),
            format!("<x {many} /><y\t{}>", many.replace(' ', "\n")),
        ];
        for html in &cases {
            assert_eq!(
                cap_attributes(html),
                reference_cap_attributes(html),
                "input: {html}"
            );
        }
    }

    #[test]
    fn hides_matches_the_substring_searches() {
        let mut buf = Vec::new();
        for style in [
            "",
            "display:none",
            "DISPLAY : NONE",
            "display:\u{3000}none",
            "display:\u{a0}none;color:red",
            "color:red;display:block",
            "font-size:0",
            "font-size: 0px",
            "font-size:1px",
            "font-size:10px",
            "font-size:12px;opacity:0",
            "opacity:0;color:red",
            "opacity:0.5",
            "opacity::0",
            "max-height:0;overflow:hidden",
            "line-height:0;overflow:hidden",
            "height:0;overflow:visible",
            "height:0; overflow: hidden",
            "visibility:hidden",
            "visibility:visible",
            "x:display:none",
            "displaydisplay:none",
            "\u{130}display:none",
            "d\u{131}splay:none",
            "font-size:\u{ff10}",
        ] {
            assert_eq!(
                hides(style.as_bytes(), &mut buf),
                reference_hides(style),
                "style: {style}"
            );
            assert_eq!(
                style_effect(style.as_bytes(), &mut buf),
                style_effect_per_table(style.as_bytes(), &mut Vec::new()),
                "style: {style}"
            );
        }
        // not UTF-8: read as the lossy string
        assert!(hides(b"\xffdisplay:none", &mut buf));
    }

    /// The in-place ASCII test against the copying one (white space removed, lower case)
    /// it replaces, over combinations of tricky pieces.
    #[test]
    fn hides_ascii_matches_the_copying_test() {
        fn copying(style: &[u8]) -> bool {
            let s: Vec<u8> = style
                .iter()
                .filter(|b| !is_style_space(**b))
                .map(u8::to_ascii_lowercase)
                .collect();
            memchr::memchr_iter(b':', &s).any(|at| {
                let (before, after) = s.split_at(at);
                HIDING
                    .iter()
                    .any(|(name, value)| before.ends_with(name) && after.starts_with(value))
            }) || s.ends_with(b"opacity:0")
        }
        let pieces: [&[u8]; 22] = [
            b"",
            b" ",
            b"\t\r\n",
            b":",
            b";",
            b"display",
            b"DISPLAY ",
            b"none",
            b" N one",
            b"font-size",
            b"font - size",
            b"0",
            b"0px",
            b"1PX",
            b"opacity",
            b"Opacity :",
            b"height",
            b"max-",
            b"overflow",
            b"hidden",
            b"visibility",
            b"\x0b\x0c",
        ];
        let n = pieces.len();
        let mut style = Vec::new();
        for a in 0..n {
            for b in 0..n {
                for c in 0..n {
                    for d in [0, 4, 11, 17, 19] {
                        style.clear();
                        for i in [a, b, 4, c, d, 4, a] {
                            style.extend_from_slice(pieces.get(i).copied().unwrap_or_default());
                        }
                        assert_eq!(
                            style_effect(&style, &mut Vec::new()),
                            style_effect_per_table(&style, &mut Vec::new())
                        );
                        let want = copying(&style);
                        assert_eq!(
                            hides_ascii(&style),
                            want,
                            "{:?}",
                            String::from_utf8_lossy(&style)
                        );
                        assert_eq!(
                            hides_ascii(&style[..style.len() / 2]),
                            copying(&style[..style.len() / 2])
                        );
                    }
                }
            }
        }
        for style in [
            &b"height:0;overflow:hidden"[..],
            b"height :0 ; overflow : HIDDEN",
            b"max-height:0",
            b"opacity:0",
            b"opacity:0 ",
            b"opacity : 0 ;",
            b"opacity:0.5",
            b"font-size:1px",
            b":0",
            b"display:",
        ] {
            assert_eq!(hides_ascii(style), copying(style));
        }
    }

    #[test]
    fn draws_image_matches_the_window_search() {
        for style in [
            &b""[..],
            b"(",
            b"url(",
            b"URL(x)",
            b"background:url(x)",
            b"background: Url (x)",
            b"rl(",
            b"(url(",
            b"xurl((",
            b"background-image:uRl(\"a\")",
        ] {
            assert_eq!(
                draws_image(style),
                style.windows(4).any(|w| w.eq_ignore_ascii_case(b"url(")),
                "{:?}",
                String::from_utf8_lossy(style)
            );
        }
    }

    fn same_as_reference(html: &str, max_links: usize) {
        let new = extract(html, 1 << 20, max_links);
        let old = reference_extract(html, 1 << 20, max_links);
        assert_eq!(format!("{new:?}"), format!("{old:?}"), "input: {html}");
    }

    /// Random documents from pieces that exercise the tokenizer's states (tags and
    /// attributes of every quoting, references, comments, doctypes, raw text, script
    /// escapes, NUL and CR, cut anywhere), extracted as html5gum tokenizes them.
    fn random_documents(n: usize, seed: u64, mut check: impl FnMut(&str)) {
        let pieces: &[&str] = &[
            "<a href=\"https://a.example/?x=1&amp;y=2\">",
            "</a>",
            "<A HREF='h&#x41;'>",
            "<a href=u&lt;v alt=w>",
            "<area alt=\"al\" href=x>",
            "<img alt=\"Logo &copy;\">",
            "<img alt=i src=x>",
            "<input type=password name=pw>",
            "<INPUT NAME=cvv2>",
            "<form action=\"f\">",
            "</form>",
            "<title>",
            "</title>",
            "</TITLE >",
            "<textarea>",
            "</textarea>",
            "<script>",
            "</script>",
            "</SCRIPT x=1>",
            "<script/>",
            "<style>",
            "</style>",
            "<noscript>",
            "</noscript>",
            "<template>",
            "</template>",
            "<xmp>",
            "</xmp>",
            "<iframe>",
            "</iframe>",
            "<noframe>",
            "</noframe>",
            "<plaintext>",
            "<div style=\"display:none\">",
            "<div style='font-size:0'>",
            "<span hidden>",
            "<p style=\"font-size:12px\">",
            "</div>",
            "</span>",
            "</p>",
            "<br>",
            "<br/>",
            "<td>",
            "</td>",
            "<b class=x id=y>",
            "</b>",
            "<p a=1 b c=\"3\" d='4'/>",
            "<p =x>",
            "<p a = \"v\">",
            "<p a\"b=c>",
            "<p \0a=\0>",
            "<p/ a=b>",
            "<p a=b/ >",
            "<!-- c -->",
            "<!---->",
            "<!--->",
            "<!-->",
            "<!-- a <!-- b -->",
            "<!-- x --!>",
            "<!-- y --!-->",
            "<!-- <!- ->",
            "<!-- z",
            "-->",
            "--!>",
            "<!DOCTYPE html>",
            "<!doctype x PUBLIC \"a>b\">",
            "<![CDATA[ c ]]>",
            "<?php x ?>",
            "</ x>",
            "</>",
            "</3>",
            "<3",
            "<",
            "<!",
            "<!-",
            "&",
            "&amp;",
            "&amp",
            "&ampx",
            "&amp=",
            "&lt",
            "&notin;",
            "&notit;",
            "&not",
            "&#65;",
            "&#x41;",
            "&#X6a",
            "&#;",
            "&#x;",
            "&#0;",
            "&#x110000;",
            "&#55296;",
            "&#150;",
            "&#x80;",
            "&#13;",
            "&#99999999999;",
            "&zz;",
            "&AElig",
            "&nbsp;",
            "&#",
            "&#x",
            "text ",
            "more text",
            " \n ",
            "\r\n",
            "\r",
            "\0",
            "\u{3042}\u{3044}",
            "\u{a0}",
            "<!-- <script> </script> -->",
            "<!--",
            "-",
            "--",
            "<script><!--",
            "<script><!-- <script>",
            "</script>",
            "-->",
            "<s",
            "cript>",
            "<div><div><div>",
            "</div></div>",
            "<a>",
            "<a href>",
            "<a href=>",
            "<a href=\"",
            "'",
            "\"",
            "=",
            ">",
            "/",
            "a",
            "b",
            "<p style=\"color:red;display :none\">",
        ];
        let mut state = seed;
        let mut next = |k: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % k as u64) as usize
        };
        for _ in 0..n {
            let mut doc = String::new();
            for _ in 0..next(40) {
                doc.push_str(pieces[next(pieces.len())]);
            }
            // cut anywhere (on a character boundary)
            let mut cut = next(doc.len() + 1);
            while !doc.is_char_boundary(cut) {
                cut -= 1;
            }
            check(&doc);
            check(&doc[..cut]);
        }
    }

    #[test]
    fn visible_chars_counts_as_the_char_filter() {
        for s in [
            "",
            "a b\tc\n",
            "\x0b\x0c\r x\x1c",
            "\u{200b}a\u{a0}b",
            "ｗ\u{3000}x",
        ] {
            let want = s
                .chars()
                .filter(|c| !c.is_whitespace() && !crate::text::is_invisible(*c))
                .count();
            assert_eq!(visible_chars(s), want, "{s:?}");
        }
        for b in 0..128u8 {
            let s = char::from(b).to_string();
            assert_eq!(
                visible_chars(&s),
                usize::from(!char::from(b).is_whitespace())
            );
        }
    }

    #[test]
    fn extractor_matches_the_html5gum_extractor_on_random_documents() {
        random_documents(20_000, 0x2545_f491_4f6c_dd1d, |doc| {
            same_as_reference(doc, 5)
        });
    }

    #[test]
    fn callback_extractor_matches_the_token_extractor() {
        let cases = [
            "",
            "plain text, no tags",
            r#"<a href="https://a.example/" href="https://b.example/">dup</a>"#,
            r#"<A HREF=" https://a.example/x ">Upper</A><AREA Href=x alt=" alt ">"#,
            r#"<a href=https://a.example/?a=1&amp;b=2&lt>ent &amp; &copy; &#x41;</a>"#,
            r#"<a alt="shown" href='https://q.example/'><img alt="Logo" alt="no"> more</a> tail"#,
            r#"<div style="DISPLAY : none" style="color:red">x <b>y</b></div>z"#,
            r#"<div style="color:red" style="display:none">shown</div>"#,
            r#"<span hidden>h1<span>h2</span></span><p hidden="" style="font-size:1px">h3</p>ok"#,
            r#"<div style="font-size:0px"><div style="opacity:0">deep</div>still</div>out"#,
            r#"<form action=" https://f.example/p " action="x"><input TYPE=PassWord name="PW"><input name="card_number"><input type="text" name="pin2"></form>"#,
            r#"<form action=""><input></form><form>"#,
            r#"<title>T1</title><title>T2 &amp;</title><TITLE>t3"#,
            r#"<script>document.write("<a href='x'>no</a>")</script><style>p{}</style><noscript><a href="n">n</a></noscript>after"#,
            r#"<template><p>t</p></template><script/>visible?<style/>x"#,
            r#"<a href="1">one<a href="2">two</a></a><a>no href</a>"#,
            r#"</a href="x"><a href="y" z=1>ok</a foo=bar>"#,
            r#"</div style="display:none"><div>after end tag with attributes</div>"#,
            r#"<p>unclosed <b>bold <i>italic</p> end</b>"#,
            r#"<img src=x alt=""><img alt=" spaced "><br/><hr><td>cell</td>"#,
            r#"<!-- <a href="c">comment</a> --><!DOCTYPE html><a href="d">d</a>"#,
            r#"<a href="e" <b>broken</b>"#,
            r#"<a href="f">text at eof"#,
            r#"<a href="f2" style="display:none"#,
            "<a href=\"g\">\u{3042}\u{3044}\u{3046} \u{200b}zero\u{a0}width</a>",
            "<div style=\"display:\u{3000}none\">ideographic space</div>",
            "<a href=\"h\"   >  lots   of\n               space  </a>",
            "<a href=\"\0nul\">\0</a><textarea><a href='t'>ta</a></textarea><plaintext><a href=p>",
            // text split by comments, doctypes and raw-text elements, end tags in raw text
            "x<!--c-->y<!DOCTYPE html>z<style>a<title>b</title></style >c",
            "<title>a<b>c</title >d<script>e</scriptx>f</SCRIPT>g<style/>h</style>i",
            "<div style=\"display:none\">h<script>s</script>i<!-- -->j</div><a href=k>l<!--m-->n</a>",
            "<noscript><title>t</title>n</noscript>after<template><style>s</style>t</template>u",
            "<a href=x alt=1 alt=2 ALT=3 href=y>z</a><img alt alt=later><area alt=q href>",
            "<p title=\"a&amp;b\" style='font-size:&#48;'>entity in style</p>",
        ];
        for html in cases {
            same_as_reference(html, 100);
            same_as_reference(html, 1);
        }
        let many: String = (0..80).map(|i| format!(" a{i}=1")).collect();
        same_as_reference(&format!("<p{many} style=\"display:none\">capped</p>"), 100);
        let nested: String = (0..600)
            .map(|i| {
                format!(
                    "<div style=\"{}\">{i}",
                    if i % 3 == 0 { "display:none" } else { "" }
                )
            })
            .collect();
        same_as_reference(&nested, 100);
        same_as_reference(&format!("{nested}{}", "</div>".repeat(600)), 100);
    }

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

#[cfg(test)]
mod font_size_tests {
    use super::extract;

    #[test]
    fn a_child_that_sets_its_own_font_size_is_seen_again() {
        // e-mail builders zero the font of layout cells and size the text inside
        let d = extract(
            r#"<td style="font-size:0px;padding:9px"><div style="font-size:13px">Visible offer text</div></td>"#,
            1 << 20,
            10,
        );
        assert!(d.text.contains("Visible offer text"), "{:?}", d.text);
        assert_eq!(d.hidden_chars, 0);
        // text sized to nothing stays hidden, also inside a child without a size
        let d = extract(
            r#"<p>Shown</p><span style="font-size:0">hidden <b>words</b></span><div style="font-size:1px"><p style="color:red">tiny</p></div>"#,
            1 << 20,
            10,
        );
        assert!(
            !d.text.contains("hidden") && !d.text.contains("words") && !d.text.contains("tiny")
        );
        assert!(d.hidden_chars > 0);
        // a font size does not undo a hidden box
        let d = extract(
            r#"<div style="display:none"><p style="font-size:14px">secret</p></div>"#,
            1 << 20,
            10,
        );
        assert!(!d.text.contains("secret"));
    }
}
