//! Verifies one Response many times in a loop, for profilers that count instructions:
//!
//! ```text
//! CARGO_PROFILE_RELEASE_STRIP=false CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
//!   cargo build --release --example verify_loop
//! valgrind --tool=callgrind target/release/examples/verify_loop RESPONSE METADATA ORG NOW [N]
//! ```
//!
//! Instruction counts do not depend on what else the machine runs, so they compare changes on a
//! busy machine where criterion's wall-clock figures would not.

use samlcheck::checks::response::{verify_response, VerifyOptions};

// The allocator of the samlcheck binary (src/main.rs), so profiles show the binary's costs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use samlcheck::saml::metadata::IdpMetadata;
use samlcheck::sp::SpProfile;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 5 {
        eprintln!("usage: verify_loop RESPONSE METADATA ORG NOW [N]");
        std::process::exit(2);
    }
    let response = std::fs::read(&args[1]).expect("read the response");
    let metadata = std::fs::read(&args[2]).expect("read the metadata");
    let idp = IdpMetadata::parse(&metadata, None).expect("parse the metadata");
    let sp = SpProfile::for_org("https://sentry.io", &args[3]);
    let now = time::OffsetDateTime::parse(&args[4], &time::format_description::well_known::Rfc3339)
        .expect("NOW is RFC 3339");
    let options = VerifyOptions::at(now);
    let n: usize = args
        .get(5)
        .map_or(1000, |n| n.parse().expect("N is a number"));
    let mut accepted = 0;
    for _ in 0..n {
        accepted += usize::from(verify_response(&response, &idp, &sp, &options).accepted);
    }
    println!("{accepted}/{n} accepted");
}
