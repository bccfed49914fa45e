//! Calls made: opening one (id, ttl, where its response arrives), sending its request,
//! waiting, cancelling when its future is dropped, pings, and the response frames and error
//! frames arriving for it.

use super::*;

impl Connection {
    /// Puts a new outbound call in the table: its id, its ttl in ms (`ttl`, the time left
    /// before `deadline` as the caller read the clock: one read per call), and where its
    /// response (or, for a stream, its head) will arrive.
    #[inline]
    pub(super) fn open_outbound(
        &self,
        ttl: Duration,
        deadline: Instant,
        stream: Option<Box<OutStream>>,
        waiter: Waiter,
    ) -> Result<(u32, u32), Error> {
        let sh = &self.shared;
        if ttl <= Duration::from_millis(1) {
            return Err(Error::timeout("less than 1ms left before the deadline"));
        }
        let ttl_ms = ttl.as_millis().min(u32::MAX as u128) as u32;
        let id = {
            let mut st = sh.lock();
            if let Some(e) = &st.closed {
                return Err(e.clone());
            }
            let id = st.alloc_id();
            st.begun = st.begun.wrapping_add(1);
            let whole = stream.is_none();
            st.outbound.insert(
                id,
                Outbound {
                    head: None,
                    reader: None,
                    waiter,
                    stream,
                    deadline,
                    ttl_ms,
                },
            );
            // A whole call's deadline is kept by the connection's timer (a streamed call
            // keeps its own).
            if whole {
                if let Some((wake, runtime)) = st.timer.insert(deadline) {
                    let task = call_timer(Arc::downgrade(sh), wake);
                    match runtime {
                        Some(rt) => drop(rt.spawn(task)),
                        None => drop(tokio::spawn(task)),
                    }
                }
            }
            id
        };
        sh.pending.fetch_add(1, Ordering::Relaxed);
        Ok((id, ttl_ms))
    }

    /// Sends a request and waits for its response until `call.deadline`.
    ///
    /// Not an `async fn`: when the write queue has room and the request is not large (almost
    /// always), the request is sent now and the future returned only waits for the response,
    /// a few hundred bytes rather than the whole of the sending state. (Every outbound call's
    /// future holds this one, and is moved a few times on its way to the task.)
    pub(crate) fn call(
        &self,
        call: OutgoingCall,
    ) -> impl Future<Output = Result<CallResult, Error>> + Send + '_ {
        let size: usize = call.args.iter().map(Bytes::len).sum();
        let sent = if size <= MAX_WRITE_BATCH && self.shared.has_room() {
            Ok(self.send_call(call))
        } else {
            // Boxed: rare, and its state would enlarge every call's.
            Err(Box::new(call))
        };
        async move {
            let mut sent = match sent {
                Ok(sent) => sent?,
                Err(call) => Box::pin(self.send_call_waiting(*call)).await?,
            };
            // The connection's timer fails the call at its deadline (`call_timer`). Whatever
            // happened, the call is over once this is ready: its entry is gone (late frames
            // are then dropped), and no cancel is sent.
            let id = sent.guard.id;
            let result = std::future::poll_fn(|cx| self.shared.poll_outbound(id, cx)).await;
            sent.guard.armed = false;
            result
        }
    }

    /// Sends a whole call's request now, if the write queue has room and the request is not
    /// large (almost always), and returns what waits for its response: a [`CallWait`], which
    /// owns this connection, for a call future that is one struct rather than a nest of
    /// `async fn`s ([`call`](Self::call) is the same, as a future that borrows it). The
    /// request is lent (its one frame is written from it, nothing of it copied). Otherwise
    /// the connection is handed back (then `call` waits for room).
    #[inline]
    pub(crate) fn try_call(
        self,
        call: &CallParts<'_>,
    ) -> Result<Result<CallWait, Error>, Connection> {
        let size: usize = call.args.iter().map(|a| a.len()).sum();
        if size > MAX_WRITE_BATCH || !self.shared.has_room() {
            return Err(self);
        }
        let id = match self.send_parts(call) {
            Ok(mut sent) => {
                sent.guard.armed = false;
                sent.guard.id
            }
            Err(e) => return Ok(Err(e)),
        };
        Ok(Ok(CallWait {
            conn: self,
            id,
            tracing: call.tracing,
            armed: true,
        }))
    }

    /// Opens an outbound call: its id, the guard that cancels it, and its request checked and
    /// handed to `write` (one frame, or the fragmenter with its args) where it was made:
    /// returned instead, the request (a few hundred bytes) would be copied on the way.
    #[inline]
    fn open_call(&self, call: OutgoingCall, write: impl FnOnce(Whole)) -> Result<Sent<'_>, Error> {
        let (id, ttl_ms) =
            self.open_outbound(call.ttl, call.deadline, None, Waiter::Whole(None))?;
        self.write_opened(id, ttl_ms, call, write)
    }

    /// The rest of [`open_call`](Self::open_call), once the call is in the table as `id`.
    fn write_opened(
        &self,
        id: u32,
        ttl_ms: u32,
        call: OutgoingCall,
        write: impl FnOnce(Whole),
    ) -> Result<Sent<'_>, Error> {
        let sh = &self.shared;
        let mut guard = CallGuard {
            shared: sh,
            id,
            tracing: call.tracing,
            armed: true,
        };
        let first = request_head(ttl_ms, call.tracing, call.service, call.headers);
        match Fragmenter::whole(id, first, call.checksum, call.args) {
            Ok(whole) => {
                write(whole);
                Ok(Sent { guard })
            }
            Err(e) => {
                // Nothing was sent: forget the id without a cancel.
                guard.armed = false;
                sh.finish_outbound(id);
                Err(e.into())
            }
        }
    }

    /// Opens a call and writes its whole request to the write queue at once.
    #[inline]
    fn send_call(&self, call: OutgoingCall) -> Result<Sent<'_>, Error> {
        let [arg1, arg2, arg3] = &call.args;
        self.send_parts(&CallParts {
            service: &call.service,
            headers: &call.headers,
            tracing: call.tracing,
            args: [arg1, arg2, arg3],
            checksum: call.checksum,
            deadline: call.deadline,
            ttl: call.ttl,
        })
    }

    /// [`send_call`](Self::send_call) of a lent request: in one pass straight into the write
    /// buffer when it fits one frame (nearly always; no `CallReq`, no fragmenter), else
    /// through the fragmenter (its parts shared: a count of references each).
    #[inline]
    fn send_parts(&self, call: &CallParts<'_>) -> Result<Sent<'_>, Error> {
        let [a1, a2, a3] = call.args;
        let args = [&a1[..], &a2[..], &a3[..]];
        // Opened first, then checked, as `open_call` does (a call that cannot be opened
        // fails so, whatever its fields).
        let sh = &self.shared;
        let (id, ttl_ms) =
            self.open_outbound(call.ttl, call.deadline, None, Waiter::Whole(None))?;
        match one_frame_request(call.service, call.headers, call.checksum, args) {
            Ok(Some(sum)) => {
                sh.enqueue_with(false, id, None, |buf| {
                    CallReq::encode_one(
                        buf,
                        id,
                        ttl_ms,
                        call.tracing,
                        call.service,
                        call.headers,
                        sum,
                        args,
                    )
                });
                Ok(Sent {
                    guard: CallGuard {
                        shared: sh,
                        id,
                        tracing: call.tracing,
                        armed: true,
                    },
                })
            }
            Ok(None) => {
                let owned = OutgoingCall {
                    service: call.service.clone(),
                    headers: call.headers.clone(),
                    tracing: call.tracing,
                    args: [a1.clone(), a2.clone(), a3.clone()],
                    checksum: call.checksum,
                    deadline: call.deadline,
                    ttl: call.ttl,
                };
                self.write_opened(id, ttl_ms, owned, |whole| match whole {
                    Whole::One(f) => sh.send_one(&f),
                    Whole::Many(f, args) => f.write_all(args, &mut |f| sh.send(f)),
                })
            }
            Err(e) => {
                // Nothing was sent: forget the id without a cancel.
                sh.finish_outbound(id);
                Err(e.into())
            }
        }
    }

    /// [`send_call`](Self::send_call) once the write queue has room; a large request goes out
    /// a frame at a time, each once the writer queue is within its limit, so that the queue
    /// never holds a copy of all of it. (On a timeout here, dropping the guard tells the peer
    /// with a cancel.)
    async fn send_call_waiting(&self, mut call: OutgoingCall) -> Result<Sent<'_>, Error> {
        let sh = &self.shared;
        let deadline = call.deadline;
        sh.wait_for_room(deadline).await?;
        // The ttl is what is left now.
        call.ttl = deadline.saturating_duration_since(Instant::now());
        let size: usize = call.args.iter().map(Bytes::len).sum();
        if size <= MAX_WRITE_BATCH {
            return self.send_call(call);
        }
        let mut frames = Vec::new();
        let sent = self.open_call(call, |whole| match whole {
            // Not with more than MAX_WRITE_BATCH bytes of args; sent whole if it were.
            Whole::One(f) => sh.send_one(&f),
            Whole::Many(f, args) => f.write_all(args, &mut |f| frames.push(f)),
        })?;
        for frame in frames {
            sh.wait_for_room(deadline).await?;
            sh.send(frame);
        }
        Ok(sent)
    }

    /// Starts a streamed call: nothing is sent until the request is written or flushed.
    pub(crate) fn start_stream(&self, call: OutgoingStream) -> Result<StartedStream, Error> {
        let sh = &self.shared;
        let (stream_tx, mut args) = stream::stream_queue(Some(call.deadline));
        let (head_tx, rx) = oneshot::channel();
        let (id, ttl_ms) = self.open_outbound(
            call.deadline.saturating_duration_since(Instant::now()),
            call.deadline,
            Some(Box::new(OutStream {
                tx: stream_tx,
                check: StreamCheck::default(),
                deadline: call.deadline,
            })),
            Waiter::Head(head_tx),
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
        // The entry goes when the ping ends or its future is dropped, whichever is first.
        struct Entry<'a>(&'a Shared, u32);
        impl Drop for Entry<'_> {
            fn drop(&mut self) {
                self.0.lock().pings.remove(&self.1);
            }
        }
        let entry = Entry(sh, id);
        let start = Instant::now();
        sh.send(Frame {
            id,
            body: FrameBody::PingReq,
        });
        let r = tokio::time::timeout(timeout, rx).await;
        drop(entry);
        match r {
            Ok(Ok(())) => Ok(start.elapsed()),
            Ok(Err(_)) => Err(sh.close_reason()),
            Err(_) => Err(Error::timeout(format!(
                "no ping response within {}ms",
                timeout.as_millis()
            ))),
        }
    }
}

/// The first frame's fields of a request, whole or streamed (the fragmenter adds the rest).
pub(super) fn request_head(
    ttl_ms: u32,
    tracing: Tracing,
    service: Bytes,
    headers: TransportHeaders,
) -> FirstFrame {
    // Every field written: `..Default::default()` would make (and drop) a default service
    // and headers too.
    FirstFrame::Req(CallReq {
        flags: 0,
        ttl: ttl_ms,
        tracing,
        service,
        headers,
        checksum: Default::default(),
        chunks: Default::default(),
    })
}

/// An outbound call whose request is sent: what its future waits with.
struct Sent<'a> {
    guard: CallGuard<'a>,
}

/// A whole call whose request is sent ([`Connection::try_call`]): polled for its result, it
/// cancels the call (and tells the peer) if dropped before that.
pub(crate) struct CallWait {
    conn: Connection,
    id: u32,
    tracing: Tracing,
    armed: bool,
}

impl CallWait {
    /// The call's result, once it is in (or its deadline passed, or the connection closed):
    /// the call is then over, its entry gone; as [`Connection::call`]'s future.
    #[inline]
    pub(crate) fn poll(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<CallResult, Error>> {
        let result = std::task::ready!(self.conn.shared.poll_outbound(self.id, cx));
        self.armed = false;
        std::task::Poll::Ready(result)
    }
}

impl Drop for CallWait {
    fn drop(&mut self) {
        if self.armed {
            self.conn.shared.cancel_outbound(self.id, self.tracing);
        }
    }
}

/// The connection's call timer (see [`CallTimer`]): sleeps until the earliest deadline, fails
/// the calls still waiting then, and ends when no deadline is left (the next call starts
/// another) or the connection is gone or closed.
async fn call_timer(shared: std::sync::Weak<Shared>, wake: Arc<Notify>) {
    loop {
        let Some(sh) = shared.upgrade() else {
            return;
        };
        let next = sh.expire_calls();
        drop(sh);
        let Some(at) = next else {
            return;
        };
        tokio::select! {
            biased;
            _ = wake.notified() => {}
            _ = tokio::time::sleep_until(at) => {}
        }
    }
}

/// Removes an outbound call whose future was dropped before it finished, and tells the
/// peer with a cancel frame.
pub(super) struct CallGuard<'a> {
    pub(super) shared: &'a Arc<Shared>,
    pub(super) id: u32,
    pub(super) tracing: Tracing,
    pub(super) armed: bool,
}

impl Drop for CallGuard<'_> {
    fn drop(&mut self) {
        if self.armed {
            self.shared.cancel_outbound(self.id, self.tracing);
        }
    }
}

impl Shared {
    /// Forgets an outbound call the caller gave up on and, if it was still there, tells the
    /// peer with a cancel frame.
    pub(super) fn cancel_outbound(&self, id: u32, tracing: Tracing) {
        let waiting = {
            let mut st = self.lock();
            match self.remove_outbound(&mut st, id) {
                // A call whose result was in (not yet taken) needs no cancel.
                Some(call) => call.stream.is_some() || call.waiter.is_waiting(),
                None => false,
            }
        };
        if waiting {
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

    /// Fails with a timeout each whole call still waiting at its deadline; the next deadline
    /// to wake at, None when there is none (or the connection is closed: its calls failed).
    fn expire_calls(&self) -> Option<Instant> {
        let mut expired: Vec<Wake> = Vec::new();
        let next = {
            let mut st = self.lock();
            if st.closed.is_some() {
                st.timer.rearm(None);
                return None;
            }
            let now = Instant::now();
            // The whole calls still waiting: those due, and the earliest deadline left.
            let mut due = Vec::new();
            let mut next: Option<Instant> = None;
            for (id, call) in st.outbound.iter() {
                if !matches!(call.waiter, Waiter::Whole(_)) || call.stream.is_some() {
                    continue;
                }
                if call.deadline <= now {
                    due.push(id);
                } else if next.is_none_or(|n| call.deadline < n) {
                    next = Some(call.deadline);
                }
            }
            for id in due {
                let call = st.outbound.get_mut(&id).expect("present");
                let e = Error::timeout(format!("no response within the {}ms ttl", call.ttl_ms));
                expired.extend(call.waiter.complete(Err(e)));
            }
            st.timer.rearm(next)
        };
        for wake in expired {
            wake.run();
        }
        next
    }

    /// Forgets an outbound call. True if it was still there.
    pub(super) fn finish_outbound(&self, id: u32) -> bool {
        let mut st = self.lock();
        self.remove_outbound(&mut st, id).is_some()
    }

    /// Removes an outbound call's entry, if it is there.
    #[inline]
    fn remove_outbound(&self, st: &mut State, id: u32) -> Option<Outbound> {
        let call = st.outbound.remove(&id)?;
        self.pending.fetch_sub(1, Ordering::Relaxed);
        if st.is_idle() {
            self.drained.notify_waiters();
        }
        Some(call)
    }

    /// A whole call's future waiting for its result: takes it, with the call's entry, once
    /// it is in; else keeps the waker in the entry. With no entry (the connection closed
    /// before the call ended), the connection's close reason.
    pub(super) fn poll_outbound(
        &self,
        id: u32,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<CallResult, Error>> {
        use std::task::Poll;
        let mut st = self.lock();
        let Some(call) = st.outbound.get_mut(&id) else {
            return Poll::Ready(Err(st.closed.clone().unwrap_or_else(|| {
                Error::network(format!("connection to {} closed", self.peer.host_port))
            })));
        };
        match &mut call.waiter {
            Waiter::Whole(Some(w)) if w.will_wake(cx.waker()) => Poll::Pending,
            Waiter::Whole(w) => {
                *w = Some(cx.waker().clone());
                Poll::Pending
            }
            _ => {
                let waiter = st
                    .outbound
                    .remove_with(&id, |c| std::mem::replace(&mut c.waiter, Waiter::Done));
                self.pending.fetch_sub(1, Ordering::Relaxed);
                if st.is_idle() {
                    self.drained.notify_waiters();
                }
                match waiter {
                    Some(Waiter::Ready(result)) => Poll::Ready(result),
                    // Not a whole call's entry: not made by `open_call`.
                    _ => Poll::Ready(Err(Error::protocol("not a whole call"))),
                }
            }
        }
    }

    pub(super) fn on_call_res(&self, id: u32, res: CallRes) -> Option<Delivery> {
        if ArgReader::is_one_frame(res.flags, &res.chunks) {
            // The common case: the whole response in this frame, for a call that waits for
            // it. One lock, and the args checked after it.
            let mut st = self.lock();
            if let Some(call) = st.outbound.get_mut(&id) {
                if call.head.is_none()
                    && call.stream.is_none()
                    && matches!(call.waiter, Waiter::Whole(_))
                {
                    let result = ArgReader::read_one(self.max_message, res.checksum, res.chunks)
                        .map(|[_, arg2, arg3]| CallResult {
                            code: res.code,
                            headers: res.headers,
                            args: [arg2, arg3],
                        })
                        .map_err(response_error);
                    let wake = call.waiter.complete(result);
                    drop(st);
                    if let Some(wake) = wake {
                        wake.run();
                    }
                    return None;
                }
            }
        }
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

    pub(super) fn on_res_frame(
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
        match call.waiter {
            // A result in, for its future to take: the rest of the response is dropped.
            Waiter::Ready(_) => return None,
            Waiter::Done => {
                if !more {
                    st.outbound.remove(&id);
                    self.pending.fetch_sub(1, Ordering::Relaxed);
                }
                return None;
            }
            Waiter::Whole(_) | Waiter::Head(_) => {}
        }
        if call.head.is_none() {
            drop(st);
            self.fail_outbound(id, Error::protocol("continue frame before call res"), more);
            return None;
        }
        let limit = self.max_message;
        let reader = call
            .reader
            .get_or_insert_with(|| Box::new(ArgReader::new(limit)));
        match reader.push(flags, checksum, chunks) {
            Ok(None) => {}
            Ok(Some([_, arg2, arg3])) => {
                let head = call.head.take().expect("checked");
                call.reader = None;
                let wake = call.waiter.complete(Ok(CallResult {
                    code: head.code,
                    headers: head.headers,
                    args: [arg2, arg3],
                }));
                drop(st);
                if let Some(wake) = wake {
                    wake.run();
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
    pub(super) fn take_outbound(&self, st: &mut State, id: u32) -> Outbound {
        let call = st.outbound.remove(&id).expect("present");
        self.pending.fetch_sub(1, Ordering::Relaxed);
        if st.is_idle() {
            self.drained.notify_waiters();
        }
        call
    }

    /// A frame of a streamed response: checked, then queued for the consumer (the first one
    /// also delivers the response's head).
    pub(super) fn on_stream_res(
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
        if call.waiter.is_waiting() {
            let wake = call.waiter.complete(Ok(CallResult {
                code: head.code,
                headers: std::mem::take(&mut head.headers),
                args: Default::default(),
            }));
            if let Some(wake) = wake {
                wake.run();
            }
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
    pub(super) fn fail_outbound(&self, id: u32, err: Error, more_follow: bool) {
        let mut st = self.lock();
        let Some(call) = st.outbound.get_mut(&id) else {
            return;
        };
        let stream = call.stream.take().map(|s| (s, err.clone()));
        let wake = call.waiter.complete(Err(err));
        // A whole call's entry stays for its future to take the error (its late frames are
        // dropped meanwhile); a stream's goes now, or with its last frame.
        if !more_follow && !matches!(call.waiter, Waiter::Ready(_)) {
            st.outbound.remove(&id);
            self.pending.fetch_sub(1, Ordering::Relaxed);
        }
        drop(st);
        if let Some((s, err)) = stream {
            s.tx.fail(err);
        }
        if let Some(wake) = wake {
            wake.run();
        }
    }

    pub(super) fn on_error(&self, id: u32, e: ErrorFrame) {
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

pub(super) fn response_error(e: FragmentError) -> Error {
    match e {
        FragmentError::ChecksumMismatch { .. } => {
            Error::new(crate::error::Kind::Checksum, e.to_string())
        }
        _ => Error::protocol(format!("bad response: {e}")),
    }
}
