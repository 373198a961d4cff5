//! The `samlcheck` binary: parse arguments, run the command, exit with its code.
#![forbid(unsafe_code)]

use clap::Parser;

fn main() {
    let cli = samlcheck::cli::Cli::parse();
    std::process::exit(samlcheck::cli::run(cli));
}
