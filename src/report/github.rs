//! GitHub Actions workflow commands: one `::error` / `::warning` / `::notice` annotation per
//! finding, which GitHub shows on the file and line of a pull request.

use super::{artifact, FileFindings};
use crate::checks::{Finding, Severity};

/// Escapes a message (the command's data): `%`, CR and LF.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as data, plus `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// One annotation line (without the line end).
pub fn annotation(file: Option<&str>, f: &Finding) -> String {
    let mut props = Vec::new();
    if let Some(file) = file {
        // Relative to the repository root, as GitHub matches it: `lint .` names `./x.xml`.
        let file = file.strip_prefix("./").unwrap_or(file);
        props.push(format!("file={}", escape_property(file)));
        if let Some(loc) = &f.location {
            props.push(format!("line={}", loc.line));
            props.push(format!("col={}", loc.column));
        }
    }
    props.push(format!("title={}", escape_property(f.rule)));
    let mut message = f.message.clone();
    if let Some(e) = &f.expected {
        message.push_str(&format!("\nexpected: {e}"));
    }
    if let Some(found) = &f.found {
        message.push_str(&format!("\nfound: {found}"));
    }
    message.push_str(&format!("\nfix: {}", f.fix));
    format!(
        "::{} {}::{}",
        command(f.severity),
        props.join(","),
        escape_data(&message)
    )
}

/// Every finding of `files` as annotations, one per line.
pub fn render(files: &[FileFindings]) -> String {
    let mut out = String::new();
    for ff in files {
        for f in ff.findings {
            out.push_str(&annotation(artifact(ff, f), f));
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::catalog::SIGNATURE_MISSING;
    use crate::checks::Location;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(escape_data("50%\r\na:b,c"), "50%25%0D%0Aa:b,c");
        assert_eq!(escape_property("C:\\a,b%"), "C%3A\\a%2Cb%25");
    }

    #[test]
    fn one_line_per_finding() {
        let f = Finding::new(&SIGNATURE_MISSING, "100% unsigned").at(Location {
            file: None,
            line: 2,
            column: 5,
            path: String::new(),
            source_line: String::new(),
            source_line_start: 0,
        });
        assert_eq!(
            annotation(Some("dir/a,b.xml"), &f),
            format!(
                "::error file=dir/a%2Cb.xml,line=2,col=5,title=signature/missing::100%25 unsigned%0Afix: {}",
                SIGNATURE_MISSING.fix
            )
        );
        assert!(annotation(None, &f).starts_with("::error title=signature/missing::"));
        assert!(annotation(Some("./dir/a.xml"), &f).starts_with("::error file=dir/a.xml,line=2,"));
    }
}
