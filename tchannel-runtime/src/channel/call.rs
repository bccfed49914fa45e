//! The client side of a call: [`Call`], a builder that is awaited, and the one function
//! every outbound call goes through ([`ChannelInner::send`]).

use super::chooser::CallInfo;
use super::peers::{OwnedSlot, Peer, Slot};
use super::Response;
use super::{ChannelInner, TChannel};
use crate::call::{CallOptions, Name};
use crate::connection::{CallParts, CallResult, CallWait, OutgoingCall};
use crate::error::Error;
use crate::frame::{Tracing, TransportHeaders};
use crate::middleware::{BoxFuture, OutboundNext, OutboundRequest, OutboundResponse};
use crate::scheme::Scheme;
use bytes::Bytes;
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
        let (headers, body) = Default::default();
        Self::from_parts(
            channel,
            service,
            endpoint,
            headers,
            body,
            CallOptions::default(),
        )
    }

    /// A call with all its parts given at once, for a scheme's client that has them all
    /// (the thrift transport): the builder's setters would move the call once each.
    #[inline]
    pub(crate) fn from_parts(
        channel: TChannel,
        service: Name,
        endpoint: Name,
        headers: S::Headers,
        body: S::Body,
        opts: CallOptions,
    ) -> Self {
        Call {
            channel,
            service,
            endpoint,
            headers,
            body,
            opts,
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

    /// The call's future: its args encoded and its request handed to the channel
    /// ([`ChannelInner::outbound`]: its transport headers and span set, for its middleware or
    /// to be sent at the future's first poll), written where the future will live.
    #[inline]
    pub(crate) fn future(self) -> CallFuture<S> {
        let Call {
            channel,
            service,
            endpoint,
            headers,
            body,
            opts,
        } = self;
        // The body is taken (`into_body`: bytes are handed over, not cloned).
        let encoded = S::encode_headers(&headers).and_then(|h| Ok((h, S::into_body(body)?)));
        // Encoded: the call's future need not keep them.
        drop(headers);
        let out = match encoded {
            Ok((arg2, arg3)) => {
                // A call that sets no transport header of its own is sent with the
                // channel's prebuilt defaults (validated once); another gets the scheme,
                // held once, as its `as` header (a static string, no allocation), and the
                // defaults in `outbound`.
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
                // The names move into the request (the future finds them there for the
                // errors of decoding the response).
                let req = OutboundRequest {
                    service,
                    endpoint,
                    transport,
                    headers: arg2,
                    body: arg3,
                    options: opts,
                };
                channel.inner.outbound(req, prebuilt)
            }
            Err(e) => Outbound::Failed {
                err: Some(e.for_call(&service, &endpoint)),
            },
        };
        CallFuture {
            out,
            scheme: std::marker::PhantomData,
        }
    }
}

/// The future of a [`Call`]: one struct, built where it lives, which the states of the call
/// change in place (a nest of `async fn`s built each future on the stack and moved it into
/// the next, a few hundred bytes copied several times per call).
pub(crate) struct CallFuture<S: Scheme> {
    out: Outbound,
    scheme: std::marker::PhantomData<fn() -> S>,
}

impl<S: Scheme> Future for CallFuture<S> {
    type Output = Result<Response<S>, Error>;
    #[inline]
    fn poll(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        let this = self.get_mut();
        let res = std::task::ready!(Pin::new(&mut this.out).poll(cx))?;
        let ctx = |e: Error| match this.out.names() {
            Some((service, endpoint)) => e.for_call(service, endpoint),
            None => e,
        };
        std::task::Poll::Ready(Ok(Response {
            ok: res.ok,
            headers: S::decode_headers(res.headers).map_err(ctx)?,
            body: S::decode_body(res.body).map_err(ctx)?,
            transport: res.transport,
        }))
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
        // the future is large.
        let mut slot = Box::new_uninit();
        slot.write(self.future());
        // SAFETY: the value was written on the line above. (`Box::write` does this safely
        // but needs Rust 1.87; the crate supports 1.85.)
        Box::into_pin(unsafe { slot.assume_init() })
    }
}

type SendResult = Result<OutboundResponse, Error>;

/// The future of an outbound call: straight to `send`, or through the boxed chain, in the
/// call's `tracing` span (entered here rather than by an `Instrumented` around this future:
/// one wrapper less to move a call's future through). Built with its request in place and
/// started at its first poll ([`ChannelInner::outbound`]).
// The large variant is the common one, and lives in the call's allocation: boxing it would
// be an allocation more per call.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Outbound {
    /// Straight to `send` (no middleware), or not started yet: then its [`SendFuture`] holds
    /// the request, unprepared.
    Direct {
        fut: SendFuture,
        span: tracing::Span,
    },
    Chain {
        fut: BoxFuture<'static, SendResult>,
        span: tracing::Span,
        /// The call's service and endpoint (for the errors of decoding the response).
        names: Box<(Name, Name)>,
    },
    /// The call fails at once, before any layer sees it (the channel is closed, or its
    /// args did not encode).
    Failed { err: Option<Error> },
}

impl Future for Outbound {
    type Output = SendResult;
    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<SendResult> {
        let this = self.get_mut();
        if let Outbound::Direct { fut, .. } = this {
            if let SendState::Unstarted { prebuilt } = fut.state {
                this.start(prebuilt);
            }
        }
        match this {
            Outbound::Direct { fut, span } => {
                let _entered = span.enter();
                Pin::new(fut).poll(cx)
            }
            Outbound::Chain { fut, span, .. } => {
                let _entered = span.enter();
                fut.as_mut().poll(cx)
            }
            Outbound::Failed { err } => {
                std::task::Poll::Ready(Err(err.take().unwrap_or_else(super::closed_error)))
            }
        }
    }
}

impl Outbound {
    /// The call's service and endpoint, once it has started.
    fn names(&self) -> Option<(&Name, &Name)> {
        match self {
            Outbound::Direct { fut, .. } => fut.names(),
            Outbound::Chain { names, .. } => Some((&names.0, &names.1)),
            Outbound::Failed { .. } => None,
        }
    }

    /// The steps of [`ChannelInner::outbound`], at the first poll (where the poller's trace
    /// context is the current one): the channel's state checked, what the call will be sent
    /// with filled in (`cn`, `re`, the span), so layers see it; then its layers, or the
    /// request checked in place for `send`.
    #[inline]
    fn start(&mut self, prebuilt: bool) {
        let Outbound::Direct { fut, span } = self else {
            return;
        };
        let inner = &fut.inner;
        let req = &mut fut
            .p
            .as_mut()
            .expect("an unstarted call has its request")
            .req;
        if inner.peers.life.is_closed() {
            let err = super::closed_error().for_call(&req.service, &req.endpoint);
            *self = Outbound::Failed { err: Some(err) };
            return;
        }
        if !prebuilt {
            inner.default_headers(&mut req.transport, req.options.retry_on);
        }
        let t = inner.span_for_call(req.options.tracing);
        req.options.tracing = Some(t);
        *span = crate::trace::call_span!("tchannel.outbound", &req.service, &req.endpoint, &t);
        match &inner.outbound {
            // Boxed so that the chain's state does not enlarge every call's future.
            // The call's time starts now, its layers' included: the chain ends at the
            // deadline at the latest, and sends with what is left (`OutboundNext::run`).
            Some(chain) => {
                let timeout = req.options.get_timeout();
                let timeout = timeout.unwrap_or(inner.config.default_timeout);
                let deadline = super::deadline_after(tokio::time::Instant::now(), timeout);
                let next = OutboundNext::start(chain.clone(), inner.clone(), deadline);
                let req = fut.p.take().expect("checked above").req;
                let names = Box::new((req.service.clone(), req.endpoint.clone()));
                let (service, endpoint) = (req.service.clone(), req.endpoint.clone());
                let run = next.run(req);
                let span = std::mem::replace(span, tracing::Span::none());
                *self = Outbound::Chain {
                    fut: Box::pin(async move {
                        match tokio::time::timeout_at(deadline, run).await {
                            Ok(res) => res,
                            Err(_) => Err(Error::timeout(format!(
                                "no answer within {}ms (its outbound layers included)",
                                timeout.as_millis()
                            ))
                            .for_call(&service, &endpoint)),
                        }
                    }),
                    span,
                    names,
                };
            }
            None => fut.prepare(false, prebuilt),
        }
    }
}

impl ChannelInner {
    /// Runs an outbound call through the middleware chain, then [`send`](Self::send), once
    /// the future returned is first polled ([`Outbound::start`]). The future is built with
    /// the request in place, and holds no second copy of it.
    ///
    /// `prebuilt`: the request's transport headers are the channel's defaults as
    /// [`prebuilt`](Self::prebuilt) returned them, complete and validated, so that neither
    /// is done again (unless a layer runs: then `send` applies and checks them as for any
    /// call).
    #[inline]
    pub(crate) fn outbound(self: Arc<Self>, req: OutboundRequest, prebuilt: bool) -> Outbound {
        Outbound::Direct {
            fut: SendFuture {
                inner: self,
                p: Some(Prepared { req, d: None }),
                names: None,
                state: SendState::Unstarted { prebuilt },
            },
            span: tracing::Span::none(),
        }
    }

    /// The transport headers every call is sent with unless it sets them itself: `cn`, this
    /// channel's name, `re`, the call's retry flags, and `as`, `raw` (a call's scheme is set
    /// where it is known: `Call::future`, `OutboundRequest::new`, `StreamCall::start`). The one
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
    /// The request is checked now; at the first poll its first attempt is sent, from where
    /// the request is, when the peer has a connection with room (nearly always), and the
    /// future then only waits for the response ([`SendFuture`]).
    #[inline]
    pub(crate) fn send(
        self: Arc<Self>,
        req: OutboundRequest,
        after_layers: bool,
        prebuilt: bool,
    ) -> SendFuture {
        let mut f = SendFuture {
            inner: self,
            p: Some(Prepared { req, d: None }),
            names: None,
            state: SendState::Fresh,
        };
        f.prepare(after_layers, prebuilt);
        f
    }

    /// The attempts of a call after its first was begun by [`SendFuture`], or all of them
    /// (`first`: how far the first got), until one succeeds or none is left. Boxed where it
    /// is used: connecting, waiting for room in a write queue and retrying are rare, and
    /// their state would enlarge every call's future.
    async fn attempts(
        self: Arc<Self>,
        mut p: Prepared,
        mut peer: Arc<Peer>,
        mut first: Option<Result<CallResult, Error>>,
    ) -> SendResult {
        let fixed = p.req.options.hostport.is_some();
        let mut tried = HashSet::new();
        let mut attempt = 0;
        // When this attempt began (its ttl is what is left then, and its metrics' time
        // starts then): the call's start for the first, the clock read again for a retry.
        let mut attempt_start = p.d().start;
        loop {
            // No retry can follow the last attempt: it takes the headers and args, with no
            // copy (the only attempt of most calls).
            let last = attempt >= p.d().retry_limit;
            let result = match first.take() {
                Some(result) => result,
                None => {
                    let outgoing = p.outgoing(last, attempt, attempt_start);
                    match self.reserve(&peer, fixed) {
                        Ok(_slot) if self.peers.life.is_closed() => {
                            Err(super::closed_error().with_peer(&peer.host_port))
                        }
                        Ok(_slot) => match peer.best_connection() {
                            Some(conn) => conn.call(outgoing).await,
                            // Boxed: connecting is rare, and its state would enlarge the
                            // loop's.
                            None => {
                                match Box::pin(self.connect_peer(&peer, p.d().deadline)).await {
                                    // The ttl is what is left after connecting.
                                    Ok(conn) => {
                                        let outgoing = OutgoingCall {
                                            ttl: p
                                                .d()
                                                .deadline
                                                .saturating_duration_since(Instant::now()),
                                            ..outgoing
                                        };
                                        conn.call(outgoing).await
                                    }
                                    Err(e) => Err(e),
                                }
                            }
                        },
                        Err(e) => Err(e),
                    }
                }
            };
            let host_port: &str = &peer.host_port;
            self.attempt_ended(&p, host_port, attempt_start);
            let err = match result {
                Ok(res) => return Ok(response(res)),
                Err(e) => e,
            };
            tried.insert(host_port.to_owned());
            let now = Instant::now();
            let next = if !last
                && p.req.options.retry_on.should_retry(&err)
                && now + Duration::from_millis(1) < p.d().deadline
            {
                self.retry_peer(&p.info(attempt + 1), &tried)
            } else {
                None
            };
            let Some(next) = next else {
                let err = p.failed(err.with_peer(host_port));
                // A peer called by hostport that is left with no connection leaves the
                // table.
                let hp = std::mem::take(&mut tried);
                drop(peer);
                for host_port in &hp {
                    self.peers.prune(host_port);
                }
                return Err(err);
            };
            tracing::debug!(peer = %host_port, attempt, "retrying after: {err}");
            attempt += 1;
            let wait = self.config.retry_backoff.delay(
                attempt,
                crate::id::random_id(),
                p.d().deadline.saturating_duration_since(now),
            );
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            if let Some(s) = &self.stats {
                s.retry(&p.tags(), attempt);
            }
            attempt_start = Instant::now();
            peer = next;
        }
    }

    /// An attempt ended, with `host_port`: its metrics.
    #[inline]
    fn attempt_ended(&self, p: &Prepared, host_port: &str, attempt_start: Instant) {
        if let Some(s) = &self.stats {
            s.attempt(&p.tags(), host_port, attempt_start.elapsed());
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
        peer.try_reserve(self.peers.max_pending)
            .map_err(|n| self.busy(peer, n))
    }

    /// [`reserve`](Self::reserve), the place holding the peer (given back on a refusal).
    #[inline]
    fn reserve_owned(&self, peer: Arc<Peer>, fixed: bool) -> Result<OwnedSlot, (Arc<Peer>, Error)> {
        if !fixed {
            return Ok(peer.reserve_owned());
        }
        peer.try_reserve_owned(self.peers.max_pending)
            .map_err(|(peer, n)| {
                let e = self.busy(&peer, n);
                (peer, e)
            })
    }

    /// The error of a call to a fixed hostport whose peer has `n` calls pending already.
    #[cold]
    fn busy(&self, peer: &Peer, n: usize) -> Error {
        Error::from_code(
            crate::ErrorCode::Busy,
            format!(
                "{} has {n} calls pending, max_pending_per_peer is {}",
                peer.host_port, self.peers.max_pending
            ),
        )
    }
}

/// A successful attempt's response, as the layers see it.
#[inline]
fn response(res: CallResult) -> OutboundResponse {
    let CallResult {
        code,
        headers,
        args: [arg2, arg3],
    } = res;
    OutboundResponse {
        ok: code == 0,
        headers: arg2,
        body: arg3,
        transport: headers,
    }
}

/// A request, and once it is checked ([`SendFuture::prepare`]) what its attempts need.
pub(crate) struct Prepared {
    /// As the last layer passed it on (its transport headers complete once checked).
    req: OutboundRequest,
    d: Option<Derived>,
}

/// What a call's attempts need besides its request.
struct Derived {
    start: Instant,
    timeout: Duration,
    deadline: Instant,
    retry_limit: u32,
    checksum: crate::checksum::ChecksumType,
    /// The span it is sent as.
    tracing: Tracing,
    sk: Option<Bytes>,
    caller: Option<Bytes>,
}

impl Prepared {
    /// What its attempts need (set once it is checked).
    #[inline]
    fn d(&self) -> &Derived {
        self.d
            .as_ref()
            .expect("a call is checked before its attempts")
    }

    /// The call's error `err`, with its names and timing.
    #[cold]
    fn failed(&self, err: Error) -> Error {
        err.for_call(&self.req.service, &self.req.endpoint)
            .with_timing(self.d().timeout, self.d().start.elapsed())
    }

    /// What the chooser sees of attempt `attempt` (not for a fixed hostport).
    fn info(&self, attempt: u32) -> CallInfo<'_> {
        CallInfo::new(self.req.service.as_str())
            .via_sub_channel(self.req.options.sub_channel)
            .attempt(
                attempt,
                self.d()
                    .sk
                    .as_deref()
                    .and_then(|k| std::str::from_utf8(k).ok()),
            )
    }

    /// The tags of its per-attempt metrics.
    fn tags(&self) -> crate::reporter::CallTags<'_> {
        call_tags(
            self.d().caller.as_deref(),
            self.req.service.as_bytes(),
            self.req.endpoint.as_bytes(),
        )
    }

    /// Its first attempt's request, lent ([`Connection::try_call`]).
    #[inline]
    fn parts(&self) -> CallParts<'_> {
        let req = &self.req;
        CallParts {
            service: req.service.as_bytes(),
            headers: &req.transport,
            tracing: self.d().tracing,
            args: [req.endpoint.as_bytes(), &req.headers, &req.body],
            checksum: self.d().checksum,
            deadline: self.d().deadline,
            // The first attempt has all of it (the clock is not read again).
            ttl: self.d().timeout,
        }
    }

    /// The request of attempt `attempt`, begun at `attempt_start`: the `last` one possible
    /// takes the headers and args (no copy), another gets them shared.
    fn outgoing(&mut self, last: bool, attempt: u32, attempt_start: Instant) -> OutgoingCall {
        let d = self
            .d
            .as_ref()
            .expect("a call is checked before its attempts");
        let req = &mut self.req;
        let arg1 = req.endpoint.as_bytes().clone();
        let (headers, args) = if last {
            let args = [
                arg1,
                std::mem::take(&mut req.headers),
                std::mem::take(&mut req.body),
            ];
            (std::mem::take(&mut req.transport), args)
        } else {
            let args = [arg1, req.headers.clone(), req.body.clone()];
            (req.transport.clone(), args)
        };
        OutgoingCall {
            service: req.service.as_bytes().clone(),
            headers,
            tracing: d.tracing,
            args,
            checksum: d.checksum,
            deadline: d.deadline,
            ttl: match attempt {
                0 => d.timeout,
                _ => d.deadline.saturating_duration_since(attempt_start),
            },
        }
    }
}

/// The future of an outbound call past its layers ([`ChannelInner::send`]): one struct,
/// whose state changes in place; the request stays where it is, lent to its first attempt.
pub(crate) struct SendFuture {
    inner: Arc<ChannelInner>,
    /// The request and what its attempts need (moved to [`ChannelInner::attempts`] if it
    /// takes over).
    p: Option<Prepared>,
    /// The call's service and endpoint once `p` has moved (for the errors of decoding the
    /// response).
    names: Option<Box<(Name, Name)>>,
    state: SendState,
}

enum SendState {
    /// Not started: [`Outbound::start`] runs first (`prebuilt`: as `outbound` was given).
    Unstarted { prebuilt: bool },
    /// Checked, not polled yet.
    Fresh,
    /// The first attempt's request is sent, on a connection that had room in its write
    /// queue (nearly every call): its result is awaited.
    Waiting { slot: OwnedSlot, wait: CallWait },
    /// Anything else: connecting, waiting for room, retrying ([`ChannelInner::attempts`]).
    Attempts(BoxFuture<'static, SendResult>),
    /// Failed at once (a bad request, no peer), or ended (`None`). (An error, not a
    /// result: the state stays small, so that setting it is a few stores.)
    Ended(Option<Error>),
}

impl SendFuture {
    /// The call's service and endpoint.
    fn names(&self) -> Option<(&Name, &Name)> {
        match (&self.p, &self.names) {
            (Some(p), _) => Some((&p.req.service, &p.req.endpoint)),
            (None, Some(n)) => Some((&n.0, &n.1)),
            (None, None) => None,
        }
    }

    /// Checks the request in place (see [`ChannelInner::send`]): every length with a wire
    /// limit, as it will be sent (after middleware), before anything else (a value that does
    /// not fit is a bad request, never truncated); then what its attempts need.
    #[inline]
    fn prepare(&mut self, after_layers: bool, prebuilt: bool) {
        let inner = &self.inner;
        let Some(p) = self.p.as_mut() else {
            return;
        };
        let start = Instant::now();
        let req = &mut p.req;
        let timeout = req
            .options
            .timeout
            .get()
            .unwrap_or(inner.config.default_timeout);
        if after_layers {
            inner.default_headers(&mut req.transport, req.options.retry_on);
        }
        let checked = crate::frame::check_request(
            req.service.as_bytes(),
            (!prebuilt || after_layers).then_some(&req.transport),
            req.endpoint.as_bytes(),
            timeout,
        );
        if let Err(e) = checked {
            let e = Error::from(e).for_call(&req.service, &req.endpoint);
            self.state = SendState::Ended(Some(e));
            return;
        }
        let opts = &req.options;
        let tracing = match opts.tracing {
            Some(t) => t,
            None => inner.span_for_call(None),
        };
        let retry_limit = match (&opts.hostport, opts.retry_limit) {
            (Some(_), _) => 0,
            (None, Some(n)) => n.get() - 1,
            (None, None) => inner.config.retry_limit,
        };
        // The shard key, shared; looked up by the chooser only when a peer is chosen (not
        // for a fixed hostport).
        let sk = match opts.hostport {
            None => req.transport.get_shared("sk"),
            Some(_) => None,
        };
        // The `cn` tag of the per-attempt metrics, apart from the headers, which move into
        // the last attempt possible rather than being copied.
        let caller = match &inner.stats {
            Some(_) => req.transport.get_shared("cn"),
            None => None,
        };
        p.d = Some(Derived {
            start,
            timeout,
            // At most u32::MAX ms (checked).
            deadline: start + timeout,
            retry_limit,
            checksum: opts.checksum.unwrap_or(inner.config.checksum),
            tracing,
            sk,
            caller,
        });
        self.state = SendState::Fresh;
    }

    /// Begins the first attempt: its peer chosen and, when the peer has a connection with
    /// room, its request sent. The state that follows.
    #[inline]
    fn begin(&mut self) -> SendState {
        let inner = &self.inner;
        let p = self.p.as_mut().expect("a fresh call has its request");
        // This call's share of the retry budget.
        if let Some(b) = &inner.budget {
            b.deposit();
        }
        let fixed = p.req.options.hostport.is_some();
        let peer = match &p.req.options.hostport {
            Some(hp) => inner.peers.get_or_add(hp),
            None => match inner.peers.choose_call(&p.info(0), &HashSet::new()) {
                Ok(peer) => peer,
                Err(e) => return SendState::Ended(Some(p.failed(e))),
            },
        };
        let (peer, first) = match inner.reserve_owned(peer, fixed) {
            Ok(slot) if inner.peers.life.is_closed() => {
                let e = super::closed_error().with_peer(&slot.peer().host_port);
                (slot.into_peer(), Some(Err(e)))
            }
            Ok(slot) => match slot.peer().best_connection() {
                Some(conn) => match conn.try_call(&p.parts()) {
                    Ok(Ok(wait)) => return SendState::Waiting { slot, wait },
                    Ok(Err(e)) => (slot.into_peer(), Some(Err(e))),
                    // No room: the attempts wait for it.
                    Err(_) => (slot.into_peer(), None),
                },
                None => (slot.into_peer(), None),
            },
            Err((peer, e)) => (peer, Some(Err(e))),
        };
        self.hand_over(peer, first)
    }

    /// The attempts' loop takes the call over, after `first`'s result if given.
    #[cold]
    fn hand_over(
        &mut self,
        peer: Arc<Peer>,
        first: Option<Result<CallResult, Error>>,
    ) -> SendState {
        let p = self.p.take().expect("a call begun has its request");
        self.names = Some(Box::new((p.req.service.clone(), p.req.endpoint.clone())));
        SendState::Attempts(Box::pin(self.inner.clone().attempts(p, peer, first)))
    }
}

impl Future for SendFuture {
    type Output = SendResult;
    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<SendResult> {
        use std::task::Poll;
        let this = self.get_mut();
        loop {
            match &mut this.state {
                SendState::Fresh => this.state = this.begin(),
                // Started by its `Outbound`.
                SendState::Unstarted { .. } => {
                    unreachable!("an outbound call is started by its Outbound")
                }
                SendState::Waiting { slot, wait } => {
                    let err = match std::task::ready!(wait.poll(cx)) {
                        Ok(res) => {
                            if let Some(p) = &this.p {
                                this.inner
                                    .attempt_ended(p, &slot.peer().host_port, p.d().start);
                            }
                            this.state = SendState::Ended(None);
                            return Poll::Ready(Ok(response(res)));
                        }
                        Err(e) => e,
                    };
                    // Failed: whether to retry, and the error, are the attempts' to say.
                    let peer = slot.peer().clone();
                    this.state = SendState::Ended(None);
                    this.state = this.hand_over(peer, Some(Err(err)));
                }
                SendState::Attempts(fut) => {
                    let r = std::task::ready!(fut.as_mut().poll(cx));
                    this.state = SendState::Ended(None);
                    return Poll::Ready(r);
                }
                SendState::Ended(e) => {
                    return Poll::Ready(Err(e
                        .take()
                        .expect("a call's future polled after it ended")))
                }
            }
        }
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
