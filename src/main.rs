//! The `snnc` binary: parses arguments and hands over to [`snnc::cli`]; nothing else.

use clap::Parser;

fn main() {
    let cli = snnc::cli::Cli::parse();
    std::process::exit(snnc::cli::main_with(cli));
}
