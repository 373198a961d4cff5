//! `samlcheck decode URL|VALUE|FILE|-`: every SAML message in what the user has, decoded,
//! verified where the context allows, and explained.

use std::io::{Read, Write};
use std::path::Path;

use super::examples::{Example, Outcome};
use super::verify::{load_metadata, load_sp_key, parse_now};
use super::{exit, CliError, CommonArgs, FetchArgs};
use crate::checks::Severity;
use crate::config::Config;
use crate::decode::input::{self, InputKind};
use crate::decode::{analyze, pretty, DecodeContext, MessageReport, RawMessage};
use crate::report::{human, json, FileFindings, Format};
use crate::saml::capture::redact::Redactor;
use crate::saml::capture::timeline::{self, Timeline, TimelineContext};
use crate::saml::capture::{self, messages};
use crate::saml::metadata::{EntityDescriptor, IdpMetadata};
use crate::sp::mapping::AttributeMapping;
use crate::xml::dsig::TrustedKey;
use crate::xml::{Document, Limits};

pub const EXAMPLES: &[Example] = &[
    Example {
        what: "A HAR export of a failed login: the timeline, then every SAML message; the Response went to the ACS URL without its final '/'",
        command: "samlcheck decode fixtures/captures/posted-to-wrong-url.har",
        outcome: Outcome::Exit(exit::FINDINGS, "an error-level finding"),
    },
    Example {
        what: "A SAMLResponse form body, verified for org acme against the IdP metadata, with its XML",
        command: "samlcheck decode fixtures/responses/okta.form --idp-metadata fixtures/metadata/okta.xml --org acme --now 2026-01-15T10:01:00Z --xml",
        outcome: Outcome::Exit(exit::OK, "no error-level finding"),
    },
    Example {
        what: "Before sharing a capture: the report with personal data masked, and a redacted copy of the HAR",
        command: "samlcheck decode fixtures/captures/login-ok.har --redact --output login-redacted.har",
        outcome: Outcome::Exit(exit::OK, "no error-level finding"),
    },
];

#[derive(Debug, clap::Args)]
pub struct DecodeArgs {
    /// A URL with SAMLRequest/SAMLResponse in its query, a bare value (base64, DEFLATEd or not,
    /// URL-encoded or not), a `SAMLResponse=...` form body, raw XML, a file holding any of
    /// these, a HAR or SAML-tracer export (the login's timeline, then every message), or `-`
    /// for stdin.
    #[arg(value_name = "URL|VALUE|FILE|-")]
    pub input: String,
    /// Read the input as this kind instead of guessing.
    #[arg(long = "input", value_enum, value_name = "KIND")]
    pub kind: Option<InputKind>,
    /// The IdP metadata (file or https URL): verifies signatures, and with --org runs Responses
    /// through `verify` [default: `idp_metadata` in samlcheck.toml].
    #[arg(long, value_name = "PATH|URL")]
    pub idp_metadata: Option<String>,
    /// The IdP entityID, to pick one IdP out of an aggregate.
    #[arg(long, value_name = "ENTITY_ID")]
    pub idp_entity_id: Option<String>,
    #[command(flatten)]
    pub sp: super::sp::SpArgs,
    /// The SP's signing certificate (PEM or DER), to verify its Redirect-signed AuthnRequests
    /// and logout messages; repeat for several.
    #[arg(long, value_name = "FILE")]
    pub sp_cert: Vec<String>,
    /// The SP private key (RSA; PEM or DER), to decrypt an EncryptedAssertion.
    #[arg(long, value_name = "FILE")]
    pub sp_key: Option<String>,
    /// Start the attribute mapping from this IdP's usual names [default: `preset` in samlcheck.toml].
    #[arg(long, value_name = "VENDOR")]
    pub preset: Option<String>,
    /// Map a field to an attribute (user-id, email, first-name, last-name); repeat.
    #[arg(long = "map", value_name = "FIELD=ATTR")]
    pub map: Vec<String>,
    /// Print the decoded XML, indented.
    #[arg(long)]
    pub xml: bool,
    /// The time to check validity against (RFC 3339) [default: now; for a HAR or SAML-tracer
    /// capture, the time the browser sent each message].
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// The ID of the AuthnRequest the SP sent (checked against InResponseTo).
    #[arg(long, value_name = "ID")]
    pub request_id: Option<String>,
    /// Allowed clock difference between IdP and SP, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub clock_skew: i64,
    /// Mask NameIDs, emails, names, attribute values and signature values in every output
    /// (verification runs on the original first).
    #[arg(long)]
    pub redact: bool,
    /// With --redact and a HAR or SAML-tracer input: write a redacted copy of the file here.
    #[arg(long, value_name = "FILE", requires = "redact")]
    pub output: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub fetch: FetchArgs,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// The input's name and bytes: stdin, a file, or the argument itself.
fn read_input(arg: &str) -> Result<(String, Vec<u8>), CliError> {
    if arg == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|source| CliError::Io {
                path: "<stdin>".into(),
                source,
            })?;
        return Ok(("<stdin>".into(), buf));
    }
    // A long value is never a path; checking it would only cost a failing stat.
    if arg.len() < 4096 && Path::new(arg).is_file() {
        let bytes = std::fs::read(arg).map_err(|source| CliError::Io {
            path: arg.into(),
            source,
        })?;
        return Ok((arg.to_string(), bytes));
    }
    Ok(("<argument>".into(), arg.as_bytes().to_vec()))
}

/// `WantAuthnRequestsSigned` of the IdP role, read again from the metadata bytes.
fn wants_signed_requests(bytes: &[u8], idp: &IdpMetadata) -> Option<bool> {
    let doc = Document::parse_bytes(bytes, Limits::METADATA).ok()?;
    let value = doc
        .elements()
        .filter_map(|n| EntityDescriptor::read(&doc, n))
        .find(|e| e.entity_id.as_deref().map(str::trim) == Some(idp.entity_id.as_str()))?
        .idp()?
        .want_authn_requests_signed
        .clone()?;
    Some(matches!(value.trim(), "true" | "1"))
}

pub fn run(args: DecodeArgs) -> Result<i32, CliError> {
    let config = Config::load(args.common.config.as_deref())?;
    let sp = args.sp.resolve(&config)?;
    let metadata = super::idp_metadata_given(args.idp_metadata.as_deref(), &config);
    let (idp, wants_signed) = match &metadata {
        Some(source) => {
            let path = &source.value;
            let idp = load_metadata(source, args.idp_entity_id.as_deref(), &args.fetch)?;
            // Read again only for WantAuthnRequestsSigned; files are small, URLs were fetched once.
            let wants = if crate::fetch::is_url(path) {
                None
            } else {
                std::fs::read(path)
                    .ok()
                    .and_then(|b| wants_signed_requests(&b, &idp))
            };
            (Some(idp), wants)
        }
        None => (None, None),
    };
    let mut sp_certs = Vec::new();
    for path in &args.sp_cert {
        let pem = std::fs::read(path).map_err(|source| {
            CliError::Io {
                path: path.clone(),
                source,
            }
            .at("--sp-cert")
        })?;
        sp_certs.push(
            TrustedKey::from_file_bytes(&pem)
                .map_err(|e| CliError::Usage(format!("--sp-cert {path}: {e}")))?,
        );
    }
    let sp_key = args.sp_key.as_deref().map(load_sp_key).transpose()?;
    let preset = args.preset.clone().or_else(|| config.preset.clone());
    let mapping = if preset.is_some() || !args.map.is_empty() {
        let mut map = match &preset {
            Some(p) => AttributeMapping::preset(p)
                .map_err(|e| CliError::Usage(format!("--preset {p}: {e}")))?,
            None => AttributeMapping::default(),
        }
        .overridden_by(&AttributeMapping::from_config(&config.map));
        for spec in &args.map {
            map.apply(spec)
                .map_err(|e| CliError::Usage(format!("--map {spec}: {e}")))?;
        }
        Some(map)
    } else {
        None
    };

    let mut ctx = DecodeContext::at(parse_now(args.now.as_deref())?);
    ctx.idp = idp.as_ref();
    ctx.want_authn_requests_signed = wants_signed;
    ctx.sp = sp.as_ref();
    ctx.sp_certs = &sp_certs;
    ctx.mapping = mapping.as_ref();
    ctx.clock_skew = args.clock_skew;
    ctx.request_id = args.request_id.as_deref();
    ctx.sp_key = sp_key.as_ref();
    ctx.deny_warnings = args.common.deny.is_some();

    let (name, bytes) = read_input(&args.input)?;
    let is_capture = match args.kind {
        Some(InputKind::Har | InputKind::Tracer) => true,
        Some(_) => false,
        None => capture::sniff(&bytes).is_some(),
    };
    if args.output.is_some() && !is_capture {
        return Err(CliError::Usage(
            "--output writes a redacted copy of a HAR or SAML-tracer file; the input is neither"
                .into(),
        ));
    }
    let mut redactor = args.redact.then(Redactor::new);

    // The messages, each with the ID of the request it answers (captures), and the timeline.
    #[allow(clippy::type_complexity)]
    let (raws, answered, mut timeline, cap): (
        Vec<RawMessage>,
        Vec<(Option<String>, Option<time::OffsetDateTime>)>,
        _,
        _,
    ) = if is_capture {
        let cap = capture::read(&bytes).map_err(|e| CliError::Usage(format!("{name}: {e}")))?;
        let captured = messages::extract(&cap);
        let tctx = TimelineContext {
            expected_acs: sp.as_ref().map(|s| s.acs.clone()),
            skew_seconds: args.clock_skew,
        };
        let timeline = timeline::build_from(&cap, &captured, &tctx);
        // Each message is checked at the time the browser sent it, unless --now says.
        let answered = timeline
            .steps
            .iter()
            .map(|s| {
                (
                    s.answers.and_then(|j| timeline.steps[j].id.clone()),
                    s.at.filter(|_| args.now.is_none()),
                )
            })
            .collect();
        let raws = captured.iter().map(RawMessage::from).collect();
        (raws, answered, Some(timeline), Some(cap))
    } else {
        let raws = input::read(&bytes, args.kind).map_err(|e| match e {
            input::InputError::Unsupported(_) => CliError::Usage(e.to_string()),
            _ => CliError::Usage(format!("{name}: {e}")),
        })?;
        let none = vec![(None, None); raws.len()];
        (raws, none, None, None)
    };
    let mut reports: Vec<MessageReport> = raws
        .iter()
        .zip(&answered)
        .map(|(m, (answers, at))| {
            let mut c = ctx.clone();
            if let Some(id) = answers {
                c.request_id = Some(id.as_str());
            }
            if let Some(at) = at {
                c.now = *at;
            }
            analyze(m, &c)
        })
        .collect();

    // Verified on the originals above; now learn what to mask.
    if let Some(r) = &mut redactor {
        if let Some(cap) = &cap {
            r.learn(cap);
        }
        for rep in &reports {
            if let Some(xml) = &rep.xml {
                let _ = r.redact_xml(xml.as_bytes());
            }
        }
        for m in &raws {
            if let Some(sig) = &m.signature {
                r.mask_signature(sig);
            }
        }
    }

    for r in &mut reports {
        config.apply(&mut r.findings);
        for f in &mut r.findings {
            if let Some(loc) = &mut f.location {
                loc.file = Some(name.clone());
            }
        }
        match (&r.xml, args.xml) {
            (Some(xml), true) => r.xml = Some(pretty::pretty(xml)),
            _ => r.xml = None,
        }
    }
    if let Some(t) = &mut timeline {
        config.apply(&mut t.findings);
        for f in &mut t.findings {
            if let Some(loc) = &mut f.location {
                loc.file = Some(name.clone());
            }
        }
    }
    let flow_errors = timeline.as_ref().is_some_and(|t| {
        t.findings.iter().any(|f| {
            f.severity == Severity::Error || (ctx.deny_warnings && f.severity == Severity::Warning)
        })
    });

    let code = if reports.is_empty() && timeline.is_some() {
        if flow_errors {
            exit::FINDINGS
        } else {
            exit::BAD_INPUT
        }
    } else if reports.iter().all(|r| !r.decoded) {
        exit::BAD_INPUT
    } else if flow_errors || reports.iter().any(|r| r.has_errors(ctx.deny_warnings)) {
        exit::FINDINGS
    } else {
        exit::OK
    };

    let label = |i: usize| {
        if timeline.is_some() {
            format!("{name} #{}", i + 1)
        } else {
            name.clone()
        }
    };
    let mut text = String::new();
    match args.common.format {
        Format::Human => {
            if let Some(t) = &timeline {
                text.push_str(&t.render_text());
                text.push('\n');
            }
            for (i, r) in reports.iter().enumerate() {
                if i > 0 {
                    text.push('\n');
                }
                text.push_str(&render_human(&label(i), r));
            }
        }
        Format::Json => {
            let findings: Option<Vec<_>> = timeline.as_ref().map(|t| {
                t.findings
                    .iter()
                    .chain(reports.iter().flat_map(|r| &r.findings))
                    .cloned()
                    .collect()
            });
            text.push_str(&json::to_string(
                &DecodeRecord {
                    file: &name,
                    timeline: timeline.as_ref(),
                    messages: &reports,
                    findings: findings.as_deref(),
                },
                true,
            ));
            text.push('\n');
        }
        Format::Jsonl => {
            if let Some(t) = &timeline {
                text.push_str(&json::to_string(t, false));
                text.push('\n');
            }
            for r in &reports {
                text.push_str(&json::to_string(r, false));
                text.push('\n');
            }
        }
        other => {
            let findings: Vec<_> = timeline
                .iter()
                .flat_map(|t| &t.findings)
                .chain(reports.iter().flat_map(|r| &r.findings))
                .cloned()
                .collect();
            let files = [FileFindings {
                file: &name,
                findings: &findings,
            }];
            if let Some(t) = crate::report::render(other, &files, ctx.deny_warnings) {
                text.push_str(&t);
            }
        }
    }
    if let Some(r) = &mut redactor {
        // SAML messages still encoded in the output (a capture's URLs) re-encoded masked, every
        // learned value and email address masked wherever it stands.
        text = r.redact_text(&text);
        if let Some(path) = &args.output {
            let copy = r
                .redact_file(&bytes)
                .map_err(|e| CliError::Usage(format!("{name}: {e}")))?;
            std::fs::write(path, copy).map_err(|source| {
                CliError::Write {
                    path: path.display().to_string(),
                    source,
                }
                .at("--output")
            })?;
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    Ok(code)
}

#[derive(serde::Serialize)]
struct DecodeRecord<'a> {
    file: &'a str,
    /// HAR and SAML-tracer input: the flow, with its `flow/*` findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    timeline: Option<&'a Timeline>,
    messages: &'a [MessageReport],
    /// HAR and SAML-tracer input: every finding, the flow's then each message's.
    #[serde(skip_serializing_if = "Option::is_none")]
    findings: Option<&'a [crate::checks::Finding]>,
}

fn line(out: &mut String, label: &str, value: Option<&str>) {
    if let Some(v) = value {
        out.push_str(&format!("  {label:<22} {v}\n"));
    }
}

/// The report for people: what the message is, what it says, then the findings.
pub fn render_human(name: &str, r: &MessageReport) -> String {
    let mut out = String::new();
    let errors = r
        .findings
        .iter()
        .filter(|f| f.severity == crate::checks::Severity::Error)
        .count();
    let layers: Vec<String> = r.layers.iter().map(|l| l.to_string()).collect();
    let how = match (r.param, r.binding) {
        (Some(p), b) => format!(" ({} by {})", p.name(), serde_variant(b)),
        (None, _) => String::new(),
    };
    if r.decoded {
        out.push_str(&format!("{name}: {}{how}, {errors} error(s)\n", r.kind));
    } else {
        out.push_str(&format!("{name}: could not be decoded{how}\n"));
    }
    if !layers.is_empty() {
        line(&mut out, "decoded from", Some(&layers.join(" -> ")));
    }
    line(&mut out, "sent to", r.url.as_deref());
    let s = &r.summary;
    line(&mut out, "ID", s.id.as_deref());
    line(&mut out, "IssueInstant", s.issue_instant.as_deref());
    line(&mut out, "Issuer", s.issuer.as_deref());
    line(&mut out, "Destination", s.destination.as_deref());
    line(
        &mut out,
        "ACS URL requested",
        s.assertion_consumer_service_url.as_deref(),
    );
    line(&mut out, "ProtocolBinding", s.protocol_binding.as_deref());
    if let Some(p) = &s.name_id_policy {
        line(
            &mut out,
            "NameIDPolicy",
            p.format.as_deref().or(Some("(any format)")),
        );
    }
    if !s.requested_authn_context.is_empty() {
        line(
            &mut out,
            "AuthnContext requested",
            Some(&s.requested_authn_context.join(", ")),
        );
    }
    line(&mut out, "InResponseTo", s.in_response_to.as_deref());
    if let Some(st) = &s.status {
        let codes = [st.code.as_deref(), st.subcode.as_deref()]
            .into_iter()
            .flatten()
            .map(|c| c.rsplit(':').next().unwrap_or(c))
            .collect::<Vec<_>>()
            .join(" / ");
        line(&mut out, "Status", Some(&codes));
        line(&mut out, "StatusMessage", st.message.as_deref());
    }
    if let Some(sub) = &s.subject {
        line(&mut out, "Subject NameID", Some(&sub.name_id));
    }
    for (k, v) in &s.attributes {
        line(
            &mut out,
            "attribute",
            Some(&format!("{k} = {}", v.join(", "))),
        );
    }
    if let Some(v) = &s.validity {
        let window = format!(
            "{} .. {}",
            v.not_before.as_deref().unwrap_or("(open)"),
            v.not_on_or_after.as_deref().unwrap_or("(open)")
        );
        line(&mut out, "valid", Some(&window));
    }
    line(&mut out, "RelayState", r.relay_state.as_deref());
    if let Some(sig) = &r.redirect_signature {
        let state = if sig.verified {
            "verified"
        } else {
            "NOT verified"
        };
        let by = sig
            .certificate
            .as_ref()
            .map(|c| format!(" by {}", c.subject))
            .unwrap_or_default();
        line(
            &mut out,
            "Redirect signature",
            Some(&format!("{state} ({}){by}", sig.sig_alg)),
        );
    }
    if let Some(v) = &r.verify {
        line(
            &mut out,
            "verify",
            Some(if v.accepted { "ACCEPTED" } else { "REJECTED" }),
        );
    }
    for f in &r.findings {
        out.push('\n');
        out.push_str(&human::finding(f));
    }
    if let Some(xml) = &r.xml {
        out.push('\n');
        out.push_str(xml);
        out.push('\n');
    }
    out
}

fn serde_variant(b: crate::decode::Binding) -> &'static str {
    match b {
        crate::decode::Binding::Redirect => "HTTP-Redirect",
        crate::decode::Binding::Post => "HTTP-POST",
        crate::decode::Binding::Unknown => "an unknown binding",
    }
}
