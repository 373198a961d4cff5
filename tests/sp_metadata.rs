//! `samlcheck sp-metadata` through the binary: the XML parses with the project's own parser and
//! with xmllint, `lint` finds nothing wrong in the SP role, and bad input exits 2.

mod external_support;

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use samlcheck::saml::metadata::{EntityDescriptor, RoleDescriptor};
use samlcheck::saml::ns;
use samlcheck::xml::{Document, Limits};
use serde_json::Value;

const POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
const REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const EMAIL: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("samlcheck")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn sp_metadata(args: &[&str]) -> Output {
    let mut all = vec!["sp-metadata"];
    all.extend_from_slice(args);
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), &all)
}

fn xml_of(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The entity, read with the project's own parser and metadata model.
fn entity(xml: &str) -> EntityDescriptor {
    let doc = Document::parse(xml, Limits::METADATA).expect("the output parses");
    EntityDescriptor::read(&doc, doc.root()).expect("an md:EntityDescriptor")
}

fn sp_role(e: &EntityDescriptor) -> &RoleDescriptor {
    assert!(e.idp().is_none());
    e.sp().expect("an md:SPSSODescriptor")
}

/// (binding, location, index, isDefault) of each endpoint of `kind`.
fn endpoints(
    role: &RoleDescriptor,
    kind: &str,
) -> Vec<(String, String, Option<String>, Option<String>)> {
    role.endpoints_of(kind)
        .map(|e| {
            (
                e.binding.clone().unwrap_or_default(),
                e.location.clone().unwrap_or_default(),
                e.index.clone(),
                e.is_default.clone(),
            )
        })
        .collect()
}

#[test]
fn org_metadata_has_every_sp_value() {
    let xml = xml_of(&sp_metadata(&["--org", "acme"]));
    let e = entity(&xml);
    assert_eq!(
        e.entity_id.as_deref(),
        Some("https://sentry.io/saml/metadata/acme/")
    );
    let sp = sp_role(&e);
    assert_eq!(sp.protocols, vec![ns::PROTOCOL.to_string()]);
    assert_eq!(sp.authn_requests_signed.as_deref(), Some("false"));
    assert_eq!(sp.want_assertions_signed.as_deref(), Some("true"));
    assert_eq!(
        endpoints(sp, "AssertionConsumerService"),
        vec![(
            POST.to_string(),
            "https://sentry.io/saml/acs/acme/".to_string(),
            Some("0".to_string()),
            Some("true".to_string())
        )]
    );
    assert_eq!(
        endpoints(sp, "SingleLogoutService"),
        vec![(
            REDIRECT.to_string(),
            "https://sentry.io/saml/sls/acme/".to_string(),
            None,
            None
        )]
    );
    assert_eq!(sp.name_id_formats[0].value, EMAIL);
    assert!(sp.keys.is_empty(), "the SP neither signs nor decrypts");
}

#[test]
fn self_hosted_base_with_a_path_prefix() {
    let xml = xml_of(&sp_metadata(&[
        "--org",
        "ops_team",
        "--base-url",
        "https://sentry.company/prefix/",
    ]));
    let e = entity(&xml);
    assert_eq!(
        e.entity_id.as_deref(),
        Some("https://sentry.company/prefix/saml/metadata/ops_team/")
    );
    let acs = endpoints(sp_role(&e), "AssertionConsumerService");
    assert_eq!(acs[0].1, "https://sentry.company/prefix/saml/acs/ops_team/");
}

#[test]
fn explicit_sp_values_are_escaped_and_round_trip() {
    let entity_id = "https://app.example/sp?tenant=a&b=\"c\"";
    let acs = "https://app.example/sso/acs?x=<1>&y='2'";
    let xml = xml_of(&sp_metadata(&[
        "--sp-entity-id",
        entity_id,
        "--sp-acs",
        acs,
    ]));
    let e = entity(&xml);
    assert_eq!(e.entity_id.as_deref(), Some(entity_id));
    let sp = sp_role(&e);
    assert_eq!(endpoints(sp, "AssertionConsumerService")[0].1, acs);
    assert!(endpoints(sp, "SingleLogoutService").is_empty());
    let with_sls = xml_of(&sp_metadata(&[
        "--sp-entity-id",
        "urn:example:sp",
        "--sp-acs",
        "https://app.example/acs",
        "--sp-sls",
        "https://app.example/sls",
    ]));
    let e = entity(&with_sls);
    assert_eq!(
        endpoints(sp_role(&e), "SingleLogoutService")[0].1,
        "https://app.example/sls"
    );
}

fn lint(dir: &Path, file: &str, extra: &[&str]) -> (i32, Vec<(String, String)>) {
    let mut args = vec!["lint", file, "--format", "json"];
    args.extend_from_slice(extra);
    let out = run_in(dir, &args);
    let v: Value = serde_json::from_slice(&out.stdout).expect("lint JSON");
    let findings = v["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (out.status.code().unwrap(), findings)
}

/// `lint` accepts the SP metadata cleanly, alone and inside an EntitiesDescriptor; with
/// `--require-idp` (where only IdP metadata belongs) the bare file is the classic wrong upload.
#[test]
fn lint_accepts_it_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["--org", "acme"][..],
        &[
            "--org",
            "ops",
            "--base-url",
            "https://sentry.company/prefix",
        ][..],
    ] {
        let xml = xml_of(&sp_metadata(args));
        std::fs::write(dir.path().join("sp.xml"), &xml).unwrap();
        let (code, findings) = lint(dir.path(), "sp.xml", &[]);
        assert_eq!(findings, vec![], "{args:?}");
        assert_eq!(code, 0);
        let (code, findings) = lint(dir.path(), "sp.xml", &["--require-idp"]);
        assert_eq!(
            findings,
            vec![(
                "metadata/no-idp-descriptor".to_string(),
                "error".to_string()
            )],
            "{args:?}"
        );
        assert_eq!(code, 1);

        let body = xml.split_once("?>\n").unwrap().1;
        let aggregate = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<md:EntitiesDescriptor xmlns:md=\"{}\">\n{body}</md:EntitiesDescriptor>\n",
            ns::METADATA
        );
        std::fs::write(dir.path().join("aggregate.xml"), aggregate).unwrap();
        let (code, findings) = lint(dir.path(), "aggregate.xml", &[]);
        assert_eq!(findings, vec![], "{args:?}");
        assert_eq!(code, 0);
    }
}

#[test]
fn xmllint_accepts_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sp.xml");
    std::fs::write(&path, xml_of(&sp_metadata(&["--org", "acme"]))).unwrap();
    let out = match std::process::Command::new("xmllint")
        .arg("--noout")
        .arg(&path)
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            external_support::missing_tools(
                "xmllint_accepts_it",
                &format!("xmllint is not installed ({e})"),
                "libxml2-utils",
            );
            return;
        }
    };
    assert!(
        out.status.success(),
        "xmllint: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn bad_slug_exits_2_naming_the_rule_and_the_likely_slug() {
    let out = sp_metadata(&["--org", "Acme Corp"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sp/org-slug-invalid"), "{err}");
    assert!(err.contains("uppercase letters"), "{err}");
    assert!(err.contains("did you mean \"acme-corp\"?"), "{err}");
    for bad in ["12345", "", "acme\u{200B}", &"a".repeat(51)] {
        let out = sp_metadata(&["--org", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("sp/org-slug-invalid"));
    }
}

#[test]
fn usage_problems_exit_2() {
    let cases: [&[&str]; 5] = [
        &[],
        &["--org", "acme", "--base-url", "sentry.company"],
        &[
            "--org",
            "acme",
            "--base-url",
            "https://sentry.io/saml/acs/acme/",
        ],
        &["--org", "acme", "--sp-entity-id", "https://app.example/sp"],
        &[
            "--sp-entity-id",
            "https://app.example/sp",
            "--sp-acs",
            "/acs",
        ],
    ];
    let dir = tempfile::tempdir().unwrap();
    for args in cases {
        let mut all = vec!["sp-metadata"];
        all.extend_from_slice(args);
        let out = run_in(dir.path(), &all);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let out = run_in(dir.path(), &["sp-metadata"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no organization: give --org SLUG"));
}

#[test]
fn samlcheck_toml_supplies_org_and_base_url() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("samlcheck.toml"),
        "org = \"acme\"\nbase_url = \"https://sentry.company\"\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["sp-metadata"]);
    let e = entity(&xml_of(&out));
    assert_eq!(
        e.entity_id.as_deref(),
        Some("https://sentry.company/saml/metadata/acme/")
    );
    // Flags win over the file.
    let out = run_in(dir.path(), &["sp-metadata", "--org", "globex"]);
    let e = entity(&xml_of(&out));
    assert_eq!(
        e.entity_id.as_deref(),
        Some("https://sentry.company/saml/metadata/globex/")
    );
}
