//! Streamed calls through the middleware chains: the types of the layers' `stream` hooks
//! (re-exported from [`middleware`](crate::middleware), whose "Streamed calls" section says
//! what a layer can and cannot do with a stream) and their `on_end` functions. It imports
//! neither `middleware` nor `channel`: `channel/stream.rs` runs the hooks.

use crate::call::{CallOptions, Name, TransportInfo};
use crate::error::{Error, ErrorCode};
use crate::frame::TransportHeaders;

/// How a streamed call ended, as an `on_end` function is told.
#[derive(Debug)]
pub enum StreamOutcome<'a> {
    /// The response ended well (call res code 0).
    Success,
    /// The response ended as an application error (code 0x01).
    AppError,
    /// The call failed: an error frame, a local failure, a timeout, a cancel.
    Failed(&'a Error),
}

type EndFn = Box<dyn FnOnce(&StreamOutcome<'_>) + Send>;

/// The `on_end` functions of one streamed call, called once, in reverse order of
/// registration (innermost layer first). Dropped without an outcome, they are told the call
/// was cancelled (or timed out, past `deadline`).
pub(crate) struct StreamEnds {
    fns: Vec<EndFn>,
    deadline: tokio::time::Instant,
}

impl StreamEnds {
    /// No functions: what a call has without layers (no allocation).
    pub(crate) fn none(deadline: tokio::time::Instant) -> Self {
        StreamEnds {
            fns: Vec::new(),
            deadline,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.fns.is_empty()
    }

    /// Tells every function how the call ended (once: later calls do nothing).
    pub(crate) fn finish(&mut self, outcome: StreamOutcome<'_>) {
        while let Some(f) = self.fns.pop() {
            f(&outcome);
        }
    }

    /// Ends the call with `result`'s error, if it is one, and passes it on.
    pub(crate) fn fail_on<T>(&mut self, result: Result<T, Error>) -> Result<T, Error> {
        if let Err(e) = &result {
            self.finish(StreamOutcome::Failed(e));
        }
        result
    }
}

impl Default for StreamEnds {
    fn default() -> Self {
        StreamEnds::none(tokio::time::Instant::now())
    }
}

impl Drop for StreamEnds {
    fn drop(&mut self) {
        if self.fns.is_empty() {
            return;
        }
        let e = if tokio::time::Instant::now() >= self.deadline {
            Error::timeout("the streamed call passed its deadline")
        } else {
            Error::from_code(
                ErrorCode::Cancelled,
                "the streamed call was dropped before its end",
            )
        };
        self.finish(StreamOutcome::Failed(&e));
    }
}

impl std::fmt::Debug for StreamEnds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamEnds")
            .field("fns", &self.fns.len())
            .finish()
    }
}

/// A streamed call this channel makes, as an outbound layer's
/// [`stream`](crate::middleware::OutboundMiddleware::stream) hook sees it before anything is sent.
///
/// ```
/// use tchannel_runtime::middleware::{OutboundStreamCall, StreamOutcome};
/// use tchannel_runtime::CallOptions;
/// let mut call = OutboundStreamCall::new("files", "upload", "raw", CallOptions::default());
/// call.transport.insert("sk", "user-1");
/// call.on_end(|outcome| assert!(matches!(outcome, StreamOutcome::Success)));
/// call.end(StreamOutcome::Success);
/// ```
#[derive(Debug)]
pub struct OutboundStreamCall {
    /// The service called.
    pub service: Name,
    /// The endpoint (arg1).
    pub endpoint: Name,
    /// The transport headers to send (`as`, `cn`, `re` and those set on the call). They are
    /// checked against the wire's limits after the layers ran.
    pub transport: TransportHeaders,
    /// The call's options; [`CallOptions::get_tracing`] is set: the span the call is sent as.
    /// Changing them here changes nothing (the call's peer, timeout and checksum are chosen).
    pub options: CallOptions,
    app: String,
    ends: StreamEnds,
}

impl OutboundStreamCall {
    /// A call as a layer would see it, for testing a layer (the channel builds its own).
    pub fn new(
        service: impl Into<Name>,
        endpoint: impl Into<Name>,
        scheme: impl Into<String>,
        options: CallOptions,
    ) -> Self {
        let mut transport = TransportHeaders::new();
        transport.insert("as", scheme.into());
        let timeout = options
            .get_timeout()
            .unwrap_or(std::time::Duration::from_secs(1));
        OutboundStreamCall {
            service: service.into(),
            endpoint: endpoint.into(),
            transport,
            options,
            app: String::new(),
            ends: StreamEnds {
                fns: Vec::new(),
                deadline: tokio::time::Instant::now() + timeout,
            },
        }
    }

    /// The service name of the channel making the call.
    pub fn channel_service(&self) -> &str {
        &self.app
    }

    /// Registers `f` to be told how the call ended (once).
    pub fn on_end(&mut self, f: impl FnOnce(&StreamOutcome<'_>) + Send + 'static) {
        self.ends.fns.push(Box::new(f));
    }

    /// Tells the registered functions how the call ended (what the channel does; for tests
    /// of a layer).
    pub fn end(mut self, outcome: StreamOutcome<'_>) {
        self.ends.finish(outcome);
    }

    /// The call as the channel's layers see it: made by channel `app`, ending by `deadline`.
    pub(crate) fn for_channel(mut self, app: &str, deadline: tokio::time::Instant) -> Self {
        self.app = app.to_owned();
        self.ends.deadline = deadline;
        self
    }

    /// A layer refused the call: the layers before it are told.
    pub(crate) fn refused(mut self, e: &Error) {
        self.ends.finish(StreamOutcome::Failed(e));
    }

    /// The headers the layers left, and their `on_end` functions.
    pub(crate) fn into_parts(self) -> (TransportHeaders, StreamEnds) {
        (self.transport, self.ends)
    }
}

/// A streamed call this channel serves, as an inbound layer's
/// [`stream`](crate::middleware::InboundMiddleware::stream) hook sees it before the handler runs.
#[derive(Debug)]
pub struct InboundStreamCall {
    /// The endpoint (arg1).
    pub endpoint: Name,
    /// What the transport says: caller, service, scheme, ttl, transport headers, tracing,
    /// peer. The handler gets it as the layers leave it.
    pub transport: TransportInfo,
    app: String,
    ends: StreamEnds,
}

impl InboundStreamCall {
    /// The service name of the channel serving the call.
    pub fn channel_service(&self) -> &str {
        &self.app
    }

    /// Registers `f` to be told how the call ended (once).
    pub fn on_end(&mut self, f: impl FnOnce(&StreamOutcome<'_>) + Send + 'static) {
        self.ends.fns.push(Box::new(f));
    }

    /// A call to channel `app`, before its layers ran.
    pub(crate) fn new(app: &str, endpoint: Name, transport: TransportInfo) -> Self {
        let deadline = transport.deadline;
        InboundStreamCall {
            endpoint,
            transport,
            app: app.to_owned(),
            ends: StreamEnds::none(deadline),
        }
    }

    /// A layer refused the call: the layers before it are told.
    pub(crate) fn refused(mut self, e: &Error) {
        self.ends.finish(StreamOutcome::Failed(e));
    }

    /// What the layers left, for the handler, and their `on_end` functions.
    pub(crate) fn into_parts(self) -> (Name, TransportInfo, StreamEnds) {
        (self.endpoint, self.transport, self.ends)
    }
}
