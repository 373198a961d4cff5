//! The book in docs/ is whole: `docs/SUMMARY.md` lists every page under docs/ once and nothing
//! else, every relative link of the book and of README.md leads to a file that exists, and every
//! `#anchor` to a heading of its page (GitHub's slugs, which mdBook's ids match).

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Every Markdown file under docs/, relative to docs/, sorted.
fn book_pages() -> Vec<String> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, base, out);
            } else if p.extension().is_some_and(|x| x == "md") {
                let rel = p.strip_prefix(base).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let docs = Path::new(ROOT).join("docs");
    let mut out = Vec::new();
    walk(&docs, &docs, &mut out);
    out.sort();
    out
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The lines of a page outside fenced code blocks, with their numbers (from 1).
fn prose_lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        let marker = if t.starts_with("```") {
            Some("```")
        } else if t.starts_with("~~~") {
            Some("~~~")
        } else {
            None
        };
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(f), Some(m)) if f == m && t.trim() == m => fence = None,
            (None, None) => out.push((i + 1, line)),
            _ => {}
        }
    }
    out
}

/// A line without its inline code spans (a link inside backticks is not a link).
fn without_code(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let ticks = rest[start..].chars().take_while(|c| *c == '`').count();
        let after = &rest[start + ticks..];
        let closing = "`".repeat(ticks);
        match after.find(&closing) {
            Some(end) => rest = &after[end + ticks..],
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The targets of the inline links and images of a line (`[text](target "title")`), and of a
/// reference definition (`[label]: target`).
fn link_targets(line: &str) -> Vec<String> {
    let line = without_code(line);
    let mut out = Vec::new();
    let mut rest = line.as_str();
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        // Balanced parentheses, as in `(a_(b))`.
        let mut depth = 1;
        let mut end = None;
        for (k, c) in after.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(k);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(end) = end else { break };
        let inner = after[..end].trim();
        let target = inner.split_whitespace().next().unwrap_or("");
        out.push(
            target
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string(),
        );
        rest = &after[end + 1..];
    }
    let t = line.trim_start();
    if t.starts_with('[') && !t.starts_with("[^") {
        if let Some((label, target)) = t.split_once("]:") {
            if !label.contains('(') {
                if let Some(target) = target.split_whitespace().next() {
                    out.push(target.to_string());
                }
            }
        }
    }
    out
}

/// GitHub's anchor for a heading text: markup dropped, lower case, letters, digits, `-` and `_`
/// kept, spaces made `-`.
fn slug(heading: &str) -> String {
    // `[text](url)` reads as its text.
    let mut text = String::new();
    let mut rest = heading;
    while let Some(open) = rest.find('[') {
        match rest[open..].find("](") {
            Some(mid) => {
                let mid = open + mid;
                let Some(close) = rest[mid..].find(')') else {
                    break;
                };
                text.push_str(&rest[..open]);
                text.push_str(&rest[open + 1..mid]);
                rest = &rest[mid + close + 1..];
            }
            None => break,
        }
    }
    text.push_str(rest);
    text.chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c.to_lowercase().collect::<String>())
            } else if c == ' ' {
                Some("-".to_string())
            } else {
                None
            }
        })
        .collect()
}

/// The anchors of a page's headings, duplicates numbered as GitHub numbers them.
fn anchors(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (_, line) in prose_lines(text) {
        let t = line.trim_start();
        let level = t.chars().take_while(|c| *c == '#').count();
        if !(1..=6).contains(&level) || !t[level..].starts_with(' ') {
            continue;
        }
        let heading = t[level..].trim().trim_end_matches('#').trim();
        let base = slug(heading);
        let mut candidate = base.clone();
        let mut n = 0;
        while out.contains(&candidate) {
            n += 1;
            candidate = format!("{base}-{n}");
        }
        out.insert(candidate);
    }
    out
}

/// `base/../x` made `x`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[test]
fn slugs_are_githubs() {
    assert_eq!(slug("samlcheck.toml"), "samlchecktoml");
    assert_eq!(slug("xml/doctype"), "xmldoctype");
    assert_eq!(
        slug("Before turning on \"Require SSO\": `samlcheck check`"),
        "before-turning-on-require-sso-samlcheck-check"
    );
    assert_eq!(slug("The mock IdP's faults"), "the-mock-idps-faults");
    assert_eq!(slug("1. Install"), "1-install");
    assert_eq!(
        slug("Another SaaS's URL shape: `[profiles.NAME]`"),
        "another-saass-url-shape-profilesname"
    );
    assert_eq!(slug("See [the guide](x.md) now"), "see-the-guide-now");
    let page = "# A\n## A\n```sh\n# exit 0\n```\n## A\n";
    assert_eq!(
        anchors(page),
        ["a", "a-1", "a-2"].map(String::from).into_iter().collect()
    );
    assert_eq!(
        link_targets("see [a](x.md#y) and `[b](not-a-link.md)` and ![i](img.png \"t\")"),
        ["x.md#y", "img.png"]
    );
    assert_eq!(link_targets("[ref]: ../README.md"), ["../README.md"]);
}

#[test]
fn book_toml_reads_the_pages_where_they_are() {
    let toml = read("docs/book.toml");
    let lines: Vec<&str> = toml.lines().map(str::trim).collect();
    assert!(lines.contains(&"[book]"), "{toml}");
    assert!(lines.contains(&"src = \".\""), "{toml}");
    // A build never lands among the pages it is built from.
    let build_dir = lines
        .iter()
        .find_map(|l| l.strip_prefix("build-dir = "))
        .expect("book.toml sets build-dir");
    assert!(build_dir.starts_with("\"../"), "{build_dir}");
}

#[test]
fn the_summary_lists_every_page_once() {
    let summary = read("docs/SUMMARY.md");
    let mut listed = Vec::new();
    for (n, line) in prose_lines(&summary) {
        for target in link_targets(line) {
            assert!(
                !target.contains('#') && !target.contains("://"),
                "docs/SUMMARY.md:{n}: a chapter is a page: {target}"
            );
            assert!(
                !listed.contains(&target),
                "docs/SUMMARY.md:{n}: {target} is listed twice"
            );
            listed.push(target);
        }
    }
    assert_eq!(
        listed.first().map(String::as_str),
        Some("README.md"),
        "the introduction comes first"
    );
    assert_eq!(
        listed.get(1).map(String::as_str),
        Some("getting-started.md"),
        "then Getting started"
    );
    let pages: BTreeSet<String> = book_pages()
        .into_iter()
        .filter(|p| p != "SUMMARY.md")
        .collect();
    let listed: BTreeSet<String> = listed.into_iter().collect();
    let missing: Vec<_> = pages.difference(&listed).collect();
    let extra: Vec<_> = listed.difference(&pages).collect();
    assert!(
        missing.is_empty(),
        "pages under docs/ that docs/SUMMARY.md does not list: {missing:?}"
    );
    assert!(
        extra.is_empty(),
        "docs/SUMMARY.md lists pages that do not exist: {extra:?}"
    );
}

#[test]
fn every_relative_link_and_anchor_resolves() {
    let mut pages: Vec<String> = book_pages()
        .into_iter()
        .map(|p| format!("docs/{p}"))
        .collect();
    pages.push("README.md".into());
    let docs = Path::new("docs");
    let mut checked = 0;
    let mut broken = Vec::new();
    for page in &pages {
        let text = read(page);
        let dir = Path::new(page).parent().unwrap();
        for (n, line) in prose_lines(&text) {
            for target in link_targets(line) {
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                checked += 1;
                let at = format!("{page}:{n}: {target}");
                let (path, anchor) = match target.split_once('#') {
                    Some((p, a)) => (p, Some(a)),
                    None => (target.as_str(), None),
                };
                let file = if path.is_empty() {
                    PathBuf::from(page)
                } else {
                    normalize(&dir.join(path))
                };
                if page.starts_with("docs/") && !file.starts_with(docs) {
                    broken.push(format!(
                        "{at}: a page of the book links outside docs/, which the book cannot follow (give the path as text, or an https:// URL)"
                    ));
                    continue;
                }
                let full = Path::new(ROOT).join(&file);
                if !full.exists() {
                    broken.push(format!("{at}: no {}", file.display()));
                    continue;
                }
                if page.starts_with("docs/") && full.is_dir() {
                    broken.push(format!(
                        "{at}: the book links pages, not folders (name its README.md)"
                    ));
                    continue;
                }
                if let Some(anchor) = anchor {
                    let target_text = std::fs::read_to_string(&full).unwrap_or_default();
                    if !anchors(&target_text).contains(anchor) {
                        broken.push(format!("{at}: no heading #{anchor} in {}", file.display()));
                    }
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} links found");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// `mdbook` on PATH, if any.
fn mdbook_on_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("mdbook"))
        .find(|p| p.is_file())
}

/// mdBook itself builds the book, without a warning. mdBook is not a dependency of the project:
/// without it on PATH the test says so and passes (CI does not install it).
#[test]
fn mdbook_builds_the_book_without_warnings() {
    let Some(mdbook) = mdbook_on_path() else {
        println!("skipped: no mdbook on PATH (cargo install --locked mdbook)");
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(&mdbook)
        .arg("build")
        .arg(Path::new(ROOT).join("docs"))
        .arg("-d")
        .arg(out.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "{} build failed:\n{stderr}",
        mdbook.display()
    );
    // mdBook logs on stderr: INFO lines are progress, anything else is a warning or an error.
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with("INFO"))
        .collect();
    assert!(
        warnings.is_empty(),
        "mdbook build warned:\n{}",
        warnings.join("\n")
    );
    assert!(out.path().join("index.html").is_file(), "no index.html");
}
