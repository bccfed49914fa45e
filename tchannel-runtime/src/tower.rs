//! tower interop (feature `tower`): any [`tower::Layer`] as outbound or inbound middleware,
//! and a channel as a [`tower::Service`].
//!
//! The native [`middleware`](crate::middleware) stays the model (a layer is a function of the
//! request and the rest of the chain); this module bridges to tower's so that its layers can
//! be used as they are: `ConcurrencyLimitLayer`, `TimeoutLayer`, `RateLimitLayer`,
//! `LoadShedLayer`, `RetryLayer` (with a budget), or a whole `ServiceBuilder` stack.
//!
//! - [`from_layer`] builds the layer's service once around [`Next`] (the rest of the chain)
//!   and gives a middleware for [`ChannelBuilder::outbound`](crate::ChannelBuilder::outbound)
//!   or [`ChannelBuilder::inbound`](crate::ChannelBuilder::inbound). The tower stack sees an
//!   [`OutboundCall`] or [`InboundCall`]: the request, and the rest of the chain to run it
//!   with. Calls share the one service, so a concurrency limit or a rate counts every call
//!   of the channel; each call waits for `poll_ready` in turn (the service is not required
//!   to be `Clone`, so `RateLimit` works as it is). That wait counts against the call's
//!   timeout: it ends at the call's deadline with a timeout error, and a call that waited
//!   goes on with what is left of its timeout (its ttl says so).
//! - `TChannel` implements `Service<OutboundRequest>`: a call through the channel's own
//!   middleware, then the network, for code written against tower.
//!
//! Errors from the stack become the crate's [`Error`]: one that is an `Error` stays as it is;
//! tower's timeout (`tower::timeout::error::Elapsed`) becomes a timeout
//! ([`Error::is_timeout`]) and load shedding (`tower::load_shed::error::Overloaded`) becomes
//! Busy ([`Error::is_busy`], safe to retry elsewhere); inbound, they go back to the caller as
//! Timeout and Busy error frames. Any other error is an unexpected error with its message.
//!
//! ```
//! use std::time::Duration;
//! use tchannel_runtime::middleware::OutboundRequest;
//! use tchannel_runtime::tower::from_layer;
//! use tchannel_runtime::{CallOptions, Raw, Response, TChannel};
//! use tower::limit::ConcurrencyLimitLayer;
//! use tower::load_shed::LoadShedLayer;
//! use tower::timeout::TimeoutLayer;
//! use tower::{ServiceBuilder, ServiceExt};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), tower::BoxError> {
//!     let server = TChannel::builder("echo")
//!         // Past 100 calls being served, answer Busy at once (is_busy(), safe to retry
//!         // elsewhere) rather than queue.
//!         .inbound(from_layer(
//!             ServiceBuilder::new()
//!                 .layer(LoadShedLayer::new())
//!                 .layer(ConcurrencyLimitLayer::new(100)),
//!         ))
//!         .build();
//!     server.register("echo", Raw, |req| async move { Ok(Response::new(req.body)) });
//!     let addr = server.listen("127.0.0.1:0").await?;
//!
//!     let client = TChannel::builder("client")
//!         // At most 64 calls in flight from this channel, each given up after 2 s (is_timeout()).
//!         .outbound(from_layer(ConcurrencyLimitLayer::new(64)))
//!         .outbound(from_layer(TimeoutLayer::new(Duration::from_secs(2))))
//!         .build();
//!     let res = client.raw("echo", "echo").hostport(addr).body("hi").await?;
//!     assert_eq!(res.body, "hi");
//!
//!     // The channel as a tower::Service of encoded requests, for code written against tower.
//!     let svc = ServiceBuilder::new().rate_limit(100, Duration::from_secs(1)).service(client);
//!     let opts = CallOptions::default().hostport(addr);
//!     let req = OutboundRequest::new("echo", "echo", "raw", "", "hi", opts);
//!     let res = svc.oneshot(req).await?; // errors are BoxError, as tower's are
//!     assert_eq!(res.body, "hi");
//!     server.close().await;
//!     Ok(())
//! }
//! ```

use crate::error::{Error, ErrorCode};
use crate::middleware::{
    BoxFuture, InboundMiddleware, InboundNext, InboundRequest, InboundResponse, OutboundMiddleware,
    OutboundNext, OutboundRequest, OutboundResponse,
};
use crate::TChannel;
use ::tower::{Layer, Service};
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::time::Instant;

/// What a tower stack in an outbound chain is called with: the request, and the rest of the
/// chain (the layers after this one, then the network), which [`Next`] runs.
///
/// Cloning it (for a retry policy's `clone_request`) clones the request and the handle on
/// the rest of the chain: a retry sends the call again through the layers after this one.
#[derive(Debug, Clone)]
pub struct OutboundCall {
    /// The request, as the layers before this one left it.
    pub request: OutboundRequest,
    /// The rest of the chain.
    pub next: OutboundNext,
}

/// What a tower stack in an inbound chain is called with: the request, and the rest of the
/// chain (the layers after this one, then the handler), which [`Next`] runs.
#[derive(Debug, Clone)]
pub struct InboundCall {
    /// The request, as the layers before this one left it.
    pub request: InboundRequest,
    /// The rest of the chain.
    pub next: InboundNext,
}

/// The innermost service of a tower stack used as middleware: runs the rest of the chain.
/// Always ready.
#[derive(Debug, Clone, Copy, Default)]
pub struct Next;

/// `Next` as the service, and `TowerMiddleware` as the middleware, of one direction.
macro_rules! direction {
    ($call:ident, $req:ident, $res:ident, $next:ident, $middleware:ident) => {
        impl Service<$call> for Next {
            type Response = $res;
            type Error = Error;
            type Future = BoxFuture<'static, Result<$res, Error>>;

            fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
                Poll::Ready(Ok(()))
            }

            fn call(&mut self, call: $call) -> Self::Future {
                Box::pin(call.next.run(call.request))
            }
        }

        impl<S> $middleware for TowerMiddleware<S>
        where
            S: Service<$call, Response = $res> + Send + 'static,
            S::Error: Into<::tower::BoxError>,
            S::Future: Send + 'static,
        {
            fn call(&self, request: $req, next: $next) -> BoxFuture<'static, Result<$res, Error>> {
                let call = $call { request, next };
                let deadline = call.deadline();
                Box::pin(ready_call(self.service.clone(), call, deadline))
            }
        }
    };
}

direction!(
    OutboundCall,
    OutboundRequest,
    OutboundResponse,
    OutboundNext,
    OutboundMiddleware
);
direction!(
    InboundCall,
    InboundRequest,
    InboundResponse,
    InboundNext,
    InboundMiddleware
);

/// A tower layer as middleware: its service, built once around [`Next`], shared by every
/// call. From [`from_layer`]; an [`OutboundMiddleware`] when the service takes
/// [`OutboundCall`]s, an [`InboundMiddleware`] when it takes [`InboundCall`]s.
pub struct TowerMiddleware<S> {
    service: Arc<tokio::sync::Mutex<S>>,
}

impl<S> std::fmt::Debug for TowerMiddleware<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TowerMiddleware")
            .field("service", &std::any::type_name::<S>())
            .finish()
    }
}

/// Middleware from a tower layer: `layer.layer(Next)`, built now, shared by every call (see
/// the [module docs](self)).
pub fn from_layer<L: Layer<Next>>(layer: L) -> TowerMiddleware<L::Service> {
    TowerMiddleware {
        service: Arc::new(tokio::sync::Mutex::new(layer.layer(Next))),
    }
}

/// A call's deadline, and what is left of its time once a layer has made it wait.
trait Deadline {
    /// When the call gives up.
    fn deadline(&self) -> Instant;
    /// The call starts now, with this much time left.
    fn starts_with(&mut self, left: std::time::Duration);
}

impl Deadline for OutboundCall {
    /// Its timeout (else the channel's default) from now.
    fn deadline(&self) -> Instant {
        let timeout = match self.request.options.get_timeout() {
            Some(t) => t,
            None => self.next.channel().config().default_timeout,
        };
        crate::channel::deadline_after(Instant::now(), timeout)
    }
    /// The timeout is what is left (the ttl sent says so too).
    fn starts_with(&mut self, left: std::time::Duration) {
        let options = std::mem::take(&mut self.request.options);
        self.request.options = options.timeout(left);
    }
}

impl Deadline for InboundCall {
    /// The caller's deadline.
    fn deadline(&self) -> Instant {
        self.request.transport.deadline
    }
    /// Nothing to do: the deadline is absolute.
    fn starts_with(&mut self, _left: std::time::Duration) {}
}

/// Waits until the shared service is ready, then starts the call: the lock is held while it
/// waits for `poll_ready` (so that the readiness, a permit say, is used by this call), and
/// released before the call's future runs. The wait ends at the call's deadline with a
/// timeout (tower's own `Timeout` does not bound `poll_ready`, so a call queued behind a
/// concurrency limit would otherwise wait past its timeout). A call that waited 1 ms or
/// more goes on with what is left of its timeout.
async fn ready_call<S, R: Deadline>(
    service: Arc<tokio::sync::Mutex<S>>,
    mut req: R,
    deadline: Instant,
) -> Result<S::Response, Error>
where
    S: Service<R>,
    S::Error: Into<::tower::BoxError>,
{
    let start = Instant::now();
    let ready = async {
        let mut svc = service.lock().await;
        std::future::poll_fn(|cx| svc.poll_ready(cx))
            .await
            .map_err(to_error)?;
        if start.elapsed() >= std::time::Duration::from_millis(1) {
            req.starts_with(deadline.saturating_duration_since(Instant::now()));
        }
        Ok::<_, Error>(svc.call(req))
    };
    let fut = match tokio::time::timeout_at(deadline, ready).await {
        Ok(started) => started?,
        Err(_) => {
            return Err(Error::from_code(
                ErrorCode::Timeout,
                "tower: the layer was not ready before the call's deadline",
            ))
        }
    };
    fut.await.map_err(to_error)
}

/// A tower error that is not one of ours, kept as the source of the `Error` made of it.
#[derive(Debug)]
struct Source(::tower::BoxError);

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Source {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// A tower stack's error as the crate's: ours as is, tower's timeout and load shedding as
/// Timeout and Busy, anything else unexpected.
fn to_error(e: impl Into<::tower::BoxError>) -> Error {
    let e = e.into();
    let e = match e.downcast::<Error>() {
        Ok(ours) => return *ours,
        Err(e) => e,
    };
    let code = if e.is::<::tower::timeout::error::Elapsed>() {
        ErrorCode::Timeout
    } else if e.is::<::tower::load_shed::error::Overloaded>() {
        ErrorCode::Busy
    } else {
        ErrorCode::Unexpected
    };
    Error::from_code(code, format!("tower: {e}")).with_source(Source(e))
}

/// A channel as a tower service: each request goes through the channel's outbound
/// middleware, then to a peer (as [`TChannel::raw`] and the others do, with the args already
/// encoded). Always ready; a closed channel fails the call with [`Error::is_closed`].
///
/// ```
/// use tchannel_runtime::middleware::OutboundRequest;
/// use tchannel_runtime::{CallOptions, Raw, Response, TChannel};
/// use tower::{ServiceBuilder, ServiceExt};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), tchannel_runtime::Error> {
/// let server = TChannel::new("echo");
/// server.register("echo", Raw, |req| async move { Ok(Response::new(req.body)) });
/// let addr = server.listen("127.0.0.1:0").await?;
///
/// let client = TChannel::new("client");
/// let svc = ServiceBuilder::new().concurrency_limit(8).service(client.clone());
/// let opts = CallOptions::default().hostport(addr);
/// let req = OutboundRequest::new("echo", "echo", "raw", "", "hi", opts);
/// let res = svc.oneshot(req).await?;
/// assert_eq!(res.body, "hi");
/// # server.close().await; Ok(()) }
/// ```
impl Service<OutboundRequest> for TChannel {
    type Response = OutboundResponse;
    type Error = Error;
    type Future = BoxFuture<'static, Result<OutboundResponse, Error>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: OutboundRequest) -> Self::Future {
        let inner = self.inner().clone();
        Box::pin(async move { inner.outbound(req, false).await })
    }
}
