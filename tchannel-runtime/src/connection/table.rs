//! The call tables: outbound calls by id (their responses arriving), inbound calls by id
//! (arriving, running, streaming), pings, the id allocator, and what a close takes.

use super::*;

pub(super) struct ResHead {
    pub(super) code: u8,
    pub(super) headers: TransportHeaders,
}

pub(super) struct Outbound {
    pub(super) head: Option<ResHead>,
    pub(super) reader: ArgReader,
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
    pub(super) outbound: HashMap<u32, Outbound>,
    pub(super) inbound: HashMap<u32, Inbound>,
    /// Bytes of args held by `Receiving` and `Running` entries (see `Limits::inbound_bytes`).
    pub(super) inbound_bytes: usize,
    /// The partly received requests (`Inbound::Receiving`) by deadline: they expire then.
    pub(super) partial: std::collections::BTreeSet<(Instant, u32)>,
    pub(super) pings: HashMap<u32, oneshot::Sender<()>>,
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
                self.partial.remove(&(r.0.deadline, id));
                self.inbound_bytes -= r.0.held;
            }
            Some(Inbound::Running(_, held)) => self.inbound_bytes -= held,
            _ => {}
        }
        entry
    }

    /// The earliest deadline of a partly received request.
    pub(super) fn next_expiry(&self) -> Option<Instant> {
        self.partial.first().map(|&(d, _)| d)
    }
}
