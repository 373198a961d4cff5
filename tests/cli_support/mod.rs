//! Shared by the tests that run the `samlcheck` binary and walk its subcommands.
#![allow(dead_code)]

use std::process::Command;

/// Runs the built `samlcheck` with `args`: exit code, stdout, stderr.
pub fn samlcheck(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(assert_cmd::cargo::cargo_bin("samlcheck"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The subcommands as clap defines them (tests/help_examples.rs pins the list itself).
pub fn subcommands() -> Vec<String> {
    use clap::CommandFactory;
    let names: Vec<String> = samlcheck::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    // Loops over an empty list would pass whatever the output.
    assert!(names.len() >= 12, "{names:?}");
    names
}
