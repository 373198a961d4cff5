//! Single Logout messages as an SP receives them: a LogoutRequest (the IdP logs the user out
//! everywhere) or a LogoutResponse (the answer to the SP's own request). Read for a report;
//! nothing here is trusted, and no signature is checked.

use super::ns;
use super::response::Status;
use crate::xml::dsig::DSIG_NS;
use crate::xml::Document;

/// Which logout message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogoutKind {
    Request,
    Response,
}

impl LogoutKind {
    pub fn element(self) -> &'static str {
        match self {
            LogoutKind::Request => "LogoutRequest",
            LogoutKind::Response => "LogoutResponse",
        }
    }
}

/// What a logout message says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogoutMessage {
    pub kind: LogoutKind,
    pub id: Option<String>,
    pub issue_instant: Option<String>,
    pub destination: Option<String>,
    pub issuer: Option<String>,
    /// LogoutRequest: the user to log out.
    pub name_id: Option<String>,
    pub name_id_format: Option<String>,
    /// LogoutRequest: the sessions to end.
    pub session_indexes: Vec<String>,
    pub not_on_or_after: Option<String>,
    /// LogoutResponse: the request it answers.
    pub in_response_to: Option<String>,
    /// LogoutResponse: the outcome.
    pub status: Option<Status>,
    /// Whether the XML carries a `ds:Signature` (Redirect-binding signatures are in the URL).
    pub has_xml_signature: bool,
}

impl LogoutMessage {
    /// Reads the root element; `None` when it is not a SAML 2.0 logout message.
    pub fn read(doc: &Document) -> Option<LogoutMessage> {
        let root = doc.root();
        let el = doc.element(root)?;
        let kind = if el.is(ns::PROTOCOL, "LogoutRequest") {
            LogoutKind::Request
        } else if el.is(ns::PROTOCOL, "LogoutResponse") {
            LogoutKind::Response
        } else {
            return None;
        };
        let text = |local: &str| {
            doc.child_named(root, ns::ASSERTION, local)
                .map(|n| doc.text(n).trim().to_string())
        };
        let name_id = doc.child_named(root, ns::ASSERTION, "NameID");
        Some(LogoutMessage {
            kind,
            id: el.attr("ID").map(str::to_string),
            issue_instant: el.attr("IssueInstant").map(str::to_string),
            destination: el.attr("Destination").map(str::to_string),
            issuer: text("Issuer"),
            name_id: name_id.map(|n| doc.text(n).trim().to_string()),
            name_id_format: name_id
                .and_then(|n| doc.element(n))
                .and_then(|e| e.attr("Format"))
                .map(str::to_string),
            session_indexes: doc
                .children_named(root, ns::PROTOCOL, "SessionIndex")
                .map(|n| doc.text(n).trim().to_string())
                .collect(),
            not_on_or_after: el.attr("NotOnOrAfter").map(str::to_string),
            in_response_to: el.attr("InResponseTo").map(str::to_string),
            status: (kind == LogoutKind::Response).then(|| Status::read(doc, root)),
            has_xml_signature: doc.child_named(root, DSIG_NS, "Signature").is_some(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::Limits;

    fn read(xml: &str) -> Option<LogoutMessage> {
        LogoutMessage::read(&Document::parse(xml, Limits::MESSAGE).unwrap())
    }

    #[test]
    fn reads_a_logout_request() {
        let m = read(r#"<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_l1" Version="2.0" IssueInstant="2026-01-15T10:02:00Z" Destination="https://sentry.io/saml/sls/acme/"><saml:Issuer>http://idp</saml:Issuer><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">jane@acme.example</saml:NameID><samlp:SessionIndex>s1</samlp:SessionIndex></samlp:LogoutRequest>"#).unwrap();
        assert_eq!(m.kind, LogoutKind::Request);
        assert_eq!(m.issuer.as_deref(), Some("http://idp"));
        assert_eq!(m.name_id.as_deref(), Some("jane@acme.example"));
        assert_eq!(m.session_indexes, vec!["s1".to_string()]);
        assert!(m.status.is_none() && !m.has_xml_signature);
    }

    #[test]
    fn reads_a_logout_response_and_refuses_others() {
        let m = read(r#"<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" InResponseTo="_l0" Version="2.0"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">http://idp</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>"#).unwrap();
        assert_eq!(m.kind, LogoutKind::Response);
        assert_eq!(m.in_response_to.as_deref(), Some("_l0"));
        assert_eq!(m.status.unwrap().code.as_deref(), Some(ns::STATUS_SUCCESS));
        assert!(read("<x/>").is_none());
    }
}
