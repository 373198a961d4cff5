//! The IdP guides in docs/idp/ cannot drift: every `samlcheck check` command in their ```sh
//! blocks runs against the built binary from the repository root.
//!
//! Conventions of the pages:
//! - a command starts with `samlcheck check` and continues over lines ending in `\`;
//! - the line after it says what must happen: `# exit N`, optionally `: WORD...`, each word
//!   of which must appear in the output;
//! - a ```text block right after the ```sh block (of one command) is that command's exact
//!   output; `UPDATE_DOCS=1 cargo test --test docs_commands` rewrites those blocks.

use assert_cmd::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

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

/// One documented command.
#[derive(Debug)]
struct Documented {
    line: usize,
    args: Vec<String>,
    exit: i32,
    words: Vec<String>,
    /// The lines of the ```text block that shows its output, when there is one.
    output: Option<std::ops::Range<usize>>,
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

fn parse(page: &str, text: &str) -> Vec<Documented> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "```sh" {
            i += 1;
            continue;
        }
        let first_in_block = out.len();
        i += 1;
        while i < lines.len() && lines[i].trim() != "```" {
            if !lines[i].trim_start().starts_with("samlcheck check") {
                i += 1;
                continue;
            }
            let start = i;
            let mut command = String::new();
            loop {
                let l = lines[i].trim();
                match l.strip_suffix('\\') {
                    Some(head) => {
                        command.push_str(head);
                        command.push(' ');
                        i += 1;
                    }
                    None => {
                        command.push_str(l);
                        i += 1;
                        break;
                    }
                }
                assert!(i < lines.len(), "{page}:{}: unfinished command", start + 1);
            }
            let expect = lines.get(i).map(|l| l.trim()).unwrap_or("");
            let Some(rest) = expect.strip_prefix("# exit ") else {
                panic!(
                    "{page}:{}: the command is not followed by `# exit N`",
                    start + 1
                );
            };
            let (code, words) = match rest.split_once(':') {
                Some((c, w)) => (c, w.split_whitespace().map(str::to_string).collect()),
                None => (rest, Vec::new()),
            };
            let args =
                shell_words(&command).unwrap_or_else(|e| panic!("{page}:{}: {e}", start + 1));
            out.push(Documented {
                line: start + 1,
                args: args[1..].to_vec(),
                exit: code
                    .trim()
                    .parse()
                    .unwrap_or_else(|_| panic!("{page}:{}: bad exit code {code:?}", i + 1)),
                words,
                output: None,
            });
            i += 1;
        }
        // The closing fence, then maybe the output of the block's only command.
        i += 1;
        let mut j = i;
        while j < lines.len() && lines[j].trim().is_empty() {
            j += 1;
        }
        if j < lines.len() && lines[j].trim() == "```text" {
            assert_eq!(
                out.len() - first_in_block,
                1,
                "{page}:{}: an output block follows a block of several commands",
                j + 1
            );
            let body = j + 1;
            let mut end = body;
            while end < lines.len() && lines[end].trim() != "```" {
                end += 1;
            }
            if let Some(last) = out.last_mut() {
                last.output = Some(body..end);
            }
            i = end + 1;
        }
    }
    out
}

fn run(args: &[String]) -> (i32, String, String) {
    let out = Command::cargo_bin("samlcheck")
        .unwrap()
        .current_dir(ROOT)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
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
}

#[test]
fn every_documented_check_command_does_what_its_page_says() {
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let dir = format!("{ROOT}/docs/idp");
    let mut pages: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| p.display().to_string())
        .collect();
    pages.sort();
    for vendor in VENDORS {
        assert!(
            pages.iter().any(|p| p.ends_with(&format!("/{vendor}.md"))),
            "docs/idp/{vendor}.md is missing"
        );
    }
    let mut stale = Vec::new();
    let mut total = 0;
    for path in &pages {
        let page = path.strip_prefix(&format!("{ROOT}/")).unwrap_or(path);
        let text = std::fs::read_to_string(path).unwrap();
        let commands = parse(page, &text);
        let vendor_page = VENDORS.iter().any(|v| page.ends_with(&format!("/{v}.md")));
        if vendor_page {
            assert!(
                commands.iter().any(|c| c.exit == 0),
                "{page}: no `samlcheck check` command that says GO (# exit 0)"
            );
        }
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut page_stale = false;
        // Replace output blocks from the last, so earlier line numbers stay valid.
        for c in commands.iter().rev() {
            total += 1;
            let at = format!("{page}:{}", c.line);
            let metadata = c.args.iter().skip_while(|a| *a != "--idp-metadata").nth(1);
            assert!(
                metadata.is_some_and(|m| m.starts_with("fixtures/")),
                "{at}: documented commands run on the bundled fixtures (--idp-metadata fixtures/...)"
            );
            let (code, stdout, stderr) = run(&c.args);
            assert_eq!(code, c.exit, "{at}: exit code\n{stdout}{stderr}");
            for w in &c.words {
                assert!(
                    stdout.contains(w.as_str()),
                    "{at}: the output lacks {w:?}\n{stdout}"
                );
            }
            if let Some(range) = &c.output {
                let shown = lines[range.clone()].join("\n");
                if shown != stdout.trim_end_matches('\n') {
                    stale.push(at);
                    page_stale = true;
                    lines.splice(range.clone(), stdout.lines().map(str::to_string));
                }
            }
        }
        if update && page_stale {
            std::fs::write(path, lines.join("\n") + "\n").unwrap();
        }
    }
    assert!(total > 0, "no documented command found");
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
