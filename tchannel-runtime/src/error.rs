//! Errors: the wire's error codes and the one public [`Error`] type.

use std::fmt;
use std::time::Duration;

/// Error frame codes (protocol section 7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// 0x00: never sent.
    Invalid,
    /// 0x01: no answer within the ttl.
    Timeout,
    /// 0x02: cancelled by a cancel frame.
    Cancelled,
    /// 0x03: overloaded; safe to retry elsewhere.
    Busy,
    /// 0x04: refused for reasons other than load; safe to retry elsewhere.
    Declined,
    /// 0x05: the handler failed; the work may have happened.
    Unexpected,
    /// 0x06: the request can never succeed.
    BadRequest,
    /// 0x07: a socket-level failure.
    Network,
    /// 0x08: a relay refused to forward to an unhealthy node.
    Unhealthy,
    /// 0xFF: fatal protocol error; the connection closes.
    Protocol,
    /// A code this implementation does not know.
    Other(u8),
}

impl ErrorCode {
    /// The code for a byte.
    pub fn from_u8(b: u8) -> Self {
        match b {
            0x00 => ErrorCode::Invalid,
            0x01 => ErrorCode::Timeout,
            0x02 => ErrorCode::Cancelled,
            0x03 => ErrorCode::Busy,
            0x04 => ErrorCode::Declined,
            0x05 => ErrorCode::Unexpected,
            0x06 => ErrorCode::BadRequest,
            0x07 => ErrorCode::Network,
            0x08 => ErrorCode::Unhealthy,
            0xFF => ErrorCode::Protocol,
            other => ErrorCode::Other(other),
        }
    }

    /// The byte on the wire.
    pub fn as_u8(self) -> u8 {
        match self {
            ErrorCode::Invalid => 0x00,
            ErrorCode::Timeout => 0x01,
            ErrorCode::Cancelled => 0x02,
            ErrorCode::Busy => 0x03,
            ErrorCode::Declined => 0x04,
            ErrorCode::Unexpected => 0x05,
            ErrorCode::BadRequest => 0x06,
            ErrorCode::Network => 0x07,
            ErrorCode::Unhealthy => 0x08,
            ErrorCode::Protocol => 0xFF,
            ErrorCode::Other(b) => b,
        }
    }

    fn name(self) -> &'static str {
        match self {
            ErrorCode::Invalid => "invalid",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::Busy => "busy",
            ErrorCode::Declined => "declined",
            ErrorCode::Unexpected => "unexpected error",
            ErrorCode::BadRequest => "bad request",
            ErrorCode::Network => "network error",
            ErrorCode::Unhealthy => "unhealthy",
            ErrorCode::Protocol => "protocol error",
            ErrorCode::Other(_) => "unknown error code",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({:#04x})", self.name(), self.as_u8())
    }
}

/// What went wrong, at the level a caller acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An error frame from the peer, or one we raised locally with a wire meaning.
    Code(ErrorCode),
    /// No peer could be chosen for the call.
    NoPeerAvailable,
    /// `listen` called twice.
    AlreadyListening,
    /// A checksum did not match.
    Checksum,
    /// The channel was closed.
    Closed,
    /// An arg scheme failed to encode or decode a body.
    Scheme,
    /// The peer answered with an application error (call res code 0x01), turned into an
    /// error by `Response::into_result`.
    Application,
}

/// Where an error happened: filled in as far as it is known.
#[derive(Debug, Clone, Default)]
pub(crate) struct Context {
    pub service: Option<String>,
    pub endpoint: Option<String>,
    pub peer: Option<String>,
    pub ttl: Option<Duration>,
    pub elapsed: Option<Duration>,
}

impl Context {
    fn is_empty(&self) -> bool {
        self.service.is_none()
            && self.endpoint.is_none()
            && self.peer.is_none()
            && self.ttl.is_none()
            && self.elapsed.is_none()
    }
}

/// The one error type of this crate.
///
/// Match on it with the predicates; [`Error::code`] gives the wire code where there is one.
///
/// ```
/// use tchannel_runtime::{Error, ErrorCode};
/// let e = Error::from_code(ErrorCode::Busy, "try later");
/// assert!(e.is_busy());
/// assert!(!e.is_timeout());
/// assert_eq!(e.code(), Some(ErrorCode::Busy));
/// ```
#[derive(Clone)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Clone)]
struct Inner {
    kind: Kind,
    message: String,
    ctx: Context,
    source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    pub(crate) fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                ctx: Context::default(),
                source: None,
            }),
        }
    }

    /// An error with a wire code and a message, as an error frame carries.
    pub fn from_code(code: ErrorCode, message: impl Into<String>) -> Self {
        Error::new(Kind::Code(code), message)
    }

    pub(crate) fn network(message: impl Into<String>) -> Self {
        Error::from_code(ErrorCode::Network, message)
    }

    pub(crate) fn protocol(message: impl Into<String>) -> Self {
        Error::from_code(ErrorCode::Protocol, message)
    }

    pub(crate) fn timeout(message: impl Into<String>) -> Self {
        Error::from_code(ErrorCode::Timeout, message)
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Error::from_code(ErrorCode::BadRequest, message)
    }

    /// Whether the error is one of a wire code (its display starts with the code's name).
    pub(crate) fn is_code_kind(&self) -> bool {
        matches!(self.inner.kind, Kind::Code(_))
    }

    /// Attaches `source` as the typed cause of this error, returned by
    /// [`std::error::Error::source`]: middleware that fails a call for a reason of its own
    /// attaches that reason, and code further up recognises it by downcasting rather than by
    /// reading the message. The code, message and context are unchanged, and the source stays
    /// with the error through the call path (clones share it).
    ///
    /// ```
    /// use std::error::Error as _;
    /// use tchannel_runtime::{Error, ErrorCode};
    ///
    /// #[derive(Debug)]
    /// struct QuotaExceeded {
    ///     limit: u32,
    /// }
    /// impl std::fmt::Display for QuotaExceeded {
    ///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    ///         write!(f, "quota of {} calls exceeded", self.limit)
    ///     }
    /// }
    /// impl std::error::Error for QuotaExceeded {}
    ///
    /// let err = Error::from_code(ErrorCode::Busy, "quota exceeded")
    ///     .with_source(QuotaExceeded { limit: 10 });
    /// assert!(err.is_busy());
    /// let quota = err.source().and_then(|s| s.downcast_ref::<QuotaExceeded>());
    /// assert_eq!(quota.map(|q| q.limit), Some(10));
    /// ```
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.inner.source = Some(std::sync::Arc::new(source));
        self
    }

    pub(crate) fn kind(&self) -> Kind {
        self.inner.kind
    }

    /// Adds the call's service and endpoint, unless already known.
    pub(crate) fn for_call(mut self, service: &str, endpoint: &str) -> Self {
        let c = &mut self.inner.ctx;
        c.service.get_or_insert_with(|| service.to_owned());
        c.endpoint.get_or_insert_with(|| endpoint.to_owned());
        self
    }

    pub(crate) fn with_peer(mut self, peer: &str) -> Self {
        self.inner.ctx.peer.get_or_insert_with(|| peer.to_owned());
        self
    }

    pub(crate) fn with_timing(mut self, ttl: Duration, elapsed: Duration) -> Self {
        self.inner.ctx.ttl.get_or_insert(ttl);
        self.inner.ctx.elapsed = Some(elapsed);
        self
    }

    /// The wire error code, for errors that have one (error frames, timeouts, network errors).
    pub fn code(&self) -> Option<ErrorCode> {
        match self.inner.kind {
            Kind::Code(c) => Some(c),
            Kind::Checksum => Some(ErrorCode::BadRequest),
            _ => None,
        }
    }

    /// The message, without context.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The service the call was for, when known.
    pub fn service(&self) -> Option<&str> {
        self.inner.ctx.service.as_deref()
    }

    /// The endpoint (arg1) of the call, when known.
    pub fn endpoint(&self) -> Option<&str> {
        self.inner.ctx.endpoint.as_deref()
    }

    /// The peer `host:port` involved, when known.
    pub fn peer(&self) -> Option<&str> {
        self.inner.ctx.peer.as_deref()
    }

    /// Time from the start of the call to the error, when known.
    pub fn elapsed(&self) -> Option<Duration> {
        self.inner.ctx.elapsed
    }

    fn is_code(&self, code: ErrorCode) -> bool {
        self.inner.kind == Kind::Code(code)
    }

    /// The call did not finish within its timeout (locally, or a timeout error frame).
    pub fn is_timeout(&self) -> bool {
        self.is_code(ErrorCode::Timeout)
    }
    /// The call was cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.is_code(ErrorCode::Cancelled)
    }
    /// The peer was too busy.
    pub fn is_busy(&self) -> bool {
        self.is_code(ErrorCode::Busy)
    }
    /// The peer declined the call.
    pub fn is_declined(&self) -> bool {
        self.is_code(ErrorCode::Declined)
    }
    /// The handler failed unexpectedly.
    pub fn is_unexpected(&self) -> bool {
        self.is_code(ErrorCode::Unexpected)
    }
    /// The request was malformed or named no handler.
    pub fn is_bad_request(&self) -> bool {
        self.is_code(ErrorCode::BadRequest) || self.is_checksum()
    }
    /// A socket-level failure: the connection could not be made or broke.
    pub fn is_network(&self) -> bool {
        self.is_code(ErrorCode::Network)
    }
    /// The peer reported it is unhealthy.
    pub fn is_unhealthy(&self) -> bool {
        self.is_code(ErrorCode::Unhealthy)
    }
    /// A peer broke the protocol.
    pub fn is_protocol(&self) -> bool {
        self.is_code(ErrorCode::Protocol)
    }
    /// No peer could be selected for the call.
    pub fn is_no_peer_available(&self) -> bool {
        self.inner.kind == Kind::NoPeerAvailable
    }
    /// `listen` was called on a channel that already listens elsewhere.
    pub fn is_already_listening(&self) -> bool {
        self.inner.kind == Kind::AlreadyListening
    }
    /// A frame's checksum did not match its args.
    pub fn is_checksum(&self) -> bool {
        self.inner.kind == Kind::Checksum
    }
    /// The channel is closed or closing.
    pub fn is_closed(&self) -> bool {
        self.inner.kind == Kind::Closed
    }
    /// An arg scheme could not encode or decode a body.
    pub fn is_scheme(&self) -> bool {
        self.inner.kind == Kind::Scheme
    }
    /// The peer answered, with an application error (call res code 0x01) rather than a
    /// result: from [`ApplicationError`](crate::ApplicationError), what
    /// [`Response::into_result`](crate::Response::into_result) gives for such a response.
    pub fn is_application_error(&self) -> bool {
        self.inner.kind == Kind::Application
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        match i.kind {
            Kind::Code(c) => write!(f, "{}", c.name())?,
            Kind::NoPeerAvailable => f.write_str("no peer available")?,
            Kind::AlreadyListening => f.write_str("already listening")?,
            Kind::Checksum => f.write_str("checksum mismatch")?,
            Kind::Closed => f.write_str("channel closed")?,
            Kind::Scheme => f.write_str("arg scheme error")?,
            Kind::Application => f.write_str("application error")?,
        }
        if !i.message.is_empty() {
            f.write_str(": ")?;
        } else if !i.ctx.is_empty() {
            f.write_str(" ")?;
        }
        self.fmt_detail(f)
    }
}

impl Error {
    /// What `Display` writes after the kind's name: the message and the context.
    fn fmt_detail(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.write_str(&i.message)?;
        let c = &i.ctx;
        let mut parts = Vec::new();
        if let Some(s) = &c.service {
            parts.push(format!("service {s:?}"));
        }
        if let Some(e) = &c.endpoint {
            parts.push(format!("endpoint {e:?}"));
        }
        if let Some(p) = &c.peer {
            parts.push(format!("peer {p}"));
        }
        if let Some(t) = c.ttl {
            parts.push(format!("ttl {}ms", t.as_millis()));
        }
        if let Some(t) = c.elapsed {
            parts.push(format!("after {}ms", t.as_millis()));
        }
        if !parts.is_empty() {
            let gap = if i.message.is_empty() { "" } else { " " };
            write!(f, "{gap}({})", parts.join(", "))?;
        }
        Ok(())
    }

    /// The display without the kind's name in front: what an error frame carries when the
    /// error's code goes with it (the receiver names the code itself).
    pub(crate) fn detail(&self) -> String {
        struct Detail<'a>(&'a Error);
        impl fmt::Display for Detail<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt_detail(f)
            }
        }
        Detail(self).to_string()
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.inner.kind)
            .field("message", &self.inner.message)
            .field("context", &self.inner.ctx)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::network(e.to_string()).with_source(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_display_is_the_kinds_name_then_the_detail() {
        let e = Error::bad_request("no such key").for_call("svc", "get");
        assert_eq!(e.detail(), r#"no such key (service "svc", endpoint "get")"#);
        assert_eq!(e.to_string(), format!("bad request: {}", e.detail()));
        let bare = Error::bad_request("").for_call("svc", "get");
        assert_eq!(bare.detail(), r#"(service "svc", endpoint "get")"#);
        assert_eq!(
            bare.to_string(),
            r#"bad request (service "svc", endpoint "get")"#
        );
        assert_eq!(Error::bad_request("").to_string(), "bad request");
        assert_eq!(Error::bad_request("").detail(), "");
    }
}
