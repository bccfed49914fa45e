//! Closing: graceful (stop taking inbound calls, drain, close) or at once; every call in flight
//! ends with the reason, the close hook runs once, and a closed connection's writer gets
//! [`CLOSE_GRACE`] to flush.

use super::*;

impl Connection {
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

    /// Closes the connection if it is idle and has begun no call since it had begun `begun`
    /// ([`idle_count`](Self::idle_count)), in one step under its lock: a call that opens
    /// first keeps it open (it runs), one that opens after finds it closed (nothing of it
    /// sent). False if it was not closed.
    pub(crate) fn close_if_idle(&self, begun: u64, reason: Error) -> bool {
        let sh = &self.shared;
        let st = sh.lock();
        if st.closed.is_some() || !st.is_idle() || !st.pings.is_empty() || st.begun != begun {
            return false;
        }
        sh.close_locked(st, reason, None);
        true
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

impl Shared {
    pub(super) fn close_reason(&self) -> Error {
        self.lock().closed.clone().unwrap_or_else(|| {
            Error::network(format!("connection to {} closed", self.peer.host_port))
        })
    }

    /// Closes the connection with `reason`, once: every call in flight fails with it. `error`
    /// is the `type` of `connections.errors` when the connection failed (None for a close
    /// by this side or a clean end by the peer).
    pub(super) fn close(&self, reason: Error, error: Option<&'static str>) {
        self.close_locked(self.lock(), reason, error)
    }

    /// [`close`](Self::close) with the state lock already held (it is released here).
    fn close_locked(
        &self,
        mut st: std::sync::MutexGuard<'_, State>,
        reason: Error,
        error: Option<&'static str>,
    ) {
        let (outbound, inbound, pings, reader, writer, on_close) = {
            if st.closed.is_some() {
                return;
            }
            st.closed = Some(reason.clone());
            // The call timer's task ends now rather than at its next deadline.
            st.timer.stop();
            // The whole calls' entries stay, their futures woken to take the reason (or
            // the result that was already in); the streamed calls' go.
            let mut wakes = Vec::new();
            let mut streams = Vec::new();
            for (id, call) in st.outbound.iter_mut() {
                if call.stream.is_some()
                    || !matches!(call.waiter, Waiter::Whole(_) | Waiter::Ready(_))
                {
                    streams.push(id);
                } else {
                    wakes.extend(call.waiter.complete(Err(reason.clone())));
                }
            }
            let streams: Vec<Outbound> = streams
                .into_iter()
                .filter_map(|id| st.outbound.remove(&id))
                .collect();
            (
                (wakes, streams),
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
        // Nothing below runs under the lock: the close hook takes other locks.
        drop(st);
        self.closed.store(true, Ordering::Release);
        if let Some(s) = &self.stats {
            if let Some(kind) = error {
                s.error(kind);
            }
            s.closed();
        }
        let (wakes, streams) = outbound;
        for wake in wakes {
            wake.run();
        }
        for mut call in streams {
            if let Some(wake) = call.waiter.complete(Err(reason.clone())) {
                wake.run();
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
        self.close_queue();
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

    pub(super) fn fatal(&self, id: u32, message: String) {
        tracing::warn!(peer = %self.peer.host_port, "protocol error: {message}");
        self.send_error(id, ErrorCode::Protocol, Tracing::default(), &message);
        self.close(
            Error::protocol(format!("{message} (peer {})", self.peer.host_port)),
            Some("protocol-error"),
        );
    }
}

/// How long the writer of a closed connection may go on writing what was queued before it:
/// a peer that does not read cannot keep the socket, the task and the queue alive longer.
pub(super) const CLOSE_GRACE: Duration = Duration::from_secs(10);

/// Aborts a closed connection's writer if it has not finished within [`CLOSE_GRACE`] (at
/// once outside a runtime). The task that waits ends with the writer, so a writer that
/// finishes at once (the usual case) leaves nothing behind.
pub(super) fn abort_writer_later(writer: tokio::task::JoinHandle<()>) {
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

/// Closes the connection when the task holding it ends in any way, a panic or an abort
/// included, so that no connection outlives its reader or writer (its calls then fail with
/// the reason instead of waiting for their deadlines). After a normal close it does nothing.
pub(super) struct CloseOnDrop<'a>(pub(super) &'a Shared, pub(super) &'static str);

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
