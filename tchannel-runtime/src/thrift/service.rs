//! The pieces generated services are built from, independent of the network: the request
//! context a handler sees, the dispatcher interface a channel calls, the transport a client
//! sends through, and the error type that keeps declared exceptions apart from failures.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Instant;

use bytes::Bytes;

use super::call::{Reply, Request};
use super::error::DecodeError;
use crate::frame::TransportHeaders;
use crate::Name;

/// A boxed error from below the Thrift layer (the transport, or a handler's own failure).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A boxed, sendable future, as returned by [`Service::call`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a server handler knows about the call it is serving. The channel fills it in; a
/// handler reads it and may set response headers.
///
/// The names and the transport headers share the call frame's bytes (a [`Name`] reads as a
/// `&str`), so filling the context in copies nothing.
///
/// ```
/// use tchannel_runtime::thrift::RequestContext;
/// let mut ctx = RequestContext::default();
/// ctx.caller_name = "keyvalue-client".into();
/// ctx.headers.insert("user".into(), "alice".into());
/// ctx.transport_headers.insert("sk", "user-42");
/// assert_eq!(ctx.caller_name, "keyvalue-client");
/// assert_eq!(ctx.transport_headers.get("sk"), Some("user-42"));
/// ctx.set_response_header("served-by", "rust");
/// assert_eq!(ctx.take_response_headers().get("served-by").map(String::as_str), Some("rust"));
/// ```
#[derive(Debug, Default)]
pub struct RequestContext {
    /// The TChannel service the call was addressed to.
    pub service: Name,
    /// The `arg1` method name, e.g. `KeyValue::getValue`.
    pub method: Name,
    /// The caller's service name (`cn` transport header).
    pub caller_name: Name,
    /// Application headers (the thrift scheme's `arg2`).
    pub headers: BTreeMap<String, String>,
    /// Transport headers of the call frame (`as`, `cn`, `re`, `sk`, ...), as received: a key
    /// or value that is not UTF-8 reads as absent through
    /// [`get`](crate::frame::TransportHeaders::get).
    pub transport_headers: TransportHeaders,
    /// When the caller stops waiting (from the call's ttl), if known.
    pub deadline: Option<Instant>,
    response_headers: Mutex<BTreeMap<String, String>>,
}

impl RequestContext {
    /// Sets an application header on the response.
    pub fn set_response_header(&self, key: impl Into<String>, value: impl Into<String>) {
        let mut h = match self.response_headers.lock() {
            Ok(h) => h,
            Err(poisoned) => poisoned.into_inner(),
        };
        h.insert(key.into(), value.into());
    }

    /// Takes the response headers set so far (the channel calls this when it replies).
    pub fn take_response_headers(&mut self) -> BTreeMap<String, String> {
        let h = match self.response_headers.get_mut() {
            Ok(h) => h,
            Err(poisoned) => poisoned.into_inner(),
        };
        std::mem::take(h)
    }
}

/// The type of declared exceptions of a method that declares none: it has no values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NoException {}

impl fmt::Display for NoException {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}

impl std::error::Error for NoException {}

/// The result of a Thrift call: a declared exception of the method (`E`, a generated enum with
/// one variant per `throws` entry) or a failure of one of the kinds below. Match on it rather
/// than downcasting:
///
/// ```
/// use tchannel_runtime::thrift::{Error, NoException};
/// fn describe(e: &Error<NoException>) -> &'static str {
///     match e {
///         Error::Call(c) if c.is_timeout() => "timed out",
///         Error::Call(_) => "the call failed",
///         Error::Decode(_) => "the reply did not decode",
///         Error::UnknownException(_) => "an exception the IDL does not declare",
///         _ => "another failure",
///     }
/// }
/// let busy = tchannel_runtime::Error::from_code(tchannel_runtime::ErrorCode::Busy, "later");
/// assert_eq!(describe(&Error::Call(busy)), "the call failed");
/// ```
///
/// Server handlers return it too: [`Error::Exception`] goes back to the caller as an
/// application error carrying the exception; any other variant as an unexpected error with
/// its message.
///
/// ```
/// use tchannel_runtime::thrift::{Error, NoException};
/// let e: Error<NoException> = Error::failure("database down");
/// assert!(e.exception().is_none());
/// assert_eq!(e.to_string(), "database down");
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// One of the exceptions the IDL declares for the method.
    Exception(E),
    /// The call failed in TChannel: it could not be sent, timed out, was refused (busy,
    /// declined), was a bad request, or the server's handler failed (unexpected error). Use
    /// the error's predicates ([`is_timeout`](crate::Error::is_timeout), ...).
    Call(crate::Error),
    /// The reply arrived but is not the method's result struct.
    Decode(DecodeError),
    /// The server answered with an application error that none of the method's declared
    /// exceptions matches (an exception added in a newer IDL, say).
    UnknownException(UnknownException),
    /// Anything else: a server handler's own failure, or the error of a [`Transport`] that is
    /// not a TChannel error.
    Failure(BoxError),
}

/// An application error reply that is none of the method's declared exceptions: see
/// [`Error::UnknownException`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownException {
    /// The method called (`arg1`), e.g. `KeyValue::getValue`.
    pub method: &'static str,
}

impl fmt::Display for UnknownException {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the server answered with an exception the method does not declare",
            self.method
        )
    }
}

impl std::error::Error for UnknownException {}

impl<E> Error<E> {
    /// A failure with a message.
    pub fn failure(message: impl Into<String>) -> Self {
        Error::Failure(message.into().into())
    }

    /// The error of a [`Transport`], typed: a [`crate::Error`] becomes [`Error::Call`], a
    /// [`DecodeError`] [`Error::Decode`], anything else [`Error::Failure`].
    ///
    /// ```
    /// use tchannel_runtime::thrift::{BoxError, Error, NoException};
    /// let e: BoxError = Box::new(tchannel_runtime::Error::from_code(
    ///     tchannel_runtime::ErrorCode::Busy,
    ///     "later",
    /// ));
    /// assert!(matches!(Error::<NoException>::from_transport(e), Error::Call(c) if c.is_busy()));
    /// ```
    pub fn from_transport(e: BoxError) -> Self {
        let e = match e.downcast::<crate::Error>() {
            Ok(e) => return Error::Call(*e),
            Err(e) => e,
        };
        match e.downcast::<DecodeError>() {
            Ok(e) => Error::Decode(*e),
            Err(e) => Error::Failure(e),
        }
    }

    /// The declared exception, if this is one.
    pub fn exception(&self) -> Option<&E> {
        match self {
            Error::Exception(e) => Some(e),
            _ => None,
        }
    }

    /// The TChannel error when the call failed in the transport (timeout, busy, network, bad
    /// request, ...): use its predicates (`is_timeout()`, ...). The same as matching
    /// [`Error::Call`].
    ///
    /// ```
    /// use tchannel_runtime::thrift::{Error, NoException};
    /// let e: Error<NoException> = Error::Call(tchannel_runtime::Error::from_code(
    ///     tchannel_runtime::ErrorCode::Busy,
    ///     "later",
    /// ));
    /// assert!(e.call_error().unwrap().is_busy());
    /// ```
    pub fn call_error(&self) -> Option<&crate::Error> {
        match self {
            Error::Call(e) => Some(e),
            // Built by hand as a boxed failure, as before `Error::Call` existed.
            Error::Failure(e) => e.downcast_ref::<crate::Error>(),
            _ => None,
        }
    }

    /// The decode error when the reply was not the method's result struct.
    pub fn decode_error(&self) -> Option<&DecodeError> {
        match self {
            Error::Decode(e) => Some(e),
            _ => None,
        }
    }

    /// The declared exception, or `Err(self)`.
    pub fn into_exception(self) -> Result<E, Self> {
        match self {
            Error::Exception(e) => Ok(e),
            other => Err(other),
        }
    }

    /// The declared exception, or any other variant as a boxed error (what a generated server
    /// answers with an unexpected-error frame).
    pub fn into_exception_or_failure(self) -> Result<E, BoxError> {
        match self {
            Error::Exception(e) => Ok(e),
            Error::Call(e) => Err(Box::new(e)),
            Error::Decode(e) => Err(Box::new(e)),
            Error::UnknownException(e) => Err(Box::new(e)),
            Error::Failure(e) => Err(e),
        }
    }
}

impl<E> From<E> for Error<E> {
    fn from(e: E) -> Self {
        Error::Exception(e)
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Exception(e) => fmt::Display::fmt(e, f),
            Error::Call(e) => fmt::Display::fmt(e, f),
            Error::Decode(e) => write!(f, "cannot decode the reply: {e}"),
            Error::UnknownException(e) => fmt::Display::fmt(e, f),
            Error::Failure(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Exception(e) => Some(e),
            Error::Call(e) => Some(e),
            Error::Decode(e) => Some(e),
            Error::UnknownException(e) => Some(e),
            Error::Failure(e) => Some(&**e),
        }
    }
}

/// A reply to a thrift call as a transport carries it: the encoded `<method>_result` struct
/// (`arg3`) and whether it is a success (TChannel code `0x00`) or a declared exception
/// (application error, code `0x01`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// `true` for a success, `false` when a declared exception is set.
    pub ok: bool,
    /// The encoded result struct.
    pub body: Bytes,
}

/// How a generated client sends a call. The channel implements it
/// ([`ThriftClient`](crate::ThriftClient)); tests can implement it with a dispatcher directly.
///
/// `method` is the TChannel `arg1`, `"<Service>::<method>"`; `args` the encoded
/// `<method>_args` struct (`arg3`). An `Err` means the call failed below the Thrift layer: a
/// [`crate::Error`] reaches the caller as [`Error::Call`], any other error as
/// [`Error::Failure`].
///
/// Generated clients send through [`send`](Transport::send), which carries the call's own
/// options and application headers and returns the response's headers. Its default sends
/// through [`call`](Transport::call) when the call has no options and fails it otherwise, so
/// that no option is silently ignored.
pub trait Transport: Send + Sync {
    /// Sends one call and waits for its response.
    fn call(
        &self,
        method: &'static str,
        args: Bytes,
    ) -> impl Future<Output = Result<Response, BoxError>> + Send;

    /// Sends one call with its options ([`Request`]) and waits for its response and the
    /// response's headers.
    fn send(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<Reply<Response>, BoxError>> + Send {
        async move {
            if request.has_options() {
                return Err(format!(
                    "{}: this transport does not support per-call options or headers \
                     (implement Transport::send)",
                    request.method()
                )
                .into());
            }
            let method = request.method();
            let res = self.call(method, request.into_args()).await?;
            Ok(Reply::new(res))
        }
    }

    /// [`send`](Transport::send) as a boxed future: what awaiting a generated client's
    /// [`Call`](super::Call) runs. Its default boxes `send`'s future; a transport that can
    /// write its own future straight into the box overrides it (the channel's
    /// [`ThriftClient`](crate::ThriftClient) does: one allocation per call rather than two).
    fn send_boxed(&self, request: Request) -> BoxFuture<'_, Result<Reply<Response>, BoxError>> {
        Box::pin(self.send(request))
    }
}

impl<T: Transport> Transport for std::sync::Arc<T> {
    fn call(
        &self,
        method: &'static str,
        args: Bytes,
    ) -> impl Future<Output = Result<Response, BoxError>> + Send {
        (**self).call(method, args)
    }

    fn send(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<Reply<Response>, BoxError>> + Send {
        (**self).send(request)
    }

    fn send_boxed(&self, request: Request) -> BoxFuture<'_, Result<Reply<Response>, BoxError>> {
        (**self).send_boxed(request)
    }
}

/// Why a [`Service`] could not answer a call with a result struct.
#[derive(Debug)]
#[non_exhaustive]
pub enum DispatchError {
    /// No method of this service has that `arg1` (TChannel: bad request).
    UnknownMethod(String),
    /// The args struct did not decode (TChannel: bad request naming struct and field).
    BadRequest(DecodeError),
    /// The handler failed in an undeclared way (TChannel: unexpected error, with this message).
    Unexpected(BoxError),
}

impl fmt::Display for DispatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DispatchError::UnknownMethod(m) => write!(f, "no such method: {m}"),
            DispatchError::BadRequest(e) => write!(f, "cannot decode arguments: {e}"),
            DispatchError::Unexpected(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for DispatchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DispatchError::UnknownMethod(_) => None,
            DispatchError::BadRequest(e) => Some(e),
            DispatchError::Unexpected(e) => Some(&**e),
        }
    }
}

/// A generated server: it decodes a call's args, calls the user's handler and encodes the
/// result. The channel looks a call up by [`methods`](Service::methods) and serves it with
/// [`serve`](Service::serve), whose future it holds in its own (generated servers implement
/// it, and [`call`](Service::call) boxes it).
pub trait Service: Send + Sync + 'static {
    /// The IDL name of the (leaf) service, e.g. `KeyValue`.
    fn name(&self) -> &'static str;
    /// Every `arg1` this service answers, inherited methods included, e.g.
    /// `["KeyValue::getValue", "KeyValue::setValue"]`.
    fn methods(&self) -> &'static [&'static str];
    /// Serves one call. `method` is `arg1`, `args` is `arg3`. The future is boxed and owns
    /// all it needs; [`serve`](Service::serve) is the same call unboxed.
    fn call(
        &self,
        ctx: RequestContext,
        method: &str,
        args: Bytes,
    ) -> BoxFuture<'static, (RequestContext, Result<Response, DispatchError>)>;

    /// Serves one call, as [`call`](Service::call) does, with a future that borrows the
    /// service and the method name rather than being boxed: what the channel awaits, inside
    /// its own future, so a served call is boxed once (as a raw one). Generated servers
    /// implement it; by default it is `call`.
    fn serve(
        &self,
        ctx: RequestContext,
        method: &str,
        args: Bytes,
    ) -> impl Future<Output = (RequestContext, Result<Response, DispatchError>)> + Send
    where
        Self: Sized,
    {
        self.call(ctx, method, args)
    }
}
