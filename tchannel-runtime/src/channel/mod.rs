//! The channel: tchannel-python's `TChannel(name)` in async Rust.
//!
//! A channel has a service name, optionally listens, holds handlers by endpoint, knows
//! peers, and makes calls. Everything a call does passes through two functions, one per
//! direction: [`ChannelInner::send`] for outbound calls and [`dispatch`](handler::dispatch)
//! for inbound ones. Later layers (middleware, tracing, record/replay) wrap those.

mod call;
pub mod chooser;
mod handler;
mod health;
mod introspect;
mod limits;
mod peers;
mod stream;
mod sub;
#[cfg(test)]
mod tests;
mod thrift;
mod typed;
mod whole;

pub(crate) use crate::call::CallOptions;
pub use call::Call;
pub use handler::{HandlerError, Request, Response};
pub use health::{HealthCheck, PeerHealth};
pub use introspect::{INTROSPECT_ENDPOINT, INTROSPECT_MAX_LISTED};
pub use stream::{
    Arg3Reader, Arg3Writer, ArgStream, RequestWriter, ResponseFuture, ResponseWriter, StreamCall,
    StreamingRequest, StreamingResponse,
};
pub use sub::SubChannel;
#[allow(deprecated)] // `ResponseHeaders`, kept for old callers
pub use thrift::{ResponseHeaders, ThriftClient};
pub use typed::ApplicationError;

use crate::addr::IntoHostPort;
use crate::checksum::ChecksumType;
use crate::connection::{
    BoxFuture, ConnConfig, Connection, Dispatch, InboundCall, LocalInfo, OutgoingResponse,
};
use crate::error::{Error, Kind};
use crate::middleware::{InboundMiddleware, OutboundMiddleware};
use crate::scheme::{Json, Raw, Scheme};
use handler::{Handlers, Typed};
pub(crate) use peers::closed_error;
use peers::PeerList;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio::time::Instant;

/// Settings of a channel. Build one with [`TChannel::builder`].
#[derive(Debug, Clone)]
pub struct ChannelConfig {
    /// The `process_name` sent in the handshake. Default: `<binary>[<pid>]`.
    pub process_name: String,
    /// How long one connect attempt may take: the TCP connect, the TLS handshake (with the
    /// `tls` feature) and the init handshake together (and, accepting, how long a peer has
    /// for its TLS handshake, then as long again to send its init req). Default: 5 s.
    /// A call waits for a connection until its own deadline at most: calls with a shorter
    /// timeout fail with a timeout error first while the attempt they share goes on.
    pub init_timeout: Duration,
    /// The largest message (sum of the three args) accepted. Default: 16 MiB.
    pub max_message_size: usize,
    /// Timeout of calls that set none. Default: 30 s (tchannel-python's).
    pub default_timeout: Duration,
    /// Checksum sent on calls. Default: CRC-32C, as Node and Python send.
    pub checksum: ChecksumType,
    /// Retries after the first attempt, on other peers. Default: 4 (tchannel-python's).
    pub retry_limit: u32,

    // Per-connection limits against hostile or broken peers (see the builder methods of the
    // same names, and "Limits" in the README).
    /// Inbound calls in flight on one connection (running, or still arriving). Default: 4,096.
    pub max_inbound_calls: usize,
    /// Inbound requests on one connection whose first frame has arrived and whose last has
    /// not. Default: 128.
    pub max_partial_requests: usize,
    /// Bytes of args held by inbound calls on one connection (arriving, or waiting for their
    /// handler). Default: 64 MiB.
    pub max_inbound_bytes: usize,
    /// Bytes of frames waiting in one connection's writer queue. Default: 4 MiB.
    pub max_write_queue: usize,

    // Overload protection and retries (issue 14; see the builder methods of the same names
    // and "Limits" in the README).
    /// Inbound calls in flight on the whole channel, every connection and service together;
    /// past it a call is answered Busy. Default: none.
    pub max_channel_inbound_calls: Option<usize>,
    /// Inbound calls in flight per service name; past it a call is answered Busy. Default:
    /// none.
    pub max_service_inbound_calls: std::collections::HashMap<String, usize>,
    /// Calls outstanding on one peer; a peer at the limit is not chosen. Default: none.
    pub max_pending_per_peer: Option<usize>,
    /// The share of calls that may be retried. Default: 20% plus 10 a second
    /// ([`RetryBudget::default`](crate::RetryBudget)); `None`: no budget.
    pub retry_budget: Option<crate::RetryBudget>,
    /// The wait before each retry. Default: up to 5 ms, doubling, at most 100 ms, with full
    /// jitter ([`Backoff::default`](crate::Backoff)).
    pub retry_backoff: crate::Backoff,
    // Health checks and the idle sweep (see the builder methods of the same names, and
    // "Health checks and idle connections" in the README).
    /// Periodic pings on each outbound connection. Default: none.
    pub health_check: Option<HealthCheck>,
    /// A connection with no call in flight either way for this long is closed gracefully.
    /// Default: none (kept until the peer or the channel closes it).
    pub max_idle_time: Option<Duration>,
    /// How often idle connections are looked for (with `max_idle_time`). Default: 10 s.
    pub idle_check_interval: Duration,
}

impl Default for ChannelConfig {
    fn default() -> Self {
        let exe = std::env::current_exe()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "rust".into());
        ChannelConfig {
            process_name: format!("{exe}[{}]", std::process::id()),
            init_timeout: Duration::from_secs(5),
            max_message_size: 16 * 1024 * 1024,
            default_timeout: Duration::from_secs(30),
            checksum: ChecksumType::Crc32c,
            retry_limit: 4,
            max_inbound_calls: 4096,
            max_partial_requests: 128,
            max_inbound_bytes: 64 * 1024 * 1024,
            max_write_queue: 4 * 1024 * 1024,
            max_channel_inbound_calls: None,
            max_service_inbound_calls: Default::default(),
            max_pending_per_peer: None,
            retry_budget: Some(crate::RetryBudget::default()),
            retry_backoff: crate::Backoff::default(),
            health_check: None,
            max_idle_time: None,
            idle_check_interval: Duration::from_secs(10),
        }
    }
}

/// Builds a [`TChannel`].
///
/// ```
/// use std::time::Duration;
/// use tchannel_runtime::TChannel;
/// let ch = TChannel::builder("my-service")
///     .known_peers(["127.0.0.1:4040"])
///     .default_timeout(Duration::from_secs(2))
///     .build();
/// assert_eq!(ch.service(), "my-service");
/// assert_eq!(ch.known_peers(), vec!["127.0.0.1:4040".to_string()]);
/// ```
pub struct ChannelBuilder {
    service: String,
    config: ChannelConfig,
    known_peers: Vec<String>,
    outbound: Vec<Arc<dyn OutboundMiddleware>>,
    inbound: Vec<Arc<dyn InboundMiddleware>>,
    sampler: crate::trace::Sampler,
    stats: Option<Arc<dyn crate::reporter::StatsReporter>>,
    introspection: bool,
    chooser: Option<Arc<dyn chooser::PeerChooser>>,
    #[cfg(feature = "tls")]
    tls: crate::tls::Tls,
}

impl std::fmt::Debug for ChannelBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChannelBuilder")
            .field("service", &self.service)
            .field("config", &self.config)
            .field("known_peers", &self.known_peers)
            .field("outbound_layers", &self.outbound.len())
            .field("inbound_layers", &self.inbound.len())
            .finish()
    }
}

impl ChannelBuilder {
    /// Peers that calls by service name may use: `host:port` strings, [`SocketAddr`]s or
    /// `(host, port)` pairs ([`IntoHostPort`]).
    pub fn known_peers<I, S>(mut self, peers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: IntoHostPort,
    {
        self.known_peers
            .extend(peers.into_iter().map(IntoHostPort::into_host_port));
        self
    }
    /// The `process_name` sent in the handshake.
    pub fn process_name(mut self, name: impl Into<String>) -> Self {
        self.config.process_name = name.into();
        self
    }
    /// Timeout of calls that set none.
    pub fn default_timeout(mut self, t: Duration) -> Self {
        self.config.default_timeout = t;
        self
    }
    /// How long one connect attempt (TCP connect and init handshake) may take; see
    /// [`ChannelConfig::init_timeout`].
    pub fn init_timeout(mut self, t: Duration) -> Self {
        self.config.init_timeout = t;
        self
    }
    /// The largest message accepted, in bytes.
    pub fn max_message_size(mut self, n: usize) -> Self {
        self.config.max_message_size = n;
        self
    }
    /// Checksum type sent on calls.
    pub fn checksum(mut self, c: ChecksumType) -> Self {
        self.config.checksum = c;
        self
    }
    /// Retries after the first attempt, each on a peer not tried yet. Default: 4. A retry is
    /// also made only if the [`retry_budget`](Self::retry_budget) allows it, after the
    /// [`retry_backoff`](Self::retry_backoff) wait.
    pub fn retry_limit(mut self, n: u32) -> Self {
        self.config.retry_limit = n;
        self
    }

    // Per-connection limits (also listed under "Limits" in the README).

    /// The most inbound calls one connection may have in flight: calls whose handler is
    /// running, streamed requests, and requests still arriving. Default: 4,096 (at about
    /// 1 KiB of state per call, a few MiB per connection; the calls' args are bounded by
    /// [`max_inbound_bytes`](Self::max_inbound_bytes)).
    ///
    /// A call req that arrives when the limit is reached is answered at once with a Busy
    /// error frame (`ErrorCode::Busy`; a tchannel-rs caller sees
    /// [`Error::is_busy`](crate::Error::is_busy)) and is never run; the calls already
    /// admitted, and the connection, are not affected. Busy is safe to retry on another peer.
    /// Values below 1 are taken as 1.
    ///
    /// ```
    /// let ch = tchannel_runtime::TChannel::builder("svc").max_inbound_calls(10_000).build();
    /// # let _ = ch;
    /// ```
    pub fn max_inbound_calls(mut self, n: usize) -> Self {
        self.config.max_inbound_calls = n.max(1);
        self
    }
    /// The most inbound requests one connection may have partly received (first frame in,
    /// last frame not yet). Default: 128. Each holds what has arrived of its args, up to
    /// [`max_message_size`](Self::max_message_size).
    ///
    /// A request whose first frame would go past the limit is answered at once with a Busy
    /// error frame and its later frames are dropped. Separately, a partly received request
    /// whose ttl passes before its last frame arrives is dropped and answered with a Timeout
    /// error frame. Values below 1 are taken as 1.
    ///
    /// ```
    /// let ch = tchannel_runtime::TChannel::builder("svc").max_partial_requests(16).build();
    /// # let _ = ch;
    /// ```
    pub fn max_partial_requests(mut self, n: usize) -> Self {
        self.config.max_partial_requests = n.max(1);
        self
    }
    /// The most bytes of args that inbound calls on one connection may hold: requests still
    /// arriving, and requests whose handler waits in its own task. Default: 64 MiB; never less
    /// than [`max_message_size`](Self::max_message_size), so that one message of the largest
    /// size is always accepted.
    ///
    /// A call req whose first frame would go past the limit is answered at once with a Busy
    /// error frame; a request still arriving whose next frame would go past it is dropped and
    /// answered Busy (its later frames are dropped). Calls already admitted are not affected.
    ///
    /// ```
    /// let ch = tchannel_runtime::TChannel::builder("svc")
    ///     .max_inbound_bytes(256 * 1024 * 1024)
    ///     .build();
    /// # let _ = ch;
    /// ```
    pub fn max_inbound_bytes(mut self, bytes: usize) -> Self {
        self.config.max_inbound_bytes = bytes;
        self
    }
    /// The most bytes of frames (args plus a small per-frame allowance) that may wait in one
    /// connection's writer queue for the socket. Default: 4 MiB.
    ///
    /// When the answers queued for a peer (responses, error frames, ping responses) pass the
    /// limit, the connection stops reading that peer's frames until the queue drains below
    /// it: a peer that sends calls and never reads the answers is held back by TCP, and the
    /// server's memory for it stays near this limit while its other connections are served.
    /// A local call on a connection whose queue is over the limit waits for room until its
    /// deadline (then fails with a timeout, [`Error::is_timeout`](crate::Error::is_timeout)).
    /// The limit is soft by at most the responses of the handlers already running
    /// (see [`max_inbound_calls`](Self::max_inbound_calls)). Values below 64 KiB are taken
    /// as 64 KiB.
    ///
    /// ```
    /// let ch = tchannel_runtime::TChannel::builder("svc")
    ///     .max_write_queue(16 * 1024 * 1024)
    ///     .build();
    /// # let _ = ch;
    /// ```
    pub fn max_write_queue(mut self, bytes: usize) -> Self {
        self.config.max_write_queue = bytes.max(64 * 1024);
        self
    }
    // Overload protection and retries (also under "Limits" in the README).

    /// The most inbound calls the whole channel may have in flight, over all its
    /// connections and services (load shedding, as tchannel-node's `toobusy`). Default: no
    /// limit.
    ///
    /// A call that arrives when the limit is reached is answered at once with a Busy error
    /// frame, before its handler runs; the caller sees
    /// [`Error::is_busy`](crate::Error::is_busy), and a tchannel caller (any language)
    /// retries it on another peer. Calls already admitted are not affected. A whole call
    /// counts from its last frame's arrival until its answer is queued (or it is cancelled or
    /// times out); a call to a streaming handler from its first frame's arrival until the
    /// handler's future ends (or is dropped: deadline, cancel, its connection closing).
    /// Values below 1 are taken as 1.
    ///
    /// ```
    /// let ch = tchannel_runtime::TChannel::builder("svc").max_channel_inbound_calls(512).build();
    /// assert_eq!(ch.config().max_channel_inbound_calls, Some(512));
    /// ```
    pub fn max_channel_inbound_calls(mut self, n: usize) -> Self {
        self.config.max_channel_inbound_calls = Some(n.max(1));
        self
    }
    /// The most inbound calls to `service` (one of the names this channel serves) that may
    /// be in flight at once; past it a call is answered Busy at once, as for
    /// [`max_channel_inbound_calls`](Self::max_channel_inbound_calls), which applies too.
    /// Default: no limit. Set it once per service; values below 1 are taken as 1.
    ///
    /// ```
    /// let ch = tchannel_runtime::TChannel::builder("svc")
    ///     .max_service_inbound_calls("svc", 100)
    ///     .max_service_inbound_calls("reports", 4)
    ///     .build();
    /// assert_eq!(ch.config().max_service_inbound_calls["reports"], 4);
    /// ```
    pub fn max_service_inbound_calls(mut self, service: impl Into<String>, n: usize) -> Self {
        self.config
            .max_service_inbound_calls
            .insert(service.into(), n.max(1));
        self
    }
    /// The most calls this channel may have outstanding on one peer (connecting, queued or
    /// waiting for the answer). Default: no limit.
    ///
    /// A peer at the limit is not offered to the [`peer_chooser`](Self::peer_chooser), so
    /// load moves to the others. When every peer the call may go to is at the limit, the
    /// call fails at once (it does not wait) with a Busy error
    /// ([`Error::is_busy`](crate::Error::is_busy), no peer named) whose message names the
    /// limit; a call with a fixed [`hostport`](crate::CallOptions::hostport) fails so when
    /// that peer is at it. Nothing is sent. Calls that choose at the same instant may pass
    /// the limit by the few that raced. Values below 1 are taken as 1.
    ///
    /// ```
    /// let ch = tchannel_runtime::TChannel::builder("client")
    ///     .known_peers(["127.0.0.1:4040", "127.0.0.1:4041"])
    ///     .max_pending_per_peer(200)
    ///     .build();
    /// assert_eq!(ch.config().max_pending_per_peer, Some(200));
    /// ```
    pub fn max_pending_per_peer(mut self, n: usize) -> Self {
        self.config.max_pending_per_peer = Some(n.max(1));
        self
    }
    /// How a peer is chosen for calls by service name. Default:
    /// [`LeastPending`](crate::chooser::LeastPending); the runtime also has
    /// [`PowerOfTwo`](crate::chooser::PowerOfTwo) and [`Rendezvous`](crate::chooser::Rendezvous)
    /// (on the shard key), or implement [`PeerChooser`](crate::chooser::PeerChooser).
    ///
    /// ```
    /// use tchannel_runtime::chooser::Rendezvous;
    /// let ch = tchannel_runtime::TChannel::builder("client")
    ///     .known_peers(["127.0.0.1:4040", "127.0.0.1:4041"])
    ///     .peer_chooser(Rendezvous::default())
    ///     .build();
    /// # let _ = ch;
    /// ```
    pub fn peer_chooser(mut self, chooser: impl chooser::PeerChooser) -> Self {
        self.chooser = Some(Arc::new(chooser));
        self
    }
    /// The channel's retry budget: retries are at most a share of its calls, so that when
    /// every peer fails, retries do not multiply the load (see
    /// [`RetryBudget`](crate::RetryBudget)). Default: [`RetryBudget::default`]
    /// (20% of calls, plus 10 retries a second, at most 100 saved up).
    ///
    /// A call whose retry the budget refuses fails with the error of its last attempt (a
    /// Busy from the peer, say), as when its retry limit is reached.
    ///
    /// [`RetryBudget::default`]: crate::RetryBudget
    ///
    /// ```
    /// use tchannel_runtime::RetryBudget;
    /// let ch = tchannel_runtime::TChannel::builder("client")
    ///     .retry_budget(RetryBudget::new(0.1).min_per_sec(1))
    ///     .build();
    /// # let _ = ch;
    /// ```
    pub fn retry_budget(mut self, budget: crate::RetryBudget) -> Self {
        self.config.retry_budget = Some(budget);
        self
    }
    /// No retry budget: every call retries up to its retry limit, as before budgets.
    pub fn no_retry_budget(mut self) -> Self {
        self.config.retry_budget = None;
        self
    }
    /// The wait before each retry: exponential backoff with full jitter, never more than
    /// half of what is left of the call's timeout (see [`Backoff`](crate::Backoff)).
    /// Default: [`Backoff::default`](crate::Backoff) (up to 5 ms before the first retry,
    /// doubling, at most 100 ms); [`Backoff::none`](crate::Backoff::none) retries at once.
    ///
    /// ```
    /// use std::time::Duration;
    /// use tchannel_runtime::Backoff;
    /// let ch = tchannel_runtime::TChannel::builder("client")
    ///     .retry_backoff(Backoff::new(Duration::from_millis(20), Duration::from_secs(1)))
    ///     .build();
    /// # let _ = ch;
    /// ```
    pub fn retry_backoff(mut self, backoff: crate::Backoff) -> Self {
        self.config.retry_backoff = backoff;
        self
    }

    /// Pings each outbound connection every `check.interval` (tchannel-go's
    /// `HealthCheckOptions`). Default: no health check.
    ///
    /// A ping not answered within `check.timeout` (or failing) makes the connection suspect
    /// ([`PeerHealth::Suspect`] in [`TChannel::peer_health`] while all of the peer's
    /// connections are); an answer makes it healthy again. After `check.failures_to_close`
    /// failures in a row the connection is closed: its calls in flight fail with a network
    /// error ([`Error::is_network`](crate::Error::is_network)), retried on another peer as
    /// usual, and the next call to the peer connects anew.
    ///
    /// tchannel-python never answers ping. So that a working connection to it is not
    /// killed, failures close a connection only once its peer has answered a ping, unless
    /// `check.close_unanswered` is set: a peer that has never answered stays suspect.
    /// Connections the peers opened to this channel are not pinged.
    ///
    /// A ping waits behind the frames already queued on the connection: give `timeout`
    /// room for the largest writes the channel makes. An `interval` or `timeout` below 1 ms
    /// is taken as 1 ms, a `failures_to_close` of 0 as 1.
    ///
    /// ```
    /// use std::time::Duration;
    /// use tchannel_runtime::{HealthCheck, TChannel};
    /// let ch = TChannel::builder("client")
    ///     .health_check(HealthCheck {
    ///         interval: Duration::from_secs(1),
    ///         timeout: Duration::from_millis(500),
    ///         failures_to_close: 3,
    ///         close_unanswered: false,
    ///     })
    ///     .build();
    /// assert_eq!(ch.config().health_check.unwrap().failures_to_close, 3);
    /// ```
    pub fn health_check(mut self, mut check: HealthCheck) -> Self {
        let ms = Duration::from_millis(1);
        check.interval = check.interval.max(ms);
        check.timeout = check.timeout.max(ms);
        check.failures_to_close = check.failures_to_close.max(1);
        self.config.health_check = Some(check);
        self
    }

    /// Closes a connection, either direction, that has had no call in flight either way
    /// for `d` (tchannel-go's `MaxIdleTime`). Default: none, connections are kept.
    ///
    /// Connections are looked at every [`idle_check_interval`](Self::idle_check_interval),
    /// so one closes between `d` and `d` plus that interval after its last call ended.
    /// Pings do not count as calls. The close is graceful: new inbound calls are declined
    /// and one that began at that moment is let finish. A caller sees nothing: the next
    /// call to the peer connects anew.
    ///
    /// ```
    /// use std::time::Duration;
    /// let ch = tchannel_runtime::TChannel::builder("client")
    ///     .max_idle_time(Duration::from_secs(300))
    ///     .idle_check_interval(Duration::from_secs(30))
    ///     .build();
    /// assert_eq!(ch.config().max_idle_time, Some(Duration::from_secs(300)));
    /// ```
    pub fn max_idle_time(mut self, d: Duration) -> Self {
        self.config.max_idle_time = Some(d);
        self
    }

    /// How often the channel looks for connections idle past
    /// [`max_idle_time`](Self::max_idle_time) (tchannel-go's `IdleCheckInterval`). Default:
    /// 10 s. Values below 1 ms are taken as 1 ms.
    pub fn idle_check_interval(mut self, d: Duration) -> Self {
        self.config.idle_check_interval = d.max(Duration::from_millis(1));
        self
    }
    /// Adds a layer around every outbound call (see [`middleware`](crate::middleware)).
    /// Layers run in the order added: the first added is the outermost, sees the request
    /// first and the response last.
    ///
    /// ```
    /// use tchannel_runtime::middleware::{OutboundNext, OutboundRequest};
    /// use tchannel_runtime::TChannel;
    /// let ch = TChannel::builder("client")
    ///     .outbound(|mut req: OutboundRequest, next: OutboundNext| {
    ///         req.transport.insert("sk", "tenant-7");
    ///         next.run(req)
    ///     })
    ///     .build();
    /// # let _ = ch;
    /// ```
    pub fn outbound(mut self, layer: impl OutboundMiddleware) -> Self {
        self.outbound.push(Arc::new(layer));
        self
    }
    /// Adds a layer around every inbound call, before the handler is found and its scheme
    /// decodes the args (see [`middleware`](crate::middleware)). The first added is the
    /// outermost.
    ///
    /// ```
    /// use tchannel_runtime::middleware::{InboundNext, InboundRequest};
    /// use tchannel_runtime::TChannel;
    /// let ch = TChannel::builder("server")
    ///     .inbound(|req: InboundRequest, next: InboundNext| async move {
    ///         let caller = req.transport.caller.clone();
    ///         let res = next.run(req).await;
    ///         println!("{caller}: {}", if res.is_ok() { "answered" } else { "failed" });
    ///         res
    ///     })
    ///     .build();
    /// # let _ = ch;
    /// ```
    pub fn inbound(mut self, layer: impl InboundMiddleware) -> Self {
        self.inbound.push(Arc::new(layer));
        self
    }
    /// Gives `reporter` the metrics the channel reports itself (attempts, retries,
    /// connections); `ChannelBuilder::stats` (in `stats.rs`, with the layer) calls it.
    pub(crate) fn reporter(mut self, reporter: Arc<dyn crate::reporter::StatsReporter>) -> Self {
        self.stats = Some(reporter);
        self
    }
    /// Whether new traces are sampled (flag `0x01` of the tracing field), as
    /// tchannel-python's `TChannel(trace=...)`. Default: true. Calls made while handling a
    /// request keep the inbound span's flag either way.
    ///
    /// ```
    /// let ch = tchannel_runtime::TChannel::builder("quiet").trace(false).build();
    /// # let _ = ch;
    /// ```
    pub fn trace(mut self, on: bool) -> Self {
        self.sampler.enabled = on;
        self
    }
    /// The share of new traces sampled when tracing is on, from 0.0 to 1.0. Default: 1.0.
    /// A rate of 0 or below samples nothing, 1 or above everything, and NaN nothing.
    ///
    /// ```
    /// let ch = tchannel_runtime::TChannel::builder("busy").trace_sample_rate(0.01).build();
    /// # let _ = ch;
    /// ```
    pub fn trace_sample_rate(mut self, rate: f64) -> Self {
        self.sampler.rate = rate;
        self
    }
    /// Serves [`TChannel::introspect`] to callers: the json endpoint
    /// [`INTROSPECT_ENDPOINT`] of the channel's service answers with the channel's
    /// connections, peers, endpoints and limits (tchannel-go's `_gometa_introspect`; Rust
    /// tcurl's `--introspect` prints it). Off by default, since anyone who can call the
    /// channel can then read them; the call goes through the inbound middleware like any
    /// other, so an auth layer guards it too.
    ///
    /// ```
    /// use serde_json::json;
    /// use tchannel_runtime::{TChannel, INTROSPECT_ENDPOINT};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tchannel_runtime::Error> {
    /// let server = TChannel::builder("kv").introspection(true).build();
    /// let addr = server.listen("127.0.0.1:0").await?;
    ///
    /// let client = TChannel::new("ops");
    /// let res = client
    ///     .json("kv", INTROSPECT_ENDPOINT)
    ///     .hostport(addr.to_string())
    ///     .body(json!({}))
    ///     .await?;
    /// assert_eq!(res.body["service"], "kv");
    /// assert_eq!(res.body["connections"][0]["direction"], "inbound");
    /// # Ok(()) }
    /// ```
    pub fn introspection(mut self, on: bool) -> Self {
        self.introspection = on;
        self
    }

    /// Listens over TLS with this rustls server config (the `tls` feature): every
    /// connection accepted by [`TChannel::listen`] runs a TLS handshake first, within the
    /// init timeout; a peer that fails it (one speaking plain TCP, say) has its connection
    /// closed, and the channel goes on serving the others. For mutual TLS, build the config
    /// with a client certificate verifier. See [`crate::tls`].
    ///
    /// ```no_run
    /// # use std::sync::Arc;
    /// # use tchannel_runtime::tls::rustls;
    /// # use tchannel_runtime::TChannel;
    /// # async fn run(config: rustls::ServerConfig) -> Result<(), tchannel_runtime::Error> {
    /// let server = TChannel::builder("kv").tls_server(Arc::new(config)).build();
    /// server.listen("127.0.0.1:0").await?;
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "tls")]
    pub fn tls_server(mut self, config: Arc<crate::tls::rustls::ServerConfig>) -> Self {
        self.tls.server = Some(config);
        self
    }

    /// Connects over TLS with this rustls client config (the `tls` feature): **every**
    /// connection the channel makes, to any peer (Hyperbahn included), is TLS; connections
    /// it accepted stay as they are. The server's certificate is checked against the host of
    /// the peer's `host:port`, or the name set with
    /// [`tls_server_name`](Self::tls_server_name). For mutual TLS, build the config with
    /// `with_client_auth_cert`. See [`crate::tls`].
    ///
    /// ```
    /// # use std::sync::Arc;
    /// use tchannel_runtime::tls::rustls;
    /// use tchannel_runtime::TChannel;
    /// let config = rustls::ClientConfig::builder()
    ///     .with_root_certificates(rustls::RootCertStore::empty())
    ///     .with_no_client_auth();
    /// let client = TChannel::builder("client")
    ///     .tls_client(Arc::new(config))
    ///     .tls_server_name("kv.internal")
    ///     .build();
    /// # let _ = client;
    /// ```
    #[cfg(feature = "tls")]
    pub fn tls_client(mut self, config: Arc<crate::tls::rustls::ClientConfig>) -> Self {
        self.tls.client = Some(config);
        self
    }

    /// The name every server's TLS certificate is checked against (a DNS name or an IP
    /// address), instead of the host of the peer's `host:port`: for peers known by address
    /// whose certificates name the service. A name that is not valid fails each connect
    /// with [`Error::is_bad_request`].
    #[cfg(feature = "tls")]
    pub fn tls_server_name(mut self, name: impl Into<String>) -> Self {
        self.tls.server_name = Some(name.into());
        self
    }

    /// The channel.
    pub fn build(self) -> TChannel {
        let stats = self
            .stats
            .map(|r| Arc::new(crate::reporter::ChannelStats::new(r, self.service.clone())));
        let limits = limits::InboundLimits::new(
            self.config.max_channel_inbound_calls,
            &self.config.max_service_inbound_calls,
        );
        let budget = self.config.retry_budget.map(crate::retry::Bucket::new);
        let peers = PeerList::new(
            stats.clone(),
            self.chooser,
            self.config.max_pending_per_peer,
        );
        let inner = Arc::new(ChannelInner {
            call_headers: call::prebuilt_headers(&self.service),
            service_bytes: bytes::Bytes::from(self.service.clone()),
            service: self.service,
            outbound: (!self.outbound.is_empty()).then(|| self.outbound.into()),
            inbound: (!self.inbound.is_empty()).then(|| self.inbound.into()),
            trace: self.sampler,
            local: RwLock::new(LocalInfo {
                listen: None,
                process_name: self.config.process_name.clone(),
            }),
            config: self.config,
            handlers: RwLock::new(Handlers::default()),
            peers,
            budget,
            limits,
            stats,
            listener: Mutex::new(None),
            health: Arc::default(),
            close_hook: Mutex::new(None),
            streams: Arc::default(),
            sweeping: Default::default(),
            #[cfg(feature = "tls")]
            tls: self.tls,
        });
        for p in &self.known_peers {
            inner.peers.add_known(p);
        }
        let ch = TChannel { inner };
        // Meta::health and friends, on the channel's own service and on `tchannel`.
        let meta = crate::meta::MetaServer::new(crate::meta::ChannelMeta(ch.inner.health.clone()));
        ch.register_service(meta.clone());
        ch.register_service_for("tchannel", meta);
        if self.introspection {
            introspect::serve(&ch);
        }
        ch
    }
}

/// A TChannel endpoint: serves handlers and makes calls.
///
/// Cloning is cheap and shares the channel. [`close`](TChannel::close) ends it for every
/// clone. Dropping the last clone without closing releases what the channel holds: the
/// listening socket (its port can be bound again), every connection (the peer sees it end;
/// calls in flight fail) and their tasks, connect attempts, and Hyperbahn re-advertising.
/// Only `close` is graceful: it lets calls finish and withdraws an advertisement.
///
/// ```
/// use bytes::Bytes;
/// use tchannel_runtime::{Raw, Response, TChannel};
///
/// # #[tokio::main] async fn main() -> Result<(), tchannel_runtime::Error> {
/// let server = TChannel::new("echo");
/// server.register("echo", Raw, |req| async move {
///     Ok(Response::new(req.body).with_headers(req.headers))
/// });
/// let addr = server.listen("127.0.0.1:0").await?;
///
/// let client = TChannel::new("client");
/// let res = client
///     .raw("echo", "echo")
///     .hostport(addr.to_string())
///     .body("hello")
///     .await?;
/// assert!(res.ok);
/// assert_eq!(res.body, Bytes::from("hello"));
/// # server.close().await; Ok(()) }
/// ```
#[derive(Clone)]
pub struct TChannel {
    inner: Arc<ChannelInner>,
}

/// Work that lives as long as the channel and must end with it: set by a layer above the
/// channel (Hyperbahn's advertising), so that the channel depends on none of them.
/// The channel is the end of every middleware chain.
impl crate::middleware::Terminal for ChannelInner {
    fn send(
        self: Arc<Self>,
        req: crate::middleware::OutboundRequest,
    ) -> crate::middleware::BoxFuture<'static, Result<crate::middleware::OutboundResponse, Error>>
    {
        Box::pin(self.send(req, true, false))
    }
    fn handle(
        self: Arc<Self>,
        req: crate::middleware::InboundRequest,
    ) -> crate::middleware::BoxFuture<'static, Result<crate::middleware::InboundResponse, Error>>
    {
        Box::pin(async move { ChannelInner::handle(&self, req).await })
    }
    fn as_any(self: Arc<Self>) -> Arc<dyn std::any::Any + Send + Sync> {
        self
    }
}

/// The channel a chain ends in. Chains are only started by a channel, so the end is one.
fn chain_channel(t: &Arc<dyn crate::middleware::Terminal>) -> TChannel {
    match t.clone().as_any().downcast::<ChannelInner>() {
        Ok(inner) => TChannel::from_inner(inner),
        Err(_) => unreachable!("a middleware chain ends in a channel"),
    }
}

impl crate::middleware::OutboundNext {
    /// The channel the call goes through (for its `service()`, `known_peers()`, ...).
    pub fn channel(&self) -> TChannel {
        chain_channel(self.terminal())
    }
}

impl crate::middleware::InboundNext {
    /// The channel serving the call.
    pub fn channel(&self) -> TChannel {
        chain_channel(self.terminal())
    }
}

pub(crate) trait CloseHook: Send + Sync + 'static {
    /// Stops at once: on drop, and first thing on close.
    fn stop(&self);
    /// Withdraws gracefully on `close_within`, before the connections drain (the channel's
    /// calls still work).
    fn withdraw<'a>(
        &'a self,
        channel: &'a Arc<ChannelInner>,
    ) -> crate::middleware::BoxFuture<'a, ()>;
}

pub(crate) struct ChannelInner {
    service: String,
    /// The service name as sent in `cn` (cloned without allocating).
    service_bytes: bytes::Bytes,
    /// The transport headers of a call that sets none of its own (`as`, `cn`, `re`, in the
    /// order `Call` sent them), built and validated once: by scheme and retry flags
    /// ([`call::prebuilt_index`]). `None` when the channel's name does not fit `cn` (each
    /// call then builds its headers and fails naming `cn`, as before).
    call_headers: Option<Box<[crate::frame::TransportHeaders]>>,
    /// Outbound middleware, outermost first; `None` when there is none (the fast path).
    outbound: Option<crate::middleware::OutboundChain>,
    /// Inbound middleware, outermost first; `None` when there is none.
    inbound: Option<crate::middleware::InboundChain>,
    /// Whether new traces are sampled.
    trace: crate::trace::Sampler,
    config: ChannelConfig,
    local: RwLock<LocalInfo>,
    handlers: RwLock<Handlers>,
    pub(crate) peers: PeerList,
    listener: Mutex<Option<(SocketAddr, tokio::task::JoinHandle<()>)>>,
    health: Arc<crate::meta::HealthCell>,
    /// What must end with the channel (Hyperbahn's advertisement): stopped on drop, withdrawn
    /// on `close_within`. A hook, so that the channel does not know what sits above it.
    pub(crate) close_hook: Mutex<Option<Arc<dyn CloseHook>>>,
    /// Where `send` and the connection code report; `None` without a reporter (one branch).
    pub(crate) stats: Option<Arc<crate::reporter::ChannelStats>>,
    /// Streaming handlers (`stream.rs`).
    streams: Arc<stream::StreamHandlers>,
    /// The retry budget's tokens; `None` without a budget.
    budget: Option<crate::retry::Bucket>,
    /// Limits on inbound calls in flight; `None` without any (nothing counted).
    limits: Option<Arc<limits::InboundLimits>>,
    /// The idle sweep has been started (with the first connection, inside the runtime).
    sweeping: std::sync::atomic::AtomicBool,
    /// What the channel listens and connects with over TLS (`tls.rs`).
    #[cfg(feature = "tls")]
    tls: crate::tls::Tls,
}

/// Inbound calls reach the channel through this, without keeping it alive.
struct Dispatcher(Weak<ChannelInner>, Arc<stream::StreamHandlers>);

impl Dispatch for Dispatcher {
    fn dispatch(&self, call: InboundCall) -> BoxFuture<Result<OutgoingResponse, Error>> {
        match self.0.upgrade() {
            Some(ch) => {
                let permit = match &ch.limits {
                    None => None,
                    Some(l) => match l.admit(&ch.service, &call.service) {
                        Ok(p) => Some(p),
                        Err(e) => return Box::pin(async move { Err(e) }),
                    },
                };
                let handlers = ch.handlers.read().unwrap_or_else(|p| p.into_inner());
                let fut = handler::dispatch(&ch, &handlers, call);
                match permit {
                    None => fut,
                    Some(permit) => limits::hold(permit, fut),
                }
            }
            None => Box::pin(async {
                Err(Error::from_code(
                    crate::ErrorCode::Declined,
                    "channel closed",
                ))
            }),
        }
    }

    fn has_streaming(&self) -> bool {
        self.1.any()
    }

    fn stream_handler(
        &self,
        service: &[u8],
        endpoint: &[u8],
    ) -> Option<crate::connection::StreamHandler> {
        self.1.find(service, endpoint)
    }
}

impl std::fmt::Debug for TChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TChannel")
            .field("service", &self.inner.service)
            .field("hostport", &self.hostport())
            .finish()
    }
}

impl TChannel {
    /// A channel for `service` with default settings.
    pub fn new(service: impl Into<String>) -> Self {
        Self::builder(service).build()
    }

    /// A builder for a channel for `service`.
    pub fn builder(service: impl Into<String>) -> ChannelBuilder {
        ChannelBuilder {
            service: service.into(),
            config: ChannelConfig::default(),
            known_peers: Vec::new(),
            outbound: Vec::new(),
            inbound: Vec::new(),
            sampler: Default::default(),
            stats: None,
            introspection: false,
            chooser: None,
            #[cfg(feature = "tls")]
            tls: crate::tls::Tls::default(),
        }
    }

    /// The service name.
    pub fn service(&self) -> &str {
        &self.inner.service
    }

    /// The settings.
    pub fn config(&self) -> &ChannelConfig {
        &self.inner.config
    }

    /// Starts listening on `addr` and returns the bound address. `addr` is anything tokio
    /// can bind to: `"127.0.0.1:0"` (an ephemeral port), a [`SocketAddr`], `("::1", 0)`,
    /// `(Ipv4Addr::LOCALHOST, 4040)`, `"localhost:4040"`... Listening again on the same
    /// address returns it; on another address it fails with [`Error::is_already_listening`].
    ///
    /// ```
    /// use std::net::{Ipv4Addr, SocketAddr};
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), tchannel_runtime::Error> {
    /// let ch = tchannel_runtime::TChannel::new("svc");
    /// let bound = ch.listen((Ipv4Addr::LOCALHOST, 0)).await?;
    /// assert_eq!(ch.listen(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?, bound);
    /// # ch.close().await; Ok(()) }
    /// ```
    pub async fn listen(&self, addr: impl tokio::net::ToSocketAddrs) -> Result<SocketAddr, Error> {
        if self.inner.peers.life.is_closing() {
            return Err(closed_error());
        }
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host(addr)
            .await
            .map_err(|e| {
                Error::network(format!("cannot resolve the address to listen on: {e}"))
                    .with_source(e)
            })?
            .collect();
        if let Some(bound) = self.hostport() {
            let same = addrs
                .iter()
                .any(|a| *a == bound || (a.port() == 0 && a.ip() == bound.ip()));
            return if same {
                Ok(bound)
            } else {
                Err(self.already_listening(bound))
            };
        }
        let listener = TcpListener::bind(&addrs[..]).await.map_err(|e| {
            let names: Vec<String> = addrs.iter().map(ToString::to_string).collect();
            Error::network(format!("cannot listen on {}: {e}", names.join(", "))).with_source(e)
        })?;
        self.serve(listener)
    }

    /// Accepts connections on a socket bound elsewhere: tokio's or the standard library's
    /// `TcpListener`, such as one handed over by systemd socket activation
    /// (`ListenFd`/`LISTEN_FDS`) or bound by a test. Returns its address. Fails with
    /// [`Error::is_already_listening`] if the channel listens already, and with
    /// [`Error::is_closed`] once it is closed. Must be called within a tokio runtime.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), tchannel_runtime::Error> {
    /// let socket = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let addr = socket.local_addr()?;
    /// let ch = tchannel_runtime::TChannel::new("svc");
    /// assert_eq!(ch.listen_on(socket)?, addr);
    /// # ch.close().await; Ok(()) }
    /// ```
    pub fn listen_on(&self, listener: impl crate::addr::IntoListener) -> Result<SocketAddr, Error> {
        if self.inner.peers.life.is_closing() {
            return Err(closed_error());
        }
        if let Some(bound) = self.hostport() {
            return Err(self.already_listening(bound));
        }
        let listener = listener.into_listener().map_err(|e| {
            Error::network(format!("cannot listen on the socket given: {e}")).with_source(e)
        })?;
        self.serve(listener)
    }

    fn already_listening(&self, bound: SocketAddr) -> Error {
        Error::new(
            Kind::AlreadyListening,
            format!(
                "channel {:?} already listens on {bound}",
                self.inner.service
            ),
        )
    }

    /// Starts the accept loop on a bound listener.
    fn serve(&self, listener: TcpListener) -> Result<SocketAddr, Error> {
        let bound = listener.local_addr()?;
        let mut slot = self
            .inner
            .listener
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        // Checked again under the lock that close takes the listener under.
        if self.inner.peers.life.is_closing() {
            return Err(closed_error());
        }
        if let Some((other, _)) = slot.as_ref() {
            return Err(self.already_listening(*other));
        }
        self.inner
            .local
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .listen = Some(bound);
        if let Some(s) = &self.inner.stats {
            s.set_host_port(bound.to_string());
        }
        let task = tokio::spawn(accept_loop(Arc::downgrade(&self.inner), listener));
        *slot = Some((bound, task));
        Ok(bound)
    }

    /// The address this channel listens on, if it does.
    pub fn hostport(&self) -> Option<SocketAddr> {
        self.inner
            .listener
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(|(a, _)| *a)
    }

    /// Registers `handler` for `endpoint` of this channel's service, with the arg scheme
    /// given as a value: `Raw`, `Json` or `Thrift`.
    ///
    /// A `Raw` handler accepts calls in any scheme; others reject calls whose `as` header
    /// names another scheme with a bad-request error.
    pub fn register<S, F, Fut>(&self, endpoint: impl Into<String>, scheme: S, handler: F)
    where
        S: Scheme,
        F: Fn(Request<S>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Response<S>, HandlerError>> + Send + 'static,
    {
        let service = self.inner.service.clone();
        self.register_for(service, endpoint, scheme, handler);
    }

    /// Registers a handler for another service name served by this channel.
    pub fn register_for<S, F, Fut>(
        &self,
        service: impl Into<String>,
        endpoint: impl Into<String>,
        scheme: S,
        handler: F,
    ) where
        S: Scheme,
        F: Fn(Request<S>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Response<S>, HandlerError>> + Send + 'static,
    {
        let h = Arc::new(Typed {
            f: handler,
            _scheme: scheme,
        });
        self.inner
            .handlers
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(service.into(), endpoint.into(), h);
    }

    /// Registers the handler for calls that match no endpoint (any service).
    pub fn register_fallback<S, F, Fut>(&self, scheme: S, handler: F)
    where
        S: Scheme,
        F: Fn(Request<S>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Response<S>, HandlerError>> + Send + 'static,
    {
        let h = Arc::new(Typed {
            f: handler,
            _scheme: scheme,
        });
        self.inner
            .handlers
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .set_fallback(h);
    }

    /// Adds a peer that calls by service name may use: a `host:port` string, a
    /// [`SocketAddr`] or a `(host, port)` pair ([`IntoHostPort`]).
    ///
    /// ```
    /// use std::net::{Ipv4Addr, SocketAddr};
    /// let ch = tchannel_runtime::TChannel::new("client");
    /// ch.add_peer("127.0.0.1:4040");
    /// ch.add_peer(SocketAddr::from((Ipv4Addr::LOCALHOST, 4041)));
    /// ch.add_peer(("::1", 4042));
    /// assert_eq!(ch.known_peers(), ["127.0.0.1:4040", "127.0.0.1:4041", "[::1]:4042"]);
    /// ```
    pub fn add_peer(&self, host_port: impl IntoHostPort) {
        self.inner.peers.add_known(&host_port.into_host_port());
    }

    /// Stops using a peer for calls by service name.
    pub fn remove_peer(&self, host_port: impl IntoHostPort) {
        self.inner.peers.remove_known(&host_port.into_host_port());
    }

    /// The peers calls by service name may use.
    pub fn known_peers(&self) -> Vec<String> {
        self.inner.peers.known()
    }

    /// A call of `endpoint` on `service` in scheme `S`; set options, then `.await` it.
    ///
    /// The names are [`Name`](crate::Name)s: a string literal or a `String` is taken as it is,
    /// without a copy, and shared from the builder to the wire.
    pub fn call<S: Scheme>(
        &self,
        service: impl Into<crate::Name>,
        endpoint: impl Into<crate::Name>,
    ) -> Call<S> {
        Call::new(self.clone(), service.into(), endpoint.into())
    }

    /// A `raw` call.
    pub fn raw(
        &self,
        service: impl Into<crate::Name>,
        endpoint: impl Into<crate::Name>,
    ) -> Call<Raw> {
        self.call(service, endpoint)
    }

    /// A `json` call.
    pub fn json(
        &self,
        service: impl Into<crate::Name>,
        endpoint: impl Into<crate::Name>,
    ) -> Call<Json> {
        self.call(service, endpoint)
    }

    /// The state of the peer `host_port` as the health checks see it (see
    /// [`ChannelBuilder::health_check`]): [`PeerHealth::Closed`] when the channel has no
    /// live connection to it.
    ///
    /// ```
    /// use tchannel_runtime::{PeerHealth, TChannel};
    /// let ch = TChannel::new("client");
    /// assert_eq!(ch.peer_health("127.0.0.1:4040"), PeerHealth::Closed);
    /// ```
    pub fn peer_health(&self, host_port: &str) -> PeerHealth {
        self.inner
            .peers
            .get(host_port)
            .map_or(PeerHealth::Closed, |p| p.health())
    }

    /// Pings `host_port` (connecting if needed) and returns the round-trip time.
    ///
    /// `timeout` covers connecting too. On a closed channel it fails at once with
    /// [`Error::is_closed`]. Note that tchannel-python never answers pings.
    pub async fn ping(
        &self,
        host_port: impl IntoHostPort,
        timeout: Duration,
    ) -> Result<Duration, Error> {
        let host_port = &host_port.into_host_port();
        let start = Instant::now();
        let deadline = deadline_after(start, timeout);
        let conn = self.inner.connection_to(host_port, deadline).await?;
        let left = deadline.saturating_duration_since(Instant::now());
        conn.ping(left).await.map_err(|e| e.with_peer(host_port))
    }

    /// Reports the application's health, as `Meta::health` answers it: healthy, or not with
    /// a message.
    pub fn set_health(&self, healthy: bool, message: Option<String>) {
        self.inner.health.set(healthy, message);
    }

    /// Closes the channel now: stops listening, withdraws any Hyperbahn advertisement and
    /// fails every call in flight. [`close_within`](Self::close_within) with no grace.
    ///
    /// Closing is final. Once it has returned every new operation of the channel (and of
    /// its clones) fails at once with an error whose [`Error::is_closed`] is true: calls of
    /// every scheme, generated clients (async and blocking), [`stream`](Self::stream),
    /// [`ping`](Self::ping), [`listen`](Self::listen) and [`advertise`](Self::advertise).
    /// Nothing reconnects. (Registering handlers still works, and does nothing.)
    ///
    /// ```
    /// # #[tokio::main] async fn main() {
    /// let ch = tchannel_runtime::TChannel::new("svc");
    /// ch.close().await;
    /// let e = ch.raw("other", "echo").hostport("127.0.0.1:4040").await.unwrap_err();
    /// assert!(e.is_closed());
    /// assert!(ch.listen("127.0.0.1:0").await.unwrap_err().is_closed());
    /// # }
    /// ```
    pub async fn close(&self) {
        self.close_within(Duration::ZERO).await
    }

    /// Closes the channel gracefully: lets the calls in flight finish for up to `grace`.
    ///
    /// At once, on every connection together: new inbound calls are declined (the caller
    /// gets a declined error, which it may retry elsewhere), the listener stops accepting
    /// (its port is free when this returns) and `Meta::health` with `TRAFFIC` answers not
    /// ok. Then the channel withdraws its Hyperbahn advertisement, if any, and waits for
    /// the calls in flight on all connections concurrently; each connection closes as soon
    /// as it has none, and those still busy at the deadline (`grace` after this was called)
    /// are closed then, failing their calls. Outbound calls may still be made meanwhile
    /// (a handler finishing its work may need them); once this returns, the channel is
    /// closed for good, as after [`close`](Self::close).
    ///
    /// `Duration::MAX` (or any grace past what an `Instant` holds) waits for the calls
    /// without a deadline. Dropping the returned future before it ends leaves the
    /// connections declining new calls, but open; the channel is closed once a `close`
    /// returns or its last handle is dropped.
    pub async fn close_within(&self, grace: Duration) {
        let inner = &self.inner;
        let deadline = deadline_after(Instant::now(), grace);
        inner
            .health
            .closing
            .store(true, std::sync::atomic::Ordering::Release);
        // From here on a connection added to a peer is marked closing as it is added...
        inner.peers.life.start_closing();
        // ...and every one there now is marked here, at the same moment.
        let conns = inner.peers.all_connections();
        for c in &conns {
            c.start_closing();
        }
        let listener = inner
            .listener
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some((_, task)) = listener {
            // Wait until the accept loop (and with it the listening socket, and the
            // handshakes it started) is gone, so the address is free again when close
            // returns.
            task.abort();
            let _ = task.await;
        }
        let hook = inner
            .close_hook
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(hook) = hook {
            hook.stop();
            hook.withdraw(inner).await;
        }
        // Every connection waits for its calls concurrently, until the shared deadline.
        let mut drains = JoinSet::new();
        for c in conns {
            drains.spawn(async move { c.drain(deadline).await });
        }
        while drains.join_next().await.is_some() {}
        // Closed: nothing new starts, and what was opened while closing closes now.
        inner.shut();
    }
}

/// `start + d`, or a point far in the future when that does not fit an `Instant`
/// (`Duration::MAX`, say).
pub(crate) fn deadline_after(start: Instant, d: Duration) -> Instant {
    start
        .checked_add(d)
        .unwrap_or_else(|| start + Duration::from_secs(100 * 365 * 24 * 3600))
}

impl TChannel {
    pub(crate) fn inner(&self) -> &Arc<ChannelInner> {
        &self.inner
    }

    pub(crate) fn from_inner(inner: Arc<ChannelInner>) -> Self {
        TChannel { inner }
    }
}

impl ChannelInner {
    pub(crate) fn is_closing(&self) -> bool {
        self.health
            .closing
            .load(std::sync::atomic::Ordering::Acquire)
    }

    fn local(&self) -> LocalInfo {
        self.local.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn conn_config(&self) -> ConnConfig {
        ConnConfig {
            init_timeout: self.config.init_timeout,
            max_message: self.config.max_message_size,
            limits: crate::connection::Limits {
                inbound_calls: self.config.max_inbound_calls.max(1),
                partial_requests: self.config.max_partial_requests.max(1),
                // One message of the largest size must always fit.
                inbound_bytes: self
                    .config
                    .max_inbound_bytes
                    .max(self.config.max_message_size),
                write_queue: self.config.max_write_queue.max(64 * 1024),
            },
            stats: self.stats.clone(),
            peer_tag: None,
        }
    }

    /// A connection to `host_port`, reusing one (incoming ones too) when it exists, by
    /// `deadline` (else a timeout error). Callers without a connection share one connect
    /// attempt (see `Peer::connection`), which `init_timeout` bounds. Fails at once with
    /// a closed error once the channel is closed.
    pub(crate) async fn connection_to(
        self: &Arc<Self>,
        host_port: &str,
        deadline: Instant,
    ) -> Result<Connection, Error> {
        if self.peers.life.is_closed() {
            return Err(closed_error().with_peer(host_port));
        }
        let peer = self.peers.get_or_add(host_port);
        let result = self.connect_peer(&peer, deadline).await;
        if result.is_err() {
            drop(peer);
            self.peers.prune(host_port);
        }
        result
    }

    /// [`connection_to`](Self::connection_to) a peer the caller holds (and prunes, if it
    /// fails: the peer is not left unused in the table while held here).
    pub(crate) async fn connect_peer(
        self: &Arc<Self>,
        peer: &Arc<peers::Peer>,
        deadline: Instant,
    ) -> Result<Connection, Error> {
        let host_port: &str = &peer.host_port;
        if self.peers.life.is_closed() {
            return Err(closed_error().with_peer(host_port));
        }
        if let Some(c) = peer.best_connection() {
            return Ok(c);
        }
        // The attempt runs in a task of its own and holds no strong reference to the
        // channel: dropping the channel is not delayed by it (and aborts it).
        let weak = Arc::downgrade(self);
        let dispatch: Arc<dyn Dispatch> = Arc::new(Dispatcher(weak.clone(), self.streams.clone()));
        let mut cfg = self.conn_config();
        // Tag its metrics with the peer as this channel knows it, like the others.
        if cfg.stats.is_some() {
            cfg.peer_tag = Some(host_port.to_owned());
        }
        let local = self.local();
        #[cfg(feature = "tls")]
        let upgrade = self
            .tls
            .connect(host_port)
            .map_err(|e| e.with_peer(host_port))?;
        #[cfg(not(feature = "tls"))]
        let upgrade = None;
        let hp = host_port.to_owned();
        let (weak2, hp2) = (weak.clone(), hp.clone());
        let check = self.config.health_check.map(|c| (c, Arc::downgrade(peer)));
        let connect = move || async move {
            let limit = Instant::now() + cfg.init_timeout;
            let addr = match tokio::time::timeout_at(limit, peers::resolve(&hp)).await {
                Ok(a) => a?,
                Err(_) => return Err(Error::timeout(format!("resolving {hp} timed out"))),
            };
            cfg.init_timeout = limit.saturating_duration_since(Instant::now());
            let conn = Connection::connect(addr, &local, &cfg, dispatch, upgrade).await?;
            let watch = check.map(|(c, peer)| health::watch(conn.clone(), c, peer));
            forget_on_close(&weak, hp, &conn, watch);
            if let Some(ch) = weak.upgrade() {
                ch.start_sweep();
            }
            Ok(conn)
        };
        // Once the attempt is over: if it failed, the peer may be unused now.
        let after = move || {
            if let Some(ch) = weak2.upgrade() {
                ch.peers.prune(&hp2);
            }
        };
        let result = peer.connection(deadline, connect, after).await;
        result.map_err(|e| e.with_peer(host_port))
    }

    /// Starts the idle sweep once, if `max_idle_time` is set: from a task, with the first
    /// connection (a channel may be built outside a runtime).
    fn start_sweep(self: &Arc<Self>) {
        use std::sync::atomic::Ordering;
        let Some(max_idle) = self.config.max_idle_time else {
            return;
        };
        if self.sweeping.swap(true, Ordering::Relaxed) {
            return;
        }
        let every = self.config.idle_check_interval;
        tokio::spawn(health::sweep(Arc::downgrade(self), every, max_idle));
    }

    /// Closes the channel for good: every new operation fails from now on, connect attempts
    /// are aborted, and every connection left is closed now.
    fn shut(&self) {
        self.peers.life.set_closed();
        for c in self.peers.take_all() {
            c.close_now(closed_error());
        }
    }
}

/// Has `conn` forget itself in the channel's peer table (under `key`) when it closes, so the
/// table holds only live connections and the peers in use; `watch` (its health check) is
/// aborted then.
fn forget_on_close(
    channel: &Weak<ChannelInner>,
    key: String,
    conn: &Connection,
    watch: Option<tokio::task::AbortHandle>,
) {
    let channel = channel.clone();
    let id = conn.id();
    conn.on_close(Box::new(move || {
        if let Some(task) = watch {
            task.abort();
        }
        if let Some(ch) = channel.upgrade() {
            ch.peers.forget(&key, id);
        }
    }));
}

/// Dropping the last handle of a channel (without [`TChannel::close`]) releases what it
/// holds: the listening socket, every connection (their calls in flight fail) and their
/// tasks, connect attempts and Hyperbahn re-advertising. Nothing is withdrawn from
/// Hyperbahn: that takes a call, which only `close` makes.
impl Drop for ChannelInner {
    fn drop(&mut self) {
        self.peers.life.set_closed();
        let listener = self
            .listener
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some((_, task)) = listener {
            // The accept loop drops the socket, and aborts the handshakes it started, as it
            // ends.
            task.abort();
        }
        let hook = self
            .close_hook
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(hook) = hook {
            hook.stop();
        }
        let conns = self.peers.take_all();
        if conns.is_empty() {
            return;
        }
        let close = move || {
            for c in conns {
                c.close_now(closed_error());
            }
        };
        // The last handle may be dropped anywhere, even where a connection's lock is held:
        // close them from a task of their own when there is a runtime.
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                rt.spawn(async move { close() });
            }
            Err(_) => close(),
        }
    }
}

/// Accepts connections until aborted (by close or drop). Each handshake runs in a task of
/// the loop's `JoinSet`, so ending the loop ends them too; none holds the channel.
async fn accept_loop(inner: Weak<ChannelInner>, listener: TcpListener) {
    let mut handshakes = JoinSet::new();
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            Some(_) = handshakes.join_next(), if !handshakes.is_empty() => continue,
        };
        let (stream, addr) = match accepted {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!("accept failed: {e}");
                if let Some(s) = inner.upgrade().as_ref().and_then(|ch| ch.stats.clone()) {
                    s.connection("connections.accept-errors", None);
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let Some(ch) = inner.upgrade() else { return };
        let dispatch: Arc<dyn Dispatch> = Arc::new(Dispatcher(inner.clone(), ch.streams.clone()));
        let (local, cfg) = (ch.local(), ch.conn_config());
        #[cfg(feature = "tls")]
        let upgrade = ch.tls.accept();
        #[cfg(not(feature = "tls"))]
        let upgrade = None;
        drop(ch);
        let weak = inner.clone();
        handshakes.spawn(async move {
            let result = Connection::accept(stream, &local, &cfg, dispatch, upgrade).await;
            let Some(ch) = weak.upgrade() else {
                // The channel is gone: so is this connection.
                if let Ok(conn) = result {
                    conn.close_now(closed_error());
                }
                return;
            };
            match result {
                Ok(conn) => {
                    let peer = conn.peer().clone();
                    // Keep connections from peers that listen, so calls back reuse them.
                    let key = if peer.is_ephemeral() {
                        peer.addr.to_string()
                    } else {
                        peer.host_port.clone()
                    };
                    if ch.peers.get_or_add(&key).add_accepted(&conn) {
                        forget_on_close(&weak, key, &conn, None);
                        ch.start_sweep();
                    } else {
                        ch.peers.prune(&key);
                    }
                }
                Err(e) => {
                    tracing::debug!(%addr, "handshake failed: {e}");
                    if let Some(s) = &ch.stats {
                        s.connection("connections.accept-errors", None);
                    }
                }
            }
        });
    }
}
