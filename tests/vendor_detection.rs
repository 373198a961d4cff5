//! IdP vendor detection on the real-shaped metadata fixtures: each vendor's file names its
//! vendor, with the evidence that matched, and generic metadata names none.

use samlcheck::saml::metadata::EntityDescriptor;
use samlcheck::sp::vendor::{detect, ConsoleField, Detection, EvidenceSource, Vendor};
use samlcheck::xml::{Document, Limits};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn detect_file(file: &str) -> Option<Detection> {
    let bytes = std::fs::read(format!("{ROOT}/fixtures/metadata/{file}")).unwrap();
    let doc = Document::parse_bytes(&bytes, Limits::METADATA).unwrap();
    let entity = EntityDescriptor::read(&doc, doc.root()).expect("one EntityDescriptor");
    detect(&entity)
}

#[test]
fn every_vendor_fixture_is_detected() {
    let expected = [
        ("adfs", Vendor::Adfs),
        ("auth0", Vendor::Auth0),
        ("authentik", Vendor::Authentik),
        ("entra", Vendor::Entra),
        ("google", Vendor::Google),
        ("jumpcloud", Vendor::JumpCloud),
        ("keycloak", Vendor::Keycloak),
        ("okta", Vendor::Okta),
        ("onelogin", Vendor::OneLogin),
        ("pingfederate", Vendor::PingFederate),
        ("rippling", Vendor::Rippling),
        ("shibboleth", Vendor::Shibboleth),
        ("simplesamlphp", Vendor::SimpleSamlPhp),
    ];
    let on_disk = std::fs::read_dir(format!("{ROOT}/fixtures/metadata/vendors"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "xml")
        })
        .count();
    assert_eq!(
        on_disk,
        expected.len(),
        "a vendor fixture has no expectation here"
    );
    for (file, vendor) in expected {
        let d = detect_file(&format!("vendors/{file}.xml"))
            .unwrap_or_else(|| panic!("{file}: no vendor detected"));
        assert_eq!(d.vendor, vendor, "{file}: {:#?}", d.evidence);
        assert!(!d.evidence.is_empty(), "{file}");
    }
    // The signed-response metadata of the other tests are shaped like their vendors too.
    for (file, vendor) in [
        ("okta.xml", Vendor::Okta),
        ("entra.xml", Vendor::Entra),
        ("google.xml", Vendor::Google),
        ("rules/metadata__entity-id-invalid.xml", Vendor::JumpCloud),
    ] {
        assert_eq!(detect_file(file).map(|d| d.vendor), Some(vendor), "{file}");
    }
}

#[test]
fn evidence_names_the_value_and_the_shape() {
    let d = detect_file("vendors/okta.xml").unwrap();
    let first = &d.evidence[0];
    assert_eq!(first.source, EvidenceSource::EntityId);
    assert_eq!(first.value, "http://www.okta.com/exk9q3vbn2TgXw7Lp5d7");
    assert!(first.shape.contains("http://www.okta.com/{app id}"));
    assert!(d.evidence.iter().any(|e| matches!(
        &e.source,
        EvidenceSource::Endpoint { kind } if kind == "SingleSignOnService"
    ) && e.value.contains("/sso/saml")));
    assert!(first
        .to_string()
        .starts_with("entityID http://www.okta.com/"));

    let d = detect_file("vendors/keycloak.xml").unwrap();
    assert!(d
        .evidence
        .iter()
        .any(|e| e.shape.contains("/realms/{realm}/protocol/saml")));

    let d = detect_file("vendors/adfs.xml").unwrap();
    let shapes: Vec<_> = d.evidence.iter().map(|e| e.shape).collect();
    assert!(
        shapes.iter().any(|s| s.contains("/adfs/services/trust")),
        "{shapes:?}"
    );
    assert!(shapes.iter().any(|s| s.contains("/adfs/ls/")), "{shapes:?}");

    let json = serde_json::to_value(detect_file("vendors/entra.xml").unwrap()).unwrap();
    assert_eq!(json["vendor"], "entra");
    assert_eq!(json["evidence"][0]["in"], "entity-id");
}

#[test]
fn generic_metadata_is_unknown() {
    for file in [
        "ecdsa.xml",
        "xmlsec.xml",
        "rules/metadata__expired.xml",
        "rules/metadata__no-sso-service.xml",
        "rules/metadata__entity-id-invalid-too-long.xml",
        // Sentry's own SP metadata is no IdP product.
        "rules/metadata__no-idp-descriptor.xml",
    ] {
        assert_eq!(detect_file(file), None, "{file}");
    }
}

#[test]
fn detected_vendor_names_its_console_fields() {
    let d = detect_file("vendors/entra.xml").unwrap();
    assert_eq!(
        d.vendor.console_field(ConsoleField::Acs).as_deref(),
        Some("Entra ID: Reply URL (Assertion Consumer Service URL)")
    );
    assert_eq!(
        d.vendor
            .console_field(ConsoleField::AttributeMapping)
            .as_deref(),
        Some("Entra ID: Attributes & Claims")
    );
    let d = detect_file("vendors/authentik.xml").unwrap();
    assert_eq!(
        d.vendor.console_field(ConsoleField::Audience).as_deref(),
        Some("authentik: Audience")
    );
}
