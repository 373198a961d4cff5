//! Attacks that must fail, each with the exact rule id it must be reported under.
//! Built from the signed fixtures by editing them the way an attacker would.

use samlcheck::checks::response::{verify_response, Verdict, VerifyOptions};
use samlcheck::checks::Severity;
use samlcheck::saml::metadata::IdpMetadata;
use samlcheck::sp::SpProfile;
use samlcheck::xml::dsig::{sign_element, SignOptions, SigningKey, DSIG_NS};
use samlcheck::xml::{Document, Limits, NodeId};

const ASSERTION_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn verify_with(xml: &str, metadata: &str) -> Verdict {
    let idp = IdpMetadata::parse(
        fixture(&format!("metadata/{metadata}.xml")).as_bytes(),
        None,
    )
    .unwrap();
    let sp = SpProfile::for_org("https://sentry.io", "acme");
    let now = samlcheck::saml::time::parse_instant("2026-01-15T10:01:00Z").unwrap();
    verify_response(xml.as_bytes(), &idp, &sp, &VerifyOptions::at(now))
}

fn errors(v: &Verdict) -> Vec<&'static str> {
    let mut rules: Vec<&str> = v
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.rule)
        .collect();
    rules.sort_unstable();
    rules.dedup();
    rules
}

/// Asserts rejection with no subject leaked, and that `rule` is among the errors.
fn assert_rejected(v: &Verdict, rule: &str) {
    assert!(!v.accepted, "accepted: {:#?}", v.findings);
    assert!(
        v.subject.is_none(),
        "a subject leaked from a rejected response"
    );
    assert!(v.attributes.is_empty());
    assert!(
        errors(v).contains(&rule),
        "expected {rule}, got {:?}",
        errors(v)
    );
}

/// Text spans of the document, found through the parser so edits land exactly.
struct Spans {
    doc: Document,
}

impl Spans {
    fn new(xml: &str) -> Spans {
        Spans {
            doc: Document::parse(xml, Limits::MESSAGE).unwrap(),
        }
    }
    fn find(&self, ns: &str, local: &str) -> NodeId {
        self.doc
            .elements()
            .find(|&n| self.doc.element(n).unwrap().is(ns, local))
            .unwrap()
    }
    fn text(&self, n: NodeId) -> &str {
        &self.doc.source()[self.doc.node(n).offset..self.doc.node(n).end]
    }
    fn assertion(&self) -> NodeId {
        self.find(ASSERTION_NS, "Assertion")
    }
    fn signature_in(&self, parent: NodeId) -> NodeId {
        self.doc.child_named(parent, DSIG_NS, "Signature").unwrap()
    }
    fn id(&self, n: NodeId) -> String {
        self.doc.element(n).unwrap().attr("ID").unwrap().to_string()
    }
}

fn replace_once(s: &str, from: &str, to: &str) -> String {
    assert!(s.contains(from), "{from} not found");
    s.replacen(from, to, 1)
}

const ENTRA_NAME: &str = "Xq3vT9mP7yL2kW8nC1uB4sDfGjEaRtIo5yZzQcHwN0M";
const EVIL_NAME: &str = "ceo-evil";

/// An assertion's text with its own ds:Signature cut out.
fn without_signature(assertion: &str) -> String {
    let s = Spans::new(&format!("<w>{assertion}</w>"));
    let a = s.assertion();
    s.text(a).replace(s.text(s.signature_in(a)), "")
}

/// The signed assertion of entra.xml, an unsigned evil copy of it (new ID, new NameID), and the whole document.
fn entra_parts() -> (String, String, String, Spans) {
    let xml = fixture("responses/entra.xml");
    let s = Spans::new(&xml);
    let a = s.assertion();
    let original = s.text(a).to_string();
    let signature = s.text(s.signature_in(a)).to_string();
    let evil = original
        .replace(&signature, "")
        .replace(ENTRA_NAME, EVIL_NAME)
        .replace(&s.id(a), "_evil");
    (xml.clone(), original, evil, s)
}

#[test]
fn fixture_baseline_is_accepted() {
    let v = verify_with(&fixture("responses/entra.xml"), "entra");
    assert!(v.accepted, "{:#?}", v.findings);
    assert_eq!(v.subject.as_ref().unwrap().name_id, ENTRA_NAME);
}

#[test]
fn xsw1_response_clone_inside_signature() {
    let xml = fixture("responses/google.xml");
    let s = Spans::new(&xml);
    let root = s.doc.root();
    let sig = s.signature_in(root);
    let original_unsigned = s.text(root).replace(s.text(sig), "");
    let evil_root = replace_once(&xml, &format!("ID=\"{}\"", s.id(root)), "ID=\"_evil\"")
        .replace("jane.doe@acme.example", "ceo@acme.example");
    // The original, unsigned, goes inside the signature; the evil root keeps the signature.
    let attacked = replace_once(
        &evil_root,
        "</ds:Signature>",
        &format!("{original_unsigned}</ds:Signature>"),
    );
    assert_rejected(&verify_with(&attacked, "google"), "signature/wrapping");
}

#[test]
fn xsw2_response_clone_before_signature() {
    let xml = fixture("responses/google.xml");
    let s = Spans::new(&xml);
    let root = s.doc.root();
    let sig = s.signature_in(root);
    let original_unsigned = s.text(root).replace(s.text(sig), "");
    let evil_root = replace_once(&xml, &format!("ID=\"{}\"", s.id(root)), "ID=\"_evil\"")
        .replace("jane.doe@acme.example", "ceo@acme.example");
    let attacked = replace_once(
        &evil_root,
        "<ds:Signature ",
        &format!("{original_unsigned}<ds:Signature "),
    );
    assert_rejected(&verify_with(&attacked, "google"), "signature/wrapping");
}

#[test]
fn xsw3_evil_assertion_before_the_signed_one() {
    let (xml, original, evil, _) = entra_parts();
    let attacked = replace_once(&xml, &original, &format!("{evil}{original}"));
    let v = verify_with(&attacked, "entra");
    assert_rejected(&v, "signature/wrapping");
    assert!(errors(&v).contains(&"assertion/multiple"));
}

#[test]
fn xsw4_signed_assertion_inside_the_evil_one() {
    let (xml, original, evil, _) = entra_parts();
    // The original becomes the evil assertion's last child.
    let cut = evil.rfind("</Assertion>").unwrap();
    let wrapped = format!("{}{original}</Assertion>", &evil[..cut]);
    let attacked = replace_once(&xml, &original, &wrapped);
    assert_rejected(&verify_with(&attacked, "entra"), "signature/wrapping");
}

#[test]
fn xsw5_modified_signed_assertion_with_original_copy_appended() {
    let (xml, original, _, _) = entra_parts();
    let modified = original.replace(ENTRA_NAME, EVIL_NAME);
    let copy_unsigned = without_signature(&original);
    let attacked = replace_once(&xml, &original, &modified).replace(
        "</samlp:Response>",
        &format!("{copy_unsigned}</samlp:Response>"),
    );
    let v = verify_with(&attacked, "entra");
    assert_rejected(&v, "signature/wrapping");
    assert!(errors(&v).contains(&"assertion/multiple"));
}

#[test]
fn xsw6_original_copy_inside_the_modified_assertions_signature() {
    let (xml, original, _, _) = entra_parts();
    let modified = original.replace(ENTRA_NAME, EVIL_NAME);
    let copy_unsigned = without_signature(&original);
    let attacked_assertion = replace_once(
        &modified,
        "</ds:Signature>",
        &format!("{copy_unsigned}</ds:Signature>"),
    );
    let attacked = replace_once(&xml, &original, &attacked_assertion);
    assert_rejected(&verify_with(&attacked, "entra"), "signature/wrapping");
}

#[test]
fn xsw7_signed_copy_in_extensions() {
    let (xml, original, _, _) = entra_parts();
    let modified_unsigned = without_signature(&original).replace(ENTRA_NAME, EVIL_NAME);
    let extensions = format!("<samlp:Extensions>{original}</samlp:Extensions>");
    let attacked = replace_once(&xml, &original, &modified_unsigned).replacen(
        "<samlp:Status>",
        &format!("{extensions}<samlp:Status>"),
        1,
    );
    assert!(attacked.contains("<samlp:Extensions>"));
    assert_rejected(&verify_with(&attacked, "entra"), "signature/wrapping");
}

#[test]
fn xsw8_original_in_object_inside_the_signature() {
    let (xml, original, _, _) = entra_parts();
    let modified = original.replace(ENTRA_NAME, EVIL_NAME);
    let copy_unsigned = without_signature(&original);
    let attacked_assertion = replace_once(
        &modified,
        "</ds:Signature>",
        &format!("<ds:Object>{copy_unsigned}</ds:Object></ds:Signature>"),
    );
    let attacked = replace_once(&xml, &original, &attacked_assertion);
    assert_rejected(&verify_with(&attacked, "entra"), "signature/wrapping");
}

#[test]
fn two_signed_assertions() {
    let (xml, original, _, _) = entra_parts();
    let attacked = replace_once(&xml, &original, &format!("{original}{original}"));
    let v = verify_with(&attacked, "entra");
    assert_rejected(&v, "assertion/multiple");
}

#[test]
fn attacker_key_with_its_certificate_in_keyinfo() {
    let template = fixture("templates/responses/entra.xml").replace(ENTRA_NAME, EVIL_NAME);
    let key = SigningKey::from_pem(
        fixture("keys/attacker.key").as_bytes(),
        Some(fixture("keys/attacker.crt").as_bytes()),
    )
    .unwrap();
    let s = Spans::new(&template);
    let id = s.id(s.assertion());
    let signed = sign_element(&template, &id, &key, &SignOptions::default()).unwrap();
    let v = verify_with(&signed, "entra");
    assert_rejected(&v, "signature/untrusted-key");
    let f = v
        .findings
        .iter()
        .find(|f| f.rule == "signature/untrusted-key")
        .unwrap();
    assert!(
        f.notes.iter().any(|n| n.contains("CN=attacker")),
        "{:?}",
        f.notes
    );
    assert!(
        f.notes
            .iter()
            .filter(|n| n.starts_with("metadata certificate"))
            .count()
            == 2
    );
}

#[test]
fn signature_removed() {
    let (xml, original, _, s) = entra_parts();
    let sig = s.text(s.signature_in(s.assertion())).to_string();
    let attacked = replace_once(
        &xml,
        &original,
        &original.replace(&sig, "").replace(ENTRA_NAME, EVIL_NAME),
    );
    assert_rejected(&verify_with(&attacked, "entra"), "signature/missing");
}

#[test]
fn reference_to_another_element() {
    let (xml, _, _, s) = entra_parts();
    let root_id = s.id(s.doc.root());
    let assertion_id = s.id(s.assertion());
    let attacked = replace_once(
        &xml,
        &format!("URI=\"#{assertion_id}\""),
        &format!("URI=\"#{root_id}\""),
    );
    assert_rejected(&verify_with(&attacked, "entra"), "signature/wrapping");
}

#[test]
fn empty_reference_uri() {
    let (xml, _, _, s) = entra_parts();
    let assertion_id = s.id(s.assertion());
    let attacked = replace_once(&xml, &format!("URI=\"#{assertion_id}\""), "URI=\"\"");
    assert_rejected(&verify_with(&attacked, "entra"), "signature/bad-reference");
}

#[test]
fn duplicate_ids() {
    let (xml, _, _, s) = entra_parts();
    let assertion_id = s.id(s.assertion());
    let attacked = replace_once(
        &xml,
        "<samlp:Status>",
        &format!("<samlp:Status ID=\"{assertion_id}\">"),
    );
    assert_rejected(&verify_with(&attacked, "entra"), "signature/wrapping");
}

#[test]
fn doctypes_are_refused_without_expansion_or_access() {
    let body = fixture("responses/entra.xml");
    let internal =
        format!("<!DOCTYPE r [<!ENTITY n \"{EVIL_NAME}\">]>{body}").replace(ENTRA_NAME, "&n;");
    let external = format!("<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>{body}")
        .replace(ENTRA_NAME, "&x;");
    let remote = format!("<!DOCTYPE r SYSTEM \"http://127.0.0.1:9/evil.dtd\">{body}");
    let mut laughs = String::from("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        laughs.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    laughs.push_str("]>");
    let bomb = format!("{laughs}{}", body.replace(ENTRA_NAME, "&lol9;"));
    for attack in [internal, external, remote, bomb] {
        let v = verify_with(&attack, "entra");
        assert_eq!(errors(&v), vec!["xml/doctype"]);
        assert!(!v.accepted && v.readable);
    }
}

#[test]
fn hmac_signature_method() {
    let xml = fixture("responses/entra.xml");
    let attacked = replace_once(
        &xml,
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "http://www.w3.org/2000/09/xmldsig#hmac-sha1",
    );
    assert_rejected(
        &verify_with(&attacked, "entra"),
        "signature/disallowed-algorithm",
    );
}

#[test]
fn xslt_and_xpath_transforms() {
    let xml = fixture("responses/entra.xml");
    let xslt = replace_once(
        &xml,
        "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>",
        "<ds:Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xslt-19991116\"><xsl:stylesheet xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\" version=\"1.0\"/></ds:Transform>",
    );
    assert_rejected(
        &verify_with(&xslt, "entra"),
        "signature/disallowed-algorithm",
    );
    let xpath = replace_once(
        &xml,
        "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>",
        "<ds:Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xpath-19991116\"><ds:XPath>not(ancestor-or-self::ds:Signature)</ds:XPath></ds:Transform>",
    );
    assert_rejected(
        &verify_with(&xpath, "entra"),
        "signature/disallowed-algorithm",
    );
}

#[test]
fn tampered_name_id_and_attribute() {
    let xml = fixture("responses/entra.xml");
    let name = replace_once(&xml, ENTRA_NAME, EVIL_NAME);
    assert_rejected(&verify_with(&name, "entra"), "signature/digest-mismatch");
    let attribute = replace_once(&xml, "jane.doe@acme.example", "ceo@acme.example");
    assert_rejected(
        &verify_with(&attribute, "entra"),
        "signature/digest-mismatch",
    );
}

#[test]
fn comment_inside_name_id_keeps_the_full_value() {
    // CVE-2017-11427 class: comments are outside the digest, so the signature stays valid;
    // the NameID reported must be the whole text, never the part before the comment.
    let xml = fixture("responses/okta.xml");
    let attacked = replace_once(
        &xml,
        ">jane.doe@acme.example</saml2:NameID>",
        ">jane.doe@acme.example<!---->.evil.com</saml2:NameID>",
    );
    let original = verify_with(&xml, "okta");
    assert!(original.accepted);
    let with_comment = replace_once(
        &xml,
        ">jane.doe@acme.example</saml2:NameID>",
        ">jane.doe@acme<!-- x -->.example</saml2:NameID>",
    );
    let v = verify_with(&with_comment, "okta");
    assert!(v.accepted, "{:#?}", v.findings);
    assert_eq!(v.subject.unwrap().name_id, "jane.doe@acme.example");
    // Adding text (not just a comment) changes the digest.
    assert_rejected(&verify_with(&attacked, "okta"), "signature/digest-mismatch");
}

#[test]
fn wrong_signature_value() {
    let xml = fixture("responses/entra.xml");
    let start = xml.find("<ds:SignatureValue>").unwrap() + "<ds:SignatureValue>".len();
    let mut bytes = xml.into_bytes();
    bytes[start + 10] = if bytes[start + 10] == b'A' {
        b'B'
    } else {
        b'A'
    };
    let v = verify_with(&String::from_utf8(bytes).unwrap(), "entra");
    assert_rejected(&v, "signature/invalid");
}

#[test]
fn encrypted_assertion_is_named_not_guessed() {
    let (xml, original, _, _) = entra_parts();
    let enc = "<EncryptedAssertion xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\"><xenc:EncryptedData xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\"/></EncryptedAssertion>";
    let attacked = replace_once(&xml, &original, enc);
    let v = verify_with(&attacked, "entra");
    assert!(!v.accepted);
    assert_eq!(errors(&v), vec!["assertion/encrypted"]);
}

#[test]
fn duplicate_ids_anywhere_are_refused() {
    // Not the ID a Reference names: two other elements sharing an ID.
    let xml = fixture("responses/entra.xml");
    let attacked = replace_once(&xml, "<samlp:Status>", "<samlp:Status ID=\"_twice\">");
    let attacked = replace_once(
        &attacked,
        "<samlp:StatusCode ",
        "<samlp:StatusCode Id=\"_twice\" ",
    );
    let v = verify_with(&attacked, "entra");
    assert!(!v.accepted);
    assert_eq!(errors(&v), vec!["signature/wrapping"]);
}
