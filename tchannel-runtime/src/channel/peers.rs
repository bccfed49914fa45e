//! Peers: the hosts a channel knows, their connections, and how one is chosen for a call.
//!
//! A peer is a `host:port` that listens. Outgoing connections are made on demand; an
//! incoming connection from a peer that listens is kept under its `host_port` too, so calls
//! back to it reuse it. Ephemeral peers (clients that do not listen) are never chosen.
//!
//! Nothing here grows with the connections ever made: a connection leaves its peer as it
//! closes (its close hook calls [`PeerList::forget`]), and a peer that is neither known nor
//! a router leaves the table once it has no connection and no connect attempt
//! ([`PeerList::prune`]). Callers that need a connection to a peer share one connect attempt
//! ([`Peer::connection`]), each bounded by its own deadline.

use super::chooser::{CallInfo, LeastPending, PeerChooser, PeerView};
use crate::connection::Connection;
use crate::error::{Error, Kind};
use crate::reporter::ChannelStats;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::watch;
use tokio::task::AbortHandle;
use tokio::time::Instant;

/// Where a channel is in its life: open; closing (connections decline new inbound calls,
/// calls in flight finish); closed (every new operation fails with [`Error::is_closed`]).
/// It only moves forward.
#[derive(Default)]
pub(crate) struct Lifecycle(AtomicU8);

const CLOSING: u8 = 1;
const CLOSED: u8 = 2;

impl Lifecycle {
    pub(crate) fn start_closing(&self) {
        self.0.fetch_max(CLOSING, Ordering::SeqCst);
    }

    pub(crate) fn set_closed(&self) {
        self.0.fetch_max(CLOSED, Ordering::SeqCst);
    }

    pub(crate) fn is_closing(&self) -> bool {
        self.0.load(Ordering::SeqCst) >= CLOSING
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.0.load(Ordering::SeqCst) >= CLOSED
    }
}

/// The error of every operation on a closed channel.
pub(crate) fn closed_error() -> Error {
    Error::new(Kind::Closed, "the channel was closed")
}

/// A connect attempt in progress: every caller that needs a connection to the peer waits on
/// the same one and gets its result (`None` until it ends).
type Attempt = watch::Receiver<Option<Result<Connection, Error>>>;

/// One peer and its live connections.
pub(crate) struct Peer {
    pub host_port: String,
    state: Mutex<PeerState>,
    /// The channel's reporter of connection metrics, if it has one.
    stats: Option<Arc<ChannelStats>>,
    /// The channel's lifecycle: a connection kept while it closes is told to close too.
    life: Arc<Lifecycle>,
    /// Calls this channel's `send` has outstanding on the peer (connecting, queued or
    /// waiting for the answer): what choosers see as `pending`, and what
    /// `max_pending_per_peer` bounds.
    outstanding: AtomicUsize,
    /// Its outbound connections whose last health check failed.
    pub(crate) suspects: super::health::Suspects,
}

/// One call's place among a peer's outstanding calls, given back when dropped.
pub(crate) struct Slot<'a>(&'a Peer);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.outstanding.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A [`Slot`] that holds its peer: for a call's future that keeps the peer it calls.
pub(crate) struct OwnedSlot(Arc<Peer>);

impl OwnedSlot {
    /// The peer.
    pub(crate) fn peer(&self) -> &Arc<Peer> {
        &self.0
    }

    /// Gives the place back, keeping the peer.
    pub(crate) fn into_peer(self) -> Arc<Peer> {
        self.0.clone()
    }
}

impl Drop for OwnedSlot {
    fn drop(&mut self) {
        self.0.outstanding.fetch_sub(1, Ordering::Relaxed);
    }
}

#[derive(Default)]
struct PeerState {
    conns: Vec<Connection>,
    /// The connect attempt in progress, if any, and its task (aborted when the channel
    /// closes).
    connecting: Option<(Attempt, AbortHandle)>,
}

impl Peer {
    fn new(host_port: String, stats: Option<Arc<ChannelStats>>, life: Arc<Lifecycle>) -> Self {
        Peer {
            host_port,
            state: Mutex::default(),
            stats,
            life,
            outstanding: AtomicUsize::new(0),
            suspects: Default::default(),
        }
    }

    /// Healthy, suspect or closed, as its connections' health checks see it: what a chooser
    /// may read.
    pub(crate) fn health(&self) -> super::health::PeerHealth {
        self.live(|conns| self.suspects.health(conns))
    }

    /// Counts a call as outstanding on the peer until the slot is dropped.
    pub(crate) fn reserve(&self) -> Slot<'_> {
        self.outstanding.fetch_add(1, Ordering::Relaxed);
        Slot(self)
    }

    /// [`reserve`](Self::reserve), unless `limit` calls are outstanding already (then
    /// how many are).
    pub(crate) fn try_reserve(&self, limit: usize) -> Result<Slot<'_>, usize> {
        let prev = self.outstanding.fetch_add(1, Ordering::Relaxed);
        if prev >= limit {
            self.outstanding.fetch_sub(1, Ordering::Relaxed);
            return Err(prev);
        }
        Ok(Slot(self))
    }

    /// [`reserve`](Self::reserve), the place holding the peer.
    pub(crate) fn reserve_owned(self: Arc<Self>) -> OwnedSlot {
        self.outstanding.fetch_add(1, Ordering::Relaxed);
        OwnedSlot(self)
    }

    /// [`try_reserve`](Self::try_reserve), the place holding the peer (given back on a
    /// refusal, with how many calls are outstanding).
    pub(crate) fn try_reserve_owned(
        self: Arc<Self>,
        limit: usize,
    ) -> Result<OwnedSlot, (Arc<Self>, usize)> {
        let prev = self.outstanding.fetch_add(1, Ordering::Relaxed);
        if prev >= limit {
            self.outstanding.fetch_sub(1, Ordering::Relaxed);
            return Err((self, prev));
        }
        Ok(OwnedSlot(self))
    }

    /// Takes `c` out of the peer's connections if no call is outstanding on the peer, both
    /// under the peer's lock, which [`best_connection`](Self::best_connection) takes too: a
    /// caller that reserved before is seen here (and `c` stays), one that reserves after
    /// does not find `c`. True if it was taken out (its close is then the caller's).
    pub(crate) fn detach_if_unused(&self, c: &Connection) -> bool {
        let mut st = self.lock();
        if self.outstanding() > 0 {
            return false;
        }
        let Some(i) = st.conns.iter().position(|x| x.id() == c.id()) else {
            return false;
        };
        st.conns.swap_remove(i);
        let left = st.conns.len();
        drop(st);
        if let Some(s) = &self.stats {
            s.active(&self.host_port, left);
        }
        true
    }

    /// Calls outstanding (see [`reserve`](Self::reserve)).
    pub(crate) fn outstanding(&self) -> usize {
        self.outstanding.load(Ordering::Relaxed)
    }

    fn lock(&self) -> MutexGuard<'_, PeerState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Drops the connections found closed and reports the new `connections.active` (each
    /// counted itself in `connections.closed` as it closed). Returns the live ones; the lock
    /// is not held while reporting.
    fn live<T>(&self, f: impl FnOnce(&[Connection]) -> T) -> T {
        let mut st = self.lock();
        let conns = &mut st.conns;
        let before = conns.len();
        // Looked at first: a closed connection is rare, and `retain` costs a call.
        if conns.iter().any(Connection::is_closed) {
            conns.retain(|c| !c.is_closed());
        }
        let (closed, left) = (before - conns.len(), conns.len());
        let out = f(conns);
        drop(st);
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

    /// Keeps a connection the peer opened to this channel (`connections.accepted`). False
    /// if it was not kept: it closed already, or the channel did (then it is closed too).
    pub(crate) fn add_accepted(&self, c: &Connection) -> bool {
        let Some(n) = self.keep(c) else { return false };
        if let Some(s) = &self.stats {
            s.connection("connections.accepted", Some(&self.host_port));
            s.active(&self.host_port, n);
        }
        true
    }

    /// Keeps a connection; returns how many the peer has now, or None if it was not kept
    /// (see [`add_accepted`](Self::add_accepted)).
    fn keep(&self, c: &Connection) -> Option<usize> {
        let mut st = self.lock();
        let kept = self.keep_locked(&mut st, c);
        drop(st);
        self.kept(c, kept)
    }

    /// Under the peer's lock, so that a close of the channel either sees the connection in
    /// the list or is seen here. `Err(true)`: not kept, close it (outside the lock: its close
    /// hook takes the lock).
    fn keep_locked(&self, st: &mut PeerState, c: &Connection) -> Result<usize, bool> {
        if c.is_closed() {
            return Err(false);
        }
        if self.life.is_closed() {
            return Err(true);
        }
        if self.life.is_closing() {
            c.start_closing();
        }
        st.conns.push(c.clone());
        Ok(st.conns.len())
    }

    fn kept(&self, c: &Connection, kept: Result<usize, bool>) -> Option<usize> {
        match kept {
            Ok(n) => Some(n),
            Err(close) => {
                if close {
                    c.close_now(closed_error());
                }
                None
            }
        }
    }

    /// Forgets a connection that closed. Returns how many are left if it was there.
    fn forget(&self, id: usize) -> Option<usize> {
        self.suspects.forget(id);
        let mut st = self.lock();
        let i = st.conns.iter().position(|c| c.id() == id)?;
        st.conns.swap_remove(i);
        Some(st.conns.len())
    }

    /// No connection and no attempt to make one.
    fn is_unused(&self) -> bool {
        let st = self.lock();
        st.conns.is_empty() && st.connecting.is_none()
    }

    /// Takes every connection and the attempt in progress (the channel is closing them).
    fn take(&self) -> (Vec<Connection>, Option<AbortHandle>) {
        let mut st = self.lock();
        (
            std::mem::take(&mut st.conns),
            st.connecting.take().map(|(_, task)| task),
        )
    }

    pub(crate) fn connections(&self) -> Vec<Connection> {
        self.live(|conns| conns.to_vec())
    }

    /// A connect attempt is in progress.
    pub(crate) fn is_connecting(&self) -> bool {
        self.lock().connecting.is_some()
    }

    /// A live connection, made with `connect` if there is none, by `deadline` at the latest
    /// (else a timeout error).
    ///
    /// Callers that find no connection share one attempt: the first starts it in a task of
    /// its own (so it goes on, bounded by `connect` itself, if that caller gives up), the
    /// others wait for the same result, each until its own deadline. A failed attempt fails
    /// all of them at once; the next caller starts a new one. `after` runs in the task once
    /// the attempt has ended and the task no longer holds the peer.
    pub(crate) async fn connection<F, Fut, A>(
        self: &Arc<Self>,
        deadline: Instant,
        connect: F,
        after: A,
    ) -> Result<Connection, Error>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<Connection, Error>> + Send + 'static,
        A: FnOnce() + Send + 'static,
    {
        if let Some(c) = self.best_connection() {
            return Ok(c);
        }
        let mut attempt = {
            let mut st = self.lock();
            let live = st.conns.iter().filter(|c| !c.is_closed());
            if let Some(c) = live.min_by_key(|c| c.pending()) {
                return Ok(c.clone());
            }
            match &st.connecting {
                Some((attempt, _)) => attempt.clone(),
                None => {
                    let (tx, rx) = watch::channel(None);
                    let peer = self.clone();
                    let task = tokio::spawn(async move {
                        let result = connect().await;
                        let result = peer.settle(result);
                        drop(peer);
                        let _ = tx.send(Some(result));
                        after();
                    });
                    st.connecting = Some((rx.clone(), task.abort_handle()));
                    rx
                }
            }
        };
        let waited = tokio::time::timeout_at(deadline, attempt.wait_for(Option::is_some))
            .await
            .map(|r| r.map(|result| result.clone()));
        match waited {
            Ok(Ok(Some(result))) => result,
            Ok(Ok(None)) => Err(closed_error()),
            // The attempt's task was aborted: the channel closed.
            Ok(Err(_)) => Err(closed_error()),
            Err(_) => Err(Error::timeout(format!(
                "no connection to {} within the call's timeout",
                self.host_port
            ))),
        }
    }

    /// Records the end of a connect attempt: keeps the connection, or counts the failure.
    fn settle(&self, result: Result<Connection, Error>) -> Result<Connection, Error> {
        // The attempt ends and its connection is kept in one step: a caller never finds
        // neither.
        let mut st = self.lock();
        st.connecting = None;
        let kept = match &result {
            Ok(c) => self.keep_locked(&mut st, c),
            Err(_) => Err(false),
        };
        drop(st);
        let kept = match &result {
            Ok(c) => self.kept(c, kept),
            Err(_) => None,
        };
        match (result, kept) {
            (Ok(c), Some(n)) => {
                if let Some(s) = &self.stats {
                    s.connection("connections.initiated", Some(&self.host_port));
                    s.active(&self.host_port, n);
                }
                Ok(c)
            }
            // Made, but closed at once (or the channel closed meanwhile).
            (Ok(c), None) => Err(if self.life.is_closed() {
                closed_error()
            } else {
                Error::network(format!("connection to {} closed", c.peer().host_port))
            }),
            (Err(e), _) => {
                if let Some(s) = &self.stats {
                    s.connection("connections.connect-errors", Some(&self.host_port));
                }
                Err(e)
            }
        }
    }
}

pub(crate) async fn resolve(host_port: &str) -> Result<SocketAddr, Error> {
    if let Ok(a) = host_port.parse() {
        return Ok(a);
    }
    tokio::net::lookup_host(host_port)
        .await
        .map_err(|e| Error::network(format!("cannot resolve {host_port}: {e}")).with_source(e))?
        .next()
        .ok_or_else(|| Error::network(format!("{host_port} resolves to no address")))
}

/// A sub-channel's peers.
#[derive(Default)]
struct Group {
    /// In the order added.
    peers: Vec<String>,
    /// Isolated (tchannel-go's `Isolated`): calls through the sub-channel choose among its
    /// peers only (none: no peer available), never the channel's known peers or routers;
    /// calls made on the channel itself never choose its peers.
    isolated: bool,
}

/// The peers by `host:port`, and the last one `get_or_add` gave: a caller that sends its
/// calls to one fixed hostport (a proxy, a benchmark) finds it with a comparison of the
/// string, without hashing it. Held here, so pruning sees it (and forgets it with the peer).
#[derive(Default)]
struct PeerTable {
    map: HashMap<String, Arc<Peer>, foldhash::fast::RandomState>,
    last: Option<Arc<Peer>>,
}

/// All peers of a channel.
pub(crate) struct PeerList {
    /// Handed to every peer, for connection metrics.
    stats: Option<Arc<ChannelStats>>,
    /// foldhash rather than SipHash, as the connections' call tables: looked up once per
    /// call, and only the channel's own callers add to it (a hostport or a known peer).
    peers: Mutex<PeerTable>,
    /// Peers that calls by service name may be sent to, in the order they were added.
    known: Mutex<Vec<String>>,
    /// Hyperbahn routers: used for calls by service name when no peer is known.
    routers: Mutex<Vec<String>>,
    /// Sub-channels' peers, by service: calls to such a service choose among these (when
    /// there are any) rather than the channel's known peers.
    groups: Mutex<HashMap<String, Group>>,
    /// Whether `groups` has any entry (read on every choice: one load when there are none).
    has_groups: std::sync::atomic::AtomicBool,
    /// Chooses among the peers a call may go to.
    chooser: Arc<dyn PeerChooser>,
    /// A peer with this many calls outstanding is not offered to the chooser.
    pub(crate) max_pending: usize,
    /// The channel's lifecycle, shared with every peer.
    pub(crate) life: Arc<Lifecycle>,
}

impl Default for PeerList {
    fn default() -> Self {
        PeerList::new(None, None, None)
    }
}

impl PeerList {
    /// An empty list whose peers report connection metrics to `stats`, chosen by `chooser`
    /// (least pending by default), skipping peers with `max_pending` calls outstanding.
    pub(crate) fn new(
        stats: Option<Arc<ChannelStats>>,
        chooser: Option<Arc<dyn PeerChooser>>,
        max_pending: Option<usize>,
    ) -> Self {
        PeerList {
            stats,
            peers: Mutex::default(),
            known: Mutex::default(),
            routers: Mutex::default(),
            groups: Mutex::default(),
            has_groups: Default::default(),
            chooser: chooser.unwrap_or_else(|| Arc::new(LeastPending::default())),
            max_pending: max_pending.unwrap_or(usize::MAX),
            life: Arc::default(),
        }
    }

    /// The peer for `host_port`, created if new.
    pub(crate) fn get_or_add(&self, host_port: &str) -> Arc<Peer> {
        let mut t = self.peers.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(p) = t.last.as_ref().filter(|p| p.host_port == host_port) {
            return p.clone();
        }
        // Look up by &str first: the common case (a known peer) allocates nothing.
        let peer = match t.map.get(host_port) {
            Some(p) => p.clone(),
            None => t
                .map
                .entry(host_port.to_owned())
                .or_insert_with(|| {
                    Arc::new(Peer::new(
                        host_port.to_owned(),
                        self.stats.clone(),
                        self.life.clone(),
                    ))
                })
                .clone(),
        };
        t.last = Some(peer.clone());
        peer
    }

    /// The peer for `host_port`, if the table holds it.
    pub(crate) fn get(&self, host_port: &str) -> Option<Arc<Peer>> {
        let t = self.peers.lock().unwrap_or_else(|p| p.into_inner());
        t.map.get(host_port).cloned()
    }

    /// Removes the peer for `host_port` if nothing needs it any more: no connection, no
    /// connect attempt, not known nor a router, and nobody holds it (the table's lock is held,
    /// so nobody can take it meanwhile). The table then only holds peers in use, however
    /// many connections came and went.
    pub(crate) fn prune(&self, host_port: &str) {
        let mut t = self.peers.lock().unwrap_or_else(|p| p.into_inner());
        let Some(p) = t.map.get(host_port) else {
            return;
        };
        // The table's reference, and `last`'s if it is this peer.
        let last = t.last.as_ref().is_some_and(|l| Arc::ptr_eq(l, p));
        if Arc::strong_count(p) > 1 + usize::from(last)
            || !p.is_unused()
            || self.is_pinned(host_port)
        {
            return;
        }
        t.map.remove(host_port);
        if last {
            t.last = None;
        }
    }

    /// A known peer or a router: kept while it has no connection.
    fn is_pinned(&self, host_port: &str) -> bool {
        let lock = |m: &Mutex<Vec<String>>| {
            m.lock()
                .unwrap_or_else(|p| p.into_inner())
                .iter()
                .any(|k| k == host_port)
        };
        lock(&self.known)
            || lock(&self.routers)
            || (self.has_groups.load(Ordering::Acquire)
                && self
                    .lock_groups()
                    .values()
                    .any(|g| g.peers.iter().any(|k| k == host_port)))
    }

    fn lock_groups(&self) -> MutexGuard<'_, HashMap<String, Group>> {
        self.groups.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Makes `service` a sub-channel's service (with no peers of its own yet); `isolated`
    /// makes it isolated for good (see [`Group::isolated`]).
    pub(crate) fn add_group(&self, service: &str, isolated: bool) {
        let mut groups = self.lock_groups();
        let g = groups.entry(service.to_owned()).or_default();
        g.isolated |= isolated;
        drop(groups);
        self.has_groups.store(true, Ordering::Release);
    }

    /// Whether the sub-channel of `service` is isolated.
    pub(crate) fn is_isolated(&self, service: &str) -> bool {
        self.has_groups.load(Ordering::Acquire)
            && self.lock_groups().get(service).is_some_and(|g| g.isolated)
    }

    /// Adds a peer to the sub-channel of `service`.
    pub(crate) fn add_group_peer(&self, service: &str, host_port: &str) {
        self.get_or_add(host_port);
        let mut groups = self.lock_groups();
        let g = groups.entry(service.to_owned()).or_default();
        if !g.peers.iter().any(|k| k == host_port) {
            g.peers.push(host_port.to_owned());
        }
        drop(groups);
        self.has_groups.store(true, Ordering::Release);
    }

    /// Removes a peer from the sub-channel of `service`.
    pub(crate) fn remove_group_peer(&self, service: &str, host_port: &str) {
        if let Some(g) = self.lock_groups().get_mut(service) {
            g.peers.retain(|k| k != host_port);
        }
        self.prune(host_port);
    }

    /// The peers of the sub-channel of `service` (empty if it has none, or is none).
    pub(crate) fn group(&self, service: &str) -> Vec<String> {
        if !self.has_groups.load(Ordering::Acquire) {
            return Vec::new();
        }
        self.lock_groups()
            .get(service)
            .map(|g| g.peers.clone())
            .unwrap_or_default()
    }

    /// The peers a call to `service` may choose among, and whether they are an isolated
    /// sub-channel's (then there is no fallback): a sub-channel's own peers when it has
    /// any, and for an isolated one only for calls made through it (`via_sub`); else the
    /// channel's known peers, else its routers.
    fn candidates_for(&self, service: &str, via_sub: bool) -> (Vec<String>, bool) {
        if self.has_groups.load(Ordering::Acquire) {
            if let Some(g) = self.lock_groups().get(service) {
                match (g.isolated, via_sub) {
                    (true, true) => return (g.peers.clone(), true),
                    // The channel's own calls never use an isolated sub-channel's peers.
                    (true, false) => {}
                    (false, _) if !g.peers.is_empty() => return (g.peers.clone(), false),
                    (false, _) => {}
                }
            }
        }
        let known = self.known();
        if !known.is_empty() {
            return (known, false);
        }
        (self.routers(), false)
    }

    /// Forgets a connection of the peer `host_port` that closed (its close hook), reports
    /// the peer's `connections.active`, and prunes the peer.
    pub(crate) fn forget(&self, host_port: &str, id: usize) {
        if let Some(peer) = self.get(host_port) {
            if let Some(left) = peer.forget(id) {
                if let Some(s) = &self.stats {
                    s.active(host_port, left);
                }
            }
        }
        self.prune(host_port);
    }

    /// How many peers the table holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.peers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .map
            .len()
    }

    /// Every live connection, of every peer.
    pub(crate) fn all_connections(&self) -> Vec<Connection> {
        self.all().iter().flat_map(|p| p.connections()).collect()
    }

    /// Takes every connection and aborts every connect attempt: the channel is closed (its
    /// lifecycle says so already, so no connection is kept after this).
    pub(crate) fn take_all(&self) -> Vec<Connection> {
        let mut conns = Vec::new();
        for p in self.all() {
            let (c, attempt) = p.take();
            conns.extend(c);
            if let Some(task) = attempt {
                task.abort();
            }
        }
        conns
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
        self.prune(host_port);
    }

    pub(crate) fn set_routers(&self, routers: &[String]) {
        *self.routers.lock().unwrap_or_else(|p| p.into_inner()) = routers.to_vec();
    }

    /// The Hyperbahn routers.
    pub(crate) fn routers(&self) -> Vec<String> {
        self.routers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub(crate) fn known(&self) -> Vec<String> {
        self.known.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub(crate) fn all(&self) -> Vec<Arc<Peer>> {
        self.peers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .map
            .values()
            .cloned()
            .collect()
    }

    /// Chooses a known peer (or a router when none is known) for `call`: the chooser picks
    /// among those not in `tried`, not ephemeral and under `max_pending` calls outstanding.
    /// With none left, a no-peer-available error, or Busy when the limit left none.
    pub(crate) fn choose_call(
        &self,
        call: &CallInfo<'_>,
        tried: &HashSet<String>,
    ) -> Result<Arc<Peer>, Error> {
        let (known, isolated) = self.candidates_for(call.service, call.sub_channel);
        let n = known.len();
        let mut full = 0;
        let candidates: Vec<Arc<Peer>> = known
            .iter()
            .filter(|hp| !tried.contains(*hp) && !crate::connection::is_ephemeral(hp))
            .map(|hp| self.get_or_add(hp))
            .filter(|p| {
                let ok = p.outstanding() < self.max_pending;
                full += usize::from(!ok);
                ok
            })
            .collect();
        if !candidates.is_empty() {
            let views: Vec<PeerView<'_>> = candidates
                .iter()
                .map(|p| {
                    let health = p.health();
                    let connected = health != super::health::PeerHealth::Closed;
                    PeerView::new(&p.host_port, p.outstanding(), connected).with_health(health)
                })
                .collect();
            if let Some(i) = self.chooser.choose(call, &views) {
                if let Some(p) = candidates.get(i) {
                    return Ok(p.clone());
                }
            }
        }
        let service = call.service;
        if full > 0 {
            return Err(Error::from_code(
                crate::ErrorCode::Busy,
                format!(
                    "no peer available for service {service:?}: {full} of {n} known peers have \
                     max_pending_per_peer ({}) calls pending, {} already tried",
                    self.max_pending,
                    tried.len()
                ),
            ));
        }
        Err(Error::new(
            Kind::NoPeerAvailable,
            format!(
                "no peer available for service {service:?} ({n} known{}, {} already tried)",
                if isolated {
                    " to its isolated sub-channel"
                } else {
                    ""
                },
                tried.len()
            ),
        ))
    }
}
