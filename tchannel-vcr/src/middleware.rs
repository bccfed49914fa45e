//! The cassette on a channel: an outbound middleware that replays without calling the rest
//! of the chain (so no connection is opened), or lets the call through and records it.

use crate::cassette::{Cassette, Decision, Shared, UnmatchedRequest};
use crate::model::{ArgScheme, RecordedRequest, RecordedResponse};
use bytes::Bytes;
use std::sync::Arc;
use tchannel_runtime::frame::TransportHeaders;
use tchannel_runtime::middleware::{
    BoxFuture, OutboundMiddleware, OutboundNext, OutboundRequest, OutboundResponse,
};
use tchannel_runtime::{ChannelBuilder, Error, ErrorCode, TChannel};

/// Whether `err` is a cassette's refusal of a call it has no recording for: the call fails
/// with [`ErrorCode::Unexpected`], the [`UnmatchedRequest`] report as its message and the
/// report itself as its typed [source](std::error::Error::source) ([`unmatched_request`]).
/// An error whose message only reads the same (a server behind its own cassette, a
/// recorded error replayed) is not one.
///
/// ```
/// use tchannel_runtime::{Error, ErrorCode};
/// assert!(!tchannel_vcr::is_unmatched(&Error::from_code(ErrorCode::Busy, "busy")));
/// ```
pub fn is_unmatched(err: &Error) -> bool {
    unmatched_request(err).is_some()
}

/// The report of a call a cassette refused ([`is_unmatched`]): the request, the nearest
/// recorded candidates and what differed.
///
/// ```
/// use tchannel_runtime::{Raw, TChannel};
/// use tchannel_vcr::{use_cassette, RecordMode};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("c.yaml");
/// std::fs::write(&path, "interactions: []\nversion: 1\n").unwrap();
/// let cassette = use_cassette(&path, RecordMode::None).unwrap();
/// let channel = cassette.channel_builder("test").known_peers(["127.0.0.1:1"]).build();
/// let err = channel.raw("kv", "get").await.unwrap_err();
/// let report = tchannel_vcr::unmatched_request(&err).expect("refused by the cassette");
/// assert_eq!(report.request.endpoint, "get");
/// assert!(report.candidates.is_empty());
/// # }
/// ```
pub fn unmatched_request(err: &Error) -> Option<&UnmatchedRequest> {
    std::error::Error::source(err)?.downcast_ref::<UnmatchedRequest>()
}

/// The outbound middleware of a [`Cassette`]: put it on a channel with
/// [`ChannelBuilder::outbound`]. Clones share the cassette.
///
/// ```
/// use tchannel_runtime::TChannel;
/// use tchannel_vcr::{use_cassette, RecordMode};
/// let dir = tempfile::tempdir().unwrap();
/// let cassette = use_cassette(dir.path().join("c.yaml"), RecordMode::Once).unwrap();
/// let channel = TChannel::builder("my-test")
///     .known_peers(["127.0.0.1:4040"])
///     .outbound(cassette.middleware())
///     .build();
/// # let _ = channel;
/// ```
#[derive(Clone)]
pub struct VcrMiddleware {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for VcrMiddleware {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VcrMiddleware")
            .field("cassette", &self.shared.path)
            .finish()
    }
}

impl Cassette {
    /// The middleware that replays and records this cassette's calls.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// let cassette = tchannel_vcr::use_cassette(dir.path().join("c.yaml"), Default::default()).unwrap();
    /// let channel = tchannel_runtime::TChannel::builder("t").outbound(cassette.middleware()).build();
    /// # let _ = channel;
    /// ```
    pub fn middleware(&self) -> VcrMiddleware {
        VcrMiddleware {
            shared: self.shared.clone(),
        }
    }

    /// A channel builder for `service` with this cassette's middleware as its first
    /// (outermost) layer: add known peers, more layers, and build.
    ///
    /// ```
    /// use tchannel_vcr::{use_cassette, RecordMode};
    /// let dir = tempfile::tempdir().unwrap();
    /// let cassette = use_cassette(dir.path().join("c.yaml"), RecordMode::Once).unwrap();
    /// let channel = cassette.channel_builder("my-test").known_peers(["127.0.0.1:4040"]).build();
    /// assert_eq!(channel.service(), "my-test");
    /// ```
    pub fn channel_builder(&self, service: impl Into<String>) -> ChannelBuilder {
        TChannel::builder(service).outbound(self.middleware())
    }

    /// A channel for `service` whose calls go through this cassette.
    ///
    /// ```
    /// use tchannel_vcr::{use_cassette, RecordMode};
    /// let dir = tempfile::tempdir().unwrap();
    /// let cassette = use_cassette(dir.path().join("c.yaml"), RecordMode::Once).unwrap();
    /// let channel = cassette.channel("my-test");
    /// assert!(channel.known_peers().is_empty());
    /// ```
    pub fn channel(&self, service: impl Into<String>) -> TChannel {
        self.channel_builder(service).build()
    }
}

/// What the call sent, as a cassette records it.
fn record_of(req: &OutboundRequest, known_peers: Vec<String>) -> RecordedRequest {
    RecordedRequest {
        service_name: req.service.to_string(),
        endpoint: req.endpoint.to_string(),
        headers: req.headers.clone(),
        body: req.body.clone(),
        host_port: req.options.get_hostport().unwrap_or_default().to_string(),
        arg_scheme: ArgScheme::from_name(req.scheme()).unwrap_or_default(),
        transport_headers: req
            .transport
            .iter()
            .map(|(k, v)| (Bytes::copy_from_slice(k), Bytes::copy_from_slice(v)))
            .collect(),
        known_peers,
    }
}

/// Error frames a remote sent, which are worth replaying; local failures (timeouts,
/// connection errors, no peer) depend on the moment and are not recorded.
fn is_remote_error(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::Cancelled
            | ErrorCode::Busy
            | ErrorCode::Declined
            | ErrorCode::Unexpected
            | ErrorCode::BadRequest
            | ErrorCode::Unhealthy
    )
}

impl OutboundMiddleware for VcrMiddleware {
    /// True: a streamed call is recorded and replayed as its whole args (the runtime makes
    /// it a whole call through [`call`](OutboundMiddleware::call); the cassette cannot tell
    /// it from one), and a replayed one gives the recorded arg2 and arg3 to the streaming
    /// caller, one piece each.
    fn whole_streams(&self) -> bool {
        true
    }

    fn call(
        &self,
        req: OutboundRequest,
        next: OutboundNext,
    ) -> BoxFuture<'static, Result<OutboundResponse, Error>> {
        let shared = self.shared.clone();
        Box::pin(async move {
            let recorded = record_of(&req, next.channel().known_peers());
            match shared.decide(&recorded) {
                Decision::Replay(res) => match res.error {
                    Some(e) => Err(e.to_error()),
                    None => {
                        let mut transport = TransportHeaders::new();
                        transport.insert("as", req.scheme().to_owned());
                        Ok(OutboundResponse {
                            ok: res.code == 0,
                            headers: res.headers,
                            body: res.body,
                            transport,
                        })
                    }
                },
                Decision::Refuse(unmatched) => Err(Error::from_code(
                    ErrorCode::Unexpected,
                    unmatched.to_string(),
                )
                .with_source(unmatched)),
                Decision::Record => {
                    let result = next.run(req).await;
                    match &result {
                        Ok(res) => shared.record(
                            recorded,
                            RecordedResponse {
                                code: if res.ok { 0 } else { 1 },
                                headers: res.headers.clone(),
                                body: res.body.clone(),
                                error: None,
                            },
                        ),
                        Err(e) => {
                            if let Some(code) = e.code().filter(|c| is_remote_error(*c)) {
                                shared.record(recorded, RecordedResponse::error(code, e.message()));
                            }
                        }
                    }
                    result
                }
            }
        })
    }
}
