//! Streaming calls: args written and read in pieces, in memory bounded by what is in flight.
//!
//! A streaming handler ([`TChannel::register_streaming`]) gets a [`StreamingRequest`], whose
//! arg2 and arg3 arrive as they are received, and a [`ResponseWriter`] that puts arg2 and arg3
//! on the wire in pieces (tchannel-python's `write_header` / `write_body` / `flush`). A caller
//! starts a streamed call with [`TChannel::stream`]: it gets a [`RequestWriter`] and a
//! [`ResponseFuture`] that gives a [`StreamingResponse`] as soon as the first response frame
//! arrives.
//!
//! Writers wait when the connection's stream budget is used up (a slow reader slows the
//! writer); readers hold at most a few frames per call, and a reader that does not keep up
//! stalls its connection until it does (TChannel has no per-call flow control). Streamed calls
//! are retried only before anything of them is sent (a stream cannot be replayed: see
//! [`StreamCall`]'s "Retries"). They do not pass through the middleware wrap
//! points of whole calls, but through each layer's `stream` hook, at their start and end
//! (see [`middleware`](crate::middleware#streamed-calls); the `Stats` layer counts them so),
//! and they join the trace as whole calls do (`span_for_call`, and handlers run with the
//! streamed call's span as the current one).

use super::chooser::CallInfo;
use super::{CallOptions, ChannelInner, TChannel};
use crate::call::delegate_call_options;
use crate::call::TransportInfo;
use crate::connection::{
    InboundStream, OutboundGuard, OutgoingStream, StreamHandler, StreamSink, StreamSource,
    SINK_FINISHED,
};
use crate::error::{Error, ErrorCode};
use crate::frame::{Tracing, TransportHeaders};
use crate::middleware::InboundChain;
use crate::middleware::{InboundStreamCall, OutboundStreamCall, StreamOutcome};
use crate::scheme::{Raw, Scheme};
use crate::stream_layers::StreamEnds;
use crate::{HandlerError, RetryOn};
use bytes::{Bytes, BytesMut};
use std::collections::{HashMap, HashSet};
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use tokio::sync::oneshot;
use tokio::time::Instant;

/// The arg2 and arg3 of a streamed message, read as they arrive.
///
/// Each piece is a slice of a received frame (no copy). Reading arg3 first skips what is
/// left of arg2. A checksum mismatch, an error frame, a closed connection or the deadline
/// ends the stream with an error, never with a silently short arg.
///
/// ```no_run
/// # async fn f(mut args: tchannel_runtime::ArgStream) -> Result<(), tchannel_runtime::Error> {
/// let headers = args.read_arg2().await?; // arg2 whole
/// let mut total = 0;
/// while let Some(piece) = args.arg3_chunk().await? {
///     total += piece.len(); // arg3 piece by piece
/// }
/// # let _ = (headers, total); Ok(()) }
/// ```
pub struct ArgStream {
    inner: Source,
    /// A response's `on_end` functions (outbound layers), with whether it is a success; `None`
    /// without layers, and once told.
    ends: Option<(StreamEnds, bool)>,
}

impl std::fmt::Debug for ArgStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArgStream").finish_non_exhaustive()
    }
}

impl ArgStream {
    /// The next piece of arg2, `None` once arg2 has ended.
    pub async fn arg2_chunk(&mut self) -> Result<Option<Bytes>, Error> {
        self.next(1).await
    }

    /// The next piece of arg3, `None` once the message has ended.
    pub async fn arg3_chunk(&mut self) -> Result<Option<Bytes>, Error> {
        self.next(2).await
    }

    /// The rest of arg2, in one buffer.
    pub async fn read_arg2(&mut self) -> Result<Bytes, Error> {
        self.read_to_end(1).await
    }

    /// The rest of arg3, in one buffer (its memory is the caller's choice).
    pub async fn read_arg3(&mut self) -> Result<Bytes, Error> {
        self.read_to_end(2).await
    }

    /// arg3 as a [`tokio::io::AsyncRead`] (the rest of arg2 is skipped).
    ///
    /// ```no_run
    /// # async fn f(res: tchannel_runtime::StreamingResponse) -> std::io::Result<()> {
    /// let mut file = tokio::io::sink(); // a tokio::fs::File, a socket, ...
    /// tokio::io::copy(&mut res.args.into_arg3_reader(), &mut file).await?;
    /// # Ok(()) }
    /// ```
    pub fn into_arg3_reader(self) -> Arg3Reader {
        Arg3Reader {
            args: self,
            piece: Bytes::new(),
            failed: false,
        }
    }

    fn new(inner: StreamSource) -> Self {
        ArgStream {
            inner: Source::Wire(inner),
            ends: None,
        }
    }

    async fn next(&mut self, arg: usize) -> Result<Option<Bytes>, Error> {
        let piece = match &mut self.inner {
            Source::Wire(s) => s.next(arg).await,
            Source::Whole(w) => Ok(w.next(arg)),
        };
        self.seen(arg, &piece);
        piece
    }

    fn poll_next(
        &mut self,
        cx: &mut std::task::Context<'_>,
        arg: usize,
    ) -> std::task::Poll<Result<Option<Bytes>, Error>> {
        let piece = match &mut self.inner {
            Source::Wire(s) => s.poll_next(cx, arg),
            Source::Whole(w) => std::task::Poll::Ready(Ok(w.next(arg))),
        };
        if let std::task::Poll::Ready(p) = &piece {
            self.seen(arg, p);
        }
        piece
    }

    /// The end of arg3 or an error ends the call for the layers watching it.
    fn seen(&mut self, arg: usize, piece: &Result<Option<Bytes>, Error>) {
        let Some((ends, ok)) = &mut self.ends else {
            return;
        };
        match piece {
            Ok(None) if arg == 2 => ends.finish(if *ok {
                StreamOutcome::Success
            } else {
                StreamOutcome::AppError
            }),
            Err(e) => ends.finish(StreamOutcome::Failed(e)),
            Ok(_) => return,
        }
        self.ends = None;
    }

    async fn read_to_end(&mut self, arg: usize) -> Result<Bytes, Error> {
        let Some(first) = self.next(arg).await? else {
            return Ok(Bytes::new());
        };
        let Some(second) = self.next(arg).await? else {
            return Ok(first);
        };
        let mut buf = BytesMut::with_capacity(first.len() + second.len());
        buf.extend_from_slice(&first);
        buf.extend_from_slice(&second);
        while let Some(piece) = self.next(arg).await? {
            buf.extend_from_slice(&piece);
        }
        Ok(buf.freeze())
    }
}

/// Where an [`ArgStream`]'s pieces come from: the connection, or a whole response (a streamed
/// call made whole for the layers: `whole.rs`).
enum Source {
    Wire(StreamSource),
    Whole(super::whole::WholeArgs),
}

/// The writing end of a streamed request: the connection, or a buffer (a streamed call made
/// whole for the layers: `whole.rs`). Responses are always written to the connection.
// The wire variant is the usual one: boxing it would cost an allocation per stream.
#[allow(clippy::large_enum_variant)]
enum Writer {
    Wire(StreamSink),
    Whole(super::whole::Buffer),
}

impl Writer {
    async fn write(&mut self, arg: usize, data: Bytes) -> Result<(), Error> {
        match self {
            Writer::Wire(s) => s.write(arg, data).await,
            Writer::Whole(b) => b.write(arg, data).await,
        }
    }

    async fn flush(&mut self) -> Result<(), Error> {
        match self {
            Writer::Wire(s) => s.flush().await,
            Writer::Whole(b) => b.flush().await,
        }
    }

    async fn finish(&mut self) -> Result<(), Error> {
        match self {
            Writer::Wire(s) => s.finish().await,
            Writer::Whole(b) => b.finish().await,
        }
    }

    fn is_ended(&self) -> bool {
        match self {
            Writer::Wire(s) => s.is_ended(),
            Writer::Whole(b) => b.is_ended(),
        }
    }
}

/// arg3 of a streamed message, from [`ArgStream::into_arg3_reader`], as an
/// [`AsyncRead`](tokio::io::AsyncRead) and as a [`Stream`](futures_core::Stream) of its
/// pieces (`Result<Bytes, Error>`, no copy), so `StreamExt` combinators, `forward` into a
/// [`Sink`](futures_sink::Sink) and `tokio_util::io::StreamReader` apply. As an `AsyncRead`,
/// stream errors become `std::io::Error`s of kind `Other` wrapping the [`Error`] (the
/// `From<Error> for std::io::Error` the crate has). As a `Stream`, an error is the last
/// item. The two can be mixed: the stream first gives what a read left of a piece.
///
/// ```
/// use futures_util::{SinkExt, StreamExt, TryStreamExt};
/// use tchannel_runtime::TChannel;
/// let ch = TChannel::new("files");
/// // A streaming echo that upper-cases: arg3 in, piece by piece, arg3 out.
/// ch.register_streaming("upper", |req, res| async move {
///     req.args
///         .into_arg3_reader()
///         .map_ok(|piece| bytes::Bytes::from(piece.to_ascii_uppercase()))
///         .forward(res.into_arg3_writer()) // ends the response when arg3 ends
///         .await?;
///     Ok(())
/// });
/// ```
pub struct Arg3Reader {
    args: ArgStream,
    piece: Bytes,
    /// As a `Stream`, an error is the last item: after it the stream has ended.
    failed: bool,
}

impl std::fmt::Debug for Arg3Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Arg3Reader").finish_non_exhaustive()
    }
}

impl tokio::io::AsyncRead for Arg3Reader {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        use std::task::Poll;
        let this = &mut *self;
        if this.piece.is_empty() {
            match this.args.poll_next(cx, 2) {
                Poll::Ready(Ok(Some(p))) => this.piece = p,
                Poll::Ready(Ok(None)) => return Poll::Ready(Ok(())),
                Poll::Ready(Err(e)) => return Poll::Ready(Err(std::io::Error::other(e))),
                Poll::Pending => return Poll::Pending,
            }
        }
        let n = this.piece.len().min(buf.remaining());
        buf.put_slice(&this.piece.split_to(n));
        Poll::Ready(Ok(()))
    }
}

impl futures_core::Stream for Arg3Reader {
    type Item = Result<Bytes, Error>;
    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let this = &mut *self;
        if !this.piece.is_empty() {
            return std::task::Poll::Ready(Some(Ok(std::mem::take(&mut this.piece))));
        }
        if this.failed {
            return std::task::Poll::Ready(None);
        }
        let next = this.args.poll_next(cx, 2).map(Result::transpose);
        this.failed = matches!(next, std::task::Poll::Ready(Some(Err(_))));
        next
    }
}

/// A stream error as an I/O error of kind `Other` wrapping it (what [`Arg3Reader`] and
/// [`Arg3Writer`] give as `AsyncRead`/`AsyncWrite`, and what `tokio_util`'s `StreamReader`
/// needs); [`std::io::Error::get_ref`] gives the [`Error`] back.
impl From<Error> for std::io::Error {
    fn from(e: Error) -> Self {
        std::io::Error::other(e)
    }
}

type SinkOp = Pin<Box<dyn Future<Output = (Writer, Result<(), Error>)> + Send>>;

/// arg3 of a streamed message as an [`AsyncWrite`](tokio::io::AsyncWrite) and as a
/// [`Sink<Bytes>`](futures_sink::Sink); from [`RequestWriter::into_arg3_writer`] or
/// [`ResponseWriter::into_arg3_writer`].
///
/// Each `write` copies its bytes (a `Sink` item is handed on as it is) to the message's
/// writer; the next `write`, `flush` or `shutdown` (`poll_ready`, `poll_flush`,
/// `poll_close`) waits until that has gone to the connection (back-pressure) and reports its
/// error: as a `std::io::Error` of kind `Other` wrapping the [`Error`] for `AsyncWrite`, as
/// the [`Error`] for `Sink`. `shutdown` (`close`) ends the message.
///
/// ```no_run
/// # async fn f(ch: tchannel_runtime::TChannel) -> Result<(), tchannel_runtime::Error> {
/// use futures_util::{stream, SinkExt, StreamExt};
/// let (req, res) = ch.stream("files", "upper").hostport("127.0.0.1:4040").start().await?;
/// let upload = tokio::spawn(async move {
///     let mut body = req.into_arg3_writer();
///     let pieces = [b"a", b"b", b"c"].map(|s| bytes::Bytes::from_static(s));
///     body.send_all(&mut stream::iter(pieces).map(Ok)).await?;
///     body.close().await // ends the request
/// });
/// let mut pieces = res.await?.args.into_arg3_reader();
/// while let Some(piece) = pieces.next().await {
///     println!("{:?}", piece?);
/// }
/// upload.await.expect("the upload task")?;
/// # Ok(()) }
/// ```
pub struct Arg3Writer {
    idle: Option<Writer>,
    busy: Option<SinkOp>,
    /// What `busy` is doing: a write, or the flush or finish a caller waits for.
    busy_with: Step,
}

impl std::fmt::Debug for Arg3Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Arg3Writer").finish_non_exhaustive()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Write,
    Flush,
    Finish,
}

impl Arg3Writer {
    fn new(sink: Writer) -> Self {
        Arg3Writer {
            idle: Some(sink),
            busy: None,
            busy_with: Step::Write,
        }
    }

    /// Waits for the operation in progress; its error, if any, is this call's.
    fn poll_idle(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Error>> {
        use std::task::Poll;
        if let Some(op) = self.busy.as_mut() {
            let (sink, result) = match op.as_mut().poll(cx) {
                Poll::Ready(done) => done,
                Poll::Pending => return Poll::Pending,
            };
            self.busy = None;
            self.idle = Some(sink);
            result?;
        }
        Poll::Ready(Ok(()))
    }

    fn start(&mut self, step: Step, data: Bytes) {
        let mut sink = self.idle.take().expect("idle after poll_idle");
        self.busy_with = step;
        self.busy = Some(Box::pin(async move {
            let result = match step {
                Step::Write => sink.write(2, data).await,
                Step::Flush => sink.flush().await,
                Step::Finish => sink.finish().await,
            };
            (sink, result)
        }));
    }

    /// Finishes what is in progress, then runs `step` to its end.
    fn poll_step(
        &mut self,
        cx: &mut std::task::Context<'_>,
        step: Step,
    ) -> std::task::Poll<Result<(), Error>> {
        use std::task::Poll;
        loop {
            let mine = self.busy.is_some() && self.busy_with == step;
            match self.poll_idle(cx) {
                Poll::Ready(Ok(())) if !mine => self.start(step, Bytes::new()),
                other => return other,
            }
        }
    }
}

impl Arg3Writer {
    /// Ready for the next write: the one in progress is done, and the message not ended.
    fn poll_write_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Error>> {
        use std::task::Poll;
        match self.poll_idle(cx) {
            Poll::Ready(Ok(())) => {}
            other => return other,
        }
        if self.idle.as_ref().is_some_and(|s| s.is_ended()) {
            return Poll::Ready(Err(misuse("arg3 was written after the message ended")));
        }
        Poll::Ready(Ok(()))
    }

    /// Ends the message (once: again is a no-op).
    fn poll_finish(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Error>> {
        if self.busy.is_none() && self.idle.as_ref().is_some_and(|s| s.is_ended()) {
            return std::task::Poll::Ready(Ok(()));
        }
        self.poll_step(cx, Step::Finish)
    }
}

impl tokio::io::AsyncWrite for Arg3Writer {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        match self.poll_write_ready(cx) {
            std::task::Poll::Ready(Ok(())) => {}
            other => return other.map_err(Into::into).map_ok(|()| 0),
        }
        self.start(Step::Write, Bytes::copy_from_slice(buf));
        std::task::Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        self.poll_step(cx, Step::Flush).map_err(Into::into)
    }

    fn poll_shutdown(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        self.poll_finish(cx).map_err(Into::into)
    }
}

impl futures_sink::Sink<Bytes> for Arg3Writer {
    type Error = Error;

    fn poll_ready(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Error>> {
        self.poll_write_ready(cx)
    }

    fn start_send(mut self: Pin<&mut Self>, item: Bytes) -> Result<(), Error> {
        if self.idle.is_none() {
            return Err(misuse("Sink::start_send without a successful poll_ready"));
        }
        self.start(Step::Write, item);
        Ok(())
    }

    fn poll_flush(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Error>> {
        self.poll_step(cx, Step::Flush)
    }

    fn poll_close(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Error>> {
        self.poll_finish(cx)
    }
}

/// A streamed request as a streaming handler sees it.
#[derive(Debug)]
pub struct StreamingRequest {
    /// arg1: the endpoint (the first frame's bytes, shared).
    pub endpoint: crate::Name,
    /// Transport metadata: caller, ttl, deadline, headers, tracing.
    pub transport: TransportInfo,
    /// arg2 and arg3, as they arrive.
    pub args: ArgStream,
}

/// The writing methods of [`ResponseWriter`] and [`RequestWriter`].
macro_rules! sink_writes {
    () => {
        /// Appends to arg2 (the application headers).
        pub async fn write_arg2(&mut self, data: impl Into<Bytes>) -> Result<(), Error> {
            self.sink.write(1, data.into()).await
        }

        /// Appends to arg3 (the body); ends arg2.
        pub async fn write_arg3(&mut self, data: impl Into<Bytes>) -> Result<(), Error> {
            self.sink.write(2, data.into()).await
        }

        /// Puts what has been written on the wire now.
        pub async fn flush(&mut self) -> Result<(), Error> {
            self.sink.flush().await
        }
    };
}

fn misuse(message: &str) -> Error {
    Error::from_code(ErrorCode::Unexpected, message)
}

/// The response of a streaming handler, written in pieces.
///
/// Write arg2, then arg3 (the first arg3 write ends arg2), `flush` to put what is buffered on
/// the wire now, and `finish` to end the message. Frames are sent as they fill (64 KiB), and a
/// write waits while the connection's stream budget is used up. The handler must `finish` (or
/// [`fail`](Self::fail)) before it returns; otherwise the caller gets an error frame: the
/// handler's error if it returned one, else an unexpected error.
pub struct ResponseWriter {
    sink: StreamSink,
    tracing: Tracing,
    /// What the inbound layers are told at the end; `None` without layers.
    track: Option<Arc<ResponseTrack>>,
}

/// How a handler left its response, for the inbound layers' `on_end` functions.
#[derive(Default)]
struct ResponseTrack {
    app_error: AtomicBool,
    failed: std::sync::Mutex<Option<Error>>,
}

impl std::fmt::Debug for ResponseWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseWriter").finish_non_exhaustive()
    }
}

impl ResponseWriter {
    /// Marks the response as an application error (code 0x01). Only before the first frame
    /// has been sent (before the first flush or the first 64 KiB).
    pub fn set_app_error(&mut self) -> Result<(), Error> {
        self.sink.set_code(1)?;
        if let Some(t) = &self.track {
            t.app_error.store(true, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Adds a transport header to the response. Only before the first frame has been sent.
    ///
    /// The wire's limits apply: a key of 1 to 16 bytes, a value of at most 255, at most 128
    /// headers. Past one, this fails with a bad request naming the header, its length and
    /// the limit, and the header is not added.
    pub fn transport_header(
        &mut self,
        key: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<(), Error> {
        let h = self
            .sink
            .headers_mut()
            .ok_or_else(|| misuse("transport headers go in the first frame, which has gone"))?;
        let (key, value) = (key.into(), value.into());
        let mut one = crate::frame::TransportHeaders::new();
        one.insert(key.clone(), value.clone());
        one.validate()?;
        if h.get_bytes(&key).is_none() {
            crate::frame::check_len(
                || "transport headers".into(),
                h.len() + 1,
                crate::frame::MAX_TRANSPORT_HEADERS,
                "headers",
            )?;
        }
        h.insert(key, value);
        Ok(())
    }

    sink_writes!();

    /// Ends the response.
    pub async fn finish(mut self) -> Result<(), Error> {
        self.sink.finish().await
    }

    /// arg3 as a [`tokio::io::AsyncWrite`] (ends arg2); shutting it down ends the response.
    pub fn into_arg3_writer(self) -> Arg3Writer {
        Arg3Writer::new(Writer::Wire(self.sink))
    }

    /// Ends the response with an error frame instead (also after some of it was sent).
    pub fn fail(mut self, error: HandlerError) {
        if let Some(t) = &self.track {
            let e = Error::from_code(error.code(), error.message());
            *t.failed.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
        }
        self.sink.fail(error.code(), error.message(), self.tracing);
    }
}

/// The streaming handlers of one channel.
#[derive(Default)]
pub(crate) struct StreamHandlers {
    any: AtomicBool,
    table: RwLock<HashMap<String, HashMap<String, StreamHandler>>>,
}

impl StreamHandlers {
    pub(crate) fn any(&self) -> bool {
        self.any.load(Ordering::Relaxed)
    }

    pub(crate) fn find(&self, service: &[u8], endpoint: &[u8]) -> Option<StreamHandler> {
        let service = std::str::from_utf8(service).ok()?;
        let endpoint = std::str::from_utf8(endpoint).ok()?;
        self.table
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(service)?
            .get(endpoint)
            .cloned()
    }

    /// Every registered streaming (service, endpoint).
    pub(crate) fn endpoints(&self) -> Vec<(String, String)> {
        self.table
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .flat_map(|(s, m)| m.keys().map(|e| (s.clone(), e.clone())))
            .collect()
    }

    fn insert(&self, service: String, endpoint: String, h: StreamHandler) {
        self.table
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .entry(service)
            .or_default()
            .insert(endpoint, h);
        self.any.store(true, Ordering::Relaxed);
    }
}

/// `handler` as the connection runs it, behind the channel's inbound limits (as a whole
/// call is admitted by the `Dispatcher`: a call past one is answered Busy, its handler not
/// run; an admitted one holds its places until its future ends or is dropped, by the
/// deadline, a cancel or its connection closing) and the inbound layers' `stream` hooks
/// (`app`: the channel's service name, for both).
fn erase<F, Fut>(
    handler: F,
    limits: Option<Arc<super::limits::InboundLimits>>,
    layers: Option<InboundChain>,
    app: String,
) -> StreamHandler
where
    F: Fn(StreamingRequest, ResponseWriter) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
{
    Arc::new(move |call: InboundStream| {
        let permit = match &limits {
            None => None,
            Some(l) => match l.admit(&app, &call.service) {
                Ok(p) => Some(p),
                // The connection answers with the refusal's code: Busy.
                Err(e) => return Box::pin(async move { Err(e) }),
            },
        };
        let transport = TransportInfo::from_request(
            call.service.clone(),
            call.headers,
            call.ttl,
            call.deadline,
            call.tracing,
            call.peer,
            call.checksum,
        );
        let mut sink = call.response;
        if let Some(h) = sink.headers_mut() {
            // The response's `as` copies the request's, as for whole calls.
            h.insert("as", transport.scheme.clone());
        }
        let endpoint = crate::Name::from_wire(call.endpoint.clone());
        let (endpoint, transport, ends) = match &layers {
            None => (endpoint, transport, None),
            Some(chain) => match inbound_hooks(chain, &app, endpoint, transport) {
                Ok((endpoint, transport, ends)) => (endpoint, transport, Some(ends)),
                // The connection answers with the refusal's code.
                Err(e) => return Box::pin(async move { Err(e) }),
            },
        };
        let track = ends.as_ref().map(|_| Arc::new(ResponseTrack::default()));
        let sink_state = sink.state.clone();
        let span = crate::trace::call_span!(
            "tchannel.inbound",
            &transport.service,
            &endpoint,
            &call.tracing
        );
        let fut = handler(
            StreamingRequest {
                endpoint,
                transport,
                args: ArgStream::new(call.args),
            },
            ResponseWriter {
                sink,
                tracing: call.tracing,
                track: track.clone(),
            },
        );
        // Calls the handler makes while streaming are children of the streamed call's span.
        Box::pin(crate::trace::Scoped::new(call.tracing, span, async move {
            // The call's places under the limits, given back as this future ends or drops.
            let _permit = permit;
            // Dropped with the handler (deadline, cancel), `ends` reports that instead.
            let mut ends = ends;
            let result = fut.await.map_err(Error::from);
            if let (Some(ends), Some(track)) = (&mut ends, &track) {
                tell_inbound_end(ends, track, &sink_state, &result);
            }
            result
        }))
    })
}

/// Runs the outbound layers' `stream` hooks, in chain order, on a call about to start.
fn outbound_hooks(
    chain: &[Arc<dyn crate::middleware::OutboundMiddleware>],
    mut call: OutboundStreamCall,
) -> Result<(TransportHeaders, StreamEnds), Error> {
    for layer in chain {
        if let Err(e) = layer.stream(&mut call) {
            call.refused(&e);
            return Err(e);
        }
    }
    Ok(call.into_parts())
}

/// Runs the inbound layers' `stream` hooks, in chain order, on a call about to reach its
/// handler.
fn inbound_hooks(
    chain: &[Arc<dyn crate::middleware::InboundMiddleware>],
    app: &str,
    endpoint: crate::Name,
    transport: TransportInfo,
) -> Result<(crate::Name, TransportInfo, StreamEnds), Error> {
    let mut call = InboundStreamCall::new(app, endpoint, transport);
    for layer in chain {
        if let Err(e) = layer.stream(&mut call) {
            call.refused(&e);
            return Err(e);
        }
    }
    Ok(call.into_parts())
}

/// How the handler left its response: what it finished is what the caller got, whatever the
/// handler returned; otherwise the handler's error, the error it failed the response with,
/// or the unexpected error the connection answers with.
fn tell_inbound_end(
    ends: &mut StreamEnds,
    track: &ResponseTrack,
    sink_state: &std::sync::atomic::AtomicU8,
    result: &Result<(), Error>,
) {
    if sink_state.load(Ordering::Acquire) == SINK_FINISHED {
        return ends.finish(if track.app_error.load(Ordering::Relaxed) {
            StreamOutcome::AppError
        } else {
            StreamOutcome::Success
        });
    }
    let failed = track
        .failed
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take();
    let e = match (result, failed) {
        (_, Some(e)) => e,
        (Err(e), None) => e.clone(),
        (Ok(()), None) => misuse("the handler returned without finishing its response"),
    };
    ends.finish(StreamOutcome::Failed(&e));
}

impl TChannel {
    /// Registers a streaming handler for `endpoint` of this channel's service: it reads the
    /// request's args as they arrive and writes its response in pieces. It serves calls in
    /// any arg scheme (the response's `as` copies the request's).
    ///
    /// ```
    /// use tchannel_runtime::TChannel;
    /// let ch = TChannel::new("files");
    /// // Echo, piece by piece: constant memory whatever the body's size.
    /// ch.register_streaming("echo", |mut req, mut res| async move {
    ///     let head = req.args.read_arg2().await?;
    ///     res.write_arg2(head).await?;
    ///     while let Some(piece) = req.args.arg3_chunk().await? {
    ///         res.write_arg3(piece).await?;
    ///     }
    ///     res.finish().await?;
    ///     Ok(())
    /// });
    /// ```
    pub fn register_streaming<F, Fut>(&self, endpoint: impl Into<String>, handler: F)
    where
        F: Fn(StreamingRequest, ResponseWriter) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        let service = self.inner.service.clone();
        self.register_streaming_for(service, endpoint, handler);
    }

    /// Registers a streaming handler for another service name served by this channel.
    pub fn register_streaming_for<F, Fut>(
        &self,
        service: impl Into<String>,
        endpoint: impl Into<String>,
        handler: F,
    ) where
        F: Fn(StreamingRequest, ResponseWriter) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        self.inner.streams.insert(
            service.into(),
            endpoint.into(),
            erase(
                handler,
                self.inner.limits.clone(),
                self.inner.inbound.clone(),
                self.inner.service.clone(),
            ),
        );
    }

    /// A streamed call of `endpoint` on `service` (arg scheme `raw` unless set with
    /// [`scheme`](StreamCall::scheme)): set options, then [`start`](StreamCall::start) it.
    pub fn stream(
        &self,
        service: impl Into<crate::Name>,
        endpoint: impl Into<crate::Name>,
    ) -> StreamCall<Raw> {
        StreamCall {
            channel: self.clone(),
            service: service.into(),
            endpoint: endpoint.into(),
            _scheme: Raw,
            opts: CallOptions::default(),
        }
    }
}

/// A streamed call being set up, in arg scheme `S` (`Raw` unless set with
/// [`scheme`](Self::scheme)). The [`CallOptions`] setters apply. The timeout covers the
/// whole call (request and response streams included).
///
/// **Retries.** A stream cannot be replayed, so it is retried only before anything of it is
/// sent: when [`start`](Self::start) cannot connect to the peer it chose (a connection
/// error: refused, reset, a failed handshake), it tries another peer not tried yet, as a
/// whole call would: up to the retry limit (the channel's by default), unless
/// `retry_on` is `RetryOn::Never`, within the retry budget, after the backoff wait, never for
/// a call with a fixed `hostport`. Once `start` has returned, nothing is retried: an error
/// frame (Busy included), a timeout or a closed connection fails the call. `retry_on`
/// `Timeout` or `ConnectionErrorAndTimeout` make `start` fail with a bad request, and the
/// call goes with `re: n`, so a relay does not retry it either.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), tchannel_runtime::Error> {
/// use tchannel_runtime::{RetryOn, TChannel};
/// let server = TChannel::new("files");
/// server.register_streaming("echo", |mut req, mut res| async move {
///     res.write_arg3(req.args.read_arg3().await?).await?;
///     res.finish().await?;
///     Ok(())
/// });
/// let live = server.listen("127.0.0.1:0").await?.to_string();
/// // A port nobody listens on: if it is chosen first, the call is opened on the live one.
/// let dead = tokio::net::TcpListener::bind("127.0.0.1:0").await?.local_addr()?.to_string();
/// let client = TChannel::builder("client").known_peers([dead, live]).build();
/// let (mut req, res) = client
///     .stream("files", "echo")
///     .retry_on(RetryOn::ConnectionError)
///     .retry_limit(1)
///     .start()
///     .await?;
/// req.write_arg3("hello").await?;
/// req.finish().await?;
/// assert_eq!(res.await?.args.read_arg3().await?, "hello");
/// # server.close().await; Ok(()) }
/// ```
///
/// ```no_run
/// use tchannel_runtime::TChannel;
/// # async fn f() -> Result<(), tchannel_runtime::Error> {
/// let ch = TChannel::new("client");
/// let (mut req, res) = ch.stream("files", "echo").hostport("127.0.0.1:4040").start().await?;
/// // The writer gets its own task: an echo's response flows while the request does.
/// let upload = tokio::spawn(async move {
///     req.write_arg2("head").await?;
///     for _ in 0..1024 {
///         req.write_arg3(vec![7u8; 64 * 1024]).await?; // 64 MiB, 64 KiB at a time
///     }
///     req.finish().await
/// });
/// let mut res = res.await?;
/// assert!(res.ok);
/// let mut n = 0;
/// while let Some(piece) = res.args.arg3_chunk().await? {
///     n += piece.len();
/// }
/// assert_eq!(n, 64 << 20);
/// upload.await.expect("the upload task")?;
/// # Ok(()) }
/// ```
#[must_use = "a streamed call does nothing until it is started"]
pub struct StreamCall<S: Scheme = Raw> {
    channel: TChannel,
    service: crate::Name,
    endpoint: crate::Name,
    /// Only its type matters: it names the `as` header.
    _scheme: S,
    opts: CallOptions,
}

impl<S: Scheme> std::fmt::Debug for StreamCall<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamCall")
            .field("service", &self.service)
            .field("endpoint", &self.endpoint)
            .field("scheme", &S::NAME)
            .finish_non_exhaustive()
    }
}

impl<S: Scheme> StreamCall<S> {
    /// The arg scheme, named in the `as` header (`Raw` by default), given as a value as
    /// for [`TChannel::register`]: `Raw`, `Json` or `Thrift`. The args are written as given
    /// whatever it is.
    ///
    /// ```
    /// use tchannel_runtime::{Json, StreamCall, TChannel};
    /// let ch = TChannel::new("client");
    /// let call: StreamCall<Json> = ch.stream("files", "upload").scheme(Json);
    /// # let _ = call;
    /// ```
    pub fn scheme<T: Scheme>(self, scheme: T) -> StreamCall<T> {
        StreamCall {
            channel: self.channel,
            service: self.service,
            endpoint: self.endpoint,
            _scheme: scheme,
            opts: self.opts,
        }
    }

    /// Replaces all options at once. A stream is never retried once sent: options that ask
    /// for retries on timeouts (`RetryOn::Timeout` / `RetryOn::ConnectionErrorAndTimeout`)
    /// make [`start`](Self::start) fail with a bad request ([`Error::is_bad_request`])
    /// rather than be ignored.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use tchannel_runtime::{CallOptions, RetryOn, TChannel};
    /// let ch = TChannel::new("client");
    /// let opts = CallOptions::default().retry_on(RetryOn::Timeout);
    /// let e = ch.stream("files", "upload").options(opts).start().await.unwrap_err();
    /// assert!(e.is_bad_request());
    /// # }
    /// ```
    pub fn options(mut self, opts: CallOptions) -> Self {
        self.opts = self.opts.replaced_by(opts);
        self
    }

    delegate_call_options!(opts);

    /// Runs the outbound layers' `stream` hooks, connects (if needed) and opens the call,
    /// on another peer if that fails (see "Retries" above). Nothing is sent before the first
    /// frame fills or is flushed.
    pub async fn start(self) -> Result<(RequestWriter, ResponseFuture), Error> {
        let ctx = |e: Error| e.for_call(&self.service, &self.endpoint);
        let inner: &Arc<ChannelInner> = &self.channel.inner;
        let timeout = self
            .opts
            .get_timeout()
            .unwrap_or(inner.config.default_timeout);
        if matches!(
            self.opts.get_retry_on(),
            RetryOn::Timeout | RetryOn::ConnectionErrorAndTimeout
        ) {
            return Err(ctx(Error::bad_request(format!(
                "a streamed call is never retried once sent, so never on a timeout, but its \
                 options ask for it (retry_on {:?})",
                self.opts.get_retry_on()
            ))));
        }
        let mut headers = self.opts.get_transport_headers().clone();
        headers.insert("as", S::NAME);
        // Never retried once sent, and a relay must not retry it either: it cannot be
        // replayed. So `re` is `n` whatever the caller set: `default_headers` sets it, once,
        // where a whole call has it (after `cn`).
        headers.remove("re");
        inner.default_headers(&mut headers, RetryOn::Never);
        // As for whole calls: every length with a wire limit is checked before anything
        // else, and one that does not fit is a bad request naming it.
        let check = |headers: &TransportHeaders| {
            crate::frame::check_request(
                self.service.as_bytes(),
                Some(headers),
                self.endpoint.as_bytes(),
                timeout,
            )
            .map_err(|e| ctx(e.into()))
        };
        check(&headers)?;
        // The timeout is at most u32::MAX ms: checked above.
        let deadline = Instant::now() + timeout;
        // As for whole calls: the span set on the call, else a child of the span of the
        // handler this task serves, else a new root sampled as the channel says.
        let tracing = inner.span_for_call(self.opts.get_tracing());
        // A layer that needs the args (a recorder) gets the call whole, through `call`.
        if let Some(chain) = &inner.outbound {
            if chain.iter().any(|l| l.whole_streams()) {
                let opts = self.opts.clone().tracing(tracing);
                let (buffer, rx) = super::whole::start(
                    inner,
                    self.service.clone(),
                    self.endpoint.clone(),
                    headers,
                    opts,
                    deadline,
                );
                return Ok((
                    RequestWriter {
                        sink: Writer::Whole(buffer),
                    },
                    ResponseFuture {
                        pending: Pending::Whole(rx),
                        deadline,
                        service: self.service,
                        endpoint: self.endpoint,
                        ends: StreamEnds::none(deadline),
                    },
                ));
            }
        }
        // The outbound layers see the call, and may refuse it, before anything is sent.
        let mut ends = StreamEnds::none(deadline);
        if let Some(chain) = &inner.outbound {
            let mut call = OutboundStreamCall::new(
                self.service.clone(),
                self.endpoint.clone(),
                S::NAME,
                self.opts.clone().tracing(tracing),
            );
            call.transport = headers;
            let (h, e) =
                outbound_hooks(chain, call.for_channel(&inner.service, deadline)).map_err(ctx)?;
            (headers, ends) = (h, e);
            ends.fail_on(check(&headers))?;
        }
        let call = OutgoingStream {
            service: self.service.as_bytes().clone(),
            endpoint: self.endpoint.as_bytes().clone(),
            headers,
            tracing,
            checksum: self.opts.get_checksum().unwrap_or(inner.config.checksum),
            deadline,
        };
        let started = open_retrying(inner, &self.opts, call, &self.service)
            .await
            .map_err(ctx);
        let started = ends.fail_on(started)?;
        Ok((
            RequestWriter {
                sink: Writer::Wire(started.request),
            },
            ResponseFuture {
                pending: Pending::Wire {
                    head: started.head,
                    args: Some(started.args),
                    guard: started.guard,
                },
                deadline,
                service: self.service,
                endpoint: self.endpoint,
                ends,
            },
        ))
    }
}

/// Opens a streamed call on a peer: the one set with `hostport`, else one chosen; and again
/// on another one not tried yet when the peer cannot be connected to (nothing of the call has
/// been sent then), as many times as the retry limit, `retry_on` and the retry budget allow,
/// after the backoff wait, as for whole calls.
async fn open_retrying(
    inner: &Arc<ChannelInner>,
    opts: &CallOptions,
    call: OutgoingStream,
    service: &str,
) -> Result<crate::connection::StartedStream, Error> {
    let fixed = opts.get_hostport();
    let retry_limit = match fixed {
        Some(_) => 0,
        None => opts.get_retry_limit().unwrap_or(inner.config.retry_limit),
    };
    if let Some(b) = &inner.budget {
        b.deposit();
    }
    let sk = call.headers.get("sk");
    let via_sub = opts.sub_channel;
    let info = |n| {
        CallInfo::new(service)
            .via_sub_channel(via_sub)
            .attempt(n, sk)
    };
    let mut tried = HashSet::new();
    let mut attempt = 0;
    let mut host_port = match fixed {
        Some(hp) => hp.to_owned(),
        None => inner.peers.choose_call(&info(0), &tried)?.host_port.clone(),
    };
    loop {
        // Counted on the peer while it takes a connection and opens the call, as `send`
        // counts a whole call: the idle sweep leaves such a peer's connections open.
        let peer = inner.peers.get_or_add(&host_port);
        let slot = peer.reserve();
        let err = match inner.connection_to(&host_port, call.deadline).await {
            // The call is handed over (not copied for a retry): opening it on a connection
            // that closed meanwhile is not retried.
            Ok(conn) => return conn.start_stream(call).map_err(|e| e.with_peer(&host_port)),
            Err(e) => e.with_peer(&host_port),
        };
        drop(slot);
        drop(peer);
        // `connection_to` could not prune it while it was held here.
        inner.peers.prune(&host_port);
        tried.insert(std::mem::take(&mut host_port));
        let now = Instant::now();
        let next = (attempt < retry_limit
            && opts.get_retry_on().should_retry(&err)
            && now + std::time::Duration::from_millis(1) < call.deadline)
            .then(|| inner.peers.choose_call(&info(attempt + 1), &tried).ok())
            .flatten()
            .filter(|_| inner.budget.as_ref().is_none_or(|b| b.try_withdraw()));
        let Some(next) = next else {
            return Err(err);
        };
        tracing::debug!(attempt, "retrying a streamed call before sending it: {err}");
        attempt += 1;
        let wait = inner.config.retry_backoff.delay(
            attempt,
            crate::id::random_id(),
            call.deadline.saturating_duration_since(now),
        );
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        if let Some(s) = &inner.stats {
            let tags = crate::reporter::CallTags {
                caller: call.headers.get("cn").unwrap_or_default(),
                service,
                endpoint: std::str::from_utf8(&call.endpoint).unwrap_or_default(),
            };
            s.retry(&tags, attempt);
        }
        host_port = next.host_port.clone();
    }
}

/// The request of a streamed call, written in pieces: arg2, then arg3, then `finish`.
///
/// Dropping it before `finish` fails the call (and cancels it at the peer once the response is
/// dropped too).
pub struct RequestWriter {
    sink: Writer,
}

impl std::fmt::Debug for RequestWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestWriter").finish_non_exhaustive()
    }
}

impl RequestWriter {
    sink_writes!();

    /// Ends the request.
    pub async fn finish(mut self) -> Result<(), Error> {
        self.sink.finish().await
    }

    /// arg3 as a [`tokio::io::AsyncWrite`] (ends arg2); shutting it down ends the request.
    ///
    /// ```no_run
    /// # async fn f(req: tchannel_runtime::RequestWriter) -> std::io::Result<()> {
    /// use tokio::io::{AsyncReadExt, AsyncWriteExt};
    /// let mut body = req.into_arg3_writer();
    /// tokio::io::copy(&mut tokio::io::repeat(7).take(1 << 30), &mut body).await?; // 1 GiB
    /// body.shutdown().await?;
    /// # Ok(()) }
    /// ```
    pub fn into_arg3_writer(self) -> Arg3Writer {
        Arg3Writer::new(self.sink)
    }
}

/// The response of a streamed call: awaiting it gives the [`StreamingResponse`] once its
/// first frame has arrived (or the call's error). Dropping it and the request writer before
/// the response has ended cancels the call.
#[must_use = "the response must be awaited (dropping it cancels the call)"]
pub struct ResponseFuture {
    pending: Pending,
    deadline: Instant,
    service: crate::Name,
    endpoint: crate::Name,
    /// The outbound layers' `on_end` functions (none without layers).
    ends: StreamEnds,
}

impl std::fmt::Debug for ResponseFuture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseFuture")
            .field("service", &self.service)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

/// What a [`ResponseFuture`] waits for.
enum Pending {
    /// The response's first frame on the connection.
    Wire {
        head: oneshot::Receiver<Result<crate::connection::CallResult, Error>>,
        args: Option<StreamSource>,
        guard: Arc<OutboundGuard>,
    },
    /// The whole call the streamed one was made into (`whole.rs`).
    Whole(super::whole::WholeResult),
}

impl ResponseFuture {
    async fn wait(self) -> Result<StreamingResponse, Error> {
        let (mut head, mut args, guard) = match self.pending {
            Pending::Wire { head, args, guard } => (head, args, guard),
            Pending::Whole(rx) => {
                let res = match tokio::time::timeout_at(self.deadline, rx).await {
                    Ok(Ok(r)) => r,
                    Ok(Err(_)) => Err(Error::from_code(
                        ErrorCode::Unexpected,
                        "the whole call was dropped",
                    )),
                    Err(_) => Err(Error::timeout("no response before the deadline")),
                }
                .map_err(|e| e.for_call(&self.service, &self.endpoint))?;
                return Ok(StreamingResponse {
                    ok: res.ok,
                    transport: res.transport,
                    args: ArgStream {
                        inner: Source::Whole(super::whole::WholeArgs::new(res.headers, res.body)),
                        ends: None,
                    },
                });
            }
        };
        let mut ends = self.ends;
        let head = match tokio::time::timeout_at(self.deadline, &mut head).await {
            Ok(Ok(r)) => r,
            Ok(Err(_)) => Err(Error::network("the connection closed")),
            Err(_) => Err(Error::timeout("no response before the deadline")),
        }
        .map_err(|e| e.for_call(&self.service, &self.endpoint));
        let head = ends.fail_on(head)?;
        let _keep = guard; // until the args take over
        let ok = head.code == 0;
        let mut args = ArgStream::new(args.take().expect("set at start"));
        if !ends.is_empty() {
            args.ends = Some((std::mem::take(&mut ends), ok));
        }
        Ok(StreamingResponse {
            ok,
            transport: head.headers,
            args,
        })
    }
}

impl IntoFuture for ResponseFuture {
    type Output = Result<StreamingResponse, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.wait())
    }
}

/// A streamed response: its head, and its args as they arrive.
#[derive(Debug)]
pub struct StreamingResponse {
    /// False for an application error (call res code 0x01).
    pub ok: bool,
    /// The response's transport headers.
    pub transport: TransportHeaders,
    /// arg2 and arg3, as they arrive.
    pub args: ArgStream,
}
