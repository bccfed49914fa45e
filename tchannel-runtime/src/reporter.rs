//! Where metrics go: the [`StatsReporter`] trait, and what the channel and each connection
//! report below the middleware layers ([`ChannelStats`], [`ConnStats`]). A leaf module (it
//! knows only the error type), so that `connection` and `channel` report without depending on
//! the `Stats` layer in [`stats`](crate::stats), which sits above them. The public items are
//! re-exported there.

use crate::error::{Error, ErrorCode};
use std::sync::Arc;
use std::time::Duration;

/// The tags of one metric: `(name, value)` pairs.
pub type Tags<'a> = [(&'static str, &'a str)];

/// Where metrics go: tchannel-go's `StatsReporter`, tchannel-node's `statEvent`.
pub trait StatsReporter: Send + Sync + 'static {
    /// Adds `value` to the counter `name` with `tags`.
    fn inc_counter(&self, name: &'static str, tags: &Tags<'_>, value: u64);
    /// Records one duration of the timer `name` with `tags`.
    fn record_timer(&self, name: &'static str, tags: &Tags<'_>, duration: Duration);
    /// Sets the gauge `name` with `tags` to `value` (`connections.active`). Does nothing
    /// unless implemented, so reporters written before gauges existed keep compiling.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicI64, Ordering};
    /// use tchannel_runtime::stats::{StatsReporter, Tags};
    /// #[derive(Default)]
    /// struct Active(AtomicI64);
    /// impl StatsReporter for Active {
    ///     fn inc_counter(&self, _: &'static str, _: &Tags<'_>, _: u64) {}
    ///     fn record_timer(&self, _: &'static str, _: &Tags<'_>, _: std::time::Duration) {}
    ///     fn update_gauge(&self, name: &'static str, _: &Tags<'_>, value: i64) {
    ///         if name == "connections.active" {
    ///             self.0.store(value, Ordering::Relaxed);
    ///         }
    ///     }
    /// }
    /// let a = Active::default();
    /// a.update_gauge("connections.active", &[("peer-host-port", "127.0.0.1:4040")], 2);
    /// assert_eq!(a.0.load(Ordering::Relaxed), 2);
    /// ```
    fn update_gauge(&self, name: &'static str, tags: &Tags<'_>, value: i64) {
        let _ = (name, tags, value);
    }
}

impl<R: StatsReporter + ?Sized> StatsReporter for Arc<R> {
    fn inc_counter(&self, name: &'static str, tags: &Tags<'_>, value: u64) {
        (**self).inc_counter(name, tags, value)
    }
    fn record_timer(&self, name: &'static str, tags: &Tags<'_>, duration: Duration) {
        (**self).record_timer(name, tags, duration)
    }
    fn update_gauge(&self, name: &'static str, tags: &Tags<'_>, value: i64) {
        (**self).update_gauge(name, tags, value)
    }
}

/// What the channel reports itself, below the layers: attempts and retries from inside
/// `ChannelInner::send`, connections from `channel/` (made, failed, accepted, active);
/// each connection's bytes, errors and close through a [`ConnStats`] made from it.
/// `None` on a channel without a reporter, so the default path pays one branch.
pub(crate) struct ChannelStats {
    reporter: Arc<dyn StatsReporter>,
    /// The `app` tag: the channel's service name.
    app: String,
    /// The `host-port` tag: where the channel listens, `0.0.0.0:0` until it does.
    host_port: std::sync::RwLock<String>,
}

impl ChannelStats {
    pub(crate) fn new(reporter: Arc<dyn StatsReporter>, app: String) -> Self {
        ChannelStats {
            reporter,
            app,
            host_port: std::sync::RwLock::new("0.0.0.0:0".into()),
        }
    }

    pub(crate) fn set_host_port(&self, hp: String) {
        *self.host_port.write().unwrap_or_else(|p| p.into_inner()) = hp;
    }

    /// One attempt of an outbound call ended after `latency`, sent to `peer`.
    pub(crate) fn attempt(&self, call: &CallTags<'_>, peer: &str, latency: Duration) {
        let tags = [
            ("app", self.app.as_str()),
            ("service", call.caller),
            ("target-service", call.service),
            ("target-endpoint", call.endpoint),
            ("peer", peer),
        ];
        self.reporter
            .record_timer("outbound.calls.per-attempt.latency", &tags, latency);
    }

    /// An outbound call is retried; `retry` counts from 1 (tchannel-go's `retry-count`).
    pub(crate) fn retry(&self, call: &CallTags<'_>, retry: u32) {
        let n = retry.to_string();
        let tags = [
            ("app", self.app.as_str()),
            ("service", call.caller),
            ("target-service", call.service),
            ("target-endpoint", call.endpoint),
            ("retry-count", n.as_str()),
        ];
        self.reporter
            .inc_counter("outbound.calls.retries", &tags, 1);
    }

    /// Adds one to the connection counter `name`, with `peer-host-port` unless `peer` is
    /// `None` (`connections.accept-errors`).
    pub(crate) fn connection(&self, name: &'static str, peer: Option<&str>) {
        let hp = self.host_port.read().unwrap_or_else(|p| p.into_inner());
        let tags = [("app", self.app.as_str()), ("host-port", hp.as_str())];
        match peer {
            Some(peer) => {
                let [a, b] = tags;
                self.reporter
                    .inc_counter(name, &[a, b, ("peer-host-port", peer)], 1)
            }
            None => self.reporter.inc_counter(name, &tags, 1),
        }
    }

    /// `connections.active`: the live connections the channel keeps for `peer`.
    pub(crate) fn active(&self, peer: &str, n: usize) {
        let hp = self.host_port.read().unwrap_or_else(|p| p.into_inner());
        let tags = [
            ("app", self.app.as_str()),
            ("host-port", hp.as_str()),
            ("peer-host-port", peer),
        ];
        self.reporter.update_gauge(
            "connections.active",
            &tags,
            i64::try_from(n).unwrap_or(i64::MAX),
        );
    }
}

impl std::fmt::Debug for ChannelStats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChannelStats")
            .field("app", &self.app)
            .finish_non_exhaustive()
    }
}

/// What one connection reports itself (`connections.bytes-sent`, `bytes-recvd`, `errors`),
/// with its tags built once when it starts. The connection holds `Option<ConnStats>`:
/// without a reporter each report is one branch on `None`.
pub(crate) struct ConnStats {
    reporter: Arc<dyn StatsReporter>,
    app: String,
    /// `host-port` as the channel had it when the connection started.
    host_port: String,
    /// `peer-host-port`: where the peer listens, or its socket address if it does not.
    peer: String,
}

impl ConnStats {
    /// The reporter of a connection of `channel` to the peer the channel keys it under
    /// (`peer-host-port`: the `host:port` an outgoing connection was made for, else where the
    /// peer listens, its socket address if it does not).
    pub(crate) fn new(channel: &ChannelStats, peer: String) -> Self {
        ConnStats {
            reporter: channel.reporter.clone(),
            app: channel.app.clone(),
            host_port: channel
                .host_port
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .clone(),
            peer,
        }
    }

    fn count(&self, name: &'static str, value: u64) {
        let tags = [
            ("app", self.app.as_str()),
            ("host-port", self.host_port.as_str()),
            ("peer-host-port", self.peer.as_str()),
        ];
        self.reporter.inc_counter(name, &tags, value);
    }

    /// `n` bytes written to the socket by one write.
    pub(crate) fn bytes_sent(&self, n: usize) {
        self.count("connections.bytes-sent", n as u64);
    }

    /// `n` bytes read from the socket by one read.
    pub(crate) fn bytes_recvd(&self, n: usize) {
        self.count("connections.bytes-recvd", n as u64);
    }

    /// The connection closed, for whatever reason (once per connection).
    pub(crate) fn closed(&self) {
        self.count("connections.closed", 1);
    }

    /// The connection failed; `kind` is the `type` tag (`network-error`, `protocol-error`,
    /// `peer-protocol-error`, ...).
    pub(crate) fn error(&self, kind: &'static str) {
        let tags = [
            ("app", self.app.as_str()),
            ("host-port", self.host_port.as_str()),
            ("peer-host-port", self.peer.as_str()),
            ("type", kind),
        ];
        self.reporter.inc_counter("connections.errors", &tags, 1);
    }
}

impl std::fmt::Debug for ConnStats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnStats")
            .field("peer", &self.peer)
            .finish_non_exhaustive()
    }
}

/// The call tags of per-attempt metrics: caller (`cn`), target service and endpoint.
pub(crate) struct CallTags<'a> {
    pub caller: &'a str,
    pub service: &'a str,
    pub endpoint: &'a str,
}

/// The `type` tag of a system error: the protocol's error code names, kebab-case.
pub fn error_type(e: &Error) -> &'static str {
    match e.code() {
        Some(ErrorCode::Timeout) => "timeout",
        Some(ErrorCode::Cancelled) => "cancelled",
        Some(ErrorCode::Busy) => "busy",
        Some(ErrorCode::Declined) => "declined",
        Some(ErrorCode::Unexpected) => "unexpected-error",
        Some(ErrorCode::BadRequest) => "bad-request",
        Some(ErrorCode::Network) => "network-error",
        Some(ErrorCode::Unhealthy) => "unhealthy",
        Some(ErrorCode::Protocol) => "protocol-error",
        Some(ErrorCode::Invalid) | Some(ErrorCode::Other(_)) => "unknown",
        None if e.is_no_peer_available() => "no-peer-available",
        None if e.is_closed() => "network-error",
        None if e.is_checksum() => "bad-request",
        None => "unexpected-error",
    }
}

/// A [`StatsReporter`] over the [`metrics`](https://docs.rs/metrics) crate facade: counters
/// as `metrics` counters, timers as histograms of milliseconds, gauges as gauges, tags as
/// labels. Install a recorder (Prometheus, StatsD, ...) with the `metrics` crate as usual.
///
/// ```
/// use tchannel_runtime::stats::MetricsReporter;
/// let ch = tchannel_runtime::TChannel::builder("svc").stats(MetricsReporter).build();
/// # let _ = ch;
/// ```
#[cfg(feature = "metrics")]
#[derive(Debug, Clone, Copy, Default)]
pub struct MetricsReporter;

#[cfg(feature = "metrics")]
impl MetricsReporter {
    fn labels(tags: &Tags<'_>) -> Vec<metrics::Label> {
        tags.iter()
            .map(|(k, v)| metrics::Label::new(*k, v.to_string()))
            .collect()
    }
}

#[cfg(feature = "metrics")]
impl StatsReporter for MetricsReporter {
    fn inc_counter(&self, name: &'static str, tags: &Tags<'_>, value: u64) {
        metrics::counter!(name, Self::labels(tags)).increment(value);
    }
    fn record_timer(&self, name: &'static str, tags: &Tags<'_>, duration: Duration) {
        metrics::histogram!(name, Self::labels(tags)).record(duration.as_secs_f64() * 1000.0);
    }
    fn update_gauge(&self, name: &'static str, tags: &Tags<'_>, value: i64) {
        metrics::gauge!(name, Self::labels(tags)).set(value as f64);
    }
}
