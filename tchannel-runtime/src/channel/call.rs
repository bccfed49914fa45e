//! The client side of a call: [`Call`], a builder that is awaited, and the one function
//! every outbound call goes through ([`ChannelInner::send`]).

use super::chooser::CallInfo;
use super::peers::{Peer, Slot};
use super::Response;
use super::{ChannelInner, TChannel};
use crate::call::{CallOptions, Name};
use crate::connection::{CallResult, OutgoingCall};
use crate::error::Error;
use crate::frame::{Tracing, TransportHeaders};
use crate::middleware::{BoxFuture, OutboundNext, OutboundRequest, OutboundResponse};
use crate::scheme::Scheme;
use std::collections::HashSet;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

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
    service: Name,
    endpoint: Name,
    headers: S::Headers,
    body: S::Body,
    opts: CallOptions,
}

impl<S: Scheme> Call<S> {
    pub(crate) fn new(channel: TChannel, service: Name, endpoint: Name) -> Self {
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
    #[inline]
    pub fn body(mut self, body: impl Into<S::Body>) -> Self {
        self.body = body.into();
        self
    }
    /// The application headers (arg2).
    #[inline]
    pub fn headers(mut self, headers: impl Into<S::Headers>) -> Self {
        self.headers = headers.into();
        self
    }
    /// Replaces all options at once.
    #[inline]
    pub fn options(mut self, opts: CallOptions) -> Self {
        self.opts = self.opts.replaced_by(opts);
        self
    }

    crate::call::delegate_call_options!(opts);

    async fn run(self) -> Result<Response<S>, Error> {
        let Call {
            channel,
            service,
            endpoint,
            headers,
            body,
            opts,
        } = self;
        let ctx = |e: Error| e.for_call(&service, &endpoint);
        let arg2 = S::encode_headers(&headers).map_err(ctx)?;
        let arg3 = S::into_body(body).map_err(ctx)?;
        // Encoded: the call's future need not keep them.
        drop(headers);
        // A call that sets no transport header of its own is sent with the channel's
        // prebuilt defaults (validated once); another gets the scheme, held once, as its
        // `as` header (a static string, no allocation), and the defaults in `outbound`.
        let prebuilt = match opts.transport.is_empty() {
            true => channel.inner.prebuilt(S::NAME, opts.retry_on),
            false => None,
        };
        let (transport, prebuilt) = match prebuilt {
            Some(h) => (h, true),
            None => {
                let mut transport = opts.transport.clone();
                transport.insert("as", S::NAME);
                (transport, false)
            }
        };
        // The names are shared (a reference count, nothing for a literal).
        let req = OutboundRequest {
            service: service.clone(),
            endpoint: endpoint.clone(),
            transport,
            headers: arg2,
            body: arg3,
            options: opts,
        };
        let res = channel.inner.outbound(req, prebuilt).await?;
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
        // Written into its allocation rather than moved there from the stack (`Box::pin`):
        // the future is large, and only its first few fields are set yet.
        let mut slot = Box::new_uninit();
        slot.write(self.run());
        // SAFETY: the value was written on the line above. (`Box::write` does this safely
        // but needs Rust 1.87; the crate supports 1.85.)
        Box::into_pin(unsafe { slot.assume_init() })
    }
}

type SendResult = Result<OutboundResponse, Error>;

pin_project_lite::pin_project! {
    /// The future of an outbound call: straight to `send`, or through the boxed chain, in
    /// the call's `tracing` span (entered here rather than by an `Instrumented` around this
    /// future: one wrapper less to move a call's future through).
    #[project = OutboundProj]
    pub(crate) enum Outbound<F> {
        Direct { #[pin] fut: F, span: tracing::Span },
        Chain { fut: BoxFuture<'static, SendResult>, span: tracing::Span },
        /// The channel is closed: the call fails at once, before any layer sees it.
        Closed { err: Option<Error> },
    }
}

impl<F: Future<Output = SendResult>> Future for Outbound<F> {
    type Output = SendResult;
    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<SendResult> {
        match self.project() {
            OutboundProj::Direct { fut, span } => {
                let _entered = span.enter();
                fut.poll(cx)
            }
            OutboundProj::Chain { fut, span } => {
                let _entered = span.enter();
                fut.as_mut().poll(cx)
            }
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
    ///
    /// `prebuilt`: the request's transport headers are the channel's defaults as
    /// [`prebuilt`](Self::prebuilt) returned them, complete and validated, so that neither
    /// is done again (unless a layer runs: then `send` applies and checks them as for any
    /// call).
    #[inline]
    pub(crate) fn outbound(
        self: &Arc<Self>,
        mut req: OutboundRequest,
        prebuilt: bool,
    ) -> Outbound<impl Future<Output = SendResult> + '_> {
        if self.peers.life.is_closed() {
            let err = super::closed_error().for_call(&req.service, &req.endpoint);
            return Outbound::Closed { err: Some(err) };
        }
        if !prebuilt {
            self.default_headers(&mut req.transport, req.options.retry_on);
        }
        let span = self.span_for_call(req.options.tracing);
        req.options.tracing = Some(span);
        let tspan =
            crate::trace::call_span!("tchannel.outbound", &req.service, &req.endpoint, &span);
        match &self.outbound {
            None => Outbound::Direct {
                fut: self.send(req, false, prebuilt),
                span: tspan,
            },
            // Boxed so that the chain's state does not enlarge every call's future.
            Some(chain) => Outbound::Chain {
                fut: Box::pin(OutboundNext::start(chain.clone(), self.clone()).run(req)),
                span: tspan,
            },
        }
    }

    /// The transport headers every call is sent with unless it sets them itself: `cn`, this
    /// channel's name, `re`, the call's retry flags, and `as`, `raw` (a call's scheme is set
    /// where it is known: `Call::run`, `OutboundRequest::new`, `StreamCall::start`). The one
    /// place these defaults are applied: whole calls before their layers run (so layers see
    /// them) and again in `send` when there are layers (in case one removed a default),
    /// streamed calls in `StreamCall::start`.
    pub(crate) fn default_headers(&self, headers: &mut TransportHeaders, retry_on: crate::RetryOn) {
        if headers.get_bytes("as").is_none() {
            headers.insert("as", "raw");
        }
        if headers.get_bytes("cn").is_none() {
            headers.insert("cn", self.service_bytes.clone());
        }
        if headers.get_bytes("re").is_none() {
            headers.insert("re", retry_on.as_header());
        }
    }

    /// The transport headers of a call of scheme `scheme` with retry flags `retry_on` that
    /// sets none of its own, if the channel prebuilt them (a clone of the channel's shared
    /// list: no allocation, no lookups): `as`, `cn`, `re`, complete and validated.
    #[inline]
    pub(crate) fn prebuilt(
        &self,
        scheme: &str,
        retry_on: crate::RetryOn,
    ) -> Option<TransportHeaders> {
        let table = self.call_headers.as_ref()?;
        Some(table.get(prebuilt_index(scheme, retry_on)?)?.clone())
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
    /// outbound chain (`after_layers`: the defaults are applied again, in case a layer
    /// removed one; without layers `outbound` has just applied them). `prebuilt`: the
    /// headers are the channel's prebuilt defaults, validated already.
    ///
    /// Not an `async fn`: the request is taken apart and checked now, and the future keeps
    /// only what the attempts need (an `async fn` would also keep the whole request).
    #[inline]
    pub(crate) fn send(
        self: &Arc<Self>,
        req: OutboundRequest,
        after_layers: bool,
        prebuilt: bool,
    ) -> impl Future<Output = Result<OutboundResponse, Error>> + Send + '_ {
        let start = Instant::now();
        let OutboundRequest {
            service,
            endpoint,
            transport: mut headers,
            headers: arg2,
            body: arg3,
            options: opts,
        } = req;
        let CallOptions {
            timeout,
            hostport,
            retry_on,
            retry_limit,
            checksum,
            tracing,
            sub_channel: via_sub,
            transport: _,
        } = opts;
        let timeout = timeout.get().unwrap_or(self.config.default_timeout);
        if after_layers {
            self.default_headers(&mut headers, retry_on);
        }
        // Every length with a wire limit, as it will be sent (after middleware), before
        // anything else: a value that does not fit is a bad request, never truncated.
        let checked = crate::frame::check_request(
            service.as_bytes(),
            (!prebuilt || after_layers).then_some(&headers),
            endpoint.as_bytes(),
            timeout,
        )
        .map_err(|e| Error::from(e).for_call(&service, &endpoint));
        // At most u32::MAX ms when checked (an unchecked timeout is not used).
        let deadline = match checked {
            Ok(()) => start + timeout,
            Err(_) => start,
        };
        let tracing = match tracing {
            Some(t) => t,
            None => self.span_for_call(None),
        };
        let retry_limit = match (&hostport, retry_limit) {
            (Some(_), _) => 0,
            (None, Some(n)) => n.get() - 1,
            (None, None) => self.config.retry_limit,
        };
        let checksum = checksum.unwrap_or(self.config.checksum);
        let arg1 = endpoint.into_bytes();
        let service = service.into_bytes();
        // The shard key, shared (the headers move into the last attempt); looked up by the
        // chooser only when a peer is chosen (not for a fixed hostport).
        let sk = match hostport {
            None => headers.get_shared("sk"),
            Some(_) => None,
        };
        // The `cn` tag of the per-attempt metrics, apart from the headers, which move into the
        // last attempt possible rather than being copied.
        let caller = match &self.stats {
            Some(_) => headers.get_shared("cn"),
            None => None,
        };
        async move {
            checked?;
            let (mut arg2, mut arg3) = (arg2, arg3);
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
            // For the chooser only (not for a fixed hostport): the service checked as UTF-8
            // then.
            let info = |attempt| {
                let svc = std::str::from_utf8(&service).unwrap_or_default();
                CallInfo::new(svc).via_sub_channel(via_sub).attempt(
                    attempt,
                    sk.as_deref().and_then(|k| std::str::from_utf8(k).ok()),
                )
            };
            let mut tried = HashSet::new();
            let mut attempt = 0;
            let mut peer = match &hostport {
                Some(hp) => self.peers.get_or_add(hp),
                None => match self.peers.choose_call(&info(0), &tried) {
                    Ok(p) => p,
                    Err(e) => {
                        let (s, ep) = names();
                        return Err(e.for_call(&s, &ep).with_timing(timeout, start.elapsed()));
                    }
                },
            };
            // When this attempt began (its ttl is what is left then, and its metrics' time
            // starts then): the call's start for the first, the clock read again for a retry.
            let mut attempt_start = start;
            loop {
                // No retry can follow the last attempt: it takes the headers and args, with no
                // copy (the only attempt of most calls).
                let last = attempt >= retry_limit;
                let (attempt_headers, args) = if last {
                    let args = [
                        arg1.clone(),
                        std::mem::take(&mut arg2),
                        std::mem::take(&mut arg3),
                    ];
                    (std::mem::take(&mut headers), args)
                } else {
                    (headers.clone(), [arg1.clone(), arg2.clone(), arg3.clone()])
                };
                let outgoing = OutgoingCall {
                    service: service.clone(),
                    headers: attempt_headers,
                    tracing,
                    args,
                    checksum,
                    deadline,
                    // The first attempt has all of it (the clock is not read again).
                    ttl: match attempt {
                        0 => timeout,
                        _ => deadline.saturating_duration_since(attempt_start),
                    },
                };
                let result = match self.reserve(&peer, hostport.is_some()) {
                    Ok(_slot) if self.peers.life.is_closed() => {
                        Err(super::closed_error().with_peer(&peer.host_port))
                    }
                    Ok(_slot) => match peer.best_connection() {
                        Some(conn) => conn.call(outgoing).await,
                        // Boxed: connecting is rare, and its state would enlarge every call.
                        None => match Box::pin(self.connect_peer(&peer, deadline)).await {
                            // The ttl is what is left after connecting.
                            Ok(conn) => {
                                let outgoing = OutgoingCall {
                                    ttl: deadline.saturating_duration_since(Instant::now()),
                                    ..outgoing
                                };
                                conn.call(outgoing).await
                            }
                            Err(e) => Err(e),
                        },
                    },
                    Err(e) => Err(e),
                };
                let host_port: &str = &peer.host_port;
                if let Some(s) = &self.stats {
                    let tags = call_tags(caller.as_deref(), &service, &arg1);
                    s.attempt(&tags, host_port, attempt_start.elapsed());
                }
                let err = match result {
                    Ok(res) => {
                        let CallResult {
                            code,
                            headers,
                            args,
                        } = res;
                        let [arg2, arg3] = args;
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
                let next = if !last
                    && retry_on.should_retry(&err)
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
                        .with_timing(timeout, start.elapsed());
                    // A peer called by hostport that is left with no connection leaves the
                    // table.
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
                    crate::id::random_id(),
                    deadline.saturating_duration_since(now),
                );
                if !wait.is_zero() {
                    tokio::time::sleep(wait).await;
                }
                if let Some(s) = &self.stats {
                    s.retry(&call_tags(caller.as_deref(), &service, &arg1), attempt);
                }
                attempt_start = Instant::now();
                peer = next;
            }
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

/// The schemes whose calls' default transport headers a channel prebuilds.
const PREBUILT_SCHEMES: [&str; 3] = ["raw", "json", "thrift"];
/// The retry flags, in the order of the prebuilt headers of each scheme.
const PREBUILT_RETRY: [crate::RetryOn; 4] = [
    crate::RetryOn::Never,
    crate::RetryOn::ConnectionError,
    crate::RetryOn::Timeout,
    crate::RetryOn::ConnectionErrorAndTimeout,
];

/// Where the prebuilt headers of `scheme` and `retry_on` are in a channel's table.
#[inline]
pub(super) fn prebuilt_index(scheme: &str, retry_on: crate::RetryOn) -> Option<usize> {
    let s = PREBUILT_SCHEMES.iter().position(|p| *p == scheme)?;
    let r = PREBUILT_RETRY.iter().position(|r| *r == retry_on)?;
    Some(s * PREBUILT_RETRY.len() + r)
}

/// A channel's prebuilt call headers (see [`prebuilt_index`]): `as`, `cn` (`service`), `re`,
/// in the order a call sets them. `None` when they do not validate (a channel name too
/// long for `cn`): calls then build theirs and fail naming it.
pub(super) fn prebuilt_headers(service: &str) -> Option<Box<[TransportHeaders]>> {
    let cn = bytes::Bytes::from(service.to_owned());
    let mut table = Vec::with_capacity(PREBUILT_SCHEMES.len() * PREBUILT_RETRY.len());
    for scheme in PREBUILT_SCHEMES {
        for retry_on in PREBUILT_RETRY {
            let mut h = TransportHeaders::new();
            h.insert("as", scheme);
            h.insert("cn", cn.clone());
            h.insert("re", retry_on.as_header());
            h.validate().ok()?;
            // Shared: a call's clone is a reference count, no allocation.
            table.push(h.into_shared());
        }
    }
    Some(table.into_boxed_slice())
}

/// The tags of a call's per-attempt metrics: `cn` as sent, the service and arg1.
fn call_tags<'a>(
    caller: Option<&'a [u8]>,
    service: &'a [u8],
    endpoint: &'a [u8],
) -> crate::reporter::CallTags<'a> {
    crate::reporter::CallTags {
        caller: caller
            .and_then(|c| std::str::from_utf8(c).ok())
            .unwrap_or_default(),
        service: std::str::from_utf8(service).unwrap_or_default(),
        endpoint: std::str::from_utf8(endpoint).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use crate::CallOptions;

    /// A call's options are moved a few times per call: within 128 bytes, a move is a few
    /// vector stores rather than a call to `memcpy`.
    #[test]
    fn call_options_fit_in_128_bytes() {
        assert!(std::mem::size_of::<CallOptions>() <= 128);
    }

    /// A whole call's result is moved through its oneshot a few times: within 128 bytes
    /// (no `memcpy` call).
    #[test]
    fn a_call_result_fits_in_128_bytes() {
        type Sent = Option<Result<crate::connection::CallResult, crate::Error>>;
        assert!(std::mem::size_of::<Sent>() <= 128);
    }

    #[test]
    fn the_retry_limit_reads_back_as_set() {
        assert_eq!(CallOptions::default().get_retry_limit(), None);
        for n in [0, 1, 4, u32::MAX - 1] {
            assert_eq!(
                CallOptions::default().retry_limit(n).get_retry_limit(),
                Some(n)
            );
        }
        // No call makes 4 billion attempts: the last value is kept one lower.
        let max = CallOptions::default().retry_limit(u32::MAX);
        assert_eq!(max.get_retry_limit(), Some(u32::MAX - 1));
    }
}
