//! Health checks of outbound connections and the idle sweep (tchannel-go's
//! `HealthCheckOptions`, `IdleCheckInterval` and `MaxIdleTime`).
//!
//! A health check is a task per outbound connection: it pings every `interval`, marks the
//! connection suspect in its peer's [`Suspects`] while pings fail, and closes it after
//! `failures_to_close` failures in a row (its calls in flight fail as network errors). The
//! task ends, aborted by the connection's close hook, when the connection closes.
//!
//! The idle sweep is a task per channel: every `idle_check_interval` it looks at every
//! connection, both directions, and closes the ones with no call in flight and no call begun
//! for `max_idle_time`, never one a call has taken but not begun on yet ([`look`]).

use super::peers::Peer;
use super::ChannelInner;
use crate::connection::Connection;
use crate::error::Error;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;
use tokio::task::AbortHandle;
use tokio::time::{Instant, MissedTickBehavior};

/// Periodic pings on each outbound connection (see
/// [`ChannelBuilder::health_check`](super::ChannelBuilder::health_check)).
///
/// ```
/// use std::time::Duration;
/// use tchannel_runtime::HealthCheck;
/// let check = HealthCheck {
///     interval: Duration::from_secs(2),
///     failures_to_close: 3,
///     ..HealthCheck::default()
/// };
/// assert_eq!(check.timeout, Duration::from_secs(1));
/// assert!(!check.close_unanswered);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HealthCheck {
    /// Time between the end of one ping and the next. Default: 5 s.
    pub interval: Duration,
    /// How long one ping waits for its answer before it counts as failed. Default: 1 s.
    pub timeout: Duration,
    /// Failed pings in a row after which the connection is closed (at least 1). Default: 5.
    pub failures_to_close: u32,
    /// Also close a connection whose peer has never answered a ping. Default: false, because
    /// tchannel-python never answers ping: its connections would be killed while they serve
    /// calls. With false, failed pings to a peer that never answered one make the connection
    /// [`PeerHealth::Suspect`] but do not close it; once a peer has answered a ping, failures
    /// count toward `failures_to_close`.
    pub close_unanswered: bool,
}

impl Default for HealthCheck {
    fn default() -> Self {
        HealthCheck {
            interval: Duration::from_secs(5),
            timeout: Duration::from_secs(1),
            failures_to_close: 5,
            close_unanswered: false,
        }
    }
}

/// A peer's state as its health checks see it (see [`TChannel::peer_health`]).
///
/// [`TChannel::peer_health`]: super::TChannel::peer_health
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeerHealth {
    /// At least one live connection whose last health check, if any, was answered
    /// (connections without health checks, and accepted ones, count as healthy).
    Healthy,
    /// Live connections only whose last ping failed: they still carry calls.
    Suspect,
    /// No live connection: none made yet, or the last one closed. A call connects anew.
    Closed,
}

impl PeerHealth {
    /// `healthy`, `suspect` or `closed` (as introspection shows it).
    ///
    /// ```
    /// assert_eq!(tchannel_runtime::PeerHealth::Suspect.as_str(), "suspect");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            PeerHealth::Healthy => "healthy",
            PeerHealth::Suspect => "suspect",
            PeerHealth::Closed => "closed",
        }
    }
}

/// The ids of a peer's connections whose last ping failed, and how many there are (read
/// without the lock when choosing a peer: usually none).
#[derive(Default)]
pub(crate) struct Suspects(Mutex<HashSet<usize>>, AtomicUsize);

impl Suspects {
    /// Changes the set under its lock and keeps the count in step.
    fn with<T>(&self, f: impl FnOnce(&mut HashSet<usize>) -> T) -> T {
        let mut set = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let out = f(&mut set);
        self.1.store(set.len(), Ordering::Relaxed);
        out
    }

    fn set(&self, id: usize, suspect: bool) {
        self.with(|s| if suspect { s.insert(id) } else { s.remove(&id) });
    }

    /// Forgets a connection that closed.
    pub(crate) fn forget(&self, id: usize) {
        self.with(|s| s.remove(&id));
    }

    /// The health of a peer whose live connections are `conns`.
    pub(crate) fn health(&self, conns: &[Connection]) -> PeerHealth {
        if conns.is_empty() {
            return PeerHealth::Closed;
        }
        if self.1.load(Ordering::Relaxed) == 0 {
            return PeerHealth::Healthy;
        }
        let suspects = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if conns.iter().any(|c| !suspects.contains(&c.id())) {
            PeerHealth::Healthy
        } else {
            PeerHealth::Suspect
        }
    }
}

/// Starts the health check of an outbound connection to `peer`; the returned handle aborts
/// it (the connection's close hook does).
pub(crate) fn watch(conn: Connection, check: HealthCheck, peer: Weak<Peer>) -> AbortHandle {
    tokio::spawn(async move {
        let id = conn.id();
        let (mut failures, mut answered) = (0u32, false);
        loop {
            tokio::time::sleep(check.interval).await;
            let result = conn.ping(check.timeout).await;
            // The peer is gone from the table only once its connections are.
            let Some(peer) = peer.upgrade() else { return };
            let e = match result {
                Ok(_) => {
                    (failures, answered) = (0, true);
                    peer.suspects.set(id, false);
                    continue;
                }
                Err(_) if conn.is_closed() => return,
                Err(e) => e,
            };
            failures = failures.saturating_add(1);
            peer.suspects.set(id, true);
            if conn.is_closed() {
                // It closed meanwhile: its close hook may have forgotten it before the mark.
                peer.suspects.forget(id);
                return;
            }
            if failures >= check.failures_to_close.max(1) && (answered || check.close_unanswered) {
                conn.close_now(Error::network(format!(
                    "health check: {failures} pings in a row to {} failed (last: {e})",
                    peer.host_port
                )));
                return;
            }
        }
    })
    .abort_handle()
}

/// Every `every`, closes the channel's connections that have had no call in flight and none
/// begun for `max_idle` (see [`look`]). Ends when the channel is dropped or closing.
pub(crate) async fn sweep(channel: Weak<ChannelInner>, every: Duration, max_idle: Duration) {
    let mut seen = Seen::new();
    let mut tick = tokio::time::interval_at(Instant::now() + every, every);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let Some(ch) = channel.upgrade() else { return };
        if ch.peers.life.is_closing() {
            return;
        }
        let grace = ch.config.default_timeout;
        let peers = ch.peers.all();
        drop(ch);
        look(&mut seen, &peers, max_idle, grace);
    }
}

/// Per connection id: the calls it had begun, and since when it has been seen so.
pub(crate) type Seen = HashMap<usize, (u64, Instant)>;

/// One look of the sweep at `peers`' connections: those seen idle at an earlier look and
/// still so, with no call begun in between, `max_idle` or more ago are closed.
///
/// A caller may hold such a connection without having begun its call on it yet (`send`
/// counts its call on the peer, takes the peer's best connection, then opens the call), so
/// closing it then would fail that call with nothing sent. So the connection is first taken
/// out of its peer's list, under the peer's lock and only while no call is counted on the
/// peer ([`Peer::detach_if_unused`]: a caller counted later does not find it), then closed
/// only if it is still idle with no call begun, in one step under its own lock
/// ([`Connection::close_if_idle`]); one that a call (an inbound one, say) began on meanwhile
/// is drained instead, its calls let finish.
pub(crate) fn look(seen: &mut Seen, peers: &[Arc<Peer>], max_idle: Duration, grace: Duration) {
    let now = Instant::now();
    // Only connections alive and idle now are kept: the map is bounded by them.
    let mut next = HashMap::with_capacity(seen.len());
    for peer in peers {
        for c in peer.connections() {
            let Some(begun) = c.idle_count() else {
                continue;
            };
            let since = match seen.get(&c.id()) {
                Some(&(n, t)) if n == begun => t,
                _ => now,
            };
            if now.duration_since(since) < max_idle {
                next.insert(c.id(), (begun, since));
            } else if !peer.detach_if_unused(&c) {
                // A call counted on the peer may be about to use it: look again next time.
                next.insert(c.id(), (begun, since));
            } else if !c.close_if_idle(
                begun,
                Error::new(
                    crate::error::Kind::Closed,
                    format!(
                        "the connection was closed by this side: idle for max_idle_time ({}ms)",
                        max_idle.as_millis()
                    ),
                ),
            ) {
                // A call began on it meanwhile: let it finish (no new outbound call can
                // take it now, new inbound ones are declined).
                tokio::spawn(async move { c.drain(now + grace).await });
            }
        }
    }
    *seen = next;
}
