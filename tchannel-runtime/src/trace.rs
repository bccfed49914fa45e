//! Trace propagation: the 25-byte tracing field of call frames.
//!
//! Every call carries a span (`span_id`, `parent_id`, `trace_id`, `flags` with bit `0x01` =
//! sampled), as Zipkin models it: the caller picks the span id, and the server handles the
//! call *as that span* (Zipkin's shared client/server span). So:
//!
//! - a handler sees the inbound span in [`TransportInfo::tracing`](crate::TransportInfo) and,
//!   while it runs, in [`current()`];
//! - a call made while handling a request (from the handler's own task, or from inbound
//!   middleware) is a child span: same trace id, `parent_id` = the inbound span's id, a fresh
//!   span id, the same flags;
//! - any other call starts a new trace (a root: `trace_id == span_id`, `parent_id == 0`),
//!   sampled when the channel traces ([`ChannelBuilder::trace`](crate::ChannelBuilder::trace))
//!   and a draw falls under its sample rate
//!   ([`ChannelBuilder::trace_sample_rate`](crate::ChannelBuilder::trace_sample_rate));
//! - work spawned off the handler's task does not inherit [`current()`]: pass the span on
//!   explicitly with [`CallOptions::tracing`](crate::CallOptions::tracing) and
//!   [`Tracing::child`], or run it inside [`scope`].
//!
//! Each inbound and outbound call is also a [`tracing`](https://docs.rs/tracing) span
//! (`tchannel.inbound` / `tchannel.outbound`, with fields `service`, `endpoint`,
//! `trace_id`, `span_id`, `parent_id` as 16 hex digits), which costs nothing without a
//! subscriber.
//!
//! ```
//! use tchannel_runtime::frame::Tracing;
//! let root = Tracing::new_root(true);
//! assert_eq!((root.trace_id, root.parent_id), (root.span_id, 0));
//! let child = root.child();
//! assert_eq!(child.trace_id, root.trace_id);
//! assert_eq!(child.parent_id, root.span_id);
//! assert_ne!(child.span_id, root.span_id);
//! assert!(child.is_sampled());
//! ```

use crate::error::Error;
use crate::frame::Tracing;
use crate::middleware::{
    BoxFuture, InboundMiddleware, InboundNext, InboundRequest, InboundResponse, OutboundMiddleware,
    OutboundNext, OutboundRequest, OutboundResponse,
};
use crate::scheme::HeaderMap;
use std::cell::Cell;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

thread_local! {
    /// The span of the call whose future this thread is polling: set by [`Scoped`] around
    /// each poll and restored after, so it behaves as a task-local (a plain `Cell` costs a
    /// few instructions per poll, where tokio's task-locals cost a couple of hundred).
    static CURRENT: Cell<Option<Tracing>> = const { Cell::new(None) };
}

tokio::task_local! {
    static BAGGAGE: Arc<HeaderMap>;
}

/// The prefix of application headers that carry tracing context, as tchannel-python and
/// tchannel-go name them.
pub const HEADER_PREFIX: &str = "$tracing$";
/// The text-map key of the span context (Jaeger's), after [`HEADER_PREFIX`].
pub const TRACE_ID_KEY: &str = "uber-trace-id";
/// The text-map prefix of a baggage item (Jaeger's), after [`HEADER_PREFIX`].
pub const BAGGAGE_PREFIX: &str = "uberctx-";

/// The baggage of the inbound call the current task is handling (or set with
/// [`with_baggage`]), if any.
pub fn baggage() -> Option<Arc<HeaderMap>> {
    BAGGAGE.try_with(Arc::clone).ok()
}

/// Runs `fut` with `items` as the current baggage: with the [`Baggage`] layer installed,
/// calls it makes carry them in `$tracing$uberctx-<key>` application headers.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use tchannel_runtime::{scheme::HeaderMap, trace};
/// let mut items = HeaderMap::new();
/// items.insert("user".into(), "alice".into());
/// let seen = trace::with_baggage(items, async { trace::baggage() }).await;
/// assert_eq!(seen.unwrap()["user"], "alice");
/// # }
/// ```
pub fn with_baggage<F: Future>(items: HeaderMap, fut: F) -> impl Future<Output = F::Output> {
    BAGGAGE.scope(Arc::new(items), fut)
}

/// Propagates baggage and the span context in `$tracing$` application headers of `json` and
/// `thrift` calls, as tchannel-python and tchannel-go do with a Jaeger tracer
/// (`$tracing$uber-trace-id` = `trace:span:parent:flags` in hex, `$tracing$uberctx-<key>` =
/// a baggage item). Install it on both sides:
///
/// - inbound, it reads the `$tracing$uberctx-*` headers into the [`baggage()`] of the
///   handler's task (the headers stay visible to the handler);
/// - outbound, it adds the current span context and baggage to the call's headers (keys
///   already set are left alone). `raw` calls have no header map and are passed through.
///
/// ```
/// use tchannel_runtime::{trace::Baggage, TChannel};
/// let ch = TChannel::builder("svc").inbound(Baggage).outbound(Baggage).build();
/// # let _ = ch;
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Baggage;

impl InboundMiddleware for Baggage {
    fn call(
        &self,
        req: InboundRequest,
        next: InboundNext,
    ) -> BoxFuture<'static, Result<InboundResponse, Error>> {
        let items: HeaderMap = match req.json_headers() {
            Ok(h) => h
                .into_iter()
                .filter_map(|(k, v)| {
                    let key = k
                        .strip_prefix(HEADER_PREFIX)?
                        .strip_prefix(BAGGAGE_PREFIX)?;
                    Some((key.to_owned(), v))
                })
                .collect(),
            // Not ours to reject: the handler's scheme will.
            Err(_) => HeaderMap::new(),
        };
        if items.is_empty() {
            Box::pin(next.run(req))
        } else {
            Box::pin(with_baggage(items, next.run(req)))
        }
    }
}

impl OutboundMiddleware for Baggage {
    fn call(
        &self,
        mut req: OutboundRequest,
        next: OutboundNext,
    ) -> BoxFuture<'static, Result<OutboundResponse, Error>> {
        if req.scheme() == "json" || req.scheme() == "thrift" {
            if let Err(e) = inject(&mut req) {
                return Box::pin(async move { Err(e) });
            }
        }
        Box::pin(next.run(req))
    }
}

fn inject(req: &mut OutboundRequest) -> Result<(), Error> {
    let mut headers = req.json_headers()?;
    if let Some(t) = req.options.get_tracing() {
        headers
            .entry(format!("{HEADER_PREFIX}{TRACE_ID_KEY}"))
            .or_insert_with(|| {
                format!(
                    "{:x}:{:x}:{:x}:{:x}",
                    t.trace_id, t.span_id, t.parent_id, t.flags
                )
            });
    }
    for (k, v) in baggage().iter().flat_map(|b| b.iter()) {
        headers
            .entry(format!("{HEADER_PREFIX}{BAGGAGE_PREFIX}{k}"))
            .or_insert_with(|| v.clone());
    }
    req.set_header_map(&headers)
}

/// The span of the inbound call the current task is handling, if any.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use tchannel_runtime::{frame::Tracing, trace};
/// assert!(trace::current().is_none());
/// let span = Tracing::new_root(false);
/// let seen = trace::scope(span, async { trace::current() }).await;
/// assert_eq!(seen, Some(span));
/// # }
/// ```
pub fn current() -> Option<Tracing> {
    CURRENT.with(Cell::get)
}

/// Runs `fut` with `span` as the [`current()`] span: calls it makes are children of `span`.
pub fn scope<F: Future>(span: Tracing, fut: F) -> impl Future<Output = F::Output> {
    Scoped::new(span, tracing::Span::none(), fut)
}

/// Sets the current span until dropped (also on unwind), then restores the previous one.
pub(crate) struct Enter(Option<Tracing>);

impl Enter {
    pub(crate) fn new(span: Tracing) -> Self {
        Enter(CURRENT.with(|c| c.replace(Some(span))))
    }
}

impl Drop for Enter {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(self.0));
    }
}

pin_project_lite::pin_project! {
    /// A future polled with `span` as the current span and inside the `tracing` span
    /// `tspan`: the wrapper of every served call.
    pub(crate) struct Scoped<F> {
        span: Tracing,
        tspan: tracing::Span,
        #[pin]
        fut: F,
    }
}

impl<F> Scoped<F> {
    pub(crate) fn new(span: Tracing, tspan: tracing::Span, fut: F) -> Self {
        Scoped { span, tspan, fut }
    }
}

impl<F: Future> Future for Scoped<F> {
    type Output = F::Output;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<F::Output> {
        let this = self.project();
        let _restore = Enter::new(*this.span);
        let _entered = (!this.tspan.is_disabled()).then(|| this.tspan.enter());
        this.fut.poll(cx)
    }
}

/// The sampled bit of [`Tracing::flags`].
pub const SAMPLED: u8 = 0x01;

impl Tracing {
    /// A new trace's root span: `trace_id == span_id`, no parent, flags `0x01` if `sampled`.
    pub fn new_root(sampled: bool) -> Tracing {
        let id = crate::id::random_id();
        Tracing {
            span_id: id,
            parent_id: 0,
            trace_id: id,
            flags: if sampled { SAMPLED } else { 0 },
        }
    }

    /// A child span: same trace and flags, this span as the parent, a fresh span id.
    pub fn child(&self) -> Tracing {
        Tracing {
            span_id: crate::id::random_id(),
            parent_id: self.span_id,
            trace_id: self.trace_id,
            flags: self.flags,
        }
    }

    /// Bit `0x01` of the flags.
    pub fn is_sampled(&self) -> bool {
        self.flags & SAMPLED != 0
    }
}

/// Whether new traces are sampled: the channel's `trace` switch and sample rate.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sampler {
    pub enabled: bool,
    pub rate: f64,
}

impl Default for Sampler {
    fn default() -> Self {
        Sampler {
            enabled: true,
            rate: 1.0,
        }
    }
}

impl Sampler {
    /// Draws whether a new root span is sampled.
    pub(crate) fn sample(&self) -> bool {
        if !self.enabled || self.rate <= 0.0 {
            return false;
        }
        if self.rate >= 1.0 {
            return true;
        }
        crate::id::unit_random() < self.rate
    }
}

/// The `tracing` span of one call, named `$name`, with the ids as hex fields.
macro_rules! call_span {
    ($name:literal, $service:expr, $endpoint:expr, $t:expr) => {{
        let t: &$crate::frame::Tracing = $t;
        tracing::info_span!(
            $name,
            service = %$service,
            endpoint = %$endpoint,
            trace_id = %$crate::trace::Hex(t.trace_id),
            span_id = %$crate::trace::Hex(t.span_id),
            parent_id = %$crate::trace::Hex(t.parent_id),
            sampled = t.is_sampled(),
        )
    }};
}
pub(crate) use call_span;

/// A span id as 16 hex digits, formatted only when a `tracing` subscriber records it.
#[derive(Clone, Copy)]
pub(crate) struct Hex(pub u64);

impl fmt::Display for Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl fmt::Debug for Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampler_honours_switch_and_rate() {
        let off = Sampler {
            enabled: false,
            rate: 1.0,
        };
        assert!(!off.sample());
        let never = Sampler {
            enabled: true,
            rate: 0.0,
        };
        assert!(!never.sample());
        assert!(Sampler::default().sample());
        let half = Sampler {
            enabled: true,
            rate: 0.5,
        };
        let n = (0..10_000).filter(|_| half.sample()).count();
        assert!((4_000..6_000).contains(&n), "{n}");
    }

    #[test]
    fn rates_outside_zero_to_one_and_nan_are_well_defined() {
        let at = |rate| Sampler {
            enabled: true,
            rate,
        };
        let count = |s: Sampler| (0..1_000).filter(|_| s.sample()).count();
        assert_eq!(count(at(f64::NAN)), 0, "NaN samples nothing");
        assert_eq!(count(at(-1.0)), 0);
        assert_eq!(count(at(f64::NEG_INFINITY)), 0);
        assert_eq!(count(at(2.0)), 1_000);
        assert_eq!(count(at(f64::INFINITY)), 1_000);
    }
}
