//! Text for people: rustc-style findings with a snippet and a caret at line:column.

use crate::checks::{Finding, Location};
use std::fmt::Write;

/// Widest snippet shown; long lines (compact XML) are cut around the caret.
const SNIPPET_WIDTH: usize = 100;

fn snippet_window(line: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    let caret = column.saturating_sub(1).min(chars.len());
    if chars.len() <= SNIPPET_WIDTH {
        return (line.to_string(), caret);
    }
    let start = caret.saturating_sub(SNIPPET_WIDTH / 3);
    let end = (start + SNIPPET_WIDTH).min(chars.len());
    let mut text: String = chars[start..end].iter().collect();
    let mut offset = caret - start;
    if start > 0 {
        text.insert(0, '…');
        offset += 1;
    }
    if end < chars.len() {
        text.push('…');
    }
    (text, offset)
}

fn location_lines(out: &mut String, loc: &Location) {
    let file = loc.file.as_deref().unwrap_or("<input>");
    let _ = writeln!(
        out,
        "  --> {file}:{}:{}{}",
        loc.line,
        loc.column,
        if loc.path.is_empty() {
            String::new()
        } else {
            format!("  {}", loc.path)
        }
    );
    if !loc.source_line.is_empty() {
        let (text, caret) = snippet_window(&loc.source_line, loc.column_in_source_line());
        let width = loc.line.to_string().len();
        let _ = writeln!(out, "  {:width$} |", "");
        let _ = writeln!(out, "  {} | {}", loc.line, text);
        let _ = writeln!(out, "  {:width$} | {}^", "", " ".repeat(caret));
    }
}

/// One finding, several lines.
pub fn finding(f: &Finding) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}[{}]: {}", f.severity, f.rule, f.message);
    if let Some(loc) = &f.location {
        location_lines(&mut out, loc);
    }
    if let Some(e) = &f.expected {
        let _ = writeln!(out, "   = expected: {e}");
    }
    if let Some(found) = &f.found {
        let _ = writeln!(out, "   = found:    {found}");
    }
    for n in &f.notes {
        let _ = writeln!(out, "   = note: {n}");
    }
    if !f.hints.is_empty() {
        let _ = writeln!(out, "   = hint: {}", f.hints.join(", "));
    }
    let _ = writeln!(out, "   = fix: {}", f.fix);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::catalog::SIGNATURE_MISSING;

    #[test]
    fn caret_points_at_the_column_even_in_long_lines() {
        let line = format!("{}<saml:Assertion ID=\"x\">", "a".repeat(300));
        let loc = Location {
            file: Some("r.xml".into()),
            line: 1,
            column: 301,
            path: "/r".into(),
            source_line: line,
            source_line_start: 0,
        };
        let text = finding(&Finding::new(&SIGNATURE_MISSING, "unsigned").at(loc));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "error[signature/missing]: unsigned");
        assert_eq!(lines[1], "  --> r.xml:1:301  /r");
        let snippet = lines[3].split_once("| ").unwrap().1;
        let caret = lines[4].split_once("| ").unwrap().1.len() - 1;
        assert_eq!(snippet.chars().nth(caret), Some('<'));
    }
}
