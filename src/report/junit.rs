//! JUnit XML for CI test reports: one `<testsuite>` per input file, one `<testcase>` per finding
//! (classname = rule id, name = message). Errors fail; warnings fail only under
//! `--deny warnings` and otherwise pass with their text in `<system-out>`; notes pass.
//! A file without findings gets one passing testcase, "no findings".

use std::fmt::Write;

use super::{human, FileFindings};
use crate::checks::{Finding, Severity};
use crate::xml::escape::markup as escape;

/// Character data: like [`escape`](crate::xml::escape::markup), but line ends stay literal so the text reads well.
fn escape_text(text: &str) -> String {
    escape(text).replace("&#10;", "\n")
}

fn fails(f: &Finding, deny_warnings: bool) -> bool {
    f.severity == Severity::Error || (deny_warnings && f.severity == Severity::Warning)
}

/// The JUnit report for `files`.
pub fn render(files: &[FileFindings], deny_warnings: bool) -> String {
    let mut suites = String::new();
    let (mut all_tests, mut all_failures) = (0usize, 0usize);
    for ff in files {
        let tests = ff.findings.len().max(1);
        let failures = ff
            .findings
            .iter()
            .filter(|f| fails(f, deny_warnings))
            .count();
        all_tests += tests;
        all_failures += failures;
        let file = escape(ff.file);
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{file}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">"
        );
        if ff.findings.is_empty() {
            let _ = writeln!(
                suites,
                "    <testcase classname=\"samlcheck\" name=\"no findings\" file=\"{file}\"/>"
            );
        }
        for f in ff.findings {
            let _ = writeln!(
                suites,
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{file}\"{}>",
                escape(f.rule),
                escape(&f.message),
                f.location
                    .as_ref()
                    .map(|l| format!(" line=\"{}\"", l.line))
                    .unwrap_or_default()
            );
            let details = escape_text(&human::finding(f));
            if fails(f, deny_warnings) {
                let _ = writeln!(
                    suites,
                    "      <failure message=\"{}\" type=\"{}\">{details}</failure>",
                    escape(&f.message),
                    escape(f.rule)
                );
            } else {
                let _ = writeln!(suites, "      <system-out>{details}</system-out>");
            }
            suites.push_str("    </testcase>\n");
        }
        suites.push_str("  </testsuite>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"samlcheck\" tests=\"{all_tests}\" failures=\"{all_failures}\" errors=\"0\">\n{suites}</testsuites>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::catalog::{ASSERTION_IN_RESPONSE_TO_UNCHECKED, SIGNATURE_MISSING};

    #[test]
    fn escapes_markup_quotes_line_ends_and_non_xml_characters() {
        assert_eq!(
            escape("a<b>&\"c'\n\u{1}"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;\u{FFFD}"
        );
    }

    #[test]
    fn counts_and_shapes() {
        let findings = [
            Finding::new(&SIGNATURE_MISSING, "no <Signature> & more"),
            Finding::new(&ASSERTION_IN_RESPONSE_TO_UNCHECKED, "unchecked"),
        ];
        let xml = render(
            &[
                FileFindings {
                    file: "a&b.xml",
                    findings: &findings,
                },
                FileFindings {
                    file: "clean.xml",
                    findings: &[],
                },
            ],
            false,
        );
        assert!(xml.contains("<testsuites name=\"samlcheck\" tests=\"3\" failures=\"1\""));
        assert!(xml.contains("<testsuite name=\"a&amp;b.xml\" tests=\"2\" failures=\"1\""));
        assert!(xml.contains(
            "<failure message=\"no &lt;Signature&gt; &amp; more\" type=\"signature/missing\">"
        ));
        assert!(xml.contains("name=\"no findings\""));
    }
}
