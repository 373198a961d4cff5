//! `samlcheck man`: samlcheck(1) and one page per subcommand, generated from the clap
//! definitions and the rule catalog, that groff and man render without a warning.

mod cli_support;
mod external_support;

use std::path::Path;
use std::process::Command;

use cli_support::{samlcheck, subcommands};
use external_support::require;
use samlcheck::cli::examples::{caption, command_lines, WIDTH};

/// Text as roff writes it in a text line.
fn roff(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('-', "\\-")
        .replace('\'', "\\*(Aq")
}

/// The lines of section `name`, up to the next `.SH`.
fn section<'a>(page: &'a str, name: &str) -> &'a str {
    // roff quotes a heading with a space.
    let heading = if name.contains(' ') {
        format!("\n.SH \"{name}\"\n")
    } else {
        format!("\n.SH {name}\n")
    };
    let start = page
        .find(&heading)
        .unwrap_or_else(|| panic!("no .SH {name}"))
        + heading.len();
    let rest = &page[start..];
    &rest[..rest.find("\n.SH ").map_or(rest.len(), |e| e + 1)]
}

fn main_page() -> String {
    let (code, page, err) = samlcheck(&["man"]);
    assert_eq!((code, err.as_str()), (0, ""));
    page
}

#[test]
fn the_page_has_a_title_every_subcommand_and_our_sections() {
    let page = main_page();
    assert!(
        page.starts_with(&format!(
            ".TH SAMLCHECK 1 \"\" \"samlcheck {}\" \"samlcheck manual\"\n.nh\n.ad l\n",
            env!("CARGO_PKG_VERSION")
        )),
        "{}",
        &page[..200]
    );
    let headings: Vec<&str> = page
        .lines()
        .filter_map(|l| l.strip_prefix(".SH "))
        .map(|h| h.trim_matches('"'))
        .collect();
    assert_eq!(
        headings,
        [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "OPTIONS",
            "SUBCOMMANDS",
            "EXIT STATUS",
            "FILES",
            "RULES",
            "EXAMPLES",
            "SEE ALSO",
            "VERSION"
        ]
    );
    let section_text = section(&page, "SUBCOMMANDS");
    let listed: Vec<&str> = section_text
        .lines()
        .filter(|l| l.starts_with("samlcheck\\-"))
        .collect();
    let expected: Vec<String> = subcommands()
        .iter()
        .map(|s| format!("samlcheck\\-{}(1)", roff(s)))
        .collect();
    assert_eq!(listed, expected);

    assert_eq!(
        section(&page, "EXIT STATUS"),
        ".TP\n\\fB0\\fR\nNo error\\-level finding: the metadata is clean, the response was accepted, the preflight says GO.\n\
         .TP\n\\fB1\\fR\nError\\-level findings: the response was rejected, the preflight says NO\\-GO. With \\-\\-deny warnings, warnings count as errors.\n\
         .TP\n\\fB2\\fR\nThe input could not be read or understood: a bad flag, a file that cannot be read, input that is not well\\-formed XML (for decode, a value that cannot be decoded to XML), or a file that is not what its flag needs (a certificate that is not one, IdP metadata for verify that is not SAML metadata). Well\\-formed XML that is not the SAML document checked (the metadata of lint, the response of verify and check, the message of decode) is a finding: exit status 1.\n"
    );
    let files = section(&page, "FILES");
    assert!(files.starts_with(".TP\n\\fIsamlcheck.toml\\fR\nRead from the working directory, or from \\-\\-config PATH."), "{files}");
    let examples = section(&page, "EXAMPLES");
    assert!(
        examples.starts_with(".PP\nRun these from the root of a clone of samlcheck: they use the files of its fixtures/ folder.\n.PP\nA test login through a mock IdP and a mock SP on loopback, then the same login with an IdP fault, explained (exit 0: both went as expected):\n.RS 4\n.nf\nsamlcheck demo\n.fi\n.RE\n"),
        "{examples}"
    );
}

#[test]
fn the_rules_section_is_the_catalog() {
    let page = main_page();
    let mut expected = String::from(
        "Every finding names one of these rules, shown with its default severity. samlcheck explain RULE says what it means and how to fix it; [rules] in samlcheck.toml changes a severity or turns a rule off.\n",
    );
    let mut count = 0;
    for r in samlcheck::checks::catalog::all() {
        expected.push_str(&format!(
            ".TP\n\\fB{}\\fR ({})\n{}\n",
            roff(r.id),
            r.severity,
            roff(r.summary)
        ));
        count += 1;
    }
    assert!(count > 80, "{count} rules");
    assert_eq!(section(&page, "RULES"), expected);
}

#[test]
fn out_dir_writes_one_page_per_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("man").join("man1");
    let (code, stdout, stderr) = samlcheck(&["man", "--out-dir", out_dir.to_str().unwrap()]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let mut names = vec!["samlcheck.1".to_string()];
    names.extend(subcommands().iter().map(|s| format!("samlcheck-{s}.1")));
    let printed: Vec<String> = names
        .iter()
        .map(|n| format!("{}\n", out_dir.join(n).display()))
        .collect();
    assert_eq!(stdout, printed.concat());
    let mut on_disk: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    on_disk.sort();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(on_disk, sorted);

    // The main page is the one `samlcheck man` prints.
    assert_eq!(
        std::fs::read_to_string(out_dir.join("samlcheck.1")).unwrap(),
        main_page()
    );
    for sub in &subcommands() {
        let page = std::fs::read_to_string(out_dir.join(format!("samlcheck-{sub}.1"))).unwrap();
        let title = format!("SAMLCHECK-{}", sub.to_uppercase());
        assert!(
            page.starts_with(&format!(".TH {title} 1 \"\"")),
            "{sub}: {}",
            &page[..80]
        );
        assert!(
            page.contains(&format!("\n.SH NAME\nsamlcheck\\-{} \\- ", roff(sub))),
            "{sub}"
        );
        let headings: Vec<&str> = page
            .lines()
            .filter_map(|l| l.strip_prefix(".SH "))
            .map(|h| h.trim_matches('"'))
            .collect();
        assert!(headings.contains(&"EXIT STATUS"), "{sub}: {headings:?}");
        assert!(headings.contains(&"EXAMPLES"), "{sub}: {headings:?}");
        assert_eq!(
            section(&page, "SEE ALSO"),
            "\\fBsamlcheck\\fR(1)\n",
            "{sub}"
        );
        // The examples are those of the subcommand's --help, wrapped for man's indent.
        let mut expected = String::new();
        let of = samlcheck::cli::examples_of(Some(sub));
        if of.iter().any(|e| {
            e.command
                .split_whitespace()
                .any(|w| w.starts_with("fixtures/"))
        }) {
            expected.push_str(".PP\nRun these from the root of a clone of samlcheck: they use the files of its fixtures/ folder.\n");
        }
        for e in of {
            expected.push_str(&format!(".PP\n{}:\n.RS 4\n.nf\n", roff(&caption(e))));
            for line in command_lines(e.command, 0, WIDTH - 11) {
                expected.push_str(&roff(&line));
                expected.push('\n');
            }
            expected.push_str(".fi\n.RE\n");
        }
        assert_eq!(section(&page, "EXAMPLES"), expected, "{sub}");
    }
    let lint = std::fs::read_to_string(out_dir.join("samlcheck-lint.1")).unwrap();
    assert!(lint.contains("\\fB\\-\\-signer\\-cert\\fR"), "{lint}");
    assert!(lint.contains("samlcheck lint fixtures/metadata/okta.xml\n"));
}

#[test]
fn out_dir_that_is_a_file_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("taken");
    std::fs::write(&file, "x").unwrap();
    let (code, stdout, stderr) = samlcheck(&["man", "--out-dir", file.to_str().unwrap()]);
    assert_eq!(
        (code, stdout.as_str(), stderr),
        (
            2,
            "",
            format!(
                "samlcheck: cannot write --out-dir {}: File exists (os error 17)\n",
                file.display()
            )
        )
    );
}

/// groff's output of `page` at 80 columns, after checking it warned of nothing.
fn groff(groff: &Path, page: &Path) -> String {
    let out = Command::new(groff)
        .args(["-man", "-Tutf8", "-ww", "-rLL=78n", "-P-c", "-P-b", "-P-u"])
        .arg(page)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        (out.status.code(), err.as_ref()),
        (Some(0), ""),
        "{}",
        page.display()
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn groff_and_man_render_every_page_without_a_warning() {
    let Some(tools) = require(
        "groff_and_man_render_every_page_without_a_warning",
        &["groff", "man"],
        "groff-base man-db",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (code, _, _) = samlcheck(&["man", "--out-dir", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    let mut pages: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    assert_eq!(pages.len(), 13);
    for page in &pages {
        let text = groff(&tools[0], page);
        for line in text.lines() {
            assert!(
                line.chars().count() <= 80,
                "{}: wider than 80 columns: {line:?}",
                page.display()
            );
        }
    }
    let main = groff(&tools[0], &dir.path().join("samlcheck.1"));
    for r in samlcheck::checks::catalog::all() {
        assert!(
            main.contains(&format!("\n       {} ({})\n", r.id, r.severity)),
            "{}",
            r.id
        );
    }
    assert!(main.contains("\nEXIT STATUS\n       0      No error-level finding"));
    assert!(main.contains("\n           samlcheck demo\n"), "{main}");

    // man-db reads the page as a user would (`samlcheck man | man -l -`).
    let out = Command::new(&tools[1])
        .args(["-l"])
        .arg(dir.path().join("samlcheck-lint.1"))
        .env("MANWIDTH", "80")
        // A locale every glibc has, so man-db has nothing to warn about.
        .env("LC_ALL", "C.UTF-8")
        .env("MAN_KEEP_FORMATTING", "")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!((out.status.code(), err.as_ref()), (Some(0), ""));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("samlcheck-lint - Lint IdP metadata"),
        "{text}"
    );
    assert!(text.contains("--signer-cert <FILE>"), "{text}");
}
