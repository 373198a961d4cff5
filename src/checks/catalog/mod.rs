//! The rule catalog: every rule id samlcheck can report, with its severity, what it means and
//! how to fix it. `docs/rules.md` is generated from these tables (see `render_markdown`);
//! each family of rules lives in its own file.

use super::finding::Severity;

pub mod cert;
pub mod decode;
pub mod flow;
pub mod mapping;
pub mod message;
pub mod metadata;
pub mod preflight;
pub mod sp;

pub use decode::*;
pub use message::*;
pub use metadata::*;
pub use sp::*;

/// A rule: a stable id and the text that explains it.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub explanation: &'static str,
    pub fix: &'static str,
}

/// Declares rules as statics plus a `RULES` slice of the module's rules, in order.
macro_rules! rules {
    ($( $name:ident = $id:literal, $sev:ident, $summary:literal, $explanation:literal, $fix:literal; )*) => {
        $(
            #[doc = $summary]
            pub static $name: Rule = Rule {
                id: $id,
                severity: Severity::$sev,
                summary: $summary,
                explanation: $explanation,
                fix: $fix,
            };
        )*
        /// This module's rules, in catalog order.
        pub(super) static RULES: &[&Rule] = &[$(&$name),*];
    };
}
pub(crate) use rules;

/// Every family's rules, in catalog order.
pub static FAMILIES: &[&[&Rule]] = &[
    message::RULES,
    decode::RULES,
    metadata::RULES,
    cert::RULES,
    sp::RULES,
    mapping::RULES,
    preflight::RULES,
    flow::RULES,
];

/// Every rule, in catalog order.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    FAMILIES.iter().flat_map(|f| f.iter().copied())
}

/// The rule with `id`.
pub fn rule(id: &str) -> Option<&'static Rule> {
    all().find(|r| r.id == id)
}

/// The rules reference, as committed in `docs/rules.md`.
pub fn render_markdown() -> String {
    let mut out = String::from(
        "# Rules reference\n\n<!-- Generated from src/checks/catalog/ (src/checks/catalog/mod.rs) by `UPDATE_DOCS=1 cargo test --test docs`; do not edit. -->\n\n| rule | severity | summary |\n|---|---|---|\n",
    );
    for r in all() {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} |\n",
            r.id,
            anchor(r.id),
            r.severity,
            r.summary
        ));
    }
    for r in all() {
        out.push_str(&format!(
            "\n## {}\n\n**Severity:** {}. {}\n\n{}\n\n**Fix:** {}\n",
            r.id, r.severity, r.summary, r.explanation, r.fix
        ));
    }
    out
}

fn anchor(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for r in all() {
            assert!(seen.insert(r.id), "duplicate rule id {}", r.id);
            let (family, name) = r.id.split_once('/').expect("family/name");
            assert!(!family.is_empty() && !name.is_empty());
            assert!(r
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '/' || c == '-'));
            assert!(r.summary.ends_with('.') && r.fix.ends_with('.'), "{}", r.id);
        }
        assert_eq!(rule("signature/wrapping"), Some(&SIGNATURE_WRAPPING));
    }
}
