//! `samlcheck serve --org SLUG --idp-metadata PATH|URL`: the mock SP for test logins.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use super::examples::{Example, Outcome};
use super::verify::{parse_now, render_human};
use super::{exit, CliError, CommonArgs, FetchArgs};
use crate::config::Config;
use crate::report::{json, FileFindings, Format};
use crate::saml::authn_request::RequestSigner;
use crate::server::sp::{
    listen, Clock, LoginEvent, SettingsError, SpApp, SpKeySource, SpKeys, SpSettings,
};
use crate::sp::mapping::AttributeMapping;
use crate::sp::SpProfile;
use crate::xml::dsig::key_files::{certificate_pem, private_key_pem};

pub const EXAMPLES: &[Example] = &[
    Example {
        what: "The mock SP of org acme on http://127.0.0.1:8080: enter the ACS URL and entity ID it prints in the IdP, then open its login URL",
        command: "samlcheck serve --org acme --idp-metadata fixtures/metadata/vendors/okta.xml",
        outcome: Outcome::Serves,
    },
    Example {
        what: "Behind a tunnel, so that a cloud IdP can reach it: the SP URLs start with the tunnel's",
        command: "samlcheck serve --org acme --idp-metadata fixtures/metadata/vendors/okta.xml --listen 127.0.0.1:9000 --base-url https://tunnel.example",
        outcome: Outcome::Serves,
    },
    Example {
        what: "For a script: one test login on a free port, its report as JSON",
        command: "samlcheck serve --org acme --idp-metadata fixtures/metadata/vendors/okta.xml --listen 127.0.0.1:0 --once --format json",
        outcome: Outcome::ServesOnce,
    },
];

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The organization slug [default: `org` in samlcheck.toml].
    #[arg(long, value_name = "SLUG")]
    pub org: Option<String>,
    /// The IdP metadata XML file or URL [default: `idp_metadata` in samlcheck.toml].
    #[arg(long, value_name = "PATH|URL")]
    pub idp_metadata: Option<String>,
    /// The IdP entityID, to pick one IdP out of an aggregate.
    #[arg(long, value_name = "ENTITY_ID")]
    pub idp_entity_id: Option<String>,
    /// Address to listen on; port 0 picks a free port (the URL is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// The base URL the IdP and the browser reach this server at [default: http://ADDR]. The
    /// `base_url` of samlcheck.toml is not used: it names the real SaaS, not this server.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// The SP's URL shape: `sentry` (built in) or a `[profiles.NAME]` of samlcheck.toml, so the
    /// mock SP answers on that shape's paths [default: `profile` in samlcheck.toml, else sentry].
    #[arg(long, value_name = "NAME", conflicts_with = "sp_entity_id")]
    pub profile: Option<String>,
    /// The SP entity ID (instead of the org-slug profile).
    #[arg(long, value_name = "URL", requires = "sp_acs")]
    pub sp_entity_id: Option<String>,
    /// The SP ACS URL (instead of the org-slug profile).
    #[arg(long, value_name = "URL", requires = "sp_entity_id")]
    pub sp_acs: Option<String>,
    /// The SP Single Logout URL (with --sp-entity-id).
    #[arg(long, value_name = "URL")]
    pub sp_sls: Option<String>,
    /// Exit after the first post to the ACS, printing its report; exit code 0 accepted, 1
    /// rejected, 2 unreadable.
    #[arg(long)]
    pub once: bool,
    /// Check every login at this instant (RFC 3339) instead of the system clock.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Allowed clock difference between IdP and SP, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub clock_skew: i64,
    /// The SP's private key (RSA; PEM or DER): decrypts encrypted assertions, and signs AuthnRequests
    /// when the IdP wants them signed [default: an RSA 2048 key pair made at start, for
    /// decryption only].
    #[arg(long, value_name = "FILE")]
    pub sp_key: Option<PathBuf>,
    /// The certificate of --sp-key (PEM or DER), published in the SP metadata for encryption (and
    /// signing) [default: a self-signed one made for --sp-key at start].
    #[arg(long, value_name = "FILE", requires = "sp_key")]
    pub sp_cert: Option<PathBuf>,
    /// Attribute mapping preset [default: the one of the detected IdP vendor].
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
    /// Map a user field to an attribute: user-id=ATTR, email=ATTR, first-name=ATTR, last-name=ATTR.
    #[arg(long = "map", value_name = "FIELD=ATTR")]
    pub map: Vec<String>,
    /// Largest request body (bytes, or with KiB / MiB).
    #[arg(long, value_name = "SIZE", default_value = "1MiB")]
    pub max_body: String,
    /// Seconds a client has to send the request headers.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub header_timeout: u64,
    /// Seconds a client has to send the request body.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub read_timeout: u64,
    #[command(flatten)]
    pub fetch: FetchArgs,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `1048576`, `512KiB`, `1MiB`, `64k`, `2M`.
fn parse_size(text: &str) -> Result<usize, CliError> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let factor = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1024,
        "m" | "mb" | "mib" => 1024 * 1024,
        _ => 0,
    };
    digits
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
        .filter(|&n| n > 0)
        .ok_or_else(|| {
            CliError::Usage(format!(
                "--max-body {text:?} is not a size such as 1048576, 512KiB or 1MiB"
            ))
        })
}

fn mapping(
    detected: AttributeMapping,
    args: &ServeArgs,
    config: &Config,
) -> Result<AttributeMapping, CliError> {
    let mut m = match &args.preset {
        Some(name) => AttributeMapping::preset(name)
            .map_err(|e| CliError::Usage(format!("--preset {name}: {e}")))?,
        None => detected,
    }
    .overridden_by(&AttributeMapping::from_config(&config.map));
    for spec in &args.map {
        m.apply(spec)
            .map_err(|e| CliError::Usage(format!("--map {spec}: {e}")))?;
    }
    Ok(m)
}

/// The file given as `flag`.
fn read_file(path: &PathBuf, flag: &str) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|source| {
        CliError::Io {
            path: path.display().to_string(),
            source,
        }
        .at(flag)
    })
}

/// The SP key pair, and the AuthnRequest signer when the key was given (a key made at start
/// is unknown to the IdP, so it signs nothing).
fn sp_keys(args: &ServeArgs) -> Result<(SpKeys, Option<RequestSigner>), CliError> {
    let usage = |e: &dyn std::fmt::Display| CliError::Usage(format!("--sp-key: {e}"));
    let Some(key_path) = &args.sp_key else {
        return Ok((SpKeys::generate().map_err(|e| usage(&e))?, None));
    };
    let key = read_file(key_path, "--sp-key")?;
    let key = private_key_pem(&key)
        .map_err(|e| CliError::Usage(format!("--sp-key {}: {e}", key_path.display())))?;
    let cert = match &args.sp_cert {
        Some(path) => {
            let bytes = read_file(path, "--sp-cert")?;
            let pem = certificate_pem(&bytes)
                .map_err(|e| CliError::Usage(format!("--sp-cert {}: {e}", path.display())))?;
            Some(pem.into_owned())
        }
        None => None,
    };
    let source = match &args.sp_cert {
        Some(cert) => SpKeySource::Files {
            key: key_path.display().to_string(),
            cert: cert.display().to_string(),
        },
        None => SpKeySource::KeyFile {
            key: key_path.display().to_string(),
        },
    };
    let keys = SpKeys::from_pem(&key, cert.as_deref(), source).map_err(|e| usage(&e))?;
    let signer = keys.request_signer().map_err(|e| usage(&e))?;
    Ok((keys, Some(signer)))
}

/// A test login for people: the verdict as `verify` prints it (locations name the
/// SAMLResponse), then the account the SP would link and what the mapping rules say of it.
pub(crate) fn render_login(event: &LoginEvent) -> String {
    let mut v = event.verdict.clone();
    for f in &mut v.findings {
        if let Some(loc) = &mut f.location {
            loc.file.get_or_insert_with(|| "SAMLResponse".into());
        }
    }
    let mut out = render_human(&format!("test login #{}", event.login.number), &v);
    if let Some(p) = &event.login.preview {
        let when = if v.accepted {
            ""
        } else {
            " (once the errors are fixed)"
        };
        out.push_str(&format!("\naccount{when}: {}\n", p.sentence()));
        for f in &p.findings {
            out.push('\n');
            out.push_str(&crate::report::human::finding(f));
        }
    }
    out
}

fn print_login(format: Format, event: &LoginEvent, deny_warnings: bool) {
    let name = format!("test login #{}", event.login.number);
    let v = &event.verdict;
    let mut out = std::io::stdout().lock();
    let text = match format {
        Format::Human => render_login(event),
        Format::Json | Format::Jsonl => {
            let record = json::VerdictRecord {
                file: &name,
                verdict: v,
            };
            format!("{}\n", json::to_string(&record, format == Format::Json))
        }
        Format::Sarif | Format::Junit | Format::Github => {
            let files = [FileFindings {
                file: &name,
                findings: &v.findings,
            }];
            crate::report::render(format, &files, deny_warnings).unwrap_or_default()
        }
    };
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

pub fn run(args: ServeArgs) -> Result<i32, CliError> {
    let config = Config::load(args.common.config.as_deref())?;
    let org = super::org_given(args.org.as_deref(), &config);
    if org.is_none() && (args.sp_entity_id.is_none() || args.sp_acs.is_none()) {
        return Err(super::no_org(&config));
    }
    let Some(metadata_source) = super::idp_metadata_given(args.idp_metadata.as_deref(), &config)
    else {
        return Err(super::no_metadata(&config));
    };
    let metadata = args
        .fetch
        .read(&metadata_source.value)
        .map_err(|e| e.at(&metadata_source.at))?;
    let now = match args.now.as_deref() {
        Some(_) => Clock::Fixed(parse_now(args.now.as_deref())?),
        None => Clock::System,
    };
    let max_body = parse_size(&args.max_body)?;
    let (keys, signer) = sp_keys(&args)?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(CliError::Runtime)?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .map_err(|source| CliError::Listen {
                addr: args.listen.clone(),
                source,
            })?;
        let local = listener.local_addr().map_err(|source| CliError::Listen {
            addr: args.listen.clone(),
            source,
        })?;
        let local_url = format!("http://{local}");
        let base_url = args.base_url.clone().unwrap_or_else(|| local_url.clone());
        let sp = match (&org, &args.sp_entity_id, &args.sp_acs) {
            (_, Some(entity_id), Some(acs)) => {
                SpProfile::explicit(entity_id, acs, args.sp_sls.as_deref())
            }
            (Some(org), _, _) => {
                let templates = config.url_templates(args.profile.as_deref())?;
                super::sp::valid_org(templates, &base_url, org, "--base-url")?
            }
            _ => {
                return Err(CliError::Usage(
                    "give --org SLUG, or --sp-entity-id URL and --sp-acs URL".into(),
                ))
            }
        };
        let mut settings =
            SpSettings::new(sp, &metadata, args.idp_entity_id.as_deref()).map_err(|e| match e {
                SettingsError::Metadata(source) => CliError::Metadata {
                    path: metadata_source.value.clone(),
                    source,
                }
                .at(&metadata_source.at),
                SettingsError::Profile(why) => CliError::Usage(why),
            })?;
        settings.mapping = mapping(settings.mapping.clone(), &args, &config)?;
        settings.clock = now;
        settings.clock_skew = args.clock_skew;
        settings.deny_warnings = args.common.deny.is_some();
        settings.config = config;
        settings.signer = signer;
        settings.keys = Some(keys);
        settings.limits.max_body = max_body;
        settings.limits.header_timeout = Duration::from_secs(args.header_timeout.max(1));
        settings.limits.read_timeout = Duration::from_secs(args.read_timeout.max(1));
        let app = SpApp::new(settings).map_err(|e| CliError::Usage(e.to_string()))?;

        banner(&app, &local_url, args.once);
        let mut progress = app.subscribe();
        // Each login, one line on stderr (stdout is the --once report).
        let reporter = tokio::spawn(async move {
            while progress.changed().await.is_ok() {
                let event = progress.borrow_and_update().clone();
                if let Some(e) = event {
                    eprintln!("{}", progress_line(&e));
                }
            }
        });
        let interrupted = async {
            if tokio::signal::ctrl_c().await.is_err() {
                // No signal handling here: run until killed.
                std::future::pending::<()>().await;
            }
        };
        let io_error = |source| CliError::Server {
            url: local_url.clone(),
            source,
        };
        if !args.once {
            listen::serve(listener, app, interrupted)
                .await
                .map_err(io_error)?;
            reporter.abort();
            return Ok(exit::OK);
        }
        let first = listen::serve_until_login(listener, app, interrupted)
            .await
            .map_err(io_error)?;
        reporter.abort();
        let Some(event) = first else {
            eprintln!("samlcheck serve: interrupted before any login arrived");
            return Ok(exit::BAD_INPUT);
        };
        print_login(args.common.format, &event, args.common.deny.is_some());
        let v = &event.verdict;
        Ok(if !v.readable {
            exit::BAD_INPUT
        } else if v.accepted {
            exit::OK
        } else {
            exit::FINDINGS
        })
    })
}

fn progress_line(e: &LoginEvent) -> String {
    let v = &e.login.verdict;
    let verdict = if !v.readable {
        "NOT READABLE"
    } else if v.accepted {
        "ACCEPTED"
    } else {
        "REJECTED"
    };
    let user = v.subject.as_ref().map_or("", |s| s.name_id.as_str());
    format!(
        "test login #{}: {verdict} {user} ({})",
        e.login.number, e.login.report
    )
}

fn banner(app: &SpApp, local_url: &str, once: bool) {
    let s = app.settings();
    let p = app.paths();
    let mut lines = vec![format!(
        "samlcheck serve: mock SP{} listening on {local_url}/",
        s.profile
            .org
            .as_deref()
            .map(|o| format!(" for org {o}"))
            .unwrap_or_default()
    )];
    // Pages for the admin's browser on this machine; the SAML URLs below are what the IdP sees.
    lines.push(format!("  test logins:            {local_url}{}", p.index));
    lines.push(format!("  start a test login:     {local_url}{}", p.login));
    lines.push(format!(
        "  ACS URL (Single sign-on URL / Reply URL): {}",
        s.profile.acs
    ));
    lines.push(format!(
        "  SP entity ID (Audience URI / Identifier): {}",
        s.profile.entity_id
    ));
    if let Some(sls) = &s.profile.sls {
        lines.push(format!("  Single Logout URL:      {sls}"));
    }
    lines.push(format!(
        "  SP metadata:            {}",
        app.url(&p.metadata)
    ));
    let vendor = s.vendor.map(|v| format!(" ({v})")).unwrap_or_default();
    lines.push(format!("  IdP: {}{vendor}", s.idp.entity_id));
    match &s.idp_sso {
        Some(sso) => lines.push(format!(
            "  IdP SSO: {} ({:?} binding)",
            sso.url, sso.binding
        )),
        None => lines.push(
            "  IdP SSO: none in the metadata; only IdP-initiated logins can be tested".into(),
        ),
    }
    if let Some(keys) = &s.keys {
        lines.push(format!("  SP key:                 {}", keys.source));
        lines.push(
            "                          its certificate is in the SP metadata: IdPs may encrypt assertions for it".into(),
        );
    }
    if s.idp_wants_signed_requests && s.signer.is_none() {
        lines.push("  warning: the IdP wants signed AuthnRequests (WantAuthnRequestsSigned) but no --sp-key was given; it may refuse SP-initiated logins".into());
    }
    if once {
        lines.push("  waiting for one login (--once)".into());
    } else {
        lines.push("  press Ctrl-C to stop".into());
    }
    eprintln!("{}", lines.join("\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1MiB").unwrap(), 1024 * 1024);
        assert_eq!(parse_size("512KiB").unwrap(), 512 * 1024);
        assert_eq!(parse_size("2048").unwrap(), 2048);
        assert_eq!(parse_size("64k").unwrap(), 65536);
        for bad in ["", "0", "1GiB", "-1", "MiB", "99999999999999999999"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }
}
