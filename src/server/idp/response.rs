//! Issuing a SAML Response: the user's assertion for one SP, signed with the IdP key, with at
//! most one deliberate [`Fault`]. The result is what `checks::response::verify_response`
//! accepts (or rejects for exactly the fault's reason).
//!
//! ```
//! use samlcheck::checks::response::{verify_response, VerifyOptions};
//! use samlcheck::saml::metadata::IdpMetadata;
//! use samlcheck::saml::time::parse_instant;
//! use samlcheck::server::idp::{idp_metadata, issue_response, IdpKey, Ids, ResponseSpec, User};
//! use samlcheck::sp::SpProfile;
//!
//! let key = IdpKey::bundled_test_key()?;
//! let idp = "http://127.0.0.1:8081/metadata";
//! let sp = SpProfile::for_org("http://127.0.0.1:8080", "acme");
//! let user = User::from_login("jane.doe@acme.example");
//! let now = parse_instant("2026-01-15T10:00:00Z").unwrap();
//! let xml = issue_response(&ResponseSpec {
//!     in_response_to: Some("_req-1"),
//!     ..ResponseSpec::new(idp, &sp, &user, &key.signing, now, Ids::random()?)
//! })?;
//!
//! let metadata = IdpMetadata::parse(idp_metadata(idp, "http://127.0.0.1:8081/sso", &key, &[]).as_bytes(), None)?;
//! let mut options = VerifyOptions::at(now);
//! options.request_id = Some("_req-1".into());
//! assert!(verify_response(xml.as_bytes(), &metadata, &sp, &options).accepted);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use base64::Engine;
use time::{Duration, OffsetDateTime};

use super::chars::{check_xml_chars, UnwritableText};
use super::fault::Fault;
use super::keys::other_key;
use crate::saml::ns;
use crate::saml::time::format_instant;
use crate::sp::SpProfile;
use crate::xml::dsig::sign::SignError;
use crate::xml::dsig::{sign_element, Hash, SignOptions, SignatureAlgorithm, SigningKey};
use crate::xml::enc::{encrypt_assertion, EncryptError, EncryptOptions, EncryptionCert};
use crate::xml::escape::markup;

pub const NAMEID_EMAIL: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
pub const NAMEID_TRANSIENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
const ATTRNAME_BASIC: &str = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic";
const AC_PASSWORD: &str = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport";
const STATUS_RESPONDER: &str = "urn:oasis:names:tc:SAML:2.0:status:Responder";
const STATUS_REQUEST_DENIED: &str = "urn:oasis:names:tc:SAML:2.0:status:RequestDenied";

/// How long an assertion may be delivered (Conditions and bearer NotOnOrAfter).
const VALIDITY: Duration = Duration::minutes(5);
/// NotBefore lies a little before the issue instant, as IdPs do for SP clocks running behind.
const NOT_BEFORE_MARGIN: Duration = Duration::seconds(30);
const SESSION: Duration = Duration::hours(8);

/// The SP attribute mapping (`--map` syntax) for the attributes [`User::from_login`] releases.
/// The user ID is left unmapped: the SP then takes the NameID, the user's email.
pub const SP_MAPPING: &str = "email=email,first-name=firstName,last-name=lastName";

/// One SAML attribute with its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserAttribute {
    pub name: String,
    pub values: Vec<String>,
}

/// The user who logs in: the NameID and the attributes released to the SP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name_id: String,
    pub name_id_format: String,
    pub attributes: Vec<UserAttribute>,
}

impl User {
    /// The user for a login name: the NameID is the email (a bare name gets `@example.com`),
    /// and `email`, `firstName`, `lastName` come from it (`jane.doe@...` -> Jane, Doe).
    pub fn from_login(login: &str) -> User {
        let login = login.trim();
        let email = if login.contains('@') {
            login.to_string()
        } else {
            format!("{login}@example.com")
        };
        let local = email.split('@').next().unwrap_or_default();
        let mut parts = local.split(['.', '_', '-', '+']).filter(|p| !p.is_empty());
        let first = parts.next().map(capitalize).unwrap_or_default();
        let last = parts
            .next()
            .map_or_else(|| "Tester".to_string(), capitalize);
        let attr = |name: &str, value: String| UserAttribute {
            name: name.to_string(),
            values: vec![value],
        };
        User {
            name_id: email.clone(),
            name_id_format: NAMEID_EMAIL.to_string(),
            attributes: vec![
                attr("email", email),
                attr("firstName", first),
                attr("lastName", last),
            ],
        }
    }

    /// Applies `NAME=VALUE` overrides: the first value given for a name replaces that
    /// attribute's values, later ones for the same name add values (multi-valued).
    pub fn with_overrides(mut self, overrides: &[(String, String)]) -> User {
        let mut replaced: Vec<&str> = Vec::new();
        for (name, value) in overrides {
            let fresh = !replaced.contains(&name.as_str());
            match self.attributes.iter_mut().find(|a| a.name == *name) {
                Some(a) if fresh => a.values = vec![value.clone()],
                Some(a) => a.values.push(value.clone()),
                None => self.attributes.push(UserAttribute {
                    name: name.clone(),
                    values: vec![value.clone()],
                }),
            }
            if fresh {
                replaced.push(name);
            }
        }
        self
    }

    /// The attribute names this user's responses carry.
    pub fn attribute_names(&self) -> impl Iterator<Item = &str> {
        self.attributes.iter().map(|a| a.name.as_str())
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The IDs of one response. Random in use; fixed in tests that need to know them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ids {
    pub response: String,
    pub assertion: String,
    pub session_index: String,
    /// The NameID value under `--fault transient-nameid`.
    pub transient_name_id: String,
    /// The wrong InResponseTo under `--fault in-response-to-mismatch`.
    pub other_request: String,
}

impl Ids {
    /// Fresh random IDs (160 bits each, starting with `_` so they are valid xs:ID values).
    pub fn random() -> Result<Ids, IssueError> {
        Ok(Ids {
            response: random_id()?,
            assertion: random_id()?,
            session_index: random_id()?,
            transient_name_id: random_id()?,
            other_request: random_id()?,
        })
    }
}

/// A random `_` + 40 hex digits identifier.
pub fn random_id() -> Result<String, IssueError> {
    let mut bytes = [0u8; 20];
    openssl::rand::rand_bytes(&mut bytes).map_err(IssueError::Random)?;
    Ok(std::iter::once("_".to_string())
        .chain(bytes.iter().map(|b| format!("{b:02x}")))
        .collect())
}

/// Why a response could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error(transparent)]
    Text(#[from] UnwritableText),
    #[error("the NameID is empty")]
    EmptyNameId,
    #[error("signing failed: {0}")]
    Sign(#[from] SignError),
    #[error("no random numbers: {0}")]
    Random(openssl::error::ErrorStack),
    #[error("encrypting the assertion failed: {0}")]
    Encrypt(#[from] EncryptError),
}

/// Everything one response depends on.
#[derive(Clone)]
pub struct ResponseSpec<'a> {
    /// The IdP entity ID (Issuer).
    pub idp_entity_id: &'a str,
    /// The SP: its entity ID is the Audience, its ACS the Destination and Recipient.
    pub sp: &'a SpProfile,
    pub user: &'a User,
    /// The AuthnRequest ID; `None` for IdP-initiated login.
    pub in_response_to: Option<&'a str>,
    pub now: OffsetDateTime,
    pub key: &'a SigningKey,
    /// Sign the Response too (the Assertion is always signed unless the fault says otherwise).
    pub sign_response: bool,
    pub fault: Option<Fault>,
    pub ids: Ids,
    /// Encrypt the assertion for this SP certificate (after signing it, before signing the
    /// Response).
    pub encrypt_for: Option<&'a EncryptionCert>,
}

impl<'a> ResponseSpec<'a> {
    /// A response to an unsolicited login, assertion signed, no fault.
    pub fn new(
        idp_entity_id: &'a str,
        sp: &'a SpProfile,
        user: &'a User,
        key: &'a SigningKey,
        now: OffsetDateTime,
        ids: Ids,
    ) -> ResponseSpec<'a> {
        ResponseSpec {
            idp_entity_id,
            sp,
            user,
            in_response_to: None,
            now,
            key,
            sign_response: false,
            fault: None,
            ids,
            encrypt_for: None,
        }
    }

    fn has(&self, fault: Fault) -> bool {
        self.fault == Some(fault)
    }
}

/// `http://` <-> `https://` (the classic near miss of a Destination).
fn other_scheme(url: &str) -> String {
    if let Some(rest) = url.strip_prefix("https://") {
        format!("http://{rest}")
    } else if let Some(rest) = url.strip_prefix("http://") {
        format!("https://{rest}")
    } else {
        format!("https://{url}")
    }
}

/// The values the response states, after the fault has had its say.
struct Stated {
    issuer: String,
    destination: String,
    recipient: String,
    audience: Option<String>,
    in_response_to: Option<String>,
    name_id: String,
    name_id_format: String,
    issued: OffsetDateTime,
}

fn stated(spec: &ResponseSpec<'_>) -> Stated {
    let sp = spec.sp;
    let now = spec.now.replace_nanosecond(0).unwrap_or(spec.now);
    let issued = match spec.fault {
        Some(Fault::Expired) => now - Duration::hours(1),
        Some(Fault::NotYetValid) => now + Duration::hours(1),
        Some(Fault::ClockSkew) => now + Duration::minutes(2),
        _ => now,
    };
    let audience = match spec.fault {
        Some(Fault::NoAudience) => None,
        Some(Fault::WrongAudience) if sp.acs != sp.entity_id => Some(sp.acs.clone()),
        Some(Fault::WrongAudience) => Some(format!("{}other/", sp.entity_id)),
        Some(Fault::AudienceMissingTrailingSlash) => Some(match sp.entity_id.strip_suffix('/') {
            Some(cut) => cut.to_string(),
            // No slash to drop: the near miss goes the other way.
            None => format!("{}/", sp.entity_id),
        }),
        _ => Some(sp.entity_id.clone()),
    };
    let recipient = match spec.fault {
        Some(Fault::WrongRecipient) if sp.entity_id != sp.acs => sp.entity_id.clone(),
        Some(Fault::WrongRecipient) => other_scheme(&sp.acs),
        _ => sp.acs.clone(),
    };
    let (name_id, name_id_format) = if spec.has(Fault::TransientNameId) {
        (
            spec.ids.transient_name_id.clone(),
            NAMEID_TRANSIENT.to_string(),
        )
    } else {
        (spec.user.name_id.clone(), spec.user.name_id_format.clone())
    };
    Stated {
        issuer: if spec.has(Fault::WrongIssuer) {
            format!("{}/other-app", spec.idp_entity_id.trim_end_matches('/'))
        } else {
            spec.idp_entity_id.to_string()
        },
        destination: if spec.has(Fault::WrongDestination) {
            other_scheme(&sp.acs)
        } else {
            sp.acs.clone()
        },
        recipient,
        audience,
        in_response_to: if spec.has(Fault::InResponseToMismatch) {
            Some(spec.ids.other_request.clone())
        } else {
            spec.in_response_to.map(str::to_string)
        },
        name_id,
        name_id_format,
        issued,
    }
}

/// Refuses values XML cannot carry, naming the field.
fn check_text(spec: &ResponseSpec<'_>, s: &Stated) -> Result<(), IssueError> {
    if s.name_id.trim().is_empty() {
        return Err(IssueError::EmptyNameId);
    }
    let mut fields: Vec<(String, &str)> = vec![
        ("the IdP entity ID".into(), &s.issuer),
        ("the SP ACS URL".into(), &s.destination),
        ("the SP entity ID".into(), &spec.sp.entity_id),
        ("the NameID".into(), &s.name_id),
        ("the NameID format".into(), &s.name_id_format),
    ];
    if let Some(id) = &s.in_response_to {
        fields.push(("InResponseTo".into(), id));
    }
    for a in &spec.user.attributes {
        fields.push((format!("the attribute name {:?}", a.name), &a.name));
        for v in &a.values {
            fields.push((format!("a value of attribute {:?}", a.name), v));
        }
    }
    for (what, value) in fields {
        check_xml_chars(&what, value)?;
    }
    Ok(())
}

fn assertion_xml(spec: &ResponseSpec<'_>, s: &Stated) -> String {
    let t = |d: OffsetDateTime| format_instant(d);
    let mut x = String::with_capacity(2048);
    x.push_str(&format!(
        "<saml:Assertion xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ID=\"{}\" Version=\"2.0\" IssueInstant=\"{}\">",
        markup(&spec.ids.assertion),
        t(s.issued)
    ));
    x.push_str(&format!("<saml:Issuer>{}</saml:Issuer>", markup(&s.issuer)));
    x.push_str(&format!(
        "<saml:Subject><saml:NameID Format=\"{}\">{}</saml:NameID>",
        markup(&s.name_id_format),
        markup(&s.name_id)
    ));
    let in_response_to = s
        .in_response_to
        .as_deref()
        .map(|id| format!(" InResponseTo=\"{}\"", markup(id)))
        .unwrap_or_default();
    x.push_str(&format!(
        "<saml:SubjectConfirmation Method=\"{}\"><saml:SubjectConfirmationData{in_response_to} NotOnOrAfter=\"{}\" Recipient=\"{}\"/></saml:SubjectConfirmation></saml:Subject>",
        ns::CM_BEARER,
        t(s.issued + VALIDITY),
        markup(&s.recipient)
    ));
    x.push_str(&format!(
        "<saml:Conditions NotBefore=\"{}\" NotOnOrAfter=\"{}\">",
        t(s.issued - NOT_BEFORE_MARGIN),
        t(s.issued + VALIDITY)
    ));
    if let Some(audience) = &s.audience {
        x.push_str(&format!(
            "<saml:AudienceRestriction><saml:Audience>{}</saml:Audience></saml:AudienceRestriction>",
            markup(audience)
        ));
    }
    x.push_str("</saml:Conditions>");
    x.push_str(&format!(
        "<saml:AuthnStatement AuthnInstant=\"{}\" SessionIndex=\"{}\" SessionNotOnOrAfter=\"{}\"><saml:AuthnContext><saml:AuthnContextClassRef>{AC_PASSWORD}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>",
        t(s.issued),
        markup(&spec.ids.session_index),
        t(s.issued + SESSION)
    ));
    let attributes: Vec<&UserAttribute> = spec
        .user
        .attributes
        .iter()
        .filter(|a| !(spec.has(Fault::MissingEmail) && a.name.eq_ignore_ascii_case("email")))
        .collect();
    if !attributes.is_empty() {
        x.push_str("<saml:AttributeStatement>");
        for a in attributes {
            x.push_str(&format!(
                "<saml:Attribute Name=\"{}\" NameFormat=\"{ATTRNAME_BASIC}\">",
                markup(&a.name)
            ));
            for v in &a.values {
                x.push_str(&format!(
                    "<saml:AttributeValue xsi:type=\"xs:string\">{}</saml:AttributeValue>",
                    markup(v)
                ));
            }
            x.push_str("</saml:Attribute>");
        }
        x.push_str("</saml:AttributeStatement>");
    }
    x.push_str("</saml:Assertion>");
    x
}

/// The unsigned Response text.
fn response_xml(spec: &ResponseSpec<'_>, s: &Stated) -> String {
    let in_response_to = s
        .in_response_to
        .as_deref()
        .map(|id| format!(" InResponseTo=\"{}\"", markup(id)))
        .unwrap_or_default();
    let mut x = format!(
        "<samlp:Response xmlns:samlp=\"{}\" xmlns:saml=\"{}\" ID=\"{}\" Version=\"2.0\" IssueInstant=\"{}\" Destination=\"{}\"{in_response_to}>",
        ns::PROTOCOL,
        ns::ASSERTION,
        markup(&spec.ids.response),
        format_instant(s.issued),
        markup(&s.destination)
    );
    x.push_str(&format!("<saml:Issuer>{}</saml:Issuer>", markup(&s.issuer)));
    if spec.has(Fault::StatusResponder) {
        x.push_str(&format!(
            "<samlp:Status><samlp:StatusCode Value=\"{STATUS_RESPONDER}\"><samlp:StatusCode Value=\"{STATUS_REQUEST_DENIED}\"/></samlp:StatusCode><samlp:StatusMessage>samlcheck mock IdP (--fault status-responder): the user is not assigned to this application</samlp:StatusMessage></samlp:Status>"
        ));
    } else {
        x.push_str(&format!(
            "<samlp:Status><samlp:StatusCode Value=\"{}\"/></samlp:Status>",
            ns::STATUS_SUCCESS
        ));
        x.push_str(&assertion_xml(spec, s));
    }
    x.push_str("</samlp:Response>");
    x
}

/// The signature algorithm for `key`, SHA-1 under the `sha1` fault.
fn sign_options(key: &SigningKey, sha1: bool) -> SignOptions {
    let hash = if sha1 { Hash::Sha1 } else { Hash::Sha256 };
    let mut options = SignOptions::default();
    if let Some(kind) = key.key_kind() {
        options.algorithm = SignatureAlgorithm { key: kind, hash };
    }
    options.digest = hash;
    options
}

/// Another user's NameID, for `tampered-after-signing`: what an attacker would swap in.
fn tampered_name_id(name_id: &str) -> String {
    match name_id.split_once('@') {
        Some((_, domain)) => format!("admin@{domain}"),
        None => format!("{name_id}-admin"),
    }
}

/// Issues the Response: builds it, signs the Assertion, encrypts it when asked, signs the
/// Response when asked, and applies the spec's fault. Returns the XML text, ready for
/// [`encode_for_post`].
pub fn issue_response(spec: &ResponseSpec<'_>) -> Result<String, IssueError> {
    let s = stated(spec);
    check_text(spec, &s)?;
    let mut xml = response_xml(spec, &s);

    let other;
    let key = if spec.has(Fault::SignedByOtherKey) {
        other = other_key()?;
        &other
    } else {
        spec.key
    };
    let options = sign_options(key, spec.has(Fault::Sha1));
    let has_assertion = !spec.has(Fault::StatusResponder);
    let signed = !spec.has(Fault::Unsigned);
    if signed && has_assertion {
        xml = sign_element(&xml, &spec.ids.assertion, key, &options)?;
    }
    let encrypt_for = spec.encrypt_for.filter(|_| has_assertion);
    if let Some(cert) = encrypt_for {
        // The NameID cannot be changed inside the ciphertext: change it just before.
        if spec.has(Fault::TamperedAfterSigning) {
            xml = tamper(&xml, &s.name_id);
        }
        xml = encrypt_assertion(&xml, cert, &EncryptOptions::default())?;
    }
    // A failure status carries no assertion; sign the Response then, so it is not bare.
    if signed && (spec.sign_response || !has_assertion) {
        xml = sign_element(&xml, &spec.ids.response, key, &options)?;
    }
    if encrypt_for.is_none() && spec.has(Fault::TamperedAfterSigning) {
        xml = tamper(&xml, &s.name_id);
    }
    Ok(xml)
}

/// The NameID swapped for another user's, as an attacker would.
fn tamper(xml: &str, name_id: &str) -> String {
    // The NameID element is written once, by us, so this exact text occurs once.
    let signed = format!(">{}</saml:NameID>", markup(name_id));
    let forged = format!(">{}</saml:NameID>", markup(&tampered_name_id(name_id)));
    xml.replacen(&signed, &forged, 1)
}

/// The `SAMLResponse` form value of the HTTP-POST binding: the XML in base64.
pub fn encode_for_post(xml: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(xml.as_bytes())
}
