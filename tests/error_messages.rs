//! Usage errors say what to change: the flag (`--idp-metadata`), or the file and its
//! line:column (samlcheck.toml), exactly; and they exit 2 with nothing on stdout.

use std::path::Path;
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `samlcheck ARGS` in `dir`, which must fail with exit code 2, nothing on stdout, and
/// `stderr` exactly.
fn fails(dir: &Path, args: &[&str], stderr: &str) {
    let out = Command::new(assert_cmd::cargo::cargo_bin("samlcheck"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).as_ref(),
            String::from_utf8_lossy(&out.stderr).as_ref()
        ),
        (Some(2), "", stderr),
        "{args:?}"
    );
}

fn fixture(path: &str) -> String {
    format!("{ROOT}/fixtures/{path}")
}

/// An empty folder (no samlcheck.toml), with `config` as its samlcheck.toml when given.
fn folder(config: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    if let Some(text) = config {
        std::fs::write(dir.path().join("samlcheck.toml"), text).unwrap();
    }
    dir
}

const NO_ORG: &str = "samlcheck: no organization: give --org SLUG, or --sp-entity-id URL with --sp-acs URL, or set org = \"SLUG\" in samlcheck.toml (none in the working directory)\n";

#[test]
fn a_missing_org_names_the_flags_and_the_file() {
    let dir = folder(None);
    let metadata = fixture("metadata/okta.xml");
    fails(
        dir.path(),
        &["verify", "response.xml", "--idp-metadata", &metadata],
        NO_ORG,
    );
    fails(
        dir.path(),
        &["check", "--idp-metadata", &metadata, "--no-test-login"],
        NO_ORG,
    );
    fails(
        dir.path(),
        &[
            "serve",
            "--idp-metadata",
            &metadata,
            "--listen",
            "127.0.0.1:0",
        ],
        NO_ORG,
    );
    fails(dir.path(), &["sp-metadata"], NO_ORG);
    fails(
        dir.path(),
        &["idp", "--listen", "127.0.0.1:0"],
        "samlcheck: which SP? give --org SLUG, --sp-metadata FILE|URL, or --sp-entity-id URL with --sp-acs URL, or set org = \"SLUG\" in samlcheck.toml (none in the working directory)\n",
    );
    // With a samlcheck.toml that has no org, the message names that file.
    let dir = folder(Some("preset = \"okta\"\n"));
    fails(
        dir.path(),
        &["sp-metadata"],
        "samlcheck: no organization: give --org SLUG, or --sp-entity-id URL with --sp-acs URL, or set org = \"SLUG\" in samlcheck.toml\n",
    );
    fails(
        dir.path(),
        &["verify", "response.xml", "--org", "acme"],
        "samlcheck: no IdP metadata: give --idp-metadata PATH|URL, or set idp_metadata = \"PATH\" in samlcheck.toml\n",
    );
}

#[test]
fn unreadable_idp_metadata_names_the_flag_or_the_line_of_samlcheck_toml() {
    let dir = folder(None);
    let missing =
        "samlcheck: --idp-metadata: cannot read no/such.xml: No such file or directory (os error 2)\n";
    fails(
        dir.path(),
        &[
            "verify",
            "r.xml",
            "--org",
            "acme",
            "--idp-metadata",
            "no/such.xml",
        ],
        missing,
    );
    fails(
        dir.path(),
        &["check", "--org", "acme", "--idp-metadata", "no/such.xml"],
        missing,
    );
    fails(
        dir.path(),
        &["decode", "x", "--idp-metadata", "no/such.xml"],
        missing,
    );
    fails(
        dir.path(),
        &[
            "serve",
            "--org",
            "acme",
            "--idp-metadata",
            "no/such.xml",
            "--listen",
            "127.0.0.1:0",
        ],
        missing,
    );
    // A certificate is not metadata.
    let cert = fixture("certs/good.crt");
    fails(
        dir.path(),
        &["verify", "r.xml", "--org", "acme", "--idp-metadata", &cert],
        &format!("samlcheck: --idp-metadata: the IdP metadata {cert} cannot be used: text outside the root element at 1:1\n"),
    );

    // From samlcheck.toml: its line and column, and the key.
    let dir = folder(Some(
        "org = \"acme\"\n# the IdP\nidp_metadata = \"idp/okta.xml\"\n",
    ));
    let from_file = "samlcheck: samlcheck.toml:3:16: idp_metadata: cannot read idp/okta.xml: No such file or directory (os error 2)\n";
    fails(dir.path(), &["verify", "r.xml"], from_file);
    fails(dir.path(), &["check", "--no-test-login"], from_file);
    // The flag wins over the file, and is the one named.
    fails(
        dir.path(),
        &["verify", "r.xml", "--idp-metadata", "no/such.xml"],
        missing,
    );
}

#[test]
fn a_bad_now_names_the_flag_and_shows_the_form() {
    let dir = folder(None);
    let metadata = fixture("metadata/okta.xml");
    let bad =
        "samlcheck: --now \"yesterday\" is not an RFC 3339 instant such as 2026-01-15T10:01:00Z\n";
    fails(
        dir.path(),
        &[
            "verify",
            &fixture("responses/okta.xml"),
            "--org",
            "acme",
            "--idp-metadata",
            &metadata,
            "--now",
            "yesterday",
        ],
        bad,
    );
    fails(dir.path(), &["lint", &metadata, "--now", "yesterday"], bad);
    fails(
        dir.path(),
        &[
            "check",
            "--org",
            "acme",
            "--idp-metadata",
            &metadata,
            "--now",
            "yesterday",
        ],
        bad,
    );
    fails(dir.path(), &["demo", "--now", "yesterday"], bad);
    fails(
        dir.path(),
        &["idp", "--org", "acme", "--now", "yesterday"],
        bad,
    );
}

#[test]
fn an_unknown_rule_in_samlcheck_toml_names_file_line_column_and_the_closest_id() {
    let dir = folder(Some(
        "org = \"acme\"\n\n[rules]\n\"cert/expiring-soon\" = \"off\"\n  \"cert/expird\" = \"off\"\n",
    ));
    let message = "samlcheck: samlcheck.toml:5:3: [rules] \"cert/expird\" is not a samlcheck rule id (did you mean \"cert/expired\"?)\n";
    fails(dir.path(), &["sp-metadata"], message);
    fails(
        dir.path(),
        &["lint", &fixture("metadata/okta.xml")],
        message,
    );
    // Through --config, the path given.
    let other = folder(None);
    let config = dir.path().join("samlcheck.toml");
    fails(
        other.path(),
        &["sp-metadata", "--config", config.to_str().unwrap()],
        &format!(
            "samlcheck: {}:5:3: [rules] \"cert/expird\" is not a samlcheck rule id (did you mean \"cert/expired\"?)\n",
            config.display()
        ),
    );
    // A bad value or key is placed the same way.
    let dir = folder(Some(
        "org = \"acme\"\n[rules]\n\"cert/expired\" = \"warn\"\n",
    ));
    fails(
        dir.path(),
        &["sp-metadata"],
        "samlcheck: samlcheck.toml:3:18: [rules] \"cert/expired\": unknown severity \"warn\"; did you mean \"warning\"? (error, warning, info, off)\n",
    );
    // No suggestion when none is close; a value that is no string is placed too.
    let dir = folder(Some("[rules]\n\"metadata/expired\" = \"disabled\"\n"));
    fails(
        dir.path(),
        &["sp-metadata", "--org", "acme"],
        "samlcheck: samlcheck.toml:2:22: [rules] \"metadata/expired\": unknown severity \"disabled\"; the severities are error, warning, info, off\n",
    );
    let dir = folder(Some("[rules]\n\"metadata/expired\" = \"Error\"\n"));
    fails(
        dir.path(),
        &["sp-metadata", "--org", "acme"],
        "samlcheck: samlcheck.toml:2:22: [rules] \"metadata/expired\": unknown severity \"Error\"; did you mean \"error\"? (error, warning, info, off)\n",
    );
    let dir = folder(Some("[rules]\n\"metadata/expired\" = 3\n"));
    fails(
        dir.path(),
        &["sp-metadata", "--org", "acme"],
        "samlcheck: samlcheck.toml:2:22: invalid type: integer `3`, expected a string\n",
    );
}

#[test]
fn an_unknown_format_names_the_flag_and_the_formats() {
    let dir = folder(None);
    let metadata = fixture("metadata/okta.xml");
    fails(
        dir.path(),
        &["lint", &metadata, "--format", "xml"],
        "error: invalid value 'xml' for '--format <FORMAT>'\n  [possible values: human, json, jsonl, sarif, junit, github]\n\nFor more information, try '--help'.\n",
    );
    fails(
        dir.path(),
        &["rules", "--format", "sarif"],
        "error: invalid value 'sarif' for '--format <FORMAT>'\n  [possible values: human, json]\n\nFor more information, try '--help'.\n",
    );
}

#[test]
fn a_bad_org_or_base_url_names_where_it_came_from() {
    let dir = folder(None);
    let metadata = fixture("metadata/okta.xml");
    let slug = "sp/org-slug-invalid: the org slug \"Ac me\" is not valid: it has uppercase letters (A); slugs are lowercase and SAML compares URLs exactly; it contains a space; did you mean \"ac-me\"?\n";
    fails(
        dir.path(),
        &[
            "verify",
            "r.xml",
            "--org",
            "Ac me",
            "--idp-metadata",
            &metadata,
        ],
        &format!("samlcheck: --org: {slug}"),
    );
    fails(
        dir.path(),
        &["sp-metadata", "--org", "Ac me"],
        &format!("samlcheck: --org: {slug}"),
    );
    fails(
        dir.path(),
        &["sp-metadata", "--org", "acme", "--base-url", "ftp://x"],
        "samlcheck: --base-url: the base URL \"ftp://x\" cannot be used: the scheme is \"ftp\"; it must be https (or http for a local test install)\n",
    );
    let dir = folder(Some("org = \"Ac me\"\n"));
    fails(
        dir.path(),
        &["sp-metadata"],
        &format!("samlcheck: samlcheck.toml:1:7: org: {slug}"),
    );
    let dir = folder(Some("org = \"acme\"\nbase_url = \"ftp://x\"\n"));
    fails(
        dir.path(),
        &["sp-metadata"],
        "samlcheck: samlcheck.toml:2:12: base_url: the base URL \"ftp://x\" cannot be used: the scheme is \"ftp\"; it must be https (or http for a local test install)\n",
    );
}

#[test]
fn unreadable_files_name_their_flag() {
    let dir = folder(None);
    let metadata = fixture("metadata/okta.xml");
    fails(
        dir.path(),
        &[
            "verify",
            "r.xml",
            "--org",
            "acme",
            "--idp-metadata",
            &metadata,
            "--sp-key",
            "no.key",
        ],
        "samlcheck: --sp-key: cannot read no.key: No such file or directory (os error 2)\n",
    );
    fails(
        dir.path(),
        &["decode", "x", "--sp-cert", "no.crt"],
        "samlcheck: --sp-cert: cannot read no.crt: No such file or directory (os error 2)\n",
    );
    fails(
        dir.path(),
        &["lint", &metadata, "--signer-cert", "no.crt"],
        "samlcheck: --signer-cert: cannot read no.crt: No such file or directory (os error 2)\n",
    );
    fails(
        dir.path(),
        &[
            "check",
            "--org",
            "acme",
            "--idp-metadata",
            &metadata,
            "--response",
            "no.b64",
        ],
        "samlcheck: --response: cannot read no.b64: no such file (and it does not look like a SAMLResponse value)\n",
    );
    fails(
        dir.path(),
        &[
            "check",
            "--org",
            "acme",
            "--idp-metadata",
            &metadata,
            "--sp-metadata",
            "sp.xml",
        ],
        "samlcheck: --sp-metadata: cannot read sp.xml: No such file or directory (os error 2)\n",
    );
    fails(
        dir.path(),
        &["idp", "--org", "acme", "--encrypt-for", "no.crt"],
        "samlcheck: --encrypt-for: cannot read no.crt: No such file or directory (os error 2)\n",
    );
    fails(
        dir.path(),
        &[
            "serve",
            "--org",
            "acme",
            "--idp-metadata",
            &metadata,
            "--sp-key",
            "no.key",
            "--listen",
            "127.0.0.1:0",
        ],
        "samlcheck: --sp-key: cannot read no.key: No such file or directory (os error 2)\n",
    );
}

#[test]
fn other_usage_errors_say_what_to_change() {
    let dir = folder(None);
    let metadata = fixture("metadata/okta.xml");
    let keys = fixture("keys");
    fails(
        dir.path(),
        &["lint", &keys],
        &format!("samlcheck: no *.xml file in {keys}\n"),
    );
    fails(
        dir.path(),
        &[
            "serve",
            "--org",
            "acme",
            "--idp-metadata",
            &metadata,
            "--preset",
            "octa",
            "--listen",
            "127.0.0.1:0",
        ],
        "samlcheck: --preset octa: `octa` is not a preset; the presets are okta, entra, google, onelogin, auth0, jumpcloud, authentik, keycloak, adfs, ping, rippling, shibboleth, simplesamlphp\n",
    );
    // A port already taken: bind one here first.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = Command::new(assert_cmd::cargo::cargo_bin("samlcheck"))
        .current_dir(dir.path())
        .args(["idp", "--org", "acme", "--listen", &addr])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("samlcheck: --listen {addr}: cannot listen there: Address already in use (os error 98)\n")
    );
    fails(
        dir.path(),
        &["explain", "cert/expird"],
        "samlcheck: unknown rule \"cert/expird\"; did you mean cert/expired? (`samlcheck rules` lists every rule)\n",
    );
}

#[test]
fn a_certificate_flag_given_a_file_that_is_no_certificate_says_so() {
    let dir = folder(None);
    std::fs::write(dir.path().join("README.md"), "# Not a certificate\n").unwrap();
    let metadata = fixture("metadata/okta.xml");
    fails(
        dir.path(),
        &["lint", &metadata, "--signer-cert", "README.md"],
        "samlcheck: --signer-cert README.md: not a PEM certificate (no -----BEGIN CERTIFICATE----- line) and not DER\n",
    );
    fails(
        dir.path(),
        &["decode", "x", "--sp-cert", "README.md"],
        "samlcheck: --sp-cert README.md: not a PEM certificate (no -----BEGIN CERTIFICATE----- line) and not DER\n",
    );
    // A private key alone has PEM lines, but no certificate.
    let key = fixture("keys/sp-rsa.key");
    fails(
        dir.path(),
        &["lint", &metadata, "--signer-cert", &key],
        &format!("samlcheck: --signer-cert {key}: not a PEM certificate (no -----BEGIN CERTIFICATE----- line) and not DER\n"),
    );
}

#[test]
fn a_key_or_certificate_flag_given_a_file_that_is_neither_says_which_it_wanted() {
    let dir = folder(None);
    std::fs::write(dir.path().join("README.md"), "# Not a key\n").unwrap();
    let metadata = fixture("metadata/okta.xml");
    let cert = fixture("keys/idp-rsa.crt");
    let key = fixture("keys/idp-rsa.key");
    const NOT_A_KEY: &str =
        "not a PEM private key (no -----BEGIN ... PRIVATE KEY----- line) and not DER";
    const NOT_A_CERT: &str =
        "not a PEM certificate (no -----BEGIN CERTIFICATE----- line) and not DER";
    let verify = [
        "verify",
        "r.xml",
        "--org",
        "acme",
        "--idp-metadata",
        &metadata,
    ];
    fails(
        dir.path(),
        &[&verify[..], &["--sp-key", "README.md"]].concat(),
        &format!("samlcheck: --sp-key README.md: {NOT_A_KEY}\n"),
    );
    // A certificate is not the key it certifies.
    fails(
        dir.path(),
        &[&verify[..], &["--sp-key", &cert]].concat(),
        &format!("samlcheck: --sp-key {cert}: {NOT_A_KEY}\n"),
    );
    fails(
        dir.path(),
        &["decode", "x", "--sp-key", "README.md"],
        &format!("samlcheck: --sp-key README.md: {NOT_A_KEY}\n"),
    );
    fails(
        dir.path(),
        &[
            "idp",
            "--org",
            "acme",
            "--key",
            "README.md",
            "--cert",
            &cert,
        ],
        &format!("samlcheck: --key README.md: {NOT_A_KEY}\n"),
    );
    fails(
        dir.path(),
        &["idp", "--org", "acme", "--key", &key, "--cert", &key],
        &format!("samlcheck: --cert {key}: {NOT_A_CERT}\n"),
    );
    fails(
        dir.path(),
        &["idp", "--org", "acme", "--encrypt-for", "README.md"],
        &format!("samlcheck: --encrypt-for README.md: {NOT_A_CERT}\n"),
    );
    let serve = [
        "serve",
        "--org",
        "acme",
        "--idp-metadata",
        &metadata,
        "--listen",
        "127.0.0.1:0",
    ];
    fails(
        dir.path(),
        &[&serve[..], &["--sp-key", "README.md"]].concat(),
        &format!("samlcheck: --sp-key README.md: {NOT_A_KEY}\n"),
    );
    fails(
        dir.path(),
        &[&serve[..], &["--sp-key", &key, "--sp-cert", "README.md"]].concat(),
        &format!("samlcheck: --sp-cert README.md: {NOT_A_CERT}\n"),
    );
}

#[test]
fn a_der_certificate_is_read_as_well_as_pem() {
    let dir = folder(None);
    let pem = std::fs::read(fixture("keys/sp-rsa.crt")).unwrap();
    let der = openssl::x509::X509::from_pem(&pem)
        .unwrap()
        .to_der()
        .unwrap();
    std::fs::write(dir.path().join("sp.der"), der).unwrap();
    let out = Command::new(assert_cmd::cargo::cargo_bin("samlcheck"))
        .current_dir(dir.path())
        .args([
            "lint",
            &fixture("metadata/okta.xml"),
            "--signer-cert",
            "sp.der",
            "--now",
            "2026-01-15T10:00:00Z",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("--signer-cert"), "{stderr}");
    assert_ne!(out.status.code(), Some(2), "{stderr}");
}
