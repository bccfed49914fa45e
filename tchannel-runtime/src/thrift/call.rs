//! One call of a generated client: its own options and headers on the way out ([`Call`],
//! [`Request`]), its response's headers on the way back ([`Reply`]).

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;

use super::error::{DecodeError, DecodeErrorKind};
use super::service::{BoxFuture, Error, Response, Transport, UnknownException};
use super::value::ThriftStruct;
use crate::checksum::ChecksumType;
use crate::frame::{Tracing, TransportHeaders};
use crate::scheme::HeaderMap;
use crate::{CallOptions, RetryOn};

/// A call as a [`Transport`] receives it: the method (`arg1`), the encoded args (`arg3`), and
/// what the caller set for this call alone: application headers (`arg2`) and options that
/// override the transport's (timeout, routing, retries, transport headers, checksum, tracing).
///
/// ```
/// use std::time::Duration;
/// use tchannel_runtime::thrift::{Bytes, Request};
/// use tchannel_runtime::CallOptions;
/// let req = Request::new("KeyValue::getValue", Bytes::new())
///     .header("user", "alice")
///     .timeout(Duration::from_millis(50))
///     .shard_key("user-42");
/// assert!(req.has_options());
/// assert_eq!(req.headers()["user"], "alice");
/// // A transport applies the options over its own.
/// let opts = req.apply_options(CallOptions::default().timeout(Duration::from_secs(1)));
/// assert_eq!(opts.get_timeout(), Some(Duration::from_millis(50)));
/// assert_eq!(opts.get_transport_headers().get("sk"), Some("user-42"));
/// ```
#[derive(Debug, Clone)]
pub struct Request {
    method: &'static str,
    args: Bytes,
    headers: HeaderMap,
    // `None` until an option is set, so a plain call costs nothing to carry.
    options: Option<Box<Overrides>>,
}

/// The options set on one call; each overrides the transport's when set.
#[derive(Debug, Clone, Default)]
struct Overrides {
    timeout: Option<Duration>,
    hostport: Option<String>,
    retry_on: Option<RetryOn>,
    retry_limit: Option<u32>,
    transport: Vec<(String, String)>,
    checksum: Option<ChecksumType>,
    tracing: Option<Tracing>,
}

impl Request {
    /// A call of `method` with encoded `args`, no headers and no options.
    pub fn new(method: &'static str, args: Bytes) -> Self {
        Request {
            method,
            args,
            headers: HeaderMap::new(),
            options: None,
        }
    }

    fn set(mut self, f: impl FnOnce(&mut Overrides)) -> Self {
        f(self.options.get_or_insert_with(Default::default));
        self
    }

    /// The method (`arg1`), e.g. `KeyValue::getValue`.
    pub fn method(&self) -> &'static str {
        self.method
    }
    /// The encoded `<method>_args` struct (`arg3`).
    pub fn args(&self) -> &Bytes {
        &self.args
    }
    /// The encoded args, consuming the request.
    pub fn into_args(self) -> Bytes {
        self.args
    }
    /// The encoded args and the application headers, consuming the request (what a
    /// transport sends once it has applied the options).
    pub(crate) fn into_args_and_headers(self) -> (Bytes, HeaderMap) {
        (self.args, self.headers)
    }
    /// The application headers of this call (`arg2`), added to the transport's.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
    /// The application headers, to take or change them.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        &mut self.headers
    }
    /// This call's timeout, if set.
    pub fn get_timeout(&self) -> Option<Duration> {
        self.options.as_ref().and_then(|o| o.timeout)
    }
    /// Whether anything beyond method and args was set: headers or options.
    pub fn has_options(&self) -> bool {
        !self.headers.is_empty() || self.options.is_some()
    }
    /// `base` (a transport's options) with this call's options applied over it.
    pub fn apply_options(&self, base: CallOptions) -> CallOptions {
        let Some(o) = &self.options else {
            return base;
        };
        let mut opts = base;
        if let Some(t) = o.timeout {
            opts = opts.timeout(t);
        }
        if let Some(hp) = &o.hostport {
            opts = opts.hostport(hp.clone());
        }
        if let Some(r) = o.retry_on {
            opts = opts.retry_on(r);
        }
        if let Some(n) = o.retry_limit {
            opts = opts.retry_limit(n);
        }
        for (k, v) in &o.transport {
            opts = opts.transport_header(k.clone(), v.clone());
        }
        if let Some(c) = o.checksum {
            opts = opts.checksum(c);
        }
        if let Some(t) = o.tracing {
            opts = opts.tracing(t);
        }
        opts
    }

    /// An application header for this call (`arg2`); it replaces a transport header of the
    /// same key.
    pub fn header(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.insert(key.into(), value.into());
        self
    }
    /// Application headers for this call, added to those set so far.
    pub fn extend_headers(mut self, headers: HeaderMap) -> Self {
        self.headers.extend(headers);
        self
    }
    /// How long to wait, connecting and retries included (the ttl); see
    /// [`CallOptions::timeout`].
    pub fn timeout(self, t: Duration) -> Self {
        self.set(|o| o.timeout = Some(t))
    }
    /// Send to this `host:port` rather than choosing a known peer (no retries then): a
    /// string, a [`SocketAddr`](std::net::SocketAddr) or a `(host, port)` pair
    /// ([`IntoHostPort`](crate::addr::IntoHostPort)).
    pub fn hostport(self, hp: impl crate::addr::IntoHostPort) -> Self {
        let hp = hp.into_host_port();
        self.set(|o| o.hostport = Some(hp))
    }
    /// Retry flags (`re`).
    pub fn retry_on(self, r: RetryOn) -> Self {
        self.set(|o| o.retry_on = Some(r))
    }
    /// Retries after the first attempt (each on a peer not tried yet).
    pub fn retry_limit(self, n: u32) -> Self {
        self.set(|o| o.retry_limit = Some(n))
    }
    /// Shard key (`sk`), at most 255 bytes: a longer one fails the call with a bad request
    /// naming `sk`.
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
    /// The caller name (`cn`); the channel's service name by default.
    pub fn caller_name(self, cn: impl Into<String>) -> Self {
        self.transport_header("cn", cn)
    }
    /// Any other transport header, with the limits of [`CallOptions::transport_header`]
    /// (checked when the call is sent).
    pub fn transport_header(self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let kv = (key.into(), value.into());
        self.set(|o| o.transport.push(kv))
    }
    /// Checksum type.
    pub fn checksum(self, c: ChecksumType) -> Self {
        self.set(|o| o.checksum = Some(c))
    }
    /// The span to send the call as (by default a child of the span of the handler the
    /// calling task serves, else a new root).
    pub fn tracing(self, t: Tracing) -> Self {
        self.set(|o| o.tracing = Some(t))
    }
}

/// A value that came back from a call, with the response's application headers (`arg2`) and
/// transport headers: what [`Call::with_response`] returns, as tonic's `Response` or
/// tchannel-python's `response.headers`.
///
/// ```
/// use tchannel_runtime::thrift::Reply;
/// let mut headers = std::collections::BTreeMap::new();
/// headers.insert("served-by".to_string(), "rust".to_string());
/// let reply = Reply::new(42).with_headers(headers);
/// assert_eq!(reply.header("served-by"), Some("rust"));
/// assert_eq!(reply.into_value(), 42);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Reply<T> {
    /// The value (for a transport: the undecoded [`Response`]).
    pub value: T,
    /// The response's application headers (the thrift `arg2`).
    pub headers: HeaderMap,
    /// The response's transport headers (`as`, ...), as the frame carried them.
    pub transport_headers: TransportHeaders,
}

impl<T> Reply<T> {
    /// `value` with no headers.
    pub fn new(value: T) -> Self {
        Reply {
            value,
            headers: HeaderMap::new(),
            transport_headers: TransportHeaders::new(),
        }
    }
    /// With these application headers.
    pub fn with_headers(mut self, headers: HeaderMap) -> Self {
        self.headers = headers;
        self
    }
    /// With these transport headers.
    pub fn with_transport_headers(mut self, headers: TransportHeaders) -> Self {
        self.transport_headers = headers;
        self
    }
    /// One application header of the response.
    pub fn header(&self, key: &str) -> Option<&str> {
        self.headers.get(key).map(String::as_str)
    }
    /// The value, dropping the headers.
    pub fn into_value(self) -> T {
        self.value
    }
    /// The same headers around `f(value)`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Reply<U> {
        Reply {
            value: f(self.value),
            headers: self.headers,
            transport_headers: self.transport_headers,
        }
    }
}

/// A call of a generated client's method: set this call's options, then `.await` it for the
/// value, or `.with_response().await` for the value and the response's headers.
///
/// `O` is the method's return type, `E` its declared exceptions. Options set here apply to
/// this call alone, over the transport's.
///
/// Awaiting a `Call` itself boxes the transport's future ([`Transport::send_boxed`]: one
/// allocation per call, as `IntoFuture` needs a type it can name and a transport's future has
/// none); `.with_response()` returns the future unboxed.
///
/// ```no_run
/// # mod kv { include!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/meta/generated.rs")); }
/// # async fn f(channel: tchannel_runtime::TChannel) -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// let meta = kv::MetaClient::new(channel.thrift_client("other-service"));
/// // The one-liner:
/// let status = meta.health(Default::default()).await?;
/// // With options and the response's headers:
/// let reply = meta
///     .health(Default::default())
///     .timeout(Duration::from_millis(50))
///     .header("user", "alice")
///     .shard_key("user-42")
///     .with_response()
///     .await?;
/// println!("{:?} served by {:?}", reply.value, reply.header("served-by"));
/// # let _ = status; Ok(()) }
/// ```
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, T, O, E> {
    transport: &'a T,
    request: Request,
    decode: fn(Response) -> Result<O, Error<E>>,
}

impl<T, O, E> std::fmt::Debug for Call<'_, T, O, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("request", &self.request)
            .finish_non_exhaustive()
    }
}

impl<'a, T: Transport, O, E> Call<'a, T, O, E> {
    /// A call of `method` with encoded `args` through `transport`; `decode` turns the reply
    /// into the method's value or error (generated clients use [`decode_result`]).
    pub fn new(
        transport: &'a T,
        method: &'static str,
        args: Bytes,
        decode: fn(Response) -> Result<O, Error<E>>,
    ) -> Self {
        Call {
            transport,
            request: Request::new(method, args),
            decode,
        }
    }

    /// The call as the transport will receive it.
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// Application headers for this call, added to those set so far.
    pub fn headers(mut self, headers: HeaderMap) -> Self {
        self.request = self.request.extend_headers(headers);
        self
    }

    /// An application header for this call (`arg2`); it replaces a transport's header of
    /// the same key.
    pub fn header(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.request = self.request.header(key, value);
        self
    }

    // timeout, hostport, retry_on, ..., tracing: the same setters as `crate::Call`'s.
    crate::call::delegate_call_options!(request);

    /// Sends the call and returns its value with the response's headers.
    pub fn with_response(self) -> impl Future<Output = Result<Reply<O>, Error<E>>> + Send + 'a
    where
        O: Send + 'a,
        E: Send + 'a,
    {
        let Call {
            transport,
            request,
            decode,
        } = self;
        async move {
            let reply = transport
                .send(request)
                .await
                .map_err(Error::from_transport)?;
            let Reply {
                value,
                headers,
                transport_headers,
            } = reply;
            Ok(Reply {
                value: decode(value)?,
                headers,
                transport_headers,
            })
        }
    }
}

impl<'a, T: Transport, O: Send + 'a, E: Send + 'a> IntoFuture for Call<'a, T, O, E> {
    type Output = Result<O, Error<E>>;
    type IntoFuture = ValueFuture<'a, O, E>;

    fn into_future(self) -> Self::IntoFuture {
        ValueFuture {
            send: self.transport.send_boxed(self.request),
            decode: self.decode,
        }
    }
}

/// The future of an awaited [`Call`]: the transport's boxed future
/// ([`Transport::send_boxed`]) and the decoding of its reply, in one small struct (an
/// `async fn` around the transport's future was a second allocation, and copied it).
#[must_use = "futures do nothing unless polled"]
pub struct ValueFuture<'a, O, E> {
    send: BoxFuture<'a, Result<Reply<Response>, super::BoxError>>,
    decode: fn(Response) -> Result<O, Error<E>>,
}

impl<O, E> std::fmt::Debug for ValueFuture<'_, O, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValueFuture").finish_non_exhaustive()
    }
}

impl<O, E> Future for ValueFuture<'_, O, E> {
    type Output = Result<O, Error<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let reply =
            std::task::ready!(this.send.as_mut().poll(cx)).map_err(Error::from_transport)?;
        let Reply { value, headers, .. } = reply;
        drop_headers(headers);
        Poll::Ready((this.decode)(value))
    }
}

/// Drops a header map. An empty one (most replies' headers) owns no allocation and is
/// forgotten instead: `BTreeMap`'s drop walks an iterator out of line even when empty
/// (about 50 instructions per call).
#[inline]
fn drop_headers(headers: HeaderMap) {
    if headers.is_empty() {
        std::mem::forget(headers);
    }
}

/// Decodes the result struct `R` of `method` from a reply (generated clients call it): a
/// body that does not decode is [`Error::Decode`], and an application error whose result
/// struct has no field this IDL knows is [`Error::UnknownException`].
///
/// ```
/// # mod kv { include!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/meta/generated.rs")); }
/// use kv::meta::HealthResult;
/// use tchannel_runtime::thrift::{decode_result, Bytes, Error, NoException, Response};
/// // A result struct with no field set: as an application error, an exception this IDL does
/// // not know; as a success, a reply that does not decode.
/// let empty = Bytes::from_static(&[0]);
/// let res = Response { ok: false, body: empty.clone() };
/// let e = decode_result::<HealthResult, NoException>("Meta::health", res).unwrap_err();
/// assert!(matches!(e, Error::UnknownException(u) if u.method == "Meta::health"));
/// let res = Response { ok: true, body: empty };
/// let e = decode_result::<HealthResult, NoException>("Meta::health", res).unwrap_err();
/// assert!(matches!(e, Error::Decode(_)));
/// ```
pub fn decode_result<R: ThriftStruct, E>(
    method: &'static str,
    response: Response,
) -> Result<R, Error<E>> {
    match R::from_bytes(response.body) {
        Ok(r) => Ok(r),
        Err(e) if !response.ok && is_empty_result(&e) => {
            Err(Error::UnknownException(UnknownException { method }))
        }
        Err(e) => Err(Error::Decode(e)),
    }
}

/// Whether `e` says the top-level result struct had no known field set.
fn is_empty_result(e: &DecodeError) -> bool {
    matches!(e.kind(), DecodeErrorKind::InvalidUnion(0)) && e.path().count() == 1
}
