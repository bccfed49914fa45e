//! Requests arriving: the checks and limits on a new request, its frames as they arrive, the
//! handler's start (polled once in place, spawned if not done), its answer, cancels, and the
//! expiry of partly received requests.

use super::*;

pub(super) struct RunningGuard<'a>(pub(super) &'a AtomicUsize);

impl Drop for RunningGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A handler future whose panics become unexpected errors: the call is still answered, and a
/// panic in the first poll (on the reader task) cannot take the connection down.
pub(super) struct CatchUnwind<T>(BoxFuture<Result<T, Error>>);

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
    #[inline(always)]
    pub(super) fn start(make: impl FnOnce() -> BoxFuture<Result<T, Error>>) -> Self {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(make)) {
            Ok(fut) => CatchUnwind(fut),
            Err(panic) => {
                let e = panic_error(panic);
                CatchUnwind(Box::pin(async move { Err(e) }))
            }
        }
    }
}

pub(super) fn panic_error(panic: Box<dyn std::any::Any + Send>) -> Error {
    let msg = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into());
    Error::from_code(ErrorCode::Unexpected, format!("handler panicked: {msg}"))
}

impl Shared {
    /// Drops the partly received requests whose ttl has passed and answers each with a
    /// timeout error frame.
    pub(super) fn expire_partial(&self, now: Instant) {
        let mut expired = Vec::new();
        {
            let mut st = self.lock();
            while let Some((deadline, id)) = st.partial.first() {
                if deadline > now {
                    break;
                }
                if let Some(Inbound::Receiving(r)) = st.remove_inbound(id) {
                    expired.push((id, r.0.tracing, r.0.ttl));
                }
                st.partial.remove(deadline, id);
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

    pub(super) fn on_call_req(self: &Arc<Self>, id: u32, req: CallReq) -> Option<Delivery> {
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
        st.begun = st.begun.wrapping_add(1);
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
        let deadline = Instant::now() + ttl;
        if streaming.is_none() && ArgReader::is_one_frame(req.flags, &req.chunks) {
            // The common case: the whole request in this frame, which becomes the handler's
            // call as it is (no `ReqHead` in between).
            drop(st);
            match ArgReader::read_one(self.max_message, req.checksum, req.chunks) {
                Ok(args) => self.start_call(
                    id,
                    InboundCall {
                        service: req.service,
                        headers: req.headers,
                        tracing: req.tracing,
                        ttl,
                        deadline,
                        args,
                        peer: self.peer.clone(),
                        checksum: req.checksum.kind,
                    },
                ),
                Err(e) => self.reject_request(id, req.tracing, e),
            }
            return None;
        }
        let head = ReqHead {
            service: req.service,
            headers: req.headers,
            tracing: req.tracing,
            ttl,
            deadline,
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
                st.partial.insert(head.deadline, id);
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
    pub(super) fn start_stream_handler(
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
    pub(super) fn finish_stream_inbound(
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

    pub(super) fn on_req_continue(
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

    pub(super) fn busy_bytes(&self, id: u32, tracing: Tracing) {
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

    pub(super) fn reject_request(&self, id: u32, tracing: Tracing, e: FragmentError) {
        tracing::debug!(peer = %self.peer.host_port, id, "rejecting request: {e}");
        self.send_error(id, ErrorCode::BadRequest, tracing, &e.to_string());
    }

    /// Runs the handler of a complete request. Called without the state lock: the handler's
    /// first poll runs right here, and it may itself make calls on this connection.
    pub(super) fn start_handler(self: &Arc<Self>, id: u32, head: ReqHead, args: [Bytes; 3]) {
        self.start_call(
            id,
            InboundCall {
                service: head.service,
                headers: head.headers,
                tracing: head.tracing,
                ttl: head.ttl,
                deadline: head.deadline,
                args,
                peer: self.peer.clone(),
                checksum: head.checksum,
            },
        )
    }

    /// [`start_handler`](Self::start_handler) with the call built. (Inlined, so that the
    /// call is built where the handler's start takes it, not built and then moved there.)
    #[inline(always)]
    pub(super) fn start_call(self: &Arc<Self>, id: u32, call: InboundCall) {
        let deadline = call.deadline;
        let ttl = call.ttl;
        let tracing = call.tracing;
        // Answer with the request's checksum type (farmhash included: only tchannel-node
        // sends it, and it checks the response with the same computation as ours).
        let checksum = call.checksum;
        let held = call.args.iter().map(Bytes::len).sum::<usize>();
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

    pub(super) fn finish_inbound(
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

    pub(super) fn respond(
        &self,
        id: u32,
        tracing: Tracing,
        checksum: ChecksumType,
        ttl: Duration,
        outcome: Result<Result<OutgoingResponse, Error>, tokio::time::error::Elapsed>,
    ) {
        match outcome {
            Ok(Ok(res)) => {
                // Response headers that break a wire limit are refused here, before anything
                // is sent: the caller gets an unexpected-error frame naming the field.
                if let Err(e) = self.send_response(id, tracing, checksum, res) {
                    self.send_error(
                        id,
                        ErrorCode::Unexpected,
                        tracing,
                        &format!("the handler's response cannot be sent: {e}"),
                    );
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

    /// Queues a handler's response: in one pass straight into the write buffer when it fits
    /// one frame (the usual case), else through the fragmenter. Nothing is sent on an error.
    fn send_response(
        &self,
        id: u32,
        tracing: Tracing,
        checksum: ChecksumType,
        res: OutgoingResponse,
    ) -> Result<(), crate::frame::EncodeError> {
        if let Some(sum) = one_frame_response(&res.headers, checksum, &res.arg2, &res.arg3)? {
            self.enqueue_with(true, id, None, |buf| {
                CallRes::encode_one(
                    buf,
                    id,
                    res.code,
                    tracing,
                    &res.headers,
                    sum,
                    [&[], &res.arg2, &res.arg3],
                )
            });
            return Ok(());
        }
        let first = FirstFrame::Res(CallRes {
            code: res.code,
            tracing,
            headers: res.headers,
            ..Default::default()
        });
        match Fragmenter::whole(id, first, checksum, [Bytes::new(), res.arg2, res.arg3])? {
            Whole::One(f) => self.send_one(&f),
            Whole::Many(f, args) => f.write_all(args, &mut |f| self.send(f)),
        }
        Ok(())
    }

    pub(super) fn on_cancel(&self, id: u32) {
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
}
