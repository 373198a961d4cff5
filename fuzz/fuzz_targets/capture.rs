//! HAR and SAML-tracer import on arbitrary bytes: a capture or a located error, never a panic;
//! every capture that reads goes through message extraction, the timeline and redaction too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlcheck::saml::capture::{self, redact::Redactor, timeline, timeline::TimelineContext};

fuzz_target!(|data: &[u8]| {
    let Ok(c) = capture::read(data) else {
        return;
    };
    let _ = capture::messages::extract(&c);
    let t = timeline::build(&c, &TimelineContext::default());
    let _ = t.render_text();
    let _ = Redactor::new().redact_file(data);
});
