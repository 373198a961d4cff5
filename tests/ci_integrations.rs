//! The CI integrations, run for real on bundled fixtures with the built binary:
//! - `action.yml`, a composite GitHub Action, run as a runner runs it: every `run` step with
//!   `bash --noprofile --norc -eo pipefail FILE` in the workspace, `${{ }}` expressions in
//!   `if:`, `env:` and `with:` resolved from the inputs and the outputs the steps wrote to
//!   `$GITHUB_OUTPUT`; a `uses` step is resolved and checked, not run.
//! - `.pre-commit-hooks.yaml`: its fields, then the system hook through `pre-commit try-repo`.
//! - `ci/gitlab/samlcheck.gitlab-ci.yml`: the job's `before_script` and `script` run as GitLab's
//!   runner runs them (one bash, `set -eo pipefail`), then the JUnit report it declares.
//! - `docs/ci.md`: its examples name the inputs, hooks and template that exist.

mod external_support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;
use yaml_rust2::{Yaml, YamlLoader};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const SAMLCHECK: &str = env!("CARGO_BIN_EXE_samlcheck");
/// The fixtures' clock (see fixtures/metadata/README.md).
const NOW_ARGS: &str = "--now 2026-01-15T10:00:00Z";

/// Fixture files: (name under the workspace's metadata/, file under fixtures/metadata/).
const CLEAN: [(&str, &str); 2] = [
    ("okta.xml", "vendors/okta.xml"),
    ("keycloak.xml", "vendors/keycloak.xml"),
];
const BAD: [(&str, &str); 3] = [
    ("expired.xml", "rules/metadata__expired.xml"),
    (
        "insecure-endpoint.xml",
        "rules/metadata__insecure-endpoint.xml",
    ),
    (
        "transient-nameid-only.xml",
        "rules/metadata__transient-nameid-only.xml",
    ),
];

fn load_yaml(rel: &str) -> Yaml {
    let text = std::fs::read_to_string(Path::new(ROOT).join(rel)).unwrap();
    parse_yaml(rel, &text)
}

fn parse_yaml(what: &str, text: &str) -> Yaml {
    let mut docs = YamlLoader::load_from_str(text).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(docs.len(), 1, "{what}: one YAML document");
    docs.remove(0)
}

fn text<'a>(y: &'a Yaml, what: &str) -> &'a str {
    y.as_str()
        .unwrap_or_else(|| panic!("{what}: not a string: {y:?}"))
}

fn keys(y: &Yaml) -> Vec<&str> {
    y.as_hash()
        .map(|h| h.keys().map(|k| text(k, "key")).collect())
        .unwrap_or_default()
}

/// A scratch folder: `work/` (the workspace or project folder, holding `metadata/`), `bin/`
/// (just `samlcheck`, first on PATH) and `tmp/` (the runner's temp and command files).
struct Scratch {
    _dir: tempfile::TempDir,
    work: PathBuf,
    bin: PathBuf,
    tmp: PathBuf,
}

impl Scratch {
    fn new(files: &[(&str, &str)]) -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        let work = dir.path().join("work");
        let bin = dir.path().join("bin");
        let tmp = dir.path().join("tmp");
        for d in [&work.join("metadata"), &bin, &tmp] {
            std::fs::create_dir_all(d).unwrap();
        }
        for (name, fixture) in files {
            std::fs::copy(
                Path::new(ROOT).join("fixtures/metadata").join(fixture),
                work.join("metadata").join(name),
            )
            .unwrap();
        }
        std::os::unix::fs::symlink(SAMLCHECK, bin.join("samlcheck")).unwrap();
        Scratch {
            _dir: dir,
            work,
            bin,
            tmp,
        }
    }

    fn write(&self, rel: &str, content: &str) {
        std::fs::write(self.work.join(rel), content).unwrap();
    }

    /// PATH with `dirs` first, then bin/, then the test's own.
    fn path_var(&self, dirs: &[PathBuf]) -> std::ffi::OsString {
        let inherited = std::env::var_os("PATH").unwrap_or_default();
        let mut all: Vec<PathBuf> = dirs.to_vec();
        all.push(self.bin.clone());
        all.extend(std::env::split_paths(&inherited));
        std::env::join_paths(all).unwrap()
    }

    /// A command with a clean environment: only what a runner would give.
    fn command(&self, program: &str, path_dirs: &[PathBuf]) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .env("PATH", self.path_var(path_dirs))
            .env(
                "HOME",
                std::env::var_os("HOME").unwrap_or_else(|| "/".into()),
            )
            .env("CI", "true")
            .current_dir(&self.work)
            .stdin(Stdio::null());
        cmd
    }
}

// ---------------------------------------------------------------------------------------------
// GitHub Actions expressions: the subset action.yml may use. Anything else panics, so a change
// to action.yml that this emulator would misread fails here instead of passing unchecked.

#[derive(Debug, Clone, PartialEq)]
enum Val {
    Str(String),
    Bool(bool),
}

impl Val {
    fn truthy(&self) -> bool {
        match self {
            Val::Str(s) => !s.is_empty(),
            Val::Bool(b) => *b,
        }
    }

    fn into_text(self) -> String {
        match self {
            Val::Str(s) => s,
            Val::Bool(b) => b.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Str(String),
    Open,
    Close,
    And,
    Or,
    Not,
    Eq,
    Ne,
}

fn tokens(expr: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = expr.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' | '\t' | '\n' => {
                chars.next();
            }
            '(' | ')' => {
                chars.next();
                out.push(if c == '(' { Token::Open } else { Token::Close });
            }
            '\'' => {
                chars.next();
                let mut s = String::new();
                loop {
                    match chars.next() {
                        // '' is a quote inside a string.
                        Some('\'') if chars.peek() == Some(&'\'') => {
                            chars.next();
                            s.push('\'');
                        }
                        Some('\'') => break,
                        Some(c) => s.push(c),
                        None => panic!("unclosed string in {expr:?}"),
                    }
                }
                out.push(Token::Str(s));
            }
            '&' | '|' | '=' | '!' => {
                chars.next();
                let second = chars.peek().copied();
                let token = match (c, second) {
                    ('&', Some('&')) => Token::And,
                    ('|', Some('|')) => Token::Or,
                    ('=', Some('=')) => Token::Eq,
                    ('!', Some('=')) => Token::Ne,
                    ('!', _) => {
                        out.push(Token::Not);
                        continue;
                    }
                    _ => panic!("unsupported operator at {c} in {expr:?}"),
                };
                chars.next();
                out.push(token);
            }
            c if c.is_ascii_alphanumeric() || c == '_' => {
                let mut s = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_ascii_alphanumeric() || "_-.".contains(c) {
                        s.push(c);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Token::Ident(s));
            }
            _ => panic!("unsupported character {c:?} in {expr:?}"),
        }
    }
    out
}

/// What an expression can see.
struct Context<'a> {
    inputs: &'a BTreeMap<String, String>,
    step_ids: &'a BTreeSet<String>,
    outputs: &'a BTreeMap<String, BTreeMap<String, String>>,
    failed: bool,
}

impl Context<'_> {
    fn lookup(&self, name: &str) -> Val {
        let parts: Vec<&str> = name.split('.').collect();
        match parts.as_slice() {
            ["inputs", input] => Val::Str(
                self.inputs
                    .get(*input)
                    .unwrap_or_else(|| panic!("{name}: no such input"))
                    .clone(),
            ),
            ["github", "action_path"] => Val::Str(ROOT.to_string()),
            ["steps", id, "outputs", output] => {
                assert!(self.step_ids.contains(*id), "{name}: no step with that id");
                // A step that did not run, or did not set it, gives the empty string.
                Val::Str(
                    self.outputs
                        .get(*id)
                        .and_then(|o| o.get(*output))
                        .cloned()
                        .unwrap_or_default(),
                )
            }
            _ => panic!("{name}: a context the emulator does not know"),
        }
    }
}

struct Parser<'a, 'c> {
    tokens: Vec<Token>,
    at: usize,
    cx: &'a Context<'c>,
}

impl Parser<'_, '_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Token {
        let t = self.tokens.get(self.at).cloned().expect("unexpected end");
        self.at += 1;
        t
    }

    fn or(&mut self) -> Val {
        let mut left = self.and();
        while self.peek() == Some(&Token::Or) {
            self.next();
            let right = self.and();
            left = if left.truthy() { left } else { right };
        }
        left
    }

    fn and(&mut self) -> Val {
        let mut left = self.compare();
        while self.peek() == Some(&Token::And) {
            self.next();
            let right = self.compare();
            left = if left.truthy() { right } else { left };
        }
        left
    }

    fn compare(&mut self) -> Val {
        let left = self.unary();
        let negate = match self.peek() {
            Some(Token::Eq) => false,
            Some(Token::Ne) => true,
            _ => return left,
        };
        self.next();
        let right = self.unary();
        let equal = match (&left, &right) {
            // GitHub compares strings ignoring case.
            (Val::Str(a), Val::Str(b)) => a.eq_ignore_ascii_case(b),
            (Val::Bool(a), Val::Bool(b)) => a == b,
            _ => panic!("comparing {left:?} with {right:?}: the emulator does not coerce"),
        };
        Val::Bool(equal != negate)
    }

    fn unary(&mut self) -> Val {
        if self.peek() == Some(&Token::Not) {
            self.next();
            return Val::Bool(!self.unary().truthy());
        }
        match self.next() {
            Token::Str(s) => Val::Str(s),
            Token::Open => {
                let v = self.or();
                assert_eq!(self.next(), Token::Close, "unbalanced parentheses");
                v
            }
            Token::Ident(name) if self.peek() == Some(&Token::Open) => {
                self.next();
                assert_eq!(
                    self.next(),
                    Token::Close,
                    "{name}: only functions without arguments"
                );
                match name.as_str() {
                    "always" => Val::Bool(true),
                    "success" => Val::Bool(!self.cx.failed),
                    "failure" => Val::Bool(self.cx.failed),
                    "cancelled" => Val::Bool(false),
                    _ => panic!("{name}(): a function the emulator does not know"),
                }
            }
            Token::Ident(name) if name == "true" || name == "false" => Val::Bool(name == "true"),
            Token::Ident(name) => self.cx.lookup(&name),
            t => panic!("unexpected {t:?}"),
        }
    }
}

fn eval(expr: &str, cx: &Context) -> Val {
    let mut p = Parser {
        tokens: tokens(expr),
        at: 0,
        cx,
    };
    let v = p.or();
    assert!(p.peek().is_none(), "trailing tokens in {expr:?}");
    v
}

/// A string with `${{ }}` expressions replaced by their values.
fn interpolate(s: &str, cx: &Context) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find("}}")
            .unwrap_or_else(|| panic!("unclosed expression in {s:?}"));
        out.push_str(&eval(&rest[start + 3..start + end], cx).into_text());
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    out
}

/// An `if:`: with no status function in it, `success() &&` is implied.
fn condition(expr: &str, cx: &Context) -> bool {
    let expr = expr.trim();
    let expr = expr
        .strip_prefix("${{")
        .and_then(|e| e.strip_suffix("}}"))
        .unwrap_or(expr);
    let status = ["always(", "success(", "failure(", "cancelled("]
        .iter()
        .any(|f| expr.contains(f));
    let v = eval(expr, cx).truthy();
    if status {
        v
    } else {
        !cx.failed && v
    }
}

#[test]
fn expressions_evaluate_as_on_github() {
    let inputs = BTreeMap::from([
        ("upload-sarif".to_string(), "True".to_string()),
        ("empty".to_string(), String::new()),
    ]);
    let ids = BTreeSet::from(["lint".to_string()]);
    let outputs = BTreeMap::from([(
        "lint".to_string(),
        BTreeMap::from([("exit-code".to_string(), "1".to_string())]),
    )]);
    let mut cx = Context {
        inputs: &inputs,
        step_ids: &ids,
        outputs: &outputs,
        failed: false,
    };
    assert!(condition("inputs.upload-sarif == 'true'", &cx));
    assert!(condition(
        "${{ always() && steps.lint.outputs.exit-code != '0' }}",
        &cx
    ));
    assert!(!condition("steps.lint.outputs.missing == 'x'", &cx));
    assert!(condition("!inputs.empty || (false)", &cx));
    assert_eq!(
        interpolate(
            "a ${{ steps.lint.outputs.exit-code }} b ${{ 'it''s' }}",
            &cx
        ),
        "a 1 b it's"
    );
    cx.failed = true;
    assert!(!condition("inputs.upload-sarif == 'true'", &cx));
    assert!(condition("always() && inputs.upload-sarif == 'true'", &cx));
}

// ---------------------------------------------------------------------------------------------
// The composite action, run.

#[derive(Debug)]
struct StepRun {
    name: String,
    /// `None`: skipped by its `if:`.
    exit: Option<i32>,
    stdout: String,
    stderr: String,
    /// A `uses` step: what it names and its resolved `with:`.
    uses: Option<String>,
    with: BTreeMap<String, String>,
}

#[derive(Debug)]
struct ActionRun {
    steps: Vec<StepRun>,
    outputs: BTreeMap<String, String>,
    failed: bool,
    summary: String,
}

impl ActionRun {
    fn step(&self, name: &str) -> &StepRun {
        self.steps
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no step {name:?}"))
    }

    /// (name, exit code or None when skipped; a `uses` step that would run is Some(0)).
    fn trace(&self) -> Vec<(&str, Option<i32>)> {
        self.steps
            .iter()
            .map(|s| (s.name.as_str(), s.exit))
            .collect()
    }

    fn log(&self) -> String {
        self.steps
            .iter()
            .map(|s| format!("== {}\n{}{}", s.name, s.stdout, s.stderr))
            .collect()
    }
}

/// Reads a `$GITHUB_OUTPUT` / `$GITHUB_ENV` file: `name=value` and `name<<DELIMITER` blocks.
fn command_file(path: &Path) -> BTreeMap<String, String> {
    let content = std::fs::read_to_string(path).unwrap_or_default();
    let mut out = BTreeMap::new();
    let mut lines = content.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delimiter)) = line.split_once("<<") {
            let mut value = Vec::new();
            for l in lines.by_ref() {
                if l == delimiter {
                    break;
                }
                value.push(l);
            }
            out.insert(name.to_string(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            out.insert(name.to_string(), value.to_string());
        } else {
            assert!(line.is_empty(), "a bad command file line: {line:?}");
        }
    }
    out
}

/// Runs action.yml in `scratch.work` with `given` inputs, as a runner would, with `path_dirs`
/// before bin/ on PATH.
fn run_action_with(scratch: &Scratch, given: &[(&str, &str)], path_dirs: &[PathBuf]) -> ActionRun {
    let action = load_yaml("action.yml");
    let mut inputs = BTreeMap::new();
    for (name, spec) in action["inputs"].as_hash().unwrap() {
        let default = match &spec["default"] {
            Yaml::BadValue => String::new(),
            d => text(d, "default").to_string(),
        };
        inputs.insert(text(name, "input").to_string(), default);
    }
    for (name, value) in given {
        assert!(
            inputs.contains_key(*name),
            "{name} is not an input of action.yml"
        );
        inputs.insert(name.to_string(), value.to_string());
    }
    let steps = action["runs"]["steps"].as_vec().unwrap();
    let step_ids: BTreeSet<String> = steps
        .iter()
        .filter_map(|s| s["id"].as_str().map(str::to_string))
        .collect();

    let mut outputs: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut extra_path: Vec<PathBuf> = path_dirs.to_vec();
    let mut extra_env: BTreeMap<String, String> = BTreeMap::new();
    let mut failed = false;
    let mut summary = String::new();
    let mut runs = Vec::new();
    for (index, step) in steps.iter().enumerate() {
        for key in keys(step) {
            assert!(
                [
                    "name",
                    "id",
                    "if",
                    "shell",
                    "env",
                    "run",
                    "uses",
                    "with",
                    "working-directory"
                ]
                .contains(&key),
                "step {index}: the emulator does not know {key:?}"
            );
        }
        let name = text(&step["name"], "name").to_string();
        let id = step["id"].as_str().map(str::to_string);
        let cx = Context {
            inputs: &inputs,
            step_ids: &step_ids,
            outputs: &outputs,
            failed,
        };
        let runs_now = match &step["if"] {
            Yaml::BadValue => !failed,
            e => condition(text(e, "if"), &cx),
        };
        let mut env = BTreeMap::new();
        if let Some(h) = step["env"].as_hash() {
            for (k, v) in h {
                env.insert(
                    text(k, "env").to_string(),
                    interpolate(text(v, "env value"), &cx),
                );
            }
        }
        let mut with = BTreeMap::new();
        if let Some(h) = step["with"].as_hash() {
            for (k, v) in h {
                with.insert(
                    text(k, "with").to_string(),
                    interpolate(text(v, "with value"), &cx),
                );
            }
        }
        let mut run = StepRun {
            name,
            exit: None,
            stdout: String::new(),
            stderr: String::new(),
            uses: step["uses"].as_str().map(str::to_string),
            with,
        };
        if !runs_now {
            runs.push(run);
            continue;
        }
        if run.uses.is_some() {
            // Not run here (it talks to GitHub); it would have, and is taken to succeed.
            run.exit = Some(0);
            runs.push(run);
            continue;
        }
        let script = text(&step["run"], "run");
        assert_eq!(text(&step["shell"], "shell"), "bash", "{}: shell", run.name);
        let files = scratch.tmp.join(format!("step{index}"));
        std::fs::create_dir_all(&files).unwrap();
        let script_file = files.join("script.sh");
        std::fs::write(&script_file, script).unwrap();
        let [output, env_file, path_file, summary_file] =
            ["output", "env", "path", "summary"].map(|f| files.join(f));
        for f in [&output, &env_file, &path_file, &summary_file] {
            std::fs::write(f, "").unwrap();
        }
        let workdir = match step["working-directory"].as_str() {
            Some(d) => scratch.work.join(interpolate(d, &cx)),
            None => scratch.work.clone(),
        };
        let out = scratch
            .command("bash", &extra_path)
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script_file)
            .current_dir(workdir)
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_WORKSPACE", &scratch.work)
            .env("GITHUB_ACTION_PATH", ROOT)
            .env("RUNNER_TEMP", &scratch.tmp)
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_ENV", &env_file)
            .env("GITHUB_PATH", &path_file)
            .env("GITHUB_STEP_SUMMARY", &summary_file)
            .envs(&extra_env)
            .envs(&env)
            .output()
            .unwrap();
        run.exit = Some(out.status.code().expect("the step was killed"));
        run.stdout = String::from_utf8(out.stdout).unwrap();
        run.stderr = String::from_utf8(out.stderr).unwrap();
        if run.exit != Some(0) {
            failed = true;
        }
        if let Some(id) = &id {
            outputs.insert(id.clone(), command_file(&output));
        }
        extra_env.extend(command_file(&env_file));
        // Later GITHUB_PATH lines come first.
        let added = std::fs::read_to_string(&path_file).unwrap();
        for line in added.lines().filter(|l| !l.is_empty()) {
            extra_path.insert(0, PathBuf::from(line));
        }
        summary.push_str(&std::fs::read_to_string(&summary_file).unwrap());
        runs.push(run);
    }
    let cx = Context {
        inputs: &inputs,
        step_ids: &step_ids,
        outputs: &outputs,
        failed,
    };
    let action_outputs = action["outputs"]
        .as_hash()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            (
                text(k, "output").to_string(),
                interpolate(text(&v["value"], "value"), &cx),
            )
        })
        .collect();
    ActionRun {
        steps: runs,
        outputs: action_outputs,
        failed,
        summary,
    }
}

fn run_action(scratch: &Scratch, given: &[(&str, &str)]) -> ActionRun {
    run_action_with(scratch, given, &[])
}

const INSTALL: &str = "Install samlcheck";
const LINT: &str = "Lint SAML metadata";
const UPLOAD: &str = "Upload SARIF to code scanning";
const VERDICT: &str = "Verdict";

/// Validates a SARIF log against the schema tests/report_formats.rs uses; `None` without
/// Python's jsonschema (a failure on CI).
fn sarif_schema_errors(document: &str) -> Option<Vec<String>> {
    const SCRIPT: &str = r#"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
for e in jsonschema.Draft7Validator(schema).iter_errors(json.load(sys.stdin)):
    print("/".join(map(str, e.absolute_path)) + ": " + e.message)
"#;
    let probe = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output();
    if !probe.map(|o| o.status.success()).unwrap_or(false) {
        external_support::missing_tools_hint(
            "SARIF schema validation",
            "python3 with jsonschema is missing",
            "pip install jsonschema",
        );
        return None;
    }
    let mut child = Command::new("python3")
        .args([
            "-c",
            SCRIPT,
            &format!("{ROOT}/tests/data/sarif-schema-2.1.0.json"),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(document.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect(),
    )
}

/// The SARIF results as (rule id, artifact URI, level), sorted; the log is schema-checked.
fn sarif_results(path: &Path) -> Vec<(String, String, String)> {
    let document =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if let Some(errors) = sarif_schema_errors(&document) {
        assert!(errors.is_empty(), "{errors:#?}");
    }
    let log: Value = serde_json::from_str(&document).unwrap();
    let mut out: Vec<(String, String, String)> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                r["level"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn triples(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    list.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

/// The workflow commands a step printed: (command, file, title).
fn annotations(out: &str) -> Vec<(String, String, String)> {
    let mut found: Vec<(String, String, String)> = out
        .lines()
        .filter_map(|l| l.strip_prefix("::"))
        .filter_map(|l| {
            let (head, _message) = l.split_once("::")?;
            let (command, props) = head.split_once(' ')?;
            let prop = |name: &str| {
                props
                    .split(',')
                    .find_map(|p| p.strip_prefix(&format!("{name}=")))
                    .unwrap_or("")
                    .to_string()
            };
            Some((command.to_string(), prop("file"), prop("title")))
        })
        .collect();
    found.sort();
    found
}

const ALL_FINDINGS: [(&str, &str, &str); 4] = [
    ("metadata/expired", "metadata/expired.xml", "error"),
    (
        "metadata/insecure-endpoint",
        "metadata/insecure-endpoint.xml",
        "error",
    ),
    (
        "metadata/transient-nameid-only",
        "metadata/transient-nameid-only.xml",
        "warning",
    ),
    (
        "metadata/want-authn-requests-signed",
        "metadata/keycloak.xml",
        "note",
    ),
];

fn findings_scratch() -> Scratch {
    let files: Vec<(&str, &str)> = CLEAN.iter().chain(BAD.iter()).copied().collect();
    Scratch::new(&files)
}

#[test]
fn action_uploads_the_sarif_then_fails_on_findings() {
    let scratch = findings_scratch();
    // A folder, as docs/ci.md shows it.
    let run = run_action(
        &scratch,
        &[
            ("install", "false"),
            ("args", NOW_ARGS),
            ("paths", "metadata/"),
        ],
    );
    let log = run.log();
    assert_eq!(
        run.trace(),
        [
            (INSTALL, Some(0)),
            (LINT, Some(0)),
            (UPLOAD, Some(0)),
            (VERDICT, Some(1))
        ],
        "{log}"
    );
    assert!(run.failed);
    assert_eq!(run.outputs["exit-code"], "1");
    assert_eq!(run.outputs["sarif-file"], "samlcheck.sarif");

    // The upload step would send exactly the file the lint step wrote.
    let upload = run.step(UPLOAD);
    assert_eq!(
        upload.uses.as_deref(),
        Some("github/codeql-action/upload-sarif@v4")
    );
    assert_eq!(
        upload.with,
        BTreeMap::from([
            ("sarif_file".to_string(), "samlcheck.sarif".to_string()),
            ("category".to_string(), "samlcheck".to_string()),
        ])
    );
    let sarif = scratch.work.join(&upload.with["sarif_file"]);
    assert_eq!(sarif_results(&sarif), triples(&ALL_FINDINGS));

    // The install step took the samlcheck on PATH and printed its version.
    let install = run.step(INSTALL);
    assert_eq!(
        install.stdout,
        format!("samlcheck {}\n", env!("CARGO_PKG_VERSION"))
    );

    // Annotations name the files relative to the workspace, as GitHub matches them.
    let lint = run.step(LINT);
    assert_eq!(
        annotations(&lint.stdout),
        triples(&[
            ("error", "metadata/expired.xml", "metadata/expired"),
            (
                "error",
                "metadata/insecure-endpoint.xml",
                "metadata/insecure-endpoint"
            ),
            (
                "notice",
                "metadata/keycloak.xml",
                "metadata/want-authn-requests-signed"
            ),
            (
                "warning",
                "metadata/transient-nameid-only.xml",
                "metadata/transient-nameid-only"
            ),
        ])
    );
    assert!(lint
        .stdout
        .ends_with("samlcheck lint: Error-level findings: samlcheck exited 1.\n"));
    assert_eq!(
        run.summary,
        "### samlcheck lint\n\nError-level findings: samlcheck exited 1.\n\n\
         | Rule | Results |\n| --- | --- |\n\
         | `metadata/expired` | 1 |\n\
         | `metadata/insecure-endpoint` | 1 |\n\
         | `metadata/transient-nameid-only` | 1 |\n\
         | `metadata/want-authn-requests-signed` | 1 |\n"
    );
    let verdict = run.step(VERDICT);
    assert!(
        verdict
            .stdout
            .starts_with("::error title=samlcheck::error-level findings in the SAML metadata"),
        "{}",
        verdict.stdout
    );
}

#[test]
fn action_reports_without_failing_when_told_and_can_skip_the_upload() {
    let scratch = findings_scratch();
    let run = run_action(
        &scratch,
        &[
            ("install", "false"),
            ("args", NOW_ARGS),
            ("paths", "metadata"),
            ("fail-on-findings", "false"),
            ("upload-sarif", "false"),
            ("annotations", "false"),
            ("sarif-file", "reports/saml.sarif"),
        ],
    );
    assert_eq!(
        run.trace(),
        [
            (INSTALL, Some(0)),
            (LINT, Some(0)),
            (UPLOAD, None),
            (VERDICT, Some(0))
        ],
        "{}",
        run.log()
    );
    assert!(!run.failed);
    assert_eq!(run.outputs["exit-code"], "1");
    assert_eq!(run.outputs["sarif-file"], "reports/saml.sarif");
    // Skipped, yet what it would upload is still the file written.
    assert_eq!(run.step(UPLOAD).with["sarif_file"], "reports/saml.sarif");
    assert_eq!(
        sarif_results(&scratch.work.join("reports/saml.sarif")),
        triples(&ALL_FINDINGS)
    );
    assert!(annotations(&run.step(LINT).stdout).is_empty());
    assert_eq!(
        run.step(VERDICT).stdout,
        "samlcheck: error-level findings reported; the job goes on (fail-on-findings: false)\n"
    );
}

#[test]
fn action_passes_clean_metadata() {
    let scratch = Scratch::new(&CLEAN);
    // Newline-separated paths, as a YAML block scalar gives them.
    let run = run_action(
        &scratch,
        &[
            ("install", "false"),
            ("args", NOW_ARGS),
            ("paths", "metadata/okta.xml\nmetadata/keycloak.xml\n"),
        ],
    );
    assert_eq!(
        run.trace(),
        [
            (INSTALL, Some(0)),
            (LINT, Some(0)),
            (UPLOAD, Some(0)),
            (VERDICT, Some(0))
        ],
        "{}",
        run.log()
    );
    assert!(!run.failed);
    assert_eq!(run.outputs["exit-code"], "0");
    // The note stays a note: it neither fails the job nor goes missing from code scanning.
    assert_eq!(
        sarif_results(&scratch.work.join("samlcheck.sarif")),
        triples(&[(
            "metadata/want-authn-requests-signed",
            "metadata/keycloak.xml",
            "note"
        )])
    );
    assert_eq!(
        run.summary,
        "### samlcheck lint\n\nNo error-level finding.\n\n| Rule | Results |\n| --- | --- |\n\
         | `metadata/want-authn-requests-signed` | 1 |\n"
    );
    assert_eq!(
        run.step(VERDICT).stdout,
        "samlcheck: no error-level finding\n"
    );
}

#[test]
fn action_args_reach_samlcheck_deny_warnings() {
    let scratch = Scratch::new(&[BAD[2]]);
    let plain = run_action(
        &scratch,
        &[
            ("install", "false"),
            ("args", NOW_ARGS),
            ("paths", "metadata"),
        ],
    );
    assert_eq!(plain.outputs["exit-code"], "0", "{}", plain.log());
    assert!(!plain.failed);
    let denied = run_action(
        &scratch,
        &[
            ("install", "false"),
            ("args", &format!("{NOW_ARGS}  --deny\twarnings")),
            ("paths", "metadata"),
        ],
    );
    assert_eq!(denied.outputs["exit-code"], "1", "{}", denied.log());
    assert!(denied.failed);
    assert_eq!(denied.step(VERDICT).exit, Some(1));
    assert_eq!(
        sarif_results(&scratch.work.join("samlcheck.sarif")),
        triples(&[(
            "metadata/transient-nameid-only",
            "metadata/transient-nameid-only.xml",
            "warning"
        )])
    );
}

#[test]
fn action_fails_on_unreadable_input_even_when_findings_may_pass() {
    // One file is not XML: exit 2, with the SARIF of what could be read still uploaded.
    let scratch = Scratch::new(&CLEAN[..1]);
    scratch.write("metadata/broken.xml", "not xml at all\n");
    let run = run_action(
        &scratch,
        &[
            ("install", "false"),
            ("args", NOW_ARGS),
            ("paths", "metadata"),
            ("fail-on-findings", "false"),
        ],
    );
    assert_eq!(
        run.trace(),
        [
            (INSTALL, Some(0)),
            (LINT, Some(0)),
            (UPLOAD, Some(0)),
            (VERDICT, Some(2))
        ],
        "{}",
        run.log()
    );
    assert!(run.failed);
    assert_eq!(run.outputs["exit-code"], "2");
    assert_eq!(
        sarif_results(&scratch.work.join("samlcheck.sarif")),
        triples(&[("xml/malformed", "metadata/broken.xml", "error")])
    );

    // A path that does not exist: samlcheck writes nothing, so nothing is uploaded.
    let run = run_action(
        &scratch,
        &[
            ("install", "false"),
            ("paths", "metadata/missing.xml"),
            ("sarif-file", "missing.sarif"),
            ("fail-on-findings", "false"),
        ],
    );
    assert_eq!(
        run.trace(),
        [
            (INSTALL, Some(0)),
            (LINT, Some(0)),
            (UPLOAD, None),
            (VERDICT, Some(2))
        ],
        "{}",
        run.log()
    );
    assert_eq!(run.outputs["exit-code"], "2");
    assert!(!scratch.work.join("missing.sarif").exists());
    assert!(run
        .step(LINT)
        .stderr
        .contains("samlcheck: cannot read metadata/missing.xml"));
}

#[test]
fn action_fails_naming_paths_when_it_is_empty() {
    let scratch = findings_scratch();
    // Not given (it has no default), or only blanks: the lint step fails, naming the input,
    // and nothing is linted or uploaded.
    for given in [None, Some(" \n\t\n")] {
        let mut inputs = vec![("install", "false"), ("args", NOW_ARGS)];
        if let Some(paths) = given {
            inputs.push(("paths", paths));
        }
        let run = run_action(&scratch, &inputs);
        assert_eq!(
            run.trace(),
            [
                (INSTALL, Some(0)),
                (LINT, Some(2)),
                (UPLOAD, None),
                (VERDICT, None)
            ],
            "{given:?}: {}",
            run.log()
        );
        assert!(run.failed);
        assert_eq!(run.outputs["exit-code"], "2");
        assert_eq!(
            run.step(LINT).stdout,
            "::error title=samlcheck::the input paths is empty: set it to the metadata files or \
             folders to lint, for example \"paths: metadata/\"\n"
        );
        assert!(!scratch.work.join("samlcheck.sarif").exists());
    }
}

#[test]
fn action_install_builds_from_its_own_source() {
    // A stand-in cargo records how it is called and "installs" the built binary, so the
    // install step's real script runs without minutes of compiling.
    let scratch = Scratch::new(&CLEAN[..1]);
    let fake = scratch.tmp.join("fake-cargo");
    std::fs::create_dir_all(&fake).unwrap();
    let calls = scratch.tmp.join("cargo-calls");
    std::fs::write(
        fake.join("cargo"),
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{calls}'\n\
             root=\"\"\nwhile [ $# -gt 0 ]; do [ \"$1\" = --root ] && root=$2; shift; done\n\
             mkdir -p \"$root/bin\" && ln -s '{SAMLCHECK}' \"$root/bin/samlcheck\"\n",
            calls = calls.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(fake.join("cargo"), std::fs::Permissions::from_mode(0o755)).unwrap();

    let run = run_action_with(
        &scratch,
        &[("args", NOW_ARGS), ("paths", "metadata")],
        &[fake],
    );
    assert_eq!(run.outputs["exit-code"], "0", "{}", run.log());
    let root = scratch.tmp.join("samlcheck");
    assert_eq!(
        std::fs::read_to_string(&calls).unwrap(),
        format!("install --locked --path {ROOT} --root {}\n", root.display())
    );
    assert!(run.step(INSTALL).stdout.starts_with("samlcheck "));
    assert!(scratch.work.join("samlcheck.sarif").exists());

    // Neither true nor false: the install step says so and nothing else runs.
    let run = run_action(&scratch, &[("install", "yes")]);
    assert_eq!(
        run.trace(),
        [
            (INSTALL, Some(1)),
            (LINT, None),
            (UPLOAD, None),
            (VERDICT, None)
        ]
    );
    assert_eq!(
        run.step(INSTALL).stdout,
        "::error title=samlcheck::the input install must be true or false\n"
    );
}

#[test]
fn action_yml_passes_inputs_only_through_env() {
    let action = load_yaml("action.yml");
    assert_eq!(text(&action["runs"]["using"], "using"), "composite");
    let inputs: BTreeSet<&str> = keys(&action["inputs"]).into_iter().collect();
    assert_eq!(
        inputs,
        BTreeSet::from([
            "annotations",
            "args",
            "fail-on-findings",
            "install",
            "paths",
            "sarif-file",
            "upload-sarif"
        ])
    );
    for input in &inputs {
        let spec = &action["inputs"][*input];
        assert!(spec["description"].as_str().is_some(), "{input}");
        if *input == "paths" {
            // No default: "." would lint every *.xml of the repository (pom.xml...).
            assert_eq!(spec["required"].as_bool(), Some(true), "paths: required");
            assert!(spec["default"].is_badvalue(), "paths: no default");
        } else {
            assert!(spec["default"].as_str().is_some(), "{input}: a default");
        }
    }
    assert_eq!(keys(&action["outputs"]), ["sarif-file", "exit-code"]);

    let mut used = BTreeSet::new();
    let mut scripts = Vec::new();
    for step in action["runs"]["steps"].as_vec().unwrap() {
        let name = text(&step["name"], "name");
        for (_, v) in step["env"]
            .as_hash()
            .into_iter()
            .chain(step["with"].as_hash())
            .flatten()
        {
            let v = text(v, "value");
            for input in &inputs {
                if v.contains(&format!("inputs.{input} ")) {
                    used.insert(*input);
                }
            }
        }
        if let Some(condition) = step["if"].as_str() {
            for input in &inputs {
                if condition.contains(&format!("inputs.{input} ")) {
                    used.insert(*input);
                }
            }
        }
        match (step["run"].as_str(), step["uses"].as_str()) {
            (Some(run), None) => {
                // Script injection: an expression in the script text would be pasted in as code.
                assert!(!run.contains("${{"), "{name}: an expression in run");
                assert_eq!(text(&step["shell"], "shell"), "bash", "{name}");
                let script = run
                    .strip_prefix("bash \"$GITHUB_ACTION_PATH/")
                    .and_then(|s| s.strip_suffix('"'))
                    .unwrap_or_else(|| panic!("{name}: run is one script of the action"));
                assert!(Path::new(ROOT).join(script).is_file(), "{script}");
                scripts.push(script.to_string());
            }
            (None, Some(uses)) => {
                assert_eq!(uses, "github/codeql-action/upload-sarif@v4", "{name}");
                assert_eq!(keys(&step["with"]), ["sarif_file", "category"]);
                assert_eq!(
                    text(&step["if"], "if"),
                    "always() && inputs.upload-sarif == 'true' && steps.lint.outputs.sarif-written == 'true'"
                );
            }
            _ => panic!("{name}: a step is either run or uses"),
        }
    }
    assert_eq!(used, inputs, "every input reaches a step");
    assert_eq!(
        scripts,
        [
            "ci/github/install.sh",
            "ci/github/lint.sh",
            "ci/github/verdict.sh"
        ]
    );

    // shellcheck, when present (CI installs it).
    if external_support::require("action scripts shellcheck", &["shellcheck"], "shellcheck")
        .is_some()
    {
        let out = Command::new("shellcheck")
            .current_dir(ROOT)
            .args(&scripts)
            .args(["ci/github/inputs.sh", "ci/pre-commit/try-rust-hook.sh"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// pre-commit

const HOOK_FILES: &str = r"(?i)((metadata|saml|idp|federation)[^/]*|(^|/)(metadata|saml)/.*)\.xml$";

#[test]
fn pre_commit_hooks_file_declares_both_hooks() {
    let hooks = load_yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_vec().unwrap();
    assert_eq!(hooks.len(), 2);
    let field = |h: &Yaml, k: &str| text(&h[k], k).to_string();
    for (hook, id, language) in [
        (&hooks[0], "samlcheck-lint", "rust"),
        (&hooks[1], "samlcheck-lint-system", "system"),
    ] {
        assert_eq!(field(hook, "id"), id);
        assert_eq!(field(hook, "language"), language);
        assert_eq!(field(hook, "entry"), "samlcheck lint");
        assert_eq!(field(hook, "name"), "samlcheck lint (SAML metadata)");
        assert_eq!(field(hook, "files"), HOOK_FILES);
        assert_eq!(hook["pass_filenames"].as_bool(), Some(true), "{id}");
        assert!(field(hook, "description").starts_with("Lint SAML 2.0 IdP metadata"));
    }
    // language: rust arrived in pre-commit 2.21.0.
    assert_eq!(field(&hooks[0], "minimum_pre_commit_version"), "2.21.0");
    let mut k = keys(&hooks[1]);
    k.sort();
    assert_eq!(
        k,
        [
            "description",
            "entry",
            "files",
            "id",
            "language",
            "name",
            "pass_filenames"
        ]
    );
}

fn pre_commit(scratch: &Scratch, files: &[&str]) -> (i32, String) {
    let out = scratch
        .command("pre-commit", &[])
        .env("PRE_COMMIT_HOME", scratch.tmp.join("pre-commit-home"))
        .args(["try-repo", ROOT, "samlcheck-lint-system", "--files"])
        .args(files)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap()
    );
    (out.status.code().unwrap(), text)
}

#[test]
fn pre_commit_system_hook_fails_on_broken_metadata_only() {
    if external_support::require_installed(
        "pre-commit system hook",
        &["pre-commit", "git"],
        "pip install pre-commit (and apt-get install git)",
    )
    .is_none()
    {
        return;
    }
    // No --now reaches the hook: these two fixtures stay as they are until their
    // certificates expire in 2045 (clean, and exactly one plain-HTTP endpoint).
    let scratch = Scratch::new(&CLEAN[..1]);
    for dir in ["sso", "config"] {
        std::fs::create_dir_all(scratch.work.join(dir)).unwrap();
    }
    std::fs::copy(
        format!("{ROOT}/fixtures/metadata/rules/metadata__insecure-endpoint.xml"),
        scratch.work.join("sso/broken-idp.xml"),
    )
    .unwrap();
    // Not metadata by its name: the hook's `files` must leave it alone.
    scratch.write("config/pom.xml", "not xml at all\n");
    let git = scratch
        .command("git", &[])
        .args(["init", "-q", "."])
        .output()
        .unwrap();
    assert!(git.status.success(), "{git:?}");

    let (code, out) = pre_commit(&scratch, &["metadata/okta.xml"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("samlcheck lint (SAML metadata)"), "{out}");
    assert!(out.contains("Passed"), "{out}");

    let (code, out) = pre_commit(
        &scratch,
        &["metadata/okta.xml", "sso/broken-idp.xml", "config/pom.xml"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("Failed\n- hook id: samlcheck-lint-system\n- exit code: 1\n"),
        "{out}"
    );
    assert!(
        out.contains("metadata/okta.xml: 1 entity, 0 error(s), 0 warning(s)\n"),
        "{out}"
    );
    assert!(
        out.contains("sso/broken-idp.xml: 1 entity, 1 error(s), 0 warning(s)\n"),
        "{out}"
    );
    assert!(out.contains("error[metadata/insecure-endpoint]: "), "{out}");
    assert!(!out.contains("pom.xml"), "{out}");
    assert_eq!(out.matches("error[").count(), 1, "{out}");

    let (code, out) = pre_commit(&scratch, &["config/pom.xml"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("(no files to check)Skipped"), "{out}");
}

// ---------------------------------------------------------------------------------------------
// GitLab CI

const GITLAB: &str = "ci/gitlab/samlcheck.gitlab-ci.yml";
const GITLAB_JOB: &str = "samlcheck-lint";

/// Single quotes for bash.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Runs the job's before_script and script as GitLab's runner does with a bash shell: one
/// script, `set -eo pipefail`, each line echoed then run; the job's variables, with
/// `overrides`, in the environment.
fn run_gitlab_job(scratch: &Scratch, overrides: &[(&str, &str)]) -> (i32, String) {
    let config = load_yaml(GITLAB);
    let job = &config[GITLAB_JOB];
    let mut variables: BTreeMap<String, String> = job["variables"]
        .as_hash()
        .unwrap()
        .iter()
        .map(|(k, v)| (text(k, "name").to_string(), text(v, "value").to_string()))
        .collect();
    for (k, v) in overrides {
        assert!(
            variables.contains_key(*k),
            "{k} is not a variable of the job"
        );
        variables.insert(k.to_string(), v.to_string());
    }
    let mut script = String::from("set -eo pipefail\nset +o noclobber\n");
    for section in ["before_script", "script"] {
        for line in job[section].as_vec().unwrap() {
            let line = text(line, section);
            script.push_str(&format!(
                "printf '%s\\n' {}\n{line}\n",
                quote(&format!("$ {line}"))
            ));
        }
    }
    let file = scratch.tmp.join("gitlab-job.sh");
    std::fs::write(&file, script).unwrap();
    let out = scratch
        .command("bash", &[])
        .args(["--noprofile", "--norc"])
        .arg(&file)
        .env("GITLAB_CI", "true")
        .env("CI_PROJECT_DIR", &scratch.work)
        .env("TMPDIR", &scratch.tmp)
        .envs(&variables)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        format!(
            "{}{}",
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap()
        ),
    )
}

/// A JUnit test suite: its name (the file) and its testcases as (classname, failure type when
/// failed).
type Suite = (String, Vec<(String, Option<String>)>);

/// The JUnit report the job declares.
fn gitlab_junit(scratch: &Scratch) -> Vec<Suite> {
    use quick_xml::events::Event;
    let config = load_yaml(GITLAB);
    let report = text(
        &config[GITLAB_JOB]["artifacts"]["reports"]["junit"],
        "junit",
    );
    let xml = std::fs::read_to_string(scratch.work.join(report))
        .unwrap_or_else(|e| panic!("{report}: {e}"));
    let attr = |e: &quick_xml::events::BytesStart, name: &str| -> String {
        e.try_get_attribute(name)
            .unwrap()
            .unwrap_or_else(|| panic!("no {name}"))
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .unwrap()
            .into_owned()
    };
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut suites: Vec<Suite> = Vec::new();
    let mut seen_root = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "testsuites" => seen_root = true,
                "testsuite" => suites.push((attr(&e, "name"), Vec::new())),
                "testcase" => suites
                    .last_mut()
                    .unwrap()
                    .1
                    .push((attr(&e, "classname"), None)),
                "failure" => {
                    let case = suites.last_mut().unwrap().1.last_mut().unwrap();
                    case.1 = Some(attr(&e, "type"));
                }
                "system-out" => {}
                other => panic!("unexpected <{other}>"),
            },
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(seen_root, "{xml}");
    suites
}

fn suite(file: &str, cases: &[(&str, Option<&str>)]) -> Suite {
    (
        file.to_string(),
        cases
            .iter()
            .map(|(c, f)| (c.to_string(), f.map(str::to_string)))
            .collect(),
    )
}

#[test]
fn gitlab_job_declares_its_junit_report() {
    let config = load_yaml(GITLAB);
    assert_eq!(keys(&config), [GITLAB_JOB]);
    let job = &config[GITLAB_JOB];
    assert_eq!(text(&job["stage"], "stage"), "test");
    let artifacts = &job["artifacts"];
    assert_eq!(text(&artifacts["when"], "when"), "always");
    assert_eq!(
        text(&artifacts["reports"]["junit"], "junit"),
        "samlcheck-junit.xml"
    );
    assert_eq!(
        artifacts["paths"].as_vec().unwrap(),
        &[Yaml::String("samlcheck-junit.xml".into())]
    );
    assert_eq!(
        keys(&job["variables"]),
        ["SAMLCHECK_PATHS", "SAMLCHECK_ARGS", "SAMLCHECK_GIT"]
    );
}

#[test]
fn gitlab_job_fails_on_findings_with_the_junit_report_written() {
    let scratch = findings_scratch();
    let (code, log) = run_gitlab_job(&scratch, &[("SAMLCHECK_ARGS", NOW_ARGS)]);
    assert_eq!(code, 1, "{log}");
    // The readable findings are in the job log too.
    assert!(log.contains("$ samlcheck --version\nsamlcheck "), "{log}");
    assert!(log.contains("error[metadata/expired]: "), "{log}");
    assert_eq!(
        gitlab_junit(&scratch),
        [
            suite(
                "metadata/expired.xml",
                &[("metadata/expired", Some("metadata/expired"))]
            ),
            suite(
                "metadata/insecure-endpoint.xml",
                &[(
                    "metadata/insecure-endpoint",
                    Some("metadata/insecure-endpoint")
                )]
            ),
            suite(
                "metadata/keycloak.xml",
                &[("metadata/want-authn-requests-signed", None)]
            ),
            suite("metadata/okta.xml", &[("samlcheck", None)]),
            suite(
                "metadata/transient-nameid-only.xml",
                &[("metadata/transient-nameid-only", None)]
            ),
        ]
    );
    // Nothing but the report was left in the project folder.
    let mut left: Vec<String> = std::fs::read_dir(&scratch.work)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left, ["metadata", "samlcheck-junit.xml"]);
}

#[test]
fn gitlab_job_passes_clean_metadata_and_fails_warnings_when_denied() {
    let scratch = Scratch::new(&[CLEAN[0], CLEAN[1], BAD[2]]);
    let (code, log) = run_gitlab_job(&scratch, &[("SAMLCHECK_ARGS", NOW_ARGS)]);
    assert_eq!(code, 0, "{log}");
    let passing = [
        suite(
            "metadata/keycloak.xml",
            &[("metadata/want-authn-requests-signed", None)],
        ),
        suite("metadata/okta.xml", &[("samlcheck", None)]),
        suite(
            "metadata/transient-nameid-only.xml",
            &[("metadata/transient-nameid-only", None)],
        ),
    ];
    assert_eq!(gitlab_junit(&scratch), passing);

    let (code, log) = run_gitlab_job(
        &scratch,
        &[("SAMLCHECK_ARGS", &format!("{NOW_ARGS} --deny warnings"))],
    );
    assert_eq!(code, 1, "{log}");
    let mut denied = passing.clone();
    denied[2] = suite(
        "metadata/transient-nameid-only.xml",
        &[(
            "metadata/transient-nameid-only",
            Some("metadata/transient-nameid-only"),
        )],
    );
    assert_eq!(gitlab_junit(&scratch), denied);
}

#[test]
fn gitlab_job_exits_2_on_unreadable_input_with_the_report() {
    let scratch = Scratch::new(&CLEAN[..1]);
    scratch.write("metadata/broken.xml", "not xml at all\n");
    let (code, log) = run_gitlab_job(&scratch, &[("SAMLCHECK_ARGS", NOW_ARGS)]);
    assert_eq!(code, 2, "{log}");
    assert_eq!(
        gitlab_junit(&scratch),
        [
            suite(
                "metadata/broken.xml",
                &[("xml/malformed", Some("xml/malformed"))]
            ),
            suite("metadata/okta.xml", &[("samlcheck", None)]),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// docs/ci.md

/// The ```yaml blocks of docs/ci.md, as text.
fn doc_yaml_blocks() -> Vec<String> {
    let page = std::fs::read_to_string(format!("{ROOT}/docs/ci.md")).unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in page.lines() {
        match &mut current {
            None if line.trim() == "```yaml" => current = Some(String::new()),
            Some(block) if line.trim() == "```" => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    assert!(current.is_none(), "docs/ci.md: an unclosed block");
    blocks
}

#[test]
fn docs_examples_use_what_exists() {
    let blocks = doc_yaml_blocks();
    let parsed: Vec<Yaml> = blocks
        .iter()
        .enumerate()
        .map(|(i, b)| parse_yaml(&format!("docs/ci.md yaml block {}", i + 1), b))
        .collect();

    // The workflows: every use of the action passes only its inputs, with valid switches.
    let action = load_yaml("action.yml");
    let inputs: BTreeSet<&str> = keys(&action["inputs"]).into_iter().collect();
    let mut uses_of_action = 0;
    for doc in &parsed {
        for (_, job) in doc["jobs"].as_hash().into_iter().flatten() {
            for step in job["steps"].as_vec().into_iter().flatten() {
                let Some(uses) = step["uses"].as_str() else {
                    continue;
                };
                if !uses.starts_with("samlcheck/samlcheck@") {
                    continue;
                }
                uses_of_action += 1;
                assert!(
                    step["with"]["paths"].as_str().is_some(),
                    "docs/ci.md: a use of the action without paths, its required input"
                );
                for key in keys(&step["with"]) {
                    assert!(inputs.contains(key), "docs/ci.md: {key} is no input");
                    if ["install", "upload-sarif", "fail-on-findings", "annotations"].contains(&key)
                    {
                        // GitHub passes `false` and "false" alike.
                        let value = match &step["with"][key] {
                            Yaml::Boolean(b) => b.to_string(),
                            v => text(v, key).to_string(),
                        };
                        assert!(
                            ["true", "false"].contains(&value.as_str()),
                            "{key}: {value}"
                        );
                    }
                }
                if step["with"]["upload-sarif"].as_str() != Some("false") {
                    assert_eq!(
                        text(&job["permissions"]["security-events"], "permissions"),
                        "write",
                        "docs/ci.md: uploading SARIF needs security-events: write"
                    );
                }
            }
        }
    }
    assert!(uses_of_action >= 2, "docs/ci.md shows the action");

    // pre-commit: the hooks named exist.
    let hooks = load_yaml(".pre-commit-hooks.yaml");
    let ids: BTreeSet<&str> = hooks
        .as_vec()
        .unwrap()
        .iter()
        .map(|h| text(&h["id"], "id"))
        .collect();
    let mut hooks_shown = BTreeSet::new();
    for doc in &parsed {
        for repo in doc["repos"].as_vec().into_iter().flatten() {
            for hook in repo["hooks"].as_vec().unwrap() {
                let id = text(&hook["id"], "id");
                assert!(ids.contains(id), "docs/ci.md: no hook {id}");
                hooks_shown.insert(id);
            }
        }
    }
    assert_eq!(hooks_shown, ids);

    // GitLab: the template is shown as it is, and the include names it.
    let template = std::fs::read_to_string(format!("{ROOT}/{GITLAB}")).unwrap();
    assert!(
        blocks.contains(&template),
        "docs/ci.md must show {GITLAB} unchanged"
    );
    let include = parsed
        .iter()
        .find_map(|d| d["include"].as_vec())
        .expect("docs/ci.md: a GitLab include");
    assert_eq!(text(&include[0]["file"], "file"), format!("/{GITLAB}"));
}
