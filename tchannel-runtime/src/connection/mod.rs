//! One TChannel connection: the init handshake, then one reader task and one writer task.
//!
//! The reader cuts the socket into frames and routes each one: call frames of requests into
//! the inbound table (a handler task is spawned once a request's args are complete),
//! response frames into the outbound table (the waiting caller is woken once its response is
//! complete), pings answered in place. Frames are encoded as they are sent, straight into
//! the connection's write buffer; the writer takes the whole buffer and writes it with one
//! syscall, so frames from many calls are batched. Calls never touch the socket themselves.
//!
//! Every call ends exactly once: with its response, with an error frame, with a local
//! timeout, or with the error that closed the connection.
//!
//! Everything a peer can make grow is bounded ([`Limits`]): inbound calls in flight and partly
//! received requests (past either, a new call is answered Busy; a partly received request
//! expires at its ttl), and the writer queue, in bytes: while the answers queued for the peer
//! are over the limit, the reader stops reading (TCP then pushes the peer back). A request that
//! is refused leaves no state. However the reader or writer task ends, the connection closes.

mod close;
mod handshake;
mod inbound;
mod io;
mod outbound;
pub(crate) use outbound::CallWait;
mod stream;
mod table;
mod transport;

pub(crate) use handshake::LocalInfo;
pub use handshake::PROTOCOL_VERSION;
pub(crate) use stream::{OutboundGuard, StreamSink, StreamSource, FINISHED as SINK_FINISHED};

use crate::checksum::ChecksumType;
use crate::error::{Error, ErrorCode};
use crate::fragment::{
    one_frame_request, one_frame_response, ArgReader, FirstFrame, FragmentError, Fragmenter,
    OneFrame, StreamCheck, Whole,
};
use crate::frame::{
    CallReq, CallRes, Cancel, Chunks, ErrorFrame, Frame, FrameBody, FrameCodec, Tracing,
    TransportHeaders, FLAG_MORE_FRAGMENTS, NO_ID,
};
use bytes::{Bytes, BytesMut};
use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;
use stream::{Delivery, StreamItem, StreamTx};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::{oneshot, Notify, OwnedSemaphorePermit, Semaphore};
use tokio::task::AbortHandle;
use tokio::time::Instant;

use close::*;
use io::*;
use table::*;
#[cfg(feature = "tls")]
pub(crate) use transport::BoxIo;
pub(crate) use transport::Upgrade;
use transport::{ReadHalf, WriteHalf};

pub(crate) type ReadBuf = BytesMut;
pub(crate) type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

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

/// What [`Connection::snapshot`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ConnSnapshot {
    /// This side opened the connection.
    pub outgoing: bool,
    /// Outbound calls (and streams) in the table, waiting for their response.
    pub outbound_calls: usize,
    /// Inbound calls in the table: running, streaming or still arriving.
    pub inbound_calls: usize,
    /// Bytes of args held by inbound calls (see `Limits::inbound_bytes`).
    pub inbound_bytes: usize,
    /// Bytes of frames queued for the writer and not yet written.
    pub write_queue_bytes: usize,
    /// Declining new inbound calls: the channel is closing.
    pub closing: bool,
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
    /// The time left when the attempt began (`deadline` less the caller's one clock read):
    /// the ttl sent.
    pub ttl: Duration,
}

/// An [`OutgoingCall`] lent rather than given ([`Connection::try_call`]): the one frame of a
/// whole request is written from it, so a call's future keeps its request where it is.
pub(crate) struct CallParts<'a> {
    pub service: &'a Bytes,
    pub headers: &'a TransportHeaders,
    pub tracing: Tracing,
    pub args: [&'a Bytes; 3],
    pub checksum: ChecksumType,
    pub deadline: Instant,
    /// As [`OutgoingCall::ttl`].
    pub ttl: Duration,
}

/// Where an outbound call's result arrives.
type ResultRx = oneshot::Receiver<Result<CallResult, Error>>;

/// A complete response.
#[derive(Debug)]
pub(crate) struct CallResult {
    pub code: u8,
    pub headers: TransportHeaders,
    /// arg2 and arg3 (a response's arg1 is not used): the result fits in 128 bytes, so that
    /// its moves through the oneshot are a few vector stores rather than `memcpy` calls.
    pub args: [Bytes; 2],
}

struct Shared {
    peer: Arc<PeerInfo>,
    /// This side opened the connection (`connect`), rather than accepted it.
    outgoing: bool,
    /// The writer queue (see [`WriteQueue`]).
    out: Mutex<WriteQueue>,
    state: Mutex<State>,
    dispatch: Arc<dyn Dispatch>,
    max_message: usize,
    limits: Limits,
    /// Bytes of frames queued for the writer and not yet written (their encoded length).
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
    /// The earliest deadline of a partly received request (`State::partial`), which the
    /// reader looks at before each read without taking the state lock.
    next_expiry: Arc<NextExpiry>,
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
    /// Connects to `addr`, upgrades the socket (to TLS) if told, and completes the handshake.
    pub(crate) async fn connect(
        addr: SocketAddr,
        local: &LocalInfo,
        cfg: &ConnConfig,
        dispatch: Arc<dyn Dispatch>,
        upgrade: Option<Upgrade>,
    ) -> Result<Connection, Error> {
        // One `init_timeout` covers the TCP connect, the TLS handshake if any, and the init
        // handshake together.
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
        let (mut rd, mut wr) =
            match tokio::time::timeout_at(limit, transport::split(stream, upgrade)).await {
                Ok(r) => r?,
                Err(_) => {
                    return Err(Error::timeout(format!(
                        "TLS handshake with {addr} did not finish within the {}ms init timeout",
                        cfg.init_timeout.as_millis()
                    )))
                }
            };
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

    /// Upgrades an accepted socket (to TLS) if told, and completes the handshake.
    pub(crate) async fn accept(
        stream: TcpStream,
        local: &LocalInfo,
        cfg: &ConnConfig,
        dispatch: Arc<dyn Dispatch>,
        upgrade: Option<Upgrade>,
    ) -> Result<Connection, Error> {
        let addr = stream.peer_addr()?;
        let _ = stream.set_nodelay(true);
        let upgraded = tokio::time::timeout(cfg.init_timeout, transport::split(stream, upgrade));
        let (mut rd, mut wr) = match upgraded.await {
            Ok(r) => r?,
            Err(_) => {
                return Err(Error::timeout(format!(
                    "TLS handshake from {addr} did not finish within the {}ms init timeout",
                    cfg.init_timeout.as_millis()
                )))
            }
        };
        let (peer, buf) =
            handshake::respond(&mut rd, &mut wr, local, addr, cfg.init_timeout).await?;
        Ok(Self::start(rd, wr, buf, peer, 0, cfg, dispatch))
    }

    fn start(
        rd: ReadHalf,
        wr: WriteHalf,
        buf: ReadBuf,
        peer: PeerInfo,
        first_id: u32,
        cfg: &ConnConfig,
        dispatch: Arc<dyn Dispatch>,
    ) -> Connection {
        let stats = cfg.stats.as_deref().map(|s| {
            let tag = cfg.peer_tag.clone().unwrap_or_else(|| peer.stats_tag());
            let s = crate::reporter::ConnStats::new(s, tag);
            // Read with the init frame, but not part of it.
            if !buf.is_empty() {
                s.bytes_recvd(buf.len());
            }
            s
        });
        let state = State {
            next_id: first_id,
            ..State::default()
        };
        let next_expiry = state.partial.next();
        let shared = Arc::new(Shared {
            next_expiry,
            peer: Arc::new(peer),
            // `connect` numbers its calls from 1, `accept` from 0.
            outgoing: first_id != 0,
            // Bounded in bytes by `queued` and `answers`, not by waiting (senders that cannot
            // wait, such as a cancel in a destructor, must never fail or block).
            out: Mutex::new(WriteQueue::default()),
            state: Mutex::new(state),
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
        let writer = tokio::spawn(write_loop(shared.clone(), wr));
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

    /// How many calls this connection has begun either way (pings aside), if none is in
    /// flight now, nor a ping; `None` while one is. The idle sweep reads it: the same count
    /// twice means no call came and went in between. (Pings keep no connection open past its
    /// idle time, as they are not counted, but the sweep never fails one in flight.)
    pub(crate) fn idle_count(&self) -> Option<u64> {
        let st = self.shared.lock();
        (st.is_idle() && st.pings.is_empty()).then_some(st.begun)
    }

    /// What the connection is doing now, for introspection: read only, one lock.
    pub(crate) fn snapshot(&self) -> ConnSnapshot {
        let sh = &self.shared;
        let st = sh.lock();
        ConnSnapshot {
            outgoing: sh.outgoing,
            outbound_calls: st.outbound.len(),
            inbound_calls: st.inbound.len(),
            inbound_bytes: st.inbound_bytes,
            write_queue_bytes: sh.queued.load(Ordering::Relaxed),
            closing: st.closing,
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
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the tables half-updated in a way that
        // matters more than losing the connection, so recover the guard.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
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

    /// The idle sweep leaves a connection with a ping in flight (its peer here never
    /// answers): the ping ends at its own timeout, not with the connection. A ping is not
    /// counted as a call, so once it has ended the sweep closes the connection at the count
    /// it saw before. A dropped ping future leaves no entry behind.
    #[tokio::test(start_paused = true)]
    async fn the_idle_sweep_waits_for_a_ping_in_flight() {
        let (conn, _peer) = pair(Limits::default()).await;
        let begun = conn.idle_count().expect("a new connection is idle");
        let pinging = conn.clone();
        let ping = tokio::spawn(async move { pinging.ping(Duration::from_secs(5)).await });
        while conn.shared.lock().pings.is_empty() {
            tokio::task::yield_now().await;
        }
        assert_eq!(conn.idle_count(), None);
        assert!(!conn.close_if_idle(begun, Error::network("idle")));
        let e = ping.await.unwrap().unwrap_err();
        assert!(e.is_timeout(), "{e}");
        assert!(!conn.is_closed());
        assert_eq!(conn.idle_count(), Some(begun));

        // A ping whose future is dropped before its answer.
        let mut dropped = Box::pin(conn.ping(Duration::from_secs(5)));
        assert!(futures_util::poll!(dropped.as_mut()).is_pending());
        assert_eq!(conn.shared.lock().pings.len(), 1);
        drop(dropped);
        assert_eq!(conn.shared.lock().pings.len(), 0);
        assert!(conn.close_if_idle(begun, Error::network("idle")));
        assert!(conn.is_closed());
    }

    /// A connection (without a handshake) and the raw socket of its peer.
    async fn pair(limits: Limits) -> (Connection, tokio::net::TcpStream) {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let raw = tokio::net::TcpStream::connect(l.local_addr().unwrap())
            .await
            .unwrap();
        let (s, addr) = l.accept().await.unwrap();
        let (rd, wr) = transport::split_tcp(s);
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

    /// A connection with a 64 KiB write queue to a peer that does not read, and a 15 MiB
    /// request on it (`timeout` from now) that has filled the socket's buffers and the queue.
    async fn a_big_call_on_a_full_queue(
        timeout: Duration,
    ) -> (
        Connection,
        tokio::net::TcpStream,
        Limits,
        tokio::task::JoinHandle<Result<CallResult, Error>>,
    ) {
        let limits = Limits {
            write_queue: 64 * 1024,
            ..Limits::default()
        };
        let (conn, raw) = pair(limits).await;
        let c = conn.clone();
        let big = tokio::spawn(async move {
            let deadline = Instant::now() + timeout;
            c.call(outgoing(Bytes::from(vec![1u8; 15 << 20]), deadline))
                .await
        });
        // Until the socket's buffers are full and the big request's frames fill the queue.
        while conn.shared.queued.load(Ordering::Relaxed) <= limits.write_queue {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        (conn, raw, limits, big)
    }

    #[tokio::test]
    async fn a_large_request_to_a_peer_that_does_not_read_keeps_the_queue_bounded() {
        let (conn, _raw, limits, big) =
            a_big_call_on_a_full_queue(Duration::from_millis(500)).await;
        // Its frames are queued one at a time while there is room: at most one frame
        // (64 KiB) past the limit, not the whole 15 MiB.
        let queued = conn.shared.queued.load(Ordering::Relaxed);
        assert!(
            queued <= limits.write_queue + 64 * 1024,
            "{queued} bytes queued"
        );
        let e = big.await.unwrap().unwrap_err();
        assert!(
            e.is_timeout() && e.to_string().contains("write queue"),
            "{e}"
        );
        // Given up: forgotten (the peer is told with a cancel).
        assert!(conn.shared.lock().outbound.is_empty());
    }

    fn outgoing(arg3: Bytes, deadline: Instant) -> OutgoingCall {
        OutgoingCall {
            service: Bytes::from_static(b"svc"),
            headers: TransportHeaders::new(),
            tracing: Tracing::default(),
            args: [Bytes::from_static(b"ep"), Bytes::new(), arg3],
            checksum: ChecksumType::None,
            deadline,
            ttl: deadline.saturating_duration_since(Instant::now()),
        }
    }

    /// A local call on a connection whose writer queue is over its limit (the peer does not
    /// read) waits for room until its deadline instead of adding to the queue.
    #[tokio::test]
    async fn a_call_waits_for_room_in_a_full_write_queue() {
        let (conn, _raw, limits, big) = a_big_call_on_a_full_queue(Duration::from_secs(30)).await;
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

    /// Starts a whole call that waits (the peer never answers) and returns its id.
    async fn a_waiting_call(
        conn: &Connection,
    ) -> (u32, tokio::task::JoinHandle<Result<CallResult, Error>>) {
        let c = conn.clone();
        let call = tokio::spawn(async move {
            c.call(outgoing(
                Bytes::new(),
                Instant::now() + Duration::from_secs(60),
            ))
            .await
        });
        loop {
            let id = {
                let st = conn.shared.lock();
                let id = st.outbound.iter().find_map(|(id, call)| {
                    matches!(call.waiter, Waiter::Whole(Some(_))).then_some(id)
                });
                id
            };
            if let Some(id) = id {
                return (id, call);
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    /// A whole call's result waits in its entry for its future: a close that comes between
    /// does not replace it, and the future takes it with the entry.
    #[tokio::test(start_paused = true)]
    async fn a_result_in_before_the_close_is_the_calls_and_its_entry_goes_with_it() {
        let (conn, _raw) = pair(Limits::default()).await;
        let (id, call) = a_waiting_call(&conn).await;
        // The call's task does not run between these two (nothing here yields).
        conn.shared.on_error(
            id,
            ErrorFrame::new(ErrorCode::Busy, Tracing::default(), "try later"),
        );
        conn.shared.close(
            Error::new(crate::error::Kind::Closed, "closed by the test"),
            None,
        );
        let e = call.await.unwrap().unwrap_err();
        assert!(e.is_busy(), "{e}");
        assert!(conn.shared.lock().outbound.is_empty());
        assert_eq!(conn.pending(), 0);
    }

    /// A call future dropped while it waits, or after its result came in but before it took
    /// it, leaves no entry behind.
    #[tokio::test(start_paused = true)]
    async fn a_dropped_call_future_leaves_no_entry_whether_or_not_its_result_was_in() {
        let (conn, _raw) = pair(Limits::default()).await;
        for result_in in [false, true] {
            let (id, call) = a_waiting_call(&conn).await;
            assert_eq!(conn.pending(), 1);
            if result_in {
                conn.shared.on_error(
                    id,
                    ErrorFrame::new(ErrorCode::Busy, Tracing::default(), "try later"),
                );
                assert!(matches!(
                    conn.shared.lock().outbound.iter().next(),
                    Some((_, c)) if matches!(c.waiter, Waiter::Ready(_))
                ));
            }
            call.abort();
            assert!(call.await.unwrap_err().is_cancelled());
            assert!(conn.shared.lock().outbound.is_empty(), "{result_in}");
            assert_eq!(conn.pending(), 0);
        }
        // The connection still serves calls, and a closed one fails those waiting.
        let (_, call) = a_waiting_call(&conn).await;
        conn.shared.close(
            Error::new(crate::error::Kind::Closed, "closed by the test"),
            None,
        );
        assert!(call.await.unwrap().unwrap_err().is_closed());
        assert!(conn.shared.lock().outbound.is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn the_earliest_expiry_is_readable_without_the_lock_and_follows_the_set() {
        let mut p = Expiries::default();
        let next = p.next();
        assert_eq!(next.get(), None);
        let now = Instant::now();
        let (a, b) = (now + Duration::from_millis(5), now + Duration::from_secs(3));
        p.insert(b, 2);
        assert_eq!(next.get(), Some(b));
        p.insert(a, 1);
        assert_eq!(next.get(), Some(a));
        p.remove(a, 1);
        assert_eq!(next.get(), Some(b));
        p.remove(a, 1); // gone already: nothing changes
        assert_eq!(next.get(), Some(b));
        p.clear();
        assert_eq!(next.get(), None);
    }

    #[tokio::test]
    async fn a_frame_that_does_not_encode_is_dropped_whole_and_counts_nothing() {
        use tokio::io::AsyncReadExt;
        let (conn, mut raw) = pair(Limits::default()).await;
        let sh = &conn.shared;
        let ping = |id| Frame {
            id,
            body: FrameBody::PingRes,
        };
        // Frames are encoded as they are sent, straight into the write buffer: one whose
        // service is over its 255-byte field is refused there, between two that are not.
        let bad = Frame {
            id: 2,
            body: FrameBody::CallReq(CallReq {
                ttl: 1,
                service: Bytes::from(vec![b's'; 256]),
                ..Default::default()
            }),
        };
        sh.send(ping(1));
        let queued = sh.queued.load(Ordering::Relaxed);
        sh.send(bad);
        assert_eq!(sh.queued.load(Ordering::Relaxed), queued, "nothing counted");
        sh.send(ping(3));
        let mut got = [0u8; 32];
        raw.read_exact(&mut got).await.unwrap();
        for (i, id) in [(0, 1u32), (16, 3)] {
            assert_eq!(&got[i..i + 4], &[0, 16, 0xd1, 0], "frame header at {i}");
            assert_eq!(&got[i + 4..i + 8], &id.to_be_bytes());
        }
        // Once written, the queue's bytes are counted out again.
        sync(&mut raw).await;
        while sh.queued.load(Ordering::Relaxed) != 0 {
            tokio::task::yield_now().await;
        }
        assert_eq!(sh.answers.load(Ordering::Relaxed), 0);
        // After the close, frames are dropped, not queued.
        conn.close_now(Error::network("test"));
        assert!(!sh.enqueue(&ping(4), None));
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
