//! The call tables: outbound calls by id (their responses arriving), inbound calls by id
//! (arriving, running, streaming), pings, the id allocator, and what a close takes.

use super::*;

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
    /// Who waits for the call's result (or a streamed call's head), or the result itself.
    pub(super) waiter: Waiter,
    /// A streamed response: its frames go to the consumer as they arrive.
    pub(super) stream: Option<Box<OutStream>>,
    /// When a whole call that is still waiting fails with a timeout (the connection's
    /// [`CallTimer`] fails it then; a streamed call keeps its own deadline in `stream`).
    pub(super) deadline: Instant,
    /// The ttl sent, in ms (for the timeout's message).
    pub(super) ttl_ms: u32,
}

/// Who waits for an outbound call's end, in its entry: a whole call's future by its waker
/// (no oneshot channel: that cost an allocation and about 600 instructions per call), which
/// takes the result from the entry, removing it; a streamed call's head by a oneshot.
/// Whoever ends the call (its response, an error frame, the call timer, the connection's
/// close) does so once, through [`complete`](Self::complete); a call future dropped before
/// that removes its entry (`CallGuard`).
pub(super) enum Waiter {
    /// A whole call waiting: its future's waker once it has polled.
    Whole(Option<std::task::Waker>),
    /// A whole call's result, for its future to take (late frames of it are dropped).
    Ready(Result<CallResult, Error>),
    /// A streamed call waiting for its response's head.
    Head(oneshot::Sender<Result<CallResult, Error>>),
    /// A streamed call whose head was given (or which failed).
    Done,
}

/// What wakes a waiter once the state lock is released.
pub(super) enum Wake {
    Waker(std::task::Waker),
    Head(
        oneshot::Sender<Result<CallResult, Error>>,
        Result<CallResult, Error>,
    ),
}

impl Wake {
    pub(super) fn run(self) {
        match self {
            Wake::Waker(w) => w.wake(),
            Wake::Head(tx, result) => drop(tx.send(result)),
        }
    }
}

impl Waiter {
    /// Whether the call still waits for its result (or head).
    #[inline]
    pub(super) fn is_waiting(&self) -> bool {
        matches!(self, Waiter::Whole(_) | Waiter::Head(_))
    }

    /// Ends the wait with `result`, if it still waits (else `result` is dropped): a whole
    /// call's result is kept for its future. Returns what to wake once the lock is released.
    #[inline]
    pub(super) fn complete(&mut self, result: Result<CallResult, Error>) -> Option<Wake> {
        match self {
            Waiter::Whole(w) => {
                let w = w.take();
                *self = Waiter::Ready(result);
                w.map(Wake::Waker)
            }
            Waiter::Head(_) => match std::mem::replace(self, Waiter::Done) {
                Waiter::Head(tx) => Some(Wake::Head(tx, result)),
                _ => unreachable!(),
            },
            Waiter::Ready(_) | Waiter::Done => None,
        }
    }
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
    pub(super) outbound: OutTable,
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
    /// A free id for an outbound call or a ping: the next in sequence (wrapping, 0 and
    /// `NO_ID` skipped) whose slot in the outbound table is vacant.
    pub(super) fn alloc_id(&mut self) -> u32 {
        self.outbound.reserve_one();
        loop {
            self.next_id = self.next_id.wrapping_add(1);
            let id = self.next_id;
            if id == 0 || id == NO_ID {
                continue;
            }
            // An id whose slot holds another call is skipped (a call that outlives many
            // others), as is one in use.
            if !self.outbound.is_vacant(id) || self.pings.contains_key(&id) {
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

/// When a connection's whole outbound calls fail with a timeout: one task per connection
/// that fails each call still waiting at its deadline, rather than a tokio timer per call
/// (registering, re-registering and clearing one cost about 600 instructions per call, a
/// tenth of the client's). The deadlines are the table's entries' own; the task sleeps until
/// the earliest it saw (`armed`), then walks the table once, fails the calls due and sleeps
/// until the earliest left. A new call costs a comparison with `armed` (and wakes the task
/// if its deadline is earlier); the walk, over a table at most twice the calls in flight,
/// comes about once per timeout, however many calls ended meanwhile.
pub(super) struct CallTimer {
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
            armed: None,
            wake: Arc::new(Notify::new()),
            // `State` is made by `Connection::start`, in the connection's runtime.
            runtime: tokio::runtime::Handle::try_current().ok(),
        }
    }
}

/// What starts a connection's call timer: its waker and runtime.
pub(super) type TimerStart = (Arc<Notify>, Option<tokio::runtime::Handle>);

impl CallTimer {
    /// A whole call with `deadline` is in the table. Returns what starts the task, if none
    /// runs.
    #[inline]
    pub(super) fn insert(&mut self, deadline: Instant) -> Option<TimerStart> {
        match self.armed {
            Some(at) if deadline >= at => None,
            Some(_) => {
                self.armed = Some(deadline);
                self.wake.notify_one();
                None
            }
            None => {
                self.armed = Some(deadline);
                Some((self.wake.clone(), self.runtime.clone()))
            }
        }
    }

    /// The deadline the task sleeps until next (the earliest of the calls left), None when
    /// it ends (no call has one).
    pub(super) fn rearm(&mut self, next: Option<Instant>) -> Option<Instant> {
        self.armed = next;
        next
    }

    /// Wakes the task, which ends (the connection is closed).
    pub(super) fn stop(&mut self) {
        self.armed = None;
        self.wake.notify_one();
    }
}

/// The outbound calls by id: the connection chooses their ids (`State::alloc_id`), so it
/// chooses ids whose slot is vacant, and the table is a vector indexed by the id's low bits
/// (no hashing, no probing: a lookup is an index and a comparison of the id). At most half
/// full, doubled when a call would fill it past that (an entry moves to the slot of its id's
/// low bits, one more of them: two never meet), and let go when it empties after it grew
/// past `OUT_TABLE_KEEP` slots; so bounded by the calls in flight, as a map would be.
#[derive(Default)]
pub(super) struct OutTable {
    slots: Vec<Option<(u32, Outbound)>>,
    len: usize,
}

/// Slots an empty outbound table keeps (more are let go).
const OUT_TABLE_KEEP: usize = 1024;

impl OutTable {
    #[inline]
    fn slot(&self, id: u32) -> usize {
        id as usize & (self.slots.len().wrapping_sub(1))
    }

    /// Whether `id` can be inserted now (its slot is vacant).
    #[inline]
    pub(super) fn is_vacant(&self, id: u32) -> bool {
        self.slots.is_empty() || self.slots[self.slot(id)].is_none()
    }

    /// Room for one more call, the table then at most half full.
    #[inline]
    pub(super) fn reserve_one(&mut self) {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
    }

    /// Doubles the table (16 slots at first).
    fn grow(&mut self) {
        let cap = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, Vec::with_capacity(cap));
        self.slots.resize_with(cap, || None);
        for (id, call) in old.into_iter().flatten() {
            let i = self.slot(id);
            debug_assert!(self.slots[i].is_none());
            self.slots[i] = Some((id, call));
        }
    }

    /// Inserts a call under an id that [`is_vacant`](Self::is_vacant) (the id allocator's).
    #[inline]
    pub(super) fn insert(&mut self, id: u32, call: Outbound) {
        self.reserve_one();
        let i = self.slot(id);
        debug_assert!(
            self.slots[i].is_none(),
            "id {id} allocated in an occupied slot"
        );
        if self.slots[i].replace((id, call)).is_none() {
            self.len += 1;
        }
    }

    #[cfg(test)]
    pub(super) fn get(&self, id: &u32) -> Option<&Outbound> {
        match self.slots.get(self.slot(*id))? {
            Some((k, call)) if k == id => Some(call),
            _ => None,
        }
    }

    #[inline]
    pub(super) fn get_mut(&mut self, id: &u32) -> Option<&mut Outbound> {
        let i = self.slot(*id);
        match self.slots.get_mut(i)? {
            Some((k, call)) if k == id => Some(call),
            _ => None,
        }
    }

    #[inline]
    pub(super) fn remove(&mut self, id: &u32) -> Option<Outbound> {
        let i = self.slot(*id);
        let slot = self.slots.get_mut(i)?;
        if !matches!(slot, Some((k, _)) if k == id) {
            return None;
        }
        let (_, call) = slot.take()?;
        self.len -= 1;
        if self.len == 0 && self.slots.len() > OUT_TABLE_KEEP {
            self.slots = Vec::new();
        }
        Some(call)
    }

    /// Removes a call, giving `take` the entry in place first: what it takes is all that is
    /// moved (the entry, a few hundred bytes, is dropped where it is).
    #[inline]
    pub(super) fn remove_with<R>(
        &mut self,
        id: &u32,
        take: impl FnOnce(&mut Outbound) -> R,
    ) -> Option<R> {
        let i = self.slot(*id);
        let slot = self.slots.get_mut(i)?;
        let r = match slot {
            Some((k, call)) if k == id => take(call),
            _ => return None,
        };
        *slot = None;
        self.len -= 1;
        if self.len == 0 && self.slots.len() > OUT_TABLE_KEEP {
            self.slots = Vec::new();
        }
        Some(r)
    }

    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Every call, by id.
    pub(super) fn iter(&self) -> impl Iterator<Item = (u32, &Outbound)> {
        self.slots.iter().flatten().map(|(id, call)| (*id, call))
    }

    /// Every call, by id, to change.
    pub(super) fn iter_mut(&mut self) -> impl Iterator<Item = (u32, &mut Outbound)> {
        self.slots
            .iter_mut()
            .flatten()
            .map(|(id, call)| (*id, call))
    }

    pub(super) fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl IntoIterator for OutTable {
    type Item = (u32, Outbound);
    type IntoIter = std::iter::Flatten<std::vec::IntoIter<Option<(u32, Outbound)>>>;
    fn into_iter(self) -> Self::IntoIter {
        self.slots.into_iter().flatten()
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
    async fn the_call_timer_starts_once_and_wakes_only_for_an_earlier_deadline() {
        let mut t = CallTimer::default();
        let base = Instant::now();
        let at = |ms| base + Duration::from_millis(ms);
        // The first deadline starts the task; a later one does nothing; an earlier one
        // wakes it (a permit is left for its next wait).
        assert!(t.insert(at(50)).is_some());
        assert!(t.insert(at(80)).is_none());
        assert_eq!(t.armed, Some(at(50)));
        assert!(t.insert(at(10)).is_none());
        assert_eq!(t.armed, Some(at(10)));
        let woken = t.wake.clone();
        tokio::time::timeout(Duration::from_secs(1), woken.notified())
            .await
            .expect("woken");
        // With nothing left the task ends; the next deadline starts another.
        assert_eq!(t.rearm(None), None);
        assert!(t.insert(at(90)).is_some());
        t.stop();
        assert_eq!(t.armed, None);
    }

    fn call() -> Outbound {
        Outbound {
            head: None,
            reader: None,
            waiter: Waiter::Whole(None),
            stream: None,
            deadline: Instant::now(),
            ttl_ms: 1,
        }
    }

    #[tokio::test]
    async fn the_outbound_table_skips_ids_whose_slot_is_taken_and_grows_at_half() {
        let mut st = State::default();
        let first = st.alloc_id();
        st.outbound.insert(first, call());
        // Calls that end leave the ids after `first`; the id of `first`'s slot in the next
        // round is skipped while it waits.
        let mut ids = Vec::new();
        for _ in 0..100 {
            let id = st.alloc_id();
            assert_ne!(id & 15, first & 15);
            st.outbound.insert(id, call());
            assert!(st.outbound.get(&id).is_some());
            assert!(st.outbound.remove(&id).is_some());
            assert!(st.outbound.get(&id).is_none() && st.outbound.remove(&id).is_none());
            ids.push(id);
        }
        assert_eq!(st.outbound.slots.len(), 16);
        // Many at once: at most half full, every one found again under its own id.
        for _ in 0..1000 {
            let id = st.alloc_id();
            st.outbound.insert(id, call());
            ids.push(id);
        }
        assert_eq!(st.outbound.len(), 1001);
        assert!(st.outbound.slots.len() >= 2002);
        assert!(st.outbound.get(&first).is_some());
        for id in &ids[100..] {
            assert!(st.outbound.get(id).is_some(), "{id}");
        }
        // A lookup of an id never given, in a taken slot, finds nothing.
        assert!(st
            .outbound
            .get(&(first + st.outbound.slots.len() as u32))
            .is_none());
        for id in &ids[100..] {
            assert!(st.outbound.remove(id).is_some());
        }
        assert!(st.outbound.remove(&first).is_some());
        assert!(st.outbound.is_empty());
        // Let go once empty after growing large.
        assert!(st.outbound.slots.is_empty());
        assert_eq!(st.outbound.into_iter().count(), 0);
    }
}
