//! Reading metadata in chunks: the root element, then each child of an aggregate root on its
//! own, so memory is bounded by the largest entity rather than the file.
//!
//! quick-xml tokenizes the stream; a [`Tee`] under it records the bytes consumed, so each
//! depth-1 child is handed over as its exact source text, parsed into a small tree with the
//! root's namespace declarations around it, and dropped once linted.

use std::io::{self, BufRead, Read};

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::xml::error::{XmlError, XmlErrorKind};
use crate::xml::escape;
use crate::xml::limits::LimitKind;
use crate::xml::position::LineCol;

/// A `BufRead` that keeps the bytes its consumer consumed since the last `clear`, and counts lines.
pub struct Tee<R> {
    inner: R,
    captured: Vec<u8>,
    consumed: u64,
    line: usize,
    /// Characters since the last newline (for the column of the next byte).
    column: usize,
}

impl<R: BufRead> Tee<R> {
    pub fn new(inner: R) -> Tee<R> {
        Tee {
            inner,
            captured: Vec::new(),
            consumed: 0,
            line: 1,
            column: 1,
        }
    }

    fn record(&mut self, bytes: &[u8]) {
        Self::record_into(
            &mut self.captured,
            &mut self.consumed,
            &mut self.line,
            &mut self.column,
            bytes,
        );
    }

    fn record_into(
        captured: &mut Vec<u8>,
        consumed: &mut u64,
        line: &mut usize,
        column: &mut usize,
        bytes: &[u8],
    ) {
        captured.extend_from_slice(bytes);
        *consumed += bytes.len() as u64;
        match bytes.iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                *line += bytes.iter().filter(|&&b| b == b'\n').count();
                *column = 1 + count_chars(&bytes[last + 1..]);
            }
            None => *column += count_chars(bytes),
        }
    }
}

/// UTF-8 characters in `bytes` (continuation bytes do not start one).
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

impl<R: BufRead> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.record(&buf[..n]);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Tee<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        let Tee {
            inner,
            captured,
            consumed,
            line,
            column,
        } = self;
        if let Ok(available) = inner.fill_buf() {
            Self::record_into(
                captured,
                consumed,
                line,
                column,
                &available[..amount.min(available.len())],
            );
        }
        inner.consume(amount);
    }
}

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

/// Splits a metadata stream into [`Piece`]s. `chunk_root` decides from the root's qualified
/// name and namespace-free local name whether to chunk it.
pub struct ChunkReader<R: BufRead> {
    reader: Reader<Tee<R>>,
    buf: Vec<u8>,
    depth: usize,
    max_bytes: u64,
    max_depth: usize,
    chunked: bool,
    piece_origin: Origin,
    finished: bool,
    /// The root element has ended: only whitespace, comments and PIs may follow.
    root_done: bool,
    /// Any event was read (the XML declaration must be the first).
    started: bool,
}

fn xml_error(kind: XmlErrorKind, offset: u64, position: LineCol) -> XmlError {
    XmlError {
        kind,
        offset: offset as usize,
        position,
    }
}

impl<R: BufRead> ChunkReader<R> {
    pub fn new(inner: R, max_bytes: u64, max_depth: usize) -> ChunkReader<R> {
        let mut reader = Reader::from_reader(Tee::new(inner));
        let config = reader.config_mut();
        config.check_end_names = true;
        config.check_comments = true;
        config.expand_empty_elements = false;
        config.trim_text(false);
        ChunkReader {
            reader,
            buf: Vec::with_capacity(64 * 1024),
            depth: 0,
            max_bytes,
            max_depth,
            chunked: false,
            piece_origin: Origin {
                offset: 0,
                position: LineCol { line: 1, column: 1 },
            },
            finished: false,
            root_done: false,
            started: false,
        }
    }

    fn here(&self) -> Origin {
        let tee = self.reader.get_ref();
        Origin {
            offset: tee.consumed,
            position: LineCol {
                line: tee.line,
                column: tee.column,
            },
        }
    }

    fn take_captured(&mut self) -> Result<String, XmlError> {
        let bytes = std::mem::take(&mut self.reader.get_mut().captured);
        String::from_utf8(bytes).map_err(|_| {
            xml_error(
                XmlErrorKind::NotUtf8,
                self.piece_origin.offset,
                self.piece_origin.position,
            )
        })
    }

    /// The next piece, `None` at the end. `chunk_root(local_name)` says whether a root is an aggregate.
    pub fn next_piece(
        &mut self,
        chunk_root: impl Fn(&str) -> bool,
    ) -> Result<Option<Piece>, XmlError> {
        loop {
            if self.finished {
                return Ok(None);
            }
            if self.depth <= usize::from(self.chunked) {
                self.reader.get_mut().captured.clear();
                self.piece_origin = self.here();
            }
            self.buf.clear();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(e) => e.into_owned(),
                Err(e) => {
                    let at = self.here();
                    return Err(xml_error(
                        XmlErrorKind::Syntax(e.to_string()),
                        at.offset,
                        at.position,
                    ));
                }
            };
            if self.reader.get_ref().consumed > self.max_bytes {
                let at = self.here();
                return Err(xml_error(
                    XmlErrorKind::Limit {
                        what: LimitKind::Bytes,
                        limit: self.max_bytes as usize,
                    },
                    at.offset,
                    at.position,
                ));
            }
            // What the tree parser also refuses: a late or non-UTF-8 declaration, a second root,
            // character data outside the root. Without these the stream could lint and sign off
            // content that no other parser reads as part of the document.
            let refused = match &event {
                Event::Decl(_) if self.started => Some(XmlErrorKind::Syntax(
                    "the XML declaration must come first".into(),
                )),
                Event::Decl(decl) => match decl.encoding() {
                    Some(Ok(enc))
                        if !enc.eq_ignore_ascii_case("utf-8")
                            && !enc.eq_ignore_ascii_case("utf8") =>
                    {
                        Some(XmlErrorKind::UnsupportedEncoding(enc.to_string()))
                    }
                    _ => None,
                },
                Event::Start(_) | Event::Empty(_) if self.depth == 0 && self.root_done => {
                    Some(XmlErrorKind::MultipleRoots)
                }
                Event::CData(_) | Event::GeneralRef(_) if self.depth == 0 => {
                    Some(XmlErrorKind::TextOutsideRoot)
                }
                _ => None,
            };
            if let Some(kind) = refused {
                return Err(xml_error(
                    kind,
                    self.piece_origin.offset,
                    self.piece_origin.position,
                ));
            }
            self.started = true;
            match event {
                Event::DocType(_) => {
                    return Err(xml_error(
                        XmlErrorKind::Doctype,
                        self.piece_origin.offset,
                        self.piece_origin.position,
                    ));
                }
                Event::Start(tag) => {
                    self.depth += 1;
                    if self.depth > self.max_depth {
                        return Err(xml_error(
                            XmlErrorKind::Limit {
                                what: LimitKind::Depth,
                                limit: self.max_depth,
                            },
                            self.piece_origin.offset,
                            self.piece_origin.position,
                        ));
                    }
                    if self.depth == 1 {
                        let qname = tag.name().0.to_string();
                        let local = qname.rsplit(':').next().unwrap_or("").to_string();
                        self.chunked = chunk_root(&local);
                        if self.chunked {
                            let text = self.take_captured()?;
                            let tag_text = text.trim_start_matches(|c: char| c != '<').to_string();
                            let tag_text =
                                tag_text[tag_text.rfind("<").map_or(0, |i| i)..].to_string();
                            return Ok(Some(Piece::RootStart {
                                tag: tag_text,
                                qname,
                                chunked: true,
                                origin: self.tag_origin(),
                            }));
                        }
                        let text = self.take_captured()?;
                        let start = text.rfind('<').unwrap_or(0);
                        self.reader.get_mut().captured = text.as_bytes()[start..].to_vec();
                        self.piece_origin = self.tag_origin();
                    }
                }
                Event::Empty(_) if self.depth == 0 => {
                    // A root with no content: hand it over whole.
                    let text = self.take_captured()?;
                    let start = text.rfind('<').unwrap_or(0);
                    self.root_done = true;
                    return Ok(Some(Piece::Element {
                        text: text[start..].to_string(),
                        origin: self.tag_origin(),
                    }));
                }
                Event::Empty(_) if self.chunked && self.depth == 1 => {
                    let text = self.take_captured()?;
                    return Ok(Some(Piece::Element {
                        text,
                        origin: self.piece_origin,
                    }));
                }
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        self.root_done = true;
                        if self.chunked {
                            return Ok(Some(Piece::RootEnd));
                        }
                        let text = self.take_captured()?;
                        return Ok(Some(Piece::Element {
                            text,
                            origin: self.piece_origin,
                        }));
                    }
                    if self.chunked && self.depth == 1 {
                        let text = self.take_captured()?;
                        return Ok(Some(Piece::Element {
                            text,
                            origin: self.piece_origin,
                        }));
                    }
                }
                Event::Text(t) if self.chunked && self.depth == 1 => {
                    let mut out = String::new();
                    escape::push_text(&mut out, &t);
                    return Ok(Some(Piece::Text(out)));
                }
                Event::Text(t)
                    if self.depth == 0 && !t.chars().all(|c| c.is_ascii_whitespace()) =>
                {
                    return Err(xml_error(
                        XmlErrorKind::TextOutsideRoot,
                        self.piece_origin.offset,
                        self.piece_origin.position,
                    ));
                }
                Event::GeneralRef(r) if self.chunked && self.depth == 1 => {
                    let c = escape::resolve_reference(&r).map_err(|k| {
                        xml_error(k, self.piece_origin.offset, self.piece_origin.position)
                    })?;
                    return Ok(Some(Piece::Text(c.to_string())));
                }
                Event::CData(t) if self.chunked && self.depth == 1 => {
                    let mut out = String::new();
                    escape::push_text(&mut out, &t);
                    return Ok(Some(Piece::Text(out)));
                }
                Event::Comment(t) if self.chunked && self.depth == 1 => {
                    let mut out = String::new();
                    escape::push_text(&mut out, &t);
                    return Ok(Some(Piece::Comment(out)));
                }
                Event::PI(pi) if self.chunked && self.depth == 1 => {
                    let (target, data) = escape::processing_instruction(&pi).map_err(|k| {
                        xml_error(k, self.piece_origin.offset, self.piece_origin.position)
                    })?;
                    return Ok(Some(Piece::ProcessingInstruction { target, data }));
                }
                Event::Eof => {
                    self.finished = true;
                    if !self.root_done && self.depth == 0 {
                        let at = self.here();
                        return Err(xml_error(XmlErrorKind::NoRoot, at.offset, at.position));
                    }
                    if self.depth != 0 {
                        let at = self.here();
                        return Err(xml_error(
                            XmlErrorKind::Syntax("the document ends inside an element".into()),
                            at.offset,
                            at.position,
                        ));
                    }
                    return Ok(None);
                }
                _ => {}
            }
        }
    }

    /// The origin of the root start tag: the captured text before it was prolog.
    fn tag_origin(&self) -> Origin {
        self.piece_origin
    }
}
