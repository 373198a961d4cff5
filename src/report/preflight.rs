//! The preflight report for people: what to enter in the IdP console, the GO / NO-GO
//! checklist, then each item's findings with their fixes.

use std::fmt::Write;

use super::human;
use crate::preflight::{PreflightReport, State};

/// The whole report as text.
pub fn render_human(r: &PreflightReport) -> String {
    let mut out = String::new();
    // The built-in profile goes unsaid; another shape is named, as the URLs follow it.
    let profile = match &r.sp.templates {
        Some(t) if t.name != crate::sp::template::BUILTIN => format!(" (profile {})", t.name),
        _ => String::new(),
    };
    let who = match &r.sp.org {
        Some(org) => format!("org {org}{profile}, SP {}", r.sp.entity_id),
        None => format!("SP {}", r.sp.entity_id),
    };
    let _ = writeln!(out, "samlcheck check: {who}");
    let idp = r.idp.entity_id.as_deref().unwrap_or("no IdP");
    let _ = writeln!(out, "  IdP:      {idp} ({})", r.idp.metadata);
    match (r.idp.vendor, r.idp.evidence.first()) {
        (Some(v), Some(e)) => {
            let _ = writeln!(out, "  vendor:   {v} ({e})");
        }
        _ => {
            let _ = writeln!(
                out,
                "  vendor:   not recognized; fixes use generic SAML names"
            );
        }
    }
    let product = r.idp.console.map(|v| v.name());
    match (product, r.idp.console.map(|v| v.info().settings)) {
        _ if r.enter.is_empty() => {
            let _ = writeln!(
                out,
                "  enter in the IdP: nothing until the org slug is valid"
            );
        }
        (Some(name), Some(place)) => {
            let _ = writeln!(out, "  enter in {name} ({place}):");
        }
        _ => {
            let _ = writeln!(out, "  enter in the IdP:");
        }
    }
    let strip = |s: &str| -> String {
        match product {
            Some(name) => s
                .strip_prefix(&format!("{name}: "))
                .unwrap_or(s)
                .to_string(),
            None => s.to_string(),
        }
    };
    let width = r
        .enter
        .iter()
        .map(|e| strip(&e.console).chars().count())
        .max()
        .unwrap_or(0);
    for e in &r.enter {
        let label = strip(&e.console);
        let pad = width - label.chars().count();
        let _ = writeln!(out, "    {label}{}  {}", " ".repeat(pad), e.value);
    }
    let _ = writeln!(
        out,
        "  mapping:  {} ({})",
        r.mapping.pairs(),
        r.mapping.origin()
    );
    out.push('\n');

    let width = "[not checked]".len();
    for item in &r.checklist {
        let label = format!("[{}]", item.state.label());
        let _ = writeln!(out, "  {label:width$} {}: {}", item.title, item.detail);
    }
    let _ = writeln!(out, "  {:width$} {}", "[reminder]", r.reminder);
    out.push('\n');

    let blocking: Vec<&str> = r
        .checklist
        .iter()
        .filter(|i| i.blocking)
        .map(|i| i.title.as_str())
        .collect();
    if r.go {
        let caveat = if r.checklist.iter().any(|i| i.state != State::Ok) {
            " (read the items above that are not ok)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "GO: nothing blocks turning on \"Require SSO\"{caveat}."
        );
    } else {
        let count = match blocking.len() {
            1 => "1 item blocks".to_string(),
            n => format!("{n} items block"),
        };
        let _ = writeln!(
            out,
            "NO-GO: {count} \"Require SSO\": {}. The findings below say what to change, and where.",
            blocking.join("; ")
        );
    }
    for item in r.checklist.iter().filter(|i| !i.findings.is_empty()) {
        let _ = write!(out, "\n{}:\n", item.title);
        for f in &item.findings {
            out.push('\n');
            out.push_str(&human::finding(f));
        }
    }
    out
}
