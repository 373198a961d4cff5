//! The signing certificates of one role as a set: none at all, or several (rollover).

use crate::checks::catalog::cert::{CERT_MISSING, CERT_ROLLOVER};
use crate::checks::{Finding, Location};
use crate::saml::ns;
use crate::xml::dsig::keys::cert_info;
use crate::xml::dsig::DSIG_NS;
use crate::xml::{Document, NodeId};

/// The `md:KeyDescriptor` children of a role, with whether each one signs (use="signing" or
/// no use) and its `ds:X509Certificate` elements in document order.
fn key_descriptors(doc: &Document, role: NodeId) -> Vec<(NodeId, Option<String>, Vec<NodeId>)> {
    doc.children_named(role, ns::METADATA, "KeyDescriptor")
        .map(|kd| {
            let usage = doc
                .element(kd)
                .and_then(|e| e.attr("use"))
                .map(|u| u.trim().to_string());
            let certs = doc
                .descendants(kd)
                .filter(|&n| {
                    doc.element(n)
                        .is_some_and(|e| e.is(DSIG_NS, "X509Certificate"))
                })
                .collect();
            (kd, usage, certs)
        })
        .collect()
}

fn signs(usage: Option<&str>) -> bool {
    matches!(usage, None | Some("signing"))
}

/// The `ds:X509Certificate` elements of a role's signing KeyDescriptors (use="signing" or no
/// use attribute), in document order.
pub fn signing_certificate_nodes(doc: &Document, role: NodeId) -> Vec<NodeId> {
    key_descriptors(doc, role)
        .into_iter()
        .filter(|(_, usage, _)| signs(usage.as_deref()))
        .flat_map(|(_, _, certs)| certs)
        .collect()
}

/// Every `ds:X509Certificate` element of a role's KeyDescriptors, whatever their use.
pub fn all_certificate_nodes(doc: &Document, role: NodeId) -> Vec<NodeId> {
    key_descriptors(doc, role)
        .into_iter()
        .flat_map(|(_, _, certs)| certs)
        .collect()
}

/// Whether a role must publish a signing certificate: IdPs and other roles always; an
/// SPSSODescriptor only when it says it signs its AuthnRequests.
fn needs_signing_certificate(doc: &Document, role: NodeId) -> bool {
    match doc.element(role) {
        Some(e) if e.is(ns::METADATA, "SPSSODescriptor") => {
            matches!(
                e.attr("AuthnRequestsSigned").map(str::trim),
                Some("true" | "1")
            )
        }
        _ => true,
    }
}

fn describe(der: &[u8]) -> String {
    match cert_info(der) {
        Ok(i) => format!(
            "subject {:?}, SHA-256 {}, valid {} to {}",
            i.subject, i.sha256, i.not_before, i.not_after
        ),
        Err(e) => e.to_string(),
    }
}

pub(super) fn check(doc: &Document, role: NodeId, signing: &[(NodeId, Vec<u8>)]) -> Vec<Finding> {
    let mut out = Vec::new();
    let role_name = doc.element(role).map_or_else(String::new, |e| e.qname());
    let nodes = signing_certificate_nodes(doc, role);
    if nodes.is_empty() && signing.is_empty() {
        if needs_signing_certificate(doc, role) {
            out.push(missing(doc, role, &role_name));
        }
        return out;
    }

    // Distinct certificates, first occurrence kept, in document order.
    let mut distinct: Vec<&(NodeId, Vec<u8>)> = Vec::new();
    for entry in signing {
        if !distinct.iter().any(|d| d.1 == entry.1) {
            distinct.push(entry);
        }
    }
    if distinct.len() > 1 {
        let (first_node, first_der) = distinct[0];
        let first = describe(first_der);
        let mut finding = Finding::new(
            &CERT_ROLLOVER,
            format!(
                "{role_name} lists {} signing certificates; SPs that keep only the first one (Sentry among them) use: {first}.",
                distinct.len()
            ),
        )
        .expected("the certificate the IdP signs with first")
        .found(format!("{} signing certificates", distinct.len()))
        .at(Location::of_node(doc, *first_node));
        for (k, (node, der)) in distinct.iter().enumerate() {
            let pos = doc.position(*node);
            finding = finding.note(format!(
                "{}. line {}:{}: {}",
                k + 1,
                pos.line,
                pos.column,
                describe(der)
            ));
        }
        if nodes.first().is_some_and(|n| n != first_node) {
            finding = finding.note(
                "The first X509Certificate element in the document could not be read (see cert/unparseable): an SP that keeps only the first signing certificate has no usable one.",
            );
        }
        out.push(finding);
    }
    out
}

fn missing(doc: &Document, role: NodeId, role_name: &str) -> Finding {
    let kds = key_descriptors(doc, role);
    let encryption = kds
        .iter()
        .filter(|(_, u, c)| u.as_deref() == Some("encryption") && !c.is_empty())
        .count();
    let keyless_signing = kds
        .iter()
        .filter(|(_, u, c)| signs(u.as_deref()) && c.is_empty())
        .count();
    let found = if encryption > 0 {
        format!("only {encryption} encryption certificate(s) (KeyDescriptor use=\"encryption\")")
    } else if keyless_signing > 0 {
        format!("{keyless_signing} signing KeyDescriptor(s) without a ds:X509Certificate (a KeyName or KeyValue alone cannot be used)")
    } else if kds.is_empty() {
        "no KeyDescriptor".to_string()
    } else {
        "KeyDescriptors with an unknown use".to_string()
    };
    Finding::new(
        &CERT_MISSING,
        format!("{role_name} has no signing certificate: {found}."),
    )
    .expected("a KeyDescriptor use=\"signing\" (or without use) with a ds:X509Certificate")
    .found(found)
    .at(Location::of_node(doc, role))
}
