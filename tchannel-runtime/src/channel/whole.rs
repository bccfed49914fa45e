//! Streamed calls made whole: when an outbound layer asks for it
//! ([`OutboundMiddleware::whole_streams`](crate::middleware::OutboundMiddleware::whole_streams),
//! as tchannel-vcr's recorder does), `StreamCall::start` gathers the request's args in memory
//! ([`Buffer`], bounded by `max_message_size`) and, once it is finished, sends it as one whole
//! call through the outbound chain (`ChannelInner::outbound`, so the layers' `call` sees
//! and may answer it); the response reaches the streaming caller as one piece per arg
//! ([`WholeArgs`]).

use super::ChannelInner;
use crate::call::{CallOptions, Name};
use crate::error::{Error, ErrorCode};
use crate::frame::TransportHeaders;
use crate::middleware::{OutboundRequest, OutboundResponse};
use bytes::{Bytes, BytesMut};
use std::sync::Arc;
use tokio::sync::oneshot;
use tokio::time::Instant;

/// What a whole-made streamed call's response future waits for.
pub(super) type WholeResult = oneshot::Receiver<Result<OutboundResponse, Error>>;

/// A streamed request gathered in memory until it is finished.
pub(super) struct Buffer {
    /// The arg being written: 1 (arg2) or 2 (arg3).
    arg: usize,
    args: [BytesMut; 2],
    /// The most bytes the two args may hold (the channel's `max_message_size`).
    max: usize,
    /// Where the finished args go; `None` once finished.
    done: Option<oneshot::Sender<[Bytes; 2]>>,
}

impl Buffer {
    pub(super) async fn write(&mut self, arg: usize, data: Bytes) -> Result<(), Error> {
        if self.done.is_none() {
            return Err(misuse("the message is already finished"));
        }
        if arg < self.arg {
            return Err(misuse("arg2 has ended: arg3 was written already"));
        }
        self.arg = arg;
        let held = self.args[0].len() + self.args[1].len();
        if held + data.len() > self.max {
            return Err(Error::bad_request(format!(
                "the streamed request is made whole for the channel's layers (whole_streams) \
                 and its args would be {} bytes, over max_message_size ({})",
                held + data.len(),
                self.max
            )));
        }
        self.args[arg - 1].extend_from_slice(&data);
        Ok(())
    }

    pub(super) async fn flush(&mut self) -> Result<(), Error> {
        Ok(())
    }

    pub(super) async fn finish(&mut self) -> Result<(), Error> {
        let done = self
            .done
            .take()
            .ok_or_else(|| misuse("the message is already finished"))?;
        let [arg2, arg3] = std::mem::take(&mut self.args);
        done.send([arg2.freeze(), arg3.freeze()])
            .map_err(|_| Error::from_code(ErrorCode::Cancelled, "the call has ended"))
    }

    pub(super) fn is_ended(&self) -> bool {
        self.done.is_none()
    }
}

/// The args of a whole response, handed out as a streamed one's: one piece per arg (none
/// for an empty arg); reading arg3 first skips arg2.
#[derive(Debug)]
pub(super) struct WholeArgs {
    /// arg2 and arg3, taken as they are read.
    args: [Bytes; 2],
    /// The next of them to hand out (0 or 1; 2 once both were).
    next: usize,
}

impl WholeArgs {
    pub(super) fn new(arg2: Bytes, arg3: Bytes) -> Self {
        WholeArgs {
            args: [arg2, arg3],
            next: 0,
        }
    }

    /// The next piece of arg `want` (1 for arg2, 2 for arg3), as `StreamSource::next`.
    pub(super) fn next(&mut self, want: usize) -> Option<Bytes> {
        while self.next < 2 && self.next < want {
            let piece = std::mem::take(&mut self.args[self.next]);
            self.next += 1;
            if self.next == want && !piece.is_empty() {
                return Some(piece);
            }
        }
        None
    }
}

/// Starts a streamed call made whole: returns the request's buffer and what its response
/// future waits for. The call is sent once the buffer is finished (a task of its own, which
/// holds the channel until the call ends, at its deadline at the latest), with the time left
/// of the stream's deadline as its timeout; a buffer dropped unfinished fails it.
pub(super) fn start(
    inner: &Arc<ChannelInner>,
    service: Name,
    endpoint: Name,
    transport: TransportHeaders,
    options: CallOptions,
    deadline: Instant,
) -> (Buffer, WholeResult) {
    let (args_tx, args_rx) = oneshot::channel::<[Bytes; 2]>();
    let (res_tx, res_rx) = oneshot::channel();
    let max = inner.config.max_message_size;
    let inner = inner.clone();
    tokio::spawn(async move {
        let result = async {
            let [headers, body] = match tokio::time::timeout_at(deadline, args_rx).await {
                Ok(Ok(args)) => args,
                Ok(Err(_)) => {
                    return Err(misuse(
                        "the request writer was dropped before the request was finished",
                    ))
                }
                Err(_) => {
                    return Err(Error::timeout(
                        "the request was not finished before the deadline",
                    ))
                }
            };
            let left = deadline.saturating_duration_since(Instant::now());
            let req = OutboundRequest {
                service,
                endpoint,
                headers,
                body,
                transport,
                options: options.timeout(left),
            };
            inner.clone().outbound(req, false).await
        }
        .await;
        let _ = res_tx.send(result);
    });
    let buffer = Buffer {
        arg: 1,
        args: Default::default(),
        max,
        done: Some(args_tx),
    };
    (buffer, res_rx)
}

fn misuse(msg: &str) -> Error {
    Error::from_code(ErrorCode::Unexpected, msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_args_are_read_as_a_stream_source_reads_them() {
        let mut a = WholeArgs::new(Bytes::from("h"), Bytes::from("body"));
        assert_eq!(a.next(1), Some(Bytes::from("h")));
        assert_eq!(a.next(1), None);
        assert_eq!(a.next(2), Some(Bytes::from("body")));
        assert_eq!(a.next(2), None);
        assert_eq!(a.next(1), None);
        // arg3 first skips arg2; empty args give no piece.
        let mut a = WholeArgs::new(Bytes::from("h"), Bytes::from("body"));
        assert_eq!(a.next(2), Some(Bytes::from("body")));
        assert_eq!(a.next(1), None);
        let mut a = WholeArgs::new(Bytes::new(), Bytes::new());
        assert_eq!(a.next(1), None);
        assert_eq!(a.next(2), None);
    }
}
