//! Linting metadata files: one entity or a whole federation aggregate, streamed entity by entity.
//! The root signature of an aggregate is verified while streaming: its canonical form is
//! written into a digest chunk by chunk, so memory stays bounded by the largest entity.

pub mod locate;
pub mod signature;
pub mod stream;

use std::io::BufRead;
use std::path::{Path, PathBuf};

use self::locate::ChunkFrame;
use self::signature::{SignatureSummary, StreamVerifier};
use self::stream::{ChunkReader, Origin, Piece};
use crate::checks::catalog::{
    METADATA_NOT_METADATA, SIGNATURE_WRAPPING, XML_DOCTYPE, XML_LIMITS, XML_MALFORMED,
};
use crate::checks::cert::{check_certificate, check_signing_set, CertContext};
use crate::checks::metadata::{check_entity, valid_until, MetadataContext};
use crate::checks::{Finding, Location, Severity};
use crate::saml::metadata::{EntityDescriptor, RoleKind};
use crate::saml::ns;
use crate::xml::dsig::{TrustedKey, DSIG_NS};
use crate::xml::{Document, Limits, NodeId, XmlError, XmlErrorKind};

/// How to lint.
#[derive(Debug, Clone)]
pub struct LintOptions {
    pub now: time::OffsetDateTime,
    /// Warn about certificates and metadata expiring within this many days.
    pub expiry_warning_days: i64,
    /// The certificate an aggregate must be signed by (`--signer-cert`).
    pub signer: Option<TrustedKey>,
    pub limits: Limits,
}

impl LintOptions {
    pub fn at(now: time::OffsetDateTime) -> LintOptions {
        LintOptions {
            now,
            expiry_warning_days: 30,
            signer: None,
            limits: Limits::METADATA,
        }
    }
}

/// The outcome of linting one file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LintReport {
    pub file: String,
    /// Entities linted.
    pub entities: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureSummary>,
    pub findings: Vec<Finding>,
    /// False when the file could not be read or parsed (exit code 2).
    #[serde(skip)]
    pub readable: bool,
}

impl LintReport {
    fn new(file: &str) -> LintReport {
        LintReport {
            file: file.to_string(),
            entities: 0,
            signature: None,
            findings: Vec::new(),
            readable: true,
        }
    }

    pub fn has_errors(&self, deny_warnings: bool) -> bool {
        self.findings.iter().any(|f| {
            f.severity == Severity::Error || (deny_warnings && f.severity == Severity::Warning)
        })
    }
}

fn xml_finding(e: &XmlError) -> Finding {
    let rule = match e.kind {
        XmlErrorKind::Doctype => &XML_DOCTYPE,
        XmlErrorKind::Limit { .. } => &XML_LIMITS,
        _ => &XML_MALFORMED,
    };
    Finding::new(rule, e.kind.to_string()).at(Location {
        file: None,
        line: e.position.line,
        column: e.position.column,
        path: String::new(),
        source_line: String::new(),
    })
}

/// Lints every entity in the subtree at `node` of `doc`.
fn lint_entities(
    doc: &Document,
    node: NodeId,
    options: &LintOptions,
    single_entity: bool,
    findings: &mut Vec<Finding>,
) -> usize {
    let ctx = MetadataContext {
        doc,
        now: options.now,
        expiry_warning_days: options.expiry_warning_days,
        inherited_valid_until: None,
        single_entity,
    };
    let cert_ctx = CertContext {
        now: options.now,
        expiry_warning_days: options.expiry_warning_days,
    };
    let mut count = 0;
    for id in std::iter::once(node).chain(doc.descendants(node)) {
        if let Some(entity) = EntityDescriptor::read(doc, id) {
            check_entity(&ctx, &entity, findings);
            check_certificates(doc, &entity, &cert_ctx, findings);
            count += 1;
        }
    }
    count
}

/// Every certificate of the IdP and SP roles, then each role's signing set.
fn check_certificates(
    doc: &Document,
    entity: &EntityDescriptor,
    ctx: &CertContext,
    findings: &mut Vec<Finding>,
) {
    for role in entity.roles.iter().filter(|r| r.kind != RoleKind::Other) {
        let mut signing = Vec::new();
        for key in &role.keys {
            for &cert in &key.certificates {
                let (der, found) = check_certificate(doc, cert, ctx);
                findings.extend(found);
                if let (Some(der), true) = (der, key.signs()) {
                    signing.push((cert, der));
                }
            }
        }
        if role.kind == RoleKind::Idp {
            findings.extend(check_signing_set(doc, role.node, &signing));
        }
    }
}

/// Lints metadata read from `reader`.
pub fn lint_reader<R: BufRead>(file: &str, reader: R, options: &LintOptions) -> LintReport {
    let mut report = LintReport::new(file);
    if let Err(e) = lint_stream(reader, options, &mut report) {
        report.readable = matches!(e.kind, XmlErrorKind::Doctype | XmlErrorKind::Limit { .. });
        report.findings.push(xml_finding(&e));
    }
    report
}

struct AggregateRoot {
    tag: String,
    close: String,
    origin: Origin,
    id: Option<String>,
}

fn lint_stream<R: BufRead>(
    reader: R,
    options: &LintOptions,
    report: &mut LintReport,
) -> Result<(), XmlError> {
    let limits = options.limits;
    let mut chunks = ChunkReader::new(reader, limits.max_bytes as u64, limits.max_depth);
    let mut root: Option<AggregateRoot> = None;
    let mut verifier: Option<StreamVerifier> = None;
    let mut before_signature: Vec<Piece> = Vec::new();
    let mut seen_element = false;
    // The signature chunk's text and origin, to place its findings.
    let mut signature_frame: Option<(String, Origin)> = None;

    while let Some(piece) = chunks.next_piece(|local| local == "EntitiesDescriptor")? {
        match piece {
            Piece::RootStart {
                tag, qname, origin, ..
            } => {
                let close = format!("</{qname}>");
                let tag_doc = Document::parse(&format!("{tag}{close}"), limits)?;
                let el = tag_doc.element(tag_doc.root()).cloned();
                let mut findings = Vec::new();
                if let Some(el) = &el {
                    if !el.is(ns::METADATA, "EntitiesDescriptor") {
                        findings.push(
                            Finding::new(
                                &METADATA_NOT_METADATA,
                                format!("the root element is {}, not SAML metadata", el.qname()),
                            )
                            .expected("md:EntityDescriptor or md:EntitiesDescriptor")
                            .found(el.qname())
                            .at(Location::of_node(&tag_doc, tag_doc.root())),
                        );
                    }
                    if let Some(v) = el.attr("validUntil") {
                        let ctx = MetadataContext {
                            doc: &tag_doc,
                            now: options.now,
                            expiry_warning_days: options.expiry_warning_days,
                            inherited_valid_until: None,
                            single_entity: false,
                        };
                        valid_until::check_aggregate(&ctx, tag_doc.root(), v, &mut findings);
                    }
                }
                ChunkFrame {
                    prefix: "",
                    text: &tag,
                    origin,
                }
                .remap(&mut findings);
                report.findings.extend(findings);
                root = Some(AggregateRoot {
                    id: el.as_ref().and_then(|e| e.attr("ID")).map(str::to_string),
                    tag,
                    close,
                    origin,
                });
            }
            Piece::Element { text, origin } => match &root {
                None => lint_single_root(&text, origin, options, report)?,
                Some(r) => {
                    let wrapped = format!("{}{text}{}", r.tag, r.close);
                    let doc = Document::parse(&wrapped, limits)?;
                    let Some(node) = doc.child_elements(doc.root()).next() else {
                        continue;
                    };
                    let is_signature = doc
                        .element(node)
                        .is_some_and(|e| e.is(DSIG_NS, "Signature"));
                    let mut findings = Vec::new();
                    if is_signature && verifier.is_none() {
                        let mut v = StreamVerifier::start(
                            doc,
                            node,
                            r.id.as_deref(),
                            options.signer.as_ref(),
                            seen_element,
                        );
                        for p in before_signature.drain(..) {
                            v.feed_piece(&p);
                        }
                        verifier = Some(v);
                        signature_frame = Some((text.clone(), origin));
                    } else {
                        seen_element = true;
                        if let Some(id) = &r.id {
                            if let Some(dup) = doc.descendants(doc.root()).find(|&n| {
                                doc.element(n).and_then(|e| e.attr("ID")) == Some(id.as_str())
                            }) {
                                findings.push(
                                    Finding::new(&SIGNATURE_WRAPPING, format!("the aggregate's ID {id:?} is carried again by an element inside it"))
                                        .expected("IDs unique in the document")
                                        .found(doc.path(dup))
                                        .at(Location::of_node(&doc, dup)),
                                );
                            }
                        }
                        report.entities += lint_entities(&doc, node, options, false, &mut findings);
                        match &mut verifier {
                            Some(v) => v.feed_element(&doc, node),
                            None => before_signature.clear(),
                        }
                    }
                    ChunkFrame {
                        prefix: &r.tag,
                        text: &text,
                        origin,
                    }
                    .remap(&mut findings);
                    report.findings.extend(findings);
                }
            },
            Piece::RootEnd => {
                let mut findings = Vec::new();
                report.signature = signature::finish_stream(
                    verifier.take(),
                    options.signer.as_ref(),
                    &mut findings,
                );
                match (&root, &signature_frame) {
                    (Some(r), Some((text, origin))) => ChunkFrame {
                        prefix: &r.tag,
                        text,
                        origin: *origin,
                    }
                    .remap(&mut findings),
                    (Some(r), None) => {
                        for f in &mut findings {
                            f.location.get_or_insert(Location {
                                file: None,
                                line: r.origin.position.line,
                                column: r.origin.position.column,
                                path: String::new(),
                                source_line: r.tag.lines().next().unwrap_or("").to_string(),
                            });
                        }
                    }
                    _ => {}
                }
                report.findings.extend(findings);
            }
            other => match &mut verifier {
                Some(v) => v.feed_piece(&other),
                None if !seen_element => before_signature.push(other),
                None => {}
            },
        }
    }
    Ok(())
}

/// A file whose root is not an aggregate: parse it whole (one entity is small) and lint it.
fn lint_single_root(
    text: &str,
    origin: Origin,
    options: &LintOptions,
    report: &mut LintReport,
) -> Result<(), XmlError> {
    let doc = Document::parse(text, options.limits)?;
    let root = doc.root();
    let mut findings = Vec::new();
    let is_entity = doc
        .element(root)
        .is_some_and(|e| e.is(ns::METADATA, "EntityDescriptor"));
    if !is_entity {
        let qname = doc.element(root).map(|e| e.qname()).unwrap_or_default();
        findings.push(
            Finding::new(
                &METADATA_NOT_METADATA,
                format!("the root element is {qname}, not SAML metadata"),
            )
            .expected("md:EntityDescriptor or md:EntitiesDescriptor")
            .found(qname)
            .at(Location::of_node(&doc, root)),
        );
    } else {
        report.entities += lint_entities(&doc, root, options, true, &mut findings);
        report.signature =
            signature::check_tree(&doc, root, options.signer.as_ref(), &mut findings);
    }
    ChunkFrame {
        prefix: "",
        text,
        origin,
    }
    .remap(&mut findings);
    report.findings.extend(findings);
    Ok(())
}

/// Lints a file (streamed from disk).
pub fn lint_file(path: &Path, options: &LintOptions) -> Result<LintReport, std::io::Error> {
    let file = std::fs::File::open(path)?;
    let reader = std::io::BufReader::with_capacity(256 * 1024, file);
    Ok(lint_reader(&path.display().to_string(), reader, options))
}

/// Expands directories into their `*.xml` files (sorted, recursively); files are kept as given.
pub fn expand_paths(inputs: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found = Vec::new();
            let mut stack = vec![input.clone()];
            while let Some(dir) = stack.pop() {
                for entry in std::fs::read_dir(&dir)? {
                    let path = entry?.path();
                    if path.is_dir() {
                        stack.push(path);
                    } else if path
                        .extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
                    {
                        found.push(path);
                    }
                }
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(input.clone());
        }
    }
    Ok(out)
}
