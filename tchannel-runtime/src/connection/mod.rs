//! One TChannel connection: the init handshake, then one reader task and one writer task.
//!
//! The reader cuts the socket into frames and routes each one: call frames of requests into
//! the inbound table (a handler task is spawned once a request's args are complete),
//! response frames into the outbound table (the waiting caller is woken once its response is
//! complete), pings answered in place. The writer drains a queue of frames into one buffer
//! and writes it with one syscall, so frames from many calls are batched. Calls never touch
//! the socket themselves.
//!
//! Every call ends exactly once: with its response, with an error frame, with a local
//! timeout, or with the error that closed the connection.
//!
//! Everything a peer can make grow is bounded ([`Limits`]): inbound calls in flight and partly
//! received requests (past either, a new call is answered Busy; a partly received request
//! expires at its ttl), and the writer queue, in bytes: while the answers queued for the peer
//! are over the limit, the reader stops reading (TCP then pushes the peer back). A request that
//! is refused leaves no state. However the reader or writer task ends, the connection closes.

mod handshake;
mod stream;

pub(crate) use handshake::LocalInfo;
pub use handshake::PROTOCOL_VERSION;
pub(crate) use stream::{OutboundGuard, StreamSink, StreamSource};

use crate::checksum::ChecksumType;
use crate::error::{Error, ErrorCode};
use crate::fragment::{ArgReader, FirstFrame, FragmentError, Fragmenter, StreamCheck};
use crate::frame::Decoded;
use crate::frame::{
    CallReq, CallRes, Cancel, Chunks, ErrorFrame, Frame, FrameBody, FrameCodec, Tracing,
    TransportHeaders, FLAG_MORE_FRAGMENTS, NO_ID,
};
use bytes::{Bytes, BytesMut};
use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use stream::{Delivery, StreamItem, StreamTx};
use tokio::io::AsyncWriteExt;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot, Notify, OwnedSemaphorePermit, Semaphore};
use tokio::task::AbortHandle;
use tokio::time::Instant;

pub(crate) type ReadBuf = BytesMut;
pub(crate) type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// Stop adding frames to one write once this much is buffered.
const MAX_WRITE_BATCH: usize = 256 * 1024;
/// The most write buffer an idle connection keeps: enough for the frames of small calls, so
/// that calls one at a time do not regrow it for each. A buffer that grew larger is released
/// once the connection has had no call in flight for [`IDLE_WRITE_RELEASE`].
const IDLE_WRITE_BUFFER: usize = 4 * 1024;
/// How long an idle connection keeps a write buffer larger than [`IDLE_WRITE_BUFFER`] before
/// giving it back (batches of calls that follow each other closer than this reuse it).
const IDLE_WRITE_RELEASE: Duration = Duration::from_secs(1);

/// What the reader reserves when its buffer is low: the buffer is only allocated once the
/// socket is readable, and released while the connection is idle.
const READ_CHUNK: usize = 64 * 1024;

/// What a peer said about itself in the handshake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerInfo {
    /// The peer's `host_port` init header: where it listens, or `0.0.0.0:0`.
    pub host_port: String,
    /// The peer's `process_name` init header.
    pub process_name: String,
    /// The socket address of the connection's other end.
    pub addr: SocketAddr,
}

impl PeerInfo {
    pub(crate) fn new(host_port: &str, process_name: &str, addr: SocketAddr) -> Self {
        PeerInfo {
            host_port: host_port.to_owned(),
            process_name: process_name.to_owned(),
            addr,
        }
    }

    /// A peer that does not listen (it sent `0.0.0.0:0`, or a port of 0). Calls are never
    /// routed to it except on the connection it opened.
    pub fn is_ephemeral(&self) -> bool {
        is_ephemeral(&self.host_port)
    }

    /// The `peer-host-port` metrics tag of an incoming connection: where the peer listens,
    /// its socket address if it does not (the key the channel keeps the connection under).
    pub(crate) fn stats_tag(&self) -> String {
        if self.is_ephemeral() {
            self.addr.to_string()
        } else {
            self.host_port.clone()
        }
    }
}

pub(crate) fn is_ephemeral(host_port: &str) -> bool {
    host_port.is_empty() || host_port.ends_with(":0")
}

/// Connection settings taken from the channel.
#[derive(Debug, Clone)]
pub(crate) struct ConnConfig {
    pub init_timeout: Duration,
    pub max_message: usize,
    pub limits: Limits,
    /// The channel's reporter: with one, the connection reports its bytes, error and close.
    pub stats: Option<Arc<crate::reporter::ChannelStats>>,
    /// The `peer-host-port` tag of an outgoing connection: the `host:port` it was made for.
    /// (Otherwise: where the peer says it listens, its socket address if it does not.)
    pub peer_tag: Option<String>,
}

/// Per-connection bounds (see `ChannelBuilder::max_inbound_calls` and the others).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Inbound calls in the table (running, streaming or still arriving); past it, Busy.
    pub inbound_calls: usize,
    /// Inbound requests still arriving; past it, Busy.
    pub partial_requests: usize,
    /// Bytes of args held by inbound calls (still arriving, or waiting for their handler's
    /// task); past it, Busy.
    pub inbound_bytes: usize,
    /// Bytes of answers queued for the writer past which the reader stops reading, and of
    /// all frames past which local calls wait for room.
    pub write_queue: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            inbound_calls: 4096,
            partial_requests: 128,
            inbound_bytes: 64 * 1024 * 1024,
            write_queue: 4 * 1024 * 1024,
        }
    }
}

/// A request whose args are complete, handed to the channel.
#[derive(Debug)]
pub(crate) struct InboundCall {
    pub service: Bytes,
    pub headers: TransportHeaders,
    pub tracing: Tracing,
    pub ttl: Duration,
    pub deadline: Instant,
    pub args: [Bytes; 3],
    pub peer: Arc<PeerInfo>,
    pub checksum: ChecksumType,
}

/// What a handler answers; the connection frames it.
#[derive(Debug)]
pub(crate) struct OutgoingResponse {
    pub code: u8,
    pub headers: TransportHeaders,
    pub arg2: Bytes,
    pub arg3: Bytes,
}

/// Where inbound calls go.
pub(crate) trait Dispatch: Send + Sync + 'static {
    fn dispatch(&self, call: InboundCall) -> BoxFuture<Result<OutgoingResponse, Error>>;

    /// Whether any endpoint streams (checked once per request, so it must be cheap).
    fn has_streaming(&self) -> bool {
        false
    }

    /// The streaming handler of `endpoint` of `service`, if it has one.
    fn stream_handler(&self, _service: &[u8], _endpoint: &[u8]) -> Option<StreamHandler> {
        None
    }
}

/// A streamed request as it starts: its head, its args as they arrive, and the response
/// to write.
pub(crate) struct InboundStream {
    pub service: Bytes,
    pub endpoint: Bytes,
    pub headers: TransportHeaders,
    pub tracing: Tracing,
    pub ttl: Duration,
    pub deadline: Instant,
    pub peer: Arc<PeerInfo>,
    pub checksum: ChecksumType,
    pub args: StreamSource,
    pub response: StreamSink,
}

/// Runs a streaming handler. It must finish (or fail) the response before its future ends;
/// if it does not, the connection answers with an error frame.
pub(crate) type StreamHandler =
    Arc<dyn Fn(InboundStream) -> BoxFuture<Result<(), Error>> + Send + Sync>;

/// A streamed request to send.
#[derive(Debug)]
pub(crate) struct OutgoingStream {
    pub service: Bytes,
    pub endpoint: Bytes,
    pub headers: TransportHeaders,
    pub tracing: Tracing,
    pub checksum: ChecksumType,
    pub deadline: Instant,
}

/// A streamed call once started: the request to write, the response's head to wait for and
/// its args to read.
pub(crate) struct StartedStream {
    pub request: StreamSink,
    pub head: ResultRx,
    pub args: StreamSource,
    pub guard: Arc<OutboundGuard>,
}

/// A request to send.
#[derive(Debug)]
pub(crate) struct OutgoingCall {
    pub service: Bytes,
    pub headers: TransportHeaders,
    pub tracing: Tracing,
    pub args: [Bytes; 3],
    pub checksum: ChecksumType,
    pub deadline: Instant,
}

/// Where an outbound call's result arrives.
type ResultRx = oneshot::Receiver<Result<CallResult, Error>>;

/// A complete response.
#[derive(Debug)]
pub(crate) struct CallResult {
    pub code: u8,
    pub headers: TransportHeaders,
    pub args: [Bytes; 3],
}

struct RunningGuard<'a>(&'a AtomicUsize);

impl Drop for RunningGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A handler future whose panics become unexpected errors: the call is still answered, and a
/// panic in the first poll (on the reader task) cannot take the connection down.
struct CatchUnwind<T>(BoxFuture<Result<T, Error>>);

impl<T> Future for CatchUnwind<T> {
    type Output = Result<T, Error>;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        let fut = &mut self.0;
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| fut.as_mut().poll(cx))) {
            Ok(p) => p,
            Err(panic) => std::task::Poll::Ready(Err(panic_error(panic))),
        }
    }
}

impl<T: Send + 'static> CatchUnwind<T> {
    /// Makes a handler's future by calling `make`, which runs user code synchronously (a
    /// handler closure, a generated dispatcher): a panic there becomes the call's
    /// unexpected error too, instead of unwinding through the reader task.
    fn start(make: impl FnOnce() -> BoxFuture<Result<T, Error>>) -> Self {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(make)) {
            Ok(fut) => CatchUnwind(fut),
            Err(panic) => {
                let e = panic_error(panic);
                CatchUnwind(Box::pin(async move { Err(e) }))
            }
        }
    }
}

fn panic_error(panic: Box<dyn std::any::Any + Send>) -> Error {
    let msg = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into());
    Error::from_code(ErrorCode::Unexpected, format!("handler panicked: {msg}"))
}

// Frames travel to the writer by value: boxing them would cost an allocation per frame.
#[allow(clippy::large_enum_variant)]
enum Out {
    /// A frame and what it counts for in the queue (see [`Shared::count_queued`]).
    Frame(Frame, Cost),
    /// A frame of a streamed message, with its share of the stream budget (released once
    /// written).
    Budgeted(Frame, Cost, OwnedSemaphorePermit),
    Close,
}

/// What a queued frame counts for: its bytes (`queue_cost`), and whether they are an answer's.
#[derive(Clone, Copy)]
struct Cost {
    bytes: u32,
    answer: bool,
}

struct ResHead {
    code: u8,
    headers: TransportHeaders,
}

struct Outbound {
    head: Option<ResHead>,
    reader: ArgReader,
    /// None once the call has been failed and the rest of its frames are being dropped.
    /// (For a streamed response: taken once its head has been delivered.)
    done: Option<oneshot::Sender<Result<CallResult, Error>>>,
    /// A streamed response: its frames go to the consumer as they arrive.
    stream: Option<Box<OutStream>>,
}

struct OutStream {
    tx: StreamTx,
    check: StreamCheck,
    deadline: Instant,
}

struct InStream {
    tx: StreamTx,
    check: StreamCheck,
    task: AbortHandle,
    /// The response's progress (a bad request frame fails it).
    response: Arc<std::sync::atomic::AtomicU8>,
}

struct ReqHead {
    service: Bytes,
    headers: TransportHeaders,
    tracing: Tracing,
    ttl: Duration,
    deadline: Instant,
    /// The request's checksum type.
    checksum: ChecksumType,
    /// Bytes of args received so far, while it is partly received.
    held: usize,
}

enum Inbound {
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
struct State {
    next_id: u32,
    outbound: HashMap<u32, Outbound>,
    inbound: HashMap<u32, Inbound>,
    /// Bytes of args held by `Receiving` and `Running` entries (see `Limits::inbound_bytes`).
    inbound_bytes: usize,
    /// The partly received requests (`Inbound::Receiving`) by deadline: they expire then.
    partial: std::collections::BTreeSet<(Instant, u32)>,
    pings: HashMap<u32, oneshot::Sender<()>>,
    closing: bool,
    closed: Option<Error>,
    reader: Option<AbortHandle>,
    /// Run once when the connection closes (the channel forgets it then).
    on_close: Option<Box<dyn FnOnce() + Send>>,
    writer: Option<tokio::task::JoinHandle<()>>,
}

impl State {
    fn alloc_id(&mut self) -> u32 {
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

    fn is_idle(&self) -> bool {
        self.outbound.is_empty() && self.inbound.is_empty()
    }

    /// Removes an inbound call's entry (and, for a partly received request, its expiry).
    fn remove_inbound(&mut self, id: u32) -> Option<Inbound> {
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
    fn next_expiry(&self) -> Option<Instant> {
        self.partial.first().map(|&(d, _)| d)
    }
}

struct Shared {
    peer: Arc<PeerInfo>,
    out: mpsc::UnboundedSender<Out>,
    state: Mutex<State>,
    dispatch: Arc<dyn Dispatch>,
    max_message: usize,
    limits: Limits,
    /// Bytes of frames queued for the writer and not yet written (see [`queue_cost`]).
    queued: AtomicUsize,
    /// The part of `queued` that answers the peer: responses, error frames, ping responses.
    /// Past the limit, the reader stops reading the peer's frames.
    answers: AtomicUsize,
    /// Woken when the writer has written a batch (who waits for room in the queue).
    room: Notify,
    /// Woken when a call table shrinks (graceful close waits on it).
    drained: Notify,
    closed: AtomicBool,
    /// Outbound calls waiting for a response (for peer selection).
    pending: AtomicUsize,
    /// Inbound handlers running in their own task.
    running: AtomicUsize,
    /// Bytes of streamed frames allowed in the writer queue (see `stream`).
    budget: Arc<Semaphore>,
    /// `connections.bytes-sent`, `bytes-recvd`, `errors` and `closed`, if the channel has a
    /// reporter.
    /// The handshake's init frames are not counted, on either side.
    stats: Option<crate::reporter::ConnStats>,
}

/// A handle to one connection. Cloning it is cheap; the connection lives as long as its
/// socket does.
#[derive(Clone)]
pub(crate) struct Connection {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("peer", &self.shared.peer)
            .field("closed", &self.is_closed())
            .finish()
    }
}

impl Connection {
    /// Connects to `addr` and completes the handshake.
    pub(crate) async fn connect(
        addr: SocketAddr,
        local: &LocalInfo,
        cfg: &ConnConfig,
        dispatch: Arc<dyn Dispatch>,
    ) -> Result<Connection, Error> {
        // One `init_timeout` covers the TCP connect and the handshake together.
        let limit = Instant::now() + cfg.init_timeout;
        let stream = match tokio::time::timeout_at(limit, TcpStream::connect(addr)).await {
            Ok(s) => s.map_err(|e| {
                Error::network(format!("cannot connect to {addr}: {e}")).with_source(e)
            })?,
            Err(_) => {
                return Err(Error::network(format!(
                    "cannot connect to {addr}: timed out after {}ms",
                    cfg.init_timeout.as_millis()
                )))
            }
        };
        let _ = stream.set_nodelay(true);
        let (mut rd, mut wr) = stream.into_split();
        let handshake = handshake::initiate(&mut rd, &mut wr, local, addr, cfg.init_timeout);
        let (peer, buf) = match tokio::time::timeout_at(limit, handshake).await {
            Ok(r) => r?,
            Err(_) => {
                return Err(Error::timeout(format!(
                    "init handshake with {addr} did not finish within the {}ms init timeout",
                    cfg.init_timeout.as_millis()
                )))
            }
        };
        Ok(Self::start(rd, wr, buf, peer, 1, cfg, dispatch))
    }

    /// Completes the handshake on an accepted socket.
    pub(crate) async fn accept(
        stream: TcpStream,
        local: &LocalInfo,
        cfg: &ConnConfig,
        dispatch: Arc<dyn Dispatch>,
    ) -> Result<Connection, Error> {
        let addr = stream.peer_addr()?;
        let _ = stream.set_nodelay(true);
        let (mut rd, mut wr) = stream.into_split();
        let (peer, buf) =
            handshake::respond(&mut rd, &mut wr, local, addr, cfg.init_timeout).await?;
        Ok(Self::start(rd, wr, buf, peer, 0, cfg, dispatch))
    }

    fn start(
        rd: OwnedReadHalf,
        wr: OwnedWriteHalf,
        buf: ReadBuf,
        peer: PeerInfo,
        first_id: u32,
        cfg: &ConnConfig,
        dispatch: Arc<dyn Dispatch>,
    ) -> Connection {
        // Unbounded as a channel, bounded in bytes by `queued` (senders that cannot wait,
        // such as a cancel in a destructor, must never fail or block).
        let (tx, rx) = mpsc::unbounded_channel();
        let stats = cfg.stats.as_deref().map(|s| {
            let tag = cfg.peer_tag.clone().unwrap_or_else(|| peer.stats_tag());
            let s = crate::reporter::ConnStats::new(s, tag);
            // Read with the init frame, but not part of it.
            if !buf.is_empty() {
                s.bytes_recvd(buf.len());
            }
            s
        });
        let shared = Arc::new(Shared {
            peer: Arc::new(peer),
            out: tx,
            state: Mutex::new(State {
                next_id: first_id,
                ..State::default()
            }),
            dispatch,
            max_message: cfg.max_message,
            limits: cfg.limits,
            queued: AtomicUsize::new(0),
            answers: AtomicUsize::new(0),
            room: Notify::new(),
            drained: Notify::new(),
            closed: AtomicBool::new(false),
            pending: AtomicUsize::new(0),
            running: AtomicUsize::new(0),
            budget: Arc::new(Semaphore::new(stream::STREAM_BUDGET)),
            stats,
        });
        let writer = tokio::spawn(write_loop(shared.clone(), rx, wr));
        let reader = tokio::spawn(read_loop(shared.clone(), rd, buf));
        let mut st = shared.lock();
        st.reader = Some(reader.abort_handle());
        if st.closed.is_some() {
            drop(st);
            abort_writer_later(writer);
        } else {
            st.writer = Some(writer);
            drop(st);
        }
        Connection { shared }
    }

    /// The peer at the other end.
    pub(crate) fn peer(&self) -> &Arc<PeerInfo> {
        &self.shared.peer
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.shared.closed.load(Ordering::Acquire)
    }

    /// Outbound calls in flight on this connection.
    pub(crate) fn pending(&self) -> usize {
        self.shared.pending.load(Ordering::Relaxed)
    }

    /// Puts a new outbound call in the table: its id, its ttl in ms, and where its response
    /// (or, for a stream, its head) will arrive.
    #[inline]
    fn open_outbound(
        &self,
        deadline: Instant,
        stream: Option<Box<OutStream>>,
    ) -> Result<(u32, u32, ResultRx), Error> {
        let sh = &self.shared;
        let now = Instant::now();
        if deadline <= now + Duration::from_millis(1) {
            return Err(Error::timeout("less than 1ms left before the deadline"));
        }
        let ttl_ms = (deadline - now).as_millis().min(u32::MAX as u128) as u32;
        let (tx, rx) = oneshot::channel();
        let id = {
            let mut st = sh.lock();
            if let Some(e) = &st.closed {
                return Err(e.clone());
            }
            let id = st.alloc_id();
            st.outbound.insert(
                id,
                Outbound {
                    head: None,
                    reader: ArgReader::new(sh.max_message),
                    done: Some(tx),
                    stream,
                },
            );
            id
        };
        sh.pending.fetch_add(1, Ordering::Relaxed);
        Ok((id, ttl_ms, rx))
    }

    /// Sends a request and waits for its response until `call.deadline`.
    pub(crate) async fn call(&self, call: OutgoingCall) -> Result<CallResult, Error> {
        let sh = &self.shared;
        sh.wait_for_room(call.deadline).await?;
        let (id, ttl_ms, rx) = self.open_outbound(call.deadline, None)?;
        let mut guard = CallGuard {
            shared: sh,
            id,
            tracing: call.tracing,
            armed: true,
        };
        let first = request_head(ttl_ms, call.tracing, call.service, call.headers);
        let arg1_len = call.args[0].len();
        match Fragmenter::new(id, first, call.checksum, arg1_len) {
            Ok(f) => f.write_all(call.args, &mut |f| sh.send(f)),
            Err(e) => {
                // Nothing was sent: forget the id without a cancel.
                guard.armed = false;
                sh.finish_outbound(id);
                return Err(e.into());
            }
        }
        let result = match tokio::time::timeout_at(call.deadline, rx).await {
            Ok(Ok(r)) => r,
            Ok(Err(_)) => Err(sh.close_reason()),
            Err(_) => Err(Error::timeout(format!(
                "no response within the {ttl_ms}ms ttl"
            ))),
        };
        // Whatever happened, the call is over: forget its id (late frames are then dropped)
        // without sending a cancel.
        guard.armed = false;
        sh.finish_outbound(id);
        result
    }

    /// Starts a streamed call: nothing is sent until the request is written or flushed.
    pub(crate) fn start_stream(&self, call: OutgoingStream) -> Result<StartedStream, Error> {
        let sh = &self.shared;
        let (stream_tx, mut args) = stream::stream_queue(Some(call.deadline));
        let (id, ttl_ms, rx) = self.open_outbound(
            call.deadline,
            Some(Box::new(OutStream {
                tx: stream_tx,
                check: StreamCheck::default(),
                deadline: call.deadline,
            })),
        )?;
        let guard = Arc::new(OutboundGuard {
            shared: sh.clone(),
            id,
            tracing: call.tracing,
        });
        let first = request_head(ttl_ms, call.tracing, call.service, call.headers);
        let mut request = StreamSink::new(
            sh.clone(),
            id,
            first,
            call.endpoint,
            call.checksum,
            call.deadline,
        );
        request.set_guard(guard.clone());
        args.set_guard(guard.clone());
        Ok(StartedStream {
            request,
            head: rx,
            args,
            guard,
        })
    }

    /// Sends a ping and waits for the answer.
    pub(crate) async fn ping(&self, timeout: Duration) -> Result<Duration, Error> {
        let sh = &self.shared;
        let (tx, rx) = oneshot::channel();
        let id = {
            let mut st = sh.lock();
            if let Some(e) = &st.closed {
                return Err(e.clone());
            }
            let id = st.alloc_id();
            st.pings.insert(id, tx);
            id
        };
        let start = Instant::now();
        sh.send(Frame {
            id,
            body: FrameBody::PingReq,
        });
        let r = tokio::time::timeout(timeout, rx).await;
        sh.lock().pings.remove(&id);
        match r {
            Ok(Ok(())) => Ok(start.elapsed()),
            Ok(Err(_)) => Err(sh.close_reason()),
            Err(_) => Err(Error::timeout(format!(
                "no ping response within {}ms",
                timeout.as_millis()
            ))),
        }
    }

    /// Identifies this connection among the others (stable while any handle lives).
    pub(crate) fn id(&self) -> usize {
        Arc::as_ptr(&self.shared) as usize
    }

    /// Runs `f` once when the connection closes, however it closes (at once if it already
    /// has). `f` runs on the task that closes it and must not block.
    pub(crate) fn on_close(&self, f: Box<dyn FnOnce() + Send>) {
        let mut st = self.shared.lock();
        if st.closed.is_none() {
            st.on_close = Some(f);
            return;
        }
        drop(st);
        f();
    }

    /// Stops taking new inbound calls: from now on they are declined. Calls in flight, and
    /// new outbound calls, go on. The first half of a graceful close; [`drain`](Self::drain)
    /// is the second.
    pub(crate) fn start_closing(&self) {
        self.shared.lock().closing = true;
    }

    /// Closes the connection now: every call in flight fails with `reason`.
    pub(crate) fn close_now(&self, reason: Error) {
        self.shared.close(reason, None);
    }

    /// Stops taking new inbound calls (they are declined), waits until the calls in flight
    /// in both directions have finished or `deadline` passes, then closes.
    pub(crate) async fn drain(&self, deadline: Instant) {
        let sh = &self.shared;
        self.start_closing();
        loop {
            let notified = sh.drained.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if sh.lock().is_idle() || sh.closed.load(Ordering::Acquire) {
                break;
            }
            tokio::select! {
                _ = notified => {}
                _ = tokio::time::sleep_until(deadline) => break,
            }
        }
        sh.close(
            Error::new(
                crate::error::Kind::Closed,
                "the connection was closed by this side",
            ),
            None,
        );
    }
}

/// The first frame's fields of a request, whole or streamed (the fragmenter adds the rest).
fn request_head(
    ttl_ms: u32,
    tracing: Tracing,
    service: Bytes,
    headers: TransportHeaders,
) -> FirstFrame {
    FirstFrame::Req(CallReq {
        ttl: ttl_ms,
        tracing,
        service,
        headers,
        ..Default::default()
    })
}

/// Removes an outbound call whose future was dropped before it finished, and tells the
/// peer with a cancel frame.
struct CallGuard<'a> {
    shared: &'a Arc<Shared>,
    id: u32,
    tracing: Tracing,
    armed: bool,
}

impl Drop for CallGuard<'_> {
    fn drop(&mut self) {
        if self.armed {
            self.shared.cancel_outbound(self.id, self.tracing);
        }
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the tables half-updated in a way that
        // matters more than losing the connection, so recover the guard.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn send(&self, frame: Frame) {
        let cost = self.count_queued(&frame);
        let _ = self.out.send(Out::Frame(frame, cost));
    }

    /// Counts a frame into the writer queue's bytes; the writer counts the same cost out once
    /// the frame is written.
    fn count_queued(&self, frame: &Frame) -> Cost {
        let cost = Cost {
            bytes: queue_cost(frame) as u32,
            answer: is_answer(frame),
        };
        self.queued
            .fetch_add(cost.bytes as usize, Ordering::Relaxed);
        if cost.answer {
            self.answers
                .fetch_add(cost.bytes as usize, Ordering::Relaxed);
        }
        cost
    }

    fn answers_over_limit(&self) -> bool {
        self.answers.load(Ordering::Relaxed) > self.limits.write_queue
    }

    /// Waits until the writer queue is within its limit (or the connection closes), until
    /// `deadline`.
    async fn wait_for_room(&self, deadline: Instant) -> Result<(), Error> {
        let has_room = || {
            self.queued.load(Ordering::Relaxed) <= self.limits.write_queue
                || self.closed.load(Ordering::Acquire)
        };
        // The common case: room without registering for a wake-up (which costs more than
        // the call's own queueing).
        if has_room() {
            return Ok(());
        }
        loop {
            // Register first, then look again: room made between the first look and the
            // registration is seen by the second look, room made after it wakes `room`.
            let room = self.room.notified();
            tokio::pin!(room);
            room.as_mut().enable();
            if has_room() {
                return Ok(());
            }
            if tokio::time::timeout_at(deadline, room).await.is_err() {
                return Err(Error::timeout(format!(
                    "the write queue of the connection to {} stayed full (over {} bytes) until the deadline",
                    self.peer.host_port, self.limits.write_queue
                )));
            }
        }
    }

    /// Drops the partly received requests whose ttl has passed and answers each with a
    /// timeout error frame.
    fn expire_partial(&self, now: Instant) {
        let mut expired = Vec::new();
        {
            let mut st = self.lock();
            while let Some(&(deadline, id)) = st.partial.first() {
                if deadline > now {
                    break;
                }
                if let Some(Inbound::Receiving(r)) = st.remove_inbound(id) {
                    expired.push((id, r.0.tracing, r.0.ttl));
                }
                st.partial.remove(&(deadline, id));
            }
            if !expired.is_empty() && st.is_idle() {
                self.drained.notify_waiters();
            }
        }
        for (id, tracing, ttl) in expired {
            tracing::debug!(peer = %self.peer.host_port, id, "a partly received request expired");
            self.send_error(
                id,
                ErrorCode::Timeout,
                tracing,
                &format!(
                    "request timed out after {}ms before all of its frames arrived",
                    ttl.as_millis()
                ),
            );
        }
    }

    /// Forgets an outbound call the caller gave up on and, if it was still there, tells the
    /// peer with a cancel frame.
    fn cancel_outbound(&self, id: u32, tracing: Tracing) {
        if self.finish_outbound(id) {
            self.send(Frame {
                id,
                body: FrameBody::Cancel(Cancel {
                    ttl: 0,
                    tracing,
                    why: Bytes::from_static(b"caller gave up"),
                }),
            });
        }
    }

    fn send_error(&self, id: u32, code: ErrorCode, tracing: Tracing, message: &str) {
        self.send(Frame {
            id,
            body: FrameBody::Error(ErrorFrame::new(code, tracing, message)),
        });
    }

    fn close_reason(&self) -> Error {
        self.lock().closed.clone().unwrap_or_else(|| {
            Error::network(format!("connection to {} closed", self.peer.host_port))
        })
    }

    /// Forgets an outbound call. True if it was still there.
    fn finish_outbound(&self, id: u32) -> bool {
        let mut st = self.lock();
        let removed = st.outbound.remove(&id).is_some();
        if removed {
            self.pending.fetch_sub(1, Ordering::Relaxed);
            if st.is_idle() {
                self.drained.notify_waiters();
            }
        }
        removed
    }

    /// Closes the connection with `reason`, once: every call in flight fails with it. `error`
    /// is the `type` of `connections.errors` when the connection failed (None for a close
    /// by this side or a clean end by the peer).
    fn close(&self, reason: Error, error: Option<&'static str>) {
        let (outbound, inbound, pings, reader, writer, on_close) = {
            let mut st = self.lock();
            if st.closed.is_some() {
                return;
            }
            st.closed = Some(reason.clone());
            (
                std::mem::take(&mut st.outbound),
                {
                    st.partial.clear();
                    st.inbound_bytes = 0;
                    std::mem::take(&mut st.inbound)
                },
                std::mem::take(&mut st.pings),
                st.reader.take(),
                st.writer.take(),
                st.on_close.take(),
            )
        };
        self.closed.store(true, Ordering::Release);
        if let Some(s) = &self.stats {
            if let Some(kind) = error {
                s.error(kind);
            }
            s.closed();
        }
        for (_, call) in outbound {
            if let Some(done) = call.done {
                let _ = done.send(Err(reason.clone()));
            }
            if let Some(s) = call.stream {
                s.tx.fail(reason.clone());
            }
            self.pending.fetch_sub(1, Ordering::Relaxed);
        }
        for (_, call) in inbound {
            match call {
                Inbound::Running(h, _) => h.abort(),
                Inbound::Streaming(s) => {
                    s.task.abort();
                    s.tx.fail(reason.clone());
                }
                Inbound::Receiving(_) => {}
            }
        }
        drop(pings);
        if let Some(r) = reader {
            r.abort();
        }
        let _ = self.out.send(Out::Close);
        if let Some(w) = writer {
            abort_writer_later(w);
        }
        // Streamed writers waiting for room fail now, even if the writer task is stuck.
        self.budget.close();
        self.drained.notify_waiters();
        self.room.notify_waiters();
        if let Some(f) = on_close {
            f();
        }
    }

    fn fatal(&self, id: u32, message: String) {
        tracing::warn!(peer = %self.peer.host_port, "protocol error: {message}");
        self.send_error(id, ErrorCode::Protocol, Tracing::default(), &message);
        self.close(
            Error::protocol(format!("{message} (peer {})", self.peer.host_port)),
            Some("protocol-error"),
        );
    }

    /// Routes one frame. A frame of a streamed message whose consumer's queue is full comes
    /// back as a [`Delivery`] for the read loop to wait on.
    fn handle(self: &Arc<Self>, frame: Frame) -> Option<Delivery> {
        let id = frame.id;
        match frame.body {
            FrameBody::CallReq(req) => return self.on_call_req(id, req),
            FrameBody::CallReqContinue(c) => {
                return self.on_req_continue(id, c.flags, c.checksum, &c.chunks)
            }
            FrameBody::CallRes(res) => return self.on_call_res(id, res),
            FrameBody::CallResContinue(c) => {
                return self.on_res_frame(id, c.flags, c.checksum, &c.chunks)
            }
            FrameBody::Error(e) => self.on_error(id, e),
            FrameBody::Cancel(_) => self.on_cancel(id),
            FrameBody::PingReq => self.send(Frame {
                id,
                body: FrameBody::PingRes,
            }),
            FrameBody::PingRes => {
                if let Some(tx) = self.lock().pings.remove(&id) {
                    let _ = tx.send(());
                }
            }
            FrameBody::InitReq(_) | FrameBody::InitRes(_) => {
                self.fatal(id, "init frame after the handshake".into())
            }
            FrameBody::Claim(_) | FrameBody::Unknown { .. } => {
                tracing::debug!(peer = %self.peer.host_port, frame = frame.body.name(), "ignoring frame");
            }
        }
        None
    }

    fn on_malformed(self: &Arc<Self>, frame_type: u8, id: u32, error: crate::frame::DecodeError) {
        use crate::frame::types::*;
        let message = format!("malformed frame type {frame_type:#04x}: {error}");
        match frame_type {
            // A bad request: answer it, drop the rest of its frames, keep the connection.
            // (Its later frames, if any, find no entry and are dropped.)
            CALL_REQ | CALL_REQ_CONTINUE => {
                let mut st = self.lock();
                match st.remove_inbound(id) {
                    Some(Inbound::Running(h, _)) => h.abort(),
                    Some(Inbound::Streaming(s)) => s.task.abort(),
                    _ => {}
                }
                if st.is_idle() {
                    self.drained.notify_waiters();
                }
                drop(st);
                self.send_error(id, ErrorCode::BadRequest, Tracing::default(), &message);
            }
            // A bad response: fail that call only.
            CALL_RES | CALL_RES_CONTINUE | ERROR => {
                self.fail_outbound(id, Error::protocol(message), frame_type != ERROR)
            }
            _ => self.fatal(id, message),
        }
    }

    fn on_call_req(self: &Arc<Self>, id: u32, req: CallReq) -> Option<Delivery> {
        // A streaming endpoint is known by arg1, which the first frame must hold whole.
        let streaming = if self.dispatch.has_streaming()
            && (req.chunks.len() >= 2 || req.flags & FLAG_MORE_FRAGMENTS == 0)
        {
            self.dispatch
                .stream_handler(&req.service, &req.chunks.as_slice()[0])
        } else {
            None
        };
        let mut st = self.lock();
        if st.closing || st.closed.is_some() {
            drop(st);
            self.send_error(
                id,
                ErrorCode::Declined,
                req.tracing,
                "connection is closing",
            );
            return None;
        }
        if st.inbound.contains_key(&id) {
            drop(st);
            self.send_error(
                id,
                ErrorCode::BadRequest,
                req.tracing,
                &format!("message id {id} is already in use"),
            );
            return None;
        }
        if req.ttl == 0 {
            drop(st);
            self.send_error(id, ErrorCode::BadRequest, req.tracing, "ttl must not be 0");
            return None;
        }
        let bytes = req.chunks.encoded_len();
        if st.inbound_bytes + bytes > self.limits.inbound_bytes {
            drop(st);
            self.busy_bytes(id, req.tracing);
            return None;
        }
        if st.inbound.len() >= self.limits.inbound_calls {
            drop(st);
            self.send_error(
                id,
                ErrorCode::Busy,
                req.tracing,
                &format!(
                    "too many calls in flight on this connection (limit {})",
                    self.limits.inbound_calls
                ),
            );
            return None;
        }
        let ttl = Duration::from_millis(req.ttl as u64);
        let head = ReqHead {
            service: req.service,
            headers: req.headers,
            tracing: req.tracing,
            ttl,
            deadline: Instant::now() + ttl,
            checksum: req.checksum.kind,
            held: 0,
        };
        if let Some(handler) = streaming {
            return self.start_stream_handler(
                st,
                id,
                head,
                (req.flags, req.checksum, req.chunks),
                handler,
            );
        }
        let mut reader = ArgReader::for_request(self.max_message);
        match reader.push(req.flags, req.checksum, &req.chunks) {
            Ok(Some(args)) => {
                drop(st);
                self.start_handler(id, head, args)
            }
            Ok(None) => {
                if st.partial.len() >= self.limits.partial_requests {
                    drop(st);
                    self.send_error(
                        id,
                        ErrorCode::Busy,
                        head.tracing,
                        &format!(
                            "too many partly received requests on this connection (limit {})",
                            self.limits.partial_requests
                        ),
                    );
                    return None;
                }
                let mut head = head;
                head.held = bytes;
                st.inbound_bytes += bytes;
                st.partial.insert((head.deadline, id));
                st.inbound
                    .insert(id, Inbound::Receiving(Box::new((head, reader))));
            }
            Err(e) => {
                drop(st);
                self.reject_request(id, head.tracing, e);
            }
        }
        None
    }

    /// Starts the handler of a streamed request on its first frame; the frames that follow
    /// reach it through a bounded queue.
    fn start_stream_handler(
        self: &Arc<Self>,
        st: MutexGuard<'_, State>,
        id: u32,
        head: ReqHead,
        (flags, checksum, chunks): (u8, crate::checksum::Checksum, Chunks),
        handler: StreamHandler,
    ) -> Option<Delivery> {
        let more = flags & FLAG_MORE_FRAGMENTS != 0;
        let mut check = StreamCheck::default();
        if let Err(e) = check.push(flags, checksum, &chunks) {
            drop(st);
            self.reject_request(id, head.tracing, e);
            return None;
        }
        let (tx, args) = stream::stream_queue(None);
        // The queue is empty: the first frame always fits.
        let endpoint = chunks.as_slice()[0].clone();
        let _ = tx.tx.try_send(StreamItem { chunks, more });
        let checksum = head.checksum;
        let first = FirstFrame::Res(CallRes {
            code: 0,
            tracing: head.tracing,
            ..Default::default()
        });
        let response = StreamSink::new(
            self.clone(),
            id,
            first,
            Bytes::new(),
            checksum,
            head.deadline,
        );
        let state = response.state.clone();
        let state2 = state.clone();
        let (deadline, ttl, tracing) = (head.deadline, head.ttl, head.tracing);
        let call = InboundStream {
            service: head.service,
            endpoint,
            headers: head.headers,
            tracing,
            ttl,
            deadline,
            peer: self.peer.clone(),
            checksum: head.checksum,
            args,
            response,
        };
        // The handler's synchronous part is user code: run it without the state lock, and
        // with its panics caught (they become the call's unexpected error).
        drop(st);
        let fut = CatchUnwind::start(|| handler(call));
        let mut st = self.lock();
        if st.closed.is_some() {
            return None;
        }
        let shared = self.clone();
        self.running.fetch_add(1, Ordering::Relaxed);
        let task = tokio::spawn(async move {
            let _running = RunningGuard(&shared.running);
            let outcome = tokio::time::timeout_at(deadline, fut).await;
            shared.finish_stream_inbound(id, tracing, ttl, &state, outcome);
        });
        let task = task.abort_handle();
        let entry = if more {
            Inbound::Streaming(Box::new(InStream {
                tx,
                check,
                task,
                response: state2,
            }))
        } else {
            Inbound::Running(task, 0)
        };
        st.inbound.insert(id, entry);
        None
    }

    /// Answers for a streaming handler that ended without finishing its response.
    fn finish_stream_inbound(
        &self,
        id: u32,
        tracing: Tracing,
        ttl: Duration,
        state: &std::sync::atomic::AtomicU8,
        outcome: Result<Result<(), Error>, tokio::time::error::Elapsed>,
    ) {
        {
            let mut st = self.lock();
            if !matches!(
                st.inbound.get(&id),
                Some(Inbound::Running(..)) | Some(Inbound::Streaming(_))
            ) {
                return; // cancelled, or the connection closed
            }
            st.remove_inbound(id);
            if st.is_idle() {
                self.drained.notify_waiters();
            }
        }
        if state
            .compare_exchange(
                stream::OPEN,
                stream::FAILED,
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .is_err()
        {
            return;
        }
        let (code, message) = match outcome {
            Ok(Ok(())) => (
                ErrorCode::Unexpected,
                "the handler returned without finishing its response".to_owned(),
            ),
            Ok(Err(e)) => (
                e.code().unwrap_or(ErrorCode::Unexpected),
                e.message().to_owned(),
            ),
            Err(_) => (
                ErrorCode::Timeout,
                format!("request timed out after {}ms", ttl.as_millis()),
            ),
        };
        self.send_error(id, code, tracing, &message);
    }

    fn on_req_continue(
        self: &Arc<Self>,
        id: u32,
        flags: u8,
        checksum: crate::checksum::Checksum,
        chunks: &Chunks,
    ) -> Option<Delivery> {
        let mut st = self.lock();
        let more = flags & FLAG_MORE_FRAGMENTS != 0;
        let over = st.inbound_bytes + chunks.encoded_len() > self.limits.inbound_bytes;
        let state: &mut State = &mut st;
        match state.inbound.get_mut(&id) {
            Some(Inbound::Streaming(s)) => {
                if let Err(e) = s.check.push(flags, checksum, chunks) {
                    // The handler sees the error at the end of what was verified, and can
                    // no longer answer: the caller gets a bad-request error frame. The rest
                    // of the request's frames are dropped.
                    let Some(Inbound::Streaming(s)) = st.inbound.remove(&id) else {
                        unreachable!("checked above")
                    };
                    let s = *s;
                    st.inbound.insert(id, Inbound::Running(s.task, 0));
                    drop(st);
                    s.tx.fail(Error::bad_request(e.to_string()));
                    let answer = s.response.compare_exchange(
                        stream::OPEN,
                        stream::FAILED,
                        Ordering::AcqRel,
                        Ordering::Acquire,
                    );
                    if answer.is_ok() {
                        self.reject_request(id, Tracing::default(), e);
                    }
                    return None;
                }
                let item = StreamItem {
                    chunks: chunks.clone(),
                    more,
                };
                if more {
                    return stream::offer(&s.tx.tx, item, None);
                }
                let Some(Inbound::Streaming(s)) = st.inbound.remove(&id) else {
                    unreachable!("checked above")
                };
                let s = *s;
                st.inbound.insert(id, Inbound::Running(s.task, 0));
                drop(st);
                return stream::offer(&s.tx.tx, item, None);
            }
            Some(Inbound::Receiving(_)) if over => {
                // Past the byte limit: this request is dropped (its later frames find no
                // entry) and answered Busy.
                let Some(Inbound::Receiving(r)) = st.remove_inbound(id) else {
                    unreachable!("checked above")
                };
                if st.is_idle() {
                    self.drained.notify_waiters();
                }
                drop(st);
                self.busy_bytes(id, r.0.tracing);
            }
            Some(Inbound::Receiving(r)) => match r.1.push(flags, checksum, chunks) {
                Ok(None) => {
                    let n = chunks.encoded_len();
                    r.0.held += n;
                    state.inbound_bytes += n;
                }
                Ok(Some(args)) => {
                    let Some(Inbound::Receiving(r)) = st.remove_inbound(id) else {
                        unreachable!("checked above")
                    };
                    drop(st);
                    self.start_handler(id, r.0, args);
                }
                Err(e) => {
                    let Some(Inbound::Receiving(r)) = st.remove_inbound(id) else {
                        unreachable!("checked above")
                    };
                    if st.is_idle() {
                        self.drained.notify_waiters();
                    }
                    drop(st);
                    self.reject_request(id, r.0.tracing, e);
                }
            },
            Some(Inbound::Running(..)) | None => {
                tracing::debug!(id, "dropping a continue frame for no pending request");
            }
        }
        None
    }

    fn busy_bytes(&self, id: u32, tracing: Tracing) {
        self.send_error(
            id,
            ErrorCode::Busy,
            tracing,
            &format!(
                "too many bytes of requests in flight on this connection (limit {})",
                self.limits.inbound_bytes
            ),
        );
    }

    fn reject_request(&self, id: u32, tracing: Tracing, e: FragmentError) {
        tracing::debug!(peer = %self.peer.host_port, id, "rejecting request: {e}");
        self.send_error(id, ErrorCode::BadRequest, tracing, &e.to_string());
    }

    /// Runs the handler of a complete request. Called without the state lock: the handler's
    /// first poll runs right here, and it may itself make calls on this connection.
    fn start_handler(self: &Arc<Self>, id: u32, head: ReqHead, args: [Bytes; 3]) {
        let deadline = head.deadline;
        let ttl = head.ttl;
        let tracing = head.tracing;
        // Answer with the request's checksum type (farmhash included: only tchannel-node
        // sends it, and it checks the response with the same computation as ours).
        let checksum = head.checksum;
        let held = args.iter().map(Bytes::len).sum::<usize>();
        let call = InboundCall {
            service: head.service,
            headers: head.headers,
            tracing,
            ttl,
            deadline,
            args,
            peer: self.peer.clone(),
            checksum: head.checksum,
        };
        let mut fut = CatchUnwind::start(|| self.dispatch.dispatch(call));
        // Most handlers answer without waiting: poll once here and, if it is done, answer
        // without spawning a task. (A future that is not done re-registers its waker when
        // the task polls it.)
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        if let std::task::Poll::Ready(out) = Pin::new(&mut fut).poll(&mut cx) {
            return self.respond(id, tracing, checksum, ttl, Ok(out));
        }
        let shared = self.clone();
        // Spawn under the lock, so the task cannot finish before its entry exists.
        let mut st = self.lock();
        if st.closed.is_some() {
            return;
        }
        self.running.fetch_add(1, Ordering::Relaxed);
        let task = tokio::spawn(async move {
            // Counts down however the task ends (answered, cancelled, connection closed).
            let _running = RunningGuard(&shared.running);
            let outcome = tokio::time::timeout_at(deadline, fut).await;
            shared.finish_inbound(id, tracing, checksum, ttl, outcome);
        });
        st.inbound_bytes += held;
        st.inbound
            .insert(id, Inbound::Running(task.abort_handle(), held));
    }

    fn finish_inbound(
        &self,
        id: u32,
        tracing: Tracing,
        checksum: ChecksumType,
        ttl: Duration,
        outcome: Result<Result<OutgoingResponse, Error>, tokio::time::error::Elapsed>,
    ) {
        {
            let mut st = self.lock();
            if !matches!(st.inbound.get(&id), Some(Inbound::Running(..))) {
                return; // cancelled, or the connection closed
            }
            st.remove_inbound(id);
            if st.is_idle() {
                self.drained.notify_waiters();
            }
        }
        self.respond(id, tracing, checksum, ttl, outcome);
    }

    fn respond(
        &self,
        id: u32,
        tracing: Tracing,
        checksum: ChecksumType,
        ttl: Duration,
        outcome: Result<Result<OutgoingResponse, Error>, tokio::time::error::Elapsed>,
    ) {
        match outcome {
            Ok(Ok(res)) => {
                let first = FirstFrame::Res(CallRes {
                    code: res.code,
                    tracing,
                    headers: res.headers,
                    ..Default::default()
                });
                // Response headers that break a wire limit are refused here, before anything
                // is sent: the caller gets an unexpected-error frame naming the field.
                match Fragmenter::new(id, first, checksum, 0) {
                    Ok(f) => f.write_all([Bytes::new(), res.arg2, res.arg3], &mut |f| self.send(f)),
                    Err(e) => self.send_error(
                        id,
                        ErrorCode::Unexpected,
                        tracing,
                        &format!("the handler's response cannot be sent: {e}"),
                    ),
                }
            }
            Ok(Err(e)) => {
                let code = e.code().unwrap_or(ErrorCode::Unexpected);
                self.send_error(id, code, tracing, e.message());
            }
            Err(_) => self.send_error(
                id,
                ErrorCode::Timeout,
                tracing,
                &format!("request timed out after {}ms", ttl.as_millis()),
            ),
        }
    }

    fn on_cancel(&self, id: u32) {
        let mut st = self.lock();
        let task = match st.remove_inbound(id) {
            Some(Inbound::Running(h, _)) => h,
            Some(Inbound::Streaming(s)) => s.task,
            // Not started: forgotten (its later frames are dropped), nothing to answer.
            Some(Inbound::Receiving(_)) => {
                if st.is_idle() {
                    self.drained.notify_waiters();
                }
                return;
            }
            None => return,
        };
        task.abort();
        if st.is_idle() {
            self.drained.notify_waiters();
        }
        drop(st);
        self.send_error(
            id,
            ErrorCode::Cancelled,
            Tracing::default(),
            "cancelled by caller",
        );
    }

    fn on_call_res(&self, id: u32, res: CallRes) -> Option<Delivery> {
        {
            let mut st = self.lock();
            match st.outbound.get_mut(&id) {
                Some(call) if call.head.is_none() => {
                    call.head = Some(ResHead {
                        code: res.code,
                        headers: res.headers,
                    });
                }
                Some(_) => {
                    drop(st);
                    self.fail_outbound(
                        id,
                        Error::protocol("a second call res for one call"),
                        res.flags & FLAG_MORE_FRAGMENTS != 0,
                    );
                    return None;
                }
                None => {
                    tracing::debug!(id, "dropping a late response");
                    return None;
                }
            }
        }
        self.on_res_frame(id, res.flags, res.checksum, &res.chunks)
    }

    fn on_res_frame(
        &self,
        id: u32,
        flags: u8,
        checksum: crate::checksum::Checksum,
        chunks: &Chunks,
    ) -> Option<Delivery> {
        let more = flags & FLAG_MORE_FRAGMENTS != 0;
        let mut st = self.lock();
        let Some(call) = st.outbound.get_mut(&id) else {
            tracing::debug!(id, "dropping a late response frame");
            return None;
        };
        if call.stream.is_some() {
            return self.on_stream_res(st, id, flags, checksum, chunks);
        }
        if call.done.is_none() {
            if !more {
                st.outbound.remove(&id);
                self.pending.fetch_sub(1, Ordering::Relaxed);
            }
            return None;
        }
        if call.head.is_none() {
            drop(st);
            self.fail_outbound(id, Error::protocol("continue frame before call res"), more);
            return None;
        }
        match call.reader.push(flags, checksum, chunks) {
            Ok(None) => {}
            Ok(Some(args)) => {
                let call = self.take_outbound(&mut st, id);
                drop(st);
                let head = call.head.expect("checked");
                if let Some(done) = call.done {
                    let _ = done.send(Ok(CallResult {
                        code: head.code,
                        headers: head.headers,
                        args,
                    }));
                }
            }
            Err(e) => {
                drop(st);
                self.fail_outbound(id, response_error(e), more);
            }
        }
        None
    }

    /// Removes an outbound call whose response is complete.
    fn take_outbound(&self, st: &mut State, id: u32) -> Outbound {
        let call = st.outbound.remove(&id).expect("present");
        self.pending.fetch_sub(1, Ordering::Relaxed);
        if st.is_idle() {
            self.drained.notify_waiters();
        }
        call
    }

    /// A frame of a streamed response: checked, then queued for the consumer (the first one
    /// also delivers the response's head).
    fn on_stream_res(
        &self,
        mut st: MutexGuard<'_, State>,
        id: u32,
        flags: u8,
        checksum: crate::checksum::Checksum,
        chunks: &Chunks,
    ) -> Option<Delivery> {
        let more = flags & FLAG_MORE_FRAGMENTS != 0;
        let call = st.outbound.get_mut(&id).expect("checked by the caller");
        let Some(head) = call.head.as_mut() else {
            drop(st);
            self.fail_outbound(id, Error::protocol("continue frame before call res"), more);
            return None;
        };
        let s = call.stream.as_mut().expect("checked by the caller");
        if let Err(e) = s.check.push(flags, checksum, chunks) {
            drop(st);
            self.fail_outbound(id, response_error(e), more);
            return None;
        }
        if let Some(done) = call.done.take() {
            let _ = done.send(Ok(CallResult {
                code: head.code,
                headers: std::mem::take(&mut head.headers),
                args: Default::default(),
            }));
        }
        let item = StreamItem {
            chunks: chunks.clone(),
            more,
        };
        let deadline = Some((s.deadline, id));
        if more {
            return stream::offer(&s.tx.tx, item, deadline);
        }
        let call = self.take_outbound(&mut st, id);
        drop(st);
        let s = call.stream.expect("checked by the caller");
        stream::offer(&s.tx.tx, item, deadline)
    }

    /// Ends an outbound call with `err`. When `more_follow`, later frames of the response
    /// are dropped quietly.
    fn fail_outbound(&self, id: u32, err: Error, more_follow: bool) {
        let mut st = self.lock();
        let Some(call) = st.outbound.get_mut(&id) else {
            return;
        };
        let done = call.done.take();
        let stream = call.stream.take();
        if !more_follow {
            st.outbound.remove(&id);
            self.pending.fetch_sub(1, Ordering::Relaxed);
        }
        drop(st);
        if let Some(s) = stream {
            s.tx.fail(err.clone());
        }
        if let Some(done) = done {
            let _ = done.send(Err(err));
        }
    }

    fn on_error(&self, id: u32, e: ErrorFrame) {
        let message = String::from_utf8_lossy(&e.message).into_owned();
        if id == NO_ID || e.code == ErrorCode::Protocol {
            tracing::warn!(peer = %self.peer.host_port, "peer sent a fatal error: {message}");
            let err = Error::from_code(e.code, message);
            let kind = match e.code {
                ErrorCode::Protocol => "peer-protocol-error",
                _ => crate::reporter::error_type(&err),
            };
            return self.close(err, Some(kind));
        }
        if let Some(tx) = self.lock().pings.remove(&id) {
            drop(tx); // the ping fails with the connection's reason or a timeout
            return;
        }
        self.fail_outbound(id, Error::from_code(e.code, message), false);
    }
}

fn response_error(e: FragmentError) -> Error {
    match e {
        FragmentError::ChecksumMismatch { .. } => {
            Error::new(crate::error::Kind::Checksum, e.to_string())
        }
        _ => Error::protocol(format!("bad response: {e}")),
    }
}

/// How long the writer of a closed connection may go on writing what was queued before it:
/// a peer that does not read cannot keep the socket, the task and the queue alive longer.
const CLOSE_GRACE: Duration = Duration::from_secs(10);

/// Aborts a closed connection's writer if it has not finished within [`CLOSE_GRACE`] (at
/// once outside a runtime). The task that waits ends with the writer, so a writer that
/// finishes at once (the usual case) leaves nothing behind.
fn abort_writer_later(writer: tokio::task::JoinHandle<()>) {
    match tokio::runtime::Handle::try_current() {
        Ok(rt) => {
            rt.spawn(async move {
                let abort = writer.abort_handle();
                if tokio::time::timeout(CLOSE_GRACE, writer).await.is_err() {
                    abort.abort();
                }
            });
        }
        Err(_) => writer.abort(),
    }
}

/// What a frame counts for in the writer queue: its args, plus an allowance for its
/// transport headers (each at most 16 + 255 bytes, usually a few short ones) and for the rest
/// (the frame's fixed fields and the queue slot). A frame is at most 64 KiB, so this fits a
/// `u32`.
fn queue_cost(frame: &Frame) -> usize {
    const FIXED: usize = 128;
    let headers = |h: &TransportHeaders| h.len() * 64;
    FIXED
        + match &frame.body {
            FrameBody::CallReq(r) => r.chunks.encoded_len() + r.service.len() + headers(&r.headers),
            FrameBody::CallRes(r) => r.chunks.encoded_len() + headers(&r.headers),
            FrameBody::CallReqContinue(c) | FrameBody::CallResContinue(c) => c.chunks.encoded_len(),
            FrameBody::Error(e) => e.message.len(),
            FrameBody::Cancel(c) => c.why.len(),
            _ => 0,
        }
}

/// Whether a frame answers the peer (and so is what the peer controls by sending).
fn is_answer(frame: &Frame) -> bool {
    matches!(
        frame.body,
        FrameBody::CallRes(_)
            | FrameBody::CallResContinue(_)
            | FrameBody::Error(_)
            | FrameBody::PingRes
    )
}

/// Closes the connection when the task holding it ends in any way, a panic or an abort
/// included, so that no connection outlives its reader or writer (its calls then fail with
/// the reason instead of waiting for their deadlines). After a normal close it does nothing.
struct CloseOnDrop<'a>(&'a Shared, &'static str);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        if !self.0.closed.load(Ordering::Acquire) {
            let panicking = std::thread::panicking();
            tracing::error!(peer = %self.0.peer.host_port, panicking, "the connection's {} task ended", self.1);
            self.0.close(
                Error::new(
                    crate::error::Kind::Closed,
                    format!(
                        "the connection to {} lost its {} task{}",
                        self.0.peer.host_port,
                        self.1,
                        if panicking { " (it panicked)" } else { "" }
                    ),
                ),
                Some("internal-error"),
            );
        }
    }
}

/// Reads frames and routes them until the socket ends. It reads only while the answers
/// queued for the peer are within their limit (a peer that does not read is pushed back by
/// TCP), expires partly received requests at their deadlines, and holds no read buffer
/// while the socket is idle.
async fn read_loop(shared: Arc<Shared>, rd: OwnedReadHalf, buf: ReadBuf) {
    let _guard = CloseOnDrop(&shared, "reader");
    let (reason, error) = read_frames(&shared, rd, buf).await;
    shared.close(reason, error);
}

async fn read_frames(
    shared: &Arc<Shared>,
    rd: OwnedReadHalf,
    mut buf: ReadBuf,
) -> (Error, Option<&'static str>) {
    loop {
        loop {
            if shared.answers_over_limit() {
                // The peer is not reading its answers: stop reading its frames until it does.
                wait_for_answers_room(shared).await;
                if shared.closed.load(Ordering::Acquire) {
                    return (shared.close_reason(), None);
                }
            }
            match FrameCodec::decode(&mut buf) {
                Ok(Some(Decoded::Frame(f))) => {
                    if let Some(d) = shared.handle(f) {
                        // A streamed message's consumer is behind: wait for it (see `stream`).
                        d.deliver(shared).await;
                    }
                }
                Ok(Some(Decoded::Malformed {
                    frame_type,
                    id,
                    error,
                })) => shared.on_malformed(frame_type, id, error),
                Ok(None) => break,
                Err(e) => {
                    shared.fatal(NO_ID, e.to_string());
                    return (shared.close_reason(), None);
                }
            }
        }
        // Read what is there; otherwise wait for the socket (without a buffer when there is
        // nothing partial in it) or for the next partly received request to expire.
        // (Expiry is also checked here, so a peer that keeps the reader busy does not keep
        // its partly received requests past their deadlines.)
        let expiry = shared.lock().next_expiry();
        if expiry.is_some_and(|d| d <= Instant::now()) {
            shared.expire_partial(Instant::now());
            continue;
        }
        let mut read = None;
        if buf.capacity() - buf.len() >= 8 * 1024 {
            read = try_read(&rd, &mut buf);
        }
        if read.is_none() {
            if buf.is_empty() && is_unique(&mut buf) {
                // Nothing refers to the buffer any more: an idle connection holds none.
                // (One that frames still point into is kept, so that the next frames share
                // it instead of each pinning a buffer of its own.)
                buf = ReadBuf::new();
            }
            tokio::select! {
                r = rd.readable() => {
                    if let Err(e) = r {
                        return (read_error(shared, e), Some("network-error"));
                    }
                }
                _ = sleep_until_some(expiry) => {
                    shared.expire_partial(Instant::now());
                    continue;
                }
            }
            if buf.capacity() - buf.len() < 8 * 1024 {
                buf.reserve(READ_CHUNK);
            }
            read = try_read(&rd, &mut buf);
        }
        match read {
            None => continue, // a spurious wake-up
            Some(Ok(0)) if buf.is_empty() => {
                // A clean end unless calls were still in flight.
                let kind = (!shared.lock().is_idle()).then_some("network-error");
                return (
                    Error::network(format!(
                        "connection closed by peer {}",
                        shared.peer.host_port
                    )),
                    kind,
                );
            }
            Some(Ok(0)) => {
                return (
                    Error::network(format!(
                        "peer {} closed the connection in the middle of a frame",
                        shared.peer.host_port
                    )),
                    Some("network-error"),
                )
            }
            Some(Ok(n)) => {
                if let Some(s) = &shared.stats {
                    s.bytes_recvd(n);
                }
            }
            Some(Err(e)) => return (read_error(shared, e), Some("network-error")),
        }
    }
}

/// Whether no frame (nor anything else) still points into an empty buffer's allocation.
fn is_unique(buf: &mut ReadBuf) -> bool {
    // Asking for one byte more than the handle's capacity without allocating succeeds only
    // by reclaiming the allocation, which is possible only for its only handle (a buffer
    // nothing was split from yet reports false: it is kept, which is harmless).
    let rem = buf.capacity() - buf.len();
    buf.try_reclaim(rem + 1)
}

/// One non-blocking read into `buf`; None if the socket has nothing.
fn try_read(rd: &OwnedReadHalf, buf: &mut ReadBuf) -> Option<std::io::Result<usize>> {
    match rd.try_read_buf(buf) {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => None,
        r => Some(r),
    }
}

fn read_error(shared: &Shared, e: std::io::Error) -> Error {
    Error::network(format!(
        "reading from {} failed: {e}",
        shared.peer.host_port
    ))
    .with_source(e)
}

async fn sleep_until_some(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

/// Waits until the answers queued for the peer are back within their limit, or the
/// connection closes; partly received requests still expire meanwhile.
async fn wait_for_answers_room(shared: &Shared) {
    loop {
        let room = shared.room.notified();
        tokio::pin!(room);
        room.as_mut().enable();
        if !shared.answers_over_limit() || shared.closed.load(Ordering::Acquire) {
            return;
        }
        let expiry = shared.lock().next_expiry();
        tokio::select! {
            _ = room => {}
            _ = sleep_until_some(expiry) => shared.expire_partial(Instant::now()),
        }
    }
}

/// Adds one queued item to the write being built: a frame is encoded (a streamed one keeps its
/// budget permit until the write is done). True for `Close`.
#[inline(always)]
fn batch(
    msg: Out,
    buf: &mut BytesMut,
    permits: &mut Vec<OwnedSemaphorePermit>,
    costs: &mut (usize, usize),
) -> bool {
    // Encoded in place: moving the frame out of `msg` would copy it.
    let (frame, cost) = match &msg {
        Out::Frame(f, cost) | Out::Budgeted(f, cost, _) => (f, *cost),
        Out::Close => return true,
    };
    costs.0 += cost.bytes as usize;
    if cost.answer {
        costs.1 += cost.bytes as usize;
    }
    // Every frame was checked where it was built (the fragmenter, `ErrorFrame::new`): one
    // that still does not encode is dropped whole, never written truncated.
    if let Err(e) = frame.encode(buf) {
        tracing::error!(id = frame.id, "frame not sent: {e}");
    }
    if let Out::Budgeted(_, _, permit) = msg {
        permits.push(permit);
    }
    false
}

async fn write_loop(
    shared: Arc<Shared>,
    mut rx: mpsc::UnboundedReceiver<Out>,
    mut wr: OwnedWriteHalf,
) {
    let _guard = CloseOnDrop(&shared, "writer");
    // Allocated when there is something to write; a connection idle for IDLE_WRITE_RELEASE
    // keeps at most IDLE_WRITE_BUFFER of it.
    let mut buf = BytesMut::new();
    let mut permits = Vec::new();
    loop {
        let msg = match rx.try_recv() {
            Ok(msg) => msg,
            Err(mpsc::error::TryRecvError::Empty) => {
                let idle = shared.pending.load(Ordering::Relaxed)
                    + shared.running.load(Ordering::Relaxed)
                    == 0;
                let mut held = None;
                if idle {
                    permits = Vec::new();
                    if buf.capacity() > IDLE_WRITE_BUFFER {
                        // No call in flight either way: a buffer that grew past
                        // IDLE_WRITE_BUFFER goes back once the connection has stayed idle
                        // for IDLE_WRITE_RELEASE, so that batches that follow each other do
                        // not regrow it each time. (A smaller one is kept.)
                        held = match tokio::time::timeout(IDLE_WRITE_RELEASE, rx.recv()).await {
                            Ok(Some(msg)) => Some(msg),
                            Ok(None) => break,
                            Err(_) => {
                                buf = BytesMut::new();
                                None
                            }
                        };
                    }
                } else if buf.capacity() > 2 * MAX_WRITE_BATCH {
                    // A busy connection keeps its buffer, so that its batches do not regrow
                    // one each time, unless an unusually large batch grew it.
                    buf = BytesMut::new();
                    permits = Vec::new();
                }
                match held {
                    Some(msg) => msg,
                    None => match rx.recv().await {
                        Some(msg) => msg,
                        None => break,
                    },
                }
            }
            Err(mpsc::error::TryRecvError::Disconnected) => break,
        };
        // With several calls in flight, let the tasks that are ready queue their frames too,
        // so one write carries them all. (With one, yielding would only cost a syscall.)
        if shared.pending.load(Ordering::Relaxed) + shared.running.load(Ordering::Relaxed) > 1 {
            tokio::task::yield_now().await;
        }
        let mut costs = (0, 0);
        let mut close = batch(msg, &mut buf, &mut permits, &mut costs);
        while !close && buf.len() < MAX_WRITE_BATCH {
            match rx.try_recv() {
                Ok(msg) => close = batch(msg, &mut buf, &mut permits, &mut costs),
                Err(_) => break,
            }
        }
        if !buf.is_empty() {
            if let Err(e) = wr.write_all(&buf).await {
                shared.close(
                    Error::network(format!("writing to {} failed: {e}", shared.peer.host_port))
                        .with_source(e),
                    Some("network-error"),
                );
                break;
            }
            if let Some(s) = &shared.stats {
                s.bytes_sent(buf.len());
            }
            buf.clear();
        }
        // The batch is on the socket: its room in the queue is free again.
        shared.queued.fetch_sub(costs.0, Ordering::Relaxed);
        shared.answers.fetch_sub(costs.1, Ordering::Relaxed);
        shared.room.notify_waiters();
        // The streamed frames are on the socket: their writers may queue more.
        permits.clear();
        if close {
            let _ = wr.shutdown().await;
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::CallContinue;

    #[test]
    fn ids_skip_reserved_and_in_flight_values_when_wrapping() {
        let mut st = State {
            next_id: 0xFFFF_FFFD,
            ..State::default()
        };
        let (tx, _rx) = oneshot::channel();
        st.pings.insert(2, tx);
        assert_eq!(st.alloc_id(), 0xFFFF_FFFE);
        // 0xFFFFFFFF is reserved, 0 means unset to Python, 2 is still in flight.
        assert_eq!(st.alloc_id(), 1);
        assert_eq!(st.alloc_id(), 3);
    }

    /// Answers every call at once with a 1 KiB body.
    struct Answer;

    impl Dispatch for Answer {
        fn dispatch(&self, _call: InboundCall) -> BoxFuture<Result<OutgoingResponse, Error>> {
            Box::pin(async {
                Ok(OutgoingResponse {
                    code: 0,
                    headers: TransportHeaders::new(),
                    arg2: Bytes::new(),
                    arg3: Bytes::from(vec![7u8; 1024]),
                })
            })
        }
    }

    /// A connection (without a handshake) and the raw socket of its peer.
    async fn pair(limits: Limits) -> (Connection, tokio::net::TcpStream) {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let raw = tokio::net::TcpStream::connect(l.local_addr().unwrap())
            .await
            .unwrap();
        let (s, addr) = l.accept().await.unwrap();
        let (rd, wr) = s.into_split();
        let cfg = ConnConfig {
            init_timeout: Duration::from_secs(5),
            max_message: 16 << 20,
            limits,
            stats: None,
            peer_tag: None,
        };
        let peer = PeerInfo::new("127.0.0.1:1", "test", addr);
        let conn = Connection::start(rd, wr, BytesMut::new(), peer, 0, &cfg, Arc::new(Answer));
        (conn, raw)
    }

    fn frame_bytes(frame_type: u8, id: u32, payload: &[u8]) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(&((16 + payload.len()) as u16).to_be_bytes());
        b.push(frame_type);
        b.push(0);
        b.extend_from_slice(&id.to_be_bytes());
        b.extend_from_slice(&[0; 8]);
        b.extend_from_slice(payload);
        b
    }

    /// Waits until the connection has handled everything sent before: a ping's answer comes
    /// after the answers to the frames before it.
    async fn sync(raw: &mut tokio::net::TcpStream) {
        use tokio::io::AsyncReadExt;
        raw.write_all(&frame_bytes(0xd0, 999_999, &[]))
            .await
            .unwrap();
        let mut buf = BytesMut::new();
        loop {
            while buf.len() >= 16 {
                let size = u16::from_be_bytes([buf[0], buf[1]]) as usize;
                if buf.len() < size {
                    break;
                }
                let f = buf.split_to(size);
                if f[2] == 0xd1 {
                    return;
                }
            }
            assert!(raw.read_buf(&mut buf).await.unwrap() > 0, "EOF");
        }
    }

    #[tokio::test]
    async fn malformed_and_refused_requests_leave_no_entries() {
        let (conn, mut raw) = pair(Limits::default()).await;
        let mut bytes = Vec::new();
        for id in 1..=1000u32 {
            // A call req cut after its ttl, and a continue for a request never started.
            bytes.extend_from_slice(&frame_bytes(0x03, id, &[1, 0, 0, 0x03, 0xe8]));
            bytes.extend_from_slice(&frame_bytes(0x13, 5000 + id, &[1]));
        }
        raw.write_all(&bytes).await.unwrap();
        sync(&mut raw).await;
        let st = conn.shared.lock();
        assert_eq!((st.inbound.len(), st.partial.len()), (0, 0));
    }

    /// Every way a partly received request ends gives its bytes back: completed, cancelled,
    /// expired, refused past the byte limit, bad.
    #[tokio::test(start_paused = true)]
    async fn partly_received_requests_give_their_bytes_back() {
        let limits = Limits {
            inbound_bytes: 100_000,
            ..Limits::default()
        };
        let (conn, mut raw) = pair(limits).await;
        let chunks = |parts: &[&[u8]]| {
            let mut c = Chunks::new();
            for p in parts {
                c.push(Bytes::copy_from_slice(p));
            }
            c
        };
        let first = |id: u32, ttl: u32, body: &[u8]| Frame {
            id,
            body: FrameBody::CallReq(CallReq {
                flags: FLAG_MORE_FRAGMENTS,
                ttl,
                service: Bytes::from_static(b"svc"),
                chunks: chunks(&[b"ep", b"", body]),
                ..Default::default()
            }),
        };
        let cont = |id: u32, flags: u8, body: &[u8]| Frame {
            id,
            body: FrameBody::CallReqContinue(CallContinue {
                flags,
                chunks: chunks(&[body]),
                ..Default::default()
            }),
        };
        let big = vec![0u8; 60_000];
        let mut b = BytesMut::new();
        for f in [
            // 1 completes, 2 is cancelled, 3 expires, 4 goes past the byte limit, 5 ends
            // with a bad frame (a fourth arg).
            first(1, 60_000, b"a"),
            cont(1, 0, b"b"),
            first(2, 60_000, b"a"),
            Frame {
                id: 2,
                body: FrameBody::Cancel(Cancel::default()),
            },
            first(3, 1_000, b"a"),
            first(4, 60_000, &big),
            cont(4, FLAG_MORE_FRAGMENTS, &big),
            first(5, 60_000, b"a"),
            Frame {
                id: 5,
                body: FrameBody::CallReqContinue(CallContinue {
                    flags: 0,
                    chunks: chunks(&[b"x", b"y"]),
                    ..Default::default()
                }),
            },
        ] {
            f.encode(&mut b).expect("encodes");
        }
        raw.write_all(&b).await.unwrap();
        sync(&mut raw).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        sync(&mut raw).await;
        let st = conn.shared.lock();
        assert_eq!(
            (st.inbound.len(), st.partial.len(), st.inbound_bytes),
            (0, 0, 0)
        );
    }

    /// A peer that sends calls and never reads their answers: once the answers queued pass
    /// the limit, the connection stops reading, so they stay within it (plus the answer of
    /// the one frame being handled).
    #[tokio::test]
    async fn answers_to_a_peer_that_never_reads_stay_bounded() {
        let limits = Limits {
            write_queue: 64 * 1024,
            ..Limits::default()
        };
        let (conn, mut raw) = pair(limits).await;
        let shared = conn.shared.clone();
        let max_seen = Arc::new(AtomicUsize::new(0));
        let seen = max_seen.clone();
        let watch = tokio::spawn(async move {
            loop {
                seen.fetch_max(shared.answers.load(Ordering::Relaxed), Ordering::Relaxed);
                tokio::task::yield_now().await;
            }
        });
        let req = |id: u32| {
            let mut chunks = Chunks::new();
            for a in [&b"ep"[..], b"", b""] {
                chunks.push(Bytes::copy_from_slice(a));
            }
            Frame {
                id,
                body: FrameBody::CallReq(CallReq {
                    ttl: 60_000,
                    service: Bytes::from_static(b"svc"),
                    chunks,
                    ..Default::default()
                }),
            }
            .to_bytes()
            .expect("encodes")
        };
        let mut id = 1;
        let mut written = 0;
        loop {
            let mut chunk = Vec::new();
            while chunk.len() < 64 * 1024 {
                chunk.extend_from_slice(&req(id));
                id += 1;
            }
            match tokio::time::timeout(Duration::from_millis(500), raw.write_all(&chunk)).await {
                Ok(r) => r.unwrap(),
                Err(_) => break,
            }
            written += chunk.len();
            assert!(written < 64 << 20, "the connection never stopped reading");
        }
        watch.abort();
        let max = max_seen.load(Ordering::Relaxed);
        assert!(max > limits.write_queue, "the limit was reached: {max}");
        assert!(
            max <= limits.write_queue + 2048,
            "{max} bytes of answers queued"
        );
        assert!(conn.shared.queued.load(Ordering::Relaxed) <= limits.write_queue + 2048);
    }

    fn outgoing(arg3: Bytes, deadline: Instant) -> OutgoingCall {
        OutgoingCall {
            service: Bytes::from_static(b"svc"),
            headers: TransportHeaders::new(),
            tracing: Tracing::default(),
            args: [Bytes::from_static(b"ep"), Bytes::new(), arg3],
            checksum: ChecksumType::None,
            deadline,
        }
    }

    /// A local call on a connection whose writer queue is over its limit (the peer does not
    /// read) waits for room until its deadline instead of adding to the queue.
    #[tokio::test]
    async fn a_call_waits_for_room_in_a_full_write_queue() {
        let limits = Limits {
            write_queue: 64 * 1024,
            ..Limits::default()
        };
        let (conn, _raw) = pair(limits).await;
        let c = conn.clone();
        let big = tokio::spawn(async move {
            let deadline = Instant::now() + Duration::from_secs(30);
            c.call(outgoing(Bytes::from(vec![1u8; 15 << 20]), deadline))
                .await
        });
        // Until the socket's buffers are full and the rest of the big request is queued.
        while conn.shared.queued.load(Ordering::Relaxed) <= limits.write_queue {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(conn.shared.queued.load(Ordering::Relaxed) > limits.write_queue);
        let queued = conn.shared.queued.load(Ordering::Relaxed);
        let deadline = Instant::now() + Duration::from_millis(200);
        let e = conn
            .call(outgoing(Bytes::from_static(b"small"), deadline))
            .await
            .unwrap_err();
        assert!(
            e.is_timeout() && e.to_string().contains("write queue"),
            "{e}"
        );
        assert!(conn.shared.queued.load(Ordering::Relaxed) <= queued);
        assert!(
            conn.shared.lock().outbound.len() == 1,
            "the small call never started"
        );
        big.abort();
    }

    /// A closed connection whose peer does not read: its writer gives up after the grace
    /// period, releasing the socket and what was queued.
    #[tokio::test(start_paused = true)]
    async fn a_closed_connections_writer_stuck_on_a_peer_that_never_reads_is_released() {
        let (conn, _raw) = pair(Limits::default()).await;
        let c = conn.clone();
        let big = tokio::spawn(async move {
            let deadline = Instant::now() + Duration::from_secs(30);
            c.call(outgoing(Bytes::from(vec![1u8; 15 << 20]), deadline))
                .await
        });
        while conn.shared.queued.load(Ordering::Relaxed) <= 1 << 20 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        conn.shared.close(
            Error::new(crate::error::Kind::Closed, "closed by the test"),
            None,
        );
        assert!(big.await.unwrap().unwrap_err().is_closed());
        tokio::time::sleep(CLOSE_GRACE + Duration::from_secs(1)).await;
        // Only this handle is left: the reader and the writer have let go of it.
        assert_eq!(Arc::strong_count(&conn.shared), 1);
    }

    /// Whatever ends the reader (here an abort, as a panic would), the connection closes and
    /// its pending calls fail at once instead of waiting for their deadlines.
    #[tokio::test(start_paused = true)]
    async fn a_reader_that_ends_abnormally_closes_the_connection() {
        let (conn, _raw) = pair(Limits::default()).await;
        let reader = conn.shared.lock().reader.clone().unwrap();
        let c = conn.clone();
        let start = Instant::now();
        let call = tokio::spawn(async move {
            c.call(outgoing(
                Bytes::new(),
                Instant::now() + Duration::from_secs(60),
            ))
            .await
        });
        tokio::time::sleep(Duration::from_millis(10)).await;
        reader.abort();
        let e = call.await.unwrap().unwrap_err();
        assert!(e.is_closed(), "{e}");
        assert!(start.elapsed() < Duration::from_secs(1));
        assert!(conn.is_closed());
    }

    #[test]
    fn a_read_buffer_is_unique_only_when_no_frame_points_into_it() {
        let mut buf = ReadBuf::with_capacity(1024);
        buf.extend_from_slice(&[1; 100]);
        let frame = buf.split_to(100).freeze();
        assert!(buf.is_empty());
        assert!(!is_unique(&mut buf), "a frame still points into it");
        drop(frame);
        assert!(is_unique(&mut buf));
    }

    #[test]
    fn ephemeral_host_ports() {
        for hp in ["0.0.0.0:0", "10.1.2.3:0", ""] {
            assert!(is_ephemeral(hp), "{hp}");
        }
        assert!(!is_ephemeral("127.0.0.1:4040"));
    }
}
