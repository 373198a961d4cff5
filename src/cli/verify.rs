//! `samlcheck verify RESPONSE... --idp-metadata PATH --org SLUG`

use super::examples::{Example, Outcome};
use super::input::Capture;
use super::{exit, CliError, CommonArgs, FetchArgs, Given};
use crate::checks::catalog::INPUT_DECODE;
use crate::checks::response::{verify_response, Verdict, VerifyOptions};
use crate::checks::Finding;
use crate::config::Config;
use crate::report::{human, json, FileFindings, Format};
use crate::saml::metadata::IdpMetadata;
use crate::xml::dsig::key_files::private_key_pem;
use crate::xml::enc::DecryptionKey;

pub const EXAMPLES: &[Example] = &[
    Example {
        what: "The bundled Okta response for org acme, at the time it was captured",
        command: "samlcheck verify fixtures/responses/okta.xml --idp-metadata fixtures/metadata/okta.xml --org acme --now 2026-01-15T10:01:00Z",
        outcome: Outcome::Exit(exit::OK, "accepted"),
    },
    Example {
        what: "The same response checked for org acme-eu: its Destination, Recipient and Audience are acme's",
        command: "samlcheck verify fixtures/responses/okta.xml --idp-metadata fixtures/metadata/okta.xml --org acme-eu --now 2026-01-15T10:01:00Z",
        outcome: Outcome::Exit(exit::FINDINGS, "rejected"),
    },
    Example {
        what: "A base64 SAMLResponse value on stdin, as copied from the browser, with a JSON verdict",
        command: "samlcheck verify - --idp-metadata fixtures/metadata/okta.xml --org acme --now 2026-01-15T10:01:00Z --format json < fixtures/responses/okta.b64",
        outcome: Outcome::Exit(exit::OK, "accepted"),
    },
];

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Response files (raw XML, base64 form value, `SAMLResponse=...` body), a literal value, or `-` for stdin.
    #[arg(required = true, value_name = "RESPONSE")]
    pub responses: Vec<String>,
    /// The IdP metadata XML file [default: `idp_metadata` in samlcheck.toml].
    #[arg(long, value_name = "PATH")]
    pub idp_metadata: Option<String>,
    /// The IdP entityID, to pick one IdP out of an aggregate.
    #[arg(long, value_name = "ENTITY_ID")]
    pub idp_entity_id: Option<String>,
    #[command(flatten)]
    pub sp: super::sp::SpArgs,
    /// The time to check validity against (RFC 3339), e.g. when a capture was taken.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// The ID of the AuthnRequest the SP sent (checked against InResponseTo).
    #[arg(long, value_name = "ID")]
    pub request_id: Option<String>,
    /// The SP private key (RSA; PEM or DER), to decrypt an EncryptedAssertion. A certificate
    /// after a PEM key in the same file is used to explain a key mismatch.
    #[arg(long, value_name = "FILE")]
    pub sp_key: Option<String>,
    /// Allowed clock difference between IdP and SP, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub clock_skew: i64,
    /// Responses verified at once when several are given [default: one per CPU core]. The
    /// output keeps the order of the inputs.
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,
    #[command(flatten)]
    pub fetch: FetchArgs,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// The IdP metadata named by `source` (a flag or samlcheck.toml); errors name where it came from.
pub fn load_metadata(
    source: &Given,
    entity_id: Option<&str>,
    fetch: &FetchArgs,
) -> Result<IdpMetadata, CliError> {
    let path = &source.value;
    let bytes = fetch.read(path).map_err(|e| e.at(&source.at))?;
    IdpMetadata::parse(&bytes, entity_id).map_err(|e| {
        CliError::Metadata {
            path: path.clone(),
            source: e,
        }
        .at(&source.at)
    })
}

/// Reads the SP private key (`--sp-key`) that decrypts EncryptedAssertions.
pub fn load_sp_key(path: &str) -> Result<DecryptionKey, CliError> {
    let pem = std::fs::read(path).map_err(|source| {
        CliError::Io {
            path: path.into(),
            source,
        }
        .at("--sp-key")
    })?;
    let usage = |e: &dyn std::fmt::Display| CliError::Usage(format!("--sp-key {path}: {e}"));
    let pem = private_key_pem(&pem).map_err(|e| usage(&e))?;
    DecryptionKey::from_pem(&pem).map_err(|e| usage(&e))
}

pub fn parse_now(now: Option<&str>) -> Result<time::OffsetDateTime, CliError> {
    match now {
        Some(text) => crate::saml::time::parse_instant(text).ok_or_else(|| {
            CliError::Usage(format!(
                "--now {text:?} is not an RFC 3339 instant such as 2026-01-15T10:01:00Z"
            ))
        }),
        None => Ok(time::OffsetDateTime::now_utc()),
    }
}

pub(crate) fn render_human(file: &str, v: &Verdict) -> String {
    let mut out = String::new();
    let errors = v
        .findings
        .iter()
        .filter(|f| f.severity == crate::checks::Severity::Error)
        .count();
    let warnings = v
        .findings
        .iter()
        .filter(|f| f.severity == crate::checks::Severity::Warning)
        .count();
    let verdict = if v.accepted { "ACCEPTED" } else { "REJECTED" };
    out.push_str(&format!(
        "{file}: {verdict} ({errors} error(s), {warnings} warning(s))\n"
    ));
    if let Some(s) = &v.subject {
        out.push_str(&format!("  subject: {} ({})\n", s.name_id, s.format));
    }
    for (name, values) in &v.attributes {
        out.push_str(&format!("  attribute {name} = {}\n", values.join(", ")));
    }
    if let Some(e) = &v.encryption {
        out.push_str(&format!(
            "  encrypted assertion: decrypted ({}, key transport {})\n",
            e.content, e.key_transport
        ));
    }
    for s in &v.signatures {
        let state = if s.verified { "verified" } else { "FAILED" };
        let alg = [s.algorithm.clone(), s.digest.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let by = s
            .certificate
            .as_ref()
            .map(|c| format!(" by {} (SHA-256 {})", c.subject, c.sha256))
            .unwrap_or_default();
        out.push_str(&format!(
            "  signature over {}: {state} ({alg}){by}\n",
            s.covers
        ));
    }
    for f in &v.findings {
        out.push('\n');
        out.push_str(&human::finding(f));
    }
    out
}

/// A response to verify: a command-line argument, or a file of a directory named by one.
struct Input {
    arg: String,
    /// Listed from a directory: a regular file when listed, never expanded again.
    listed: bool,
}

/// What checking one input gave.
enum Checked {
    Done(String, Box<Verdict>),
    /// The argument names a directory: its files are checked in its place.
    Directory(String),
}

/// The regular files of `dir`, sorted, from the directory entries' types: no `stat` per
/// entry, except for symbolic links, which are followed.
fn list_directory(dir: &str) -> std::io::Result<Vec<Input>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)?.flatten() {
        let is_file = match entry.file_type() {
            Ok(kind) if kind.is_symlink() => {
                std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file())
            }
            Ok(kind) => kind.is_file(),
            Err(_) => false,
        };
        if is_file {
            files.push(Input {
                arg: entry.path().display().to_string(),
                listed: true,
            });
        }
    }
    files.sort_by(|a, b| a.arg.cmp(&b.arg));
    Ok(files)
}

/// Checks `inputs` on up to `jobs` threads and hands each verdict to `emit` in input order;
/// a directory's files are checked, in order, where the directory stood.
fn check_in_order(
    inputs: &[Input],
    jobs: usize,
    check: &(dyn Fn(&Input) -> Checked + Sync),
    unreadable: &dyn Fn(String, CliError) -> (String, Verdict),
    emit: &mut dyn FnMut(String, Verdict),
) {
    let mut handle = |checked: Checked| match checked {
        Checked::Done(name, verdict) => emit(name, *verdict),
        Checked::Directory(dir) => match list_directory(&dir) {
            Ok(files) => check_in_order(&files, jobs, check, unreadable, emit),
            Err(source) => {
                let (name, verdict) = unreadable(dir.clone(), CliError::Io { path: dir, source });
                emit(name, verdict)
            }
        },
    };
    let threads = jobs.min(inputs.len());
    if threads <= 1 {
        for input in inputs {
            handle(check(input));
        }
    } else {
        in_parallel(inputs, threads, check, &mut handle);
    }
}

/// Runs `check` over `inputs` on `jobs` threads and hands the results to `each` in input order,
/// as soon as every earlier one is done (a slow first file holds back the output, not the work).
/// Threads take inputs in small batches: one hand-over per response cost more in waking the
/// output thread than a fast verification takes.
fn in_parallel<T: Send>(
    inputs: &[Input],
    jobs: usize,
    check: &(dyn Fn(&Input) -> T + Sync),
    each: &mut dyn FnMut(T),
) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let batch = (inputs.len() / (jobs * 8)).clamp(1, 32);
    let next = AtomicUsize::new(0);
    let (done, results) = std::sync::mpsc::channel::<(usize, Vec<T>)>();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let done = done.clone();
            let next = &next;
            scope.spawn(move || loop {
                let first = next.fetch_add(batch, Ordering::Relaxed);
                let Some(chunk) = inputs.get(first..(first + batch).min(inputs.len())) else {
                    break;
                };
                if chunk.is_empty()
                    || done
                        .send((first, chunk.iter().map(check).collect()))
                        .is_err()
                {
                    break;
                }
            });
        }
        drop(done);
        let mut waiting = std::collections::BTreeMap::new();
        let mut emitted = 0;
        for (first, chunk) in results {
            waiting.insert(first, chunk);
            while let Some(chunk) = waiting.remove(&emitted) {
                emitted += chunk.len();
                chunk.into_iter().for_each(&mut *each);
            }
        }
    });
}

pub fn run(args: VerifyArgs) -> Result<i32, CliError> {
    let config = Config::load(args.common.config.as_deref())?;
    let Some(sp) = args.sp.resolve(&config)? else {
        return Err(super::no_org(&config));
    };
    let Some(idp_metadata) = super::idp_metadata_given(args.idp_metadata.as_deref(), &config)
    else {
        return Err(super::no_metadata(&config));
    };
    let idp = load_metadata(&idp_metadata, args.idp_entity_id.as_deref(), &args.fetch)?;
    let mut options = VerifyOptions::at(parse_now(args.now.as_deref())?);
    options.clock_skew = args.clock_skew;
    options.request_id = args.request_id.clone();
    options.deny_warnings = args.common.deny.is_some();
    if let Some(path) = &args.sp_key {
        options.sp_key = Some(load_sp_key(path)?);
    }

    let mut code = exit::OK;
    let mut records: Vec<(String, Verdict)> = Vec::new();
    let stdout = std::io::stdout();
    // A verdict is a few KB of JSON: fewer, larger writes.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    use std::io::Write;
    // Each input is reported on its own, so one unreadable file does not hide the verdicts of
    // the others. A directory stands for the files in it, sorted. What an argument is comes
    // out of the open that reads it (no `stat` first): a path walk costs microseconds, and a
    // response takes tens to verify.
    let inputs: Vec<Input> = args
        .responses
        .iter()
        .map(|arg| Input {
            arg: arg.clone(),
            listed: false,
        })
        .collect();
    let conclude = |name: String, mut verdict: Verdict| {
        verdict.apply_config(&config, options.deny_warnings);
        for f in &mut verdict.findings {
            if let Some(loc) = &mut f.location {
                loc.file = Some(name.clone());
            }
        }
        (name, verdict)
    };
    let unreadable = |name: String, e: CliError| {
        conclude(
            name,
            Verdict::unreadable(Finding::new(&INPUT_DECODE, e.to_string())),
        )
    };
    let check = |input: &Input| {
        let arg = &input.arg;
        match super::input::read_capture_or_directory(arg) {
            Ok(Capture::Read { name, bytes }) => {
                let verdict = verify_response(&bytes, &idp, &sp, &options);
                let (name, verdict) = conclude(name, verdict);
                Checked::Done(name, Box::new(verdict))
            }
            Ok(Capture::Directory) if !input.listed => Checked::Directory(arg.clone()),
            // A listed file replaced by a directory since the listing.
            Ok(Capture::Directory) => {
                let source = std::io::Error::from(std::io::ErrorKind::IsADirectory);
                let (name, verdict) = unreadable(
                    arg.clone(),
                    CliError::Io {
                        path: arg.clone(),
                        source,
                    },
                );
                Checked::Done(name, Box::new(verdict))
            }
            Err(e) => {
                let (name, verdict) = unreadable(arg.clone(), e);
                Checked::Done(name, Box::new(verdict))
            }
        }
    };
    let jobs = args
        .jobs
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, usize::from);
    let mut emitted = 0usize;
    let mut emit = |name: String, verdict: Verdict| {
        code = code.max(if !verdict.readable {
            exit::BAD_INPUT
        } else if verdict.accepted {
            exit::OK
        } else {
            exit::FINDINGS
        });
        match args.common.format {
            Format::Human => {
                // A blank line between verdicts.
                if emitted > 0 {
                    let _ = writeln!(out);
                }
                let _ = write!(out, "{}", render_human(&name, &verdict));
            }
            Format::Jsonl => {
                let _ = writeln!(
                    out,
                    "{}",
                    json::to_string(
                        &json::VerdictRecord {
                            file: &name,
                            verdict: &verdict
                        },
                        false
                    )
                );
            }
            Format::Json | Format::Sarif | Format::Junit | Format::Github => {
                records.push((name, verdict))
            }
        }
        emitted += 1;
    };
    check_in_order(&inputs, jobs, &check, &unreadable, &mut emit);
    let files: Vec<FileFindings> = records
        .iter()
        .map(|(file, v)| FileFindings {
            file,
            findings: &v.findings,
        })
        .collect();
    if let Some(text) = crate::report::render(args.common.format, &files, options.deny_warnings) {
        let _ = write!(out, "{text}");
    }
    if args.common.format == Format::Json {
        let rendered = match records.as_slice() {
            [(name, v)] => json::to_string(
                &json::VerdictRecord {
                    file: name,
                    verdict: v,
                },
                true,
            ),
            many => json::to_string(
                &many
                    .iter()
                    .map(|(n, v)| json::VerdictRecord {
                        file: n,
                        verdict: v,
                    })
                    .collect::<Vec<_>>(),
                true,
            ),
        };
        let _ = writeln!(out, "{rendered}");
    }
    let _ = out.flush();
    Ok(code)
}
