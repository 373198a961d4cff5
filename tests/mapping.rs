//! Attribute mapping checks: each rule with the attribute it suggests, and each vendor's preset
//! against a response shaped like that vendor's (and against its metadata alone).

use samlcheck::checks::mapping::{check_mapping, IdpAttributes, ObservedAssertion};
use samlcheck::checks::{Finding, Severity};
use samlcheck::saml::metadata::EntityDescriptor;
use samlcheck::saml::response::{Assertion, ResponseEnvelope};
use samlcheck::sp::mapping::AttributeMapping;
use samlcheck::sp::vendor::Vendor;
use samlcheck::xml::{Document, Limits};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const CLAIMS: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims";
const OID: &str = "http://schemas.microsoft.com/identity/claims/objectidentifier";
const TRANSIENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
const PERSISTENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
const EMAIL_FORMAT: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
const UNSPECIFIED: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
const BASIC: &str = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic";
const URI: &str = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri";

/// A parsed response and its first assertion, read for diagnosis (no signature needed here).
struct Captured {
    doc: Document,
    assertion: Assertion,
}

impl Captured {
    fn parse(xml: &str) -> Captured {
        let doc = Document::parse(xml, Limits::MESSAGE).unwrap();
        let envelope = ResponseEnvelope::read(&doc).expect("a Response");
        let node = envelope.assertions[0];
        let assertion = Assertion::read_unverified_for_diagnosis(&doc, node);
        Captured { doc, assertion }
    }

    fn fixture(file: &str) -> Captured {
        Captured::parse(
            &std::fs::read_to_string(format!("{ROOT}/fixtures/responses/{file}")).unwrap(),
        )
    }

    fn observed(&self) -> ObservedAssertion<'_> {
        ObservedAssertion::new(&self.doc, &self.assertion)
    }
}

/// The mapping checked against a response alone (no metadata knowledge).
fn check_response(mapping: &AttributeMapping, xml: &str) -> Vec<Finding> {
    let r = Captured::parse(xml);
    check_mapping(mapping, &IdpAttributes::default(), Some(r.observed()))
}

fn idp(metadata: &str) -> IdpAttributes {
    let bytes = std::fs::read(format!("{ROOT}/fixtures/metadata/{metadata}")).unwrap();
    let doc = Document::parse_bytes(&bytes, Limits::METADATA).unwrap();
    let entity = EntityDescriptor::read(&doc, doc.root()).unwrap();
    IdpAttributes::from_entity(&doc, &entity)
}

/// How a vendor writes its assertions: the assertion prefix and the attribute NameFormat.
#[derive(Clone, Copy)]
struct Shape {
    prefix: &'static str,
    name_format: Option<&'static str>,
    typed_values: bool,
}

const OKTA_SHAPE: Shape = Shape {
    prefix: "saml2",
    name_format: Some("urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"),
    typed_values: true,
};
const ENTRA_SHAPE: Shape = Shape {
    prefix: "",
    name_format: None,
    typed_values: false,
};
const BASIC_SHAPE: Shape = Shape {
    prefix: "saml",
    name_format: Some(BASIC),
    typed_values: false,
};
const URI_SHAPE: Shape = Shape {
    prefix: "saml",
    name_format: Some(URI),
    typed_values: false,
};

struct Attr {
    name: &'static str,
    friendly: Option<&'static str>,
    values: &'static [&'static str],
}

const fn a(name: &'static str, values: &'static [&'static str]) -> Attr {
    Attr {
        name,
        friendly: None,
        values,
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}

/// A response with one assertion in `shape`, its NameID and attributes.
fn response(shape: Shape, name_id: (&str, &str), attrs: &[Attr]) -> String {
    let p = if shape.prefix.is_empty() {
        String::new()
    } else {
        format!("{}:", shape.prefix)
    };
    let decl = if shape.prefix.is_empty() {
        "xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\"".to_string()
    } else {
        format!(
            "xmlns:{}=\"urn:oasis:names:tc:SAML:2.0:assertion\"",
            shape.prefix
        )
    };
    let mut statement = String::new();
    for at in attrs {
        statement.push_str(&format!("<{p}Attribute Name=\"{}\"", esc(at.name)));
        if let Some(f) = at.friendly {
            statement.push_str(&format!(" FriendlyName=\"{}\"", esc(f)));
        }
        if let Some(nf) = shape.name_format {
            statement.push_str(&format!(" NameFormat=\"{nf}\""));
        }
        statement.push('>');
        for v in at.values {
            let ty = if shape.typed_values {
                " xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"xs:string\""
            } else {
                ""
            };
            statement.push_str(&format!(
                "<{p}AttributeValue{ty}>{}</{p}AttributeValue>",
                esc(v)
            ));
        }
        statement.push_str(&format!("</{p}Attribute>"));
    }
    format!(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" Version="2.0" IssueInstant="2026-01-15T10:00:00Z" Destination="https://sentry.io/saml/acs/acme/"><{p}Assertion {decl} ID="_a7c1e9" Version="2.0" IssueInstant="2026-01-15T10:00:00Z"><{p}Issuer>https://idp.example/</{p}Issuer><{p}Subject><{p}NameID Format="{}">{}</{p}NameID></{p}Subject><{p}AttributeStatement>{statement}</{p}AttributeStatement><{p}AuthnStatement AuthnInstant="2026-01-15T09:59:58Z" SessionIndex="_s5f3b2"/></{p}Assertion></samlp:Response>"#,
        name_id.0,
        esc(name_id.1)
    )
}

fn rules(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.rule).collect()
}

fn only<'a>(findings: &'a [Finding], rule: &str) -> &'a Finding {
    let hits: Vec<&Finding> = findings.iter().filter(|f| f.rule == rule).collect();
    assert_eq!(hits.len(), 1, "{rule}: {findings:#?}");
    hits[0]
}

fn preset(name: &str) -> AttributeMapping {
    AttributeMapping::preset(name).unwrap()
}

fn map(spec: &str) -> AttributeMapping {
    AttributeMapping::parse(spec).unwrap()
}

// ---- mapping/missing-required -------------------------------------------------------------

#[test]
fn missing_user_id_suggests_the_immutable_id_the_response_has() {
    let r = Captured::fixture("entra.xml");
    let f = check_mapping(
        &map(&format!("email={CLAIMS}/emailaddress")),
        &idp("entra.xml"),
        Some(r.observed()),
    );
    let f = only(&f, "mapping/missing-required");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.expected.as_deref(), Some(OID));
    assert!(
        f.message.contains("IdP User ID is not mapped"),
        "{}",
        f.message
    );
    assert!(f.fix.contains(&format!("--map user-id={OID}")), "{}", f.fix);
}

#[test]
fn missing_fields_without_a_response_fall_back_to_the_vendor_preset() {
    let f = check_mapping(&AttributeMapping::default(), &idp("okta.xml"), None);
    assert_eq!(rules(&f), ["mapping/missing-required"; 2]);
    assert_eq!(f[0].expected.as_deref(), Some("identifier"));
    assert!(f[0].message.contains("the IdP's preset uses `identifier`"));
    assert_eq!(f[1].expected.as_deref(), Some("email"));
    // Metadata that advertises a name beats the preset.
    let f = check_mapping(&map("user-id=x"), &idp("vendors/entra.xml"), None);
    let f = only(&f, "mapping/missing-required");
    assert_eq!(
        f.expected.as_deref(),
        Some(format!("{CLAIMS}/emailaddress").as_str())
    );
    assert!(f.message.contains("the metadata advertises"));
}

// ---- mapping/attribute-not-found ----------------------------------------------------------

#[test]
fn entra_claim_uris_where_short_names_were_mapped() {
    let r = Captured::fixture("entra.xml");
    let f = check_mapping(&preset("okta"), &idp("entra.xml"), Some(r.observed()));
    assert_eq!(rules(&f), ["mapping/attribute-not-found"; 4]);
    let by_found = |name: &str| f.iter().find(|x| x.found.as_deref() == Some(name)).unwrap();
    let email = by_found("email");
    assert_eq!(email.severity, Severity::Error);
    assert_eq!(
        email.expected.as_deref(),
        Some(format!("{CLAIMS}/emailaddress").as_str())
    );
    assert!(
        email.message.contains(&format!(
            "the response has `{CLAIMS}/emailaddress`: map User Email to it"
        )),
        "{}",
        email.message
    );
    assert!(
        email.fix.contains("Entra ID: Attributes & Claims"),
        "{}",
        email.fix
    );
    assert!(email.location.as_ref().unwrap().path.contains("Attribute"));
    assert_eq!(by_found("identifier").expected.as_deref(), Some(OID));
    let first = by_found("firstName");
    assert_eq!(first.severity, Severity::Warning);
    assert_eq!(
        first.expected.as_deref(),
        Some(format!("{CLAIMS}/givenname").as_str())
    );
    assert_eq!(
        by_found("lastName").expected.as_deref(),
        Some(format!("{CLAIMS}/surname").as_str())
    );
}

#[test]
fn letter_case_differs() {
    let xml = response(
        OKTA_SHAPE,
        (EMAIL_FORMAT, "jane.doe@acme.example"),
        &[
            a("identifier", &["00u8k2p4qzXyZ5d7"]),
            a("email", &["jane.doe@acme.example"]),
            a("FirstName", &["Jane"]),
            a("LastName", &["Doe"]),
        ],
    );
    let f = check_response(&preset("okta"), &xml);
    assert_eq!(rules(&f), ["mapping/attribute-not-found"; 2]);
    assert_eq!(f[0].found.as_deref(), Some("firstName"));
    assert_eq!(f[0].expected.as_deref(), Some("FirstName"));
    assert!(
        f[0].message.contains("differs only in letter case"),
        "{}",
        f[0].message
    );
    assert_eq!(f[1].expected.as_deref(), Some("LastName"));
}

#[test]
fn friendly_name_typed_where_the_name_belongs() {
    let xml = response(
        URI_SHAPE,
        (PERSISTENT, "AAdzZWNyZXQx"),
        &[
            a(
                "urn:oasis:names:tc:SAML:attribute:subject-id",
                &["jdoe@acme.example"],
            ),
            Attr {
                name: "urn:oid:0.9.2342.19200300.100.1.3",
                friendly: Some("mail"),
                values: &["jane.doe@acme.example"],
            },
        ],
    );
    let f = check_response(
        &map("user-id=urn:oasis:names:tc:SAML:attribute:subject-id,email=mail"),
        &xml,
    );
    let f = only(&f, "mapping/attribute-not-found");
    assert_eq!(
        f.expected.as_deref(),
        Some("urn:oid:0.9.2342.19200300.100.1.3")
    );
    assert!(
        f.message.contains("`mail` is the FriendlyName of"),
        "{}",
        f.message
    );
}

#[test]
fn nothing_to_suggest_names_what_the_response_has() {
    let r = Captured::fixture("okta.xml");
    let f = check_mapping(&preset("okta"), &idp("okta.xml"), Some(r.observed()));
    // Okta sends only the statements set up on the app; this one has no `identifier`.
    let f = only(&f, "mapping/attribute-not-found");
    assert_eq!(f.found.as_deref(), Some("identifier"));
    assert_eq!(f.expected, None);
    assert!(f
        .notes
        .iter()
        .any(|n| n == "the response's attributes: email, firstName, lastName"));
    assert!(
        f.notes.iter().any(|n| n.contains("identifier = user.id")),
        "{:?}",
        f.notes
    );
    assert!(f.fix.contains("Okta: Attribute Statements"), "{}", f.fix);

    let bare = response(BASIC_SHAPE, (EMAIL_FORMAT, "jane@acme.example"), &[]);
    let r = Captured::parse(&bare);
    let f = check_mapping(
        &preset("google"),
        &IdpAttributes::for_vendor(Some(Vendor::Google)),
        Some(r.observed()),
    );
    assert!(
        f[0].message.contains("carries no attributes at all"),
        "{}",
        f[0].message
    );
}

#[test]
fn metadata_alone_is_a_warning_with_the_advertised_name() {
    let f = check_mapping(&preset("okta"), &idp("vendors/entra.xml"), None);
    assert_eq!(rules(&f), ["mapping/attribute-not-found"; 4]);
    assert!(f.iter().all(|x| x.severity == Severity::Warning));
    let email = f
        .iter()
        .find(|x| x.found.as_deref() == Some("email"))
        .unwrap();
    assert_eq!(
        email.expected.as_deref(),
        Some(format!("{CLAIMS}/emailaddress").as_str())
    );
    assert!(
        email.message.contains("the metadata advertises"),
        "{}",
        email.message
    );
    // It points at the advertising ClaimType.
    assert!(email.location.as_ref().unwrap().path.contains("ClaimType"));
    // Metadata that advertises nothing proves nothing.
    assert!(check_mapping(&preset("entra"), &idp("vendors/okta.xml"), None).is_empty());
}

// ---- mapping/unstable-user-id -------------------------------------------------------------

#[test]
fn transient_name_id_as_user_id() {
    let xml = response(
        ENTRA_SHAPE,
        (TRANSIENT, "_9f2c4a7e1b3d5f6a8c0e"),
        &[
            a(
                "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier",
                &["_9f2c4a7e1b3d5f6a8c0e"],
            ),
            a(
                "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
                &["jane.doe@acme.example"],
            ),
        ],
    );
    let f = check_response(&preset("auth0"), &xml);
    let u = only(&f, "mapping/unstable-user-id");
    assert_eq!(u.severity, Severity::Error);
    assert!(u.message.contains("the transient NameID"), "{}", u.message);
    assert!(u.notes.iter().any(|n| n.contains(TRANSIENT)));
}

#[test]
fn per_session_values_as_user_id() {
    let xml = response(
        BASIC_SHAPE,
        (PERSISTENT, "p-7731"),
        &[
            a("sid", &["_s5f3b2"]),
            a("authnInstant", &["2026-01-15T09:59:58Z"]),
            a("email", &["jane.doe@acme.example"]),
        ],
    );
    let f = check_response(&map("user-id=sid,email=email"), &xml);
    assert!(only(&f, "mapping/unstable-user-id")
        .message
        .contains("the SessionIndex"));
    let f = check_response(&map("user-id=authnInstant,email=email"), &xml);
    assert!(only(&f, "mapping/unstable-user-id")
        .message
        .contains("describes the login session"));
    // By its name alone, without a response.
    let f = check_mapping(
        &map("user-id=http://schemas.microsoft.com/ws/2008/06/identity/claims/authenticationinstant,email=x"),
        &IdpAttributes::default(),
        None,
    );
    assert_eq!(rules(&f), ["mapping/unstable-user-id"]);
    // A persistent NameID copied into the user ID is fine.
    let xml = response(
        BASIC_SHAPE,
        (PERSISTENT, "p-7731"),
        &[a("uid", &["p-7731"]), a("mail", &["jane@acme.example"])],
    );
    let r = Captured::parse(&xml);
    assert!(check_mapping(
        &map("user-id=uid,email=mail"),
        &IdpAttributes::default(),
        Some(r.observed())
    )
    .is_empty());
}

// ---- mapping/multi-valued -----------------------------------------------------------------

#[test]
fn several_values_where_one_is_expected() {
    let xml = response(
        BASIC_SHAPE,
        (EMAIL_FORMAT, "jane.doe@acme.example"),
        &[
            a("uid", &["jdoe", "jane.doe"]),
            a("mail", &["jane.doe@acme.example", "jd@acme.example"]),
            a("givenName", &["Jane"]),
            a("givenName", &["Janet"]),
        ],
    );
    let f = check_response(&preset("simplesamlphp"), &xml);
    let multi: Vec<&Finding> = f
        .iter()
        .filter(|x| x.rule == "mapping/multi-valued")
        .collect();
    assert_eq!(multi.len(), 3, "{f:#?}");
    assert_eq!(multi[0].severity, Severity::Error, "the user ID");
    assert!(multi[0]
        .message
        .contains("the SP uses only the first, `jdoe`"));
    assert_eq!(multi[1].severity, Severity::Warning);
    assert_eq!(
        multi[1].found.as_deref(),
        Some("jane.doe@acme.example, jd@acme.example")
    );
    assert!(multi[2].notes[0].contains("2 Attribute elements named `givenName`"));
    assert_eq!(
        only(&f, "mapping/attribute-not-found").found.as_deref(),
        Some("sn")
    );
}

// ---- mapping/invalid-email ----------------------------------------------------------------

#[test]
fn email_mapped_to_an_object_id() {
    let r = Captured::fixture("entra.xml");
    let f = check_mapping(
        &map(&format!("user-id={OID},email={OID}")),
        &idp("entra.xml"),
        Some(r.observed()),
    );
    let f = only(&f, "mapping/invalid-email");
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message.contains("it looks like an object ID"),
        "{}",
        f.message
    );
    // The first attribute of the response whose value is an address.
    assert_eq!(
        f.expected.as_deref(),
        Some(format!("{CLAIMS}/emailaddress").as_str())
    );
    assert!(f.message.contains("map User Email to it"));
}

// ---- mapping/empty-value ------------------------------------------------------------------

#[test]
fn present_but_empty() {
    let xml = response(
        BASIC_SHAPE,
        (EMAIL_FORMAT, "jane.doe@acme.example"),
        &[
            a("uid", &["jdoe"]),
            a("mail", &[""]),
            a("givenName", &["Jane"]),
            a("sn", &[]),
        ],
    );
    let f = check_response(&preset("simplesamlphp"), &xml);
    assert_eq!(rules(&f), ["mapping/empty-value"; 2]);
    assert_eq!(f[0].severity, Severity::Error);
    assert!(f[0]
        .message
        .contains("`mail` (mapped to User Email) has an empty value"));
    assert_eq!(f[1].severity, Severity::Warning);
    assert!(f[1].message.contains("has no AttributeValue"));
}

// ---- presets against vendor-shaped responses ----------------------------------------------

/// A preset, the vendor's response shape, its NameID (format, value) and its attributes.
type Case = (&'static str, Shape, (&'static str, &'static str), Vec<Attr>);

/// Each vendor's preset against a response written the way that vendor writes it, and
/// against its metadata fixture alone.
#[test]
fn each_preset_fits_its_vendors_response() {
    let cases: Vec<Case> = vec![
        (
            "okta",
            OKTA_SHAPE,
            (EMAIL_FORMAT, "jane.doe@acme.example"),
            vec![
                a("identifier", &["00u8k2p4qzXyZ5d7"]),
                a("email", &["jane.doe@acme.example"]),
                a("firstName", &["Jane"]),
                a("lastName", &["Doe"]),
            ],
        ),
        (
            "entra",
            ENTRA_SHAPE,
            (PERSISTENT, "Xq3vT9mP7yL2kW8nC1uB4sDfGjEaRtIo5yZzQcHwN0M"),
            vec![
                a(
                    "http://schemas.microsoft.com/identity/claims/tenantid",
                    &["3f1b9c2e-7a4d-4e8b-9c61-5d2a8e0f4b17"],
                ),
                a(OID, &["3b9d2f6e-8a1c-4e7b-b5d0-0a1b2c3d4e5f"]),
                a(
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
                    &["jane.doe@acme.example"],
                ),
                a(
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
                    &["Jane"],
                ),
                a(
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
                    &["Doe"],
                ),
                a(
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
                    &["jane.doe@acme.example"],
                ),
            ],
        ),
        (
            "google",
            BASIC_SHAPE,
            (EMAIL_FORMAT, "jane.doe@acme.example"),
            vec![
                a("email", &["jane.doe@acme.example"]),
                a("firstName", &["Jane"]),
                a("lastName", &["Doe"]),
            ],
        ),
        (
            "onelogin",
            BASIC_SHAPE,
            (EMAIL_FORMAT, "jane.doe@acme.example"),
            vec![
                a("PersonImmutableID", &["jdoe"]),
                a("User.email", &["jane.doe@acme.example"]),
                a("User.FirstName", &["Jane"]),
                a("User.LastName", &["Doe"]),
                a("memberOf", &["engineering"]),
            ],
        ),
        (
            "auth0",
            URI_SHAPE,
            (UNSPECIFIED, "auth0|65a1f0c2e4b7d93f1c2a8e47"),
            vec![
                a(
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier",
                    &["auth0|65a1f0c2e4b7d93f1c2a8e47"],
                ),
                a(
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
                    &["jane.doe@acme.example"],
                ),
                a(
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
                    &["Jane Doe"],
                ),
                a(
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
                    &["Jane"],
                ),
                a(
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
                    &["Doe"],
                ),
                a(
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
                    &["jane.doe@acme.example"],
                ),
            ],
        ),
        (
            "jumpcloud",
            BASIC_SHAPE,
            (EMAIL_FORMAT, "jane.doe@acme.example"),
            vec![
                a("email", &["jane.doe@acme.example"]),
                a("firstname", &["Jane"]),
                a("lastname", &["Doe"]),
            ],
        ),
        (
            "authentik",
            BASIC_SHAPE,
            (PERSISTENT, "a3f9c1e27b5d48e6f0c2b4d6e8f0a1c3e5f7b9d1"),
            vec![
                a("http://schemas.goauthentik.io/2021/02/saml/uid", &["7"]),
                a(
                    "http://schemas.goauthentik.io/2021/02/saml/username",
                    &["jdoe"],
                ),
                a(
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
                    &["Jane Doe"],
                ),
                a(
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
                    &["jane.doe@acme.example"],
                ),
                a(
                    "http://schemas.xmlsoap.org/claims/Group",
                    &["engineering", "authentik Admins"],
                ),
            ],
        ),
        (
            "keycloak",
            URI_SHAPE,
            (UNSPECIFIED, "jdoe"),
            vec![
                Attr {
                    name: "urn:oid:1.2.840.113549.1.9.1",
                    friendly: Some("email"),
                    values: &["jane.doe@acme.example"],
                },
                Attr {
                    name: "urn:oid:2.5.4.42",
                    friendly: Some("givenName"),
                    values: &["Jane"],
                },
                Attr {
                    name: "urn:oid:2.5.4.4",
                    friendly: Some("surname"),
                    values: &["Doe"],
                },
                a("Role", &["offline_access", "uma_authorization"]),
            ],
        ),
        (
            "adfs",
            URI_SHAPE,
            (TRANSIENT, "_7a1c9e3f5b"),
            vec![
                a(
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
                    &["jdoe@acme.example"],
                ),
                a(
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
                    &["jane.doe@acme.example"],
                ),
                a(
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
                    &["Jane"],
                ),
                a(
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
                    &["Doe"],
                ),
            ],
        ),
        (
            "ping",
            BASIC_SHAPE,
            (UNSPECIFIED, "jdoe"),
            vec![
                a("uid", &["jdoe"]),
                a("email", &["jane.doe@acme.example"]),
                a("firstName", &["Jane"]),
                a("lastName", &["Doe"]),
            ],
        ),
        (
            "rippling",
            BASIC_SHAPE,
            (EMAIL_FORMAT, "jane.doe@acme.example"),
            vec![
                a("user_id", &["64b7e2c91f3a8d05e6c4a2ff"]),
                a("urn:oid:1.2.840.113549.1.9.1.1", &["jane.doe@acme.example"]),
                a("first_name", &["Jane"]),
                a("last_name", &["Doe"]),
            ],
        ),
        (
            "shibboleth",
            URI_SHAPE,
            (TRANSIENT, "AAdzZWNyZXQxbXlrZXk="),
            vec![
                Attr {
                    name: "urn:oasis:names:tc:SAML:attribute:subject-id",
                    friendly: Some("subject-id"),
                    values: &["8f2a1c@acme-university.example"],
                },
                Attr {
                    name: "urn:oid:0.9.2342.19200300.100.1.3",
                    friendly: Some("mail"),
                    values: &["jane.doe@acme-university.example"],
                },
                Attr {
                    name: "urn:oid:2.5.4.42",
                    friendly: Some("givenName"),
                    values: &["Jane"],
                },
                Attr {
                    name: "urn:oid:2.5.4.4",
                    friendly: Some("sn"),
                    values: &["Doe"],
                },
            ],
        ),
        (
            "simplesamlphp",
            BASIC_SHAPE,
            (TRANSIENT, "_5c1f0e9a3b7d2468ace0"),
            vec![
                a("uid", &["jdoe"]),
                a("mail", &["jane.doe@acme.example"]),
                a("givenName", &["Jane"]),
                a("sn", &["Doe"]),
                a("eduPersonAffiliation", &["member", "staff"]),
            ],
        ),
    ];
    let metadata = |preset: &str| match preset {
        "ping" => "pingfederate".to_string(),
        other => other.to_string(),
    };
    for (name, shape, name_id, attrs) in &cases {
        let idp = idp(&format!("vendors/{}.xml", metadata(name)));
        let mapping = preset(name);
        let r = Captured::parse(&response(*shape, *name_id, attrs));
        let f = check_mapping(&mapping, &idp, Some(r.observed()));
        assert!(f.is_empty(), "{name}: {f:#?}");

        // Against the metadata alone, only Ping's uid is not advertised (its metadata lists
        // email, firstName, lastName, memberOf).
        let f = check_mapping(&mapping, &idp, None);
        if *name == "ping" {
            let w = only(&f, "mapping/attribute-not-found");
            assert_eq!(
                (w.found.as_deref(), w.severity),
                (Some("uid"), Severity::Warning)
            );
        } else {
            assert!(f.is_empty(), "{name} (metadata only): {f:#?}");
        }
    }
    assert_eq!(cases.len(), samlcheck::sp::presets::PRESETS.len());
}

#[test]
fn real_fixture_responses_with_their_presets() {
    let r = Captured::fixture("entra.xml");
    assert!(check_mapping(&preset("entra"), &idp("entra.xml"), Some(r.observed())).is_empty());

    // Google's fixture sends email and firstName only: the optional last name is a warning.
    let r = Captured::fixture("google.xml");
    let f = check_mapping(&preset("google"), &idp("google.xml"), Some(r.observed()));
    let w = only(&f, "mapping/attribute-not-found");
    assert_eq!(
        (w.found.as_deref(), w.severity),
        (Some("lastName"), Severity::Warning)
    );
    assert!(w
        .notes
        .iter()
        .any(|n| n.contains("Google Workspace sends no attributes")));
    assert!(
        w.fix.contains("Google Workspace: SAML attribute mapping"),
        "{}",
        w.fix
    );

    // The SimpleSAMLphp-like fixtures name their attributes email, firstName, lastName.
    let r = Captured::fixture("compact.xml");
    let f = check_mapping(
        &map("user-id=email,email=email,first-name=firstName,last-name=lastName"),
        &IdpAttributes::default(),
        Some(r.observed()),
    );
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn findings_serialize_with_rule_and_suggestion() {
    let r = Captured::fixture("entra.xml");
    let f = check_mapping(
        &map("user-id=uid,email=email"),
        &idp("entra.xml"),
        Some(r.observed()),
    );
    let json = serde_json::to_value(&f).unwrap();
    assert_eq!(json[1]["rule"], "mapping/attribute-not-found");
    assert_eq!(json[1]["severity"], "error");
    assert_eq!(json[1]["expected"], format!("{CLAIMS}/emailaddress"));
    assert_eq!(json[1]["found"], "email");
    assert!(json[1]["location"]["line"].as_u64().unwrap() >= 1);
}
