//! The reader and writer tasks and what they share: the writer queue (its byte bounds and
//! back-pressure), the read buffer and the write buffer.

use super::*;

/// A request larger than this is queued a frame at a time, each once the writer queue has
/// room; a writer buffer larger than twice this is given back even while calls are in flight.
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
/// How long a connection keeps an emptied read buffer after its last read (calls that follow
/// each other closer than this reuse it; an idle connection then holds none).
pub(super) const IDLE_READ_RELEASE: Duration = Duration::from_secs(1);

/// The writer queue: frames already encoded, in order, waiting for the writer task to write
/// them with one syscall. Senders encode straight into `buf` (under the lock, which is held
/// for that and nothing else: a sender never waits for the writer, nor fails but after a
/// close); the writer swaps `buf` for its own empty buffer and writes it without the lock.
/// Bounded in bytes by `Shared::queued` and `Shared::answers`.
#[derive(Default)]
pub(super) struct WriteQueue {
    pub(super) buf: BytesMut,
    /// What `buf` counts for in `queued` and in `answers` (the writer counts it out once
    /// written).
    pub(super) costs: (usize, usize),
    /// The stream budget held by the streamed frames in `buf`: released once written.
    pub(super) permits: Vec<OwnedSemaphorePermit>,
    /// The connection closed: write what is queued, then shut the socket. Frames sent
    /// later are dropped.
    pub(super) close: bool,
    /// The writer, waiting for a frame.
    pub(super) waker: Option<Waker>,
}

impl Shared {
    pub(super) fn send(&self, frame: Frame) {
        self.enqueue(&frame, None);
    }

    /// Encodes a frame at the end of the writer queue and counts its bytes into `queued`
    /// (and `answers` for an answer); the writer counts them out once written. `permit` is a
    /// streamed frame's share of the stream budget, held until then. False if the
    /// connection has closed (the frame is dropped).
    pub(super) fn enqueue(&self, frame: &Frame, permit: Option<OwnedSemaphorePermit>) -> bool {
        self.enqueue_with(is_answer(frame), frame.id, permit, |buf| frame.encode(buf))
    }

    /// Queues a whole message that fits one frame, encoded straight into the write buffer.
    pub(super) fn send_one(&self, frame: &OneFrame) {
        self.enqueue_with(frame.is_response(), frame.id(), None, |buf| {
            frame.encode(buf)
        });
    }

    /// As [`enqueue`](Self::enqueue), for a frame that `encode` appends to the write buffer
    /// (all of it, or nothing on an error); `answer` says whether it answers the peer.
    #[inline]
    pub(super) fn enqueue_with(
        &self,
        answer: bool,
        id: u32,
        permit: Option<OwnedSemaphorePermit>,
        encode: impl FnOnce(&mut BytesMut) -> Result<(), crate::frame::EncodeError>,
    ) -> bool {
        let mut q = self.out.lock().unwrap_or_else(|p| p.into_inner());
        if q.close {
            return false;
        }
        if q.buf.capacity() == 0 {
            q.buf.reserve(IDLE_WRITE_BUFFER);
        }
        let start = q.buf.len();
        // Every frame was checked where it was built (the fragmenter, `ErrorFrame::new`): one
        // that still does not encode is dropped whole (the encoder writes nothing then),
        // never written truncated.
        if let Err(e) = encode(&mut q.buf) {
            tracing::error!(id, "frame not sent: {e}");
            return true;
        }
        let n = q.buf.len() - start;
        q.costs.0 += n;
        // Counted under the lock, so the writer never counts out bytes not yet counted in.
        self.queued.fetch_add(n, Ordering::Relaxed);
        if answer {
            q.costs.1 += n;
            self.answers.fetch_add(n, Ordering::Relaxed);
        }
        if let Some(p) = permit {
            q.permits.push(p);
        }
        let waker = q.waker.take();
        drop(q);
        if let Some(w) = waker {
            w.wake();
        }
        true
    }

    /// Ready when the writer queue holds something to write, or the connection has closed.
    fn poll_queued(&self, cx: &mut Context<'_>) -> Poll<()> {
        let mut q = self.out.lock().unwrap_or_else(|p| p.into_inner());
        if !q.buf.is_empty() || q.close {
            return Poll::Ready(());
        }
        match &q.waker {
            Some(w) if w.will_wake(cx.waker()) => {}
            _ => q.waker = Some(cx.waker().clone()),
        }
        Poll::Pending
    }

    /// Tells the writer to write what is queued and then shut the socket.
    pub(super) fn close_queue(&self) {
        let mut q = self.out.lock().unwrap_or_else(|p| p.into_inner());
        q.close = true;
        let waker = q.waker.take();
        drop(q);
        if let Some(w) = waker {
            w.wake();
        }
    }

    pub(super) fn answers_over_limit(&self) -> bool {
        self.answers.load(Ordering::Relaxed) > self.limits.write_queue
    }

    /// The write queue is within its limit (or the connection is closed: then nothing
    /// will wait for room).
    #[inline]
    pub(super) fn has_room(&self) -> bool {
        self.queued.load(Ordering::Relaxed) <= self.limits.write_queue
            || self.closed.load(Ordering::Acquire)
    }

    /// Waits until the writer queue is within its limit (or the connection closes), until
    /// `deadline`.
    pub(super) async fn wait_for_room(&self, deadline: Instant) -> Result<(), Error> {
        let has_room = || self.has_room();
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
pub(super) async fn read_loop(shared: Arc<Shared>, rd: ReadHalf, buf: ReadBuf) {
    let _guard = CloseOnDrop(&shared, "reader");
    let (reason, error) = read_frames(&shared, rd, buf).await;
    shared.close(reason, error);
}

pub(super) async fn read_frames(
    shared: &Arc<Shared>,
    mut rd: ReadHalf,
    mut buf: ReadBuf,
) -> (Error, Option<&'static str>) {
    // Releases an emptied read buffer once the socket has stayed idle for IDLE_READ_RELEASE
    // (armed when the buffer empties; extending a registered timer costs no lock).
    let release = tokio::time::sleep_until(Instant::now());
    tokio::pin!(release);
    let mut armed = false;
    // Whether the buffer was read into since it was allocated (the handshake's is released
    // at once, as an idle connection's should be).
    let mut used = false;
    loop {
        loop {
            if shared.answers_over_limit() {
                // The peer is not reading its answers: stop reading its frames until it does.
                wait_for_answers_room(shared).await;
                if shared.closed.load(Ordering::Acquire) {
                    return (shared.close_reason(), None);
                }
            }
            // As `FrameCodec::decode`, with a whole and valid call req (nearly every frame a
            // server reads) handed on as it is decoded, not wrapped in a `Frame` first.
            let (frame_type, id, payload) = match FrameCodec::split(&mut buf) {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(e) => {
                    shared.fatal(NO_ID, e.to_string());
                    return (shared.close_reason(), None);
                }
            };
            if let Some(d) = on_frame(shared, frame_type, id, payload) {
                // A streamed message's consumer is behind: wait for it (see `stream`).
                d.deliver(shared).await;
            }
        }
        // Read what is there; otherwise wait for the socket (without a buffer when there is
        // nothing partial in it) or for the next partly received request to expire.
        // (Expiry is also checked here, so a peer that keeps the reader busy does not keep
        // its partly received requests past their deadlines.)
        let expiry = shared.next_expiry.get();
        if expiry.is_some_and(|d| d <= Instant::now()) {
            shared.expire_partial(Instant::now());
            continue;
        }
        let mut read = None;
        if buf.capacity() - buf.len() >= 8 * 1024 {
            read = rd.try_read(&mut buf);
        }
        if read.is_none() {
            if !armed && buf.is_empty() && buf.capacity() > 0 && is_unique(&mut buf) {
                // Nothing refers to the buffer any more: an idle connection holds none, but
                // one that calls keep coming to keeps it for IDLE_READ_RELEASE, so that it
                // is not allocated again for each call. (One that frames still point into
                // is kept, so that the next frames share it instead of each pinning a
                // buffer of its own.)
                if used {
                    release.as_mut().reset(Instant::now() + IDLE_READ_RELEASE);
                    armed = true;
                } else {
                    buf = ReadBuf::new();
                }
            }
            tokio::select! {
                // (A TCP socket is only waited for; another stream, such as a TLS session,
                // is read here.)
                r = rd.wait(&mut buf, 8 * 1024, READ_CHUNK) => match r {
                    Ok(n) => read = n.map(Ok),
                    Err(e) => return (read_error(shared, e), Some("network-error")),
                },
                _ = sleep_until_some(expiry) => {
                    shared.expire_partial(Instant::now());
                    continue;
                }
                _ = &mut release, if armed => {
                    armed = false;
                    if buf.is_empty() {
                        buf = ReadBuf::new();
                        used = false;
                    }
                    continue;
                }
            }
            if read.is_none() {
                if buf.capacity() - buf.len() < 8 * 1024 {
                    buf.reserve(READ_CHUNK);
                }
                read = rd.try_read(&mut buf);
            }
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
                armed = false;
                used = true;
                if let Some(s) = &shared.stats {
                    s.bytes_recvd(n);
                }
            }
            Some(Err(e)) => return (read_error(shared, e), Some("network-error")),
        }
    }
}

/// Hands on one frame read: a whole and valid call req (nearly every frame a server reads)
/// or call res (a client's) as it is decoded, any other as a `Frame`. A plain function rather than part of the read
/// loop's state machine (whose locals live in its future): the decoded request is handed to
/// `on_call_req` from this function's frame. (Measured: 25 instructions per call less;
/// inlining `on_call_req` here or into the loop costs 40 to 50 more.)
fn on_frame(shared: &Arc<Shared>, frame_type: u8, id: u32, payload: Bytes) -> Option<Delivery> {
    let req = if frame_type == crate::frame::types::CALL_REQ {
        CallReq::decode_fast(payload)
    } else {
        Err(payload)
    };
    match req {
        Ok(req) => shared.on_call_req(id, req),
        Err(payload) => {
            // And a whole and valid call res (nearly every frame a client reads), likewise.
            let res = if frame_type == crate::frame::types::CALL_RES {
                CallRes::decode_fast(payload)
            } else {
                Err(payload)
            };
            match res {
                Ok(res) => shared.on_call_res(id, res),
                Err(payload) => match Frame::decode(frame_type, id, payload) {
                    Ok(f) => shared.handle(f),
                    Err(error) => {
                        shared.on_malformed(frame_type, id, error);
                        None
                    }
                },
            }
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
        let expiry = shared.next_expiry.get();
        tokio::select! {
            _ = room => {}
            _ = sleep_until_some(expiry) => shared.expire_partial(Instant::now()),
        }
    }
}

/// Writes what the senders queued, a batch at a time, until the connection closes.
pub(super) async fn write_loop(shared: Arc<Shared>, mut wr: WriteHalf) {
    let _guard = CloseOnDrop(&shared, "writer");
    // The buffer being written; it and the queue's swap places at each batch. Both are
    // allocated when there is something to write; a connection idle for IDLE_WRITE_RELEASE
    // keeps at most IDLE_WRITE_BUFFER of each.
    let mut buf = BytesMut::new();
    let mut permits = Vec::new();
    loop {
        if !shared.has_queued() {
            let idle = shared.pending.load(Ordering::Relaxed)
                + shared.running.load(Ordering::Relaxed)
                == 0;
            if idle {
                permits = Vec::new();
                if buf.capacity() > IDLE_WRITE_BUFFER || shared.queue_capacity() > IDLE_WRITE_BUFFER
                {
                    // No call in flight either way: a buffer that grew past
                    // IDLE_WRITE_BUFFER goes back once the connection has stayed idle for
                    // IDLE_WRITE_RELEASE, so that batches that follow each other do not
                    // regrow it each time. (A smaller one is kept.)
                    let wait = std::future::poll_fn(|cx| shared.poll_queued(cx));
                    if tokio::time::timeout(IDLE_WRITE_RELEASE, wait)
                        .await
                        .is_err()
                    {
                        if buf.capacity() > IDLE_WRITE_BUFFER {
                            buf = BytesMut::new();
                        }
                        shared.release_idle_queue();
                    }
                }
            } else if buf.capacity() > 2 * MAX_WRITE_BATCH {
                // A busy connection keeps its buffer, so that its batches do not regrow one
                // each time, unless an unusually large batch grew it.
                buf = BytesMut::new();
                permits = Vec::new();
            }
            std::future::poll_fn(|cx| shared.poll_queued(cx)).await;
        }
        // With several calls in flight, let the tasks that are ready queue their frames too,
        // so one write carries them all. (With one, yielding would only cost a syscall.)
        if shared.pending.load(Ordering::Relaxed) + shared.running.load(Ordering::Relaxed) > 1 {
            tokio::task::yield_now().await;
        }
        let (costs, close) = {
            let mut q = shared.out.lock().unwrap_or_else(|p| p.into_inner());
            std::mem::swap(&mut q.buf, &mut buf);
            std::mem::swap(&mut q.permits, &mut permits);
            (std::mem::take(&mut q.costs), q.close)
        };
        if !buf.is_empty() {
            // (One write for the whole batch; a TLS session is flushed after it.)
            if let Err(e) = wr.send_all(&buf).await {
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

impl Shared {
    fn has_queued(&self) -> bool {
        let q = self.out.lock().unwrap_or_else(|p| p.into_inner());
        !q.buf.is_empty() || q.close
    }

    fn queue_capacity(&self) -> usize {
        self.out
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .buf
            .capacity()
    }

    /// Gives back the queue's buffer of an idle connection if it grew past
    /// IDLE_WRITE_BUFFER (and it is empty).
    fn release_idle_queue(&self) {
        let mut q = self.out.lock().unwrap_or_else(|p| p.into_inner());
        if q.buf.is_empty() && q.buf.capacity() > IDLE_WRITE_BUFFER {
            q.buf = BytesMut::new();
        }
        if q.permits.is_empty() {
            q.permits = Vec::new();
        }
    }
}
