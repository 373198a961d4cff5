//! `samlcheck idp`: runs the mock IdP (see [`crate::server::idp`]) until Ctrl-C.

use std::path::PathBuf;

use super::examples::{Example, Outcome};
use super::{exit, CliError, FetchArgs};
use crate::config::Config;
use crate::saml::time::parse_instant;
use crate::server::idp::run::ServeError;
use crate::server::idp::{
    bind, read_sp_metadata, CheckedBy, Clock, Fault, IdpKey, IdpSettings, KeySource, MockIdp,
};
use crate::sp::SpProfile;
use crate::xml::dsig::key_files::{certificate_pem, private_key_pem};
use crate::xml::enc::EncryptionCert;

pub const EXAMPLES: &[Example] = &[
    Example {
        what: "The mock IdP for the mock SP of `samlcheck serve --org acme`, logging jane.doe in without a login page",
        command: "samlcheck idp --org acme --user jane.doe@acme.example",
        outcome: Outcome::Serves,
    },
    Example {
        what: "Misbehaving on purpose: the Audience of every response is the SP's ACS URL",
        command: "samlcheck idp --org acme --fault wrong-audience",
        outcome: Outcome::Serves,
    },
    Example {
        what: "The faults, with the rule each makes samlcheck report",
        command: "samlcheck idp --list-faults",
        outcome: Outcome::Exit(exit::OK, "listed"),
    },
];

/// The SP base URL assumed with `--org` alone: where `samlcheck serve` listens by default.
pub const DEFAULT_SP_BASE_URL: &str = "http://127.0.0.1:8080";

#[derive(Debug, clap::Args)]
pub struct IdpArgs {
    /// Address to listen on (port 0 picks a free port; the URL is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8081")]
    pub listen: String,
    /// The IdP's public base URL [default: http:// + the bound address]. The entity ID is
    /// BASE/metadata.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// The SP's metadata (file or URL): its entity ID and ACS URL.
    #[arg(long, value_name = "FILE|URL", conflicts_with_all = ["org", "sp_entity_id", "profile"])]
    pub sp_metadata: Option<String>,
    /// The org slug of the SP [default: `org` in samlcheck.toml].
    #[arg(long, value_name = "SLUG")]
    pub org: Option<String>,
    /// The SP's base URL for --org.
    #[arg(long, value_name = "URL", default_value = DEFAULT_SP_BASE_URL)]
    pub base_url_sp: String,
    /// The SP's URL shape for --org: `sentry` (built in) or a `[profiles.NAME]` of samlcheck.toml [default: `profile` in samlcheck.toml, else sentry].
    #[arg(long, value_name = "NAME", conflicts_with = "sp_entity_id")]
    pub profile: Option<String>,
    /// The SP entity ID (instead of --org).
    #[arg(long, value_name = "URL", requires = "sp_acs", conflicts_with = "org")]
    pub sp_entity_id: Option<String>,
    /// The SP ACS URL (with --sp-entity-id).
    #[arg(long, value_name = "URL", requires = "sp_entity_id")]
    pub sp_acs: Option<String>,
    /// Private key to sign with, PEM or DER [default: the bundled test key].
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,
    /// Certificate of --key, PEM or DER, published in the metadata.
    #[arg(long, value_name = "FILE", requires = "key")]
    pub cert: Option<PathBuf>,
    /// Log this user in directly instead of showing the login page.
    #[arg(long, value_name = "EMAIL")]
    pub user: Option<String>,
    /// An attribute to release, NAME=VALUE (repeatable; repeating a name adds values). The
    /// defaults are email, firstName and lastName, derived from the user name.
    #[arg(long = "attribute", value_name = "NAME=VALUE")]
    pub attributes: Vec<String>,
    /// Misbehave in one named way (see --list-faults).
    #[arg(long, value_name = "NAME")]
    pub fault: Option<Fault>,
    /// List the faults, with the rule each makes samlcheck report, and exit.
    #[arg(long)]
    pub list_faults: bool,
    /// Sign the Response as well as the Assertion.
    #[arg(long)]
    pub sign_response: bool,
    /// Encrypt assertions for this SP certificate (PEM or DER) [default: the encryption
    /// certificate of --sp-metadata, if it has one; else unencrypted].
    #[arg(long, value_name = "FILE")]
    pub encrypt_for: Option<PathBuf>,
    /// Issue every response at this instant (RFC 3339) instead of the current time.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Settings file (org default) instead of ./samlcheck.toml.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub fetch: FetchArgs,
}

/// The fault table of `--list-faults`.
pub fn fault_table() -> String {
    let width = Fault::ALL.iter().map(|f| f.name().len()).max().unwrap_or(0);
    let rule_width = Fault::ALL
        .iter()
        .map(|f| f.rule().id.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for f in Fault::ALL {
        let verdict = match (f.checked_by(), f.verify_accepts()) {
            (CheckedBy::Mapping, _) => "verify accepts; reported by the mapping check",
            (CheckedBy::Verify, true) => "verify accepts",
            (CheckedBy::Verify, false) => "verify rejects",
        };
        out.push_str(&format!(
            "{:width$}  {:rule_width$}  {}\n{:width$}  {:rule_width$}  ({verdict})\n",
            f.name(),
            f.rule().id,
            f.description(),
            "",
            "",
        ));
    }
    out
}

/// A loopback URL may be fetched over plain http: the mock SP runs there.
fn is_loopback_http(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|p| {
            lower
                .strip_prefix(p)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
        })
}

/// The SP, and the certificate its metadata asks assertions to be encrypted for.
fn sp_profile(args: &IdpArgs) -> Result<(SpProfile, Option<EncryptionCert>), CliError> {
    if let Some(source) = &args.sp_metadata {
        let mut fetch = args.fetch.clone();
        fetch.allow_http |= is_loopback_http(source);
        let bytes = fetch.read(source).map_err(|e| e.at("--sp-metadata"))?;
        let sp = read_sp_metadata(&bytes)
            .map_err(|e| CliError::Usage(format!("--sp-metadata {source}: {e}")))?;
        return Ok((sp.profile, sp.encryption));
    }
    if let (Some(entity_id), Some(acs)) = (&args.sp_entity_id, &args.sp_acs) {
        return Ok((SpProfile::explicit(entity_id, acs, None), None));
    }
    let config = Config::load(args.config.as_deref())?;
    let Some(org) = super::org_given(args.org.as_deref(), &config) else {
        return Err(CliError::Usage(format!(
            "which SP? give --org SLUG, --sp-metadata FILE|URL, or --sp-entity-id URL with --sp-acs URL, or set org = \"SLUG\" in {}",
            config.describe()
        )));
    };
    // The mock SP's address, not the file's base_url: --base-url-sp always has a value.
    let templates = config.url_templates(args.profile.as_deref())?;
    let sp = super::sp::valid_org(templates, &args.base_url_sp, &org, "--base-url-sp")?;
    Ok((sp, None))
}

fn key(args: &IdpArgs) -> Result<IdpKey, CliError> {
    let (Some(key), Some(cert)) = (&args.key, &args.cert) else {
        return IdpKey::bundled_test_key()
            .map_err(|e| CliError::Usage(format!("the bundled test key: {e}")));
    };
    let read = |path: &PathBuf, flag: &str| {
        std::fs::read(path).map_err(|source| {
            CliError::Io {
                path: path.display().to_string(),
                source,
            }
            .at(flag)
        })
    };
    let source = KeySource::Files {
        key: key.display().to_string(),
        cert: cert.display().to_string(),
    };
    let key_pem = read(key, "--key")?;
    let key_pem = private_key_pem(&key_pem)
        .map_err(|e| CliError::Usage(format!("--key {}: {e}", key.display())))?;
    let cert_pem = read(cert, "--cert")?;
    let cert_pem = certificate_pem(&cert_pem)
        .map_err(|e| CliError::Usage(format!("--cert {}: {e}", cert.display())))?;
    IdpKey::from_pem(&key_pem, &cert_pem, source)
        .map_err(|e| CliError::Usage(format!("--key/--cert: {e}")))
}

/// The settings the arguments describe.
pub fn settings(args: &IdpArgs) -> Result<IdpSettings, CliError> {
    let mut attributes = Vec::new();
    for a in &args.attributes {
        match a.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => {
                attributes.push((name.trim().to_string(), value.to_string()))
            }
            _ => {
                return Err(CliError::Usage(format!(
                    "--attribute {a:?} is not NAME=VALUE"
                )))
            }
        }
    }
    let clock = match &args.now {
        Some(now) => Clock::Fixed(parse_instant(now).ok_or_else(|| {
            CliError::Usage(format!(
                "--now {now:?} is not an RFC 3339 instant such as 2026-01-15T10:01:00Z"
            ))
        })?),
        None => Clock::System,
    };
    let (sp, from_metadata) = sp_profile(args)?;
    let encrypt_for = match &args.encrypt_for {
        Some(path) => {
            let pem = std::fs::read(path).map_err(|source| {
                CliError::Io {
                    path: path.display().to_string(),
                    source,
                }
                .at("--encrypt-for")
            })?;
            let usage = |e: &dyn std::fmt::Display| {
                CliError::Usage(format!("--encrypt-for {}: {e}", path.display()))
            };
            let pem = certificate_pem(&pem).map_err(|e| usage(&e))?;
            Some(EncryptionCert::from_pem(&pem).map_err(|e| usage(&e))?)
        }
        None => from_metadata,
    };
    let mut settings = IdpSettings::new(sp, key(args)?);
    settings.encrypt_for = encrypt_for;
    settings.user = args
        .user
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string);
    settings.attributes = attributes;
    settings.fault = args.fault;
    settings.clock = clock;
    settings.sign_response = args.sign_response;
    Ok(settings)
}

/// What the IdP prints when it starts. The first line names the URL (tests read it).
pub fn banner(idp: &MockIdp) -> String {
    let s = idp.settings();
    let mut out = format!("samlcheck mock IdP listening on {}\n", idp.base_url());
    out.push_str(&format!("  metadata / entity ID: {}\n", idp.entity_id()));
    out.push_str(&format!(
        "  single sign-on:       {} (HTTP-Redirect and HTTP-POST)\n",
        idp.sso_url()
    ));
    out.push_str(&format!(
        "  IdP-initiated login:  {}\n",
        idp.idp_initiated_url()
    ));
    out.push_str(&format!(
        "  SP:                   {} (ACS {})\n",
        s.sp.entity_id, s.sp.acs
    ));
    out.push_str(&format!("  signing key:          {}\n", s.key.source));
    match s.encrypt_for.as_ref().and_then(|c| c.info()) {
        Some(info) => out.push_str(&format!(
            "  encryption:           assertions encrypted for {} (SHA-256 {})\n",
            info.subject, info.sha256
        )),
        None if s.encrypt_for.is_some() => {
            out.push_str("  encryption:           assertions encrypted for the SP certificate\n")
        }
        None => out.push_str("  encryption:           none\n"),
    }
    out.push_str(&format!(
        "  user:                 {}\n",
        s.user
            .as_deref()
            .unwrap_or("none: a login page asks for a user name")
    ));
    match s.fault {
        Some(f) => out.push_str(&format!(
            "  fault:                {} ({}; samlcheck reports {})\n",
            f.name(),
            f.description(),
            f.rule().id
        )),
        None => out.push_str("  fault:                none\n"),
    }
    if let Clock::Fixed(t) = s.clock {
        out.push_str(&format!(
            "  clock:                fixed at {}\n",
            crate::saml::time::format_instant(t)
        ));
    }
    out.push_str("Press Ctrl-C to stop.\n");
    out
}

pub fn run(args: IdpArgs) -> Result<i32, CliError> {
    if args.list_faults {
        print!("{}", fault_table());
        return Ok(exit::OK);
    }
    let settings = settings(&args)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(CliError::Runtime)?;
    runtime.block_on(async {
        let (listener, idp) = bind(settings, &args.listen, args.base_url.as_deref())
            .await
            .map_err(|e| match e {
                ServeError::Bind { addr, source } => CliError::Listen { addr, source },
                e @ ServeError::BaseUrl(_) => CliError::Usage(format!("--base-url: {e}")),
            })?;
        let url = idp.base_url().to_string();
        super::print_bytes(banner(&idp).as_bytes())?;
        crate::server::idp::serve(listener, idp, async {
            // If signals cannot be watched, serve until killed.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await
        .map_err(|source| CliError::Server { url, source })?;
        Ok(exit::OK)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(argv: &[&str]) -> IdpArgs {
        let cli = crate::cli::Cli::try_parse_from(
            ["samlcheck", "idp"].iter().chain(argv.iter()).copied(),
        )
        .unwrap();
        match cli.command {
            crate::cli::Command::Idp(a) => a,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn arguments_become_settings() {
        let a = args(&[
            "--org",
            "acme",
            "--user",
            "jane@acme.example",
            "--attribute",
            "groups=admins",
            "--attribute",
            "groups=devs",
            "--fault",
            "wrong-audience",
            "--now",
            "2026-01-15T10:00:00Z",
        ]);
        let s = settings(&a).unwrap();
        assert_eq!(s.sp.acs, "http://127.0.0.1:8080/saml/acs/acme/");
        assert_eq!(s.user.as_deref(), Some("jane@acme.example"));
        assert_eq!(s.attributes.len(), 2);
        assert_eq!(s.fault, Some(Fault::WrongAudience));
        assert!(matches!(s.clock, Clock::Fixed(_)));
        assert_eq!(s.key.source, KeySource::BundledTestKey);

        let bad = |argv: &[&str]| settings(&args(argv)).unwrap_err().to_string();
        assert!(bad(&["--org", "acme", "--attribute", "novalue"]).contains("NAME=VALUE"));
        assert!(bad(&["--org", "acme", "--now", "yesterday"]).contains("RFC 3339"));
        assert!(bad(&["--org", "Ac me"]).starts_with("--org: sp/org-slug-invalid: "));
    }

    #[test]
    fn the_sp_follows_a_configured_profile() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("samlcheck.toml");
        std::fs::write(
            &config,
            "[profiles.saas]\nentity_id = \"{base}/sso/{org}/metadata\"\nacs = \"{base}/sso/{org}/acs\"\n",
        )
        .unwrap();
        let config = config.to_str().unwrap();
        let s = settings(&args(&[
            "--org",
            "acme",
            "--profile",
            "saas",
            "--config",
            config,
        ]))
        .unwrap();
        assert_eq!(s.sp.acs, "http://127.0.0.1:8080/sso/acme/acs");
        assert_eq!(s.sp.entity_id, "http://127.0.0.1:8080/sso/acme/metadata");
        let e = settings(&args(&[
            "--org",
            "acme",
            "--profile",
            "x",
            "--config",
            config,
        ]));
        assert!(e
            .unwrap_err()
            .to_string()
            .contains("profile \"x\" is not defined"));
    }

    #[test]
    fn loopback_metadata_may_be_plain_http_and_faults_are_listed() {
        assert!(is_loopback_http(
            "http://127.0.0.1:8080/saml/metadata/acme/"
        ));
        assert!(is_loopback_http("HTTP://localhost/x"));
        assert!(!is_loopback_http("http://127.0.0.1.evil.example/"));
        assert!(!is_loopback_http("http://example.com/"));
        let table = fault_table();
        for f in Fault::ALL {
            assert!(table.contains(f.name()) && table.contains(f.rule().id));
        }
    }
}
