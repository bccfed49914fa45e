//! Call metrics under the standard TChannel names (uber/tchannel `docs/metrics.md`), through
//! a [`StatsReporter`] of your choice.
//!
//! [`Stats`] is a middleware layer for both directions;
//! [`ChannelBuilder::stats`](crate::ChannelBuilder::stats) installs it on both, and gives the
//! same reporter to the channel itself for what layers cannot see: the attempts and retries
//! inside a call, and connections. Reported:
//!
//! | metric | kind | tags |
//! |---|---|---|
//! | `outbound.calls.sent` | counter | `app`, `service`, `target-service`, `target-endpoint` |
//! | `outbound.calls.success` | counter | same |
//! | `outbound.calls.app-errors` | counter | same |
//! | `outbound.calls.system-errors` | counter | same, plus `type` (`timeout`, `busy`, `declined`, `unexpected-error`, `bad-request`, `network-error`, ...) |
//! | `outbound.calls.latency` | timer | `app`, `service`, `target-service`, `target-endpoint` |
//! | `inbound.calls.recvd` | counter | `app`, `service`, `endpoint`, `calling-service` |
//! | `inbound.calls.success` | counter | same |
//! | `inbound.calls.app-errors` | counter | same |
//! | `inbound.calls.system-errors` | counter | same, plus `type` |
//! | `inbound.calls.latency` | timer | `app`, `service`, `endpoint`, `calling-service` |
//! | `outbound.calls.per-attempt.latency` | timer | `app`, `service`, `target-service`, `target-endpoint`, `peer` |
//! | `outbound.calls.retries` | counter | same as `outbound.calls.sent`, plus `retry-count` |
//! | `connections.initiated` | counter | `app`, `host-port`, `peer-host-port` |
//! | `connections.connect-errors` | counter | same |
//! | `connections.accepted` | counter | same |
//! | `connections.accept-errors` | counter | `app`, `host-port` |
//! | `connections.closed` | counter | `app`, `host-port`, `peer-host-port` |
//! | `connections.active` | gauge | same |
//! | `connections.bytes-sent` | counter | same |
//! | `connections.bytes-recvd` | counter | same |
//! | `connections.errors` | counter | same, plus `type` (`network-error`, `protocol-error`, `peer-protocol-error`) |
//!
//! `app` is the channel's service name unless set with [`Stats::app`]; `service` on outbound
//! calls is the caller name sent (`cn`). Outbound latency includes retries, as the document
//! asks. (tchannel-go names the first counter `outbound.calls.send`; this follows the
//! document.)
//!
//! Streamed calls are counted under the same names, through the layers' `stream` hooks (see
//! [`middleware`](crate::middleware#streamed-calls)): sent or received when the call starts,
//! the outcome and the latency when it ends (outbound: the response read to its end or
//! failed; inbound: the handler returned). A streamed call's retries before it is sent count
//! in `outbound.calls.retries`; it has no `per-attempt.latency`.
//!
//! The rest come from the channel, not from a layer, and their `app` is always the channel's
//! service name:
//!
//! - Each attempt of a call (the first and every retry) is timed to its outcome, the first
//!   from the start of the call, a retry from the moment it is decided (choosing its peer and
//!   connecting included), and tagged with that peer's `host:port`. Each retry
//!   adds one to `outbound.calls.retries` with `retry-count` its number (1 for the first), as
//!   tchannel-go does: the total is the number of retries.
//! - `host-port` is where the channel listens, `0.0.0.0:0` before it does.
//!   `connections.initiated` counts outgoing connections whose handshake succeeded,
//!   `connections.connect-errors` those that failed (to resolve, connect or handshake);
//!   `connections.accepted` incoming connections after their handshake (the peer is its
//!   listening address, or the socket address of a client that does not listen),
//!   `connections.accept-errors` failed accepts and incoming handshakes.
//!   `connections.active` is the number of live connections kept for the peer, both
//!   directions (an incoming one is reused for calls back), set whenever it changes as seen:
//!   a closed connection leaves it when the channel finds it closed, the next time that peer
//!   is used (or the channel closes).
//! - Each connection reports its own bytes, failure and end. `connections.closed` counts it
//!   once, the moment it closes, for any reason. `connections.bytes-sent` grows by
//!   each socket write (a batch of frames), `connections.bytes-recvd` by each read, from the
//!   end of the handshake: the init frames count on neither side, so the bytes one side sent
//!   are the bytes the other received. `connections.errors` counts a connection that failed,
//!   once, as it closes: `protocol-error` (the peer broke the protocol, answered with a
//!   protocol error frame), `peer-protocol-error` (the peer sent one), `network-error` (a read
//!   or write failed, or the peer hung up with calls in flight), `internal-error` (the
//!   connection's reader or writer task ended abnormally, a panic say). A close by this side (drain,
//!   `close`) or by the peer on an idle connection is not an error. `peer-host-port` is
//!   where the peer says it listens, its socket address if it does not; `host-port` is taken
//!   when the connection starts.
//! - Not reported: request and response sizes, cancels and protocol errors sent.
//!
//! With the `metrics` cargo feature, `MetricsReporter` reports through the
//! [`metrics`](https://docs.rs/metrics) crate facade (timers as histograms in milliseconds,
//! gauges as gauges).
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use std::time::Duration;
//! use tchannel_runtime::stats::{StatsReporter, Tags};
//! use tchannel_runtime::{Raw, Response, TChannel};
//!
//! /// Counts in a map: name and tags -> total.
//! #[derive(Default)]
//! struct Counts(Mutex<Vec<String>>);
//!
//! impl StatsReporter for Counts {
//!     fn inc_counter(&self, name: &'static str, tags: &Tags<'_>, value: u64) {
//!         let tags: Vec<String> = tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
//!         self.0.lock().unwrap().push(format!("{name} {} +{value}", tags.join(",")));
//!     }
//!     fn record_timer(&self, _name: &'static str, _tags: &Tags<'_>, _d: Duration) {}
//! }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), tchannel_runtime::Error> {
//! let counts = Arc::new(Counts::default());
//! let server = TChannel::builder("server").stats(counts.clone()).build();
//! server.register("echo", Raw, |req| async move { Ok(Response::new(req.body)) });
//! let addr = server.listen("127.0.0.1:0").await?.to_string();
//! let client = TChannel::builder("client").stats(counts.clone()).build();
//! client.raw("server", "echo").hostport(addr).body("hi").await?;
//! let seen = counts.0.lock().unwrap().clone();
//! assert!(seen.contains(&"outbound.calls.success app=client,service=client,target-service=server,target-endpoint=echo +1".to_string()));
//! assert!(seen.contains(&"inbound.calls.recvd app=server,service=server,endpoint=echo,calling-service=client +1".to_string()));
//! # server.close().await; Ok(()) }
//! ```

use crate::error::Error;
use crate::middleware::{
    BoxFuture, InboundMiddleware, InboundNext, InboundRequest, InboundResponse, InboundStreamCall,
    OutboundMiddleware, OutboundNext, OutboundRequest, OutboundResponse, OutboundStreamCall,
    StreamOutcome,
};
#[cfg(feature = "metrics")]
pub use crate::reporter::MetricsReporter;
pub use crate::reporter::{error_type, StatsReporter, Tags};
use std::sync::Arc;
use tokio::time::Instant;

/// The middleware layer that reports call metrics, in either direction.
///
/// ```
/// use tchannel_runtime::stats::{Stats, StatsReporter, Tags};
/// struct Nothing;
/// impl StatsReporter for Nothing {
///     fn inc_counter(&self, _: &'static str, _: &Tags<'_>, _: u64) {}
///     fn record_timer(&self, _: &'static str, _: &Tags<'_>, _: std::time::Duration) {}
/// }
/// let stats = Stats::new(Nothing).app("billing");
/// let ch = tchannel_runtime::TChannel::builder("billing-api")
///     .outbound(stats.clone())
///     .inbound(stats)
///     .build();
/// # let _ = ch;
/// ```
pub struct Stats<R> {
    reporter: Arc<R>,
    app: Option<Arc<str>>,
}

impl<R> Clone for Stats<R> {
    fn clone(&self) -> Self {
        Stats {
            reporter: self.reporter.clone(),
            app: self.app.clone(),
        }
    }
}

impl<R> std::fmt::Debug for Stats<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stats").field("app", &self.app).finish()
    }
}

impl<R: StatsReporter> Stats<R> {
    /// A layer reporting to `reporter`, with the channel's service name as `app`.
    pub fn new(reporter: R) -> Self {
        Stats {
            reporter: Arc::new(reporter),
            app: None,
        }
    }

    /// Sets the `app` tag.
    pub fn app(mut self, app: impl Into<String>) -> Self {
        self.app = Some(Arc::from(app.into()));
        self
    }
}

/// `ChannelBuilder::stats` lives here, with the layer it installs, so that the channel
/// does not depend on this module (which sits above it).
impl crate::ChannelBuilder {
    /// Reports metrics to `reporter` (see [`stats`](crate::stats)): call metrics through a
    /// [`Stats`](crate::stats::Stats) layer, outbound and inbound, where it stands in the
    /// order of layers; attempts, retries and connections from the channel itself (the last
    /// reporter set is the one these go to).
    ///
    /// ```
    /// use tchannel_runtime::stats::{StatsReporter, Tags};
    /// struct Log;
    /// impl StatsReporter for Log {
    ///     fn inc_counter(&self, name: &'static str, tags: &Tags<'_>, n: u64) { println!("{name} {tags:?} +{n}") }
    ///     fn record_timer(&self, name: &'static str, tags: &Tags<'_>, d: std::time::Duration) { println!("{name} {tags:?} {d:?}") }
    /// }
    /// let ch = tchannel_runtime::TChannel::builder("svc").stats(Log).build();
    /// # let _ = ch;
    /// ```
    pub fn stats(self, reporter: impl StatsReporter) -> Self {
        let reporter = Arc::new(reporter);
        let layer = Stats::new(reporter.clone());
        self.reporter(reporter)
            .outbound(layer.clone())
            .inbound(layer)
    }
}

/// The metric names of one direction.
struct Names {
    calls: &'static str,
    success: &'static str,
    app_errors: &'static str,
    system_errors: &'static str,
    latency: &'static str,
}

const OUTBOUND: Names = Names {
    calls: "outbound.calls.sent",
    success: "outbound.calls.success",
    app_errors: "outbound.calls.app-errors",
    system_errors: "outbound.calls.system-errors",
    latency: "outbound.calls.latency",
};

const INBOUND: Names = Names {
    calls: "inbound.calls.recvd",
    success: "inbound.calls.success",
    app_errors: "inbound.calls.app-errors",
    system_errors: "inbound.calls.system-errors",
    latency: "inbound.calls.latency",
};

/// Counts the call, runs it, reports its outcome and latency. `tags` follow `app`.
async fn measure<R: StatsReporter, T>(
    reporter: &R,
    names: &Names,
    app: &str,
    tags: [(&'static str, &str); 3],
    call: impl std::future::Future<Output = Result<T, Error>>,
    ok: fn(&T) -> bool,
) -> Result<T, Error> {
    let [a, b, c] = tags;
    let mut tags = vec![("app", app), a, b, c];
    reporter.inc_counter(names.calls, &tags, 1);
    let start = Instant::now();
    let res = call.await;
    let outcome = match &res {
        Ok(r) if ok(r) => StreamOutcome::Success,
        Ok(_) => StreamOutcome::AppError,
        Err(e) => StreamOutcome::Failed(e),
    };
    report_end(reporter, names, &mut tags, start, &outcome);
    res
}

/// The latency since `start` and the outcome of a call counted with `tags`.
fn report_end<R: StatsReporter + ?Sized>(
    reporter: &R,
    names: &Names,
    tags: &mut Vec<(&'static str, &str)>,
    start: Instant,
    outcome: &StreamOutcome<'_>,
) {
    reporter.record_timer(names.latency, tags, start.elapsed());
    match outcome {
        StreamOutcome::Success => reporter.inc_counter(names.success, tags, 1),
        StreamOutcome::AppError => reporter.inc_counter(names.app_errors, tags, 1),
        StreamOutcome::Failed(e) => {
            tags.push(("type", error_type(e)));
            reporter.inc_counter(names.system_errors, tags, 1);
        }
    }
}

/// Counts a streamed call with `tags` (`app` first) now, and its outcome when it ends.
fn measure_stream<R: StatsReporter>(
    reporter: Arc<R>,
    names: &'static Names,
    tags: [(&'static str, String); 4],
    on_end: impl FnOnce(Box<dyn FnOnce(&StreamOutcome<'_>) + Send>),
) {
    fn view<'a>(tags: &'a [(&'static str, String); 4]) -> Vec<(&'static str, &'a str)> {
        tags.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }
    reporter.inc_counter(names.calls, &view(&tags), 1);
    let start = Instant::now();
    on_end(Box::new(move |outcome| {
        report_end(&*reporter, names, &mut view(&tags), start, outcome);
    }));
}

impl<R> Stats<R> {
    fn app_or(&self, channel: &crate::TChannel) -> String {
        match &self.app {
            Some(a) => a.to_string(),
            None => channel.service().to_owned(),
        }
    }
}

impl<R: StatsReporter> OutboundMiddleware for Stats<R> {
    fn call(
        &self,
        req: OutboundRequest,
        next: OutboundNext,
    ) -> BoxFuture<'static, Result<OutboundResponse, Error>> {
        let reporter = self.reporter.clone();
        let app = self.app_or(&next.channel());
        Box::pin(async move {
            let caller = req.transport.get("cn").unwrap_or(&app).to_owned();
            let (service, endpoint) = (req.service.clone(), req.endpoint.clone());
            let tags = [
                ("service", caller.as_str()),
                ("target-service", service.as_str()),
                ("target-endpoint", endpoint.as_str()),
            ];
            let call = next.run(req);
            measure(&*reporter, &OUTBOUND, &app, tags, call, |r| r.ok).await
        })
    }

    /// A streamed call is counted as it starts, its outcome and latency when it ends.
    fn stream(&self, call: &mut OutboundStreamCall) -> Result<(), Error> {
        let app = self
            .app
            .as_deref()
            .unwrap_or(call.channel_service())
            .to_owned();
        let caller = call.transport.get("cn").unwrap_or(&app).to_owned();
        let tags = [
            ("app", app),
            ("service", caller),
            ("target-service", call.service.to_string()),
            ("target-endpoint", call.endpoint.to_string()),
        ];
        measure_stream(self.reporter.clone(), &OUTBOUND, tags, |f| call.on_end(f));
        Ok(())
    }
}

impl<R: StatsReporter> InboundMiddleware for Stats<R> {
    fn call(
        &self,
        req: InboundRequest,
        next: InboundNext,
    ) -> BoxFuture<'static, Result<InboundResponse, Error>> {
        let reporter = self.reporter.clone();
        let app = self.app_or(&next.channel());
        Box::pin(async move {
            let (service, endpoint) = (req.service.clone(), req.endpoint.clone());
            let caller = req.transport.caller.clone();
            let tags = [
                ("service", service.as_str()),
                ("endpoint", endpoint.as_str()),
                ("calling-service", caller.as_str()),
            ];
            let call = next.run(req);
            measure(&*reporter, &INBOUND, &app, tags, call, |r| r.ok).await
        })
    }

    /// A streamed call is counted as it reaches its handler, its outcome and latency when
    /// the handler ends.
    fn stream(&self, call: &mut InboundStreamCall) -> Result<(), Error> {
        let app = self
            .app
            .as_deref()
            .unwrap_or(call.channel_service())
            .to_owned();
        let tags = [
            ("app", app),
            ("service", call.transport.service.to_string()),
            ("endpoint", call.endpoint.to_string()),
            ("calling-service", call.transport.caller.to_string()),
        ];
        measure_stream(self.reporter.clone(), &INBOUND, tags, |f| call.on_end(f));
        Ok(())
    }
}
