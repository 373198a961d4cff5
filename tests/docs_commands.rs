//! Every command the docs show runs: README.md, fixtures/README.md and every page of the book (docs/**/*.md) cannot
//! drift from the binary.
//!
//! Conventions of the pages (docs/README.md says them for authors):
//! - Commands live in ```sh blocks. A line starting with `samlcheck ` is a command (README.md runs
//!   it from the clone as `cargo run --release -- `, which stands for `samlcheck `); it continues
//!   over lines ending in `\`. A line that pipes into samlcheck (`cat FILE | samlcheck decode -`)
//!   is a command too; it runs through `sh -c` with the built binary first on PATH.
//! - The line after a command says what must happen:
//!   - `# exit N`, optionally `: WORD...`, each word of which must appear in its stdout; a
//!     "double-quoted phrase" (or a 'single-quoted' one, for text with double quotes) must
//!     appear as it is, and a word or phrase after `!` (`!word`, `!"a phrase"`) must not
//!     appear;
//!   - `# runs until interrupted: WORD...` for a server (`serve`, `idp`): the test starts it on a
//!     free loopback port unless it names `--listen`, waits until each word appears in its
//!     output and it answers HTTP, and stops it when the block ends. Later commands of the block
//!     reach it on its default port (8080 for `serve`, 8081 for `idp`), which the test maps to
//!     the real one, in both directions.
//! - A ```text block right after a ```sh block of one command is that command's exact output
//!   (the free ports of `demo` aside); `UPDATE_DOCS=1 cargo test --test docs_commands` rewrites
//!   those blocks.
//! - Commands run from the repository root on the bundled fixtures: every file they name exists
//!   under fixtures/ (only `--output` and `--out-dir` name new files, under /tmp/), and metadata
//!   comes from a
//!   file or from a server started earlier in the block, never from the network.
//! - The other lines of a ```sh block are not run: comments, and the tools of [`NOT_RUN`], each
//!   with the reason; the repository files, benches, tests and fuzz targets they name must exist.
//! - Shell-like fences other than ```sh (```bash, ```console...) are refused, and so is a fence
//!   without a language holding a command line (one starting with `$ `, `samlcheck `, `cargo `
//!   or `bash `), so that no command hides in a block the test does not read: commands go in
//!   ```sh, what they print in ```text.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::ops::Range;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const BIN: &str = env!("CARGO_BIN_EXE_samlcheck");

/// The pages the issue asks for, one per product.
const VENDORS: [&str; 9] = [
    "okta",
    "entra",
    "google",
    "onelogin",
    "auth0",
    "authentik",
    "jumpcloud",
    "keycloak",
    "adfs",
];

/// How a line names samlcheck: installed, or run from the clone (README.md).
const PROGRAMS: [&str; 2] = ["samlcheck ", "cargo run --release -- "];

/// Programs shown in ```sh blocks that this test does not run, and why.
const NOT_RUN: &[(&str, &str)] = &[
    (
        "cargo install",
        "installs samlcheck or a tool; the test runs the binary cargo built",
    ),
    (
        "cargo build",
        "builds samlcheck; the test runs the binary cargo built",
    ),
    ("cargo test", "the test suite, this test included"),
    (
        "cargo bench",
        "benchmarks take minutes; docs/performance.md records what they measured",
    ),
    (
        "cargo fuzz",
        "fuzzing takes minutes per target; docs/security.md records the runs",
    ),
    (
        "apt-get",
        "Debian packages, installed as root (.ci/run installs what the tests need)",
    ),
    ("pip", "Python packages for the test oracles"),
    (
        "bash",
        "a repository script (benchmarks, fuzz seeds) that takes minutes",
    ),
    ("perf", "profiling with Linux perf, on a build made for it"),
    ("for", "a timing loop around the release binary"),
    (
        "hyperfine",
        "timing the release binary takes a quiet machine; docs/performance.md records the runs",
    ),
    (
        "/usr/bin/time",
        "peak memory of the release binary, recorded in docs/performance.md",
    ),
    (
        "mdbook",
        "builds the book's HTML; mdbook is not a dependency of the project",
    ),
];

/// Commands shown without an expectation line, with the expectation the test holds them to.
struct Unmarked {
    page: &'static str,
    command: &'static str,
    exit: i32,
    words: &'static [&'static str],
    why: &'static str,
}

const UNMARKED: &[Unmarked] = &[Unmarked {
    page: "README.md",
    command: "samlcheck demo",
    exit: 0,
    words: &["ACCEPTED", "REJECTED", "expected."],
    why: "the first screen of README.md stays as the issue wrote it: two commands, no test markup",
}];

/// Fences a reader takes for commands; only ```sh is run, so the others are refused.
const SHELL_LIKE: [&str; 6] = [
    "bash",
    "shell",
    "console",
    "zsh",
    "sh-session",
    "shell-session",
];

/// How a line of a fence without a language starts when it is a command.
const COMMAND_STARTS: [&str; 4] = ["$ ", "samlcheck ", "cargo ", "bash "];

/// Arguments that name a file when they start or end so (other words, such as `xml/doctype` or
/// `email=mail`, are not files).
const PATH_PREFIXES: [&str; 8] = [
    "fixtures/",
    "docs/",
    "tests/",
    "benches/",
    "fuzz/",
    "src/",
    "examples/",
    "/tmp/",
];
const PATH_SUFFIXES: [&str; 11] = [
    ".xml", ".har", ".json", ".pem", ".crt", ".key", ".b64", ".form", ".toml", ".sh", ".py",
];

#[derive(Debug, Clone, PartialEq)]
enum Expect {
    Exit { code: i32, words: Vec<Needle> },
    Server { words: Vec<String> },
}

/// A word or phrase of an expectation line, and whether the output must contain it or not.
#[derive(Debug, Clone, PartialEq)]
struct Needle {
    text: String,
    present: bool,
}

/// The words and phrases after `# exit N:` or `# runs until interrupted:`: whitespace
/// separates bare words; "..." or '...' makes one phrase, spaces included (its closing quote
/// ends the word); a leading `!` says the word or phrase must not appear.
fn needles(text: &str) -> Result<Vec<Needle>, String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else {
            return Ok(out);
        };
        let present = first != '!';
        if !present {
            chars.next();
        }
        let mut word = String::new();
        match chars.peek().copied() {
            Some(q @ ('"' | '\'')) => {
                chars.next();
                loop {
                    match chars.next() {
                        Some(c) if c == q => break,
                        Some(c) => word.push(c),
                        None => return Err(format!("unclosed {q} in {text:?}")),
                    }
                }
                if chars.peek().is_some_and(|c| !c.is_whitespace()) {
                    return Err(format!(
                        "a phrase is followed by a space or the end of the line, in {text:?}"
                    ));
                }
            }
            _ => {
                while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                    word.push(c);
                }
            }
        }
        if word.trim().is_empty() {
            return Err(format!("an empty word or phrase in {text:?}"));
        }
        out.push(Needle {
            text: word,
            present,
        });
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Invocation {
    /// The words after `samlcheck`, run without a shell.
    Args(Vec<String>),
    /// A pipeline into samlcheck, run by `sh -c`.
    Shell(String),
}

/// One documented command.
#[derive(Debug)]
struct Documented {
    line: usize,
    /// As written, continuations joined, `cargo run --release -- ` made `samlcheck `.
    text: String,
    invocation: Invocation,
    expect: Expect,
    /// Index of its ```sh block in the page: servers live until their block ends.
    block: usize,
    /// The lines of the ```text block that shows its output, when there is one, and the
    /// indentation of its fence (inside a list item), which its lines carry too.
    output: Option<(Range<usize>, usize)>,
}

/// A line of a ```sh block that is shown, not run.
#[derive(Debug)]
struct Shown {
    line: usize,
    text: String,
}

#[derive(Debug, Default)]
struct Page {
    commands: Vec<Documented>,
    shown: Vec<Shown>,
    /// UNMARKED entries this page used.
    unmarked: Vec<&'static str>,
}

/// Splits a command line as a POSIX shell would for the quoting the pages use: spaces
/// separate words, '...' and "..." quote, a backslash escapes the next character.
fn shell_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("unclosed '".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => word.extend(chars.next()),
                        Some('$' | '`') => {
                            return Err("no expansions in documented commands".into())
                        }
                        Some(c) => word.push(c),
                        None => return Err("unclosed \"".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                word.extend(chars.next());
            }
            '|' | '>' | '<' | ';' | '&' | '$' | '`' => {
                return Err(format!("no shell syntax ({c}) in documented commands"))
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

/// The words of a line shown, not run: quotes group, a `#` that starts a word starts a comment,
/// and shell syntax is left as words.
fn loose_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, ' ' | '\t') => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, '#') if !in_word => break,
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// `samlcheck ...` for the forms of [`PROGRAMS`]; None for any other line.
fn as_samlcheck(line: &str) -> Option<String> {
    PROGRAMS
        .iter()
        .find_map(|p| line.strip_prefix(p))
        .map(|rest| format!("samlcheck {rest}"))
}

/// Whether a line pipes into samlcheck.
fn is_pipeline(line: &str) -> bool {
    line.contains("| samlcheck ")
}

/// The words of a pipeline's stages; only `|` joins them.
fn pipeline_words(text: &str) -> Result<Vec<Vec<String>>, String> {
    let stages: Vec<Vec<String>> = text.split('|').map(shell_words).collect::<Result<_, _>>()?;
    if stages.iter().any(Vec::is_empty) {
        return Err("an empty stage".into());
    }
    Ok(stages)
}

fn parse_expect(page: &str, line: usize, text: &str) -> Option<Expect> {
    let words = |w: &str| needles(w).unwrap_or_else(|e| panic!("{page}:{line}: {e}"));
    if let Some(rest) = text.strip_prefix("# exit ") {
        let (code, w) = match rest.split_once(':') {
            Some((c, w)) => (c, words(w)),
            None => (rest, Vec::new()),
        };
        let code = code
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{page}:{line}: bad exit code {code:?}"));
        return Some(Expect::Exit { code, words: w });
    }
    if let Some(rest) = text.strip_prefix("# runs until interrupted") {
        let w = rest
            .strip_prefix(':')
            .map(words)
            .filter(|w| !w.is_empty())
            .unwrap_or_else(|| {
                panic!("{page}:{line}: `# runs until interrupted: WORD...` names what it prints")
            });
        assert!(
            w.iter().all(|n| n.present),
            "{page}:{line}: a server is waited for until it prints its words: no `!` here"
        );
        return Some(Expect::Server {
            words: w.into_iter().map(|n| n.text).collect(),
        });
    }
    None
}

fn parse(page: &str, text: &str) -> Page {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Page::default();
    let mut blocks = 0;
    let mut i = 0;
    while i < lines.len() {
        let Some(lang) = lines[i].trim().strip_prefix("```") else {
            i += 1;
            continue;
        };
        let lang = lang.trim();
        assert!(
            !SHELL_LIKE.contains(&lang),
            "{page}:{}: a ```{lang} block: write ```sh (its commands run) or ```text (shown, not run)",
            i + 1
        );
        i += 1;
        if lang != "sh" {
            while i < lines.len() && !lines[i].trim().starts_with("```") {
                let t = lines[i].trim_start();
                assert!(
                    !lang.is_empty() || !COMMAND_STARTS.iter().any(|c| t.starts_with(c)),
                    "{page}:{}: a command in a fence without a language: put commands in ```sh and their output in ```text",
                    i + 1
                );
                i += 1;
            }
            i += 1;
            continue;
        }
        blocks += 1;
        let first_in_block = out.commands.len();
        while i < lines.len() && !lines[i].trim().starts_with("```") {
            let t = lines[i].trim();
            if t.is_empty() {
                i += 1;
                continue;
            }
            if t.starts_with('#') {
                assert!(
                    parse_expect(page, i + 1, t).is_none(),
                    "{page}:{}: `{t}` follows no command",
                    i + 1
                );
                i += 1;
                continue;
            }
            // One logical line, over continuations.
            let start = i;
            let mut joined = String::new();
            loop {
                assert!(
                    i < lines.len() && !lines[i].trim().starts_with("```"),
                    "{page}:{}: unfinished command",
                    start + 1
                );
                let l = lines[i].trim();
                i += 1;
                match l.strip_suffix('\\') {
                    Some(head) => {
                        joined.push_str(head.trim_end());
                        joined.push(' ');
                    }
                    None => {
                        joined.push_str(l);
                        break;
                    }
                }
            }
            let invocation = if let Some(cmd) = as_samlcheck(&joined) {
                let words =
                    shell_words(&cmd).unwrap_or_else(|e| panic!("{page}:{}: {e}", start + 1));
                joined = cmd;
                Invocation::Args(words[1..].to_vec())
            } else if is_pipeline(&joined) {
                pipeline_words(&joined).unwrap_or_else(|e| panic!("{page}:{}: {e}", start + 1));
                Invocation::Shell(joined.clone())
            } else {
                out.shown.push(Shown {
                    line: start + 1,
                    text: joined,
                });
                continue;
            };
            let next = lines.get(i).map(|l| l.trim()).unwrap_or("");
            let expect = match parse_expect(page, i + 1, next) {
                Some(e) => {
                    i += 1;
                    e
                }
                None => {
                    let u = UNMARKED
                        .iter()
                        .find(|u| u.page == page && u.command == joined)
                        .unwrap_or_else(|| {
                            panic!(
                                "{page}:{}: the command is not followed by `# exit N` or `# runs until interrupted: WORD...`",
                                start + 1
                            )
                        });
                    out.unmarked.push(u.command);
                    Expect::Exit {
                        code: u.exit,
                        words: u
                            .words
                            .iter()
                            .map(|w| Needle {
                                text: w.to_string(),
                                present: true,
                            })
                            .collect(),
                    }
                }
            };
            out.commands.push(Documented {
                line: start + 1,
                text: joined,
                invocation,
                expect,
                block: blocks,
                output: None,
            });
        }
        // The closing fence, then maybe the output of the block's only command.
        i += 1;
        let mut j = i;
        while j < lines.len() && lines[j].trim().is_empty() {
            j += 1;
        }
        let in_block = out.commands.len() - first_in_block;
        if in_block > 0 && j < lines.len() && lines[j].trim() == "```text" {
            assert_eq!(
                in_block,
                1,
                "{page}:{}: an output block follows a block of several commands",
                j + 1
            );
            let last = out.commands.last_mut().unwrap();
            assert!(
                matches!(last.expect, Expect::Exit { .. }),
                "{page}:{}: a server's output is not shown as exact output",
                j + 1
            );
            let body = j + 1;
            let mut end = body;
            while end < lines.len() && lines[end].trim() != "```" {
                end += 1;
            }
            let indent = lines[j].len() - lines[j].trim_start().len();
            last.output = Some((body..end, indent));
            i = end + 1;
        }
    }
    out
}

/// The words a command's file arguments are: `--opt=value` gives its value.
fn file_arguments(words: &[String]) -> Vec<(Option<&str>, &str)> {
    let mut out = Vec::new();
    let mut previous: Option<&str> = None;
    for w in words {
        let (option, value) = match w.split_once('=') {
            Some((o, v)) if o.starts_with('-') => (Some(o), v),
            _ => (previous.filter(|p| p.starts_with("--")), w.as_str()),
        };
        let looks_like_path = !value.contains("://")
            && !value.starts_with('-')
            && (PATH_PREFIXES.iter().any(|p| value.starts_with(p))
                || PATH_SUFFIXES.iter().any(|s| value.ends_with(s)));
        if looks_like_path {
            out.push((option, value));
        }
        previous = Some(w);
    }
    out
}

/// The repository files a shown (not run) line names must exist; placeholders and build
/// output are skipped.
fn check_shown(page: &str, s: &Shown) {
    let at = format!("{page}:{}", s.line);
    let owned = loose_words(&s.text);
    let mut words: Vec<&str> = owned.iter().map(String::as_str).collect();
    // Leading VAR=value assignments, as in `RUSTC_BOOTSTRAP=1 cargo fuzz ...`.
    while words.first().is_some_and(|w| {
        w.split_once('=').is_some_and(|(k, _)| {
            !k.is_empty() && k.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        })
    }) {
        words.remove(0);
    }
    let program = words.join(" ");
    assert!(
        NOT_RUN
            .iter()
            .any(|(p, _)| program == *p || program.starts_with(&format!("{p} "))),
        "{at}: `{}` is neither a samlcheck command nor a tool this test knows not to run (NOT_RUN)",
        s.text
    );
    let placeholder = |w: &str| {
        w.contains("...")
            || w.contains('{')
            || w.contains('<')
            || w.contains('*')
            || w.contains('$')
            || w.split('/').any(|part| {
                part.len() > 1 && part.chars().all(|c| c.is_ascii_uppercase() || c == '_')
            })
    };
    for w in &words {
        let value = w.rsplit('=').next().unwrap_or(w);
        let value = value.trim_end_matches([';', ')']);
        let generated = ["fuzz/corpus/", "fuzz/artifacts/", "target/", "/tmp/"];
        if PATH_PREFIXES.iter().any(|p| value.starts_with(p))
            && !generated.iter().any(|g| value.starts_with(g))
            && !placeholder(value)
        {
            assert!(
                Path::new(ROOT).join(value).exists(),
                "{at}: {value} does not exist"
            );
        }
    }
    // Benches, tests and fuzz targets named to cargo exist.
    for (flag, dir) in [("--bench", "benches"), ("--test", "tests")] {
        if !program.starts_with("cargo ") {
            break;
        }
        if let Some(name) = words.iter().skip_while(|w| **w != flag).nth(1) {
            assert!(
                Path::new(ROOT)
                    .join(dir)
                    .join(format!("{name}.rs"))
                    .exists(),
                "{at}: no {dir}/{name}.rs"
            );
        }
    }
    if program.starts_with("cargo fuzz run") || program.starts_with("cargo fuzz tmin") {
        let target = words[3..]
            .iter()
            .find(|w| !w.starts_with('-'))
            .unwrap_or_else(|| panic!("{at}: which fuzz target?"));
        if !placeholder(target) {
            assert!(
                Path::new(ROOT)
                    .join("fuzz/fuzz_targets")
                    .join(format!("{target}.rs"))
                    .exists(),
                "{at}: no fuzz target {target}"
            );
        }
    }
}

/// The words of a command, whichever way it runs.
fn all_words(inv: &Invocation) -> Vec<Vec<String>> {
    match inv {
        Invocation::Args(a) => vec![a.clone()],
        Invocation::Shell(s) => pipeline_words(s)
            .unwrap()
            .into_iter()
            .map(|mut stage| {
                if stage[0] == "samlcheck" {
                    stage.remove(0);
                }
                stage
            })
            .collect(),
    }
}

/// Files exist under fixtures/ (`--output`, `--out-dir` and `--report`'s path under /tmp/); metadata is never
/// fetched from the network, only from a server of the block (`http://127.0.0.1:PORT` with a
/// port in `ports`).
fn check_inputs(at: &str, c: &Documented, ports: &[(u16, u16)]) {
    for words in all_words(&c.invocation) {
        for (option, value) in file_arguments(&words) {
            if matches!(option, Some("--output" | "--out-dir" | "--report")) {
                // `--report FORMAT=PATH`: the path is after the format.
                let written = match option {
                    Some("--report") => value.split_once('=').map_or(value, |(_, path)| path),
                    _ => value,
                };
                assert!(
                    written.starts_with("/tmp/"),
                    "{at}: a documented command writes under /tmp/ only, not {value}"
                );
                continue;
            }
            assert!(
                value.starts_with("fixtures/"),
                "{at}: documented commands run on the bundled fixtures, not {value}"
            );
            assert!(
                Path::new(ROOT).join(value).exists(),
                "{at}: {value} does not exist"
            );
        }
        let fetched = ["--idp-metadata", "--sp-metadata"];
        let lint = words.first().is_some_and(|w| w == "lint");
        for (k, w) in words.iter().enumerate() {
            let is_source = (k > 0 && fetched.contains(&words[k - 1].as_str()))
                || (lint && !w.starts_with('-'));
            if is_source && w.contains("://") {
                let local = ports
                    .iter()
                    .any(|(default, _)| w.starts_with(&format!("http://127.0.0.1:{default}/")));
                assert!(
                    local,
                    "{at}: {w}: documented commands take metadata from fixtures/ or from a server started earlier in the block"
                );
            }
        }
    }
}

/// `text` with `127.0.0.1:FROM` made `127.0.0.1:TO` for each pair.
fn map_ports(text: &str, pairs: &[(u16, u16)]) -> String {
    let mut out = text.to_string();
    for (from, to) in pairs {
        out = out.replace(&format!("127.0.0.1:{from}"), &format!("127.0.0.1:{to}"));
    }
    out
}

/// For `demo`, whose servers take free ports: every loopback port made `PORT`, and runs of
/// spaces (the padding after a port) made one.
fn without_ports(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("127.0.0.1:") {
        out.push_str(&rest[..at]);
        out.push_str("127.0.0.1:PORT");
        rest = rest[at + "127.0.0.1:".len()..].trim_start_matches(|c: char| c.is_ascii_digit());
    }
    out.push_str(rest);
    out.lines()
        .map(|l| {
            l.split(' ')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn command_for(inv: &Invocation, ports: &[(u16, u16)]) -> Command {
    match inv {
        Invocation::Args(args) => {
            let mut cmd = Command::new(BIN);
            cmd.args(args.iter().map(|a| map_ports(a, ports)));
            cmd
        }
        Invocation::Shell(line) => {
            let dir = Path::new(BIN).parent().unwrap();
            let path = std::env::var_os("PATH").unwrap_or_default();
            let mut paths = vec![dir.to_path_buf()];
            paths.extend(std::env::split_paths(&path));
            let mut cmd = Command::new("sh");
            cmd.arg("-c")
                .arg(map_ports(line, ports))
                .env("PATH", std::env::join_paths(paths).unwrap());
            cmd
        }
    }
}

/// What a child printed so far, on stdout and on stderr, and the threads that read it.
struct Captured {
    stdout: Arc<Mutex<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

impl Captured {
    /// Bytes are kept as read and decoded here, so a character split between two reads stays
    /// whole.
    fn text(&self) -> (String, String) {
        let decode =
            |b: &Arc<Mutex<Vec<u8>>>| String::from_utf8_lossy(&b.lock().unwrap()).into_owned();
        (decode(&self.stdout), decode(&self.stderr))
    }
}

/// Reads a child's stdout and stderr as they come.
fn capture(child: &mut Child) -> Captured {
    let stdout = Arc::new(Mutex::new(Vec::new()));
    let stderr = Arc::new(Mutex::new(Vec::new()));
    let mut readers = Vec::new();
    let pipes: [(Option<Box<dyn Read + Send>>, _); 2] = [
        (
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
            stdout.clone(),
        ),
        (
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
            stderr.clone(),
        ),
    ];
    for (pipe, buf) in pipes {
        let Some(mut pipe) = pipe else { continue };
        readers.push(std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                buf.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
        }));
    }
    Captured {
        stdout,
        stderr,
        readers,
    }
}

/// Runs a command to its end (at most two minutes): exit code, stdout, stderr.
fn run(at: &str, inv: &Invocation, ports: &[(u16, u16)]) -> (i32, String, String) {
    let mut child = command_for(inv, ports)
        .current_dir(ROOT)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut captured = capture(&mut child);
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{at}: still running after 120 s (a server needs `# runs until interrupted`)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // The pipes close when the command ends: the readers have everything.
    for r in captured.readers.drain(..) {
        r.join().unwrap();
    }
    let (out, err) = captured.text();
    (
        status.code().unwrap_or(-1),
        map_ports(&out, &reverse(ports)),
        map_ports(&err, &reverse(ports)),
    )
}

fn reverse(ports: &[(u16, u16)]) -> Vec<(u16, u16)> {
    ports.iter().map(|(a, b)| (*b, *a)).collect()
}

/// A documented server, stopped when its block ends (or the test fails).
struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts a server command; returns it with (default port, real port) when the test picked
/// the port.
fn start_server(
    at: &str,
    c: &Documented,
    words: &[String],
    ports: &[(u16, u16)],
) -> (Server, Option<(u16, u16)>) {
    let Invocation::Args(args) = &c.invocation else {
        panic!("{at}: a server runs as a plain command, not in a pipeline");
    };
    let default = match args.first().map(String::as_str) {
        Some("serve") => 8080,
        Some("idp") => 8081,
        other => panic!("{at}: only `serve` and `idp` run until interrupted, not {other:?}"),
    };
    let mut inv_args = args.clone();
    let picked = !args
        .iter()
        .any(|a| a == "--listen" || a.starts_with("--listen="));
    if picked {
        inv_args.extend(["--listen".to_string(), "127.0.0.1:0".to_string()]);
    }
    let mut child = command_for(&Invocation::Args(inv_args), ports)
        .current_dir(ROOT)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let captured = capture(&mut child);
    let mut server = Server { child };
    let deadline = Instant::now() + Duration::from_secs(60);
    let both = || {
        let (out, err) = captured.text();
        out + &err
    };
    let port = loop {
        let text = both();
        if let Some(rest) = text.split("listening on http://127.0.0.1:").nth(1) {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(p) = digits.parse::<u16>() {
                break p;
            }
        }
        if let Some(status) = server.child.try_wait().unwrap() {
            panic!("{at}: the server exited ({status}) before listening:\n{text}");
        }
        assert!(
            Instant::now() < deadline,
            "{at}: no `listening on http://127.0.0.1:PORT` within 60 s:\n{text}"
        );
        std::thread::sleep(Duration::from_millis(30));
    };
    let mapping = picked.then_some((default, port));
    let mut back = reverse(ports);
    back.extend(mapping.map(|(d, p)| (p, d)));
    loop {
        let text = map_ports(&both(), &back);
        if words.iter().all(|w| text.contains(w.as_str())) {
            break;
        }
        if let Some(status) = server.child.try_wait().unwrap() {
            panic!("{at}: the server exited ({status}):\n{text}");
        }
        assert!(
            Instant::now() < deadline,
            "{at}: the server did not print {words:?} within 60 s:\n{text}"
        );
        std::thread::sleep(Duration::from_millis(30));
    }
    // It answers HTTP on its port.
    let mut s = TcpStream::connect(("127.0.0.1", port))
        .unwrap_or_else(|e| panic!("{at}: cannot connect to port {port}: {e}"));
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap();
    let mut head = [0u8; 8];
    s.read_exact(&mut head)
        .unwrap_or_else(|e| panic!("{at}: no HTTP answer on port {port}: {e}"));
    assert!(head.starts_with(b"HTTP/1."), "{at}: not HTTP: {head:?}");
    (server, mapping)
}

/// README.md, fixtures/README.md and every Markdown page under docs/, as paths relative to
/// the root.
fn pages() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "md") {
                let rel = p.strip_prefix(ROOT).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = vec!["README.md".to_string(), "fixtures/README.md".to_string()];
    walk(&Path::new(ROOT).join("docs"), &mut out);
    out.sort();
    out
}

#[test]
fn shell_words_follow_the_quoting() {
    assert_eq!(
        shell_words(r#"samlcheck check --map 'email=a b' --x "c\"d" e\ f"#).unwrap(),
        [
            "samlcheck",
            "check",
            "--map",
            "email=a b",
            "--x",
            "c\"d",
            "e f"
        ]
    );
    assert!(shell_words("samlcheck check > out").is_err());
    assert!(shell_words("samlcheck check --org \"$ORG\"").is_err());
    assert!(pipeline_words("cat fixtures/x.b64 | samlcheck decode -").is_ok());
    assert!(pipeline_words("cat x | samlcheck decode - > out").is_err());
}

#[test]
fn expectations_read_words_phrases_and_absences() {
    let n = |text: &str, present: bool| Needle {
        text: text.into(),
        present,
    };
    assert_eq!(
        needles(r#" GO "3 entities verified" !NO-GO !"0 error(s)" '"rule": "x"' a"b "#).unwrap(),
        [
            n("GO", true),
            n("3 entities verified", true),
            n("NO-GO", false),
            n("0 error(s)", false),
            n(r#""rule": "x""#, true),
            n("a\"b", true),
        ]
    );
    assert_eq!(needles("").unwrap(), []);
    for bad in [r#""unclosed"#, r#""a"b"#, "!", r#"!"""#, "'  '"] {
        assert!(needles(bad).is_err(), "accepted: {bad}");
    }
    let p = parse(
        "t.md",
        "```sh\nsamlcheck rules\n# exit 0: \"a b\" !c\n```\n",
    );
    assert_eq!(
        p.commands[0].expect,
        Expect::Exit {
            code: 0,
            words: vec![n("a b", true), n("c", false)]
        }
    );
    // A server is waited for until its words appear: none can be absent.
    let r = std::panic::catch_unwind(|| {
        parse(
            "t.md",
            "```sh\nsamlcheck idp --org acme\n# runs until interrupted: up !down\n```\n",
        )
    });
    assert!(r.is_err());
}

#[test]
fn the_conventions_are_read_as_documented() {
    let page = "\
```sh
samlcheck check --org acme \\
  --idp-metadata fixtures/metadata/okta.xml --no-test-login
# exit 0: GO
```

```text
GO
```

```sh
# a comment
cargo install --path .
samlcheck idp --org acme
# runs until interrupted: listening
cat fixtures/responses/okta.b64 | samlcheck decode - --org acme
# exit 1
```

```toml
org = \"acme\"
```
";
    let p = parse("t.md", page);
    assert_eq!(p.commands.len(), 3);
    assert_eq!(
        p.commands[0].invocation,
        Invocation::Args(
            [
                "check",
                "--org",
                "acme",
                "--idp-metadata",
                "fixtures/metadata/okta.xml",
                "--no-test-login"
            ]
            .map(String::from)
            .to_vec()
        )
    );
    assert_eq!(
        p.commands[0].expect,
        Expect::Exit {
            code: 0,
            words: vec![Needle {
                text: "GO".into(),
                present: true
            }]
        }
    );
    assert_eq!(p.commands[0].output, Some((7..8, 0)));
    assert_eq!(
        p.commands[1].expect,
        Expect::Server {
            words: vec!["listening".into()]
        }
    );
    assert_eq!(p.commands[1].block, 2);
    assert!(matches!(p.commands[2].invocation, Invocation::Shell(_)));
    assert_eq!(p.shown.len(), 1);
    assert_eq!(p.shown[0].text, "cargo install --path .");
    // A command without its expectation, or in a fence the test does not run, is refused.
    for bad in [
        "```sh\nsamlcheck rules\n```\n",
        "```bash\nsamlcheck rules\n# exit 0\n```\n",
        "```sh\n# exit 0\n```\n",
        "```sh\nsamlchek rules\n```\n",
        "```sh\nbash benches/no-such-script.sh\n```\n",
        "```sh\nsamlcheck serve --org acme\n# runs until interrupted\n```\n",
        "```\nsamlcheck rules\n```\n",
        "```\noutput\n$ bash benches/x.sh\n```\n",
        "```\n  cargo bench\n```\n",
    ] {
        let r = std::panic::catch_unwind(|| {
            let p = parse("t.md", bad);
            for s in &p.shown {
                check_shown("t.md", s);
            }
        });
        assert!(r.is_err(), "accepted: {bad}");
    }
    // Files are fixtures; --output goes under /tmp/.
    let words = [
        "decode",
        "fixtures/a.har",
        "--output",
        "/tmp/b.har",
        "explain",
        "xml/doctype",
        "--map",
        "email=mail",
        "--out-dir",
        "/tmp/man",
    ]
    .map(String::from);
    let files = file_arguments(&words);
    assert_eq!(
        files,
        [
            (None, "fixtures/a.har"),
            (Some("--output"), "/tmp/b.har"),
            (Some("--out-dir"), "/tmp/man")
        ]
    );
    let writes = |args: &str| {
        let c = Documented {
            line: 1,
            text: format!("samlcheck {args}"),
            invocation: Invocation::Args(shell_words(args).unwrap()),
            expect: Expect::Exit {
                code: 0,
                words: Vec::new(),
            },
            block: 1,
            output: None,
        };
        std::panic::catch_unwind(|| check_inputs("t.md", &c, &[])).is_ok()
    };
    assert!(writes("man --out-dir /tmp/samlcheck-man"));
    assert!(!writes("man --out-dir docs/man"));
    assert!(!writes(
        "decode fixtures/captures/login-ok.har --output out.har"
    ));
    assert_eq!(
        without_ports("GET  http://127.0.0.1:41234/sso  200"),
        "GET http://127.0.0.1:PORT/sso 200"
    );
}

#[test]
fn every_documented_command_does_what_its_page_says() {
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let pages = pages();
    for vendor in VENDORS {
        assert!(
            pages.contains(&format!("docs/idp/{vendor}.md")),
            "docs/idp/{vendor}.md is missing"
        );
    }
    let mut stale = Vec::new();
    let mut total = 0;
    let mut unmarked_used = Vec::new();
    for page in &pages {
        let path = Path::new(ROOT).join(page);
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = parse(page, &text);
        unmarked_used.extend(parsed.unmarked.iter().map(|c| (page.clone(), *c)));
        for s in &parsed.shown {
            check_shown(page, s);
        }
        if VENDORS.iter().any(|v| *page == format!("docs/idp/{v}.md")) {
            assert!(
                parsed
                    .commands
                    .iter()
                    .any(|c| c.text.starts_with("samlcheck check ")
                        && matches!(c.expect, Expect::Exit { code: 0, .. })),
                "{page}: no `samlcheck check` command that says GO (# exit 0)"
            );
        }
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut replacements: Vec<(Range<usize>, Vec<String>)> = Vec::new();
        let mut servers: Vec<Server> = Vec::new();
        let mut ports: Vec<(u16, u16)> = Vec::new();
        let mut block = 0;
        for c in &parsed.commands {
            if c.block != block {
                servers.clear();
                ports.clear();
                block = c.block;
            }
            total += 1;
            let at = format!("{page}:{}", c.line);
            check_inputs(&at, c, &ports);
            match &c.expect {
                Expect::Server { words } => {
                    let (server, mapping) = start_server(&at, c, words, &ports);
                    servers.push(server);
                    ports.extend(mapping);
                }
                Expect::Exit { code: want, words } => {
                    let (code, stdout, stderr) = run(&at, &c.invocation, &ports);
                    assert_eq!(code, *want, "{at}: exit code\n{stdout}{stderr}");
                    for w in words {
                        let found = stdout.contains(w.text.as_str());
                        if w.present {
                            assert!(found, "{at}: the output lacks {:?}\n{stdout}", w.text);
                        } else {
                            assert!(!found, "{at}: the output has {:?}\n{stdout}", w.text);
                        }
                    }
                    if let Some((range, indent)) = &c.output {
                        // The shown lines less the fence's indentation.
                        let shown = lines[range.clone()]
                            .iter()
                            .map(|l| {
                                let cut = l.len() - l.trim_start_matches(' ').len();
                                &l[cut.min(*indent)..]
                            })
                            .collect::<Vec<_>>()
                            .join("\n");
                        let actual = stdout.trim_end_matches('\n');
                        let demo = c.text.starts_with("samlcheck demo");
                        let indented = lines[range.clone()].iter().all(|l| {
                            l.is_empty() || l.len() - l.trim_start_matches(' ').len() >= *indent
                        });
                        let same = indented
                            && if demo {
                                without_ports(&shown) == without_ports(actual)
                            } else {
                                shown == actual
                            };
                        if !same {
                            stale.push(at);
                            let pad = " ".repeat(*indent);
                            replacements.push((
                                range.clone(),
                                actual
                                    .lines()
                                    .map(|l| {
                                        if l.is_empty() {
                                            String::new()
                                        } else {
                                            format!("{pad}{l}")
                                        }
                                    })
                                    .collect(),
                            ));
                        }
                    }
                }
            }
        }
        drop(servers);
        if update && !replacements.is_empty() {
            // From the last, so earlier line numbers stay valid.
            for (range, new) in replacements.into_iter().rev() {
                lines.splice(range, new);
            }
            std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        }
    }
    assert!(total > 0, "no documented command found");
    for u in UNMARKED {
        assert!(
            unmarked_used.contains(&(u.page.to_string(), u.command)),
            "UNMARKED lists `{}` in {}, which no longer shows it ({})",
            u.command,
            u.page,
            u.why
        );
    }
    assert!(
        update || stale.is_empty(),
        "documented output is stale at {stale:?}: run UPDATE_DOCS=1 cargo test --test docs_commands"
    );
}

#[test]
fn the_readme_links_every_guide() {
    let readme = std::fs::read_to_string(format!("{ROOT}/README.md")).unwrap();
    let index = std::fs::read_to_string(format!("{ROOT}/docs/idp/README.md")).unwrap();
    assert!(
        readme.contains("docs/idp/"),
        "README.md does not link docs/idp/"
    );
    for vendor in VENDORS {
        assert!(
            index.contains(&format!("({vendor}.md)")),
            "docs/idp/README.md does not link {vendor}.md"
        );
    }
}
