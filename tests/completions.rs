//! `samlcheck completions SHELL`: every shell's script names every subcommand; the bash and
//! fish scripts really complete subcommands, flags and rule ids when their shell runs them.

mod cli_support;
mod external_support;

use std::path::Path;
use std::process::Command;

use cli_support::subcommands;
use external_support::require;

fn script(shell: &str) -> String {
    let out = Command::new(assert_cmd::cargo::cargo_bin("samlcheck"))
        .args(["completions", shell])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "completions {shell}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn rule_ids() -> Vec<&'static str> {
    samlcheck::checks::catalog::all().map(|r| r.id).collect()
}

/// How each shell's script spells "complete this subcommand".
fn subcommand_marker(shell: &str, name: &str) -> String {
    match shell {
        "bash" => format!("samlcheck,{name})"),
        "zsh" => format!("\n'{name}:"),
        "fish" => format!("-f -a \"{name}\" -d '"),
        "powershell" => format!(
            "[CompletionResult]::new('{name}', '{name}', [CompletionResultType]::ParameterValue"
        ),
        "elvish" => format!("&'samlcheck;{name}'= {{"),
        other => panic!("{other}"),
    }
}

#[test]
fn every_shell_gets_a_script_naming_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let text = script(shell);
        for name in &subcommands() {
            let marker = subcommand_marker(shell, name);
            assert!(text.contains(&marker), "{shell}: no {marker:?}");
        }
        // The binary prints what the library generates.
        let shell_enum: clap_complete::Shell = shell.parse().unwrap();
        assert_eq!(
            text.as_bytes(),
            samlcheck::cli::completions::script(shell_enum),
            "{shell}"
        );
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error_listing_the_shells() {
    let out = Command::new(assert_cmd::cargo::cargo_bin("samlcheck"))
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with(
            "error: invalid value 'tcsh' for '<SHELL>'\n  [possible values: bash, elvish, fish, powershell, zsh]\n"
        ),
        "{err}"
    );
}

#[test]
fn rule_ids_are_offered_after_explain_in_bash_zsh_and_fish() {
    let bash = script("bash");
    let explain = bash
        .split("samlcheck__subcmd__explain)\n")
        .nth(1)
        .expect("an explain case");
    let opts = explain
        .lines()
        .next()
        .unwrap()
        .trim()
        .strip_prefix("opts=\"")
        .and_then(|o| o.strip_suffix('"'))
        .unwrap();
    let mut expected = vec!["-h", "--format", "--help"];
    expected.extend(rule_ids());
    assert_eq!(opts.split(' ').collect::<Vec<_>>(), expected);

    // zsh: the RULE argument's `((id\:"summary" ...))` list.
    let zsh = script("zsh");
    let values = zsh
        .split("':rule -- ")
        .nth(1)
        .and_then(|s| s.split_once(":(("))
        .and_then(|(_, s)| s.split_once("))'"))
        .expect("explain's RULE with values")
        .0;
    let ids: Vec<&str> = values
        .lines()
        .map(|l| l.split_once("\\:\"").expect("id\\:\"summary\"").0)
        .collect();
    assert_eq!(ids, rule_ids());

    let fish = script("fish");
    for r in samlcheck::checks::catalog::all() {
        assert!(
            fish.contains(&format!(
                "complete -c samlcheck -n \"__fish_samlcheck_using_subcommand explain\" -f -a \"{}\\t'",
                r.id
            )),
            "fish: {}",
            r.id
        );
    }
}

/// Sources the bash script, completes each of `lines` (the cursor at the end, after the last
/// word) and returns the candidates, one `Vec` per line.
fn bash_complete(script_path: &Path, lines: &[&[&str]]) -> Vec<Vec<String>> {
    let mut program = format!("source '{}'\n", script_path.display());
    program.push_str(
        r#"complete_words() {
    COMP_WORDS=("$@")
    COMP_CWORD=$(( $# - 1 ))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _samlcheck samlcheck "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf '%s\n' "${COMPREPLY[@]}"
    echo '<end>'
}
"#,
    );
    for words in lines {
        program.push_str("complete_words");
        for w in *words {
            program.push_str(&format!(" '{w}'"));
        }
        program.push('\n');
    }
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    text.split("<end>\n")
        .take(lines.len())
        .map(|block| {
            block
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        })
        .collect()
}

#[test]
fn bash_parses_and_completes_subcommands_flags_and_rule_ids() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("samlcheck.bash");
    std::fs::write(&path, script("bash")).unwrap();
    let check = Command::new("bash").arg("-n").arg(&path).output().unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    let got = bash_complete(
        &path,
        &[
            &["samlcheck", "li"],
            &["samlcheck", "lint", "--for"],
            &["samlcheck", "lint", "--format", "s"],
            &["samlcheck", "explain", "signature/w"],
            &["samlcheck", "explain", "cert/exp"],
            &["samlcheck", "sp"],
            &["samlcheck", "co"],
        ],
    );
    assert_eq!(got[0], ["lint"]);
    assert_eq!(got[1], ["--format"]);
    assert_eq!(got[2], ["sarif"]);
    assert_eq!(got[3], ["signature/wrapping", "signature/weak-algorithm"]);
    assert_eq!(got[4], ["cert/expired", "cert/expiring-soon"]);
    assert_eq!(got[5], ["sp-metadata"]);
    assert_eq!(got[6], ["completions"]);
}

#[test]
fn zsh_parses_the_script() {
    let Some(tools) = require("zsh_parses_the_script", &["zsh"], "zsh") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("_samlcheck");
    std::fs::write(&path, script("zsh")).unwrap();
    let out = Command::new(&tools[0])
        .args(["-f", "-n"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).to_string()
        ),
        (Some(0), String::new())
    );
}

#[test]
fn fish_parses_and_completes_subcommands_flags_and_rule_ids() {
    let Some(tools) = require(
        "fish_parses_and_completes_subcommands_flags_and_rule_ids",
        &["fish"],
        "fish",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("samlcheck.fish");
    std::fs::write(&path, script("fish")).unwrap();
    let parse = Command::new(&tools[0])
        .arg("--no-execute")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        (
            parse.status.code(),
            String::from_utf8_lossy(&parse.stderr).to_string()
        ),
        (Some(0), String::new())
    );
    // `complete -C LINE` prints fish's candidates for LINE: `word<TAB>description`.
    let program = format!(
        "source '{}'\nfor line in 'samlcheck li' 'samlcheck lint --for' 'samlcheck explain signature/w'\n  complete -C $line\n  echo '<end>'\nend\n",
        path.display()
    );
    let out = Command::new(&tools[0])
        .args(["--no-config", "-c", &program])
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let blocks: Vec<&str> = text.split("<end>\n").collect();
    assert_eq!(
        blocks[0],
        "lint\tLint IdP metadata (single entities or federation aggregates) for CI\n"
    );
    assert_eq!(blocks[1], "--format\tOutput format\n");
    assert_eq!(
        blocks[2],
        "signature/weak-algorithm\tThe signature uses SHA-1.\n\
         signature/wrapping\tThe signature does not cover the element that would be consumed (signature wrapping).\n"
    );
}
