//! The reader and writer tasks and what they share: the writer queue (its byte bounds and
//! back-pressure), the read buffer and the write buffer.

use super::*;

/// Stop adding frames to one write once this much is buffered.
pub(super) const MAX_WRITE_BATCH: usize = 256 * 1024;
/// The most write buffer an idle connection keeps: enough for the frames of small calls, so
/// that calls one at a time do not regrow it for each. A buffer that grew larger is released
/// once the connection has had no call in flight for [`IDLE_WRITE_RELEASE`].
pub(super) const IDLE_WRITE_BUFFER: usize = 4 * 1024;
/// How long an idle connection keeps a write buffer larger than [`IDLE_WRITE_BUFFER`] before
/// giving it back (batches of calls that follow each other closer than this reuse it).
pub(super) const IDLE_WRITE_RELEASE: Duration = Duration::from_secs(1);

/// What the reader reserves when its buffer is low: the buffer is only allocated once the
/// socket is readable, and released while the connection is idle.
pub(super) const READ_CHUNK: usize = 64 * 1024;

// Frames travel to the writer by value: boxing them would cost an allocation per frame.
#[allow(clippy::large_enum_variant)]
pub(super) enum Out {
    /// A frame and what it counts for in the queue (see [`Shared::count_queued`]).
    Frame(Frame, Cost),
    /// A frame of a streamed message, with its share of the stream budget (released once
    /// written).
    Budgeted(Frame, Cost, OwnedSemaphorePermit),
    Close,
}

/// What a queued frame counts for: its bytes (`queue_cost`), and whether they are an answer's.
#[derive(Clone, Copy)]
pub(super) struct Cost {
    pub(super) bytes: u32,
    pub(super) answer: bool,
}

impl Shared {
    pub(super) fn send(&self, frame: Frame) {
        let cost = self.count_queued(&frame);
        let _ = self.out.send(Out::Frame(frame, cost));
    }

    /// Counts a frame into the writer queue's bytes; the writer counts the same cost out once
    /// the frame is written.
    pub(super) fn count_queued(&self, frame: &Frame) -> Cost {
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

    pub(super) fn answers_over_limit(&self) -> bool {
        self.answers.load(Ordering::Relaxed) > self.limits.write_queue
    }

    /// Waits until the writer queue is within its limit (or the connection closes), until
    /// `deadline`.
    pub(super) async fn wait_for_room(&self, deadline: Instant) -> Result<(), Error> {
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

    pub(super) fn send_error(&self, id: u32, code: ErrorCode, tracing: Tracing, message: &str) {
        self.send(Frame {
            id,
            body: FrameBody::Error(ErrorFrame::new(code, tracing, message)),
        });
    }
}

/// What a frame counts for in the writer queue: its args, plus an allowance for its
/// transport headers (each at most 16 + 255 bytes, usually a few short ones) and for the rest
/// (the frame's fixed fields and the queue slot). A frame is at most 64 KiB, so this fits a
/// `u32`.
pub(super) fn queue_cost(frame: &Frame) -> usize {
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
pub(super) fn is_answer(frame: &Frame) -> bool {
    matches!(
        frame.body,
        FrameBody::CallRes(_)
            | FrameBody::CallResContinue(_)
            | FrameBody::Error(_)
            | FrameBody::PingRes
    )
}

/// Reads frames and routes them until the socket ends. It reads only while the answers
/// queued for the peer are within their limit (a peer that does not read is pushed back by
/// TCP), expires partly received requests at their deadlines, and holds no read buffer
/// while the socket is idle.
pub(super) async fn read_loop(shared: Arc<Shared>, rd: OwnedReadHalf, buf: ReadBuf) {
    let _guard = CloseOnDrop(&shared, "reader");
    let (reason, error) = read_frames(&shared, rd, buf).await;
    shared.close(reason, error);
}

pub(super) async fn read_frames(
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
pub(super) fn is_unique(buf: &mut ReadBuf) -> bool {
    // Asking for one byte more than the handle's capacity without allocating succeeds only
    // by reclaiming the allocation, which is possible only for its only handle (a buffer
    // nothing was split from yet reports false: it is kept, which is harmless).
    let rem = buf.capacity() - buf.len();
    buf.try_reclaim(rem + 1)
}

/// One non-blocking read into `buf`; None if the socket has nothing.
pub(super) fn try_read(rd: &OwnedReadHalf, buf: &mut ReadBuf) -> Option<std::io::Result<usize>> {
    match rd.try_read_buf(buf) {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => None,
        r => Some(r),
    }
}

pub(super) fn read_error(shared: &Shared, e: std::io::Error) -> Error {
    Error::network(format!(
        "reading from {} failed: {e}",
        shared.peer.host_port
    ))
    .with_source(e)
}

pub(super) async fn sleep_until_some(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

/// Waits until the answers queued for the peer are back within their limit, or the
/// connection closes; partly received requests still expire meanwhile.
pub(super) async fn wait_for_answers_room(shared: &Shared) {
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
pub(super) fn batch(
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

pub(super) async fn write_loop(
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
