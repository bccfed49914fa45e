//! The call tables: outbound calls by id (their responses arriving), inbound calls by id
//! (arriving, running, streaming), pings, the id allocator, and what a close takes.

use super::*;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

pub(super) struct ResHead {
    pub(super) code: u8,
    pub(super) headers: TransportHeaders,
}

pub(super) struct Outbound {
    pub(super) head: Option<ResHead>,
    /// Made at the first frame of a response that is not all in one frame (one-frame
    /// responses, nearly all, never need one): boxed, so that the table's entries stay small
    /// and each call's entry is moved in and out of the table without a large copy.
    pub(super) reader: Option<Box<ArgReader>>,
    /// None once the call has been failed and the rest of its frames are being dropped.
    /// (For a streamed response: taken once its head has been delivered.)
    pub(super) done: Option<oneshot::Sender<Result<CallResult, Error>>>,
    /// A streamed response: its frames go to the consumer as they arrive.
    pub(super) stream: Option<Box<OutStream>>,
    /// When a whole call that is still waiting fails with a timeout (the connection's
    /// [`CallTimer`] fails it then; a streamed call keeps its own deadline in `stream`).
    pub(super) deadline: Instant,
    /// The ttl sent, in ms (for the timeout's message).
    pub(super) ttl_ms: u32,
}

pub(super) struct OutStream {
    pub(super) tx: StreamTx,
    pub(super) check: StreamCheck,
    pub(super) deadline: Instant,
}

pub(super) struct InStream {
    pub(super) tx: StreamTx,
    pub(super) check: StreamCheck,
    pub(super) task: AbortHandle,
    /// The response's progress (a bad request frame fails it).
    pub(super) response: Arc<std::sync::atomic::AtomicU8>,
}

pub(super) struct ReqHead {
    pub(super) service: Bytes,
    pub(super) headers: TransportHeaders,
    pub(super) tracing: Tracing,
    pub(super) ttl: Duration,
    pub(super) deadline: Instant,
    /// The request's checksum type.
    pub(super) checksum: ChecksumType,
    /// Bytes of args received so far, while it is partly received.
    pub(super) held: usize,
}

pub(super) enum Inbound {
    /// A request arriving in several frames (boxed: rarer than the others, and large).
    Receiving(Box<(ReqHead, ArgReader)>),
    /// A handler running in its own task, and the bytes of args it was given.
    Running(AbortHandle, usize),
    /// A streamed request whose handler runs while its frames arrive.
    Streaming(Box<InStream>),
}
// A request that is refused or fails leaves no entry: the rest of its frames find none
// and are dropped, and its id is free at once.

#[derive(Default)]
pub(super) struct State {
    pub(super) next_id: u32,
    pub(super) outbound: IdMap<Outbound>,
    pub(super) inbound: IdMap<Inbound>,
    /// Bytes of args held by `Receiving` and `Running` entries (see `Limits::inbound_bytes`).
    pub(super) inbound_bytes: usize,
    /// The partly received requests (`Inbound::Receiving`) by deadline: they expire then.
    pub(super) partial: Expiries,
    pub(super) pings: IdMap<oneshot::Sender<()>>,
    /// The deadlines of the whole outbound calls.
    pub(super) timer: CallTimer,
    /// Calls begun, either way (wrapping; pings not counted): the idle sweep's activity.
    pub(super) begun: u64,
    pub(super) closing: bool,
    pub(super) closed: Option<Error>,
    pub(super) reader: Option<AbortHandle>,
    /// Run once when the connection closes (the channel forgets it then).
    pub(super) on_close: Option<Box<dyn FnOnce() + Send>>,
    pub(super) writer: Option<tokio::task::JoinHandle<()>>,
}

impl State {
    pub(super) fn alloc_id(&mut self) -> u32 {
        loop {
            self.next_id = self.next_id.wrapping_add(1);
            let id = self.next_id;
            if id == 0 || id == NO_ID {
                continue;
            }
            if self.outbound.contains_key(&id) || self.pings.contains_key(&id) {
                continue;
            }
            return id;
        }
    }

    pub(super) fn is_idle(&self) -> bool {
        self.outbound.is_empty() && self.inbound.is_empty()
    }

    /// Removes an inbound call's entry (and, for a partly received request, its expiry).
    pub(super) fn remove_inbound(&mut self, id: u32) -> Option<Inbound> {
        let entry = self.inbound.remove(&id);
        match &entry {
            Some(Inbound::Receiving(r)) => {
                self.partial.remove(r.0.deadline, id);
                self.inbound_bytes -= r.0.held;
            }
            Some(Inbound::Running(_, held)) => self.inbound_bytes -= held,
            _ => {}
        }
        entry
    }
}

/// The deadlines of a connection's whole outbound calls, and the one task that fails each
/// call still waiting at its deadline: one timer per connection rather than a tokio timer
/// per call (registering, re-registering and clearing one cost about 600 instructions per
/// call, a tenth of the client's).
///
/// A min-heap of `(deadline, id)`. A call that ends before its deadline leaves its entry
/// behind (no removal per call): the task skips an entry whose call is gone (or whose id
/// was reused: the deadline differs), and the heap is compacted when it holds more than
/// twice the calls in the table, so that it stays bounded by the table.
pub(super) struct CallTimer {
    heap: BinaryHeap<Reverse<(Instant, u32)>>,
    /// The deadline the task sleeps until, None when no task runs.
    armed: Option<Instant>,
    /// Wakes the task for a deadline earlier than `armed`.
    wake: Arc<Notify>,
    /// The connection's runtime (the task's), if it was made in one.
    runtime: Option<tokio::runtime::Handle>,
}

impl Default for CallTimer {
    fn default() -> Self {
        CallTimer {
            heap: BinaryHeap::new(),
            armed: None,
            wake: Arc::new(Notify::new()),
            // `State` is made by `Connection::start`, in the connection's runtime.
            runtime: tokio::runtime::Handle::try_current().ok(),
        }
    }
}

/// Entries the heap may hold beyond twice the calls in the table before it is compacted.
const TIMER_SLACK: usize = 64;

impl CallTimer {
    /// Adds a call's deadline. `live` tells whether the call of an entry is still waiting
    /// for it (for compaction). Returns the waker of a task to start, if none runs.
    pub(super) fn insert(
        &mut self,
        deadline: Instant,
        id: u32,
        calls: usize,
        live: impl Fn(Instant, u32) -> bool,
    ) -> Option<(Arc<Notify>, Option<tokio::runtime::Handle>)> {
        if self.heap.len() >= 2 * calls + TIMER_SLACK {
            self.heap.retain(|Reverse((d, id))| live(*d, *id));
        }
        self.heap.push(Reverse((deadline, id)));
        match self.armed {
            None => {
                self.armed = Some(deadline);
                Some((self.wake.clone(), self.runtime.clone()))
            }
            Some(at) if deadline < at => {
                self.armed = Some(deadline);
                self.wake.notify_one();
                None
            }
            Some(_) => None,
        }
    }

    /// Takes the next entry due at `now`, if any.
    pub(super) fn pop_due(&mut self, now: Instant) -> Option<(Instant, u32)> {
        match self.heap.peek() {
            Some(Reverse((d, _))) if *d <= now => self.heap.pop().map(|Reverse(e)| e),
            _ => None,
        }
    }

    /// The deadline the task sleeps until next: the earliest left. None (the task ends)
    /// when there is none.
    pub(super) fn rearm(&mut self) -> Option<Instant> {
        self.armed = self.heap.peek().map(|Reverse((d, _))| *d);
        self.armed
    }

    /// Forgets every deadline; the task ends when it next wakes.
    pub(super) fn clear(&mut self) {
        self.heap = BinaryHeap::new();
        self.armed = None;
    }

    /// Forgets every deadline and wakes the task, which ends (the connection is closed).
    pub(super) fn stop(&mut self) {
        self.clear();
        self.wake.notify_one();
    }
}

/// A table keyed by message id. foldhash instead of std's SipHash: several times cheaper
/// for a `u32` key, still seeded at random per table, so that a peer choosing its ids cannot
/// aim them at one bucket without knowing the seed (and the tables are bounded anyway:
/// `Limits::inbound_calls`).
pub(super) type IdMap<V> = HashMap<u32, V, foldhash::fast::RandomState>;

/// The partly received requests by deadline, with the earliest deadline mirrored in an
/// atomic, so that the reader knows when to wake without taking the state lock for each read.
pub(super) struct Expiries {
    set: std::collections::BTreeSet<(Instant, u32)>,
    earliest: Arc<NextExpiry>,
}

impl Default for Expiries {
    fn default() -> Self {
        Expiries {
            set: Default::default(),
            earliest: Arc::new(NextExpiry {
                base: Instant::now(),
                at: AtomicU64::new(NextExpiry::NONE),
            }),
        }
    }
}

impl Expiries {
    pub(super) fn insert(&mut self, deadline: Instant, id: u32) {
        self.set.insert((deadline, id));
        self.sync();
    }

    pub(super) fn remove(&mut self, deadline: Instant, id: u32) {
        if self.set.remove(&(deadline, id)) {
            self.sync();
        }
    }

    pub(super) fn clear(&mut self) {
        self.set.clear();
        self.sync();
    }

    pub(super) fn first(&self) -> Option<(Instant, u32)> {
        self.set.first().copied()
    }

    pub(super) fn len(&self) -> usize {
        self.set.len()
    }

    /// Where the earliest deadline can be read without the lock.
    pub(super) fn next(&self) -> Arc<NextExpiry> {
        self.earliest.clone()
    }

    fn sync(&self) {
        self.earliest.set(self.set.first().map(|&(d, _)| d));
    }
}

/// The earliest deadline of a partly received request, read without the state lock (in
/// nanoseconds since `base`; written under the lock, on every change of the set).
pub(super) struct NextExpiry {
    base: Instant,
    at: AtomicU64,
}

impl NextExpiry {
    const NONE: u64 = u64::MAX;

    fn set(&self, deadline: Option<Instant>) {
        let at = match deadline {
            // A deadline before `base` (none is: they are made after it) expires at once.
            Some(d) => {
                (d.saturating_duration_since(self.base).as_nanos()).min(u64::MAX as u128 - 1) as u64
            }
            None => Self::NONE,
        };
        self.at.store(at, Ordering::Release);
    }

    /// The earliest deadline, if a request is partly received. (A deadline removed by
    /// another task meanwhile may still be seen: the reader then wakes for nothing.)
    pub(super) fn get(&self) -> Option<Instant> {
        match self.at.load(Ordering::Acquire) {
            Self::NONE => None,
            at => Some(self.base + Duration::from_nanos(at)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_call_timer_gives_deadlines_in_order_and_stays_bounded() {
        let mut t = CallTimer::default();
        let base = Instant::now();
        let at = |ms| base + Duration::from_millis(ms);
        // The first deadline starts a task; a later one does not; an earlier one wakes it.
        assert!(t.insert(at(50), 1, 1, |_, _| true).is_some());
        assert!(t.insert(at(80), 2, 2, |_, _| true).is_none());
        assert!(t.insert(at(10), 3, 3, |_, _| true).is_none());
        assert_eq!(t.armed, Some(at(10)));
        assert_eq!(t.pop_due(at(60)), Some((at(10), 3)));
        assert_eq!(t.pop_due(at(60)), Some((at(50), 1)));
        assert_eq!(t.pop_due(at(60)), None);
        assert_eq!(t.rearm(), Some(at(80)));
        // Calls that ended leave their entries; the heap is compacted to the live ones.
        for id in 10..10_000 {
            t.insert(at(100 + id as u64), id, 1, |_, id| id == 2);
            assert!(t.heap.len() <= 2 + TIMER_SLACK + 1, "{}", t.heap.len());
        }
        t.stop();
        assert_eq!(t.rearm(), None);
    }
}
