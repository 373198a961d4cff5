//! The `samlcheck` binary: parse arguments, run the command, exit with its code.
#![forbid(unsafe_code)]

use clap::Parser;

// glibc's malloc spent about 6% of a verification freeing and consolidating the document's
// buffers; mimalloc does not (benches/verify.rs uses the same allocator, so it times this binary).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = samlcheck::cli::Cli::parse();
    std::process::exit(samlcheck::cli::run(cli));
}
