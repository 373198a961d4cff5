//! Every `--help` ends with examples that work: each is read back from the help text and run
//! against the built binary, and must end as its comment says.
//!
//! The convention of the help text: an examples block under `Examples (run from a clone of
//! samlcheck: they use its fixtures/):` when an example names a file of fixtures/, else under
//! `Examples:`; per example, `#` comment lines whose
//! last ends with `(exit N: MEANING)`, `(runs until Ctrl-C)` or `(runs until the first test
//! login, ...)`, then the command, continued over lines ending in ` \`.
//!
//! Each command runs in `bash -c` (examples may pipe, redirect and use `~`), with `samlcheck`
//! first on PATH, in a scratch folder holding a link to the repository's `fixtures/` (so it
//! sees what it would see at the repository root, and what it writes goes away) and HOME in
//! that folder too. A server is started, must print its `listening on` line while running,
//! and is then stopped.

mod external_support;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use external_support::{log_tail, require, ChildGuard};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Exit(i32),
    Serves,
}

#[derive(Debug)]
struct Example {
    caption: String,
    command: String,
    outcome: Outcome,
}

fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("samlcheck")
}

/// `samlcheck ARGS --help`.
fn help(args: &[&str]) -> String {
    let out = Command::new(binary())
        .args(args)
        .arg("--help")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?} --help");
    String::from_utf8(out.stdout).unwrap()
}

/// How the caption says the example ends.
fn outcome(caption: &str) -> Result<Outcome, String> {
    let inner = caption
        .strip_suffix(')')
        .and_then(|c| c.rfind(" (").map(|at| &c[at + 2..]))
        .ok_or_else(|| format!("no (outcome) at the end of {caption:?}"))?;
    if inner == "runs until Ctrl-C"
        || inner == "runs until the first test login, then exit 0: accepted, 1: rejected"
    {
        return Ok(Outcome::Serves);
    }
    let code = inner
        .strip_prefix("exit ")
        .and_then(|rest| rest.split_once(": "))
        .and_then(|(code, meaning)| (!meaning.is_empty()).then_some(code))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("{inner:?} is not \"exit N: MEANING\" in {caption:?}"))?;
    Ok(Outcome::Exit(code))
}

const CLONE_HEADING: &str = "Examples (run from a clone of samlcheck: they use its fixtures/):";

/// The heading of the examples block of a help text, and the block.
fn block(help: &str) -> (&str, &str) {
    let at = help
        .find("\nExamples")
        .unwrap_or_else(|| panic!("no Examples block in\n{help}"));
    help[at + 1..]
        .split_once('\n')
        .unwrap_or_else(|| panic!("an empty Examples block in\n{help}"))
}

/// The examples of a help text.
fn examples(help: &str) -> Vec<Example> {
    let (_, block) = block(help);
    let mut out = Vec::new();
    let mut caption = String::new();
    let mut command = String::new();
    let mut finish = |caption: &mut String, command: &mut String| {
        if caption.is_empty() && command.is_empty() {
            return;
        }
        assert!(!command.is_empty(), "{caption:?} has no command");
        assert!(!caption.is_empty(), "{command:?} has no comment");
        out.push(Example {
            outcome: outcome(caption).unwrap(),
            caption: std::mem::take(caption),
            command: std::mem::take(command),
        });
    };
    for line in block.lines() {
        assert!(
            line.chars().count() <= 80,
            "wider than 80 columns: {line:?}"
        );
        let text = line.trim();
        if text.is_empty() {
            finish(&mut caption, &mut command);
        } else if let Some(comment) = text.strip_prefix("# ") {
            assert!(command.is_empty(), "a comment after the command: {line:?}");
            if !caption.is_empty() {
                caption.push(' ');
            }
            caption.push_str(comment);
        } else {
            assert!(line.starts_with("  "), "not indented: {line:?}");
            if !command.is_empty() {
                command.push(' ');
            }
            command.push_str(text.strip_suffix(" \\").unwrap_or(text));
        }
    }
    finish(&mut caption, &mut command);
    out
}

/// The scratch folder the examples run in: `fixtures` links to the repository's.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        Path::new(ROOT).join("fixtures"),
        dir.path().join("fixtures"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("home")).unwrap();
    dir
}

fn shell(dir: &Path, command: &str) -> Command {
    let bin_dir = binary().parent().unwrap().to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let mut c = Command::new("bash");
    c.arg("-c")
        .arg(command)
        .current_dir(dir)
        .env("PATH", path)
        .env("HOME", dir.join("home"))
        .stdin(Stdio::null());
    c
}

/// Runs `e` to its exit and checks the code.
fn run_to_exit(dir: &Path, e: &Example, code: i32) {
    let out = shell(dir, &e.command).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
        "`{}` ({}) exited {:?}\nstdout:\n{}\nstderr:\n{}",
        e.command,
        e.caption,
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Starts the server of `e`, waits for its `listening on` line, checks it still runs, stops it.
fn run_server(dir: &Path, e: &Example) {
    // `exec`: the kill must reach samlcheck, not a shell waiting for it.
    let log = dir.join("server.log");
    let mut server = ChildGuard::spawn(
        &e.command,
        &mut shell(dir, &format!("exec {}", e.command)),
        &log,
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mut text = String::new();
        if let Ok(mut f) = std::fs::File::open(&log) {
            let _ = f.read_to_string(&mut text);
        }
        if text.contains("listening on http://") {
            break;
        }
        assert!(
            server.running(),
            "`{}` exited before listening:\n{}",
            e.command,
            log_tail(&log, 20)
        );
        assert!(
            Instant::now() < deadline,
            "`{}` did not print its listening line in 30 s:\n{}",
            e.command,
            log_tail(&log, 20)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(100));
    assert!(
        server.running(),
        "`{}` stopped after listening:\n{}",
        e.command,
        log_tail(&log, 20)
    );
}

/// Every program an example pipes into besides samlcheck, when it may be missing.
fn tools(command: &str) -> Vec<&'static str> {
    ["man"]
        .into_iter()
        .filter(|t| command.contains(&format!("| {t} ")))
        .collect()
}

/// Reads the examples of `samlcheck ARGS --help`, checks their shape and runs each.
fn check(args: &[&str]) {
    let text = help(args);
    let examples = examples(&text);
    // Examples that name a file of fixtures/ say they run from a clone; the others do not.
    let uses_fixtures = examples.iter().any(|e| {
        e.command
            .split_whitespace()
            .any(|w| w.starts_with("fixtures/"))
    });
    let expected = if uses_fixtures {
        CLONE_HEADING
    } else {
        "Examples:"
    };
    assert_eq!(block(&text).0, expected, "{args:?}");
    assert!(
        (2..=3).contains(&examples.len()),
        "{args:?}: {} examples, not two or three:\n{text}",
        examples.len()
    );
    let dir = scratch();
    for e in &examples {
        let usage: Vec<&str> = std::iter::once("samlcheck")
            .chain(args.iter().copied())
            .collect();
        assert!(
            e.command.contains(&usage.join(" ")),
            "{args:?}: `{}` does not run {}",
            e.command,
            usage.join(" ")
        );
        for word in e.command.split_whitespace() {
            if let Some(path) = word.strip_prefix("fixtures/") {
                assert!(
                    Path::new(ROOT).join("fixtures").join(path).exists(),
                    "`{}` names a missing file {word}",
                    e.command
                );
            }
        }
        let needed = tools(&e.command);
        if !needed.is_empty()
            && require(
                &format!("help_examples {}", e.command),
                &needed,
                "man-db groff-base",
            )
            .is_none()
        {
            continue;
        }
        match e.outcome {
            Outcome::Exit(code) => run_to_exit(dir.path(), e, code),
            Outcome::Serves => run_server(dir.path(), e),
        }
    }
}

#[test]
fn the_convention_is_read_back_exactly() {
    let text = "Usage: x\n\nExamples:\n  # One (exit 1: NO-GO)\n  samlcheck check --org acme \\\n      --now 2026-01-15T10:01:00Z\n\n  # Two, over\n  # two lines (runs until Ctrl-C)\n  samlcheck serve\n";
    let got = examples(text);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].caption, "One (exit 1: NO-GO)");
    assert_eq!(
        got[0].command,
        "samlcheck check --org acme --now 2026-01-15T10:01:00Z"
    );
    assert_eq!(got[0].outcome, Outcome::Exit(1));
    assert_eq!(got[1].caption, "Two, over two lines (runs until Ctrl-C)");
    assert_eq!(got[1].outcome, Outcome::Serves);
    assert!(outcome("No outcome").is_err());
    assert!(outcome("Bad (exit one: x)").is_err());
    let clone = format!(
        "Usage: x\n\n{CLONE_HEADING}\n  # One (exit 0: GO)\n  samlcheck lint fixtures/a.xml\n"
    );
    assert_eq!(block(&clone).0, CLONE_HEADING);
    assert_eq!(examples(&clone)[0].command, "samlcheck lint fixtures/a.xml");
}

/// The headings as a reader sees them: which subcommands need a clone, which run anywhere.
#[test]
fn headings_say_which_examples_need_a_clone() {
    for args in [
        &[][..],
        &["check"],
        &["verify"],
        &["decode"],
        &["lint"],
        &["sp-metadata"],
        &["serve"],
    ] {
        assert_eq!(block(&help(args)).0, CLONE_HEADING, "{args:?}");
    }
    for args in [
        &["rules"][..],
        &["explain"],
        &["idp"],
        &["demo"],
        &["completions"],
        &["man"],
    ] {
        assert_eq!(block(&help(args)).0, "Examples:", "{args:?}");
    }
}

#[test]
fn top_level_examples_run() {
    check(&[]);
}

#[test]
fn check_examples_run() {
    check(&["check"]);
}

#[test]
fn verify_examples_run() {
    check(&["verify"]);
}

#[test]
fn decode_examples_run() {
    check(&["decode"]);
}

#[test]
fn lint_examples_run() {
    check(&["lint"]);
}

#[test]
fn rules_examples_run() {
    check(&["rules"]);
}

#[test]
fn explain_examples_run() {
    check(&["explain"]);
}

#[test]
fn sp_metadata_examples_run() {
    check(&["sp-metadata"]);
}

#[test]
fn idp_examples_run() {
    check(&["idp"]);
}

#[test]
fn serve_examples_run() {
    check(&["serve"]);
}

#[test]
fn demo_examples_run() {
    check(&["demo"]);
}

#[test]
fn completions_examples_run() {
    check(&["completions"]);
}

#[test]
fn man_examples_run() {
    check(&["man"]);
}

/// No subcommand is left without examples: the list above is every subcommand.
#[test]
fn every_subcommand_is_covered() {
    let text = help(&[]);
    let commands: Vec<&str> = text
        .split("\nCommands:\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        commands,
        [
            "check",
            "verify",
            "decode",
            "lint",
            "rules",
            "explain",
            "sp-metadata",
            "idp",
            "serve",
            "demo",
            "completions",
            "man",
            "help"
        ]
    );
}
