//! How a peer is chosen for a call by service name: the [`PeerChooser`] trait and the three
//! choosers the runtime ships ([`LeastPending`], the default; [`PowerOfTwo`];
//! [`Rendezvous`] on the shard key).

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// What a chooser knows of the call it chooses a peer for.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct CallInfo<'a> {
    /// The service called.
    pub service: &'a str,
    /// The shard key (`sk` transport header), if the call has one.
    pub shard_key: Option<&'a str>,
    /// 0 for the first attempt, 1 for the first retry, and so on.
    pub attempt: u32,
    /// Made through a sub-channel (whose isolated peers it may then use).
    pub(crate) sub_channel: bool,
}

impl<'a> CallInfo<'a> {
    /// A first attempt at calling `service`, with no shard key (for choosers' own tests).
    pub fn new(service: &'a str) -> Self {
        CallInfo {
            service,
            shard_key: None,
            attempt: 0,
            sub_channel: false,
        }
    }
    /// The same with a shard key.
    pub fn with_shard_key(mut self, sk: &'a str) -> Self {
        self.shard_key = Some(sk);
        self
    }
    /// The same, made through a sub-channel or not.
    pub(crate) fn via_sub_channel(mut self, yes: bool) -> Self {
        self.sub_channel = yes;
        self
    }
    /// Attempt `n` (0 for the first), with the call's shard key if it has one.
    pub(crate) fn attempt(mut self, n: u32, shard_key: Option<&'a str>) -> Self {
        self.attempt = n;
        self.shard_key = shard_key;
        self
    }
}

/// One peer a call may go to, as a chooser sees it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct PeerView<'a> {
    /// Its `host:port`.
    pub host_port: &'a str,
    /// Calls this channel has outstanding on it: connecting, waiting to be sent, or
    /// waiting for their answer (whole calls; a streamed call only while it connects and
    /// opens).
    pub pending: usize,
    /// Whether it has a live connection (else choosing it costs a connect first).
    pub connected: bool,
    /// What its connections' health checks say (see
    /// [`ChannelBuilder::health_check`](crate::ChannelBuilder::health_check)): a chooser
    /// may avoid a [`Suspect`](crate::PeerHealth::Suspect) peer. The built-in choosers
    /// pass over a suspect peer whenever another is offered ([`is_suspect`](Self::is_suspect)).
    pub health: crate::PeerHealth,
}

impl<'a> PeerView<'a> {
    /// A view of a peer (for choosers' own tests).
    pub fn new(host_port: &'a str, pending: usize, connected: bool) -> Self {
        PeerView {
            host_port,
            pending,
            connected,
            health: if connected {
                crate::PeerHealth::Healthy
            } else {
                crate::PeerHealth::Closed
            },
        }
    }

    /// The same view with the peer's health (by default [`Healthy`](crate::PeerHealth)
    /// when connected, else [`Closed`](crate::PeerHealth)).
    ///
    /// ```
    /// use tchannel_runtime::{chooser::PeerView, PeerHealth};
    /// let v = PeerView::new("a:1", 0, true).with_health(PeerHealth::Suspect);
    /// assert_eq!(v.health, PeerHealth::Suspect);
    /// ```
    pub fn with_health(mut self, health: crate::PeerHealth) -> Self {
        self.health = health;
        self
    }

    /// Whether its health checks have failed on every live connection
    /// ([`PeerHealth::Suspect`](crate::PeerHealth::Suspect)). The built-in choosers choose
    /// such a peer only when every peer offered is suspect: a closed peer (no connection
    /// yet, or its last one closed) is not avoided, it only costs a connect (see
    /// [`load`](Self::load)); avoiding it would keep calls off every peer not yet
    /// connected, and move a shard key off its peer.
    ///
    /// ```
    /// use tchannel_runtime::{chooser::PeerView, PeerHealth};
    /// assert!(PeerView::new("a:1", 0, true).with_health(PeerHealth::Suspect).is_suspect());
    /// assert!(!PeerView::new("a:1", 0, false).is_suspect());
    /// ```
    pub fn is_suspect(&self) -> bool {
        self.health == crate::PeerHealth::Suspect
    }

    /// The load the built-in choosers compare: the calls pending, plus one for a peer with
    /// no connection (the cost of connecting), so an idle connected peer wins over an idle
    /// new one.
    pub fn load(&self) -> usize {
        self.pending.saturating_add(usize::from(!self.connected))
    }
}

/// Chooses the peer of a call by service name, among the channel's known peers (or its
/// Hyperbahn routers when it knows none).
///
/// `peers` holds only the peers the call may go to: not tried yet by this call, not
/// ephemeral, and under the channel's
/// [`max_pending_per_peer`](crate::ChannelBuilder::max_pending_per_peer); it is never empty.
/// Return the index of the chosen one; `None` fails the call with a no-peer-available error
/// ([`Error::is_no_peer_available`](crate::Error::is_no_peer_available)). An index out of
/// range is taken as `None`. It is called once per attempt, on the caller's task: keep it
/// quick and do not block.
///
/// ```
/// use tchannel_runtime::chooser::{CallInfo, PeerChooser, PeerView};
/// use tchannel_runtime::TChannel;
///
/// /// Always the first peer added that may take the call (a primary and its fallbacks).
/// struct InOrder;
/// impl PeerChooser for InOrder {
///     fn choose(&self, _call: &CallInfo<'_>, _peers: &[PeerView<'_>]) -> Option<usize> {
///         Some(0)
///     }
/// }
/// let peers = [PeerView::new("10.0.0.1:4040", 3, true), PeerView::new("10.0.0.2:4040", 0, true)];
/// assert_eq!(InOrder.choose(&CallInfo::new("svc"), &peers), Some(0));
/// let ch = TChannel::builder("client")
///     .known_peers(["10.0.0.1:4040", "10.0.0.2:4040"])
///     .peer_chooser(InOrder)
///     .build();
/// # let _ = ch;
/// ```
pub trait PeerChooser: Send + Sync + 'static {
    /// The index in `peers` of the peer to send this attempt to.
    fn choose(&self, call: &CallInfo<'_>, peers: &[PeerView<'_>]) -> Option<usize>;
}

/// A shared chooser (so a test, say, can keep a handle on it).
impl<T: PeerChooser> PeerChooser for std::sync::Arc<T> {
    fn choose(&self, call: &CallInfo<'_>, peers: &[PeerView<'_>]) -> Option<usize> {
        (**self).choose(call, peers)
    }
}

/// The default: the peer with the least [`load`](PeerView::load) (calls pending, plus one
/// when not connected), ties broken by rotating through the list so equal peers share the
/// calls. A [suspect](PeerView::is_suspect) peer only when every peer offered is.
///
/// ```
/// use tchannel_runtime::chooser::{CallInfo, LeastPending, PeerChooser, PeerView};
/// let peers = [PeerView::new("a:1", 2, true), PeerView::new("b:1", 0, false), PeerView::new("c:1", 1, true)];
/// // b has no connection (load 1), c has one call (load 1): the first of them from the rotation.
/// let i = LeastPending::default().choose(&CallInfo::new("svc"), &peers).unwrap();
/// assert!(i == 1 || i == 2);
/// ```
#[derive(Debug, Default)]
pub struct LeastPending {
    rotation: AtomicUsize,
}

impl PeerChooser for LeastPending {
    fn choose(&self, _call: &CallInfo<'_>, peers: &[PeerView<'_>]) -> Option<usize> {
        let n = peers.len();
        if n == 0 {
            return None;
        }
        let start = self.rotation.fetch_add(1, Ordering::Relaxed);
        (0..n)
            .map(|k| (start.wrapping_add(k)) % n)
            .min_by_key(|&i| (peers[i].is_suspect(), peers[i].load()))
    }
}

/// Power of two choices: two peers drawn at random, the less loaded of them
/// ([`PeerView::load`]). Near least-pending balance at O(1) cost, and it does not herd
/// every caller onto the same idle peer. The two are drawn among the peers that are not
/// [suspect](PeerView::is_suspect) (among all of them when every one is). Seedable, for
/// tests:
///
/// ```
/// use tchannel_runtime::chooser::{CallInfo, PeerChooser, PeerView, PowerOfTwo};
/// let peers = [PeerView::new("a:1", 5, true), PeerView::new("b:1", 0, true)];
/// let (x, y) = (PowerOfTwo::with_seed(7), PowerOfTwo::with_seed(7));
/// for _ in 0..10 {
///     let call = CallInfo::new("svc");
///     // Two peers: both are drawn, the less loaded wins; and the same seed, the same draws.
///     assert_eq!(x.choose(&call, &peers), Some(1));
///     assert_eq!(y.choose(&call, &peers), Some(1));
/// }
/// ```
#[derive(Debug)]
pub struct PowerOfTwo {
    state: AtomicU64,
}

impl Default for PowerOfTwo {
    fn default() -> Self {
        Self::with_seed(crate::id::random_id())
    }
}

impl PowerOfTwo {
    /// Seeded from the channel's random source.
    pub fn new() -> Self {
        Self::default()
    }
    /// Draws from a fixed seed: the same seed, the same sequence of choices.
    pub fn with_seed(seed: u64) -> Self {
        PowerOfTwo {
            state: AtomicU64::new(seed),
        }
    }
    /// splitmix64: one atomic add, then a mix.
    fn next(&self) -> u64 {
        mix64(
            self.state
                .fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed)
                .wrapping_add(0x9e37_79b9_7f4a_7c15),
        )
    }
}

impl PeerChooser for PowerOfTwo {
    fn choose(&self, _call: &CallInfo<'_>, peers: &[PeerView<'_>]) -> Option<usize> {
        // Draw among the peers not suspect: the k-th of them is found by a scan (no
        // allocation); with none suspect (the usual case) or all, among every peer.
        let sound = peers.iter().filter(|p| !p.is_suspect()).count();
        let filtered = sound != 0 && sound != peers.len();
        let n = if filtered { sound } else { peers.len() } as u64;
        let pick = |k| if filtered { nth_sound(peers, k) } else { k };
        match n {
            0 => None,
            1 => Some(pick(0)),
            _ => {
                let r = self.next();
                let a = (r % n) as usize;
                // A second peer, different from the first.
                let b = ((a as u64 + 1 + (r >> 32) % (n - 1)) % n) as usize;
                let (a, b) = (pick(a), pick(b));
                Some(if peers[b].load() < peers[a].load() {
                    b
                } else {
                    a
                })
            }
        }
    }
}

/// Rendezvous (highest random weight) hashing on the shard key (`sk`): a call with a shard
/// key goes to the peer whose hash with the key is highest, so all calls of one key go to
/// one peer, and adding or removing a peer moves only the keys of that peer. A retry goes to
/// the next peer in the key's order (the tried one is no longer offered), and so does a call
/// whose peer is [suspect](PeerView::is_suspect) while another is not. Calls without a
/// shard key are chosen by [`LeastPending`]. The hash (farmhash's fingerprint64) is stable
/// across processes and versions, so every client agrees.
///
/// ```
/// use tchannel_runtime::chooser::{CallInfo, PeerChooser, PeerView, Rendezvous};
/// let peers = [PeerView::new("a:1", 0, true), PeerView::new("b:1", 0, true), PeerView::new("c:1", 0, true)];
/// let r = Rendezvous::default();
/// let call = CallInfo::new("svc").with_shard_key("user-42");
/// let first = r.choose(&call, &peers);
/// assert!(first.is_some());
/// assert_eq!(r.choose(&call, &peers), first, "the same key, the same peer");
/// ```
#[derive(Debug, Default)]
pub struct Rendezvous {
    fallback: LeastPending,
}

impl Rendezvous {
    /// The key's weight on a peer.
    pub fn weight(shard_key: &str, host_port: &str) -> u64 {
        let k = farmhash::fingerprint64(shard_key.as_bytes());
        let p = farmhash::fingerprint64(host_port.as_bytes());
        mix64(k ^ p.rotate_left(29).wrapping_mul(0x9e37_79b9_7f4a_7c15))
    }
}

impl PeerChooser for Rendezvous {
    fn choose(&self, call: &CallInfo<'_>, peers: &[PeerView<'_>]) -> Option<usize> {
        match call.shard_key {
            Some(sk) => peers
                .iter()
                .enumerate()
                .max_by_key(|(_, p)| {
                    (
                        !p.is_suspect(),
                        Self::weight(sk, p.host_port),
                        std::cmp::Reverse(p.host_port),
                    )
                })
                .map(|(i, _)| i),
            None => self.fallback.choose(call, peers),
        }
    }
}

/// The index of the `k`-th peer that is not suspect (there is one).
fn nth_sound(peers: &[PeerView<'_>], k: usize) -> usize {
    peers
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.is_suspect())
        .nth(k)
        .map_or(0, |(i, _)| i)
}

/// splitmix64's finalizer: every bit of the input moves every bit of the output.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn views(names: &[String]) -> Vec<PeerView<'_>> {
        names.iter().map(|h| PeerView::new(h, 0, true)).collect()
    }

    #[test]
    fn least_pending_prefers_connected_and_idle_and_rotates_ties() {
        let c = LeastPending::default();
        let call = CallInfo::new("svc");
        let peers = [
            PeerView::new("a", 1, true),
            PeerView::new("b", 0, false),
            PeerView::new("c", 0, true),
        ];
        for _ in 0..5 {
            assert_eq!(c.choose(&call, &peers), Some(2));
        }
        let even = [PeerView::new("a", 0, true), PeerView::new("b", 0, true)];
        let picks: Vec<_> = (0..4).map(|_| c.choose(&call, &even).unwrap()).collect();
        assert_eq!(picks.iter().filter(|&&i| i == 0).count(), 2, "{picks:?}");
        assert_eq!(c.choose(&call, &[]), None);
    }

    #[test]
    fn the_built_in_choosers_pass_over_suspect_peers_unless_all_are() {
        use crate::PeerHealth::{Closed, Healthy, Suspect};
        let names: Vec<String> = (0..6).map(|i| format!("10.0.0.{i}:4040")).collect();
        // Suspect peers with no load, the others loaded: load alone would pick a suspect.
        let health = [Suspect, Healthy, Suspect, Closed, Suspect, Healthy];
        let peers: Vec<PeerView<'_>> = names
            .iter()
            .zip(health)
            .map(|(h, s)| {
                let v = PeerView::new(h, 0, s != Closed).with_health(s);
                match s {
                    Suspect => v,
                    // The same load as the healthy ones: 6 calls and a connect.
                    Closed => PeerView { pending: 6, ..v },
                    Healthy => PeerView { pending: 7, ..v },
                }
            })
            .collect();
        let all_suspect: Vec<PeerView<'_>> = peers.iter().map(|p| p.with_health(Suspect)).collect();
        let choosers: [(&str, Box<dyn PeerChooser>); 3] = [
            ("least pending", Box::new(LeastPending::default())),
            ("power of two", Box::new(PowerOfTwo::with_seed(3))),
            ("rendezvous", Box::new(Rendezvous::default())),
        ];
        for (name, c) in &choosers {
            let mut seen = std::collections::HashSet::new();
            for i in 0..200 {
                let key = format!("user-{i}");
                let call = CallInfo::new("svc").with_shard_key(&key);
                let call = if i % 2 == 0 {
                    CallInfo::new("svc")
                } else {
                    call
                };
                let pick = c.choose(&call, &peers).unwrap();
                assert!(!peers[pick].is_suspect(), "{name} chose a suspect peer");
                seen.insert(pick);
                // Every one suspect: still chosen.
                assert!(c.choose(&call, &all_suspect).is_some(), "{name}");
            }
            assert_eq!(seen, [1, 3, 5].into(), "{name} uses every peer not suspect");
        }
        // Only one is not suspect: it is the choice.
        let one: Vec<PeerView<'_>> = peers[..2].to_vec();
        let p2 = PowerOfTwo::with_seed(9);
        for _ in 0..50 {
            assert_eq!(p2.choose(&CallInfo::new("svc"), &one), Some(1));
        }
    }

    #[test]
    fn power_of_two_is_seeded_and_never_picks_the_most_loaded_of_many() {
        let names: Vec<String> = (0..10).map(|i| format!("10.0.0.{i}:4040")).collect();
        let mut peers = views(&names);
        peers[3].pending = 100;
        let (a, b) = (PowerOfTwo::with_seed(42), PowerOfTwo::with_seed(42));
        let call = CallInfo::new("svc");
        let mut seen = std::collections::HashSet::new();
        for _ in 0..1000 {
            let i = a.choose(&call, &peers).unwrap();
            assert_eq!(b.choose(&call, &peers), Some(i));
            // The loaded peer only wins against... nobody: it always loses its pair.
            assert_ne!(i, 3);
            seen.insert(i);
        }
        assert_eq!(seen.len(), 9, "spreads over every other peer");
        assert_eq!(a.choose(&call, &peers[..1]), Some(0));
    }

    #[test]
    fn rendezvous_is_stable_spreads_keys_and_moves_few_on_removal() {
        let names: Vec<String> = (0..5).map(|i| format!("10.0.0.{i}:4040")).collect();
        let peers = views(&names);
        let r = Rendezvous::default();
        let keys: Vec<String> = (0..1000).map(|i| format!("user-{i}")).collect();
        let pick = |peers: &[PeerView<'_>], k: &str| {
            let i = r
                .choose(&CallInfo::new("svc").with_shard_key(k), peers)
                .unwrap();
            peers[i].host_port.to_owned()
        };
        let before: Vec<String> = keys.iter().map(|k| pick(&peers, k)).collect();
        for name in &names {
            let n = before.iter().filter(|p| *p == name).count();
            assert!((100..=300).contains(&n), "{name}: {n} of 1000 keys");
        }
        // Remove one peer: only its keys move.
        let fewer: Vec<PeerView<'_>> = peers
            .iter()
            .copied()
            .filter(|p| p.host_port != names[2])
            .collect();
        for (k, was) in keys.iter().zip(&before) {
            let now = pick(&fewer, k);
            if *was != names[2] {
                assert_eq!(&now, was, "key {k} moved");
            }
        }
        // The weight is a fixed function: pin one value so a change of hash is noticed.
        assert_eq!(
            Rendezvous::weight("user-1", "10.0.0.1:4040"),
            11_236_388_609_145_782_433
        );
        // No shard key: least pending.
        let mut loaded = views(&names);
        for p in loaded.iter_mut() {
            p.pending = 5;
        }
        loaded[4].pending = 0;
        assert_eq!(r.choose(&CallInfo::new("svc"), &loaded), Some(4));
    }
}
