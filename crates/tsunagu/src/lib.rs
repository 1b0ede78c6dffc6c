//! The `tsunagu` binary's library: configuration, running the server, demo data and the
//! benchmark. `main.rs` is only the command line over it.
#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

pub mod backup;
pub mod bench;
pub mod bench_checkins;
pub mod config;
pub mod demo;
pub mod generate;
pub mod server;
