//! Peers: the hosts a channel knows, their connections, and how one is chosen for a call.
//!
//! A peer is a `host:port` that listens. Outgoing connections are made on demand; an
//! incoming connection from a peer that listens is kept under its `host_port` too, so calls
//! back to it reuse it. Ephemeral peers (clients that do not listen) are never chosen.

use crate::connection::Connection;
use crate::error::{Error, Kind};
use crate::stats::ChannelStats;
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// One peer and its live connections.
pub(crate) struct Peer {
    pub host_port: String,
    conns: Mutex<Vec<Connection>>,
    /// Serialises connection attempts so concurrent calls share one new connection.
    connecting: tokio::sync::Mutex<()>,
    /// The channel's reporter of connection metrics, if it has one.
    stats: Option<Arc<ChannelStats>>,
}

impl Peer {
    fn new(host_port: String, stats: Option<Arc<ChannelStats>>) -> Self {
        Peer {
            host_port,
            conns: Mutex::new(Vec::new()),
            connecting: tokio::sync::Mutex::new(()),
            stats,
        }
    }

    /// Drops the connections found closed and reports the new `connections.active` (each
    /// counted itself in `connections.closed` as it closed). Returns the live ones; the lock
    /// is not held while reporting.
    fn live<T>(&self, f: impl FnOnce(&[Connection]) -> T) -> T {
        let mut conns = self.conns.lock().unwrap_or_else(|p| p.into_inner());
        let before = conns.len();
        conns.retain(|c| !c.is_closed());
        let (closed, left) = (before - conns.len(), conns.len());
        let out = f(&conns);
        drop(conns);
        if closed > 0 {
            if let Some(s) = &self.stats {
                s.active(&self.host_port, left);
            }
        }
        out
    }

    /// The live connection with the fewest calls in flight, if any.
    pub(crate) fn best_connection(&self) -> Option<Connection> {
        self.live(|conns| conns.iter().min_by_key(|c| c.pending()).cloned())
    }

    /// Keeps a connection the peer opened to this channel (`connections.accepted`).
    pub(crate) fn add_accepted(&self, c: Connection) {
        let n = self.add_connection(c);
        if let Some(s) = &self.stats {
            s.connection("connections.accepted", Some(&self.host_port));
            s.active(&self.host_port, n);
        }
    }

    /// Keeps a connection; returns how many the peer has now.
    fn add_connection(&self, c: Connection) -> usize {
        let mut conns = self.conns.lock().unwrap_or_else(|p| p.into_inner());
        conns.push(c);
        conns.len()
    }

    pub(crate) fn connections(&self) -> Vec<Connection> {
        self.live(|conns| conns.to_vec())
    }

    fn pending(&self) -> usize {
        self.connections().iter().map(|c| c.pending()).sum()
    }

    fn is_connected(&self) -> bool {
        self.best_connection().is_some()
    }

    /// Counts a failed connection attempt (`connections.connect-errors`); returns `e`.
    fn connect_failed(&self, e: Error) -> Error {
        if let Some(s) = &self.stats {
            s.connection("connections.connect-errors", Some(&self.host_port));
        }
        e
    }

    /// A live connection, made with `connect` if there is none.
    pub(crate) async fn connection<F, Fut>(&self, connect: F) -> Result<Connection, Error>
    where
        F: FnOnce(SocketAddr) -> Fut,
        Fut: std::future::Future<Output = Result<Connection, Error>>,
    {
        if let Some(c) = self.best_connection() {
            return Ok(c);
        }
        let _guard = self.connecting.lock().await;
        if let Some(c) = self.best_connection() {
            return Ok(c);
        }
        let addr = match resolve(&self.host_port).await {
            Ok(a) => a,
            Err(e) => return Err(self.connect_failed(e)),
        };
        let c = match connect(addr).await {
            Ok(c) => c,
            Err(e) => return Err(self.connect_failed(e)),
        };
        let n = self.add_connection(c.clone());
        if let Some(s) = &self.stats {
            s.connection("connections.initiated", Some(&self.host_port));
            s.active(&self.host_port, n);
        }
        Ok(c)
    }
}

async fn resolve(host_port: &str) -> Result<SocketAddr, Error> {
    if let Ok(a) = host_port.parse() {
        return Ok(a);
    }
    tokio::net::lookup_host(host_port)
        .await
        .map_err(|e| Error::network(format!("cannot resolve {host_port}: {e}")).with_source(e))?
        .next()
        .ok_or_else(|| Error::network(format!("{host_port} resolves to no address")))
}

/// All peers of a channel.
#[derive(Default)]
pub(crate) struct PeerList {
    /// Handed to every peer, for connection metrics.
    stats: Option<Arc<ChannelStats>>,
    peers: Mutex<HashMap<String, Arc<Peer>>>,
    /// Peers that calls by service name may be sent to, in the order they were added.
    known: Mutex<Vec<String>>,
    /// Hyperbahn routers: used for calls by service name when no peer is known.
    routers: Mutex<Vec<String>>,
    rotation: AtomicUsize,
}

impl PeerList {
    /// An empty list whose peers report connection metrics to `stats`.
    pub(crate) fn new(stats: Option<Arc<ChannelStats>>) -> Self {
        PeerList {
            stats,
            ..Default::default()
        }
    }

    /// The peer for `host_port`, created if new.
    pub(crate) fn get_or_add(&self, host_port: &str) -> Arc<Peer> {
        let mut peers = self.peers.lock().unwrap_or_else(|p| p.into_inner());
        // Look up by &str first: the common case (a known peer) allocates nothing.
        if let Some(p) = peers.get(host_port) {
            return p.clone();
        }
        peers
            .entry(host_port.to_owned())
            .or_insert_with(|| Arc::new(Peer::new(host_port.to_owned(), self.stats.clone())))
            .clone()
    }

    /// Adds a peer that calls by service name may use.
    pub(crate) fn add_known(&self, host_port: &str) {
        self.get_or_add(host_port);
        let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
        if !known.iter().any(|k| k == host_port) {
            known.push(host_port.to_owned());
        }
    }

    pub(crate) fn remove_known(&self, host_port: &str) {
        self.known
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|k| k != host_port);
    }

    pub(crate) fn set_routers(&self, routers: &[String]) {
        *self.routers.lock().unwrap_or_else(|p| p.into_inner()) = routers.to_vec();
    }

    pub(crate) fn known(&self) -> Vec<String> {
        self.known.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub(crate) fn all(&self) -> Vec<Arc<Peer>> {
        self.peers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .cloned()
            .collect()
    }

    /// Chooses a known peer not in `tried`, by the fewest calls in flight, where a peer with
    /// no connection counts one extra (the cost of connecting): an idle connected peer wins
    /// over an idle new one, and load spills over to others as calls pile up. Ties are broken
    /// by rotating through the list.
    pub(crate) fn choose(
        &self,
        service: &str,
        tried: &HashSet<String>,
    ) -> Result<Arc<Peer>, Error> {
        let mut known = self.known();
        if known.is_empty() {
            known = self
                .routers
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone();
        }
        let n = known.len();
        let start = self.rotation.fetch_add(1, Ordering::Relaxed);
        let best = (0..n)
            .map(|i| &known[(start + i) % n.max(1)])
            .filter(|hp| !tried.contains(*hp) && !crate::connection::is_ephemeral(hp))
            .map(|hp| self.get_or_add(hp))
            .enumerate()
            .min_by_key(|(i, p)| (p.pending() + usize::from(!p.is_connected()), *i))
            .map(|(_, p)| p);
        best.ok_or_else(|| {
            Error::new(
                Kind::NoPeerAvailable,
                format!(
                    "no peer available for service {service:?} ({n} known, {} already tried)",
                    tried.len()
                ),
            )
        })
    }
}
