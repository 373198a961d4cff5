//! The hardened parser on arbitrary bytes: it must return Ok or Err, never panic, hang or
//! allocate past its limits. On success every accessor a diagnosis uses is walked.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlcheck::xml::{Document, Limits, NodeKind};

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = Document::parse_bytes(data, Limits::MESSAGE) else {
        return;
    };
    let root = doc.root();
    assert!(doc.element(root).is_some(), "the root is not an element");
    let _ = doc.text(root);
    let _ = doc.top_level().len();
    for id in doc.elements() {
        let path = doc.path(id);
        assert!(path.starts_with('/'), "path {path:?} is not absolute");
        let pos = doc.position(id);
        let _ = doc.line_text(pos.line);
        let _ = doc.in_scope_namespaces(id);
        let _ = doc.text(id);
        let node = doc.node(id);
        assert!(node.offset <= node.end && node.end <= doc.source().len(), "node span out of the source");
        if let Some(e) = doc.element(id) {
            for a in e.attributes() {
                let _ = doc.attribute_offset(id, &a.qname());
            }
        }
        for &child in doc.children(id) {
            assert_eq!(doc.parent(child), Some(id), "child's parent is not its parent");
            if let NodeKind::Text(t) = doc.kind(child) {
                let _ = t.len();
            }
        }
    }
});
