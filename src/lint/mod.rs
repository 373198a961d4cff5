//! Linting metadata files: one entity or a whole federation aggregate, streamed entity by entity.
//! The root signature of an aggregate is verified while streaming: its canonical form is
//! written into a digest chunk by chunk, so memory stays bounded by the largest entity.

pub mod locate;
pub mod signature;
pub mod stream;

use std::collections::HashSet;
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
use crate::xml::c14n::Canonicalizer;
use crate::xml::dsig::verify::elements_with_id;
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
    /// A file holding one entity must describe an IdP (`--require-idp`); otherwise an SP's
    /// metadata lints as such.
    pub require_idp: bool,
}

impl LintOptions {
    pub fn at(now: time::OffsetDateTime) -> LintOptions {
        LintOptions {
            now,
            expiry_warning_days: 30,
            signer: None,
            limits: Limits::METADATA,
            require_idp: false,
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
        source_line_start: 0,
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
        require_idp: options.require_idp,
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

/// A child of the aggregate root, parsed and linted (by a worker thread), waiting to be
/// written into the signature digest in document order.
struct PreparedChunk {
    /// Kept only when the chunk was not canonicalized where it was prepared.
    doc: Option<Document>,
    canonical: Option<Vec<u8>>,
    node: Option<NodeId>,
    is_signature: bool,
    findings: Vec<Finding>,
    entities: usize,
    text: String,
    origin: Origin,
}

/// The part of a chunk's work that needs nothing from the chunks before it.
fn prepare_chunk(
    root: &AggregateRoot,
    text: String,
    origin: Origin,
    options: &LintOptions,
    template: Option<&Canonicalizer<Vec<u8>>>,
) -> Result<PreparedChunk, XmlError> {
    // Sized once: `format!` grows its buffer step by step, copying the entity each time.
    let mut wrapped = String::with_capacity(root.tag.len() + text.len() + root.close.len());
    wrapped.push_str(&root.tag);
    wrapped.push_str(&text);
    wrapped.push_str(&root.close);
    let doc = Document::parse(&wrapped, options.limits)?;
    drop(wrapped);
    let node = doc.child_elements(doc.root()).next();
    let is_signature = node
        .and_then(|n| doc.element(n))
        .is_some_and(|e| e.is(DSIG_NS, "Signature"));
    let mut findings = Vec::new();
    let mut entities = 0;
    if let Some(id) = &root.id {
        // The same attributes the tree verifier resolves IDs by (`ID`, `Id`, `id`).
        let dup = elements_with_id(&doc, id)
            .into_iter()
            .find(|&n| n != doc.root());
        if let Some(dup) = dup {
            findings.push(
                Finding::new(
                    &SIGNATURE_WRAPPING,
                    format!("the aggregate's ID {id:?} is carried again by an element inside it"),
                )
                .expected("IDs unique in the document")
                .found(doc.path(dup))
                .at(Location::of_node(&doc, dup)),
            );
        }
    }
    if let (Some(node), false) = (node, is_signature) {
        entities = lint_entities(&doc, node, options, false, &mut findings);
    }
    ChunkFrame {
        prefix: &root.tag,
        text: &text,
        origin,
    }
    .remap(&mut findings);
    let canonical = match (template, node) {
        (Some(t), Some(node)) => {
            let mut writer = t.fork(Vec::with_capacity(text.len()));
            crate::xml::c14n::write_subtree(&doc, node, None, &mut writer);
            Some(writer.into_sink())
        }
        _ => None,
    };
    let doc = canonical.is_none().then_some(doc);
    // Only the signature's text is needed later (to place its findings); the rest is freed
    // here, on the worker, rather than by the thread that keeps document order.
    let text = if is_signature { text } else { String::new() };
    Ok(PreparedChunk {
        doc,
        canonical,
        node,
        is_signature,
        findings,
        entities,
        text,
        origin,
    })
}

/// What must happen in document order: the signature digest, and the findings' order.
struct OrderedState {
    verifier: Option<StreamVerifier>,
    before_signature: Vec<Piece>,
    seen_element: bool,
    /// The signature chunk's text and origin, to place its findings.
    signature_frame: Option<(String, Origin)>,
}

impl OrderedState {
    fn apply_chunk(
        &mut self,
        root: &AggregateRoot,
        chunk: PreparedChunk,
        options: &LintOptions,
        report: &mut LintReport,
    ) {
        let Some(node) = chunk.node else { return };
        if chunk.is_signature && self.verifier.is_none() {
            report.findings.extend(chunk.findings);
            let Some(doc) = chunk.doc else { return };
            let mut v = StreamVerifier::start(
                doc,
                node,
                root.id.as_deref(),
                options.signer.as_ref(),
                self.seen_element,
            );
            for p in self.before_signature.drain(..) {
                v.feed_piece(&p);
            }
            self.verifier = Some(v);
            self.signature_frame = Some((chunk.text, chunk.origin));
            return;
        }
        self.seen_element = true;
        report.entities += chunk.entities;
        report.findings.extend(chunk.findings);
        match (&mut self.verifier, &chunk.canonical, &chunk.doc) {
            (Some(v), Some(bytes), _) => v.splice(bytes),
            (Some(v), None, Some(doc)) => v.feed_element(doc, node),
            _ => self.before_signature.clear(),
        }
    }

    fn apply_piece(&mut self, piece: Piece) {
        match &mut self.verifier {
            Some(v) => v.feed_piece(&piece),
            None if !self.seen_element => self.before_signature.push(piece),
            None => {}
        }
    }

    fn finish(
        &mut self,
        root: Option<&AggregateRoot>,
        options: &LintOptions,
        report: &mut LintReport,
    ) {
        let mut findings = Vec::new();
        report.signature =
            signature::finish_stream(self.verifier.take(), options.signer.as_ref(), &mut findings);
        match (root, &self.signature_frame) {
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
                        source_line_start: 0,
                    });
                }
            }
            _ => {}
        }
        report.findings.extend(findings);
    }
}

/// Work items in document order: chunks go to the workers, the rest waits its turn here.
enum Slot {
    Chunk(u64),
    Piece(Piece),
    End,
}

type Done = (u64, Result<PreparedChunk, XmlError>);
type Job = (u64, String, Origin);

/// A batch goes to a worker at this many chunks or bytes, whichever comes first.
const BATCH_CHUNKS: usize = 32;
const BATCH_BYTES: usize = 256 * 1024;

fn lint_stream<R: BufRead>(
    reader: R,
    options: &LintOptions,
    report: &mut LintReport,
) -> Result<(), XmlError> {
    let limits = options.limits;
    let mut chunks = ChunkReader::new(reader, limits.max_bytes as u64, limits.max_depth);
    // The root start tag comes first; a file that is not an aggregate is one element.
    let root = loop {
        match chunks.next_piece(|local| local == "EntitiesDescriptor")? {
            None => return Ok(()),
            Some(Piece::Element { text, origin }) => {
                lint_single_root(&text, origin, options, report)?;
                // Read to the end: anything after the root makes the file malformed.
                while chunks
                    .next_piece(|local| local == "EntitiesDescriptor")?
                    .is_some()
                {}
                return Ok(());
            }
            Some(Piece::RootStart {
                tag, qname, origin, ..
            }) => break start_aggregate(tag, qname, origin, options, report)?,
            Some(_) => {}
        }
    };
    let mut state = OrderedState {
        verifier: None,
        before_signature: Vec::new(),
        seen_element: false,
        signature_frame: None,
    };
    // The first child is read here: when it is the signature, its algorithms decide how the
    // workers canonicalize every later child.
    loop {
        match chunks.next_piece(|local| local == "EntitiesDescriptor")? {
            None => return Ok(()),
            Some(Piece::Element { text, origin }) => {
                let chunk = prepare_chunk(&root, text, origin, options, None)?;
                state.apply_chunk(&root, chunk, options, report);
                break;
            }
            Some(Piece::RootEnd) => {
                state.finish(Some(&root), options, report);
                while chunks
                    .next_piece(|local| local == "EntitiesDescriptor")?
                    .is_some()
                {}
                return Ok(());
            }
            Some(piece) => state.apply_piece(piece),
        }
    }
    let template = state
        .verifier
        .as_ref()
        .and_then(StreamVerifier::chunk_template);
    let template = template.as_ref();
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4);
    // Chunks travel in batches: one hand-over per entity cost more in waking threads than
    // the small entities of an aggregate take to lint.
    let (job_tx, job_rx) = std::sync::mpsc::sync_channel::<Vec<Job>>(8);
    let job_rx = std::sync::Mutex::new(job_rx);
    std::thread::scope(|scope| {
        // Owned here so that every way out of this closure closes the queue and ends the workers.
        let job_tx = job_tx;
        let (done_tx, done_rx) = std::sync::mpsc::channel::<Vec<Done>>();
        for _ in 0..workers {
            let (job_rx, done_tx, root) = (&job_rx, done_tx.clone(), &root);
            scope.spawn(move || loop {
                let job = job_rx.lock().map(|rx| rx.recv());
                let Ok(Ok(batch)) = job else {
                    break;
                };
                let done = batch
                    .into_iter()
                    .map(|(seq, text, origin)| {
                        (seq, prepare_chunk(root, text, origin, options, template))
                    })
                    .collect();
                if done_tx.send(done).is_err() {
                    break;
                }
            });
        }
        drop(done_tx);
        let mut batch: Vec<Job> = Vec::new();
        let mut batch_bytes = 0usize;

        let mut slots: std::collections::VecDeque<Slot> = std::collections::VecDeque::new();
        let mut ready: std::collections::BTreeMap<u64, Result<PreparedChunk, XmlError>> =
            std::collections::BTreeMap::new();
        let mut next_seq = 0u64;
        let mut reading = true;
        let result = loop {
            // Apply whatever is at the front and ready, in document order.
            while let Some(front) = slots.front() {
                match front {
                    Slot::Chunk(seq) => match ready.remove(seq) {
                        Some(Ok(chunk)) => {
                            slots.pop_front();
                            state.apply_chunk(&root, chunk, options, report);
                        }
                        Some(Err(e)) => return Err(e),
                        None => break,
                    },
                    Slot::Piece(_) => {
                        if let Some(Slot::Piece(p)) = slots.pop_front() {
                            state.apply_piece(p);
                        }
                    }
                    Slot::End => {
                        slots.pop_front();
                        state.finish(Some(&root), options, report);
                    }
                }
            }
            if !reading {
                if slots.is_empty() {
                    break Ok(());
                }
                match done_rx.recv() {
                    Ok(done) => {
                        ready.extend(done);
                        continue;
                    }
                    Err(_) => break Ok(()),
                }
            }
            while let Ok(done) = done_rx.try_recv() {
                ready.extend(done);
            }
            let piece = chunks.next_piece(|local| local == "EntitiesDescriptor");
            let flush = match &piece {
                Ok(Some(Piece::Element { text, .. })) => {
                    batch_bytes += text.len();
                    batch.len() + 1 >= BATCH_CHUNKS || batch_bytes >= BATCH_BYTES
                }
                // Text, comments and PIs between the entities wait in `slots`, in order, with
                // the chunks around them; flushing on them sent a batch of one after every
                // entity of a pretty-printed aggregate (the newline between two entities).
                Ok(Some(
                    Piece::Text(_) | Piece::Comment(_) | Piece::ProcessingInstruction { .. },
                )) => false,
                _ => !batch.is_empty(),
            };
            match piece {
                Err(e) => break Err(e),
                Ok(None) => reading = false,
                Ok(Some(Piece::Element { text, origin })) => {
                    batch.push((next_seq, text, origin));
                    slots.push_back(Slot::Chunk(next_seq));
                    next_seq += 1;
                }
                Ok(Some(Piece::RootEnd)) => {
                    slots.push_back(Slot::End);
                }
                Ok(Some(piece)) => slots.push_back(Slot::Piece(piece)),
            }
            if flush {
                let mut job = std::mem::take(&mut batch);
                batch_bytes = 0;
                // A full queue means the workers are behind: collect results meanwhile.
                loop {
                    match job_tx.try_send(job) {
                        Ok(()) => break,
                        Err(std::sync::mpsc::TrySendError::Full(j)) => {
                            job = j;
                            if let Ok(done) = done_rx.recv() {
                                ready.extend(done);
                            }
                        }
                        Err(std::sync::mpsc::TrySendError::Disconnected(_)) => break,
                    }
                }
            }
        };
        drop(job_tx);
        result
    })
}

/// Reads the aggregate root's start tag: its own rules (validUntil, being metadata at all).
fn start_aggregate(
    tag: String,
    qname: String,
    origin: Origin,
    options: &LintOptions,
    report: &mut LintReport,
) -> Result<AggregateRoot, XmlError> {
    let close = format!("</{qname}>");
    let tag_doc = Document::parse(&format!("{tag}{close}"), options.limits)?;
    let el = tag_doc.element(tag_doc.root());
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
                require_idp: options.require_idp,
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
    Ok(AggregateRoot {
        id: el.as_ref().and_then(|e| e.attr("ID")).map(str::to_string),
        tag,
        close,
        origin,
    })
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
/// Hidden files and directories (`.git`, `.venv`...) inside a directory are skipped, as a
/// repository-wide `lint .` expects; name one explicitly to lint it.
///
/// Symbolic links are followed, but each directory is walked once and each file listed once,
/// by canonical path: a link back up (`md/up -> ..`) ends the walk instead of looping, and a
/// file reached by two paths (or named twice) keeps the first in sorted order.
pub fn expand_paths(inputs: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut walked: HashSet<PathBuf> = HashSet::new();
    let mut listed: HashSet<PathBuf> = HashSet::new();
    // A path that cannot be canonicalized (a dangling link, a missing file) stands for itself:
    // reading it reports the error.
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    for input in inputs {
        if !input.is_dir() {
            if listed.insert(canonical(input)) {
                out.push(input.clone());
            }
            continue;
        }
        let mut found = Vec::new();
        let mut stack = vec![input.clone()];
        while let Some(dir) = stack.pop() {
            if !walked.insert(canonical(&dir)) {
                continue;
            }
            let mut entries = Vec::new();
            for entry in std::fs::read_dir(&dir)? {
                let entry = entry?;
                if !entry.file_name().as_encoded_bytes().starts_with(b".") {
                    entries.push(entry.path());
                }
            }
            entries.sort();
            let mut subdirs = Vec::new();
            for path in entries {
                if path.is_dir() {
                    subdirs.push(path);
                } else if path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
                {
                    found.push(path);
                }
            }
            // Depth first, in name order, so the path a folder is walked by is always the same.
            stack.extend(subdirs.into_iter().rev());
        }
        found.sort();
        out.extend(found.into_iter().filter(|p| listed.insert(canonical(p))));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_walks_skip_hidden_entries_but_named_files_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for path in [
            "idp.xml",
            "notes.txt",
            "nested/okta.XML",
            ".git/objects/x.xml",
            ".hidden.xml",
            "nested/.cache/y.xml",
        ] {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "<x/>").unwrap();
        }
        let named = root.join(".hidden.xml");
        let found = expand_paths(&[root.to_path_buf(), named.clone()]).unwrap();
        assert_eq!(
            found,
            [root.join("idp.xml"), root.join("nested/okta.XML"), named]
        );
    }

    #[test]
    fn symlink_loops_are_walked_once_and_each_file_listed_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let md = root.join("md");
        std::fs::create_dir_all(md.join("sub")).unwrap();
        std::fs::write(md.join("a.xml"), "<x/>").unwrap();
        std::fs::write(md.join("sub/b.xml"), "<x/>").unwrap();
        let outside = root.join("outside.xml");
        std::fs::write(&outside, "<x/>").unwrap();
        // Back up to md and to the folder above it; another path to sub; a file outside md.
        std::os::unix::fs::symlink("..", md.join("sub/loop")).unwrap();
        std::os::unix::fs::symlink("..", md.join("up")).unwrap();
        std::os::unix::fs::symlink("sub", md.join("twin")).unwrap();
        std::os::unix::fs::symlink(&outside, md.join("z-outside.xml")).unwrap();
        std::os::unix::fs::symlink("a.xml", md.join("b-alias.xml")).unwrap();

        let found = expand_paths(std::slice::from_ref(&md)).unwrap();
        // b-alias.xml is a.xml; twin/ is sub/; sub/loop/ is md/; up/ holds md/ (walked) and
        // outside.xml, which sorts before its link z-outside.xml.
        assert_eq!(
            found,
            [
                md.join("a.xml"),
                md.join("sub/b.xml"),
                md.join("up/outside.xml"),
            ]
        );
        // Named twice, or by two paths: still once each.
        let found = expand_paths(&[
            md.join("a.xml"),
            md.join("a.xml"),
            md.join("b-alias.xml"),
            outside.clone(),
            md.join("z-outside.xml"),
        ])
        .unwrap();
        assert_eq!(found, [md.join("a.xml"), outside]);
    }
}
