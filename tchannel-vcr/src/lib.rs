//! Record and replay TChannel calls in tests: tchannel-python's `tchannel.testing.vcr`, for
//! Rust, reading and writing the same YAML cassettes.
//!
//! A test opens a cassette with [`use_cassette`] and makes its calls through a channel with
//! the cassette's middleware on it ([`Cassette::channel`]). The first run, against the real
//! service, records each call and what came back into the cassette; later runs replay those
//! responses without opening a connection, through the same client code (raw, json, thrift
//! and generated Thrift clients, async and blocking).
//!
//! - [`RecordMode`]: `once` (the default), `new_episodes`, `none`, `all`, as in
//!   tchannel-python.
//! - [`Matcher`]: which request attributes must be equal for a recorded response to be
//!   replayed; [`Matcher::DEFAULT`] as in tchannel-python.
//! - Streamed calls ([`TChannel::stream`](tchannel_runtime::TChannel::stream)) are recorded
//!   and replayed as their whole args, in the same YAML as a whole call: the middleware asks
//!   the runtime to make them whole calls
//!   ([`whole_streams`](tchannel_runtime::middleware::OutboundMiddleware::whole_streams)).
//! - An unmatched call in a mode that refuses new ones fails with the request, the nearest
//!   recorded candidates and what differed ([`UnmatchedRequest`]); a bad cassette is a
//!   [`VcrError`] naming the file.
//!
//! The format is tchannel-python 2.1.0's (`version: 1`, the fields of its `proxy.thrift`,
//! bytes as `!!binary`). One extension: an error frame is recorded too (tchannel-python
//! records nothing for it), as a response with an extra `error: {code, message}` that
//! tchannel-python ignores ([`RecordedError`]).
//!
//! See the README's "Record and replay (VCR)" section for a complete test.
#![deny(missing_docs)]

mod cassette;
mod error;
mod matcher;
mod middleware;
mod model;
mod yaml;

pub use cassette::{
    cassette_yaml, read_cassette, use_cassette, Candidate, Cassette, CassetteBuilder, Difference,
    UnmatchedRequest,
};
pub use error::{VcrError, VcrErrorKind};
pub use matcher::{Matcher, RecordMode, UnknownName};
pub use middleware::{is_unmatched, unmatched_request, VcrMiddleware};
pub use model::{
    ArgScheme, Interaction, RecordedError, RecordedRequest, RecordedResponse, FORMAT_VERSION,
};
