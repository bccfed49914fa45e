//! Streamed messages on a connection: the wire side of streaming calls.
//!
//! Reading: the reader task checks each frame of a streamed message ([`StreamCheck`]: running
//! checksum, arg count) and passes its chunks, zero-copy, into a bounded per-call queue of
//! [`STREAM_QUEUE_FRAMES`] frames. A [`StreamSource`] applies the chunk rule on the other
//! end and hands out the pieces of arg2 and arg3. When the queue is full the reader task waits
//! for room: TChannel has no per-stream flow control, so a slow consumer stalls its whole
//! connection, and TCP's window then slows the sender. That is the price of constant memory.
//!
//! Writing: a [`StreamSink`] drives a [`Fragmenter`]; every frame it emits first takes
//! permits worth its size from the connection's stream budget ([`STREAM_BUDGET`] bytes), and
//! the permits travel with the frame through the writer queue and are released once the
//! frame is written to the socket. A writer whose peer reads slowly therefore waits in
//! `write`/`flush` instead of growing a queue. Whole (non-streamed) messages never touch the
//! budget.
//!
//! [`StreamCheck`]: crate::fragment::StreamCheck

use super::Shared;
use crate::checksum::ChecksumType;
use crate::error::{Error, ErrorCode};
use crate::fragment::{FirstFrame, Fragmenter};
use crate::frame::{Chunks, Frame, FrameBody, Tracing, TransportHeaders};
use bytes::Bytes;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use tokio::sync::mpsc;
use tokio::time::Instant;

/// Frames of one streamed message that may wait for its consumer.
pub(crate) const STREAM_QUEUE_FRAMES: usize = 8;

/// Bytes of streamed frames that may wait in one connection's writer queue.
pub(crate) const STREAM_BUDGET: usize = 1024 * 1024;

/// The frames of a streamed message in flight to its consumer.
pub(crate) struct StreamItem {
    pub chunks: Chunks,
    pub more: bool,
}

/// How a stream ended when it did not end well; shared by both ends of the queue.
pub(crate) type ErrorSlot = Arc<OnceLock<Error>>;

/// The reader task's end of a stream's queue.
pub(crate) struct StreamTx {
    pub tx: mpsc::Sender<StreamItem>,
    pub error: ErrorSlot,
}

impl StreamTx {
    /// Ends the stream with `err` (the consumer sees it after the frames already queued).
    pub fn fail(self, err: Error) {
        let _ = self.error.set(err);
    }
}

/// A bounded queue for one streamed message.
pub(crate) fn stream_queue(deadline: Option<Instant>) -> (StreamTx, StreamSource) {
    let (tx, rx) = mpsc::channel(STREAM_QUEUE_FRAMES);
    let error = ErrorSlot::default();
    (
        StreamTx {
            tx,
            error: error.clone(),
        },
        StreamSource {
            rx,
            error,
            current: None,
            arg: 0,
            deadline,
            timer: None,
            guard: None,
        },
    )
}

/// A frame the reader task could not queue at once: it waits for room (see the module docs).
pub(crate) struct Delivery {
    pub tx: mpsc::Sender<StreamItem>,
    pub item: StreamItem,
    /// For response streams: past the call's deadline the consumer is not waited for.
    pub deadline: Option<(Instant, u32)>,
}

impl Delivery {
    pub(crate) async fn deliver(self, shared: &Arc<Shared>) {
        match self.deadline {
            None => {
                let _ = self.tx.send(self.item).await;
            }
            Some((deadline, id)) => {
                if tokio::time::timeout_at(deadline, self.tx.send(self.item))
                    .await
                    .is_err()
                {
                    shared.fail_outbound(
                        id,
                        Error::timeout("the response stream was not read before the deadline"),
                        true,
                    );
                }
            }
        }
    }
}

/// Tries to queue a frame for a stream's consumer; gives back a [`Delivery`] when the queue
/// is full.
pub(crate) fn offer(
    tx: &mpsc::Sender<StreamItem>,
    item: StreamItem,
    deadline: Option<(Instant, u32)>,
) -> Option<Delivery> {
    match tx.try_send(item) {
        Ok(()) => None,
        Err(mpsc::error::TrySendError::Full(item)) => Some(Delivery {
            tx: tx.clone(),
            item,
            deadline,
        }),
        // The consumer is gone (it stopped reading): drop the frame.
        Err(mpsc::error::TrySendError::Closed(_)) => None,
    }
}

/// The consumer's end of a streamed message: arg2's pieces, then arg3's.
pub(crate) struct StreamSource {
    rx: mpsc::Receiver<StreamItem>,
    error: ErrorSlot,
    /// The frame being taken apart and the index of its next chunk.
    current: Option<(StreamItem, usize)>,
    /// The arg the next chunk belongs to; 3 at the end.
    arg: usize,
    deadline: Option<Instant>,
    /// The deadline's timer, made the first time the consumer has to wait.
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
    /// Keeps an outbound call alive (and cancels it when the last holder drops it).
    guard: Option<Arc<OutboundGuard>>,
}

impl StreamSource {
    pub(crate) fn set_guard(&mut self, guard: Arc<OutboundGuard>) {
        self.guard = Some(guard);
    }

    /// The next piece of arg `want` (1 for arg2, 2 for arg3), `None` once it has ended.
    /// Pieces of earlier args still unread are skipped.
    pub(crate) async fn next(&mut self, want: usize) -> Result<Option<Bytes>, Error> {
        std::future::poll_fn(|cx| self.poll_next(cx, want)).await
    }

    /// [`next`](Self::next) as a poll function (for `AsyncRead`).
    pub(crate) fn poll_next(
        &mut self,
        cx: &mut Context<'_>,
        want: usize,
    ) -> Poll<Result<Option<Bytes>, Error>> {
        loop {
            if self.arg > want {
                return Poll::Ready(Ok(None));
            }
            if let Some((item, i)) = &mut self.current {
                let chunks = item.chunks.as_slice();
                if *i < chunks.len() {
                    let chunk = chunks[*i].clone();
                    let completes = *i + 1 < chunks.len() || !item.more;
                    *i += 1;
                    let arg = self.arg;
                    if completes {
                        self.arg += 1;
                        if self.arg == 3 {
                            // The whole message is in: the call is over, nothing to cancel.
                            self.guard = None;
                        }
                    }
                    if arg == want && !chunk.is_empty() {
                        return Poll::Ready(Ok(Some(chunk)));
                    }
                    continue;
                }
                self.current = None;
            }
            match self.rx.poll_recv(cx) {
                Poll::Ready(Some(item)) => self.current = Some((item, 0)),
                Poll::Ready(None) => {
                    return Poll::Ready(Err(self.error.get().cloned().unwrap_or_else(|| {
                        Error::from_code(ErrorCode::Unexpected, "the stream ended early")
                    })))
                }
                Poll::Pending => {
                    if let Some(d) = self.deadline {
                        let timer = self
                            .timer
                            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(d)));
                        if timer.as_mut().poll(cx).is_ready() {
                            return Poll::Ready(Err(Error::timeout(
                                "the stream did not end before the deadline",
                            )));
                        }
                    }
                    return Poll::Pending;
                }
            }
        }
    }
}

/// Cancels an outbound streamed call when every handle on it is gone before it ended.
pub(crate) struct OutboundGuard {
    pub(super) shared: Arc<Shared>,
    pub id: u32,
    pub tracing: Tracing,
}

impl Drop for OutboundGuard {
    fn drop(&mut self) {
        self.shared.cancel_outbound(self.id, self.tracing);
    }
}

/// A sink's progress, shared with whoever must answer for it if it is left unfinished.
pub(crate) const OPEN: u8 = 0;
pub(crate) const FINISHED: u8 = 1;
pub(crate) const FAILED: u8 = 2;

/// The writing end of a streamed message (a request or a response).
pub(crate) struct StreamSink {
    shared: Arc<Shared>,
    id: u32,
    checksum: ChecksumType,
    /// The call's deadline: a writer waiting for budget gives up then.
    deadline: Instant,
    /// The first frame's fields until the first frame is built (so its code and headers can
    /// still change).
    first: Option<FirstFrame>,
    frag: Option<Fragmenter>,
    /// The arg being written: 1 (arg2) or 2 (arg3); 3 once finished.
    arg: usize,
    /// arg1, written when the fragmenter starts.
    arg1: Bytes,
    pub(crate) state: Arc<AtomicU8>,
    frames: Vec<Frame>,
    guard: Option<Arc<OutboundGuard>>,
}

impl StreamSink {
    pub(super) fn new(
        shared: Arc<Shared>,
        id: u32,
        first: FirstFrame,
        arg1: Bytes,
        checksum: ChecksumType,
        deadline: Instant,
    ) -> Self {
        StreamSink {
            shared,
            id,
            checksum,
            deadline,
            first: Some(first),
            frag: None,
            arg: 1,
            arg1,
            state: Arc::new(AtomicU8::new(OPEN)),
            frames: Vec::new(),
            guard: None,
        }
    }

    pub(crate) fn set_guard(&mut self, guard: Arc<OutboundGuard>) {
        self.guard = Some(guard);
    }

    /// The first frame's transport headers, while it has not been sent.
    pub(crate) fn headers_mut(&mut self) -> Option<&mut TransportHeaders> {
        match self.first.as_mut()? {
            FirstFrame::Req(r) => Some(&mut r.headers),
            FirstFrame::Res(r) => Some(&mut r.headers),
        }
    }

    /// Sets the response code (0 ok, 1 application error) while the first frame is unsent.
    pub(crate) fn set_code(&mut self, code: u8) -> Result<(), Error> {
        match self.first.as_mut() {
            Some(FirstFrame::Res(r)) => {
                r.code = code;
                Ok(())
            }
            _ => Err(Error::from_code(
                ErrorCode::Unexpected,
                "the response code is sent in the first frame, which has gone",
            )),
        }
    }

    /// Builds the fragmenter (and with it the first frame's fields) and writes arg1.
    ///
    /// A first frame that breaks a wire limit (response headers a handler set, say) ends
    /// the message: a response with an unexpected-error frame naming the field, a request
    /// by failing its call. Nothing of it is sent.
    fn start(&mut self) -> Result<(), Error> {
        if self.frag.is_none() {
            let Some(first) = self.first.take() else {
                return Err(Error::from_code(
                    ErrorCode::Unexpected,
                    "the message's first frame could not be sent",
                ));
            };
            let (is_response, tracing) = match &first {
                FirstFrame::Req(r) => (false, r.tracing),
                FirstFrame::Res(r) => (true, r.tracing),
            };
            let mut f = match Fragmenter::new(self.id, first, self.checksum, self.arg1.len()) {
                Ok(f) => f,
                Err(e) => {
                    let err = Error::from(e);
                    if is_response {
                        let why = format!("the handler's response cannot be sent: {err}");
                        self.fail(ErrorCode::Unexpected, &why, tracing);
                    } else if self
                        .state
                        .compare_exchange(OPEN, FAILED, Ordering::AcqRel, Ordering::Acquire)
                        .is_ok()
                    {
                        self.shared.fail_outbound(self.id, err.clone(), false);
                    }
                    return Err(err);
                }
            };
            let frames = &mut self.frames;
            f.write(std::mem::take(&mut self.arg1), &mut |fr| frames.push(fr));
            f.end_arg(&mut |fr| frames.push(fr));
            self.frag = Some(f);
        }
        Ok(())
    }

    fn check_open(&self) -> Result<(), Error> {
        if self.shared.closed.load(Ordering::Acquire) {
            return Err(self.shared.close_reason());
        }
        if Instant::now() >= self.deadline {
            return Err(Error::timeout("the call's deadline has passed"));
        }
        match self.state.load(Ordering::Acquire) {
            OPEN => Ok(()),
            FINISHED => Err(Error::from_code(
                ErrorCode::Unexpected,
                "the message is already finished",
            )),
            _ => Err(Error::from_code(
                ErrorCode::Cancelled,
                "the call ended before the message was finished",
            )),
        }
    }

    /// Appends `data` to arg `arg` (1 or 2); moving on to arg3 ends arg2.
    pub(crate) async fn write(&mut self, arg: usize, data: Bytes) -> Result<(), Error> {
        self.check_open()?;
        if arg < self.arg {
            return Err(Error::from_code(
                ErrorCode::Unexpected,
                "arg2 has ended: arg3 was written already",
            ));
        }
        self.start()?;
        let frag = self.frag.as_mut().expect("started");
        let frames = &mut self.frames;
        while self.arg < arg {
            frag.end_arg(&mut |f| frames.push(f));
            self.arg += 1;
        }
        if !data.is_empty() {
            frag.write(data, &mut |f| frames.push(f));
        }
        self.send_frames().await
    }

    /// Puts what has been written on the wire now.
    pub(crate) async fn flush(&mut self) -> Result<(), Error> {
        self.check_open()?;
        self.start()?;
        let frames = &mut self.frames;
        self.frag
            .as_mut()
            .expect("started")
            .flush(&mut |f| frames.push(f));
        self.send_frames().await
    }

    /// Ends the message (the remaining args empty).
    pub(crate) async fn finish(&mut self) -> Result<(), Error> {
        self.check_open()?;
        self.start()?;
        let frag = self.frag.as_mut().expect("started");
        let frames = &mut self.frames;
        while self.arg < 3 {
            frag.end_arg(&mut |f| frames.push(f));
            self.arg += 1;
        }
        self.send_frames().await?;
        if self
            .state
            .compare_exchange(OPEN, FINISHED, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return Err(Error::from_code(
                ErrorCode::Cancelled,
                "the call ended before the message was finished",
            ));
        }
        // A finished request keeps its call alive only through its response.
        self.guard = None;
        Ok(())
    }

    /// Ends the message with an error frame instead. False if it had ended already.
    pub(crate) fn fail(&mut self, code: ErrorCode, message: &str, tracing: Tracing) -> bool {
        if self
            .state
            .compare_exchange(OPEN, FAILED, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return false;
        }
        self.shared.send_error(self.id, code, tracing, message);
        true
    }

    /// Gives up on an outbound request before finishing it: its call fails (the peer is
    /// told with a cancel frame once the response is dropped too).
    pub(crate) fn abandon(&mut self) {
        // Only requests: an unfinished response is answered by the handler's task.
        if self.guard.is_some()
            && self
                .state
                .compare_exchange(OPEN, FAILED, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
        {
            self.shared.fail_outbound(
                self.id,
                Error::from_code(
                    ErrorCode::Cancelled,
                    "the request writer was dropped before it finished",
                ),
                true,
            );
        }
    }

    /// True once `finish` or `fail` has run.
    pub(crate) fn is_ended(&self) -> bool {
        self.state.load(Ordering::Acquire) != OPEN
    }

    /// Sends the frames built so far, each after taking its share of the budget.
    async fn send_frames(&mut self) -> Result<(), Error> {
        let mut frames = std::mem::take(&mut self.frames);
        let mut result = Ok(());
        for frame in frames.drain(..) {
            if result.is_err() {
                continue;
            }
            result = self.send_budgeted(frame).await;
        }
        self.frames = frames; // keep the allocation for the next write
        result
    }

    async fn send_budgeted(&self, frame: Frame) -> Result<(), Error> {
        let cost = frame_cost(&frame);
        let acquire = self.shared.budget.clone().acquire_many_owned(cost);
        let permit = match tokio::time::timeout_at(self.deadline, acquire).await {
            Ok(Ok(p)) => p,
            // The connection closed (it closes the budget).
            Ok(Err(_)) => return Err(self.shared.close_reason()),
            Err(_) => {
                return Err(Error::timeout(
                    "the peer did not take the stream's frames before the deadline",
                ))
            }
        };
        self.check_open()?;
        if self.shared.enqueue(&frame, Some(permit)) {
            Ok(())
        } else {
            Err(self.shared.close_reason())
        }
    }
}

impl Drop for StreamSink {
    fn drop(&mut self) {
        if !self.is_ended() {
            self.abandon();
        }
    }
}

/// What a frame counts against the stream budget: its args, plus a little for its header.
fn frame_cost(frame: &Frame) -> u32 {
    let chunks = match &frame.body {
        FrameBody::CallReq(r) => r.chunks.encoded_len(),
        FrameBody::CallRes(r) => r.chunks.encoded_len(),
        FrameBody::CallReqContinue(c) | FrameBody::CallResContinue(c) => c.chunks.encoded_len(),
        _ => 0,
    };
    (chunks + 64).min(STREAM_BUDGET) as u32
}
