//! Reading metadata in chunks: the root element, then each child of an aggregate root on its
//! own, so memory is bounded by the largest entity rather than the file.
//!
//! The reader only finds where each child of the root starts and ends (a scan from `<` to `<`
//! that knows comments, CDATA sections, processing instructions and quoted attribute values)
//! and hands the child over as its exact source text. Everything inside a child is then parsed
//! by the full tree parser (with the root's namespace declarations around it), so the scan
//! needs no more than to agree with it on where elements end; the markup between children,
//! which no tree parser sees, is checked here as strictly as the tree parser would.

use std::io::{self, Read};

use memchr::{memchr, memchr3, memmem};

use crate::xml::error::{XmlError, XmlErrorKind};
use crate::xml::escape;
use crate::xml::limits::LimitKind;
use crate::xml::position::LineCol;

/// Where a chunk starts in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub offset: u64,
    pub position: LineCol,
}

/// What the reader hands over, in document order.
#[derive(Debug)]
pub enum Piece {
    /// The root's start tag (source text) and whether the root will be chunked (an aggregate).
    RootStart {
        tag: String,
        qname: String,
        chunked: bool,
        origin: Origin,
    },
    /// A whole element: a child of an aggregate root, or the root itself when not chunked.
    Element {
        text: String,
        origin: Origin,
    },
    /// Character data directly inside the aggregate root (normalized, references expanded).
    Text(String),
    Comment(String),
    ProcessingInstruction {
        target: String,
        data: String,
    },
    RootEnd,
}

/// Where the reader is in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the root element.
    Prolog,
    /// Inside a chunked root, between its children.
    InRoot,
    /// After the root element: only whitespace, comments and PIs may follow.
    Epilog,
    Done,
}

/// One piece of markup starting at a `<`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Markup {
    Comment,
    CData,
    Pi,
    /// `<!` followed by anything else (a DOCTYPE is one).
    Declaration,
    EndTag,
    StartTag {
        empty: bool,
    },
}

/// Finds the end (index just past it) of the markup that starts at `s[0] == b'<'`; `None`
/// when `s` stops before it does.
fn markup_end(s: &[u8]) -> Option<(Markup, usize)> {
    let find = |from: usize, needle: &[u8]| {
        s.get(from..)
            .and_then(|rest| memmem::find(rest, needle))
            .map(|i| from + i + needle.len())
    };
    match s.get(1)? {
        b'!' => {
            if s.starts_with(b"<!--") {
                find(4, b"-->").map(|e| (Markup::Comment, e))
            } else if s.starts_with(b"<![CDATA[") {
                find(9, b"]]>").map(|e| (Markup::CData, e))
            } else if s.len() < 9 && (b"<!--".starts_with(s) || b"<![CDATA[".starts_with(s)) {
                None
            } else {
                find(2, b">").map(|e| (Markup::Declaration, e))
            }
        }
        b'?' => find(2, b"?>").map(|e| (Markup::Pi, e)),
        b'/' => find(2, b">").map(|e| (Markup::EndTag, e)),
        _ => {
            // A start tag ends at the first '>' outside a quoted attribute value.
            let mut i = 1;
            loop {
                i += memchr3(b'>', b'"', b'\'', &s[i..])?;
                match s[i] {
                    b'>' => {
                        let empty = s[i - 1] == b'/';
                        return Some((Markup::StartTag { empty }, i + 1));
                    }
                    quote => i += 1 + memchr(quote, &s[i + 1..])? + 1,
                }
            }
        }
    }
}

/// Why an element's end could not be found in the bytes at hand.
enum ScanStop {
    /// More input is needed.
    Incomplete,
    /// Nested deeper than the limit (at this nesting depth inside the element).
    TooDeep,
}

/// The end of the element whose start tag begins `s`: the index just past its end tag.
/// `depth_budget` is how many levels it may nest, itself included.
fn element_end(s: &[u8], depth_budget: usize) -> Result<usize, ScanStop> {
    let mut depth = 0usize;
    let mut i = 0;
    loop {
        let (markup, end) = markup_end(&s[i..]).ok_or(ScanStop::Incomplete)?;
        match markup {
            Markup::StartTag { empty: false } => {
                depth += 1;
                if depth > depth_budget {
                    return Err(ScanStop::TooDeep);
                }
            }
            Markup::EndTag => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += end;
        if depth == 0 {
            return Ok(i);
        }
        i += memchr(b'<', &s[i..]).ok_or(ScanStop::Incomplete)?;
    }
}

fn xml_error(kind: XmlErrorKind, at: Origin) -> XmlError {
    XmlError {
        kind,
        offset: at.offset as usize,
        position: at.position,
    }
}

fn syntax(message: &str) -> XmlErrorKind {
    XmlErrorKind::Syntax(message.to_string())
}

/// Splits a metadata stream into [`Piece`]s.
pub struct ChunkReader<R: Read> {
    inner: R,
    /// Unread input starts at `pos`; `buf[..pos]` is kept only until the next refill.
    buf: Vec<u8>,
    pos: usize,
    /// File offset of `buf[0]`.
    base: u64,
    eof: bool,
    /// Position of `buf[pos]` in the file.
    line: usize,
    column: usize,
    max_bytes: u64,
    max_depth: usize,
    state: State,
    root_qname: String,
    /// Something was read (the XML declaration must come first).
    started: bool,
}

impl<R: Read> ChunkReader<R> {
    pub fn new(inner: R, max_bytes: u64, max_depth: usize) -> ChunkReader<R> {
        ChunkReader {
            inner,
            buf: Vec::with_capacity(256 * 1024),
            pos: 0,
            base: 0,
            eof: false,
            line: 1,
            column: 1,
            max_bytes,
            max_depth,
            state: State::Prolog,
            root_qname: String::new(),
            started: false,
        }
    }

    fn here(&self) -> Origin {
        Origin {
            offset: self.base + self.pos as u64,
            position: LineCol {
                line: self.line,
                column: self.column,
            },
        }
    }

    /// Reads more input, keeping what is unread: at least as much again as is buffered, so
    /// rescanning a long element after each refill costs linear time overall.
    fn fill(&mut self) -> Result<bool, XmlError> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.base += self.pos as u64;
            self.pos = 0;
        }
        let want = self.buf.len().max(256 * 1024);
        let mut got = 0;
        while got < want {
            let start = self.buf.len();
            self.buf.resize(start + (want - got).min(1 << 20), 0);
            let n = loop {
                match self.inner.read(&mut self.buf[start..]) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    other => break other,
                }
            };
            let n = match n {
                Ok(n) => n,
                Err(e) => {
                    self.buf.truncate(start);
                    return Err(xml_error(XmlErrorKind::Syntax(e.to_string()), self.here()));
                }
            };
            self.buf.truncate(start + n);
            if n == 0 {
                self.eof = true;
                break;
            }
            got += n;
        }
        if self.base + self.buf.len() as u64 > self.max_bytes {
            return Err(xml_error(
                XmlErrorKind::Limit {
                    what: LimitKind::Bytes,
                    limit: self.max_bytes as usize,
                },
                self.here(),
            ));
        }
        Ok(got > 0)
    }

    /// Moves past `n` bytes, keeping the line and column of the next one.
    fn advance(&mut self, n: usize) {
        let bytes = &self.buf[self.pos..self.pos + n];
        match memchr::memrchr(b'\n', bytes) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', bytes).count();
                self.column = 1 + count_chars(&bytes[last + 1..]);
            }
            None => self.column += count_chars(bytes),
        }
        self.pos += n;
    }

    /// The next `n` bytes as text, checked like the tree parser checks a document.
    fn take_text(&mut self, n: usize, at: Origin) -> Result<String, XmlError> {
        let text = std::str::from_utf8(&self.buf[self.pos..self.pos + n])
            .map_err(|_| xml_error(XmlErrorKind::NotUtf8, at))?
            .to_string();
        self.advance(n);
        Ok(text)
    }

    /// The next piece, `None` at the end. `chunk_root(local_name)` says whether a root is an aggregate.
    pub fn next_piece(
        &mut self,
        chunk_root: impl Fn(&str) -> bool,
    ) -> Result<Option<Piece>, XmlError> {
        loop {
            if self.state == State::Done {
                return Ok(None);
            }
            if self.pos >= self.buf.len() && !self.fill()? {
                return self.at_end();
            }
            if !self.started && self.base == 0 && self.pos == 0 {
                if self.buf.len() < 3 && !self.eof {
                    self.fill()?;
                    continue;
                }
                if self.buf.starts_with(b"\xEF\xBB\xBF") {
                    self.advance(3);
                }
            }
            let at = self.here();
            if self.buf[self.pos] != b'<' {
                let n = memchr(b'<', &self.buf[self.pos..]).unwrap_or(self.buf.len() - self.pos);
                if self.pos + n == self.buf.len() && !self.eof && self.fill()? {
                    continue;
                }
                let raw = self.take_text(n, at)?;
                if let Some(piece) = self.text(&raw, at)? {
                    return Ok(Some(piece));
                }
                continue;
            }
            let Some((markup, end)) = markup_end(&self.buf[self.pos..]) else {
                if self.fill()? {
                    continue;
                }
                return Err(xml_error(syntax("the document ends inside markup"), at));
            };
            let first = !self.started;
            self.started = true;
            match markup {
                Markup::Declaration => {
                    let doctype = self.buf[self.pos..].starts_with(b"<!DOCTYPE");
                    let kind = if doctype {
                        XmlErrorKind::Doctype
                    } else {
                        syntax("unknown markup declaration")
                    };
                    return Err(xml_error(kind, at));
                }
                Markup::Pi => {
                    let raw = self.take_text(end, at)?;
                    let body = &raw[2..raw.len() - 2];
                    let declaration = body.starts_with("xml")
                        && matches!(body.as_bytes().get(3), Some(b' ' | b'\t' | b'\r' | b'\n'));
                    if declaration {
                        self.declaration(&raw, first, at)?;
                        continue;
                    }
                    escape::check_chars(body).map_err(|(_, k)| xml_error(k, at))?;
                    let (target, data) =
                        escape::processing_instruction(body).map_err(|k| xml_error(k, at))?;
                    if self.state == State::InRoot {
                        return Ok(Some(Piece::ProcessingInstruction { target, data }));
                    }
                }
                Markup::Comment => {
                    let raw = self.take_text(end, at)?;
                    let body = &raw[4..raw.len() - 3];
                    if body.contains("--") || body.ends_with('-') {
                        return Err(xml_error(syntax("'--' inside a comment"), at));
                    }
                    escape::check_chars(body).map_err(|(_, k)| xml_error(k, at))?;
                    if self.state == State::InRoot {
                        let mut out = String::new();
                        escape::push_text(&mut out, body);
                        return Ok(Some(Piece::Comment(out)));
                    }
                }
                Markup::CData => {
                    if self.state != State::InRoot {
                        return Err(xml_error(XmlErrorKind::TextOutsideRoot, at));
                    }
                    let raw = self.take_text(end, at)?;
                    let body = &raw[9..raw.len() - 3];
                    escape::check_chars(body).map_err(|(_, k)| xml_error(k, at))?;
                    let mut out = String::new();
                    escape::push_text(&mut out, body);
                    return Ok(Some(Piece::Text(out)));
                }
                Markup::EndTag => {
                    if self.state != State::InRoot {
                        return Err(xml_error(syntax("an end tag without its start tag"), at));
                    }
                    let raw = self.take_text(end, at)?;
                    let name = raw[2..raw.len() - 1].trim_end_matches([' ', '\t', '\r', '\n']);
                    if name != self.root_qname {
                        return Err(xml_error(
                            XmlErrorKind::Syntax(format!(
                                "expected </{}>, found </{name}>",
                                self.root_qname
                            )),
                            at,
                        ));
                    }
                    self.state = State::Epilog;
                    return Ok(Some(Piece::RootEnd));
                }
                Markup::StartTag { empty } => match self.state {
                    State::Prolog => return self.root(end, empty, at, &chunk_root).map(Some),
                    State::InRoot => {
                        // The root is level 1; the child may use the rest of the depth budget.
                        let budget = self.max_depth.saturating_sub(1);
                        let n = self.scan_element(budget, at)?;
                        let text = self.take_text(n, at)?;
                        return Ok(Some(Piece::Element { text, origin: at }));
                    }
                    State::Epilog | State::Done => {
                        return Err(xml_error(XmlErrorKind::MultipleRoots, at));
                    }
                },
            }
        }
    }

    /// The length of the element starting at `pos`, reading more input as needed.
    fn scan_element(&mut self, budget: usize, at: Origin) -> Result<usize, XmlError> {
        loop {
            match element_end(&self.buf[self.pos..], budget) {
                Ok(n) => return Ok(n),
                Err(ScanStop::TooDeep) => {
                    return Err(xml_error(
                        XmlErrorKind::Limit {
                            what: LimitKind::Depth,
                            limit: self.max_depth,
                        },
                        at,
                    ))
                }
                Err(ScanStop::Incomplete) => {
                    if !self.fill()? {
                        return Err(xml_error(syntax("the document ends inside an element"), at));
                    }
                }
            }
        }
    }

    /// The root's start tag (`end` bytes long): an aggregate's root is handed over alone,
    /// any other root whole.
    fn root(
        &mut self,
        end: usize,
        empty: bool,
        at: Origin,
        chunk_root: &impl Fn(&str) -> bool,
    ) -> Result<Piece, XmlError> {
        let tag = std::str::from_utf8(&self.buf[self.pos..self.pos + end])
            .map_err(|_| xml_error(XmlErrorKind::NotUtf8, at))?;
        let name_end = tag[1..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(tag.len(), |i| i + 1);
        let qname = tag[1..name_end].to_string();
        let local = qname.rsplit(':').next().unwrap_or("");
        if empty || !chunk_root(local) {
            let n = if empty {
                end
            } else {
                self.scan_element(self.max_depth, at)?
            };
            let text = self.take_text(n, at)?;
            self.state = State::Epilog;
            return Ok(Piece::Element { text, origin: at });
        }
        if self.max_depth == 0 {
            return Err(xml_error(
                XmlErrorKind::Limit {
                    what: LimitKind::Depth,
                    limit: 0,
                },
                at,
            ));
        }
        let tag = self.take_text(end, at)?;
        self.root_qname.clone_from(&qname);
        self.state = State::InRoot;
        Ok(Piece::RootStart {
            tag,
            qname,
            chunked: true,
            origin: at,
        })
    }

    /// Character data (`raw`, source text up to the next `<`).
    fn text(&mut self, raw: &str, at: Origin) -> Result<Option<Piece>, XmlError> {
        escape::check_chars(raw).map_err(|(_, k)| xml_error(k, at))?;
        if self.state != State::InRoot {
            if raw
                .bytes()
                .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            {
                return Ok(None);
            }
            return Err(xml_error(XmlErrorKind::TextOutsideRoot, at));
        }
        self.started = true;
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(amp) = rest.find('&') {
            escape::push_text(&mut out, &rest[..amp]);
            let semi = rest[amp..]
                .find(';')
                .ok_or_else(|| xml_error(syntax("'&' without a closing ';'"), at))?;
            let c = escape::resolve_reference(&rest[amp + 1..amp + semi])
                .map_err(|k| xml_error(k, at))?;
            out.push(c);
            rest = &rest[amp + semi + 1..];
        }
        escape::push_text(&mut out, rest);
        Ok(Some(Piece::Text(out)))
    }

    /// The XML declaration: first in the document, and UTF-8 if it names an encoding.
    fn declaration(&self, raw: &str, first: bool, at: Origin) -> Result<(), XmlError> {
        // Only a byte-order mark may come before it (the buffer still starts at the file's
        // first byte while the prolog is read).
        let bom = self.base == 0 && self.buf.starts_with(b"\xEF\xBB\xBF");
        let at_start = at.offset == if bom { 3 } else { 0 };
        if !first || !at_start {
            return Err(xml_error(syntax("the XML declaration must come first"), at));
        }
        let body = &raw[5..raw.len() - 2];
        match escape::check_declaration(body) {
            Err(kind) => Err(xml_error(kind, at)),
            Ok(Some(enc))
                if !enc.eq_ignore_ascii_case("utf-8") && !enc.eq_ignore_ascii_case("utf8") =>
            {
                Err(xml_error(
                    XmlErrorKind::UnsupportedEncoding(enc.to_string()),
                    at,
                ))
            }
            Ok(_) => Ok(()),
        }
    }

    fn at_end(&mut self) -> Result<Option<Piece>, XmlError> {
        let state = std::mem::replace(&mut self.state, State::Done);
        let at = self.here();
        match state {
            State::Prolog => Err(xml_error(XmlErrorKind::NoRoot, at)),
            State::InRoot => Err(xml_error(syntax("the document ends inside an element"), at)),
            State::Epilog | State::Done => Ok(None),
        }
    }
}

/// UTF-8 characters in `bytes` (continuation bytes do not start one).
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(xml: &str) -> Result<Vec<String>, XmlError> {
        // A tiny read size makes every piece cross a refill.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = buf.len().min(self.0.len()).min(7);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut reader = ChunkReader::new(Trickle(xml.as_bytes()), 1 << 20, 16);
        let mut out = Vec::new();
        while let Some(p) = reader.next_piece(|local| local == "Agg")? {
            out.push(match p {
                Piece::RootStart { tag, origin, .. } => {
                    format!("root {tag} @{}", origin.position)
                }
                Piece::Element { text, origin } => format!("element {text} @{}", origin.position),
                Piece::Text(t) => format!("text {t:?}"),
                Piece::Comment(t) => format!("comment {t}"),
                Piece::ProcessingInstruction { target, data } => format!("pi {target} {data}"),
                Piece::RootEnd => "end".to_string(),
            });
        }
        Ok(out)
    }

    #[test]
    fn splits_an_aggregate_into_children() {
        let xml = "<?xml version=\"1.0\"?>\n<m:Agg xmlns:m=\"urn:m\" a='x>y'>\n <e a=\"/>\"><!-- </e> --><![CDATA[</e>]]><?p </e>?><f/></e>&amp;<!--c--><g/>\n</m:Agg>\n";
        assert_eq!(
            pieces(xml).unwrap(),
            [
                "root <m:Agg xmlns:m=\"urn:m\" a='x>y'> @2:1",
                "text \"\\n \"",
                "element <e a=\"/>\"><!-- </e> --><![CDATA[</e>]]><?p </e>?><f/></e> @3:2",
                "text \"&\"",
                "comment c",
                "element <g/> @3:72",
                "text \"\\n\"",
                "end",
            ]
        );
    }

    #[test]
    fn a_root_that_is_not_an_aggregate_is_one_element() {
        assert_eq!(pieces("<E><x/></E>").unwrap(), ["element <E><x/></E> @1:1"]);
        assert_eq!(pieces("\u{FEFF}<E/>").unwrap(), ["element <E/> @1:2"]);
    }

    #[test]
    fn refuses_what_the_tree_parser_refuses() {
        let kind = |xml: &str| pieces(xml).unwrap_err().kind;
        assert_eq!(kind("<!DOCTYPE a><Agg/>"), XmlErrorKind::Doctype);
        assert_eq!(kind("<Agg></Agg><Agg/>"), XmlErrorKind::MultipleRoots);
        assert_eq!(kind("<Agg></Agg>x"), XmlErrorKind::TextOutsideRoot);
        assert_eq!(kind(""), XmlErrorKind::NoRoot);
        assert!(matches!(kind("<Agg><e>"), XmlErrorKind::Syntax(_)));
        assert!(matches!(kind("<Agg></Other>"), XmlErrorKind::Syntax(_)));
        assert!(matches!(
            kind("<Agg/><?xml version=\"1.0\"?>"),
            XmlErrorKind::Syntax(_)
        ));
        // Found by the lint_stream fuzz target: whitespace before the declaration.
        assert!(matches!(
            kind("\r<?xml version=\"1.0\"?><Agg/>"),
            XmlErrorKind::Syntax(_)
        ));
        assert!(matches!(
            kind(" <?xml version=\"1.0\"?><Agg/>"),
            XmlErrorKind::Syntax(_)
        ));
        assert!(pieces("\u{FEFF}<?xml version=\"1.0\"?><E/>").is_ok());
        assert!(matches!(
            kind("<Agg><!-- a -- b --></Agg>"),
            XmlErrorKind::Syntax(_)
        ));
        assert!(matches!(
            kind("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Agg/>"),
            XmlErrorKind::UnsupportedEncoding(_)
        ));
        assert_eq!(kind("<Agg>\u{1}</Agg>"), XmlErrorKind::InvalidChar(1));
        assert!(matches!(
            kind("<Agg>&bogus;</Agg>"),
            XmlErrorKind::UndefinedEntity(_)
        ));
        let deep = format!("<Agg>{}{}</Agg>", "<a>".repeat(20), "</a>".repeat(20));
        assert_eq!(pieces(&deep).unwrap_err().kind.rule(), "xml/limits");
    }
}
