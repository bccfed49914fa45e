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
    /// None once the call has been failed and the rest of its frames are being dropped.
    /// (For a streamed response: taken once its head has been delivered.)
    pub(super) done: Option<oneshot::Sender<Result<CallResult, Error>>>,
    /// A streamed response: its frames go to the consumer as they arrive.
    pub(super) stream: Option<Box<OutStream>>,
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
