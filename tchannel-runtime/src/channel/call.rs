//! The client side of a call: [`Call`], a builder that is awaited, and the one function
//! every outbound call goes through ([`ChannelInner::send`]).

use super::chooser::CallInfo;
use super::peers::{Peer, Slot};
use super::Response;
use super::{ChannelInner, TChannel};
use crate::checksum::ChecksumType;
use crate::connection::{CallResult, OutgoingCall};
use crate::error::Error;
use crate::frame::{Tracing, TransportHeaders};
use crate::middleware::{BoxFuture, OutboundNext, OutboundRequest, OutboundResponse};
use crate::retry::RetryOn;
use crate::scheme::Scheme;
use bytes::Bytes;
use std::collections::HashSet;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
use tracing::Instrument;

/// A call being built: set what differs from the defaults, then `.await` it.
///
/// ```no_run
/// use std::time::Duration;
/// use tchannel_runtime::{RetryOn, TChannel};
/// # async fn f() -> Result<(), tchannel_runtime::Error> {
/// let ch = TChannel::builder("client").known_peers(["127.0.0.1:4040"]).build();
/// let res = ch
///     .json("math", "add")
///     .body(serde_json::json!({"a": 1, "b": 2}))
///     .timeout(Duration::from_millis(500))
///     .retry_on(RetryOn::ConnectionErrorAndTimeout)
///     .await?;
/// assert_eq!(res.body["sum"], 3);
/// # Ok(()) }
/// ```
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<S: Scheme> {
    channel: TChannel,
    service: String,
    endpoint: String,
    headers: S::Headers,
    body: S::Body,
    opts: CallOptions,
}

/// The options of a call: timeout, routing, retries, transport headers, checksum, tracing.
/// [`Call`] sets them one by one; [`ThriftClient`](super::ThriftClient) keeps a set for every
/// call it sends.
///
/// ```
/// use std::time::Duration;
/// use tchannel_runtime::{CallOptions, RetryOn};
/// let opts = CallOptions::default()
///     .timeout(Duration::from_millis(250))
///     .retry_on(RetryOn::Never)
///     .shard_key("user-42");
/// assert_eq!(opts.get_timeout(), Some(Duration::from_millis(250)));
/// ```
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    timeout: Option<Duration>,
    hostport: Option<String>,
    retry_on: RetryOn,
    retry_limit: Option<u32>,
    transport: TransportHeaders,
    checksum: Option<ChecksumType>,
    tracing: Option<Tracing>,
}

impl CallOptions {
    /// How long to wait, connecting and retries included; sent as the ttl, in whole
    /// milliseconds. At most
    /// [`MAX_TTL_MS`](crate::frame::MAX_TTL_MS) (`u32::MAX` ms, about 49.7 days): a longer
    /// timeout (`Duration::MAX` say) fails the call at once with a bad request naming
    /// `timeout`, rather than being clamped.
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = Some(t);
        self
    }
    /// The timeout, if set.
    pub fn get_timeout(&self) -> Option<Duration> {
        self.timeout
    }
    /// Send to this `host:port` rather than choosing a known peer (no retries then, as in
    /// tchannel-python).
    pub fn hostport(mut self, hp: impl crate::addr::IntoHostPort) -> Self {
        self.hostport = Some(hp.into_host_port());
        self
    }
    /// Retry flags (`re`).
    pub fn retry_on(mut self, r: RetryOn) -> Self {
        self.retry_on = r;
        self
    }
    /// Retries after the first attempt (each on a peer not tried yet).
    pub fn retry_limit(mut self, n: u32) -> Self {
        self.retry_limit = Some(n);
        self
    }
    /// Shard key (`sk`), at most 255 bytes (see [`transport_header`](Self::transport_header)).
    pub fn shard_key(self, k: impl Into<String>) -> Self {
        self.transport_header("sk", k)
    }
    /// Routing delegate (`rd`), at most 255 bytes.
    pub fn routing_delegate(self, s: impl Into<String>) -> Self {
        self.transport_header("rd", s)
    }
    /// Routing key (`rk`), at most 255 bytes.
    pub fn routing_key(self, k: impl Into<String>) -> Self {
        self.transport_header("rk", k)
    }
    /// The caller name (`cn`); the channel's service name by default. At most 255 bytes,
    /// the channel's name included: a longer one fails each call it is sent with.
    pub fn caller_name(self, cn: impl Into<String>) -> Self {
        self.transport_header("cn", cn)
    }
    /// Any other transport header.
    ///
    /// Limits (the wire's, [`frame`](crate::frame)): keys of 1 to 16 bytes (tchannel-node
    /// accepts at most 15), values of at most 255 bytes, at most 128 headers on a call,
    /// counting `as`, `cn` and `re`. A call that breaks one fails when it is awaited, before
    /// anything is sent, with a bad request ([`Error::is_bad_request`]) whose message names
    /// the header, its length and the limit:
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let ch = tchannel_runtime::TChannel::new("client");
    /// let e = ch
    ///     .raw("svc", "echo")
    ///     .hostport("127.0.0.1:1")
    ///     .shard_key("k".repeat(300))
    ///     .await
    ///     .unwrap_err();
    /// assert!(e.is_bad_request());
    /// assert_eq!(e.message(), "transport header `sk` value is 300 bytes long, the limit is 255");
    /// # }
    /// ```
    pub fn transport_header(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.transport.insert(key.into(), value.into());
        self
    }
    /// Checksum type for the call.
    pub fn checksum(mut self, c: ChecksumType) -> Self {
        self.checksum = Some(c);
        self
    }
    /// The span to send the call as, exactly (by default a child of the span of the handler
    /// the calling task serves, else a new root).
    pub fn tracing(mut self, t: Tracing) -> Self {
        self.tracing = Some(t);
        self
    }
    /// The span set, if any. In middleware this is always set: the span the call goes as.
    pub fn get_tracing(&self) -> Option<Tracing> {
        self.tracing
    }
    /// The fixed `host:port`, if set.
    pub fn get_hostport(&self) -> Option<&str> {
        self.hostport.as_deref()
    }
    /// The retry flags.
    pub fn get_retry_on(&self) -> RetryOn {
        self.retry_on
    }
    /// The retry limit, if set (else the channel's).
    pub fn get_retry_limit(&self) -> Option<u32> {
        self.retry_limit
    }
    /// The checksum type, if set (else the channel's).
    pub fn get_checksum(&self) -> Option<ChecksumType> {
        self.checksum
    }
    /// The transport headers set on the call (`sk`, `rd`, ...; `as`, `cn` and `re` are
    /// added when it is sent).
    pub fn get_transport_headers(&self) -> &TransportHeaders {
        &self.transport
    }
}

/// The [`CallOptions`] setters, on a builder that keeps its options in `self.$field`;
/// `no_retry` leaves out the retry setters (for calls that are never retried: streams).
macro_rules! delegate_call_options {
    ($field:ident) => {
        /// Retry flags (`re`).
        pub fn retry_on(mut self, r: $crate::RetryOn) -> Self {
            self.$field = self.$field.retry_on(r);
            self
        }
        /// Retries after the first attempt (each on a peer not tried yet).
        pub fn retry_limit(mut self, n: u32) -> Self {
            self.$field = self.$field.retry_limit(n);
            self
        }
        $crate::channel::delegate_call_options!(no_retry $field);
    };
    (no_retry $field:ident) => {
        /// How long to wait, connecting and retries included; sent as the ttl, in whole
        /// milliseconds. At
        /// most [`MAX_TTL_MS`]($crate::frame::MAX_TTL_MS) (`u32::MAX` ms, about 49.7 days):
        /// a longer timeout fails the call at once with a bad request naming `timeout`.
        pub fn timeout(mut self, t: std::time::Duration) -> Self {
            self.$field = self.$field.timeout(t);
            self
        }
        /// Send to this `host:port` rather than choosing a known peer (no retries then, as
        /// in tchannel-python).
        ///
        /// A `host:port` string, a [`SocketAddr`](std::net::SocketAddr) or a
        /// `(host, port)` pair ([`IntoHostPort`]($crate::addr::IntoHostPort)).
        pub fn hostport(mut self, hp: impl $crate::addr::IntoHostPort) -> Self {
            self.$field = self.$field.hostport(hp);
            self
        }
        /// Shard key (`sk`), at most 255 bytes: a longer one fails the call with a bad
        /// request naming `sk`.
        pub fn shard_key(mut self, k: impl Into<String>) -> Self {
            self.$field = self.$field.shard_key(k);
            self
        }
        /// Routing delegate (`rd`), at most 255 bytes.
        pub fn routing_delegate(mut self, s: impl Into<String>) -> Self {
            self.$field = self.$field.routing_delegate(s);
            self
        }
        /// Routing key (`rk`), at most 255 bytes.
        pub fn routing_key(mut self, k: impl Into<String>) -> Self {
            self.$field = self.$field.routing_key(k);
            self
        }
        /// The caller name (`cn`); the channel's service name by default. At most 255
        /// bytes.
        pub fn caller_name(mut self, cn: impl Into<String>) -> Self {
            self.$field = self.$field.caller_name(cn);
            self
        }
        /// Any other transport header: keys of 1 to 16 bytes, values of at most 255, at
        /// most 128 headers in all ([`CallOptions::transport_header`]($crate::CallOptions::transport_header)).
        pub fn transport_header(
            mut self,
            key: impl Into<String>,
            value: impl Into<String>,
        ) -> Self {
            self.$field = self.$field.transport_header(key, value);
            self
        }
        /// Checksum type.
        pub fn checksum(mut self, c: $crate::checksum::ChecksumType) -> Self {
            self.$field = self.$field.checksum(c);
            self
        }
        /// Tracing (a new root span by default).
        pub fn tracing(mut self, t: $crate::frame::Tracing) -> Self {
            self.$field = self.$field.tracing(t);
            self
        }
    };
}
pub(crate) use delegate_call_options;

impl<S: Scheme> Call<S> {
    pub(crate) fn new(channel: TChannel, service: String, endpoint: String) -> Self {
        Call {
            channel,
            service,
            endpoint,
            headers: Default::default(),
            body: Default::default(),
            opts: CallOptions::default(),
        }
    }

    /// The body (arg3).
    pub fn body(mut self, body: impl Into<S::Body>) -> Self {
        self.body = body.into();
        self
    }
    /// The application headers (arg2).
    pub fn headers(mut self, headers: impl Into<S::Headers>) -> Self {
        self.headers = headers.into();
        self
    }
    /// Replaces all options at once.
    pub fn options(mut self, opts: CallOptions) -> Self {
        self.opts = opts;
        self
    }

    delegate_call_options!(opts);

    async fn run(self) -> Result<Response<S>, Error> {
        let ctx = |e: Error| e.for_call(&self.service, &self.endpoint);
        let arg2 = S::encode_headers(&self.headers).map_err(ctx)?;
        let arg3 = S::encode_body(&self.body).map_err(ctx)?;
        let mut transport = self.opts.transport.clone();
        transport.insert("as", S::NAME);
        let req = OutboundRequest {
            service: self.service.clone(),
            endpoint: self.endpoint.clone(),
            scheme: String::from(S::NAME),
            transport,
            headers: arg2,
            body: arg3,
            options: self.opts,
        };
        let res = self.channel.inner.outbound(req).await?;
        Ok(Response {
            ok: res.ok,
            headers: S::decode_headers(res.headers).map_err(ctx)?,
            body: S::decode_body(res.body).map_err(ctx)?,
            transport: res.transport,
        })
    }
}

impl<S: Scheme<Headers = crate::scheme::HeaderMap>> Call<S> {
    /// Adds one application header (arg2) to a `json` or `thrift` call, replacing one of
    /// the same key.
    ///
    /// ```no_run
    /// # async fn f(ch: tchannel_runtime::TChannel) -> Result<(), tchannel_runtime::Error> {
    /// let res = ch
    ///     .json("math", "add")
    ///     .header("tenant", "7")
    ///     .header("request-id", "r-1")
    ///     .body(serde_json::json!({"a": 1, "b": 2}))
    ///     .await?;
    /// # let _ = res; Ok(()) }
    /// ```
    pub fn header(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.insert(key.into(), value.into());
        self
    }
}

impl<S: Scheme> IntoFuture for Call<S> {
    type Output = Result<Response<S>, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

/// A fresh random id for a root span (63 bits, as Go uses): xorshift64* per thread, seeded
/// once from the OS-randomised `RandomState` (hashing a fresh state per call cost ~2% of a call).
pub(crate) fn random_id() -> u64 {
    use std::cell::Cell;
    use std::hash::{BuildHasher, Hasher};
    thread_local! {
        static STATE: Cell<u64> = Cell::new({
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(0x9e37_79b9_7f4a_7c15);
            h.finish() | 1
        });
    }
    STATE.with(|s| {
        let mut x = s.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        s.set(x);
        (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 1).max(1)
    })
}

type SendResult = Result<OutboundResponse, Error>;

pin_project_lite::pin_project! {
    /// The future of an outbound call: straight to `send`, or through the boxed chain.
    #[project = OutboundProj]
    pub(crate) enum Outbound<F> {
        Direct { #[pin] fut: F },
        Chain { fut: BoxFuture<'static, SendResult> },
        /// The channel is closed: the call fails at once, before any layer sees it.
        Closed { err: Option<Error> },
    }
}

impl<F: Future<Output = SendResult>> Future for Outbound<F> {
    type Output = SendResult;
    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<SendResult> {
        match self.project() {
            OutboundProj::Direct { fut } => fut.poll(cx),
            OutboundProj::Chain { fut } => fut.as_mut().poll(cx),
            OutboundProj::Closed { err } => {
                std::task::Poll::Ready(Err(err.take().unwrap_or_else(super::closed_error)))
            }
        }
    }
}

impl ChannelInner {
    /// Runs an outbound call through the middleware chain, then [`send`](Self::send). Fills in
    /// what the call will be sent with first (`cn`, `re`, the span), so layers see it.
    ///
    /// Not an `async fn`: the preparation runs now, and the future returned is `send`'s own
    /// (or the boxed chain), so a call's future holds no second copy of the request.
    pub(crate) fn outbound(
        self: &Arc<Self>,
        mut req: OutboundRequest,
    ) -> tracing::instrument::Instrumented<Outbound<impl Future<Output = SendResult> + '_>> {
        if self.peers.life.is_closed() {
            let err = super::closed_error().for_call(&req.service, &req.endpoint);
            return Outbound::Closed { err: Some(err) }.instrument(tracing::Span::none());
        }
        if req.transport.get_bytes("cn").is_none() {
            req.transport.insert("cn", self.service_bytes.clone());
        }
        if req.transport.get_bytes("re").is_none() {
            req.transport.insert("re", req.options.retry_on.as_header());
        }
        let span = self.span_for_call(req.options.tracing);
        req.options.tracing = Some(span);
        let tspan =
            crate::trace::call_span!("tchannel.outbound", &req.service, &req.endpoint, &span);
        let fut = match &self.outbound {
            None => Outbound::Direct {
                fut: self.send(req),
            },
            // Boxed so that the chain's state does not enlarge every call's future.
            Some(chain) => Outbound::Chain {
                fut: Box::pin(OutboundNext::start(chain.clone(), self.clone()).run(req)),
            },
        };
        fut.instrument(tspan)
    }

    /// The span an outbound call is sent as: the one set on the call, else a child of the
    /// span of the handler this task serves, else a new root (sampled as the channel says).
    pub(crate) fn span_for_call(&self, explicit: Option<Tracing>) -> Tracing {
        if let Some(t) = explicit {
            return t;
        }
        match crate::trace::current() {
            Some(parent) => parent.child(),
            None => Tracing::new_root(self.trace.sample()),
        }
    }

    /// Sends a call, choosing peers and retrying as its options say: the end of every
    /// outbound chain.
    pub(crate) async fn send(
        self: &Arc<Self>,
        req: OutboundRequest,
    ) -> Result<OutboundResponse, Error> {
        let start = Instant::now();
        let opts = req.options;
        let timeout = opts.timeout.unwrap_or(self.config.default_timeout);
        let mut headers = req.transport;
        if headers.get_bytes("as").is_none() {
            headers.insert("as", req.scheme);
        }
        if headers.get_bytes("cn").is_none() {
            headers.insert("cn", self.service_bytes.clone());
        }
        if headers.get_bytes("re").is_none() {
            headers.insert("re", opts.retry_on.as_header());
        }
        // Every length with a wire limit, as it will be sent (after middleware), before
        // anything else: a value that does not fit is a bad request, never truncated.
        let checked = crate::frame::check_request(
            req.service.as_bytes(),
            &headers,
            req.endpoint.as_bytes(),
            timeout,
        );
        if let Err(e) = checked {
            return Err(Error::from(e).for_call(&req.service, &req.endpoint));
        }
        let deadline = start + timeout; // at most u32::MAX ms: checked above
        let tracing = match opts.tracing {
            Some(t) => t,
            None => self.span_for_call(None),
        };
        let retry_limit = if opts.hostport.is_some() {
            0
        } else {
            opts.retry_limit.unwrap_or(self.config.retry_limit)
        };
        let checksum = opts.checksum.unwrap_or(self.config.checksum);
        let arg1 = Bytes::from(req.endpoint);
        let service = Bytes::from(req.service);
        // The names again, for error messages (from the bytes: no copy on the happy path).
        let names = || {
            (
                String::from_utf8_lossy(&service).into_owned(),
                String::from_utf8_lossy(&arg1).into_owned(),
            )
        };
        // This call's share of the retry budget.
        if let Some(b) = &self.budget {
            b.deposit();
        }
        let svc = std::str::from_utf8(&service).unwrap_or_default();
        // The shard key is looked up only when a peer is chosen (not for a fixed hostport).
        let info = |attempt| CallInfo::new(svc).attempt(attempt, headers.get("sk"));
        let mut tried = HashSet::new();
        let mut attempt = 0;
        let mut peer = match &opts.hostport {
            Some(hp) => self.peers.get_or_add(hp),
            None => match self.peers.choose_call(&info(0), &tried) {
                Ok(p) => p,
                Err(e) => {
                    let (s, ep) = names();
                    return Err(e
                        .for_call(&s, &ep)
                        .with_timing(timeout, (deadline - timeout).elapsed()));
                }
            },
        };
        // When this attempt began: the call's start for the first; a retry reads the clock
        // only with a reporter. Without one, metrics add a check of `self.stats` per attempt
        // and nothing else: no clock read, no tags. It takes the place of `start` in the
        // future (the call's start is `deadline - timeout`), which stays the same size.
        let mut attempt_start = start;
        loop {
            let result = match self.reserve(&peer, opts.hostport.is_some()) {
                Ok(slot) => {
                    let result = async {
                        let conn = self.connect_peer(&peer, deadline).await?;
                        conn.call(OutgoingCall {
                            service: service.clone(),
                            headers: headers.clone(),
                            tracing,
                            args: [arg1.clone(), req.headers.clone(), req.body.clone()],
                            checksum,
                            deadline,
                        })
                        .await
                    }
                    .await;
                    drop(slot);
                    result
                }
                Err(e) => Err(e),
            };
            let host_port: &str = &peer.host_port;
            if let Some(s) = &self.stats {
                let tags = call_tags(&headers, &service, &arg1);
                s.attempt(&tags, host_port, attempt_start.elapsed());
            }
            let err = match result {
                Ok(res) => {
                    let CallResult {
                        code,
                        headers,
                        args,
                    } = res;
                    let [_, arg2, arg3] = args;
                    return Ok(OutboundResponse {
                        ok: code == 0,
                        headers: arg2,
                        body: arg3,
                        transport: headers,
                    });
                }
                Err(e) => e,
            };
            tried.insert(host_port.to_owned());
            let now = Instant::now();
            let next = if attempt < retry_limit
                && opts.retry_on.should_retry(&err)
                && now + Duration::from_millis(1) < deadline
            {
                self.retry_peer(&info(attempt + 1), &tried)
            } else {
                None
            };
            let Some(next) = next else {
                let (s, ep) = names();
                let err = err
                    .for_call(&s, &ep)
                    .with_peer(host_port)
                    .with_timing(timeout, (deadline - timeout).elapsed());
                // A peer called by hostport that is left with no connection leaves the table.
                let hp = std::mem::take(&mut tried);
                drop(peer);
                for p in &hp {
                    self.peers.prune(p);
                }
                return Err(err);
            };
            tracing::debug!(peer = %host_port, attempt, "retrying after: {err}");
            attempt += 1;
            let wait = self.config.retry_backoff.delay(
                attempt,
                super::random_id(),
                deadline.saturating_duration_since(now),
            );
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            if let Some(s) = &self.stats {
                s.retry(&call_tags(&headers, &service, &arg1), attempt);
                attempt_start = Instant::now();
            }
            peer = next;
        }
    }

    /// The peer of the next attempt, if the call may be retried: one is left that it has
    /// not tried, and the retry budget has a token for it.
    fn retry_peer(&self, info: &CallInfo<'_>, tried: &HashSet<String>) -> Option<Arc<Peer>> {
        let next = self.peers.choose_call(info, tried).ok()?;
        if let Some(b) = &self.budget {
            if !b.try_withdraw() {
                tracing::debug!("not retrying: the channel's retry budget is spent");
                return None;
            }
        }
        Some(next)
    }

    /// Counts the attempt among the peer's outstanding calls; a call to a fixed hostport
    /// fails Busy at once when the peer has `max_pending_per_peer` already (a chosen peer
    /// was under the limit when chosen).
    fn reserve<'p>(&self, peer: &'p Peer, fixed: bool) -> Result<Slot<'p>, Error> {
        if !fixed {
            return Ok(peer.reserve());
        }
        peer.try_reserve(self.peers.max_pending).map_err(|n| {
            Error::from_code(
                crate::ErrorCode::Busy,
                format!(
                    "{} has {n} calls pending, max_pending_per_peer is {}",
                    peer.host_port, self.peers.max_pending
                ),
            )
        })
    }
}

/// The tags of a call's per-attempt metrics: `cn` as sent, the service and arg1.
fn call_tags<'a>(
    headers: &'a TransportHeaders,
    service: &'a [u8],
    endpoint: &'a [u8],
) -> crate::stats::CallTags<'a> {
    crate::stats::CallTags {
        caller: headers.get("cn").unwrap_or_default(),
        service: std::str::from_utf8(service).unwrap_or_default(),
        endpoint: std::str::from_utf8(endpoint).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn span_ids_are_distinct_nonzero_63_bit() {
        let ids: std::collections::HashSet<u64> =
            (0..100_000).map(|_| super::random_id()).collect();
        assert_eq!(ids.len(), 100_000);
        assert!(ids.iter().all(|&id| id != 0 && id < 1 << 63));
        // Another thread gets its own sequence.
        let other = std::thread::spawn(super::random_id).join().unwrap();
        assert!(other != 0 && other < 1 << 63);
    }
}
