//! Introspection: what a channel holds and does now, as JSON, for operators (tchannel-go's
//! `_gometa_introspect`). [`TChannel::introspect`] gives it in process; a channel built with
//! [`ChannelBuilder::introspection`] also serves it to callers, at
//! [`INTROSPECT_ENDPOINT`] of its own service in the `json` scheme (off by default: it shows
//! the channel's peers and endpoints to whoever can call it).

use super::{ChannelInner, TChannel};
use crate::channel::handler::{HandlerError, Response};
use crate::scheme::Json;
use serde_json::{json, Value};
use std::sync::{Arc, Weak};

/// The json endpoint a channel built with [`ChannelBuilder::introspection`](crate::ChannelBuilder::introspection)
/// serves [`TChannel::introspect`] at, under its own service name (tchannel-go names its own
/// `_gometa_introspect`). The request body is ignored (send `{}`).
pub const INTROSPECT_ENDPOINT: &str = "_rsmeta_introspect";

/// Each list of [`TChannel::introspect`] shows at most this many entries; its `*_total`
/// field gives the full count.
pub const INTROSPECT_MAX_LISTED: usize = 1000;

fn millis(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// `list` cut to [`INTROSPECT_MAX_LISTED`] entries.
fn capped(mut list: Vec<Value>) -> (Value, usize) {
    let total = list.len();
    list.truncate(INTROSPECT_MAX_LISTED);
    (Value::Array(list), total)
}

impl TChannel {
    /// What the channel holds and does now, as JSON: the same document its
    /// [`INTROSPECT_ENDPOINT`] serves when [`ChannelBuilder::introspection`](crate::ChannelBuilder::introspection)
    /// is on. Every list is sorted and holds at most [`INTROSPECT_MAX_LISTED`] entries
    /// (`*_total` gives the full count).
    ///
    /// - `service`, `hostport` (where it listens, or null), `process_name`, `language`,
    ///   `version`, `state` (`open`, `closing`, `closed`).
    /// - `limits`: the [`ChannelConfig`](crate::ChannelConfig) bounds (`max_inbound_calls`,
    ///   `max_partial_requests`, `max_inbound_bytes`, `max_write_queue`, `max_message_size`
    ///   in bytes; `init_timeout_ms`, `default_timeout_ms`, `retry_limit`).
    /// - `connections`: each live connection, with `peer` (the host:port the channel keeps it
    ///   under), `remote_addr`, `process_name`, `direction` (`outbound`: this channel opened it;
    ///   `inbound`), `outbound_calls` and `inbound_calls` in flight, `inbound_bytes` (args
    ///   held by inbound calls), `write_queue_bytes` (frames waiting to be written), `closing`.
    /// - `peers`: each peer in the channel's table, with `hostport`, `known` (calls by
    ///   service name may use it), `router` (a Hyperbahn router), `state` (`connected`,
    ///   `connecting`, `unconnected`), `health` (`healthy`, `suspect`, `closed`: see
    ///   [`TChannel::peer_health`]), `connections` and `outbound_calls`.
    /// - `endpoints` (`service`, `endpoint`, `scheme`), `streaming_endpoints` (`service`,
    ///   `endpoint`) and `fallback` (a handler for unknown endpoints is registered).
    ///
    /// ```
    /// use tchannel_runtime::{Raw, Response, TChannel};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let ch = TChannel::builder("kv").known_peers(["127.0.0.1:4040"]).build();
    /// ch.register("get", Raw, |req| async move { Ok(Response::new(req.body)) });
    /// let state = ch.introspect();
    /// assert_eq!(state["service"], "kv");
    /// assert_eq!(state["state"], "open");
    /// assert_eq!(state["peers"][0]["hostport"], "127.0.0.1:4040");
    /// assert_eq!(state["peers"][0]["state"], "unconnected");
    /// assert!(state["endpoints"]
    ///     .as_array()
    ///     .unwrap()
    ///     .iter()
    ///     .any(|e| e["endpoint"] == "get" && e["scheme"] == "raw"));
    /// assert_eq!(state["limits"]["max_inbound_calls"], 4096);
    /// # }
    /// ```
    pub fn introspect(&self) -> Value {
        self.inner.introspect()
    }
}

impl ChannelInner {
    pub(crate) fn introspect(&self) -> Value {
        let cfg = &self.config;
        let local = self.local();
        let state = if self.peers.life.is_closed() {
            "closed"
        } else if self.peers.life.is_closing() {
            "closing"
        } else {
            "open"
        };
        let known = self.peers.known();
        let routers = self.peers.routers();
        let mut peers = self.peers.all();
        peers.sort_by(|a, b| a.host_port.cmp(&b.host_port));

        let mut peer_list = Vec::with_capacity(peers.len());
        let mut connections = Vec::new();
        for peer in &peers {
            let conns = peer.connections();
            let mut outbound_calls = 0;
            for c in &conns {
                let s = c.snapshot();
                outbound_calls += s.outbound_calls;
                let info = c.peer();
                connections.push(json!({
                    "peer": peer.host_port,
                    "remote_addr": info.addr.to_string(),
                    "process_name": info.process_name,
                    "direction": if s.outgoing { "outbound" } else { "inbound" },
                    "outbound_calls": s.outbound_calls,
                    "inbound_calls": s.inbound_calls,
                    "inbound_bytes": s.inbound_bytes,
                    "write_queue_bytes": s.write_queue_bytes,
                    "closing": s.closing,
                }));
            }
            let state = if !conns.is_empty() {
                "connected"
            } else if peer.is_connecting() {
                "connecting"
            } else {
                "unconnected"
            };
            peer_list.push(json!({
                "hostport": peer.host_port,
                "known": known.contains(&peer.host_port),
                "router": routers.contains(&peer.host_port),
                "state": state,
                "health": peer.health().as_str(),
                "connections": conns.len(),
                "outbound_calls": outbound_calls,
            }));
        }

        let (mut endpoints, fallback) = self
            .handlers
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .endpoints();
        endpoints.sort();
        let endpoints = endpoints
            .into_iter()
            .map(|(service, endpoint, scheme)| {
                json!({"service": service, "endpoint": endpoint, "scheme": scheme})
            })
            .collect();
        let mut streaming = self.streams.endpoints();
        streaming.sort();
        let streaming = streaming
            .into_iter()
            .map(|(service, endpoint)| json!({"service": service, "endpoint": endpoint}))
            .collect();

        let (connections, connections_total) = capped(connections);
        let (peers, peers_total) = capped(peer_list);
        let (endpoints, endpoints_total) = capped(endpoints);
        let (streaming, streaming_total) = capped(streaming);
        json!({
            "service": self.service,
            "hostport": local.listen.map(|a| a.to_string()),
            "process_name": local.process_name,
            "language": "rust",
            "version": env!("CARGO_PKG_VERSION"),
            "state": state,
            "limits": {
                "max_inbound_calls": cfg.max_inbound_calls,
                "max_partial_requests": cfg.max_partial_requests,
                "max_inbound_bytes": cfg.max_inbound_bytes,
                "max_write_queue": cfg.max_write_queue,
                "max_message_size": cfg.max_message_size,
                "init_timeout_ms": millis(cfg.init_timeout),
                "default_timeout_ms": millis(cfg.default_timeout),
                "retry_limit": cfg.retry_limit,
            },
            "connections": connections,
            "connections_total": connections_total,
            "peers": peers,
            "peers_total": peers_total,
            "endpoints": endpoints,
            "endpoints_total": endpoints_total,
            "streaming_endpoints": streaming,
            "streaming_endpoints_total": streaming_total,
            "fallback": fallback,
        })
    }
}

/// Registers [`INTROSPECT_ENDPOINT`] on `ch`'s service. The handler holds the channel
/// weakly (its table lives in the channel), and reads the state when it runs, not when it
/// is dispatched (the handler table is locked then).
pub(super) fn serve(ch: &TChannel) {
    let weak: Weak<ChannelInner> = Arc::downgrade(&ch.inner);
    ch.register(INTROSPECT_ENDPOINT, Json, move |_req| {
        let weak = weak.clone();
        async move {
            match weak.upgrade() {
                Some(inner) => Ok(Response::new(inner.introspect())),
                None => Err(HandlerError::declined("channel closed")),
            }
        }
    });
}
