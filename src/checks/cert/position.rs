//! From a character of an element's text content back to its place in the source, so a finding
//! about "character 412" can point its caret at that very character.

use crate::checks::Location;
use crate::xml::{Document, NodeId, NodeKind};

/// Byte offset in `raw` (the source of one text node) of each character of `text` (its value),
/// walking both in step: `\r\n` and `\r` became `\n`, references became one character, CDATA
/// markers vanished. `None` when the two cannot be matched.
fn char_offsets(raw: &str, text: &str) -> Option<Vec<usize>> {
    let mut out = Vec::with_capacity(text.len());
    let mut s = 0;
    let mut in_cdata = false;
    for c in text.chars() {
        loop {
            let rest = &raw[s..];
            if !in_cdata && rest.starts_with("<![CDATA[") {
                s += 9;
                in_cdata = true;
            } else if in_cdata && rest.starts_with("]]>") {
                s += 3;
                in_cdata = false;
            } else {
                break;
            }
        }
        let rest = &raw[s..];
        let r = rest.chars().next()?;
        out.push(s);
        s += if r == '&' && !in_cdata {
            rest.find(';')? + 1
        } else if r == '\r' && c == '\n' {
            if rest.starts_with("\r\n") {
                2
            } else {
                1
            }
        } else if r == c {
            r.len_utf8()
        } else {
            return None;
        };
    }
    Some(out)
}

/// Where character `char_index` (0-based) of the text content of `node` is in the source.
/// Falls back to the text node, then to the element, when the source cannot be matched.
pub fn location_of_char(doc: &Document, node: NodeId, char_index: usize) -> Location {
    let path = doc.path(node);
    let mut seen = 0;
    for id in text_nodes(doc, node) {
        let n = doc.node(id);
        let NodeKind::Text(text) = doc.kind(id) else {
            continue;
        };
        let count = text.chars().count();
        if char_index < seen + count {
            let raw = doc.source().get(n.offset..n.end).unwrap_or("");
            let offset = char_offsets(raw, text)
                .and_then(|o| o.get(char_index - seen).copied())
                .map_or(n.offset, |o| n.offset + o);
            return Location::at(doc, offset, path);
        }
        seen += count;
    }
    Location::of_node(doc, node)
}

/// Text nodes under `node`, in document order (what `Document::text` joins).
fn text_nodes(doc: &Document, node: NodeId) -> Vec<NodeId> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(id) = stack.pop() {
        match doc.kind(id) {
            NodeKind::Text(_) => out.push(id),
            NodeKind::Element(e) => stack.extend(e.children().iter().rev()),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::Limits;

    #[test]
    fn characters_map_back_through_line_ends_references_and_cdata() {
        let src = "<a>\r\n  AB&#67;<![CDATA[D&]]>E&amp;F</a>";
        let doc = Document::parse(src, Limits::default()).unwrap();
        let text = doc.text(doc.root());
        for (i, c) in text.chars().enumerate() {
            let loc = location_of_char(&doc, doc.root(), i);
            let line = doc.line_text(loc.line);
            let at: String = line.chars().skip(loc.column - 1).take(5).collect();
            match c {
                '\n' => assert!(at.is_empty() || at.starts_with('\r'), "{i}: {at:?}"),
                'C' => assert!(at.starts_with("&#67;"), "{i}: {at:?}"),
                '&' => assert!(at.starts_with('&'), "{i}: {at:?}"),
                c => assert!(at.starts_with(c), "{i} {c}: {at:?}"),
            }
        }
    }
}
