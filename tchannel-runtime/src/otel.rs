//! OpenTelemetry bridge (cargo feature `otel`): every sampled call as an OpenTelemetry span
//! with TChannel's own ids, so Zipkin or Jaeger show the same call tree the tracing fields
//! describe.
//!
//! - [`OtelLayer`] is a middleware layer for both directions. An outbound call becomes a
//!   `Client` span and an inbound one a `Server` span, named after the endpoint, with the
//!   ids of the call's tracing field: trace id (the 64-bit id in the low half of the 128-bit
//!   OpenTelemetry one), span id, and the parent span id as a remote parent. A served call
//!   shares the caller's span id, as in Zipkin (and tchannel-node).
//! - [`TChannelIds`] is the id generator the tracer provider must be built with: it hands
//!   the SDK the ids the layer asks for (and random ones to everything else).
//! - Calls whose sampled flag (`0x01`) is clear are not exported.
//!
//! ```
//! use opentelemetry::trace::TracerProvider;
//! use opentelemetry_sdk::trace::SdkTracerProvider;
//! use tchannel_runtime::otel::{OtelLayer, TChannelIds};
//! use tchannel_runtime::TChannel;
//!
//! let provider = SdkTracerProvider::builder()
//!     .with_id_generator(TChannelIds)
//!     // .with_batch_exporter(a Jaeger, Zipkin or OTLP exporter)
//!     .build();
//! let layer = OtelLayer::new(provider.tracer("tchannel"));
//! let ch = TChannel::builder("svc").outbound(layer.clone()).inbound(layer).build();
//! # let _ = ch;
//! ```

use crate::error::Error;
use crate::frame::Tracing;
use crate::middleware::{
    BoxFuture, InboundMiddleware, InboundNext, InboundRequest, InboundResponse, OutboundMiddleware,
    OutboundNext, OutboundRequest, OutboundResponse,
};
use opentelemetry::trace::{
    SpanContext, SpanId, SpanKind, Status, TraceContextExt, TraceFlags, TraceId, TraceState, Tracer,
};
use opentelemetry::{Context, KeyValue};
use opentelemetry_sdk::trace::{IdGenerator, RandomIdGenerator};
use std::cell::Cell;
use std::sync::Arc;

thread_local! {
    /// The ids the next span built on this thread gets (set around one `start` call).
    static NEXT: Cell<Option<(u64, u64)>> = const { Cell::new(None) };
}

/// The id generator that gives OpenTelemetry spans TChannel's ids: build the tracer
/// provider of the [`OtelLayer`]'s tracer with it. Spans not made by the layer get random
/// ids as with the SDK's default generator.
///
/// ```
/// use opentelemetry_sdk::trace::SdkTracerProvider;
/// let provider = SdkTracerProvider::builder()
///     .with_id_generator(tchannel_runtime::otel::TChannelIds)
///     .build();
/// # let _ = provider;
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct TChannelIds;

impl IdGenerator for TChannelIds {
    fn new_trace_id(&self) -> TraceId {
        match NEXT.with(Cell::get) {
            Some((trace, _)) => TraceId::from(trace as u128),
            None => RandomIdGenerator::default().new_trace_id(),
        }
    }

    fn new_span_id(&self) -> SpanId {
        match NEXT.with(Cell::get) {
            Some((_, span)) => SpanId::from(span),
            None => RandomIdGenerator::default().new_span_id(),
        }
    }
}

/// A middleware layer, outbound and inbound, that exports each sampled call as an
/// OpenTelemetry span through `T` (see the [module docs](self)).
pub struct OtelLayer<T> {
    tracer: Arc<T>,
}

impl<T> Clone for OtelLayer<T> {
    fn clone(&self) -> Self {
        OtelLayer {
            tracer: self.tracer.clone(),
        }
    }
}

impl<T> std::fmt::Debug for OtelLayer<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OtelLayer").finish_non_exhaustive()
    }
}

impl<T> OtelLayer<T>
where
    T: Tracer + Send + Sync + 'static,
    T::Span: Send + Sync + 'static,
{
    /// A layer exporting through `tracer` (from a provider built with [`TChannelIds`]).
    pub fn new(tracer: T) -> Self {
        OtelLayer {
            tracer: Arc::new(tracer),
        }
    }

    /// Starts the span of a call with the ids of `t`, or none if `t` is not sampled.
    fn start(
        &self,
        t: &Tracing,
        kind: SpanKind,
        endpoint: &str,
        attributes: Vec<KeyValue>,
    ) -> Option<T::Span> {
        if !t.is_sampled() {
            return None;
        }
        let parent = if t.parent_id != 0 {
            Context::new().with_remote_span_context(SpanContext::new(
                TraceId::from(t.trace_id as u128),
                SpanId::from(t.parent_id),
                TraceFlags::SAMPLED,
                true,
                TraceState::default(),
            ))
        } else {
            Context::new()
        };
        let builder = self
            .tracer
            .span_builder(endpoint.to_owned())
            .with_kind(kind)
            .with_attributes(attributes);
        NEXT.with(|n| n.set(Some((t.trace_id, t.span_id))));
        let span = builder.start_with_context(&*self.tracer, &parent);
        NEXT.with(|n| n.set(None));
        Some(span)
    }
}

/// Runs the call, then ends its span (if sampled) with an error status for a failure.
async fn traced<S: opentelemetry::trace::Span, R>(
    span: Option<S>,
    call: impl std::future::Future<Output = Result<R, Error>>,
    ok: fn(&R) -> bool,
) -> Result<R, Error> {
    let res = call.await;
    if let Some(mut span) = span {
        match &res {
            Ok(r) if ok(r) => {}
            Ok(_) => span.set_status(Status::error("application error")),
            Err(e) => span.set_status(Status::error(e.to_string())),
        }
        span.end();
    }
    res
}

impl<T> OutboundMiddleware for OtelLayer<T>
where
    T: Tracer + Send + Sync + 'static,
    T::Span: Send + Sync + 'static,
{
    fn call(
        &self,
        req: OutboundRequest,
        next: OutboundNext,
    ) -> BoxFuture<'static, Result<OutboundResponse, Error>> {
        let span = req.options.get_tracing().and_then(|t| {
            self.start(
                &t,
                SpanKind::Client,
                &req.endpoint,
                vec![
                    KeyValue::new("peer.service", req.service.to_string()),
                    KeyValue::new("tchannel.as", req.scheme().to_owned()),
                ],
            )
        });
        Box::pin(traced(span, next.run(req), |r| r.ok))
    }
}

impl<T> InboundMiddleware for OtelLayer<T>
where
    T: Tracer + Send + Sync + 'static,
    T::Span: Send + Sync + 'static,
{
    fn call(
        &self,
        req: InboundRequest,
        next: InboundNext,
    ) -> BoxFuture<'static, Result<InboundResponse, Error>> {
        let span = self.start(
            &req.transport.tracing,
            SpanKind::Server,
            &req.endpoint,
            vec![
                KeyValue::new("service.name", req.service.to_string()),
                KeyValue::new("peer.service", req.transport.caller.to_string()),
                KeyValue::new("tchannel.as", req.transport.scheme.to_string()),
            ],
        );
        Box::pin(traced(span, next.run(req), |r| r.ok))
    }
}
