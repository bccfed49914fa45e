//! TChannel protocol v2 frames: the 16-byte header and one type per message kind.
//!
//! Decoding never copies payload bytes: args, service names and header values are slices of
//! the frame's [`Bytes`]. Encoding appends to a [`BytesMut`], so a writer can batch many frames
//! into one buffer.

mod codec;
mod limits;
mod reader;

pub use codec::{Decoded, FrameCodec};
pub(crate) use limits::{check_len, check_request};
pub use limits::{
    EncodeError, MAX_ARG1_LEN, MAX_ERROR_MESSAGE_LEN, MAX_HEADER_KEY_LEN, MAX_HEADER_VALUE_LEN,
    MAX_SERVICE_LEN, MAX_TRANSPORT_HEADERS, MAX_TTL_MS,
};
pub use reader::DecodeError;
pub(crate) use reader::Reader;

use crate::checksum::{Checksum, ChecksumType};
use bytes::{BufMut, Bytes, BytesMut};
use std::fmt;

/// Size of the common frame header.
pub const HEADER_LEN: usize = 16;
/// The largest frame: the 2-byte size field counts the header too.
pub const MAX_FRAME_LEN: usize = 0xFFFF;
/// The largest payload: `MAX_FRAME_LEN - HEADER_LEN`.
pub const MAX_PAYLOAD_LEN: usize = MAX_FRAME_LEN - HEADER_LEN;
/// Message id reserved for errors with no request context.
pub const NO_ID: u32 = 0xFFFF_FFFF;

/// Flag bit: more fragments of this message follow.
pub const FLAG_MORE_FRAGMENTS: u8 = 0x01;
/// Flag bit: streaming request (spec only; no implementation sends it).
pub const FLAG_STREAMING: u8 = 0x02;

/// Message type codes (protocol section 2).
pub mod types {
    /// init req
    pub const INIT_REQ: u8 = 0x01;
    /// init res
    pub const INIT_RES: u8 = 0x02;
    /// call req
    pub const CALL_REQ: u8 = 0x03;
    /// call res
    pub const CALL_RES: u8 = 0x04;
    /// call req continue
    pub const CALL_REQ_CONTINUE: u8 = 0x13;
    /// call res continue
    pub const CALL_RES_CONTINUE: u8 = 0x14;
    /// cancel
    pub const CANCEL: u8 = 0xC0;
    /// claim
    pub const CLAIM: u8 = 0xC1;
    /// ping req
    pub const PING_REQ: u8 = 0xD0;
    /// ping res
    pub const PING_RES: u8 = 0xD1;
    /// error
    pub const ERROR: u8 = 0xFF;
}

/// The 25-byte tracing field: span id, parent id, trace id, flags (in that wire order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Tracing {
    /// This span.
    pub span_id: u64,
    /// The caller's span, 0 for a root.
    pub parent_id: u64,
    /// The whole trace.
    pub trace_id: u64,
    /// Bit 0x01: sampled.
    pub flags: u8,
}

impl Tracing {
    /// Encoded length.
    pub const LEN: usize = 25;

    fn decode(r: &mut Reader) -> Result<Self, DecodeError> {
        Ok(Tracing {
            span_id: r.u64("tracing.span_id")?,
            parent_id: r.u64("tracing.parent_id")?,
            trace_id: r.u64("tracing.trace_id")?,
            flags: r.u8("tracing.flags")?,
        })
    }

    fn encode(&self, dst: &mut BytesMut) {
        dst.put_u64(self.span_id);
        dst.put_u64(self.parent_id);
        dst.put_u64(self.trace_id);
        dst.put_u8(self.flags);
    }
}

/// Call transport headers, `nh:1 (k~1 v~1){nh}`, in wire order.
///
/// ```
/// use tchannel_runtime::frame::TransportHeaders;
/// let mut h = TransportHeaders::new();
/// h.insert("as", "raw");
/// h.insert("cn", "client");
/// h.insert("as", "json"); // replaces
/// assert_eq!(h.get("as"), Some("json"));
/// assert_eq!(h.len(), 2);
/// ```
#[derive(Clone, Default)]
pub struct TransportHeaders {
    entries: Entries,
}

/// The entries of a [`TransportHeaders`]: its own, or a list shared by many (a channel's
/// prebuilt call headers, a response's `as`), cloned by a reference count and copied on the
/// first change.
#[derive(Clone)]
enum Entries {
    Owned(Vec<(Bytes, Bytes)>),
    Shared(std::sync::Arc<[(Bytes, Bytes)]>),
}

impl Default for Entries {
    fn default() -> Self {
        Entries::Owned(Vec::new())
    }
}

impl std::ops::Deref for Entries {
    type Target = [(Bytes, Bytes)];
    #[inline]
    fn deref(&self) -> &Self::Target {
        match self {
            Entries::Owned(v) => v,
            Entries::Shared(s) => s,
        }
    }
}

impl Entries {
    /// The entries to change: a shared list is copied first.
    fn to_mut(&mut self) -> &mut Vec<(Bytes, Bytes)> {
        if let Entries::Shared(s) = self {
            *self = Entries::Owned(s.to_vec());
        }
        match self {
            Entries::Owned(v) => v,
            Entries::Shared(_) => unreachable!("copied above"),
        }
    }
}

impl PartialEq for TransportHeaders {
    fn eq(&self, other: &Self) -> bool {
        *self.entries == *other.entries
    }
}

impl Eq for TransportHeaders {}

impl fmt::Debug for TransportHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportHeaders")
            .field("entries", &&*self.entries)
            .finish()
    }
}

impl TransportHeaders {
    /// The most headers a frame may carry: [`MAX_TRANSPORT_HEADERS`] (128).
    pub const MAX_COUNT: usize = MAX_TRANSPORT_HEADERS;
    /// The longest key the spec allows: [`MAX_HEADER_KEY_LEN`] (16; Node accepts at most 15).
    pub const MAX_KEY_LEN: usize = MAX_HEADER_KEY_LEN;
    /// The longest value: [`MAX_HEADER_VALUE_LEN`] (255, the one-byte length).
    pub const MAX_VALUE_LEN: usize = MAX_HEADER_VALUE_LEN;

    /// No headers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to `value`, replacing an earlier value.
    pub fn insert(&mut self, key: impl Into<Bytes>, value: impl Into<Bytes>) {
        let key = key.into();
        let value = value.into();
        let entries = self.entries.to_mut();
        if let Some(e) = entries.iter_mut().find(|(k, _)| *k == key) {
            e.1 = value;
        } else {
            entries.push((key, value));
        }
    }

    /// Adds `key` only if it is absent.
    pub fn insert_default(&mut self, key: &'static str, value: impl Into<Bytes>) {
        if self.get_bytes(key).is_none() {
            self.entries
                .to_mut()
                .push((Bytes::from_static(key.as_bytes()), value.into()));
        }
    }

    /// The value of `key` as UTF-8, if present and valid.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.get_bytes(key)
            .and_then(|v| std::str::from_utf8(v).ok())
    }

    /// The value of `key`, shared (the frame's own bytes for a received header).
    pub(crate) fn get_shared(&self, key: &str) -> Option<&Bytes> {
        self.entries
            .iter()
            .find(|(k, _)| k.as_ref() == key.as_bytes())
            .map(|(_, v)| v)
    }

    /// The raw value of `key`.
    pub fn get_bytes(&self, key: &str) -> Option<&[u8]> {
        self.get_shared(key).map(|v| v.as_ref())
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Bytes> {
        let i = self
            .entries
            .iter()
            .position(|(k, _)| k.as_ref() == key.as_bytes())?;
        Some(self.entries.to_mut().remove(i).1)
    }

    /// These headers, shared: their clones share one list (a reference count, no
    /// allocation), copied on the first change. For headers many calls send alike.
    pub(crate) fn into_shared(self) -> Self {
        let entries = match self.entries {
            Entries::Owned(v) => Entries::Shared(v.into()),
            shared => shared,
        };
        TransportHeaders { entries }
    }

    /// Number of headers.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// No headers at all.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Iterates over `(key, value)` pairs as raw bytes, in wire order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8])> {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    fn encoded_len(&self) -> usize {
        1 + self
            .entries
            .iter()
            .map(|(k, v)| 2 + k.len() + v.len())
            .sum::<usize>()
    }

    /// Checks the limits of the wire format, which the encoder enforces and the decoder
    /// refuses to break: at most [`MAX_TRANSPORT_HEADERS`] (128) headers, keys of 1 to
    /// [`MAX_HEADER_KEY_LEN`] (16) bytes, values of at most [`MAX_HEADER_VALUE_LEN`] (255)
    /// bytes, no key twice. The error names the header, its length and the limit.
    ///
    /// ```
    /// use tchannel_runtime::frame::TransportHeaders;
    /// let mut h = TransportHeaders::new();
    /// h.insert("sk", "k".repeat(300));
    /// let e = h.validate().unwrap_err();
    /// assert_eq!(
    ///     e.to_string(),
    ///     "transport header `sk` value is 300 bytes long, the limit is 255"
    /// );
    /// ```
    pub fn validate(&self) -> Result<(), EncodeError> {
        self.check(true)
    }

    /// [`validate`](Self::validate) without its scan for a key that appears twice: the count
    /// and every key's and value's length, one comparison each. The encoder's and the
    /// fragmenter's guard, once the headers were validated where they entered (a call's by
    /// its builder, a response's by the fragmenter). No key can appear twice in a
    /// `TransportHeaders` anyway: `insert` replaces, `insert_default` skips a present key and
    /// the decoder refuses a repeated one.
    pub(crate) fn check_lengths(&self) -> Result<(), EncodeError> {
        self.check(false)
    }

    #[inline]
    fn check(&self, duplicates: bool) -> Result<(), EncodeError> {
        check_len(
            || "transport headers".into(),
            self.entries.len(),
            MAX_TRANSPORT_HEADERS,
            "headers",
        )?;
        for (i, (k, v)) in self.entries.iter().enumerate() {
            let name = || String::from_utf8_lossy(k).into_owned();
            if k.is_empty() {
                return Err(EncodeError::Invalid {
                    field: "transport header key".into(),
                    reason: "a key must not be empty".into(),
                });
            }
            check_len(
                || format!("transport header key `{}`", name()),
                k.len(),
                MAX_HEADER_KEY_LEN,
                "bytes",
            )?;
            check_len(
                || format!("transport header `{}` value", name()),
                v.len(),
                MAX_HEADER_VALUE_LEN,
                "bytes",
            )?;
            if duplicates && self.entries[..i].iter().any(|(k2, _)| k2 == k) {
                return Err(EncodeError::Invalid {
                    field: format!("transport header `{}`", name()),
                    reason: "the key appears twice".into(),
                });
            }
        }
        Ok(())
    }

    fn decode(r: &mut Reader) -> Result<Self, DecodeError> {
        let n = r.u8("transport headers count")? as usize;
        if n > MAX_TRANSPORT_HEADERS {
            return Err(DecodeError::invalid(
                "transport headers count",
                format!("{n} headers, the limit is {MAX_TRANSPORT_HEADERS}"),
            ));
        }
        let mut entries = Vec::with_capacity(n);
        for _ in 0..n {
            let k = r.bytes1("transport header key")?;
            let v = r.bytes1("transport header value")?;
            if k.is_empty() {
                return Err(DecodeError::invalid("transport header key", "empty key"));
            }
            if k.len() > MAX_HEADER_KEY_LEN {
                return Err(DecodeError::invalid(
                    "transport header key",
                    format!(
                        "key {:?} is {} bytes long, the limit is {MAX_HEADER_KEY_LEN}",
                        String::from_utf8_lossy(&k),
                        k.len()
                    ),
                ));
            }
            if entries.iter().any(|(k2, _): &(Bytes, Bytes)| *k2 == k) {
                return Err(DecodeError::invalid(
                    "transport header key",
                    format!("duplicate key {:?}", String::from_utf8_lossy(&k)),
                ));
            }
            entries.push((k, v));
        }
        Ok(TransportHeaders {
            entries: Entries::Owned(entries),
        })
    }

    fn encode(&self, dst: &mut BytesMut) -> Result<(), EncodeError> {
        // Validated where they entered; this guard is the lengths alone.
        self.check_lengths()?;
        let n = u8::try_from(self.entries.len()).map_err(|_| EncodeError::TooLong {
            field: "transport headers".into(),
            len: self.entries.len() as u64,
            limit: MAX_TRANSPORT_HEADERS as u64,
            unit: "headers",
        })?;
        dst.put_u8(n);
        for (k, v) in self.entries.iter() {
            put_bytes1(dst, k, || "transport header key".into())?;
            put_bytes1(dst, v, || "transport header value".into())?;
        }
        Ok(())
    }
}

impl<K: Into<Bytes>, V: Into<Bytes>> FromIterator<(K, V)> for TransportHeaders {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut h = TransportHeaders::new();
        for (k, v) in iter {
            h.insert(k, v);
        }
        h
    }
}

/// The 1..=3 arg chunks a call or continue frame carries, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Chunks {
    items: [Bytes; 3],
    len: u8,
}

impl Chunks {
    /// No chunks yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a chunk. Panics if the frame already holds three: callers (the fragmenter)
    /// never add more, since each chunk in a frame belongs to a different arg.
    pub fn push(&mut self, chunk: Bytes) {
        assert!(self.len < 3, "a frame holds at most three arg chunks");
        self.items[self.len as usize] = chunk;
        self.len += 1;
    }

    pub(crate) fn set_last(&mut self, chunk: Bytes) {
        self.items[self.len as usize - 1] = chunk;
    }

    /// The chunks.
    pub fn as_slice(&self) -> &[Bytes] {
        &self.items[..self.len as usize]
    }

    /// Number of chunks.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// No chunks.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes on the wire: each chunk plus its 2-byte length.
    pub fn encoded_len(&self) -> usize {
        self.as_slice().iter().map(|c| 2 + c.len()).sum()
    }

    fn decode(r: &mut Reader) -> Result<Self, DecodeError> {
        let mut chunks = Chunks::new();
        while r.remaining() > 0 {
            if chunks.len == 3 {
                return Err(DecodeError::invalid(
                    "args",
                    "more than three arg chunks in one frame",
                ));
            }
            let n = r.u16("arg chunk length")? as usize;
            chunks.push(r.take("arg chunk", n)?);
        }
        if chunks.is_empty() {
            return Err(DecodeError::invalid("args", "frame holds no arg chunk"));
        }
        Ok(chunks)
    }

    fn encode(&self, dst: &mut BytesMut) -> Result<(), EncodeError> {
        for c in self.as_slice() {
            put_bytes2(dst, c, || "arg chunk".into())?;
        }
        Ok(())
    }
}

fn decode_checksum(r: &mut Reader) -> Result<Checksum, DecodeError> {
    let code = r.u8("csumtype")?;
    let kind = ChecksumType::from_code(code)
        .ok_or_else(|| DecodeError::invalid("csumtype", format!("unknown type {code:#04x}")))?;
    let value = if kind.is_empty() { 0 } else { r.u32("csum")? };
    Ok(Checksum { kind, value })
}

fn encode_checksum(c: &Checksum, dst: &mut BytesMut) {
    dst.put_u8(c.kind.code());
    if !c.kind.is_empty() {
        dst.put_u32(c.value);
    }
}

/// init req / init res payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Init {
    /// Protocol version, 2.
    pub version: u16,
    /// Headers (`host_port`, `process_name`, ...), with 2-byte lengths on the wire.
    pub headers: Vec<(String, String)>,
}

impl Init {
    /// The value of an init header.
    pub fn header(&self, key: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn decode(r: &mut Reader) -> Result<Self, DecodeError> {
        let version = r.u16("init version")?;
        let n = r.u16("init headers count")?;
        let mut headers = Vec::with_capacity(n.min(64) as usize);
        for _ in 0..n {
            let k = r.string2("init header key")?;
            let v = r.string2("init header value")?;
            headers.push((k, v));
        }
        r.finish("init")?;
        Ok(Init { version, headers })
    }

    fn encode(&self, dst: &mut BytesMut) -> Result<(), EncodeError> {
        dst.put_u16(self.version);
        let n = u16::try_from(self.headers.len()).map_err(|_| EncodeError::TooLong {
            field: "init headers".into(),
            len: self.headers.len() as u64,
            limit: u16::MAX.into(),
            unit: "headers",
        })?;
        dst.put_u16(n);
        for (k, v) in &self.headers {
            put_bytes2(dst, k.as_bytes(), || "init header key".into())?;
            put_bytes2(dst, v.as_bytes(), || format!("init header `{k}` value"))?;
        }
        Ok(())
    }
}

/// call req (0x03): the first frame of a request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CallReq {
    /// Bit 0x01: more fragments follow.
    pub flags: u8,
    /// Milliseconds the caller will wait.
    pub ttl: u32,
    /// Zipkin-style tracing.
    pub tracing: Tracing,
    /// Destination service.
    pub service: Bytes,
    /// Transport headers.
    pub headers: TransportHeaders,
    /// Checksum over the arg bytes so far.
    pub checksum: Checksum,
    /// Arg chunks.
    pub chunks: Chunks,
}

impl CallReq {
    /// Payload bytes before the checksum: flags, ttl, tracing, service, headers.
    pub fn prefix_len(&self) -> usize {
        1 + 4 + Tracing::LEN + 1 + self.service.len() + self.headers.encoded_len()
    }

    fn decode(r: &mut Reader) -> Result<Self, DecodeError> {
        Ok(CallReq {
            flags: r.u8("flags")?,
            ttl: r.u32("ttl")?,
            tracing: Tracing::decode(r)?,
            service: r.bytes1("service")?,
            headers: TransportHeaders::decode(r)?,
            checksum: decode_checksum(r)?,
            chunks: Chunks::decode(r)?,
        })
    }

    /// Checks the fields of the frame's prefix against their wire limits: the service name
    /// (at most [`MAX_SERVICE_LEN`], 255 bytes) and the transport headers
    /// ([`TransportHeaders::validate`]).
    pub fn validate(&self) -> Result<(), EncodeError> {
        check_len(
            || "service name".into(),
            self.service.len(),
            MAX_SERVICE_LEN,
            "bytes",
        )?;
        self.headers.validate()
    }

    fn encode(&self, dst: &mut BytesMut) -> Result<(), EncodeError> {
        dst.put_u8(self.flags);
        dst.put_u32(self.ttl);
        self.tracing.encode(dst);
        put_bytes1(dst, &self.service, || "service name".into())?;
        self.headers.encode(dst)?;
        encode_checksum(&self.checksum, dst);
        self.chunks.encode(dst)
    }
}

/// call res (0x04): the first frame of a response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CallRes {
    /// Bit 0x01: more fragments follow.
    pub flags: u8,
    /// 0x00 OK, 0x01 application error.
    pub code: u8,
    /// Tracing, copied from the request.
    pub tracing: Tracing,
    /// Transport headers.
    pub headers: TransportHeaders,
    /// Checksum over the arg bytes so far.
    pub checksum: Checksum,
    /// Arg chunks.
    pub chunks: Chunks,
}

impl CallRes {
    /// Payload bytes before the checksum.
    pub fn prefix_len(&self) -> usize {
        1 + 1 + Tracing::LEN + self.headers.encoded_len()
    }

    fn decode(r: &mut Reader) -> Result<Self, DecodeError> {
        Ok(CallRes {
            flags: r.u8("flags")?,
            code: r.u8("code")?,
            tracing: Tracing::decode(r)?,
            headers: TransportHeaders::decode(r)?,
            checksum: decode_checksum(r)?,
            chunks: Chunks::decode(r)?,
        })
    }

    /// Checks the transport headers against their wire limits
    /// ([`TransportHeaders::validate`]).
    pub fn validate(&self) -> Result<(), EncodeError> {
        self.headers.validate()
    }

    fn encode(&self, dst: &mut BytesMut) -> Result<(), EncodeError> {
        dst.put_u8(self.flags);
        dst.put_u8(self.code);
        self.tracing.encode(dst);
        self.headers.encode(dst)?;
        encode_checksum(&self.checksum, dst);
        self.chunks.encode(dst)
    }
}

/// call req continue (0x13) / call res continue (0x14).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CallContinue {
    /// Bit 0x01: more fragments follow. 0x02 is a protocol error here.
    pub flags: u8,
    /// Running checksum.
    pub checksum: Checksum,
    /// Arg chunks.
    pub chunks: Chunks,
}

impl CallContinue {
    fn decode(r: &mut Reader) -> Result<Self, DecodeError> {
        let flags = r.u8("flags")?;
        if flags & FLAG_STREAMING != 0 {
            return Err(DecodeError::invalid(
                "flags",
                "streaming flag 0x02 on a continue frame",
            ));
        }
        Ok(CallContinue {
            flags,
            checksum: decode_checksum(r)?,
            chunks: Chunks::decode(r)?,
        })
    }

    fn encode(&self, dst: &mut BytesMut) -> Result<(), EncodeError> {
        dst.put_u8(self.flags);
        encode_checksum(&self.checksum, dst);
        self.chunks.encode(dst)
    }
}

/// cancel (0xC0): `ttl:4 tracing:25 why~2`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cancel {
    /// ttl (Go writes 0 and never reads it).
    pub ttl: u32,
    /// Tracing of the cancelled call.
    pub tracing: Tracing,
    /// Free text for logs.
    pub why: Bytes,
}

/// claim (0xC1): `ttl:4 tracing:25`. Decoded, never sent (Node treats it as fatal).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Claim {
    /// ttl
    pub ttl: u32,
    /// Tracing naming the claimed request.
    pub tracing: Tracing,
}

/// error (0xFF): `code:1 tracing:25 message~2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorFrame {
    /// The error code.
    pub code: crate::error::ErrorCode,
    /// Tracing of the failed call, or zeros.
    pub tracing: Tracing,
    /// Free text, at most [`MAX_ERROR_MESSAGE_LEN`] bytes (the encoder refuses more).
    pub message: Bytes,
}

impl ErrorFrame {
    /// An error frame whose message is `message`, shortened (at a character boundary) to
    /// [`MAX_ERROR_MESSAGE_LEN`] bytes if it is longer, so that the frame always encodes.
    /// The message is free text for logs; only here is it ever shortened.
    ///
    /// ```
    /// use tchannel_runtime::frame::{ErrorFrame, MAX_ERROR_MESSAGE_LEN};
    /// use tchannel_runtime::ErrorCode;
    /// let e = ErrorFrame::new(ErrorCode::Unexpected, Default::default(), &"é".repeat(40_000));
    /// assert!(e.message.len() <= MAX_ERROR_MESSAGE_LEN);
    /// assert!(std::str::from_utf8(&e.message).is_ok());
    /// ```
    pub fn new(code: crate::error::ErrorCode, tracing: Tracing, message: &str) -> Self {
        let mut end = message.len().min(MAX_ERROR_MESSAGE_LEN);
        while !message.is_char_boundary(end) {
            end -= 1;
        }
        ErrorFrame {
            code,
            tracing,
            message: Bytes::copy_from_slice(&message.as_bytes()[..end]),
        }
    }
}

/// A decoded frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// Message id.
    pub id: u32,
    /// Type-specific payload.
    pub body: FrameBody,
}

/// The payload of a frame, by type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)]
pub enum FrameBody {
    /// 0x01
    InitReq(Init),
    /// 0x02
    InitRes(Init),
    /// 0x03
    CallReq(CallReq),
    /// 0x04
    CallRes(CallRes),
    /// 0x13
    CallReqContinue(CallContinue),
    /// 0x14
    CallResContinue(CallContinue),
    /// 0xC0
    Cancel(Cancel),
    /// 0xC1
    Claim(Claim),
    /// 0xD0
    PingReq,
    /// 0xD1
    PingRes,
    /// 0xFF
    Error(ErrorFrame),
    /// A type this implementation does not know; kept so it can be logged and skipped.
    Unknown {
        /// The type byte.
        frame_type: u8,
        /// The raw payload.
        payload: Bytes,
    },
}

impl FrameBody {
    /// The wire type code.
    pub fn frame_type(&self) -> u8 {
        use types::*;
        match self {
            FrameBody::InitReq(_) => INIT_REQ,
            FrameBody::InitRes(_) => INIT_RES,
            FrameBody::CallReq(_) => CALL_REQ,
            FrameBody::CallRes(_) => CALL_RES,
            FrameBody::CallReqContinue(_) => CALL_REQ_CONTINUE,
            FrameBody::CallResContinue(_) => CALL_RES_CONTINUE,
            FrameBody::Cancel(_) => CANCEL,
            FrameBody::Claim(_) => CLAIM,
            FrameBody::PingReq => PING_REQ,
            FrameBody::PingRes => PING_RES,
            FrameBody::Error(_) => ERROR,
            FrameBody::Unknown { frame_type, .. } => *frame_type,
        }
    }

    /// A short name for logs and errors.
    pub fn name(&self) -> &'static str {
        match self {
            FrameBody::InitReq(_) => "init req",
            FrameBody::InitRes(_) => "init res",
            FrameBody::CallReq(_) => "call req",
            FrameBody::CallRes(_) => "call res",
            FrameBody::CallReqContinue(_) => "call req continue",
            FrameBody::CallResContinue(_) => "call res continue",
            FrameBody::Cancel(_) => "cancel",
            FrameBody::Claim(_) => "claim",
            FrameBody::PingReq => "ping req",
            FrameBody::PingRes => "ping res",
            FrameBody::Error(_) => "error",
            FrameBody::Unknown { .. } => "unknown",
        }
    }
}

impl Frame {
    /// Decodes a payload of the given type. `payload` is the frame minus its 16-byte header.
    pub fn decode(frame_type: u8, id: u32, payload: Bytes) -> Result<Frame, DecodeError> {
        use types::*;
        let mut r = Reader::new(payload);
        let body = match frame_type {
            INIT_REQ => FrameBody::InitReq(Init::decode(&mut r)?),
            INIT_RES => FrameBody::InitRes(Init::decode(&mut r)?),
            CALL_REQ => FrameBody::CallReq(CallReq::decode(&mut r)?),
            CALL_RES => FrameBody::CallRes(CallRes::decode(&mut r)?),
            CALL_REQ_CONTINUE => FrameBody::CallReqContinue(CallContinue::decode(&mut r)?),
            CALL_RES_CONTINUE => FrameBody::CallResContinue(CallContinue::decode(&mut r)?),
            CANCEL => {
                let c = Cancel {
                    ttl: r.u32("ttl")?,
                    tracing: Tracing::decode(&mut r)?,
                    why: r.bytes2("why")?,
                };
                r.finish("cancel")?;
                FrameBody::Cancel(c)
            }
            CLAIM => {
                let c = Claim {
                    ttl: r.u32("ttl")?,
                    tracing: Tracing::decode(&mut r)?,
                };
                r.finish("claim")?;
                FrameBody::Claim(c)
            }
            PING_REQ => FrameBody::PingReq,
            PING_RES => FrameBody::PingRes,
            ERROR => {
                let e = ErrorFrame {
                    code: crate::error::ErrorCode::from_u8(r.u8("error code")?),
                    tracing: Tracing::decode(&mut r)?,
                    message: r.bytes2("error message")?,
                };
                r.finish("error")?;
                FrameBody::Error(e)
            }
            other => FrameBody::Unknown {
                frame_type: other,
                payload: r.rest(),
            },
        };
        Ok(Frame { id, body })
    }

    /// Appends the whole frame (header included) to `dst`.
    ///
    /// Never truncates: a field longer than its wire length allows, or a frame larger than
    /// [`MAX_FRAME_LEN`], is an [`EncodeError`] naming the field, its length and the limit,
    /// and then nothing is appended. The fragmenter checks call frames before building them.
    pub fn encode(&self, dst: &mut BytesMut) -> Result<(), EncodeError> {
        let start = dst.len();
        let r = self.encode_unchecked_size(dst).and_then(|()| {
            let size = dst.len() - start;
            check_len(
                || format!("{} frame", self.body.name()),
                size,
                MAX_FRAME_LEN,
                "bytes",
            )
        });
        match r {
            Ok(size) => {
                // `check_len` kept `size` within MAX_FRAME_LEN, 0xFFFF.
                let size = size as u16;
                dst[start..start + 2].copy_from_slice(&size.to_be_bytes());
                Ok(())
            }
            Err(e) => {
                dst.truncate(start);
                Err(e)
            }
        }
    }

    fn encode_unchecked_size(&self, dst: &mut BytesMut) -> Result<(), EncodeError> {
        dst.put_u16(0); // size, patched by `encode`
        dst.put_u8(self.body.frame_type());
        dst.put_u8(0);
        dst.put_u32(self.id);
        dst.put_u64(0);
        match &self.body {
            FrameBody::InitReq(i) | FrameBody::InitRes(i) => i.encode(dst),
            FrameBody::CallReq(c) => c.encode(dst),
            FrameBody::CallRes(c) => c.encode(dst),
            FrameBody::CallReqContinue(c) | FrameBody::CallResContinue(c) => c.encode(dst),
            FrameBody::Cancel(c) => {
                dst.put_u32(c.ttl);
                c.tracing.encode(dst);
                put_bytes2(dst, &c.why, || "cancel reason".into())
            }
            FrameBody::Claim(c) => {
                dst.put_u32(c.ttl);
                c.tracing.encode(dst);
                Ok(())
            }
            FrameBody::PingReq | FrameBody::PingRes => Ok(()),
            FrameBody::Error(e) => {
                dst.put_u8(e.code.as_u8());
                e.tracing.encode(dst);
                put_bytes2(dst, &e.message, || "error message".into())
            }
            FrameBody::Unknown { payload, .. } => {
                dst.put_slice(payload);
                Ok(())
            }
        }
    }

    /// Encodes into a fresh buffer; fails as [`encode`](Self::encode) does.
    pub fn to_bytes(&self) -> Result<Bytes, EncodeError> {
        let mut b = BytesMut::new();
        self.encode(&mut b)?;
        Ok(b.freeze())
    }
}

fn too_long(field: String, len: usize, limit: u64) -> EncodeError {
    EncodeError::TooLong {
        field,
        len: len as u64,
        limit,
        unit: "bytes",
    }
}

/// Writes `v~1`: a one-byte length, then the bytes; an error if `v` is longer than 255.
fn put_bytes1(
    dst: &mut BytesMut,
    v: &[u8],
    field: impl FnOnce() -> String,
) -> Result<(), EncodeError> {
    let n = u8::try_from(v.len()).map_err(|_| too_long(field(), v.len(), u8::MAX.into()))?;
    dst.put_u8(n);
    dst.put_slice(v);
    Ok(())
}

/// Writes `v~2`: a two-byte length, then the bytes; an error if `v` is longer than 65535.
fn put_bytes2(
    dst: &mut BytesMut,
    v: &[u8],
    field: impl FnOnce() -> String,
) -> Result<(), EncodeError> {
    let n = u16::try_from(v.len()).map_err(|_| too_long(field(), v.len(), u16::MAX.into()))?;
    dst.put_u16(n);
    dst.put_slice(v);
    Ok(())
}

#[cfg(test)]
mod tests;
