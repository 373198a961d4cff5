//! The streaming lint reader on arbitrary bytes, checked against the tree parser: both must
//! call the same inputs well-formed (a disagreement is a parser differential an attacker could
//! use to get content linted or signed off that another parser reads differently), and neither
//! may panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlcheck::lint::{lint_reader, LintOptions};
use samlcheck::xml::{Document, Limits};

fuzz_target!(|data: &[u8]| {
    let now = time::OffsetDateTime::UNIX_EPOCH;
    let report = lint_reader("fuzz.xml", data, &LintOptions::at(now));
    let stream_ok = !report.findings.iter().any(|f| f.rule.starts_with("xml/"));
    let tree_ok = Document::parse_bytes(data, Limits::METADATA).is_ok();
    assert_eq!(stream_ok, tree_ok, "stream and tree disagree");
});
