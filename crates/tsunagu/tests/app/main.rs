//! The server's tests over HTTP, in one test binary (one link instead of seven). Each
//! test starts its own server (`support::Server`), in this process unless it must kill
//! or restart a real one. Run one part with e.g. `cargo test -p tsunagu --test app disclosure::`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

mod accessibility;
mod audit;
mod billing;
mod closing;
mod console;
mod disclosure;
mod display;
mod email;
mod factors;
mod follow_up;
mod hiring;
mod http;
mod incidents;
mod jobs;
mod journeys;
mod messages;
mod newcomer;
mod policies;
mod profiles;
mod retention;
mod rights;
mod selection;
mod staff;
mod statistics;
mod strict;
