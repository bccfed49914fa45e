//! Middleware: layers around every outbound and inbound call, in the spirit of tower layers.
//!
//! A layer sees the call with its args already encoded by the scheme (so one layer works for
//! `raw`, `json` and `thrift`, for `Call`s and for generated Thrift clients, async and
//! blocking alike), may change the request, the response or the error, measure the time,
//! or answer without calling the rest of the chain.
//!
//! - [`OutboundMiddleware`] wraps every call this channel makes: [`OutboundNext::run`] runs
//!   the rest of the chain and then the network (peer choice, retries, the connection).
//! - [`InboundMiddleware`] wraps every call this channel serves, before the handler is looked
//!   up and its scheme decodes the args: [`InboundNext::run`] runs the rest of the chain, then
//!   the handler. An `Err` from an inbound layer is sent as an error frame with its code
//!   ([`Error::from_code`]); any other error as "unexpected".
//!
//! Layers are added with [`ChannelBuilder::outbound`](crate::ChannelBuilder::outbound) and
//! [`ChannelBuilder::inbound`](crate::ChannelBuilder::inbound); **the first added is the
//! outermost**: it sees the request first and the response last. A closure
//! `Fn(Request, Next) -> impl Future` is a layer. With no layer installed a call costs what
//! it cost before this module existed (no boxing, no allocation).
//!
//! # Streamed calls
//!
//! A streamed call ([`TChannel::stream`](crate::TChannel::stream),
//! [`TChannel::register_streaming`](crate::TChannel::register_streaming)) has no whole
//! request or response a layer could hold, so it does not go through `call`. Instead each
//! layer's `stream` hook ([`OutboundMiddleware::stream`], [`InboundMiddleware::stream`]) sees
//! it once, at its start, in chain order (the first added first), with its metadata: service,
//! endpoint, transport headers (which it may change), options and tracing. The hook may
//! refuse the call by returning an error (outbound: nothing is sent and `start` returns it;
//! inbound: the handler does not run and the caller gets an error frame with its code), and
//! may register with `on_end` a function told how the call ended ([`StreamOutcome`]), once,
//! innermost layer first. The default hook lets the call pass, so a layer written as a
//! closure does not see streamed calls: an auth check must implement the trait to guard
//! streaming endpoints too. [`Stats`](crate::stats::Stats) counts streamed calls this way.
//!
//! A layer cannot read or change a stream's args (they belong to the caller's
//! `RequestWriter` and `ArgStream`: reading them would consume them), answer in place of the
//! peer or the handler, or retry the call. A streamed call ends:
//!
//! - outbound, when its response has been read to the end (arg3's last piece, then `None`:
//!   success or application error), or when the start (after the layers), the response's head
//!   or a piece of it fails. A response dropped before its end ends the call as cancelled
//!   (as timed out past its deadline).
//! - inbound, when the handler returns: success or application error if it finished its
//!   response, else failed with the handler's error, the error it gave
//!   `ResponseWriter::fail`, or the unexpected error the caller is sent; a handler stopped by
//!   its deadline or a cancel ends as timed out or cancelled.
//!
//! With no layer installed none of this runs (the chains are `None`).
//!
//! A layer that must see the args (a recorder such as tchannel-vcr's) says so with
//! [`OutboundMiddleware::whole_streams`]: the channel's streamed calls are then made as whole
//! calls through `call` (the request gathered in memory until it is finished), and no
//! `stream` hook runs for them.
//!
//! These map tchannel-python's event hooks as follows: before-send-request and
//! after-receive-response/error are the two halves of an outbound layer around
//! `next.run(req)`; receive-request and send-response are the two halves of an inbound layer.
//!
//! # Examples
//!
//! Logging every outbound call, rejecting inbound calls without an `auth` application header,
//! and counting calls, on one pair of channels:
//!
//! ```
//! use std::sync::atomic::{AtomicUsize, Ordering};
//! use std::sync::Arc;
//! use tchannel_runtime::middleware::{InboundNext, InboundRequest, OutboundNext, OutboundRequest};
//! use tchannel_runtime::{Error, ErrorCode, Json, Response, TChannel};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Error> {
//! // An auth check on the server: answers "declined" without reaching the handler.
//! let server = TChannel::builder("math")
//!     .inbound(|req: InboundRequest, next: InboundNext| async move {
//!         let headers = req.json_headers()?;
//!         if headers.get("auth").map(String::as_str) != Some("secret") {
//!             return Err(Error::from_code(ErrorCode::Declined, "no auth"));
//!         }
//!         next.run(req).await
//!     })
//!     .build();
//! server.register("add", Json, |req| async move {
//!     let sum = req.body["a"].as_i64().unwrap_or(0) + req.body["b"].as_i64().unwrap_or(0);
//!     Ok(Response::new(serde_json::json!({ "sum": sum })))
//! });
//! let addr = server.listen("127.0.0.1:0").await?.to_string();
//!
//! // Logging and counting on the client.
//! let calls = Arc::new(AtomicUsize::new(0));
//! let counter = calls.clone();
//! let client = TChannel::builder("client")
//!     .outbound(move |req: OutboundRequest, next: OutboundNext| {
//!         counter.fetch_add(1, Ordering::Relaxed);
//!         async move {
//!             let (service, endpoint) = (req.service.clone(), req.endpoint.clone());
//!             let start = std::time::Instant::now();
//!             let res = next.run(req).await;
//!             println!("{service}::{endpoint} took {:?}, ok: {}", start.elapsed(), res.is_ok());
//!             res
//!         }
//!     })
//!     .build();
//!
//! let denied = client.json("math", "add").hostport(addr.clone()).await.unwrap_err();
//! assert_eq!(denied.code(), Some(ErrorCode::Declined));
//!
//! let mut headers = tchannel_runtime::scheme::HeaderMap::new();
//! headers.insert("auth".into(), "secret".into());
//! let res = client
//!     .json("math", "add")
//!     .hostport(addr)
//!     .headers(headers)
//!     .body(serde_json::json!({"a": 1, "b": 2}))
//!     .await?;
//! assert_eq!(res.body["sum"], 3);
//! assert_eq!(calls.load(Ordering::Relaxed), 2);
//! # server.close().await; Ok(()) }
//! ```

use crate::call::{CallOptions, Name, TransportInfo};
use crate::error::Error;
use crate::frame::TransportHeaders;
use crate::scheme::{HeaderMap, Json, Scheme, Thrift};
use bytes::Bytes;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub use crate::stream_layers::{InboundStreamCall, OutboundStreamCall, StreamOutcome};

/// A boxed, sendable future: what a layer returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An outbound call as middleware sees it: args already encoded by the scheme.
///
/// ```
/// use tchannel_runtime::middleware::OutboundRequest;
/// use tchannel_runtime::CallOptions;
/// let req = OutboundRequest::new("math", "add", "json", "{}", r#"{"a":1}"#, CallOptions::default());
/// assert_eq!(req.transport.get("as"), Some("json"));
/// assert!(req.json_headers().unwrap().is_empty());
/// ```
#[derive(Debug, Clone)]
pub struct OutboundRequest {
    /// The service called.
    pub service: Name,
    /// The endpoint (arg1).
    pub endpoint: Name,
    /// The application headers (arg2) as encoded.
    pub headers: Bytes,
    /// The body (arg3) as encoded.
    pub body: Bytes,
    /// The transport headers to send: `as` (the scheme, held only here: see
    /// [`scheme`](Self::scheme)), `cn`, `re`, and those set on the call (`sk`, `rd`, ...).
    pub transport: TransportHeaders,
    /// The call's options: timeout, hostport, retries, checksum, tracing. Before the first
    /// layer runs, [`CallOptions::get_tracing`] is always set: the span this call is sent as.
    pub options: CallOptions,
}

impl OutboundRequest {
    /// A request with `as` set to `scheme` and no other transport header (the channel adds
    /// `cn` and `re` when sending if they are absent).
    pub fn new(
        service: impl Into<Name>,
        endpoint: impl Into<Name>,
        scheme: impl Into<Name>,
        headers: impl Into<Bytes>,
        body: impl Into<Bytes>,
        options: CallOptions,
    ) -> Self {
        let mut transport = TransportHeaders::new();
        transport.insert("as", scheme.into());
        OutboundRequest {
            service: service.into(),
            endpoint: endpoint.into(),
            headers: headers.into(),
            body: body.into(),
            transport,
            options,
        }
    }

    /// The arg scheme: `raw`, `json` or `thrift`, as the `as` header says (`raw` when it is
    /// absent or not UTF-8). The header is the only copy: setting `as` changes the scheme.
    pub fn scheme(&self) -> &str {
        self.transport.get("as").unwrap_or("raw")
    }

    /// The application headers decoded by scheme `S` (`Json` or `Thrift` give a map).
    pub fn decode_headers<S: Scheme>(&self) -> Result<S::Headers, Error> {
        S::decode_headers(self.headers.clone())
    }

    /// The application headers as a map, decoded by this request's scheme (`json` or
    /// `thrift`; for `raw` an empty map).
    pub fn json_headers(&self) -> Result<HeaderMap, Error> {
        header_map(self.scheme(), &self.headers)
    }

    /// Replaces the application headers by `map`, encoded in this request's scheme (`json`
    /// or `thrift`; for `raw` an error, since raw headers are opaque).
    pub fn set_header_map(&mut self, map: &HeaderMap) -> Result<(), Error> {
        self.headers = encode_header_map(self.scheme(), map)?;
        Ok(())
    }
}

/// What came back for an outbound call: a call res, OK or an application error. An error
/// frame or a local failure is an `Err(Error)` instead.
///
/// ```
/// use tchannel_runtime::middleware::OutboundResponse;
/// let res = OutboundResponse::new(true, "", "pong");
/// assert!(res.ok && res.body == "pong");
/// ```
#[derive(Debug, Clone)]
pub struct OutboundResponse {
    /// False for an application error (call res code 0x01; a Thrift exception).
    pub ok: bool,
    /// arg2 as encoded.
    pub headers: Bytes,
    /// arg3 as encoded.
    pub body: Bytes,
    /// The response's transport headers.
    pub transport: TransportHeaders,
}

impl OutboundResponse {
    /// A response with these args and no transport headers.
    pub fn new(ok: bool, headers: impl Into<Bytes>, body: impl Into<Bytes>) -> Self {
        OutboundResponse {
            ok,
            headers: headers.into(),
            body: body.into(),
            transport: TransportHeaders::new(),
        }
    }
}

/// An inbound call as middleware sees it: args still encoded, before the handler's scheme
/// decodes them.
///
/// `transport` holds the caller (`cn`), the scheme (`as`), the ttl and deadline, all
/// transport headers and the tracing field.
#[derive(Debug, Clone)]
pub struct InboundRequest {
    /// The service addressed.
    pub service: Name,
    /// The endpoint (arg1).
    pub endpoint: Name,
    /// arg2 as received.
    pub headers: Bytes,
    /// arg3 as received.
    pub body: Bytes,
    /// What the transport says: caller, scheme, ttl, transport headers, tracing, peer.
    pub transport: TransportInfo,
}

impl InboundRequest {
    /// The application headers decoded by scheme `S`.
    pub fn decode_headers<S: Scheme>(&self) -> Result<S::Headers, Error> {
        S::decode_headers(self.headers.clone())
    }

    /// The application headers as a map, decoded by the request's scheme (`json` or
    /// `thrift`; for `raw` an empty map). A bad encoding is a bad-request error, so `?` in an
    /// inbound layer answers the caller with that.
    pub fn json_headers(&self) -> Result<HeaderMap, Error> {
        header_map(&self.transport.scheme, &self.headers)
            .map_err(|e| Error::bad_request(e.to_string()))
    }
}

/// The answer to an inbound call: OK or an application error. An error frame is an
/// `Err(Error)` instead.
///
/// ```
/// use tchannel_runtime::middleware::InboundResponse;
/// let res = InboundResponse::new(false, "", "oops");
/// assert!(!res.ok);
/// ```
#[derive(Debug, Clone)]
pub struct InboundResponse {
    /// False for an application error (call res code 0x01).
    pub ok: bool,
    /// arg2 as encoded.
    pub headers: Bytes,
    /// arg3 as encoded.
    pub body: Bytes,
    /// The response's transport headers (`as` is added when absent).
    pub transport: TransportHeaders,
}

impl InboundResponse {
    /// A response with these args and no transport headers.
    pub fn new(ok: bool, headers: impl Into<Bytes>, body: impl Into<Bytes>) -> Self {
        InboundResponse {
            ok,
            headers: headers.into(),
            body: body.into(),
            transport: TransportHeaders::new(),
        }
    }
}

fn header_map(scheme: &str, arg2: &Bytes) -> Result<HeaderMap, Error> {
    match scheme {
        "json" => Json::decode_headers(arg2.clone()),
        "thrift" => Thrift::decode_headers(arg2.clone()),
        _ => Ok(HeaderMap::new()),
    }
}

fn encode_header_map(scheme: &str, map: &HeaderMap) -> Result<Bytes, Error> {
    match scheme {
        "json" => Json::encode_headers(map),
        "thrift" => Thrift::encode_headers(map),
        other => Err(Error::bad_request(format!(
            "cannot encode a header map in scheme {other:?}"
        ))),
    }
}

/// A layer around outbound calls. Implemented by closures
/// `Fn(OutboundRequest, OutboundNext) -> impl Future<Output = Result<OutboundResponse, Error>>`.
///
/// ```
/// use tchannel_runtime::middleware::{BoxFuture, OutboundMiddleware, OutboundNext, OutboundRequest, OutboundResponse};
/// use tchannel_runtime::{Error, TChannel};
///
/// /// Adds a shard key to every call that has none.
/// struct DefaultShardKey(String);
///
/// impl OutboundMiddleware for DefaultShardKey {
///     fn call(&self, mut req: OutboundRequest, next: OutboundNext)
///         -> BoxFuture<'static, Result<OutboundResponse, Error>>
///     {
///         if req.transport.get("sk").is_none() {
///             req.transport.insert("sk", self.0.clone());
///         }
///         Box::pin(next.run(req))
///     }
/// }
///
/// let ch = TChannel::builder("client").outbound(DefaultShardKey("user-1".into())).build();
/// # let _ = ch;
/// ```
pub trait OutboundMiddleware: Send + Sync + 'static {
    /// Handles one call: usually some work, `next.run(req).await`, more work.
    fn call(
        &self,
        req: OutboundRequest,
        next: OutboundNext,
    ) -> BoxFuture<'static, Result<OutboundResponse, Error>>;

    /// Sees a streamed call ([`TChannel::stream`](crate::TChannel::stream)) once, before
    /// anything is sent: may change its transport headers, refuse it (the error is what
    /// `start` returns) and register with [`OutboundStreamCall::on_end`] a function told how
    /// it ended. It cannot see the
    /// args (see [the module's "Streamed calls"](crate::middleware#streamed-calls)). By
    /// default the call passes.
    fn stream(&self, call: &mut OutboundStreamCall) -> Result<(), Error> {
        let _ = call;
        Ok(())
    }

    /// Whether this layer needs streamed calls whole. When a layer of a channel says so, the
    /// channel's streamed calls ([`TChannel::stream`](crate::TChannel::stream)) are made as
    /// whole calls through [`call`](Self::call), and no layer's [`stream`](Self::stream)
    /// hook runs: the request is gathered in memory (up to the channel's
    /// `max_message_size`) until it is finished, then sent as one call through the chain
    /// (a layer may answer it, as for any whole call), and the response is given to the
    /// streaming caller as one piece per arg once it has arrived. Streaming's constant
    /// memory is lost, so it is for layers that must see the args, such as a recorder
    /// (tchannel-vcr's); a caller must finish the request before the response can arrive.
    /// By default false.
    fn whole_streams(&self) -> bool {
        false
    }
}

impl<F, Fut> OutboundMiddleware for F
where
    F: Fn(OutboundRequest, OutboundNext) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<OutboundResponse, Error>> + Send + 'static,
{
    fn call(
        &self,
        req: OutboundRequest,
        next: OutboundNext,
    ) -> BoxFuture<'static, Result<OutboundResponse, Error>> {
        Box::pin(self(req, next))
    }
}

/// A layer around inbound calls. Implemented by closures
/// `Fn(InboundRequest, InboundNext) -> impl Future<Output = Result<InboundResponse, Error>>`.
///
/// ```
/// use tchannel_runtime::middleware::{BoxFuture, InboundMiddleware, InboundNext, InboundRequest, InboundResponse};
/// use tchannel_runtime::{Error, ErrorCode, TChannel};
///
/// /// Declines calls from callers not on a list.
/// struct Allow(Vec<String>);
///
/// impl InboundMiddleware for Allow {
///     fn call(&self, req: InboundRequest, next: InboundNext)
///         -> BoxFuture<'static, Result<InboundResponse, Error>>
///     {
///         if !self.0.iter().any(|c| *c == req.transport.caller) {
///             let msg = format!("caller {:?} not allowed", req.transport.caller);
///             return Box::pin(async move { Err(Error::from_code(ErrorCode::Declined, msg)) });
///         }
///         Box::pin(next.run(req))
///     }
/// }
///
/// let ch = TChannel::builder("server").inbound(Allow(vec!["friend".into()])).build();
/// # let _ = ch;
/// ```
pub trait InboundMiddleware: Send + Sync + 'static {
    /// Handles one call: usually some work, `next.run(req).await`, more work.
    fn call(
        &self,
        req: InboundRequest,
        next: InboundNext,
    ) -> BoxFuture<'static, Result<InboundResponse, Error>>;

    /// Sees a streamed call to a streaming handler once, before the handler runs: may change
    /// its transport info, refuse it (the caller gets an error frame with the error's code)
    /// and register with [`InboundStreamCall::on_end`] a function told how it ended. It
    /// cannot see the args. By default the call passes.
    fn stream(&self, call: &mut InboundStreamCall) -> Result<(), Error> {
        let _ = call;
        Ok(())
    }
}

impl<F, Fut> InboundMiddleware for F
where
    F: Fn(InboundRequest, InboundNext) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<InboundResponse, Error>> + Send + 'static,
{
    fn call(
        &self,
        req: InboundRequest,
        next: InboundNext,
    ) -> BoxFuture<'static, Result<InboundResponse, Error>> {
        Box::pin(self(req, next))
    }
}

pub(crate) type OutboundChain = Arc<[Arc<dyn OutboundMiddleware>]>;
pub(crate) type InboundChain = Arc<[Arc<dyn InboundMiddleware>]>;

/// The end of every chain, after the last layer: sending the call (peer choice, retries,
/// connection) and finding and running the handler. The channel implements it, so that this
/// module, below the channel, never names it.
pub(crate) trait Terminal: Send + Sync + 'static {
    /// Sends an outbound call.
    fn send(
        self: Arc<Self>,
        req: OutboundRequest,
    ) -> BoxFuture<'static, Result<OutboundResponse, Error>>;
    /// Runs the handler of an inbound call.
    fn handle(
        self: Arc<Self>,
        req: InboundRequest,
    ) -> BoxFuture<'static, Result<InboundResponse, Error>>;
    /// Itself as `Any`, for the channel to get its own type back (`OutboundNext::channel`).
    fn as_any(self: Arc<Self>) -> Arc<dyn std::any::Any + Send + Sync>;
}

/// Where a request is in a chain: the layers not run yet, and the end of the chain.
struct Cursor<L: ?Sized> {
    chain: Arc<[Arc<L>]>,
    index: usize,
    terminal: Arc<dyn Terminal>,
}

impl<L: ?Sized> Clone for Cursor<L> {
    fn clone(&self) -> Self {
        Cursor {
            chain: self.chain.clone(),
            index: self.index,
            terminal: self.terminal.clone(),
        }
    }
}

impl<L: ?Sized> Cursor<L> {
    /// The next layer and the cursor after it, or the end when no layer is left.
    fn advance(self) -> Result<(Arc<L>, Self), Arc<dyn Terminal>> {
        match self.chain.get(self.index).cloned() {
            Some(layer) => Ok((
                layer,
                Cursor {
                    index: self.index + 1,
                    ..self
                },
            )),
            None => Err(self.terminal),
        }
    }

    fn remaining(&self) -> usize {
        self.chain.len() - self.index
    }
}

/// The rest of an outbound chain: the layers after this one, then the network.
/// (`channel()`, the channel the call goes through, is implemented in `channel/`.)
///
/// A clone is another handle on the same rest of the chain: running both sends the call
/// twice, which is what a retrying layer does.
#[derive(Clone)]
pub struct OutboundNext(Cursor<dyn OutboundMiddleware>, tokio::time::Instant);

impl std::fmt::Debug for OutboundNext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboundNext")
            .field("remaining_layers", &self.0.remaining())
            .finish()
    }
}

impl OutboundNext {
    /// The chain of a call whose time ends at `deadline` (its layers' time counts).
    pub(crate) fn start(
        chain: OutboundChain,
        terminal: Arc<dyn Terminal>,
        deadline: tokio::time::Instant,
    ) -> Self {
        let cursor = Cursor {
            chain,
            index: 0,
            terminal,
        };
        OutboundNext(cursor, deadline)
    }

    /// Runs the rest of the chain, then sends the call (peer choice, retries, connection).
    ///
    /// The time the layers took counts against the call's timeout: the call is sent with
    /// what is left of it (a layer may shorten its timeout, not lengthen it past the
    /// caller's deadline), and fails as a timeout, unsent, when nothing is left.
    pub async fn run(self, mut req: OutboundRequest) -> Result<OutboundResponse, Error> {
        let deadline = self.1;
        match self.0.advance() {
            Ok((layer, rest)) => layer.call(req, OutboundNext(rest, deadline)).await,
            Err(terminal) => {
                let left = deadline.saturating_duration_since(tokio::time::Instant::now());
                if left.is_zero() {
                    return Err(Error::timeout(
                        "the call's time was spent before it was sent (in its outbound layers)",
                    )
                    .for_call(&req.service, &req.endpoint));
                }
                if req.options.get_timeout().is_none_or(|t| t > left) {
                    let options = std::mem::take(&mut req.options);
                    req.options = options.timeout(left);
                }
                terminal.send(req).await
            }
        }
    }

    /// The end of the chain (the channel).
    pub(crate) fn terminal(&self) -> &Arc<dyn Terminal> {
        &self.0.terminal
    }
}

/// The rest of an inbound chain: the layers after this one, then the handler.
/// (`channel()`, the channel serving the call, is implemented in `channel/`.)
///
/// A clone is another handle on the same rest of the chain: running both runs the handler
/// twice.
#[derive(Clone)]
pub struct InboundNext(Cursor<dyn InboundMiddleware>);

impl std::fmt::Debug for InboundNext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InboundNext")
            .field("remaining_layers", &self.0.remaining())
            .finish()
    }
}

impl InboundNext {
    pub(crate) fn start(chain: InboundChain, terminal: Arc<dyn Terminal>) -> Self {
        InboundNext(Cursor {
            chain,
            index: 0,
            terminal,
        })
    }

    /// Runs the rest of the chain, then the handler (found by service and endpoint, checked
    /// against the scheme, args decoded).
    pub async fn run(self, req: InboundRequest) -> Result<InboundResponse, Error> {
        match self.0.advance() {
            Ok((layer, rest)) => layer.call(req, InboundNext(rest)).await,
            Err(terminal) => terminal.handle(req).await,
        }
    }

    /// The end of the chain (the channel).
    pub(crate) fn terminal(&self) -> &Arc<dyn Terminal> {
        &self.0.terminal
    }
}
