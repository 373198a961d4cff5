//! Our parser and libxml2 (`xmllint --noout`) must agree on which start tags are well-formed:
//! a tag one parser reads and the other refuses is where signature-wrapping attacks hide.
//! Each case is a one-element document; the verdicts must match, and the refusals must name
//! the place xmllint names (same line) with an `xml/malformed` error.

use std::io::Write;
use std::process::{Command, Stdio};

use samlcheck::xml::{Document, Limits};

mod external_support;

/// Start tags around attribute lists: spacing, quoting, names, and what may not appear.
const CASES: &[&str] = &[
    r#"<r/>"#,
    r#"<r a="1"/>"#,
    r#"<r a='1'/>"#,
    r#"<r a = "1"   b ='2'  />"#,
    "<r\ta=\"1\"\nb=\"2\"\r\n/>",
    r#"<r a="1"b="2"/>"#,
    r#"<r a='1'b="2"></r>"#,
    r#"<r a="1" b=2/>"#,
    r#"<r a b="1"/>"#,
    r#"<r a/>"#,
    r#"<r a=/>"#,
    r#"<r ="1"/>"#,
    r#"<r a="1" a="2"/>"#,
    r#"<r a="x<y"/>"#,
    r#"<r a="x>y"/>"#,
    r#"<r a='say "hi"'/>"#,
    r#"<r a="it's"/>"#,
    r#"<r a=""/>"#,
    r#"<r a="1"/ >"#,
    r#"<r a="1" / >"#,
    r#"<r 1a="1"/>"#,
    r#"<r a-b.c_d="1"/>"#,
    r#"<r xmlns:p="urn:p" p:a="1" a="2"/>"#,
    r#"<r a="&amp;&lt;&#60;&#x3C;"/>"#,
    r#"<r a="&bogus;"/>"#,
    r#"<r a="&"/>"#,
    r#"<r a="1"></r >"#,
    r#"<r a="1"></ r>"#,
    r#"<r  a="1"  ></r>"#,
    "<r a=\"caf\u{e9}\" \u{e9}t\u{e9}=\"\u{2028}\"/>",
];

/// Well-formed XML 1.0 that breaks Namespaces in XML 1.0: xmllint reports a namespace error
/// and still exits 0; we refuse, since every SAML processor reads names through namespaces.
const STRICTER_ON_NAMESPACES: &[&str] = &[
    r#"<r :a="1"/>"#,
    r#"<r a:="1"/>"#,
    r#"<r xmlns:p="urn:p" xmlns:q="urn:p" p:a="1" q:a="2"/>"#,
];

fn xmllint_accepts(xmllint: &std::path::Path, doc: &str) -> bool {
    let mut child = Command::new(xmllint)
        .args(["--noout", "--nonet", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run xmllint");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(doc.as_bytes())
        .unwrap();
    child.wait().unwrap().success()
}

#[test]
fn start_tags_are_well_formed_exactly_when_libxml2_says_so() {
    let Some(tools) = external_support::require(
        "start_tags_are_well_formed_exactly_when_libxml2_says_so",
        &["xmllint"],
        "libxml2-utils",
    ) else {
        return;
    };
    let mut disagreements = Vec::new();
    let (mut accepted, mut refused) = (0, 0);
    for case in CASES {
        let ours = Document::parse(case, Limits::MESSAGE);
        let theirs = xmllint_accepts(&tools[0], case);
        if ours.is_ok() != theirs {
            disagreements.push(format!(
                "{case:?}: xmllint {}, samlcheck {:?}",
                if theirs { "accepts" } else { "refuses" },
                ours.as_ref().map(|_| "accepts").map_err(|e| e.to_string())
            ));
        }
        match ours {
            Ok(_) => accepted += 1,
            Err(e) => {
                refused += 1;
                assert_eq!(e.kind.rule(), "xml/malformed", "{case:?}: {e}");
            }
        }
    }
    for case in STRICTER_ON_NAMESPACES {
        let ours = Document::parse(case, Limits::MESSAGE);
        if !xmllint_accepts(&tools[0], case) || ours.is_ok() {
            disagreements.push(format!(
                "{case:?}: expected xmllint to accept and us to refuse"
            ));
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    // Both sides of the line are exercised.
    assert!(
        accepted >= 10 && refused >= 15,
        "{accepted} accepted, {refused} refused"
    );
}
