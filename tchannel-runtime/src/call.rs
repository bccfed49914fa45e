//! The data of a call that every layer above the connection shares: its names ([`Name`]),
//! the options a caller sets ([`CallOptions`]) and what the transport says about an inbound
//! call ([`TransportInfo`]). A module of its own, below `middleware` and `channel`, so that the
//! middleware types do not depend on the channel that runs them.

use crate::checksum::ChecksumType;
use crate::connection::PeerInfo;
use crate::frame::{Tracing, TransportHeaders};
pub use crate::name::Name;
use crate::retry::RetryOn;
use bytes::Bytes;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// The options of a call: timeout, routing, retries, transport headers, checksum, tracing.
/// [`Call`](crate::Call) sets them one by one; [`ThriftClient`](crate::ThriftClient) keeps a set for every
/// call it sends.
///
/// ```
/// use std::time::Duration;
/// use tchannel_runtime::{CallOptions, RetryOn};
/// let opts = CallOptions::default()
///     .timeout(Duration::from_millis(250))
///     .retry_on(RetryOn::Never)
///     .shard_key("user-42");
/// assert_eq!(opts.get_timeout(), Some(Duration::from_millis(250)));
/// ```
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    pub(crate) timeout: Timeout,
    pub(crate) hostport: Option<Name>,
    pub(crate) retry_on: RetryOn,
    /// The limit plus one (so that the option fits in 4 bytes and `CallOptions` in 128:
    /// a larger one is copied through `memcpy`, a few times per call).
    pub(crate) retry_limit: Option<std::num::NonZeroU32>,
    pub(crate) transport: TransportHeaders,
    pub(crate) checksum: Option<ChecksumType>,
    pub(crate) tracing: Option<Tracing>,
    /// Made through a [`SubChannel`](crate::SubChannel) (whose service is the call's): the
    /// call chooses among an isolated sub-channel's peers, which calls made on the channel
    /// itself never do. Kept by the `options` setters of calls, which replace the rest.
    pub(crate) sub_channel: bool,
}

/// A call's timeout in 8 bytes: nanoseconds plus one, saturated (`Option<Duration>` takes 16,
/// which puts `CallOptions` past 128 bytes, moved by `memcpy` a few times per call). A timeout
/// over `u64::MAX` ns (about 584 years) is kept as that, still over the ttl's limit.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Timeout(Option<std::num::NonZeroU64>);

impl Timeout {
    #[inline]
    fn new(t: Duration) -> Timeout {
        let ns = u64::try_from(t.as_nanos()).unwrap_or(u64::MAX);
        Timeout(std::num::NonZeroU64::new(ns.saturating_add(1)))
    }
    #[inline]
    pub(crate) fn get(self) -> Option<Duration> {
        self.0.map(|n| Duration::from_nanos(n.get() - 1))
    }
}

impl std::fmt::Debug for Timeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl CallOptions {
    /// `opts`, still marked as made through a sub-channel if `self` was (for the
    /// `options` setters, which replace everything else).
    pub(crate) fn replaced_by(&self, mut opts: CallOptions) -> CallOptions {
        opts.sub_channel |= self.sub_channel;
        opts
    }
    /// How long to wait, connecting and retries included; sent as the ttl, in whole
    /// milliseconds. At most
    /// [`MAX_TTL_MS`](crate::frame::MAX_TTL_MS) (`u32::MAX` ms, about 49.7 days): a longer
    /// timeout (`Duration::MAX` say) fails the call at once with a bad request naming
    /// `timeout`, rather than being clamped.
    #[inline]
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = Timeout::new(t);
        self
    }
    /// The timeout, if set (one past about 584 years reads back as about 584 years: still
    /// refused when sent).
    pub fn get_timeout(&self) -> Option<Duration> {
        self.timeout.get()
    }
    /// Send to this `host:port` rather than choosing a known peer (no retries then, as in
    /// tchannel-python).
    ///
    /// A `host:port` string, a [`SocketAddr`](std::net::SocketAddr), a `(host, port)` pair
    /// ([`IntoHostPort`](crate::addr::IntoHostPort)) or a [`Name`]: one kept and cloned
    /// costs nothing per call.
    #[inline]
    pub fn hostport(mut self, hp: impl crate::addr::IntoHostPort) -> Self {
        self.hostport = Some(hp.into_name());
        self
    }
    /// Retry flags (`re`).
    #[inline]
    pub fn retry_on(mut self, r: RetryOn) -> Self {
        self.retry_on = r;
        self
    }
    /// Retries after the first attempt (each on a peer not tried yet).
    #[inline]
    pub fn retry_limit(mut self, n: u32) -> Self {
        // u32::MAX retries are kept as u32::MAX - 1: no call lives to tell the difference.
        self.retry_limit = std::num::NonZeroU32::new(n.saturating_add(1));
        self
    }
    /// Shard key (`sk`), at most 255 bytes (see [`transport_header`](Self::transport_header)).
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
    /// The caller name (`cn`); the channel's service name by default. At most 255 bytes,
    /// the channel's name included: a longer one fails each call it is sent with.
    pub fn caller_name(self, cn: impl Into<String>) -> Self {
        self.transport_header("cn", cn)
    }
    /// Any other transport header.
    ///
    /// Limits (the wire's, [`frame`](crate::frame)): keys of 1 to 16 bytes (tchannel-node
    /// accepts at most 15), values of at most 255 bytes, at most 128 headers on a call,
    /// counting `as`, `cn` and `re`. A call that breaks one fails when it is awaited, before
    /// anything is sent, with a bad request ([`Error::is_bad_request`](crate::Error::is_bad_request)) whose message names
    /// the header, its length and the limit:
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let ch = tchannel_runtime::TChannel::new("client");
    /// let e = ch
    ///     .raw("svc", "echo")
    ///     .hostport("127.0.0.1:1")
    ///     .shard_key("k".repeat(300))
    ///     .await
    ///     .unwrap_err();
    /// assert!(e.is_bad_request());
    /// assert_eq!(e.message(), "transport header `sk` value is 300 bytes long, the limit is 255");
    /// # }
    /// ```
    #[inline]
    pub fn transport_header(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.transport.insert(key.into(), value.into());
        self
    }
    /// Checksum type for the call.
    #[inline]
    pub fn checksum(mut self, c: ChecksumType) -> Self {
        self.checksum = Some(c);
        self
    }
    /// The span to send the call as, exactly (by default a child of the span of the handler
    /// the calling task serves, else a new root).
    #[inline]
    pub fn tracing(mut self, t: Tracing) -> Self {
        self.tracing = Some(t);
        self
    }
    /// The span set, if any. In middleware this is always set: the span the call goes as.
    pub fn get_tracing(&self) -> Option<Tracing> {
        self.tracing
    }
    /// The fixed `host:port`, if set.
    pub fn get_hostport(&self) -> Option<&str> {
        self.hostport.as_ref().map(Name::as_str)
    }
    /// The retry flags.
    pub fn get_retry_on(&self) -> RetryOn {
        self.retry_on
    }
    /// The retry limit, if set (else the channel's).
    pub fn get_retry_limit(&self) -> Option<u32> {
        self.retry_limit.map(|n| n.get() - 1)
    }
    /// The checksum type, if set (else the channel's).
    pub fn get_checksum(&self) -> Option<ChecksumType> {
        self.checksum
    }
    /// The transport headers set on the call (`sk`, `rd`, ...; `as`, `cn` and `re` are
    /// added when it is sent).
    pub fn get_transport_headers(&self) -> &TransportHeaders {
        &self.transport
    }
}

/// What the transport says about a call: tchannel-python's `request.transport`.
#[derive(Debug, Clone)]
pub struct TransportInfo {
    /// The calling service (`cn`).
    pub caller: Name,
    /// The service the call was addressed to.
    pub service: Name,
    /// The arg scheme (`as`).
    pub scheme: Name,
    /// The ttl the caller sent.
    pub ttl: Duration,
    /// When the caller gives up: the frame's arrival plus its ttl.
    pub deadline: Instant,
    /// All transport headers as received.
    pub headers: TransportHeaders,
    /// The tracing field.
    pub tracing: Tracing,
    /// The peer the call came from.
    pub peer: Arc<PeerInfo>,
    /// The checksum type of the request's frames.
    pub checksum: ChecksumType,
}

impl TransportInfo {
    /// The transport of a request as it arrived: caller (`cn`) and scheme (`as`, `raw` when
    /// absent) read from its transport headers. Whole and streamed requests both use it.
    /// The names share the frame's bytes: nothing is copied.
    #[inline(always)]
    pub(crate) fn from_request(
        service: Bytes,
        headers: TransportHeaders,
        ttl: Duration,
        deadline: Instant,
        tracing: Tracing,
        peer: Arc<PeerInfo>,
        checksum: ChecksumType,
    ) -> Self {
        let scheme = Self::scheme_of(&headers);
        Self::from_parts(
            Name::from_wire(service),
            scheme,
            headers,
            (ttl, deadline, tracing),
            peer,
            checksum,
        )
    }

    /// As [`from_request`](Self::from_request), with the service and scheme already read
    /// (a server routes by them before it builds the rest).
    #[inline(always)]
    pub(crate) fn from_parts(
        service: Name,
        scheme: Name,
        headers: TransportHeaders,
        (ttl, deadline, tracing): (Duration, Instant, Tracing),
        peer: Arc<PeerInfo>,
        checksum: ChecksumType,
    ) -> Self {
        TransportInfo {
            caller: Self::caller_of(&headers),
            service,
            scheme,
            ttl,
            deadline,
            headers,
            tracing,
            peer,
            checksum,
        }
    }

    /// The caller (`cn`) of a request with these headers, shared (empty when absent; as
    /// `headers.get`, a value that is not UTF-8 counts as absent).
    #[inline(always)]
    pub(crate) fn caller_of(headers: &TransportHeaders) -> Name {
        headers
            .get_shared("cn")
            .and_then(Name::utf8)
            .unwrap_or_default()
    }

    /// The scheme (`as`) of a request with these headers: `raw` when absent (or not UTF-8),
    /// a usual one as a static name, another sharing the frame's bytes.
    #[inline(always)]
    pub(crate) fn scheme_of(headers: &TransportHeaders) -> Name {
        match headers.get_bytes("as") {
            None => Name::from_static("raw"),
            Some(v) => Name::known_scheme(v)
                .or_else(|| headers.get_shared("as").and_then(Name::utf8))
                .unwrap_or(Name::from_static("raw")),
        }
    }

    /// The retry flags (`re`), `c` when absent.
    pub fn retry_flags(&self) -> RetryOn {
        self.headers
            .get("re")
            .and_then(RetryOn::from_header)
            .unwrap_or_default()
    }

    /// The shard key (`sk`).
    pub fn shard_key(&self) -> Option<&str> {
        self.headers.get("sk")
    }

    /// The routing delegate (`rd`).
    pub fn routing_delegate(&self) -> Option<&str> {
        self.headers.get("rd")
    }

    /// The routing key (`rk`).
    pub fn routing_key(&self) -> Option<&str> {
        self.headers.get("rk")
    }

    /// Time left before the deadline.
    pub fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }
}

/// The [`CallOptions`] setters, on a builder that keeps its options in `self.$field`;
/// `no_retry` leaves out the retry setters, for a builder whose calls are never retried.
macro_rules! delegate_call_options {
    ($field:ident) => {
        /// Retry flags (`re`).
        #[inline]
        pub fn retry_on(mut self, r: $crate::RetryOn) -> Self {
            self.$field = self.$field.retry_on(r);
            self
        }
        /// Retries after the first attempt (each on a peer not tried yet).
        #[inline]
        pub fn retry_limit(mut self, n: u32) -> Self {
            self.$field = self.$field.retry_limit(n);
            self
        }
        $crate::call::delegate_call_options!(no_retry $field);
    };
    (no_retry $field:ident) => {
        /// How long to wait, connecting and retries included; sent as the ttl, in whole
        /// milliseconds. At
        /// most [`MAX_TTL_MS`]($crate::frame::MAX_TTL_MS) (`u32::MAX` ms, about 49.7 days):
        /// a longer timeout fails the call at once with a bad request naming `timeout`.
        #[inline]
        pub fn timeout(mut self, t: std::time::Duration) -> Self {
            self.$field = self.$field.timeout(t);
            self
        }
        /// Send to this `host:port` rather than choosing a known peer (no retries then, as
        /// in tchannel-python).
        ///
        /// A `host:port` string, a [`SocketAddr`](std::net::SocketAddr) or a
        /// `(host, port)` pair ([`IntoHostPort`]($crate::addr::IntoHostPort)).
        #[inline]
        pub fn hostport(mut self, hp: impl $crate::addr::IntoHostPort) -> Self {
            self.$field = self.$field.hostport(hp);
            self
        }
        /// Shard key (`sk`), at most 255 bytes: a longer one fails the call with a bad
        /// request naming `sk`.
        #[inline]
        pub fn shard_key(mut self, k: impl Into<String>) -> Self {
            self.$field = self.$field.shard_key(k);
            self
        }
        /// Routing delegate (`rd`), at most 255 bytes.
        #[inline]
        pub fn routing_delegate(mut self, s: impl Into<String>) -> Self {
            self.$field = self.$field.routing_delegate(s);
            self
        }
        /// Routing key (`rk`), at most 255 bytes.
        #[inline]
        pub fn routing_key(mut self, k: impl Into<String>) -> Self {
            self.$field = self.$field.routing_key(k);
            self
        }
        /// The caller name (`cn`); the channel's service name by default. At most 255
        /// bytes.
        #[inline]
        pub fn caller_name(mut self, cn: impl Into<String>) -> Self {
            self.$field = self.$field.caller_name(cn);
            self
        }
        /// Any other transport header: keys of 1 to 16 bytes, values of at most 255, at
        /// most 128 headers in all ([`CallOptions::transport_header`]($crate::CallOptions::transport_header)).
        pub fn transport_header(
            mut self,
            key: impl Into<String>,
            value: impl Into<String>,
        ) -> Self {
            self.$field = self.$field.transport_header(key, value);
            self
        }
        /// Checksum type.
        #[inline]
        pub fn checksum(mut self, c: $crate::checksum::ChecksumType) -> Self {
            self.$field = self.$field.checksum(c);
            self
        }
        /// Tracing (a new root span by default).
        #[inline]
        pub fn tracing(mut self, t: $crate::frame::Tracing) -> Self {
            self.$field = self.$field.tracing(t);
            self
        }
    };
}
pub(crate) use delegate_call_options;

#[cfg(test)]
mod tests {
    use super::*;

    /// The 8-byte timeout reads back what was set, zero included; one too long to send stays
    /// too long to send; `Debug` shows the duration.
    #[test]
    fn a_timeout_reads_back_as_set_and_an_oversize_one_stays_oversize() {
        assert_eq!(CallOptions::default().get_timeout(), None);
        for t in [
            Duration::ZERO,
            Duration::from_nanos(1),
            Duration::from_millis(250),
            Duration::from_secs(49 * 24 * 3600),
            Duration::from_nanos(u64::MAX - 1),
        ] {
            assert_eq!(CallOptions::default().timeout(t).get_timeout(), Some(t));
        }
        let huge = CallOptions::default()
            .timeout(Duration::MAX)
            .get_timeout()
            .unwrap();
        assert!(huge.as_millis() > u128::from(crate::frame::MAX_TTL_MS));
        let shown = format!(
            "{:?}",
            CallOptions::default().timeout(Duration::from_millis(250))
        );
        assert!(shown.contains("timeout: Some(250ms)"), "{shown}");
    }
}
