//! An HTML tokenizer that reports only what [`crate::html`] reads: text (character
//! references decoded), start tags with the values of the attributes it asks for, end
//! tags, and where comments and doctypes begin. It follows html5gum 0.9's tokenizer
//! (the WHATWG states) state for state, with html5gum's own choices where the spec leaves
//! room (which elements switch to RCDATA/RAWTEXT/script data, the order named references
//! are tried in); the extractor built on it is tested against the one built on html5gum.
//! It is faster mainly because it does not tokenize what nobody reads: the values of other
//! attributes, comments and doctypes are skipped to their ends.

use crate::html_entities::NAMED;

/// What the tokenizer reports.
pub(crate) trait Events {
    /// Text, to be added to what is pending.
    fn text(&mut self, s: &[u8]);
    /// A tag, comment or doctype begins: the pending text is complete.
    fn flush(&mut self);
    /// An attribute of the start tag being read (name lower-cased); whether its value is
    /// wanted (then given to `value`, in pieces).
    fn attribute(&mut self, name: &[u8]) -> bool;
    fn value(&mut self, s: &[u8]);
    fn start_tag(&mut self, name: &[u8], self_closing: bool);
    fn end_tag(&mut self, name: &[u8]);
}

/// The content states a start tag can switch to (html5gum's `naive_next_state`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Content {
    Data,
    RcData,
    RawText,
    ScriptData,
    PlainText,
}

fn next_content(tag: &[u8]) -> Content {
    match tag {
        b"textarea" | b"title" => Content::RcData,
        b"plaintext" => Content::PlainText,
        b"script" => Content::ScriptData,
        b"style" | b"iframe" | b"xmp" | b"noembed" | b"noframe" | b"noscript" => Content::RawText,
        _ => Content::Data,
    }
}

/// HTML white space in tags (`\r` is gone by then).
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b' ')
}

const REPLACEMENT: &[u8] = "\u{fffd}".as_bytes();

/// The states of a tag after its name.
#[derive(Clone, Copy)]
enum TagState {
    BeforeAttributeName,
    AttributeName,
    AfterAttributeName,
    BeforeAttributeValue,
    AfterAttributeValueQuoted,
    SelfClosing,
}

/// What reading a markup construct came to.
enum Step {
    /// Back to the content state it began in.
    Stay,
    /// A tag was emitted: on in this content state.
    Next(Content),
    Eof,
}

/// Where decoded characters of a reference go.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RefIn {
    Text,
    /// A wanted attribute's value.
    Value,
    /// An attribute value nobody reads.
    Skipped,
}

struct Tokenizer<'a, E: Events> {
    b: &'a [u8],
    pos: usize,
    ev: &'a mut E,
    tag_name: Vec<u8>,
    attr_name: Vec<u8>,
    /// The name of the last start tag emitted (cleared by an end tag).
    last_start_tag: Vec<u8>,
    temp: Vec<u8>,
}

/// Tokenize `html`, reporting to `ev`.
pub(crate) fn tokenize<E: Events>(html: &str, ev: &mut E) {
    // Newlines are normalised first (`\r\n` and `\r` to `\n`), as the tokenizer's input
    // stream preprocessing does.
    let normalised;
    let b = if memchr::memchr(b'\r', html.as_bytes()).is_some() {
        normalised = normalise_newlines(html.as_bytes());
        normalised.as_slice()
    } else {
        html.as_bytes()
    };
    let mut t = Tokenizer {
        b,
        pos: 0,
        ev,
        tag_name: Vec::new(),
        attr_name: Vec::new(),
        last_start_tag: Vec::new(),
        temp: Vec::new(),
    };
    t.run();
    t.ev.flush();
}

fn normalise_newlines(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut rest = b;
    while let Some(i) = memchr::memchr(b'\r', rest) {
        out.extend_from_slice(rest.get(..i).unwrap_or(&[]));
        out.push(b'\n');
        let skip = if rest.get(i + 1) == Some(&b'\n') {
            2
        } else {
            1
        };
        rest = rest.get(i + skip..).unwrap_or(&[]);
    }
    out.extend_from_slice(rest);
    out
}

impl<'a, E: Events> Tokenizer<'a, E> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    /// The input from the current position (borrowed from the input, not the tokenizer).
    fn rest(&self) -> &'a [u8] {
        self.b.get(self.pos..).unwrap_or(&[])
    }

    fn run(&mut self) {
        let mut content = Content::Data;
        loop {
            let step = match content {
                Content::Data => self.data(),
                Content::RcData => self.rcdata(),
                Content::RawText => self.rawtext(),
                Content::ScriptData => self.script_data(),
                Content::PlainText => {
                    self.text_replacing_nul(self.b.len());
                    Step::Eof
                }
            };
            match step {
                Step::Stay => {}
                Step::Next(c) => content = c,
                Step::Eof => return,
            }
        }
    }

    /// Text up to `end`, each NUL as U+FFFD (as all content states but data do).
    fn text_replacing_nul(&mut self, end: usize) {
        while self.pos < end {
            let chunk = self.b.get(self.pos..end).unwrap_or(&[]);
            match memchr::memchr(0, chunk) {
                Some(i) => {
                    self.ev.text(chunk.get(..i).unwrap_or(&[]));
                    self.ev.text(REPLACEMENT);
                    self.pos += i + 1;
                }
                None => {
                    self.ev.text(chunk);
                    self.pos = end;
                }
            }
        }
    }

    /// The data state: text (NUL kept), references, markup.
    fn data(&mut self) -> Step {
        loop {
            let rest = self.rest();
            let Some(i) = memchr::memchr2(b'<', b'&', rest) else {
                self.ev.text(rest);
                return Step::Eof;
            };
            self.ev.text(rest.get(..i).unwrap_or(&[]));
            let at = rest.get(i).copied();
            self.pos += i + 1;
            if at == Some(b'&') {
                self.char_ref(RefIn::Text);
                continue;
            }
            match self.tag_open() {
                Step::Stay => {}
                step => return step,
            }
        }
    }

    /// After `<` in the data state.
    fn tag_open(&mut self) -> Step {
        match self.peek() {
            Some(b'!') => {
                self.pos += 1;
                self.markup_declaration()
            }
            Some(b'/') => {
                self.pos += 1;
                match self.peek() {
                    Some(x) if x.is_ascii_alphabetic() => {
                        self.ev.flush();
                        self.tag(true)
                    }
                    Some(b'>') => {
                        self.pos += 1;
                        Step::Stay
                    }
                    None => {
                        self.ev.text(b"</");
                        Step::Eof
                    }
                    Some(_) => self.bogus_comment(),
                }
            }
            Some(x) if x.is_ascii_alphabetic() => {
                self.ev.flush();
                self.tag(false)
            }
            Some(b'?') => self.bogus_comment(),
            None => {
                self.ev.text(b"<");
                Step::Eof
            }
            Some(_) => {
                self.ev.text(b"<");
                Step::Stay
            }
        }
    }

    /// A tag from its name (the text before it is handed on already).
    fn tag(&mut self, end: bool) -> Step {
        self.tag_name.clear();
        loop {
            let rest = self.rest();
            let n = rest
                .iter()
                .position(|&c| is_space(c) || matches!(c, b'/' | b'>' | 0))
                .unwrap_or(rest.len());
            let name = rest.get(..n).unwrap_or(&[]);
            self.tag_name
                .extend(name.iter().map(u8::to_ascii_lowercase));
            self.pos += n;
            match self.peek() {
                None => return Step::Eof,
                Some(0) => {
                    self.tag_name.extend_from_slice(REPLACEMENT);
                    self.pos += 1;
                }
                Some(c) => {
                    self.pos += 1;
                    let state = match c {
                        b'/' => TagState::SelfClosing,
                        b'>' => return self.emit_tag(end, false),
                        _ => TagState::BeforeAttributeName,
                    };
                    return self.tag_rest(end, state);
                }
            }
        }
    }

    /// The rest of a tag: its attributes, up to its `>`.
    fn tag_rest(&mut self, end: bool, mut state: TagState) -> Step {
        // whether the value of the attribute named last is wanted
        let mut wanted = false;
        loop {
            match state {
                TagState::BeforeAttributeName => match self.peek() {
                    Some(c) if is_space(c) => self.pos += 1,
                    Some(b'/' | b'>') | None => state = TagState::AfterAttributeName,
                    Some(b'=') => {
                        self.attr_name.clear();
                        self.attr_name.push(b'=');
                        self.pos += 1;
                        state = TagState::AttributeName;
                    }
                    Some(_) => {
                        self.attr_name.clear();
                        state = TagState::AttributeName;
                    }
                },
                TagState::AttributeName => {
                    let rest = self.rest();
                    let n = rest
                        .iter()
                        .position(|&c| is_space(c) || matches!(c, b'/' | b'>' | b'=' | 0))
                        .unwrap_or(rest.len());
                    let name = rest.get(..n).unwrap_or(&[]);
                    self.attr_name
                        .extend(name.iter().map(u8::to_ascii_lowercase));
                    self.pos += n;
                    if self.peek() == Some(0) {
                        self.attr_name.extend_from_slice(REPLACEMENT);
                        self.pos += 1;
                        continue;
                    }
                    wanted = !end && self.ev.attribute(&self.attr_name);
                    if self.peek() == Some(b'=') {
                        self.pos += 1;
                        state = TagState::BeforeAttributeValue;
                    } else {
                        state = TagState::AfterAttributeName;
                    }
                }
                TagState::AfterAttributeName => match self.peek() {
                    Some(c) if is_space(c) => self.pos += 1,
                    Some(b'/') => {
                        self.pos += 1;
                        state = TagState::SelfClosing;
                    }
                    Some(b'=') => {
                        self.pos += 1;
                        state = TagState::BeforeAttributeValue;
                    }
                    Some(b'>') => {
                        self.pos += 1;
                        return self.emit_tag(end, false);
                    }
                    None => return Step::Eof,
                    Some(_) => {
                        self.attr_name.clear();
                        state = TagState::AttributeName;
                    }
                },
                TagState::BeforeAttributeValue => match self.peek() {
                    Some(c) if is_space(c) => self.pos += 1,
                    Some(q @ (b'"' | b'\'')) => {
                        self.pos += 1;
                        if !self.quoted_value(q, wanted) {
                            return Step::Eof;
                        }
                        state = TagState::AfterAttributeValueQuoted;
                    }
                    Some(b'>') => {
                        self.pos += 1;
                        return self.emit_tag(end, false);
                    }
                    None => return Step::Eof,
                    Some(_) => match self.unquoted_value(wanted) {
                        Some(true) => return self.emit_tag(end, false),
                        Some(false) => state = TagState::BeforeAttributeName,
                        None => return Step::Eof,
                    },
                },
                // (any character: reconsumed before an attribute name, missing white space
                // or not)
                TagState::AfterAttributeValueQuoted => state = TagState::BeforeAttributeName,
                TagState::SelfClosing => match self.peek() {
                    Some(b'>') => {
                        self.pos += 1;
                        return self.emit_tag(end, true);
                    }
                    None => return Step::Eof,
                    Some(_) => state = TagState::BeforeAttributeName,
                },
            }
        }
    }

    /// A quoted attribute value, after its opening quote, through its closing one (false:
    /// the input ended first).
    fn quoted_value(&mut self, quote: u8, wanted: bool) -> bool {
        loop {
            let rest = self.rest();
            if !wanted {
                // references cannot swallow the closing quote: skip to it
                return match memchr::memchr(quote, rest) {
                    Some(i) => {
                        self.pos += i + 1;
                        true
                    }
                    None => {
                        self.pos = self.b.len();
                        false
                    }
                };
            }
            let Some(i) = memchr::memchr3(quote, b'&', 0, rest) else {
                self.ev.value(rest);
                self.pos = self.b.len();
                return false;
            };
            self.ev.value(rest.get(..i).unwrap_or(&[]));
            let c = rest.get(i).copied();
            self.pos += i + 1;
            match c {
                Some(b'&') => self.char_ref(RefIn::Value),
                Some(0) => self.ev.value(REPLACEMENT),
                _ => return true,
            }
        }
    }

    /// An unquoted attribute value: Some(true) if it ends the tag (`>`), Some(false) at
    /// white space, None at the end of the input.
    fn unquoted_value(&mut self, wanted: bool) -> Option<bool> {
        loop {
            let rest = self.rest();
            let i = rest
                .iter()
                .position(|&c| is_space(c) || matches!(c, b'&' | b'>' | 0))
                .unwrap_or(rest.len());
            if wanted {
                self.ev.value(rest.get(..i).unwrap_or(&[]));
            }
            self.pos += i;
            let c = rest.get(i).copied()?;
            self.pos += 1;
            match c {
                b'&' => self.char_ref(if wanted { RefIn::Value } else { RefIn::Skipped }),
                0 => {
                    if wanted {
                        self.ev.value(REPLACEMENT);
                    }
                }
                b'>' => return Some(true),
                _ => return Some(false),
            }
        }
    }

    fn emit_tag(&mut self, end: bool, self_closing: bool) -> Step {
        if end {
            self.ev.end_tag(&self.tag_name);
            self.last_start_tag.clear();
            Step::Next(Content::Data)
        } else {
            self.ev.start_tag(&self.tag_name, self_closing);
            self.last_start_tag.clear();
            self.last_start_tag.extend_from_slice(&self.tag_name);
            Step::Next(next_content(&self.tag_name))
        }
    }

    fn out(&mut self, to: RefIn, s: &[u8]) {
        match to {
            RefIn::Text => self.ev.text(s),
            RefIn::Value => self.ev.value(s),
            RefIn::Skipped => {}
        }
    }

    /// A character reference, after its `&`: what it stands for (or itself, when it is
    /// none) goes to `to`; the character after it is left to be read.
    fn char_ref(&mut self, to: RefIn) {
        match self.peek() {
            Some(x) if x.is_ascii_alphanumeric() => self.named_ref(x, to),
            Some(b'#') => {
                self.pos += 1;
                self.numeric_ref(to);
            }
            _ => self.out(to, b"&"),
        }
    }

    fn named_ref(&mut self, x: u8, to: RefIn) {
        let y = self.b.get(self.pos + 1).copied();
        if let Some(y) = y.filter(u8::is_ascii_alphanumeric) {
            let after = self.b.get(self.pos + 2..).unwrap_or(&[]);
            let found = NAMED
                .binary_search_by(|&(a, b, _)| (a, b).cmp(&(x, y)))
                .ok()
                .and_then(|i| NAMED.get(i))
                .and_then(|(_, _, candidates)| {
                    candidates
                        .iter()
                        .find(|(rest, _)| after.starts_with(rest.as_bytes()))
                });
            if let Some(&(rest, chars)) = found {
                self.pos += 2 + rest.len();
                let next = self.peek();
                let decode = to != RefIn::Value
                    || rest.ends_with(';')
                    || !next.is_some_and(|n| n == b'=' || n.is_ascii_alphanumeric());
                if decode {
                    self.out(to, chars.as_bytes());
                } else {
                    self.out(to, &[b'&', x, y]);
                    self.out(to, rest.as_bytes());
                }
                return;
            }
        }
        // not a reference: itself, with the letters and digits that follow
        self.out(to, b"&");
        let rest = self.rest();
        let n = rest
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        let word = rest.get(..n).unwrap_or(&[]);
        match to {
            RefIn::Text => self.ev.text(word),
            RefIn::Value => self.ev.value(word),
            RefIn::Skipped => {}
        }
        self.pos += n;
    }

    /// A numeric reference, after its `&#`.
    fn numeric_ref(&mut self, to: RefIn) {
        let (hex, prefix): (bool, &[u8]) = match self.peek() {
            Some(b'x') => (true, b"&#x"),
            Some(b'X') => (true, b"&#X"),
            _ => (false, b"&#"),
        };
        let digits_at = self.pos + usize::from(hex);
        let is_digit = |c: &u8| {
            if hex {
                c.is_ascii_hexdigit()
            } else {
                c.is_ascii_digit()
            }
        };
        if !self.b.get(digits_at).is_some_and(is_digit) {
            // no digits: the text as it was, the `x` included
            self.pos = digits_at;
            self.out(to, prefix);
            return;
        }
        self.pos = digits_at;
        let mut code: u32 = 0;
        while let Some(c) = self.peek().filter(is_digit) {
            let d = char::from(c).to_digit(16).unwrap_or(0);
            // past the last code point it stays out of range
            code = code
                .saturating_mul(if hex { 16 } else { 10 })
                .saturating_add(d)
                .min(0x11_0000);
            self.pos += 1;
        }
        if self.peek() == Some(b';') {
            self.pos += 1;
        }
        let code = match code {
            0 | 0xD800..=0xDFFF | 0x11_0000.. => 0xFFFD,
            0x80..=0x9F => windows_1252(code),
            _ => code,
        };
        let c = char::from_u32(code).unwrap_or('\u{fffd}');
        let mut buf = [0u8; 4];
        self.out(to, c.encode_utf8(&mut buf).as_bytes());
    }

    /// RCDATA (`<title>`, `<textarea>`): text with references, up to the matching end tag.
    fn rcdata(&mut self) -> Step {
        loop {
            let rest = self.rest();
            let Some(i) = memchr::memchr3(b'<', b'&', 0, rest) else {
                self.ev.text(rest);
                return Step::Eof;
            };
            self.ev.text(rest.get(..i).unwrap_or(&[]));
            let c = rest.get(i).copied();
            self.pos += i + 1;
            match c {
                Some(b'&') => self.char_ref(RefIn::Text),
                Some(0) => self.ev.text(REPLACEMENT),
                _ => {
                    if let Some(step) = self.special_end_tag() {
                        return step;
                    }
                }
            }
        }
    }

    /// RAWTEXT (`<style>`, `<noscript>` …): text up to the matching end tag.
    fn rawtext(&mut self) -> Step {
        loop {
            let rest = self.rest();
            let Some(i) = memchr::memchr2(b'<', 0, rest) else {
                self.ev.text(rest);
                return Step::Eof;
            };
            self.ev.text(rest.get(..i).unwrap_or(&[]));
            let c = rest.get(i).copied();
            self.pos += i + 1;
            if c == Some(0) {
                self.ev.text(REPLACEMENT);
            } else if let Some(step) = self.special_end_tag() {
                return step;
            }
        }
    }

    /// After `<!` in the data state: a comment, a doctype, or a bogus comment (`<![CDATA[`
    /// is one outside foreign content), all skipped.
    fn markup_declaration(&mut self) -> Step {
        self.ev.flush();
        let rest = self.rest();
        if rest.starts_with(b"--") {
            self.pos += 2;
            return self.comment();
        }
        if rest
            .get(..7)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"doctype"))
        {
            // every doctype state ends the doctype at `>`
            self.pos += 7;
            return self.skip_past_gt();
        }
        if rest.starts_with(b"[CDATA[") {
            self.pos += 7;
        }
        self.skip_past_gt()
    }

    /// A bogus comment (`<?…>`, `</ …>`), from the character after `<` or `</`.
    fn bogus_comment(&mut self) -> Step {
        self.ev.flush();
        self.skip_past_gt()
    }

    fn skip_past_gt(&mut self) -> Step {
        match memchr::memchr(b'>', self.rest()) {
            Some(i) => {
                self.pos += i + 1;
                Step::Stay
            }
            None => {
                self.pos = self.b.len();
                Step::Eof
            }
        }
    }

    /// A comment, after its `<!--`, through its end (the comment states, minus the data).
    fn comment(&mut self) -> Step {
        #[derive(Clone, Copy)]
        enum S {
            Start,
            StartDash,
            Comment,
            Lt,
            LtBang,
            LtBangDash,
            LtBangDashDash,
            EndDash,
            End,
            EndBang,
        }
        let mut state = S::Start;
        loop {
            let c = self.peek();
            // (`None` left unconsumed: the states that reconsume it end the comment)
            let consume = |t: &mut Self| t.pos += 1;
            state = match (state, c) {
                (S::Comment, _) => match memchr::memchr2(b'<', b'-', self.rest()) {
                    Some(i) => {
                        let at = self.rest().get(i).copied();
                        self.pos += i + 1;
                        if at == Some(b'<') { S::Lt } else { S::EndDash }
                    }
                    None => {
                        self.pos = self.b.len();
                        return Step::Eof;
                    }
                },
                (S::Start | S::StartDash | S::End | S::EndBang, Some(b'>')) => {
                    consume(self);
                    return Step::Stay;
                }
                (S::Start, Some(b'-')) => {
                    consume(self);
                    S::StartDash
                }
                (S::StartDash | S::EndDash | S::End | S::EndBang, None) => return Step::Eof,
                (S::StartDash, Some(b'-')) | (S::EndDash, Some(b'-')) => {
                    consume(self);
                    S::End
                }
                (S::Lt, Some(b'!')) => {
                    consume(self);
                    S::LtBang
                }
                (S::Lt, Some(b'<')) => {
                    consume(self);
                    S::Lt
                }
                (S::LtBang, Some(b'-')) => {
                    consume(self);
                    S::LtBangDash
                }
                (S::LtBangDash, Some(b'-')) => {
                    consume(self);
                    S::LtBangDashDash
                }
                (S::LtBangDash, _) => S::EndDash,
                (S::LtBangDashDash, _) => S::End,
                (S::End, Some(b'!')) => {
                    consume(self);
                    S::EndBang
                }
                (S::End, Some(b'-')) => {
                    consume(self);
                    S::End
                }
                (S::EndBang, Some(b'-')) => {
                    consume(self);
                    S::EndDash
                }
                // anything else is comment text, reconsumed in the comment state
                _ => S::Comment,
            };
        }
    }

    /// Script data (`<script>`), with its escaped and double-escaped states (`<!--` …
    /// `<script>` … `-->`), up to the matching end tag.
    fn script_data(&mut self) -> Step {
        #[derive(Clone, Copy, PartialEq, Eq)]
        enum S {
            Data,
            EscapeStart,
            EscapeStartDash,
            Escaped,
            EscapedDash,
            EscapedDashDash,
            EscapedLt,
            DoubleEscapeStart,
            DoubleEscaped,
            DoubleEscapedDash,
            DoubleEscapedDashDash,
            DoubleEscapedLt,
            DoubleEscapeEnd,
        }
        let mut state = S::Data;
        loop {
            if matches!(state, S::Data | S::Escaped | S::DoubleEscaped) {
                let rest = self.rest();
                let found = if state == S::Data {
                    memchr::memchr2(b'<', 0, rest)
                } else {
                    memchr::memchr3(b'<', b'-', 0, rest)
                };
                let Some(i) = found else {
                    self.ev.text(rest);
                    return Step::Eof;
                };
                self.ev.text(rest.get(..i).unwrap_or(&[]));
                self.pos += i;
            }
            let Some(c) = self.peek() else {
                // (a `<` before the end is text)
                if state == S::EscapedLt {
                    self.ev.text(b"<");
                }
                return Step::Eof;
            };
            self.pos += 1;
            state = match (state, c) {
                // NUL is U+FFFD; the states that reconsume it (below) leave it to these
                (S::Data, 0) => {
                    self.ev.text(REPLACEMENT);
                    S::Data
                }
                (S::Escaped | S::EscapedDash | S::EscapedDashDash, 0) => {
                    self.ev.text(REPLACEMENT);
                    S::Escaped
                }
                (S::DoubleEscaped | S::DoubleEscapedDash | S::DoubleEscapedDashDash, 0) => {
                    self.ev.text(REPLACEMENT);
                    S::DoubleEscaped
                }
                (S::Data, b'<') => {
                    if self.peek() == Some(b'!') {
                        self.pos += 1;
                        self.ev.text(b"<!");
                        S::EscapeStart
                    } else if let Some(step) = self.special_end_tag() {
                        return step;
                    } else {
                        S::Data
                    }
                }
                (S::EscapeStart, b'-') => {
                    self.ev.text(b"-");
                    S::EscapeStartDash
                }
                (S::EscapeStartDash, b'-') => {
                    self.ev.text(b"-");
                    S::EscapedDashDash
                }
                (S::EscapeStart | S::EscapeStartDash, _) => {
                    self.pos -= 1;
                    S::Data
                }
                (S::Escaped, b'-') => {
                    self.ev.text(b"-");
                    S::EscapedDash
                }
                (S::EscapedDash, b'-') | (S::EscapedDashDash, b'-') => {
                    self.ev.text(b"-");
                    S::EscapedDashDash
                }
                (S::Escaped | S::EscapedDash | S::EscapedDashDash, b'<') => S::EscapedLt,
                (S::EscapedDashDash, b'>') => {
                    self.ev.text(b">");
                    S::Data
                }
                (S::EscapedDash | S::EscapedDashDash, x) => {
                    self.ev.text(&[x]);
                    S::Escaped
                }
                (S::EscapedLt, b'/') => {
                    self.pos -= 1;
                    if let Some(step) = self.special_end_tag() {
                        return step;
                    }
                    S::Escaped
                }
                (S::EscapedLt, x) if x.is_ascii_alphabetic() => {
                    self.temp.clear();
                    self.ev.text(b"<");
                    self.pos -= 1;
                    S::DoubleEscapeStart
                }
                (S::EscapedLt, _) => {
                    self.ev.text(b"<");
                    self.pos -= 1;
                    S::Escaped
                }
                (S::DoubleEscapeStart | S::DoubleEscapeEnd, x)
                    if is_space(x) || matches!(x, b'/' | b'>') =>
                {
                    self.ev.text(&[x]);
                    let script = self.temp == b"script";
                    match (state, script) {
                        (S::DoubleEscapeStart, true) | (S::DoubleEscapeEnd, false) => {
                            S::DoubleEscaped
                        }
                        _ => S::Escaped,
                    }
                }
                (S::DoubleEscapeStart | S::DoubleEscapeEnd, x) if x.is_ascii_alphabetic() => {
                    self.temp.push(x.to_ascii_lowercase());
                    self.ev.text(&[x]);
                    state
                }
                (S::DoubleEscapeStart, _) => {
                    self.pos -= 1;
                    S::Escaped
                }
                (S::DoubleEscapeEnd, _) => {
                    self.pos -= 1;
                    S::DoubleEscaped
                }
                (S::DoubleEscaped, b'-') => {
                    self.ev.text(b"-");
                    S::DoubleEscapedDash
                }
                (S::DoubleEscapedDash, b'-') | (S::DoubleEscapedDashDash, b'-') => {
                    self.ev.text(b"-");
                    S::DoubleEscapedDashDash
                }
                (S::DoubleEscaped | S::DoubleEscapedDash | S::DoubleEscapedDashDash, b'<') => {
                    self.ev.text(b"<");
                    S::DoubleEscapedLt
                }
                (S::DoubleEscapedDashDash, b'>') => {
                    self.ev.text(b">");
                    S::Data
                }
                (S::DoubleEscapedDash | S::DoubleEscapedDashDash, x) => {
                    self.ev.text(&[x]);
                    S::DoubleEscaped
                }
                (S::DoubleEscapedLt, b'/') => {
                    self.temp.clear();
                    self.ev.text(b"/");
                    S::DoubleEscapeEnd
                }
                (S::DoubleEscapedLt, _) => {
                    self.pos -= 1;
                    S::DoubleEscaped
                }
                // (the data, escaped and double-escaped states stop only at their own
                // characters, handled above)
                (_, x) => {
                    self.ev.text(&[x]);
                    state
                }
            };
        }
    }

    /// After `<` in RCDATA, RAWTEXT or script data: `</name` where `name` is the element's
    /// own ends it (Some: the tag was read); anything else is text (None: read on).
    fn special_end_tag(&mut self) -> Option<Step> {
        if self.peek() != Some(b'/') {
            self.ev.text(b"<");
            return None;
        }
        self.pos += 1;
        if !self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.ev.text(b"</");
            return None;
        }
        let start = self.pos;
        let rest = self.rest();
        let n = rest.iter().take_while(|c| c.is_ascii_alphabetic()).count();
        let name = rest.get(..n).unwrap_or(&[]);
        let appropriate = !self.last_start_tag.is_empty()
            && name.len() == self.last_start_tag.len()
            && name
                .iter()
                .zip(&self.last_start_tag)
                .all(|(a, b)| a.to_ascii_lowercase() == *b);
        let after = rest.get(n).copied();
        if appropriate && after.is_some_and(|c| is_space(c) || matches!(c, b'/' | b'>')) {
            self.tag_name.clear();
            self.tag_name
                .extend(name.iter().map(u8::to_ascii_lowercase));
            self.pos += n + 1;
            self.ev.flush();
            return Some(match after {
                Some(b'>') => self.emit_tag(true, false),
                Some(b'/') => self.tag_rest(true, TagState::SelfClosing),
                _ => self.tag_rest(true, TagState::BeforeAttributeName),
            });
        }
        // text: `</` and the letters, as written
        self.ev.text(b"</");
        self.ev.text(name);
        self.pos = start + n;
        None
    }
}

/// The characters the C1 control codes stand for in a numeric reference (`&#150;`): what
/// they are in windows-1252.
fn windows_1252(code: u32) -> u32 {
    match code {
        0x80 => 0x20AC,
        0x82 => 0x201A,
        0x83 => 0x0192,
        0x84 => 0x201E,
        0x85 => 0x2026,
        0x86 => 0x2020,
        0x87 => 0x2021,
        0x88 => 0x02C6,
        0x89 => 0x2030,
        0x8A => 0x0160,
        0x8B => 0x2039,
        0x8C => 0x0152,
        0x8E => 0x017D,
        0x91 => 0x2018,
        0x92 => 0x2019,
        0x93 => 0x201C,
        0x94 => 0x201D,
        0x95 => 0x2022,
        0x96 => 0x2013,
        0x97 => 0x2014,
        0x98 => 0x02DC,
        0x99 => 0x2122,
        0x9A => 0x0161,
        0x9B => 0x203A,
        0x9C => 0x0153,
        0x9E => 0x017E,
        0x9F => 0x0178,
        _ => code,
    }
}
