//! Sub-channels: one service's handle on a channel, with its own peers and call defaults
//! (tchannel-node's `makeSubChannel`, tchannel-go's `GetSubChannel`).

use super::{Call, CallOptions, HandlerError, Request, Response, TChannel, ThriftClient};
use crate::scheme::{Json, Raw, Scheme};
use std::future::Future;

/// A handle to call one service, and to serve it, with its own peer list and call defaults.
/// From [`TChannel::sub_channel`] or [`TChannel::isolated_sub_channel`]; cheap to clone.
/// What it shares with its channel: the peer table, so connections (a peer in two lists, or
/// a peer that also called in, has one set of connections, and one count of calls pending
/// for choosers and `max_pending_per_peer`), the channel's chooser, retry budget, limits
/// and middleware. What it has of its own: the list of peers its calls choose among, and
/// call defaults.
///
/// Calls to the service by name choose among the sub-channel's peers once it has any (also
/// calls made on the channel itself, `channel.raw("svc", ..)`, and streamed ones); with none
/// they choose among the channel's known peers, then its Hyperbahn routers, as before. An
/// isolated sub-channel (tchannel-go's `Isolated` option) keeps the two lists apart both
/// ways: its calls choose among its own peers only (with none, they fail with
/// [`Error::is_no_peer_available`](crate::Error::is_no_peer_available)), and calls made on the
/// channel itself, to any service, never choose its peers. The
/// defaults (timeout, retry flags and limit, caller name, transport headers, checksum) apply
/// to the calls made through the sub-channel; a call can still override each.
///
/// To advertise a sub-channel's service on Hyperbahn, name it on the channel's advertiser:
/// `channel.advertiser().routers(routers).service(sub.service()).start()`.
///
/// ```
/// use std::time::Duration;
/// use tchannel_runtime::{Raw, Response, RetryOn, TChannel};
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), tchannel_runtime::Error> {
/// let server = TChannel::new("server");
/// // Serve a second service from the same channel.
/// let users = server.sub_channel("users");
/// users.register("get", Raw, |req| async move { Ok(Response::new(req.body)) });
/// let addr = server.listen("127.0.0.1:0").await?.to_string();
///
/// let client = TChannel::new("client");
/// let users = client
///     .sub_channel("users")
///     .timeout(Duration::from_millis(500))
///     .retry_on(RetryOn::ConnectionErrorAndTimeout)
///     .caller_name("users-client");
/// users.add_peer(&addr);
/// let res = users.raw("get").body("42").await?;
/// assert_eq!(&res.body[..], b"42");
/// assert_eq!(users.peers(), vec![addr]);
/// assert!(client.known_peers().is_empty(), "the channel's own list is untouched");
/// # server.close().await; Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct SubChannel {
    channel: TChannel,
    service: String,
    defaults: CallOptions,
}

impl TChannel {
    /// The sub-channel of `service`: its own peers and call defaults, its handlers (see
    /// [`SubChannel`]). Asking again for the same service gives a handle to the same peers
    /// (with default call options).
    pub fn sub_channel(&self, service: impl Into<String>) -> SubChannel {
        self.sub(service.into(), false)
    }

    /// The sub-channel of `service`, isolated (tchannel-go's `Isolated`): its calls choose
    /// among its own peers only, never the channel's known peers or routers, and the
    /// channel's own calls never choose its peers. Connections are still shared (see
    /// [`SubChannel`]). Isolation is for good: a later [`sub_channel`](Self::sub_channel)
    /// of the same service gives a handle to the same isolated peers.
    ///
    /// ```
    /// use tchannel_runtime::{Raw, Response, TChannel};
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), tchannel_runtime::Error> {
    /// let server = TChannel::new("server");
    /// server.sub_channel("geo").register("where", Raw, |_req| async move { Ok(Response::<Raw>::new("here".into())) });
    /// let addr = server.listen("127.0.0.1:0").await?.to_string();
    ///
    /// let client = TChannel::builder("client").known_peers(["127.0.0.1:1"]).build();
    /// let geo = client.isolated_sub_channel("geo");
    /// // No peer of its own yet: the channel's are not used.
    /// let e = geo.raw("where").await.unwrap_err();
    /// assert!(e.is_no_peer_available(), "{e}");
    /// geo.add_peer(&addr);
    /// assert_eq!(&geo.raw("where").await?.body[..], b"here");
    /// assert!(geo.is_isolated() && client.sub_channel("geo").is_isolated());
    /// # server.close().await; Ok(()) }
    /// ```
    pub fn isolated_sub_channel(&self, service: impl Into<String>) -> SubChannel {
        self.sub(service.into(), true)
    }

    fn sub(&self, service: String, isolated: bool) -> SubChannel {
        self.inner().peers.add_group(&service, isolated);
        SubChannel {
            channel: self.clone(),
            service,
            defaults: CallOptions::default(),
        }
    }
}

impl SubChannel {
    /// The service.
    pub fn service(&self) -> &str {
        &self.service
    }
    /// Whether it is isolated ([`TChannel::isolated_sub_channel`]).
    pub fn is_isolated(&self) -> bool {
        self.channel.inner().peers.is_isolated(&self.service)
    }
    /// The channel it belongs to.
    pub fn channel(&self) -> &TChannel {
        &self.channel
    }
    /// Adds a peer that calls to this service may use.
    pub fn add_peer(&self, host_port: &str) {
        self.channel
            .inner()
            .peers
            .add_group_peer(&self.service, host_port);
    }
    /// Stops using a peer for this service.
    pub fn remove_peer(&self, host_port: &str) {
        self.channel
            .inner()
            .peers
            .remove_group_peer(&self.service, host_port);
    }
    /// The peers of this service, in the order added.
    pub fn peers(&self) -> Vec<String> {
        self.channel.inner().peers.group(&self.service)
    }
    /// The default options of calls made through this handle.
    pub fn defaults(&self) -> &CallOptions {
        &self.defaults
    }
    /// Replaces the default call options at once.
    pub fn options(mut self, opts: CallOptions) -> Self {
        self.defaults = opts;
        self
    }

    crate::call::delegate_call_options!(defaults);

    /// The defaults, marked as a call through this sub-channel.
    fn call_options(&self) -> CallOptions {
        let mut opts = self.defaults.clone();
        opts.sub_channel = true;
        opts
    }
    /// A call of `endpoint` in scheme `S`, with this handle's defaults.
    pub fn call<S: Scheme>(&self, endpoint: impl Into<crate::Name>) -> Call<S> {
        self.channel
            .call(self.service.clone(), endpoint)
            .options(self.call_options())
    }
    /// A streamed call of `endpoint` ([`TChannel::stream`]), with this handle's defaults
    /// and peers.
    pub fn stream(&self, endpoint: impl Into<crate::Name>) -> super::stream::StreamCall<Raw> {
        self.channel
            .stream(self.service.clone(), endpoint)
            .options(self.call_options())
    }
    /// A `raw` call.
    pub fn raw(&self, endpoint: impl Into<crate::Name>) -> Call<Raw> {
        self.call(endpoint)
    }
    /// A `json` call.
    pub fn json(&self, endpoint: impl Into<crate::Name>) -> Call<Json> {
        self.call(endpoint)
    }
    /// A client for generated Thrift code, with this handle's defaults.
    pub fn thrift_client(&self) -> ThriftClient {
        self.channel
            .thrift_client(self.service.clone())
            .options(self.call_options())
    }
    /// Registers a handler for `endpoint` of this service
    /// ([`TChannel::register_for`]).
    pub fn register<S, F, Fut>(&self, endpoint: impl Into<String>, scheme: S, handler: F)
    where
        S: Scheme,
        F: Fn(Request<S>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Response<S>, HandlerError>> + Send + 'static,
    {
        self.channel
            .register_for(self.service.clone(), endpoint, scheme, handler);
    }
    /// Serves a generated Thrift service under this service name
    /// ([`TChannel::register_service_for`]).
    pub fn register_service<T: crate::thrift::Service>(&self, service: T) {
        self.channel
            .register_service_for(self.service.clone(), service);
    }
}
