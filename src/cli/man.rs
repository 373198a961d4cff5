//! `samlcheck man [--out-dir DIR]`: the manual pages, generated from the clap definitions and
//! the rule catalog, so they list every flag and rule the binary knows.

use std::io::Write;
use std::path::PathBuf;

use clap::CommandFactory;
use clap_mangen::roff::{bold, italic, roman, Roff};
use clap_mangen::Man;

use super::examples::{caption, command_lines, uses_fixtures, Example, Outcome, CLONE_NOTE, WIDTH};
use super::{exit, Cli, CliError};
use crate::checks::catalog;
use crate::config::FILE_NAME;

pub const EXAMPLES: &[Example] = &[
    Example {
        what: "Read samlcheck(1)",
        command: "samlcheck man | man -l -",
        outcome: Outcome::Exit(exit::OK, "shown"),
    },
    Example {
        what: "Install samlcheck.1 and a page per subcommand, for `man samlcheck-lint`",
        command: "samlcheck man --out-dir ~/.local/share/man/man1",
        outcome: Outcome::Exit(exit::OK, "written"),
    },
];

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write samlcheck.1 and one page per subcommand (samlcheck-lint.1...) into this folder,
    /// made if missing, instead of printing samlcheck(1).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// What the exit codes mean, as in every `--help` that states one.
const EXIT_STATUS: [(i32, &str); 3] = [
    (
        exit::OK,
        "No error-level finding: the metadata is clean, the response was accepted, the preflight says GO.",
    ),
    (
        exit::FINDINGS,
        "Error-level findings: the response was rejected, the preflight says NO-GO. With --deny warnings, warnings count as errors.",
    ),
    (
        exit::BAD_INPUT,
        "The input could not be read or understood: a bad flag, a file that cannot be read, input that is not well-formed XML (for decode, a value that cannot be decoded to XML), or a file that is not what its flag needs (a certificate that is not one, IdP metadata for verify that is not SAML metadata). Well-formed XML that is not the SAML document checked (the metadata of lint, the response of verify and check, the message of decode) is a finding: exit status 1.",
    ),
];

/// The command line, built as clap builds it for parsing; `help` is left out of the pages.
fn command() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

fn heading(roff: &mut Roff, title: &str) {
    roff.control("SH", [title]);
}

fn exit_status(roff: &mut Roff) {
    heading(roff, "EXIT STATUS");
    for (code, meaning) in EXIT_STATUS {
        roff.control("TP", []);
        roff.text([bold(code.to_string())]);
        roff.text([roman(meaning)]);
    }
}

fn files(roff: &mut Roff) {
    heading(roff, "FILES");
    roff.control("TP", []);
    roff.text([italic(FILE_NAME)]);
    roff.text([roman(format!(
        "Read from the working directory, or from --config PATH. It gives defaults for the flags \
         (org, base_url, idp_metadata, preset, expiry_warning_days, profile), URL shapes of other \
         SaaS ([profiles.NAME]), the attribute mapping ([map]) and rule severities ([rules]: \
         \"RULE\" = \"off\", \"info\", \"warning\" or \"error\"). Flags win over it. An unknown \
         key, rule id or profile is an error naming {FILE_NAME}:LINE:COLUMN, exit status 2."
    ))]);
}

fn rules(roff: &mut Roff) {
    heading(roff, "RULES");
    roff.text([roman(
        "Every finding names one of these rules, shown with its default severity. \
         samlcheck explain RULE says what it means and how to fix it; [rules] in samlcheck.toml \
         changes a severity or turns a rule off.",
    )]);
    for r in catalog::all() {
        roff.control("TP", []);
        roff.text([bold(r.id), roman(format!(" ({})", r.severity))]);
        roff.text([roman(r.summary)]);
    }
}

fn examples(roff: &mut Roff, examples: &[Example]) {
    if examples.is_empty() {
        return;
    }
    heading(roff, "EXAMPLES");
    if uses_fixtures(examples) {
        roff.control("PP", []);
        roff.text([roman(CLONE_NOTE)]);
    }
    for e in examples {
        roff.control("PP", []);
        roff.text([roman(format!("{}:", caption(e)))]);
        roff.control("RS", ["4"]);
        roff.control("nf", []);
        // man indents examples by 11 columns; keep them within 80 as in `--help`.
        for line in command_lines(e.command, 0, WIDTH - 11) {
            roff.text([roman(line)]);
        }
        roff.control("fi", []);
        roff.control("RE", []);
    }
}

fn see_also(roff: &mut Roff, pages: &[String]) {
    heading(roff, "SEE ALSO");
    let mut inlines = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        if i > 0 {
            inlines.push(roman(", "));
        }
        inlines.push(bold(page.as_str()));
        inlines.push(roman("(1)"));
    }
    roff.text(inlines);
}

/// A page: clap's title, name, synopsis, description and options, then ours.
fn page(
    cmd: &clap::Command,
    top: bool,
    examples_of: &[Example],
    others: &[String],
) -> Result<Vec<u8>, std::io::Error> {
    let name = cmd.get_display_name().unwrap_or(cmd.get_name()).to_string();
    let man = Man::new(cmd.clone());
    // The title line is written here, since roff drops an empty argument (the date) and
    // shifts the others; no hyphenation and a ragged right keep flags and rule ids whole.
    let mut out = format!(
        ".TH {} 1 \"\" \"samlcheck {}\" \"samlcheck manual\"\n.nh\n.ad l\n",
        name.to_uppercase(),
        env!("CARGO_PKG_VERSION")
    )
    .into_bytes();
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut out)?;
    }
    if top {
        man.render_subcommands_section(&mut out)?;
    }
    let mut roff = Roff::new();
    exit_status(&mut roff);
    if top || cmd.get_arguments().any(|a| a.get_id() == "config") {
        files(&mut roff);
    }
    if top {
        rules(&mut roff);
    }
    examples(&mut roff, examples_of);
    see_also(&mut roff, others);
    roff.to_writer(&mut out)?;
    // clap_mangen's version section unwraps the version, which only the top command has.
    if cmd.get_version().is_some() {
        man.render_version_section(&mut out)?;
    }
    Ok(once_preamble(&out))
}

/// Each clap_mangen section repeats roff's two-line apostrophe preamble; once is enough.
fn once_preamble(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let mut seen = [false, false];
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let slot = match line.trim_end() {
            r".ie \n(.g .ds Aq \(aq" => Some(0),
            r".el .ds Aq '" => Some(1),
            _ => None,
        };
        if let Some(i) = slot {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
        }
        out.push_str(line);
    }
    out.into_bytes()
}

/// Every page: `samlcheck.1`, then `samlcheck-NAME.1` per subcommand, as file name and roff.
pub fn pages() -> Vec<(String, Vec<u8>)> {
    let cmd = command();
    let subcommands: Vec<&clap::Command> = cmd.get_subcommands().collect();
    let names: Vec<String> = subcommands
        .iter()
        .map(|s| format!("samlcheck-{}", s.get_name()))
        .collect();
    // Writing to a Vec cannot fail.
    let mut out = vec![(
        "samlcheck.1".to_string(),
        page(&cmd, true, super::examples_of(None), &names).unwrap_or_default(),
    )];
    for (sub, name) in subcommands.iter().zip(&names) {
        let roff = page(
            sub,
            false,
            super::examples_of(Some(sub.get_name())),
            &["samlcheck".to_string()],
        )
        .unwrap_or_default();
        out.push((format!("{name}.1"), roff));
    }
    out
}

pub fn run(args: ManArgs) -> Result<i32, CliError> {
    let pages = pages();
    let Some(dir) = args.out_dir else {
        super::print_bytes(&pages[0].1)?;
        return Ok(exit::OK);
    };
    std::fs::create_dir_all(&dir).map_err(|source| CliError::Write {
        path: format!("--out-dir {}", dir.display()),
        source,
    })?;
    let mut out = std::io::stdout().lock();
    for (name, roff) in &pages {
        let path = dir.join(name);
        std::fs::write(&path, roff).map_err(|source| CliError::Write {
            path: format!("{} (--out-dir {})", path.display(), dir.display()),
            source,
        })?;
        let _ = writeln!(out, "{}", path.display());
    }
    Ok(exit::OK)
}
