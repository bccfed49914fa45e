//! Fragmentation (protocol section 5): splitting a message's three args across a call frame
//! and continue frames, and putting them back together.
//!
//! The writer, `Fragmenter`, is incremental: `write` any number of pieces of the current
//! arg, `end_arg` to close it, `flush` to send what is buffered now. The whole-message path
//! calls it once per arg, and a streaming writer uses the same code. It follows Go's
//! `fragmentingWriter`: a new arg starts in the same frame only when more than 2 bytes are
//! left, otherwise the next frame begins with the `00 00` terminator of the arg that ended.
//!
//! The reader, `ArgReader`, applies the chunk rule: every chunk but the last in a frame
//! completes its arg; the last one does so only when no more fragments follow. It verifies
//! the running checksum frame by frame and enforces the size limits.

use crate::checksum::{Checksum, ChecksumType, RunningChecksum};
use crate::frame::{
    check_len, CallContinue, CallHead, CallReq, CallRes, Chunks, EncodeError, Frame, FrameBody,
    Tracing, TransportHeaders, FLAG_MORE_FRAGMENTS, MAX_PAYLOAD_LEN,
};
use bytes::{Bytes, BytesMut};
use std::fmt;

/// The largest arg1 the protocol allows: 16 KiB (defined with the other limits in
/// [`crate::frame`]).
pub use crate::frame::MAX_ARG1_LEN;

/// The fields of the first frame of a message; the fragmenter fills in flags, checksum and
/// chunks.
#[derive(Debug, Clone)]
pub(crate) enum FirstFrame {
    Req(CallReq),
    Res(CallRes),
}

impl FirstFrame {
    fn prefix_len(&self) -> usize {
        match self {
            FirstFrame::Req(r) => r.prefix_len(),
            FirstFrame::Res(r) => r.prefix_len(),
        }
    }

    /// A response's fields enter here (from a handler): validated in full. A request's were
    /// validated where the call was built (`limits::check_request`), so here only their
    /// lengths are checked again, one comparison each.
    fn validate(&self) -> Result<(), EncodeError> {
        match self {
            FirstFrame::Req(r) => {
                check_len(
                    || "service name".into(),
                    r.service.len(),
                    crate::frame::MAX_SERVICE_LEN,
                    "bytes",
                )?;
                r.headers.check_lengths()
            }
            FirstFrame::Res(r) => r.validate(),
        }
    }
}

/// Checks the first frame of a message whose arg1 is `arg1_len` bytes long, and returns the
/// length of its payload before the arg chunks (fields, headers, checksum). See
/// [`Fragmenter::new`].
fn check_first(
    first: &FirstFrame,
    csum: ChecksumType,
    arg1_len: usize,
) -> Result<usize, EncodeError> {
    first.validate()?;
    check_len(
        || "arg1 (the endpoint)".into(),
        arg1_len,
        MAX_ARG1_LEN,
        "bytes",
    )?;
    let prefix = first.prefix_len() + 1 + csum.len();
    // arg2 starts in the first frame only if more than its 2-byte length is left
    // (Go's rule, which `end_arg` follows): hence one byte under the payload limit.
    check_len(
        || "first frame (fields, transport headers, checksum, arg1)".into(),
        prefix + 2 + arg1_len + 2,
        MAX_PAYLOAD_LEN - 1,
        "bytes",
    )?;
    Ok(prefix)
}

/// The frames of a whole message: see [`Fragmenter::whole`].
pub(crate) enum Whole {
    /// All of it in one frame.
    One(OneFrame),
    /// More than one frame: the fragmenter and the args to write with it.
    Many(Fragmenter, [Bytes; 3]),
}

/// A message that fits one frame, checked, its checksum computed.
pub(crate) struct OneFrame {
    id: u32,
    first: FirstFrame,
    checksum: Checksum,
    args: [Bytes; 3],
}

impl OneFrame {
    /// Whether it answers the peer (a call res).
    pub(crate) fn is_response(&self) -> bool {
        matches!(self.first, FirstFrame::Res(_))
    }

    /// The message id.
    pub(crate) fn id(&self) -> u32 {
        self.id
    }

    /// Appends the frame to `dst` (nothing, on an error).
    pub(crate) fn encode(&self, dst: &mut BytesMut) -> Result<(), EncodeError> {
        let head = match &self.first {
            FirstFrame::Req(r) => CallHead::Req(r),
            FirstFrame::Res(r) => CallHead::Res(r),
        };
        head.encode_frame(self.id, 0, &self.checksum, &self.args, dst)
    }
}

/// The checksum of a response (arg1 empty, `arg2`, `arg3`) that fits one frame, for
/// `CallRes::encode_one` to write it in one pass; `None` when it needs more than one frame
/// (then [`Fragmenter::whole`] cuts it). Refuses the headers as [`Fragmenter::whole`] does
/// (a header that breaks a wire limit, or a key twice), with the same error, and fits one
/// frame exactly when `whole` would answer [`Whole::One`]: the frame it writes is the one
/// `OneFrame::encode` writes for the same response.
pub(crate) fn one_frame_response(
    headers: &TransportHeaders,
    csum: ChecksumType,
    arg2: &[u8],
    arg3: &[u8],
) -> Result<Option<Checksum>, EncodeError> {
    headers.validate()?;
    // `CallRes::prefix_len`, then the checksum, then the three lengths (as in `whole`).
    let prefix = 1 + 1 + Tracing::LEN + headers.encoded_len() + 1 + csum.len();
    if prefix + 6 + arg2.len() + arg3.len() >= MAX_PAYLOAD_LEN {
        return Ok(None);
    }
    let mut running = RunningChecksum::new(csum);
    running.update(arg2);
    running.update(arg3);
    // Farmhash covers the last chunk, arg3, as it does for [arg1, arg2, arg3].
    Ok(Some(running.frame_checksum(&[arg3])))
}

/// The checksum of a whole request (`service`, `headers`, the three args) that fits one
/// frame, for `CallReq::encode_one` to write it in one pass; `None` when it needs more than
/// one frame (then [`Fragmenter::whole`] cuts it). Refuses the fields as
/// [`Fragmenter::whole`] does (a service name, header or arg1 over its wire limit), with the
/// same error, and fits one frame exactly when `whole` would answer [`Whole::One`]: the
/// frame it writes is the one `OneFrame::encode` writes for the same request.
#[inline]
pub(crate) fn one_frame_request(
    service: &[u8],
    headers: &TransportHeaders,
    csum: ChecksumType,
    args: [&[u8]; 3],
) -> Result<Option<Checksum>, EncodeError> {
    // `FirstFrame::validate` and `check_first`'s arg1 check, in their order.
    check_len(
        || "service name".into(),
        service.len(),
        crate::frame::MAX_SERVICE_LEN,
        "bytes",
    )?;
    headers.check_lengths()?;
    check_len(
        || "arg1 (the endpoint)".into(),
        args[0].len(),
        MAX_ARG1_LEN,
        "bytes",
    )?;
    // `CallReq::prefix_len`, then the checksum, then the three lengths (as in `whole`). The
    // first frame's own check follows: within this bound, arg1 and arg2's length fit.
    let prefix = 1 + 4 + Tracing::LEN + 1 + service.len() + headers.encoded_len() + 1 + csum.len();
    if prefix + 6 + args[0].len() + args[1].len() + args[2].len() >= MAX_PAYLOAD_LEN {
        return Ok(None);
    }
    let mut running = RunningChecksum::new(csum);
    for a in args {
        running.update(a);
    }
    Ok(Some(running.frame_checksum(&args)))
}

/// Cuts one message into frames. See the module docs.
pub(crate) struct Fragmenter {
    id: u32,
    first: Option<FirstFrame>,
    csum: RunningChecksum,
    chunks: Chunks,
    /// Bytes left for chunks (lengths included) in the frame being built.
    space: usize,
    /// The arg being written, 0..=2.
    arg: usize,
    /// The frame being built ends with an open chunk of `arg`.
    chunk_open: bool,
    max_payload: usize,
    is_response: bool,
    done: bool,
}

impl Fragmenter {
    /// A fragmenter for a message whose arg1 is `arg1_len` bytes long.
    ///
    /// Refuses (never wraps or truncates) a first frame that breaks a wire limit: a service
    /// name or transport header over its length, arg1 over 16 KiB, or a prefix (fields,
    /// headers, checksum) that leaves no room for all of arg1 and arg2's length, which the
    /// protocol requires in the first frame.
    pub(crate) fn new(
        id: u32,
        first: FirstFrame,
        csum: ChecksumType,
        arg1_len: usize,
    ) -> Result<Self, EncodeError> {
        let prefix = check_first(&first, csum, arg1_len)?;
        let space = MAX_PAYLOAD_LEN - prefix;
        Ok(Self::with_limits(id, first, csum, MAX_PAYLOAD_LEN, space))
    }

    /// The frames of a whole message (three args known at once), checked as
    /// [`new`](Self::new) checks them. When the args fit one frame (the common case), that
    /// frame is returned ready to encode, with its checksum computed once per arg and
    /// without the fragmenter's state; it is the very frame the fragmenter would emit.
    pub(crate) fn whole(
        id: u32,
        first: FirstFrame,
        csum: ChecksumType,
        args: [Bytes; 3],
    ) -> Result<Whole, EncodeError> {
        let prefix = check_first(&first, csum, args[0].len())?;
        let total = prefix + 6 + args[0].len() + args[1].len() + args[2].len();
        // Strictly under the limit: a message that fills the frame to its last byte with an
        // empty arg3 is cut into two frames by the fragmenter (Go's rule, see `end_arg`).
        if total < MAX_PAYLOAD_LEN {
            let mut running = RunningChecksum::new(csum);
            for a in &args {
                running.update(a);
            }
            let checksum = running.frame_checksum(&args);
            return Ok(Whole::One(OneFrame {
                id,
                first,
                checksum,
                args,
            }));
        }
        let space = MAX_PAYLOAD_LEN - prefix;
        Ok(Whole::Many(
            Self::with_limits(id, first, csum, MAX_PAYLOAD_LEN, space),
            args,
        ))
    }

    /// A fragmenter with given frame sizes: `max_payload` for continue frames and `space`
    /// bytes for chunks in the first frame. Tests use small ones to replay the protocol's
    /// examples.
    pub(crate) fn with_limits(
        id: u32,
        first: FirstFrame,
        csum: ChecksumType,
        max_payload: usize,
        space: usize,
    ) -> Self {
        let is_response = matches!(first, FirstFrame::Res(_));
        let mut f = Fragmenter {
            id,
            first: Some(first),
            csum: RunningChecksum::new(csum),
            chunks: Chunks::new(),
            space,
            arg: 0,
            chunk_open: false,
            max_payload,
            is_response,
            done: false,
        };
        f.open_chunk();
        f
    }

    fn open_chunk(&mut self) {
        debug_assert!(self.space >= 2);
        self.chunks.push(Bytes::new());
        self.space -= 2;
        self.chunk_open = true;
    }

    /// Appends `data` to the current arg, emitting every frame that fills up.
    pub(crate) fn write(&mut self, mut data: Bytes, emit: &mut impl FnMut(Frame)) {
        debug_assert!(!self.done);
        while !data.is_empty() {
            if !self.chunk_open {
                self.open_chunk();
            }
            let n = data.len().min(self.space);
            if n > 0 {
                let piece = data.split_to(n);
                self.csum.update(&piece);
                self.append_to_last(piece);
                self.space -= n;
            }
            if !data.is_empty() {
                self.emit_frame(true, emit);
            }
        }
    }

    fn append_to_last(&mut self, piece: Bytes) {
        let items = self.chunks.as_slice();
        let last = items.len() - 1;
        let merged = if items[last].is_empty() {
            piece
        } else {
            // Several writes into one chunk (streaming): join them. The whole-message path
            // writes each arg once, so it never copies here.
            let mut b = BytesMut::with_capacity(items[last].len() + piece.len());
            b.extend_from_slice(&items[last]);
            b.extend_from_slice(&piece);
            b.freeze()
        };
        self.chunks.set_last(merged);
    }

    /// Closes the current arg. After the third, the final frame is emitted.
    pub(crate) fn end_arg(&mut self, emit: &mut impl FnMut(Frame)) {
        debug_assert!(!self.done);
        if !self.chunk_open {
            // The arg ran to the end of the previous frame: terminate it with `00 00`.
            self.open_chunk();
        }
        if self.arg == 2 {
            self.emit_frame(false, emit);
            self.done = true;
            return;
        }
        if self.space > 2 {
            self.open_chunk();
        } else {
            self.emit_frame(true, emit);
            self.open_chunk(); // terminator of the arg that just ended
            self.open_chunk(); // the next arg
        }
        self.arg += 1;
    }

    /// Sends what is buffered now, as a frame with the more-fragments flag (streaming).
    pub(crate) fn flush(&mut self, emit: &mut impl FnMut(Frame)) {
        if !self.done && (self.first.is_some() || self.chunks.encoded_len() > 0) {
            self.emit_frame(true, emit);
        }
    }

    /// Writes three whole args and ends the message.
    pub(crate) fn write_all(mut self, args: [Bytes; 3], emit: &mut impl FnMut(Frame)) {
        for a in args {
            self.write(a, emit);
            self.end_arg(emit);
        }
    }

    fn emit_frame(&mut self, more: bool, emit: &mut impl FnMut(Frame)) {
        let flags = if more { FLAG_MORE_FRAGMENTS } else { 0 };
        let checksum = self.csum.frame_checksum(self.chunks.as_slice());
        let chunks = std::mem::take(&mut self.chunks);
        let body = match self.first.take() {
            Some(FirstFrame::Req(mut r)) => {
                r.flags = flags;
                r.checksum = checksum;
                r.chunks = chunks;
                FrameBody::CallReq(r)
            }
            Some(FirstFrame::Res(mut r)) => {
                r.flags = flags;
                r.checksum = checksum;
                r.chunks = chunks;
                FrameBody::CallRes(r)
            }
            None => {
                let c = CallContinue {
                    flags,
                    checksum,
                    chunks,
                };
                if self.is_response {
                    FrameBody::CallResContinue(c)
                } else {
                    FrameBody::CallReqContinue(c)
                }
            }
        };
        self.space = self.max_payload - 1 - 1 - self.csum.kind().len();
        self.chunk_open = false;
        emit(Frame { id: self.id, body });
    }
}

/// Why a message's frames could not be put back together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FragmentError {
    /// A frame's checksum did not match the arg bytes received so far.
    ChecksumMismatch {
        /// The type.
        kind: ChecksumType,
        /// What the frame said.
        expected: u32,
        /// What we computed.
        actual: u32,
    },
    /// A continue frame used another checksum type than the first frame.
    ChecksumTypeChanged {
        /// The first frame's type.
        first: ChecksumType,
        /// This frame's type.
        now: ChecksumType,
    },
    /// More than three args.
    TooManyArgs,
    /// The message ended with fewer than three args.
    TooFewArgs(usize),
    /// arg1 is longer than 16 KiB.
    Arg1TooLarge(usize),
    /// A request's first frame did not hold the whole of arg1 (the protocol requires it;
    /// tchannel-node refuses the same, and Go relays route on the first frame alone).
    Arg1Fragmented,
    /// The message is longer than the configured limit.
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
}

impl fmt::Display for FragmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FragmentError::ChecksumMismatch {
                kind,
                expected,
                actual,
            } => write!(
                f,
                "{kind} checksum mismatch: frame says {expected:08x}, args give {actual:08x}"
            ),
            FragmentError::ChecksumTypeChanged { first, now } => {
                write!(f, "checksum type changed from {first} to {now} mid-message")
            }
            FragmentError::TooManyArgs => f.write_str("message has more than three args"),
            FragmentError::TooFewArgs(n) => write!(f, "message ended after {n} args, expected 3"),
            FragmentError::Arg1Fragmented => {
                f.write_str("arg1 must be whole in the first frame of a request")
            }
            FragmentError::Arg1TooLarge(n) => {
                write!(f, "arg1 is {n} bytes, the limit is {MAX_ARG1_LEN}")
            }
            FragmentError::TooLarge { limit } => {
                write!(f, "message exceeds the {limit}-byte limit")
            }
        }
    }
}

impl std::error::Error for FragmentError {}

#[derive(Debug, Default)]
enum ArgBuf {
    #[default]
    Empty,
    One(Bytes),
    Many(BytesMut),
}

impl ArgBuf {
    fn push(&mut self, chunk: &Bytes) {
        if chunk.is_empty() {
            return;
        }
        *self = match std::mem::take(self) {
            ArgBuf::Empty => ArgBuf::One(chunk.clone()),
            ArgBuf::One(first) => {
                let mut b = BytesMut::with_capacity(first.len() + chunk.len());
                b.extend_from_slice(&first);
                b.extend_from_slice(chunk);
                ArgBuf::Many(b)
            }
            ArgBuf::Many(mut b) => {
                b.extend_from_slice(chunk);
                ArgBuf::Many(b)
            }
        };
    }

    fn into_bytes(self) -> Bytes {
        match self {
            ArgBuf::Empty => Bytes::new(),
            ArgBuf::One(b) => b,
            ArgBuf::Many(b) => b.freeze(),
        }
    }
}

/// The message's running checksum, started by its first frame; later frames must use the
/// same type.
#[inline]
fn running_checksum(
    slot: &mut Option<RunningChecksum>,
    checksum: Checksum,
) -> Result<&mut RunningChecksum, FragmentError> {
    let csum = slot.get_or_insert_with(|| RunningChecksum::new(checksum.kind));
    if csum.kind() != checksum.kind {
        return Err(FragmentError::ChecksumTypeChanged {
            first: csum.kind(),
            now: checksum.kind,
        });
    }
    Ok(csum)
}

/// Compares a frame's checksum with the one computed over the args so far (and, for
/// farmhash, over the frame's chunks).
#[inline]
fn verify(
    csum: &RunningChecksum,
    checksum: Checksum,
    chunks: &Chunks,
) -> Result<(), FragmentError> {
    let actual = csum.frame_checksum(chunks.as_slice()).value;
    if checksum.kind.verifies() && actual != checksum.value {
        return Err(FragmentError::ChecksumMismatch {
            kind: checksum.kind,
            expected: checksum.value,
            actual,
        });
    }
    Ok(())
}

/// Puts one message's args back together from its frames.
#[derive(Debug)]
pub(crate) struct ArgReader {
    csum: Option<RunningChecksum>,
    /// The arg being filled; 3 once all are complete.
    arg: usize,
    parts: [ArgBuf; 3],
    total: usize,
    limit: usize,
    /// The first frame must complete arg1 (requests: what our fragmenter always does).
    whole_arg1: bool,
}

impl ArgReader {
    pub(crate) fn new(limit: usize) -> Self {
        ArgReader {
            csum: None,
            arg: 0,
            parts: Default::default(),
            total: 0,
            limit,
            whole_arg1: false,
        }
    }

    /// A reader for a request: as [`new`](Self::new), and its first frame must hold the
    /// whole of arg1, as the fragmenter writes it. (Responses are not held to it: their
    /// arg1 is empty, and streaming peers may flush a first frame early.)
    pub(crate) fn for_request(limit: usize) -> Self {
        ArgReader {
            whole_arg1: true,
            ..ArgReader::new(limit)
        }
    }

    /// Whether a message's first frame is also its last and holds all three args: then
    /// [`read_one`](Self::read_one) takes its args, and no reader is needed.
    pub(crate) fn is_one_frame(flags: u8, chunks: &Chunks) -> bool {
        flags & FLAG_MORE_FRAGMENTS == 0 && chunks.len() == 3
    }

    /// The args of a message all in one frame ([`is_one_frame`](Self::is_one_frame)),
    /// checked as [`push`](Self::push) checks them, in the same order, with the same errors:
    /// the size limit `limit`, arg1's, the checksum. The chunks become the args as they are
    /// (no copy, no count of references taken).
    pub(crate) fn read_one(
        limit: usize,
        checksum: Checksum,
        chunks: Chunks,
    ) -> Result<[Bytes; 3], FragmentError> {
        debug_assert_eq!(chunks.len(), 3);
        let args = chunks.into_array();
        let arg1 = args[0].len();
        if arg1 > limit {
            return Err(FragmentError::TooLarge { limit });
        }
        if arg1 > MAX_ARG1_LEN {
            return Err(FragmentError::Arg1TooLarge(arg1));
        }
        if arg1 + args[1].len() + args[2].len() > limit {
            return Err(FragmentError::TooLarge { limit });
        }
        if checksum.kind.verifies() {
            let mut csum = RunningChecksum::new(checksum.kind);
            for a in &args {
                csum.update(a);
            }
            let actual = csum.frame_checksum(&args).value;
            if actual != checksum.value {
                return Err(FragmentError::ChecksumMismatch {
                    kind: checksum.kind,
                    expected: checksum.value,
                    actual,
                });
            }
        }
        Ok(args)
    }

    /// Takes one frame of the message. Returns the three args once the last frame is in.
    pub(crate) fn push(
        &mut self,
        flags: u8,
        checksum: Checksum,
        chunks: &Chunks,
    ) -> Result<Option<[Bytes; 3]>, FragmentError> {
        let first = self.csum.is_none();
        let csum = running_checksum(&mut self.csum, checksum)?;
        let more = flags & FLAG_MORE_FRAGMENTS != 0;
        let last = chunks.len() - 1;
        for (i, chunk) in chunks.as_slice().iter().enumerate() {
            if self.arg >= 3 {
                return Err(FragmentError::TooManyArgs);
            }
            csum.update(chunk);
            self.total += chunk.len();
            if self.total > self.limit {
                return Err(FragmentError::TooLarge { limit: self.limit });
            }
            self.parts[self.arg].push(chunk);
            if self.arg == 0 {
                let n = match &self.parts[0] {
                    ArgBuf::Empty => 0,
                    ArgBuf::One(b) => b.len(),
                    ArgBuf::Many(b) => b.len(),
                };
                if n > MAX_ARG1_LEN {
                    return Err(FragmentError::Arg1TooLarge(n));
                }
            }
            if i < last || !more {
                self.arg += 1;
            }
        }
        if first && self.whole_arg1 && self.arg == 0 {
            return Err(FragmentError::Arg1Fragmented);
        }
        verify(csum, checksum, chunks)?;
        if more {
            return Ok(None);
        }
        if self.arg != 3 {
            return Err(FragmentError::TooFewArgs(self.arg));
        }
        let [a, b, c] = std::mem::take(&mut self.parts);
        Ok(Some([a.into_bytes(), b.into_bytes(), c.into_bytes()]))
    }
}

/// Checks the frames of a streamed message as they pass, keeping none of their data: the
/// running checksum (frame by frame), the number of args and arg1's size. A streamed message
/// has no total size limit: its memory is bounded by the stream's queue, not by its length.
#[derive(Debug, Default)]
pub(crate) struct StreamCheck {
    csum: Option<RunningChecksum>,
    /// The arg the next chunk belongs to; 3 once all are complete.
    arg: usize,
    arg1_len: usize,
}

impl StreamCheck {
    /// Checks one frame of the message.
    pub(crate) fn push(
        &mut self,
        flags: u8,
        checksum: Checksum,
        chunks: &Chunks,
    ) -> Result<(), FragmentError> {
        let csum = running_checksum(&mut self.csum, checksum)?;
        let more = flags & FLAG_MORE_FRAGMENTS != 0;
        let last = chunks.len().saturating_sub(1);
        for (i, chunk) in chunks.as_slice().iter().enumerate() {
            if self.arg >= 3 {
                return Err(FragmentError::TooManyArgs);
            }
            csum.update(chunk);
            if self.arg == 0 {
                self.arg1_len += chunk.len();
                if self.arg1_len > MAX_ARG1_LEN {
                    return Err(FragmentError::Arg1TooLarge(self.arg1_len));
                }
            }
            if i < last || !more {
                self.arg += 1;
            }
        }
        verify(csum, checksum, chunks)?;
        if !more && self.arg != 3 {
            return Err(FragmentError::TooFewArgs(self.arg));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
