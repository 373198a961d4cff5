//! Generated documentation stays in step with the code.

/// `docs/rules.md` is the catalog rendered; regenerate with `UPDATE_DOCS=1 cargo test --test docs`.
#[test]
fn rules_reference_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    let rendered = samlcheck::checks::catalog::render_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &rendered).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == rendered,
        "docs/rules.md is stale: run UPDATE_DOCS=1 cargo test --test docs"
    );
    for rule in samlcheck::checks::catalog::all() {
        assert!(committed.contains(&format!("\n## {}\n", rule.id)));
    }
}
