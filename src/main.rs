//! The `snnc` binary: parses arguments and hands over to [`snnc::cli`]; besides that it only
//! chooses the allocator.

use clap::Parser;

/// jemalloc, configured at build time with `thp:always` (.cargo/config.toml): large synapse
/// and state arrays are faulted in 2 MiB transparent huge pages rather than 4 KiB pages. With
/// the C library's allocator, building CUBA at N = 32,000 spends 0.05-0.07 s (of a 0.53 s run)
/// in the kernel's page-fault handler for its 164 MB of synapse indices. Library users keep
/// their own allocator.
#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let cli = snnc::cli::Cli::parse();
    std::process::exit(snnc::cli::main_with(cli));
}
