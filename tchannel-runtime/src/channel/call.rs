//! The client side of a call: [`Call`], a builder that is awaited, and the one function
//! every outbound call goes through ([`ChannelInner::send`]).

use super::Response;
use super::{ChannelInner, TChannel};
use crate::checksum::ChecksumType;
use crate::connection::{CallResult, OutgoingCall};
use crate::error::Error;
use crate::frame::{Tracing, TransportHeaders};
use crate::retry::RetryOn;
use crate::scheme::Scheme;
use bytes::Bytes;
use std::collections::HashSet;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// A call being built: set what differs from the defaults, then `.await` it.
///
/// ```no_run
/// use std::time::Duration;
/// use tchannel_runtime::{RetryOn, TChannel};
/// # async fn f() -> Result<(), tchannel_runtime::Error> {
/// let ch = TChannel::builder("client").known_peers(["127.0.0.1:4040"]).build();
/// let res = ch
///     .json("math", "add")
///     .body(serde_json::json!({"a": 1, "b": 2}))
///     .timeout(Duration::from_millis(500))
///     .retry_on(RetryOn::ConnectionErrorAndTimeout)
///     .await?;
/// assert_eq!(res.body["sum"], 3);
/// # Ok(()) }
/// ```
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<S: Scheme> {
    channel: TChannel,
    service: String,
    endpoint: String,
    headers: S::Headers,
    body: S::Body,
    opts: CallOptions,
}

/// The options of a call: timeout, routing, retries, transport headers, checksum, tracing.
/// [`Call`] sets them one by one; [`ThriftClient`](super::ThriftClient) keeps a set for every
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
    timeout: Option<Duration>,
    hostport: Option<String>,
    retry_on: RetryOn,
    retry_limit: Option<u32>,
    transport: TransportHeaders,
    checksum: Option<ChecksumType>,
    tracing: Option<Tracing>,
}

impl CallOptions {
    /// How long to wait, retries included; sent as the ttl.
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = Some(t);
        self
    }
    /// The timeout, if set.
    pub fn get_timeout(&self) -> Option<Duration> {
        self.timeout
    }
    /// Send to this `host:port` rather than choosing a known peer (no retries then, as in
    /// tchannel-python).
    pub fn hostport(mut self, hp: impl Into<String>) -> Self {
        self.hostport = Some(hp.into());
        self
    }
    /// Retry flags (`re`).
    pub fn retry_on(mut self, r: RetryOn) -> Self {
        self.retry_on = r;
        self
    }
    /// Retries after the first attempt (each on a peer not tried yet).
    pub fn retry_limit(mut self, n: u32) -> Self {
        self.retry_limit = Some(n);
        self
    }
    /// Shard key (`sk`).
    pub fn shard_key(self, k: impl Into<String>) -> Self {
        self.transport_header("sk", k)
    }
    /// Routing delegate (`rd`).
    pub fn routing_delegate(self, s: impl Into<String>) -> Self {
        self.transport_header("rd", s)
    }
    /// Routing key (`rk`).
    pub fn routing_key(self, k: impl Into<String>) -> Self {
        self.transport_header("rk", k)
    }
    /// The caller name (`cn`); the channel's service name by default.
    pub fn caller_name(self, cn: impl Into<String>) -> Self {
        self.transport_header("cn", cn)
    }
    /// Any other transport header.
    pub fn transport_header(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.transport.insert(key.into(), value.into());
        self
    }
    /// Checksum type for the call.
    pub fn checksum(mut self, c: ChecksumType) -> Self {
        self.checksum = Some(c);
        self
    }
    /// Tracing for the call (a new root span by default).
    pub fn tracing(mut self, t: Tracing) -> Self {
        self.tracing = Some(t);
        self
    }
}

/// Read access for streamed calls (`channel/stream.rs`), which build their own request.
impl CallOptions {
    pub(crate) fn hostport_opt(&self) -> Option<&str> {
        self.hostport.as_deref()
    }
    pub(crate) fn retry_flags(&self) -> RetryOn {
        self.retry_on
    }
    pub(crate) fn transport_headers(&self) -> &TransportHeaders {
        &self.transport
    }
    pub(crate) fn checksum_opt(&self) -> Option<ChecksumType> {
        self.checksum
    }
    pub(crate) fn tracing_opt(&self) -> Option<Tracing> {
        self.tracing
    }
}

/// The [`CallOptions`] setters, on a builder that keeps its options in `self.$field`.
macro_rules! delegate_call_options {
    ($field:ident) => {
        /// How long to wait, retries included; sent as the ttl.
        pub fn timeout(mut self, t: std::time::Duration) -> Self {
            self.$field = self.$field.timeout(t);
            self
        }
        /// Send to this `host:port` rather than choosing a known peer (no retries then, as
        /// in tchannel-python).
        pub fn hostport(mut self, hp: impl Into<String>) -> Self {
            self.$field = self.$field.hostport(hp);
            self
        }
        /// Retry flags (`re`).
        pub fn retry_on(mut self, r: $crate::RetryOn) -> Self {
            self.$field = self.$field.retry_on(r);
            self
        }
        /// Retries after the first attempt (each on a peer not tried yet).
        pub fn retry_limit(mut self, n: u32) -> Self {
            self.$field = self.$field.retry_limit(n);
            self
        }
        /// Shard key (`sk`).
        pub fn shard_key(mut self, k: impl Into<String>) -> Self {
            self.$field = self.$field.shard_key(k);
            self
        }
        /// Routing delegate (`rd`).
        pub fn routing_delegate(mut self, s: impl Into<String>) -> Self {
            self.$field = self.$field.routing_delegate(s);
            self
        }
        /// Routing key (`rk`).
        pub fn routing_key(mut self, k: impl Into<String>) -> Self {
            self.$field = self.$field.routing_key(k);
            self
        }
        /// The caller name (`cn`); the channel's service name by default.
        pub fn caller_name(mut self, cn: impl Into<String>) -> Self {
            self.$field = self.$field.caller_name(cn);
            self
        }
        /// Any other transport header.
        pub fn transport_header(
            mut self,
            key: impl Into<String>,
            value: impl Into<String>,
        ) -> Self {
            self.$field = self.$field.transport_header(key, value);
            self
        }
        /// Checksum type.
        pub fn checksum(mut self, c: $crate::checksum::ChecksumType) -> Self {
            self.$field = self.$field.checksum(c);
            self
        }
        /// Tracing (a new root span by default).
        pub fn tracing(mut self, t: $crate::frame::Tracing) -> Self {
            self.$field = self.$field.tracing(t);
            self
        }
    };
}
pub(crate) use delegate_call_options;

impl<S: Scheme> Call<S> {
    pub(crate) fn new(channel: TChannel, service: String, endpoint: String) -> Self {
        Call {
            channel,
            service,
            endpoint,
            headers: Default::default(),
            body: Default::default(),
            opts: CallOptions::default(),
        }
    }

    /// The body (arg3).
    pub fn body(mut self, body: impl Into<S::Body>) -> Self {
        self.body = body.into();
        self
    }
    /// The application headers (arg2).
    pub fn headers(mut self, headers: impl Into<S::Headers>) -> Self {
        self.headers = headers.into();
        self
    }
    /// Replaces all options at once.
    pub fn options(mut self, opts: CallOptions) -> Self {
        self.opts = opts;
        self
    }

    delegate_call_options!(opts);

    async fn run(self) -> Result<Response<S>, Error> {
        let ctx = |e: Error| e.for_call(&self.service, &self.endpoint);
        let arg2 = S::encode_headers(&self.headers).map_err(ctx)?;
        let arg3 = S::encode_body(&self.body).map_err(ctx)?;
        let mut transport = self.opts.transport.clone();
        transport.insert("as", S::NAME);
        let res = self
            .channel
            .inner
            .send(OutboundRequest {
                service: self.service.clone(),
                endpoint: self.endpoint.clone(),
                transport,
                arg2,
                arg3,
                opts: self.opts,
            })
            .await?;
        let [_, arg2, arg3] = res.args;
        Ok(Response {
            ok: res.code == 0,
            headers: S::decode_headers(arg2).map_err(ctx)?,
            body: S::decode_body(arg3).map_err(ctx)?,
            transport: res.headers,
        })
    }
}

impl<S: Scheme> IntoFuture for Call<S> {
    type Output = Result<Response<S>, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

/// An outbound call with its args encoded: what every scheme's call becomes.
pub(crate) struct OutboundRequest {
    pub service: String,
    pub endpoint: String,
    pub transport: TransportHeaders,
    pub arg2: Bytes,
    pub arg3: Bytes,
    pub opts: CallOptions,
}

/// A fresh random id for a root span (63 bits, as Go uses): xorshift64* per thread, seeded
/// once from the OS-randomised `RandomState` (hashing a fresh state per call cost ~2% of a call).
pub(crate) fn random_id() -> u64 {
    use std::cell::Cell;
    use std::hash::{BuildHasher, Hasher};
    thread_local! {
        static STATE: Cell<u64> = Cell::new({
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(0x9e37_79b9_7f4a_7c15);
            h.finish() | 1
        });
    }
    STATE.with(|s| {
        let mut x = s.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        s.set(x);
        (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 1).max(1)
    })
}

impl ChannelInner {
    /// Sends a call, choosing peers and retrying as its options say.
    pub(crate) async fn send(self: &Arc<Self>, req: OutboundRequest) -> Result<CallResult, Error> {
        let start = Instant::now();
        let timeout = req.opts.timeout.unwrap_or(self.config.default_timeout);
        let deadline = start + timeout;
        let mut headers = req.transport;
        headers.insert_default("cn", self.service.clone());
        headers.insert("re", req.opts.retry_on.as_header());
        let tracing = req.opts.tracing.unwrap_or_else(|| {
            let id = random_id();
            Tracing {
                span_id: id,
                parent_id: 0,
                trace_id: id,
                flags: 0,
            }
        });
        let retry_limit = if req.opts.hostport.is_some() {
            0
        } else {
            req.opts.retry_limit.unwrap_or(self.config.retry_limit)
        };
        let checksum = req.opts.checksum.unwrap_or(self.config.checksum);
        let arg1 = Bytes::from(req.endpoint.clone());
        let service = Bytes::from(req.service.clone());
        let mut tried = HashSet::new();
        let mut attempt = 0;
        loop {
            let host_port = match &req.opts.hostport {
                Some(hp) => hp.clone(),
                None => match self.peers.choose(&req.service, &tried) {
                    Ok(p) => p.host_port.clone(),
                    Err(e) => {
                        return Err(e
                            .for_call(&req.service, &req.endpoint)
                            .with_timing(timeout, start.elapsed()))
                    }
                },
            };
            let result = async {
                let conn = self.connection_to(&host_port).await?;
                conn.call(OutgoingCall {
                    service: service.clone(),
                    headers: headers.clone(),
                    tracing,
                    args: [arg1.clone(), req.arg2.clone(), req.arg3.clone()],
                    checksum,
                    deadline,
                })
                .await
            }
            .await;
            let err = match result {
                Ok(res) => return Ok(res),
                Err(e) => e,
            };
            tried.insert(host_port.clone());
            let retry = attempt < retry_limit
                && req.opts.retry_on.should_retry(&err)
                && Instant::now() + Duration::from_millis(1) < deadline
                && self.peers.choose(&req.service, &tried).is_ok();
            if !retry {
                return Err(err
                    .for_call(&req.service, &req.endpoint)
                    .with_peer(&host_port)
                    .with_timing(timeout, start.elapsed()));
            }
            tracing::debug!(peer = %host_port, attempt, "retrying after: {err}");
            attempt += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn span_ids_are_distinct_nonzero_63_bit() {
        let ids: std::collections::HashSet<u64> =
            (0..100_000).map(|_| super::random_id()).collect();
        assert_eq!(ids.len(), 100_000);
        assert!(ids.iter().all(|&id| id != 0 && id < 1 << 63));
        // Another thread gets its own sequence.
        let other = std::thread::spawn(super::random_id).join().unwrap();
        assert!(other != 0 && other < 1 << 63);
    }
}
