//! Measuring tchannel-rs: a load generator and the servers it is pointed at.
//!
//! - [`server`]: a Rust TChannel raw echo server (services `bench` and `interop`, endpoint
//!   `echo`) and the ceiling, a plain tokio echo over the same 16-byte-header framing with
//!   no TChannel logic.
//! - [`load`]: the load generator: C connections, N calls in flight on each, a payload size,
//!   a warmup and a measured duration; latencies go into an HDR histogram.
//! - [`compare`]: starts the Rust server, the plain echo server and the tchannel-node server
//!   as child processes and runs the same load against each, then prints a Markdown table.
//! - [`soak`]: a million raw calls with unique bodies, each answer checked against its
//!   request, RSS of both sides sampled, optionally with the server killed and restarted
//!   during the run; `RELIABILITY.md` has the commands and the figures.
//!
//! The `tchannel-bench` binary wraps these; `BENCHMARKS.md` at the workspace root has the
//! commands and the numbers.
#![deny(missing_docs)]

pub mod compare;
pub mod framing;
pub mod load;
pub mod server;
pub mod soak;
pub mod stats;
