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
use bytes::{Buf, BufMut, Bytes, BytesMut};
use std::fmt;
use std::ops::Range;

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

    /// From its 25 bytes.
    #[inline]
    fn from_wire(b: &[u8]) -> Self {
        Tracing {
            span_id: be64(&b[0..8]),
            parent_id: be64(&b[8..16]),
            trace_id: be64(&b[16..24]),
            flags: b[24],
        }
    }

    /// Its 25 bytes, in wire order.
    #[inline]
    fn to_wire(self) -> [u8; Self::LEN] {
        let mut b = [0; Self::LEN];
        b[0..8].copy_from_slice(&self.span_id.to_be_bytes());
        b[8..16].copy_from_slice(&self.parent_id.to_be_bytes());
        b[16..24].copy_from_slice(&self.trace_id.to_be_bytes());
        b[24] = self.flags;
        b
    }

    #[inline]
    fn encode(&self, dst: &mut BytesMut) {
        dst.put_slice(&self.to_wire());
    }
}

/// A big-endian u32 from exactly 4 bytes.
#[inline(always)]
fn be32(b: &[u8]) -> u32 {
    let mut a = [0; 4];
    a.copy_from_slice(b);
    u32::from_be_bytes(a)
}

/// A big-endian u64 from exactly 8 bytes.
#[inline(always)]
fn be64(b: &[u8]) -> u64 {
    let mut a = [0; 8];
    a.copy_from_slice(b);
    u64::from_be_bytes(a)
}

/// Call transport headers, `nh:1 (k~1 v~1){nh}`, in wire order.
///
/// Received headers share the frame's bytes: the whole header block is kept as one slice of
/// the frame (every length in it checked once, by the decoder), so decoding them takes no
/// allocation and no count of references per header. Headers built by a caller are kept as
/// given (a response's lone `as` of a well-known scheme without an allocation).
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
    repr: Repr,
}

/// Blocks of a lone built header common enough to be kept without an allocation (a
/// response's `as`): see `TransportHeaders::insert_default`.
const STATIC_BLOCKS: [&[u8]; 4] = [
    b"\x01\x02as\x03raw",
    b"\x01\x02as\x04json",
    b"\x01\x02as\x06thrift",
    b"\x01\x02as\x04http",
];

/// The one of `STATIC_BLOCKS` whose `as` is `scheme`, if any (a match on the length and
/// bytes, no loop of comparisons).
#[inline]
fn static_as_block(scheme: &[u8]) -> Option<&'static [u8]> {
    Some(match scheme {
        b"raw" => STATIC_BLOCKS[0],
        b"json" => STATIC_BLOCKS[1],
        b"thrift" => STATIC_BLOCKS[2],
        b"http" => STATIC_BLOCKS[3],
        _ => return None,
    })
}

/// Where `as`'s value length is in each of `STATIC_BLOCKS` (`01 02 'a' 's' len value`).
const STATIC_KNOWN: Known = Known {
    scheme: 4,
    caller: 0,
};

/// The `as` a response takes when its handler set none: the request's, found once (before
/// the handler runs) among the usual schemes, whose lone header is a static block (then no
/// count of references is taken or dropped for it).
#[derive(Clone, Debug)]
pub(crate) enum DefaultScheme {
    /// One of `STATIC_BLOCKS`.
    Static(&'static [u8]),
    /// Another scheme.
    Other(Bytes),
}

impl DefaultScheme {
    /// The default for a response to a request whose `as` is `scheme`.
    #[inline]
    pub(crate) fn of(scheme: &Bytes) -> Self {
        match static_as_block(scheme) {
            Some(block) => DefaultScheme::Static(block),
            None => DefaultScheme::Other(scheme.clone()),
        }
    }
}

#[derive(Clone)]
enum Repr {
    /// As received (or one of `STATIC_BLOCKS`): `nh:1 (k~1 v~1){nh}` bytes, shared. Every
    /// length in them was checked (by the decoder): walking them cannot run past their end.
    /// With where the well-known headers are in them.
    Wire(Bytes, Known),
    /// Built headers.
    Many(Vec<(Bytes, Bytes)>),
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Many(Vec::new())
    }
}

/// Where the values of the well-known headers a server reads for each call, `as` and `cn`,
/// are in a block (`Repr::Wire`): the offset of each value's length byte, 0 when the key is
/// absent (offset 0 is the count's, never a value's). Noted by the pass that checks the
/// block (the decoder's) or walks it once (a block built here), so reading them is no walk.
/// (A block holds at most 128 headers of at most 273 bytes: its offsets fit 16 bits.)
#[derive(Clone, Copy, Default)]
struct Known {
    scheme: u16,
    caller: u16,
}

impl Known {
    /// Notes `key`, whose value's length byte is at `value_at`.
    #[inline(always)]
    fn note(&mut self, key: &[u8], value_at: usize) {
        if let Ok(k) = <[u8; 2]>::try_from(key) {
            match u16::from_ne_bytes(k) {
                k if k == u16::from_ne_bytes(*b"as") => self.scheme = value_at as u16,
                k if k == u16::from_ne_bytes(*b"cn") => self.caller = value_at as u16,
                _ => {}
            }
        }
    }

    /// The well-known headers of a checked block, found by walking it.
    fn of(block: &[u8]) -> Self {
        let mut known = Known::default();
        for (k, v) in WireRanges::new(block) {
            known.note(&block[k], v.start - 1);
        }
        known
    }

    /// Where the value of `key` is in `block`: from what was noted for a well-known key,
    /// by a walk for another.
    #[inline(always)]
    fn find(self, block: &[u8], key: &[u8]) -> Option<Range<usize>> {
        let at = match key {
            b"as" => self.scheme,
            b"cn" => self.caller,
            _ => {
                return WireRanges::new(block)
                    .find(|(k, _)| same_key(&block[k.clone()], key))
                    .map(|(_, v)| v)
            }
        };
        let at = at as usize;
        (at != 0).then(|| at + 1..at + 1 + block[at] as usize)
    }
}

/// Where the keys and values of a decoded block (`Repr::Wire`) are, in wire order.
#[derive(Clone)]
struct WireRanges<'a> {
    block: &'a [u8],
    pos: usize,
    left: u8,
}

impl<'a> WireRanges<'a> {
    fn new(block: &'a [u8]) -> Self {
        WireRanges {
            block,
            pos: 1,
            left: block[0],
        }
    }
}

impl Iterator for WireRanges<'_> {
    type Item = (Range<usize>, Range<usize>);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let s = self.pos;
        let k = s + 1..s + 1 + self.block[s] as usize;
        let v = k.end + 1..k.end + 1 + self.block[k.end] as usize;
        self.pos = v.end;
        Some((k, v))
    }
}

/// Reads the `k~1 v~1` header at `pos` of `buf`, with the errors `Reader::bytes1` gives.
#[inline]
fn read_entry(buf: &[u8], pos: usize) -> Result<(Range<usize>, Range<usize>), DecodeError> {
    let field = |field: &'static str, at: usize| -> Result<Range<usize>, DecodeError> {
        let Some(&n) = buf.get(at) else {
            return Err(DecodeError::Short {
                field,
                needed: 1,
                remaining: 0,
            });
        };
        let (n, remaining) = (n as usize, buf.len() - at - 1);
        if remaining < n {
            return Err(DecodeError::Short {
                field,
                needed: n,
                remaining,
            });
        }
        Ok(at + 1..at + 1 + n)
    };
    let k = field("transport header key", pos)?;
    let v = field("transport header value", k.end)?;
    Ok((k, v))
}

/// Checks the header block at the start of `buf`, `nh:1 (k~1 v~1){nh}`: the count, each
/// length against what is left, each key against its limits, no key twice. Returns the
/// block's length and where its well-known headers are. One pass; the errors are built out
/// of line.
#[inline]
fn check_block(buf: &[u8]) -> Result<(usize, Known), DecodeError> {
    let Some(&n) = buf.first() else {
        return Err(DecodeError::Short {
            field: "transport headers count",
            needed: 1,
            remaining: 0,
        });
    };
    let n = n as usize;
    if n > MAX_TRANSPORT_HEADERS {
        return Err(too_many_headers(n));
    }
    let mut known = Known::default();
    // A bit per (length, first byte, last byte) class of the keys seen so far: the earlier
    // keys are compared with this one only when its class was seen (distinct keys, the
    // usual case, rarely share one).
    let mut seen = 0u64;
    let mut pos = 1;
    for i in 0..n {
        let (k, v) = read_entry(buf, pos)?;
        let key = &buf[k.clone()];
        if key.is_empty() || key.len() > MAX_HEADER_KEY_LEN {
            return Err(bad_key(key));
        }
        let class =
            1u64 << ((key.len() as u32 ^ key[0] as u32 ^ (key[key.len() - 1] as u32) << 1) & 63);
        if seen & class != 0 {
            // The headers before this one, already checked.
            let mut earlier = WireRanges {
                block: buf,
                pos: 1,
                left: i as u8,
            };
            if earlier.any(|(k2, _)| same_key(&buf[k2], key)) {
                return Err(duplicate_key(key));
            }
        }
        seen |= class;
        known.note(key, k.end);
        pos = v.end;
    }
    Ok((pos, known))
}

#[cold]
#[inline(never)]
fn too_many_headers(n: usize) -> DecodeError {
    DecodeError::invalid(
        "transport headers count",
        format!("{n} headers, the limit is {MAX_TRANSPORT_HEADERS}"),
    )
}

#[cold]
#[inline(never)]
fn bad_key(key: &[u8]) -> DecodeError {
    if key.is_empty() {
        return DecodeError::invalid("transport header key", "empty key");
    }
    DecodeError::invalid(
        "transport header key",
        format!(
            "key {:?} is {} bytes long, the limit is {MAX_HEADER_KEY_LEN}",
            String::from_utf8_lossy(key),
            key.len()
        ),
    )
}

#[cold]
#[inline(never)]
fn duplicate_key(key: &[u8]) -> DecodeError {
    DecodeError::invalid(
        "transport header key",
        format!("duplicate key {:?}", String::from_utf8_lossy(key)),
    )
}

/// The fields of a call req or call res after its fixed ones (headers, checksum, arg
/// chunks), found in one pass over the payload's bytes, as ranges of it.
struct CallTail {
    headers: Range<usize>,
    known: Known,
    checksum: Checksum,
    chunks: [Range<usize>; 3],
    count: u8,
}

impl CallTail {
    /// The fields from `at` to the end of `p`, if they are whole and valid: exactly what
    /// `TransportHeaders::decode`, `decode_checksum` and `Chunks::decode` accept. `None`
    /// otherwise: the field-by-field decoder then names the field at fault.
    #[inline(always)]
    fn scan(p: &[u8], at: usize) -> Option<CallTail> {
        let (len, known) = check_block(p.get(at..)?).ok()?;
        let headers = at..at + len;
        let mut at = headers.end;
        let kind = ChecksumType::from_code(*p.get(at)?)?;
        at += 1;
        let value = if kind.is_empty() {
            0
        } else {
            let v = be32(p.get(at..at + 4)?);
            at += 4;
            v
        };
        let mut chunks = [0..0, 0..0, 0..0];
        let mut count = 0;
        while at < p.len() {
            if count == 3 {
                return None;
            }
            let n = u16::from_be_bytes([p[at], *p.get(at + 1)?]) as usize;
            let start = at + 2;
            at = start + n;
            if at > p.len() {
                return None;
            }
            chunks[count] = start..at;
            count += 1;
        }
        if count == 0 {
            return None;
        }
        Some(CallTail {
            headers,
            known,
            checksum: Checksum { kind, value },
            chunks,
            count: count as u8,
        })
    }

    /// The headers, checksum and chunks, as slices of `payload` (the bytes scanned).
    #[inline(always)]
    fn into_fields(self, payload: Bytes) -> (TransportHeaders, Checksum, Chunks) {
        let headers = TransportHeaders {
            repr: Repr::Wire(payload.slice(self.headers), self.known),
        };
        // The last chunk ends where the payload does (the scan took every byte): it is the
        // payload's own handle, advanced to its start, with no count of references taken
        // (nor the payload's dropped). The others are slices, but an empty one (common) is
        // none.
        debug_assert_eq!(self.chunks[self.count as usize - 1].end, payload.len());
        let [a, b, c] = self.chunks;
        let items = match self.count {
            1 => [rest(payload, a), Bytes::new(), Bytes::new()],
            2 => [slice(&payload, a), rest(payload, b), Bytes::new()],
            _ => [slice(&payload, a), slice(&payload, b), rest(payload, c)],
        };
        let chunks = Chunks {
            items,
            len: self.count,
        };
        (headers, self.checksum, chunks)
    }
}

/// `r` of `payload`, shared (an empty range, common, is no slice: no count of references).
#[inline(always)]
fn slice(payload: &Bytes, r: Range<usize>) -> Bytes {
    if r.is_empty() {
        Bytes::new()
    } else {
        payload.slice(r)
    }
}

/// `r` of `payload` when it runs to the payload's end: the payload's own handle, advanced.
#[inline(always)]
fn rest(mut payload: Bytes, r: Range<usize>) -> Bytes {
    if r.is_empty() {
        return Bytes::new();
    }
    payload.advance(r.start);
    payload
}

/// Whether two header keys are equal (keys are short: at most 16 bytes on the wire, two
/// nearly always).
use crate::name::same_bytes as same_key;

/// Checks one built header against the limits of its wire fields.
#[inline(always)]
fn check_header(k: &[u8], v: &[u8]) -> Result<(), EncodeError> {
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
    Ok(())
}

/// The headers of a [`TransportHeaders`], in wire order: see [`TransportHeaders::iter`].
enum Iter<'a> {
    Wire(WireRanges<'a>),
    Many(std::slice::Iter<'a, (Bytes, Bytes)>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a [u8], &'a [u8]);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Wire(r) => {
                let (k, v) = r.next()?;
                Some((&r.block[k], &r.block[v]))
            }
            Iter::Many(e) => e.next().map(|(k, v)| (k.as_ref(), v.as_ref())),
        }
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

    /// The headers as a vector of built ones, for a change to received ones or a second
    /// header.
    fn make_many(&mut self) -> &mut Vec<(Bytes, Bytes)> {
        let entries = match std::mem::take(&mut self.repr) {
            Repr::Wire(block, _) => {
                // Room for one more at least, and for the few a call usually gets (`as`, `cn`, `re`).
                let mut e = Vec::with_capacity((block[0] as usize + 1).max(4));
                e.extend(WireRanges::new(&block).map(|(k, v)| (block.slice(k), block.slice(v))));
                e
            }
            Repr::Many(e) => e,
        };
        self.repr = Repr::Many(entries);
        match &mut self.repr {
            Repr::Many(e) => e,
            _ => unreachable!("just set"),
        }
    }

    /// Adds a header known to be absent.
    fn push(&mut self, key: Bytes, value: Bytes) {
        let e = self.make_many();
        if e.capacity() == 0 {
            // Room for the few a call usually gets (`as`, `cn`, `re`).
            e.reserve(4);
        }
        e.push((key, value));
    }

    /// Sets `key` to `value`, replacing an earlier value.
    pub fn insert(&mut self, key: impl Into<Bytes>, value: impl Into<Bytes>) {
        let key = key.into();
        let value = value.into();
        if matches!(self.repr, Repr::Wire(..)) && self.get_bytes_raw(&key).is_some() {
            self.make_many();
        }
        if let Repr::Many(e) = &mut self.repr {
            if let Some(entry) = e.iter_mut().find(|(k, _)| *k == key) {
                entry.1 = value;
                return;
            }
        }
        self.push(key, value);
    }

    /// Adds `key` only if it is absent.
    pub fn insert_default(&mut self, key: &'static str, value: impl Into<Bytes>) {
        let empty = self.is_empty();
        if !empty && self.get_bytes(key).is_some() {
            return;
        }
        let value = value.into();
        if empty && key == "as" {
            // Alone, and common (a response's): a static block rather than a vector.
            if let Some(block) = static_as_block(&value) {
                self.repr = Repr::Wire(Bytes::from_static(block), STATIC_KNOWN);
                return;
            }
        }
        self.push(Bytes::from_static(key.as_bytes()), value);
    }

    /// These headers with `as` added as `scheme` says if absent (a response's: see
    /// [`DefaultScheme`]). No headers and a usual scheme make a static block.
    #[inline(always)]
    pub(crate) fn with_default_scheme(mut self, scheme: DefaultScheme) -> Self {
        match scheme {
            DefaultScheme::Static(block) if self.is_empty() => TransportHeaders {
                repr: Repr::Wire(Bytes::from_static(block), STATIC_KNOWN),
            },
            DefaultScheme::Static(block) => {
                self.insert_default("as", Bytes::from_static(&block[5..]));
                self
            }
            DefaultScheme::Other(value) => {
                self.insert_default("as", value);
                self
            }
        }
    }

    /// The value of `key` as UTF-8, if present and valid.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.get_bytes(key)
            .and_then(|v| std::str::from_utf8(v).ok())
    }

    /// These headers as one shared block, in the form received headers take: their clones
    /// share it (a reference count, no allocation), encoding them is one copy, and a change
    /// makes a list of them first. For headers many calls send alike (a channel's prebuilt
    /// call headers). Headers whose lengths do not fit their wire fields stay as they are
    /// (encoding them fails, naming the field).
    pub(crate) fn into_shared(self) -> Self {
        if let Repr::Many(_) = self.repr {
            let mut block = BytesMut::new();
            if self.encode(&mut block).is_ok() {
                let known = Known::of(&block);
                return TransportHeaders {
                    repr: Repr::Wire(block.freeze(), known),
                };
            }
        }
        self
    }

    /// The value of `key`, shared (a slice of the frame's own bytes for a received header).
    /// (Inlined: with a constant key, finding a well-known one is a load.)
    #[inline(always)]
    pub(crate) fn get_shared(&self, key: &str) -> Option<Bytes> {
        let key = key.as_bytes();
        match &self.repr {
            Repr::Wire(block, known) => known.find(block, key).map(|v| block.slice(v)),
            Repr::Many(e) => e
                .iter()
                .find(|(k, _)| same_key(k, key))
                .map(|(_, v)| v.clone()),
        }
    }

    /// The raw value of `key`.
    #[inline]
    pub fn get_bytes(&self, key: &str) -> Option<&[u8]> {
        self.get_bytes_raw(key.as_bytes())
    }

    // (Inlined: with a constant key, finding a well-known one is a load.)
    #[inline(always)]
    fn get_bytes_raw(&self, key: &[u8]) -> Option<&[u8]> {
        match &self.repr {
            Repr::Wire(block, known) => known.find(block, key).map(|v| &block[v]),
            Repr::Many(e) => e
                .iter()
                .find(|(k, _)| same_key(k, key))
                .map(|(_, v)| v.as_ref()),
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Bytes> {
        self.get_bytes(key)?;
        let e = self.make_many();
        let i = e.iter().position(|(k, _)| k.as_ref() == key.as_bytes())?;
        Some(e.remove(i).1)
    }

    /// Number of headers.
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Wire(block, _) => block[0] as usize,
            Repr::Many(e) => e.len(),
        }
    }

    /// No headers at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Iterates over `(key, value)` pairs as raw bytes, in wire order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8])> {
        self.iter_inner()
    }

    #[inline]
    fn iter_inner(&self) -> Iter<'_> {
        match &self.repr {
            Repr::Wire(block, _) => Iter::Wire(WireRanges::new(block)),
            Repr::Many(e) => Iter::Many(e.iter()),
        }
    }

    pub(crate) fn encoded_len(&self) -> usize {
        match &self.repr {
            Repr::Wire(block, _) => block.len(),
            _ => {
                1 + self
                    .iter_inner()
                    .map(|(k, v)| 2 + k.len() + v.len())
                    .sum::<usize>()
            }
        }
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
        match &self.repr {
            // Received: the decoder refused every header that breaks a limit, and any key
            // seen twice.
            Repr::Wire(..) => Ok(()),
            Repr::Many(e) => {
                check_len(
                    || "transport headers".into(),
                    e.len(),
                    MAX_TRANSPORT_HEADERS,
                    "headers",
                )?;
                for (i, (k, v)) in e.iter().enumerate() {
                    check_header(k, v)?;
                    if duplicates && e[..i].iter().any(|(k2, _)| k2 == k) {
                        return Err(EncodeError::Invalid {
                            field: format!("transport header `{}`", String::from_utf8_lossy(k)),
                            reason: "the key appears twice".into(),
                        });
                    }
                }
                Ok(())
            }
        }
    }

    fn decode(r: &mut Reader) -> Result<Self, DecodeError> {
        let (len, known) = check_block(r.peek())?;
        let block = r.take("transport headers", len)?;
        Ok(TransportHeaders {
            repr: Repr::Wire(block, known),
        })
    }

    fn encode(&self, dst: &mut BytesMut) -> Result<(), EncodeError> {
        if let Repr::Wire(block, _) = &self.repr {
            // Received (relayed or echoed): the block as it came, every limit already met.
            dst.put_slice(block);
            return Ok(());
        }
        let Repr::Many(e) = &self.repr else {
            unreachable!("a header block is Wire or Many")
        };
        // Validated where they entered; this guard is the lengths alone (`check_lengths`,
        // with its errors, as each header is written: on an error, the frame's encoder
        // takes back what was written).
        let n = check_len(
            || "transport headers".into(),
            e.len(),
            MAX_TRANSPORT_HEADERS,
            "headers",
        )?;
        dst.put_u8(n as u8); // at most 128
        for (k, v) in e {
            check_header(k, v)?;
            // Both fit their one-byte length: a key is at most 16 bytes, a value 255.
            dst.put_u8(k.len() as u8);
            dst.put_slice(k);
            dst.put_u8(v.len() as u8);
            dst.put_slice(v);
        }
        Ok(())
    }
}

impl PartialEq for TransportHeaders {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter_inner().eq(other.iter_inner())
    }
}

impl Eq for TransportHeaders {}

impl fmt::Debug for TransportHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(
                self.iter_inner()
                    .map(|(k, v)| (String::from_utf8_lossy(k), String::from_utf8_lossy(v))),
            )
            .finish()
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

    /// The three slots, moved out (empty past [`len`](Self::len)).
    pub(crate) fn into_array(self) -> [Bytes; 3] {
        self.items
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
        encode_chunks(self.as_slice(), dst)
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

    /// The frame decoded in one pass over its bytes, if it is whole and valid (the usual
    /// case); `None` otherwise, and then [`decode`](Self::decode) names the field at fault.
    /// It accepts exactly what `decode` accepts, with the same result.
    /// The payload is given back when it is declined.
    #[inline]
    pub(crate) fn decode_fast(payload: Bytes) -> Result<Self, Bytes> {
        let p = &payload[..];
        // flags:1 ttl:4 tracing:25 service~1
        let Some(fixed) = p.first_chunk::<31>() else {
            return Err(payload);
        };
        let service = 31..31 + fixed[30] as usize;
        if service.end > p.len() {
            return Err(payload);
        }
        let Some(tail) = CallTail::scan(p, service.end) else {
            return Err(payload);
        };
        let (flags, ttl, tracing) = (
            fixed[0],
            be32(&fixed[1..5]),
            Tracing::from_wire(&fixed[5..30]),
        );
        let service = payload.slice(service);
        let (headers, checksum, chunks) = tail.into_fields(payload);
        Ok(CallReq {
            flags,
            ttl,
            tracing,
            service,
            headers,
            checksum,
            chunks,
        })
    }

    fn decode(r: &mut Reader) -> Result<Self, DecodeError> {
        // The fixed fields (flags, ttl, tracing) read at once when the frame holds them;
        // field by field otherwise, for the error naming the one that is cut.
        let (flags, ttl, tracing) = match r.peek().first_chunk::<30>() {
            Some(p) => {
                let fields = (p[0], be32(&p[1..5]), Tracing::from_wire(&p[5..30]));
                r.skip(30);
                fields
            }
            None => (r.u8("flags")?, r.u32("ttl")?, Tracing::decode(r)?),
        };
        Ok(CallReq {
            flags,
            ttl,
            tracing,
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

    /// The payload with these fields but the given flags, checksum and chunks.
    #[inline]
    fn encode_with(
        &self,
        flags: u8,
        checksum: &Checksum,
        chunks: &[Bytes],
        dst: &mut BytesMut,
    ) -> Result<(), EncodeError> {
        dst.put_u8(flags);
        dst.put_u32(self.ttl);
        self.tracing.encode(dst);
        put_bytes1(dst, &self.service, || "service name".into())?;
        self.headers.encode(dst)?;
        encode_checksum(checksum, dst);
        encode_chunks(chunks, dst)
    }
}

impl CallReq {
    /// Appends a whole call req frame (header included) that holds all of a request: flags
    /// 0, `ttl`, `tracing`, `service`, `headers`, `checksum`, then the three args, each
    /// `a~2`. The very bytes `Frame::encode` writes for the same fields, written in one pass
    /// with no `CallReq` built (the request path of a whole call that fits one frame, see
    /// `fragment::one_frame_request`). Fails, writing nothing, as `Frame::encode` does.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub(crate) fn encode_one(
        dst: &mut BytesMut,
        id: u32,
        ttl: u32,
        tracing: Tracing,
        service: &[u8],
        headers: &TransportHeaders,
        checksum: Checksum,
        args: [&[u8]; 3],
    ) -> Result<(), EncodeError> {
        encode_framed(dst, types::CALL_REQ, id, "call req", |dst| {
            let mut fixed = [0; 1 + 4 + Tracing::LEN];
            fixed[1..5].copy_from_slice(&ttl.to_be_bytes());
            fixed[5..].copy_from_slice(&tracing.to_wire());
            dst.put_slice(&fixed);
            put_bytes1(dst, service, || "service name".into())?;
            headers.encode(dst)?;
            encode_checksum(&checksum, dst);
            encode_chunks(&args, dst)
        })
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

    /// As [`CallReq::decode_fast`].
    #[inline]
    pub(crate) fn decode_fast(payload: Bytes) -> Result<Self, Bytes> {
        let p = &payload[..];
        // flags:1 code:1 tracing:25
        let (Some(fixed), Some(tail)) = (p.first_chunk::<27>(), CallTail::scan(p, 27)) else {
            return Err(payload);
        };
        let (flags, code, tracing) = (fixed[0], fixed[1], Tracing::from_wire(&fixed[2..27]));
        let (headers, checksum, chunks) = tail.into_fields(payload);
        Ok(CallRes {
            flags,
            code,
            tracing,
            headers,
            checksum,
            chunks,
        })
    }

    fn decode(r: &mut Reader) -> Result<Self, DecodeError> {
        // As in `CallReq::decode`.
        let (flags, code, tracing) = match r.peek().first_chunk::<27>() {
            Some(p) => {
                let fields = (p[0], p[1], Tracing::from_wire(&p[2..27]));
                r.skip(27);
                fields
            }
            None => (r.u8("flags")?, r.u8("code")?, Tracing::decode(r)?),
        };
        Ok(CallRes {
            flags,
            code,
            tracing,
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

    /// The payload with these fields but the given flags, checksum and chunks.
    #[inline]
    fn encode_with(
        &self,
        flags: u8,
        checksum: &Checksum,
        chunks: &[Bytes],
        dst: &mut BytesMut,
    ) -> Result<(), EncodeError> {
        dst.put_u8(flags);
        dst.put_u8(self.code);
        self.tracing.encode(dst);
        self.headers.encode(dst)?;
        encode_checksum(checksum, dst);
        encode_chunks(chunks, dst)
    }
}

impl CallRes {
    /// Appends a whole call res frame (header included) that holds all of a response: flags
    /// 0, `code`, `tracing`, `headers`, `checksum`, then the three args, each `a~2`. The
    /// very bytes `Frame::encode` writes for the same fields, written in one pass with no
    /// `CallRes` built (the response path of a message that fits one frame, see
    /// `fragment::one_frame_response`). Fails, writing nothing, as `Frame::encode` does.
    #[inline]
    pub(crate) fn encode_one(
        dst: &mut BytesMut,
        id: u32,
        code: u8,
        tracing: Tracing,
        headers: &TransportHeaders,
        checksum: Checksum,
        args: [&[u8]; 3],
    ) -> Result<(), EncodeError> {
        // Headers as one block (received, or a lone static `as`: nearly every response's):
        // the frame's size is known before anything is written, so it is written with one
        // reservation, its fixed fields in one store. (What does not fit a frame or a length
        // field goes the checked way below, for its error.)
        let block: &[u8] = match &headers.repr {
            Repr::Wire(block, _) => block,
            Repr::Many(e) if e.is_empty() => &[0],
            Repr::Many(_) => &[],
        };
        let [a1, a2, a3] = args;
        let size = HEADER_LEN
            + 2
            + Tracing::LEN
            + block.len()
            + 1
            + checksum.kind.len()
            + 6
            + a1.len()
            + a2.len()
            + a3.len();
        if !block.is_empty() && size <= MAX_FRAME_LEN {
            dst.reserve(size);
            // size:2 type:1 reserved:1 id:4 reserved:8 flags:1 code:1 tracing:25
            let mut fixed = [0; HEADER_LEN + 2 + Tracing::LEN];
            fixed[..2].copy_from_slice(&(size as u16).to_be_bytes());
            fixed[2] = types::CALL_RES;
            fixed[4..8].copy_from_slice(&id.to_be_bytes());
            fixed[HEADER_LEN + 1] = code;
            fixed[HEADER_LEN + 2..].copy_from_slice(&tracing.to_wire());
            dst.put_slice(&fixed);
            dst.put_slice(block);
            if checksum.kind.is_empty() {
                dst.put_u8(0);
            } else {
                let mut sum = [checksum.kind.code(), 0, 0, 0, 0];
                sum[1..].copy_from_slice(&checksum.value.to_be_bytes());
                dst.put_slice(&sum);
            }
            // Each arg fits its 2-byte length: the frame's size, which holds them, does.
            for a in [a1, a2, a3] {
                dst.put_slice(&(a.len() as u16).to_be_bytes());
                if !a.is_empty() {
                    dst.put_slice(a);
                }
            }
            return Ok(());
        }
        encode_framed(dst, types::CALL_RES, id, "call res", |dst| {
            let mut fixed = [0; 2 + Tracing::LEN];
            fixed[1] = code;
            fixed[2..].copy_from_slice(&tracing.to_wire());
            dst.put_slice(&fixed);
            headers.encode(dst)?;
            encode_checksum(&checksum, dst);
            encode_chunks(&args, dst)
        })
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
        // Call frames, nearly all of the traffic: in one pass when they are whole and valid.
        let body = match frame_type {
            CALL_REQ => CallReq::decode_fast(payload).map(FrameBody::CallReq),
            CALL_RES => CallRes::decode_fast(payload).map(FrameBody::CallRes),
            _ => Err(payload),
        };
        match body {
            Ok(body) => Ok(Frame { id, body }),
            Err(payload) => Self::decode_fields(frame_type, id, payload),
        }
    }

    /// [`decode`](Self::decode) field by field, each error naming its field.
    pub(crate) fn decode_fields(
        frame_type: u8,
        id: u32,
        payload: Bytes,
    ) -> Result<Frame, DecodeError> {
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
        encode_framed(
            dst,
            self.body.frame_type(),
            self.id,
            self.body.name(),
            |dst| self.encode_body(dst),
        )
    }

    fn encode_body(&self, dst: &mut BytesMut) -> Result<(), EncodeError> {
        match &self.body {
            FrameBody::InitReq(i) | FrameBody::InitRes(i) => i.encode(dst),
            FrameBody::CallReq(c) => c.encode_with(c.flags, &c.checksum, c.chunks.as_slice(), dst),
            FrameBody::CallRes(c) => c.encode_with(c.flags, &c.checksum, c.chunks.as_slice(), dst),
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

/// Appends a whole frame to `dst`: the 16-byte header of a frame of type `frame_type`, then
/// the payload `body` writes. Never truncates: a body `body` refuses, or a frame larger than
/// [`MAX_FRAME_LEN`], is an error naming the frame (`name`), and then nothing is appended.
#[inline]
fn encode_framed(
    dst: &mut BytesMut,
    frame_type: u8,
    id: u32,
    name: &'static str,
    body: impl FnOnce(&mut BytesMut) -> Result<(), EncodeError>,
) -> Result<(), EncodeError> {
    let start = dst.len();
    // Size (patched below), type, reserved, id, reserved: one write.
    let mut header = [0; HEADER_LEN];
    header[2] = frame_type;
    header[4..8].copy_from_slice(&id.to_be_bytes());
    dst.put_slice(&header);
    let r = body(dst).and_then(|()| {
        let size = dst.len() - start;
        check_len(|| format!("{name} frame"), size, MAX_FRAME_LEN, "bytes")
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

/// The fields of a call req or call res, for the fragmenter's one-frame path.
pub(crate) enum CallHead<'a> {
    Req(&'a CallReq),
    Res(&'a CallRes),
}

impl CallHead<'_> {
    /// Appends a whole call frame (header included) with these fields, and the given flags,
    /// checksum and arg chunks (the value's own `flags`, `checksum` and `chunks` are not
    /// used). Fails, writing nothing, as [`Frame::encode`] does. No `Frame` is built.
    pub(crate) fn encode_frame(
        &self,
        id: u32,
        flags: u8,
        checksum: &Checksum,
        chunks: &[Bytes],
        dst: &mut BytesMut,
    ) -> Result<(), EncodeError> {
        match self {
            CallHead::Req(r) => encode_framed(dst, types::CALL_REQ, id, "call req", |dst| {
                r.encode_with(flags, checksum, chunks, dst)
            }),
            CallHead::Res(r) => encode_framed(dst, types::CALL_RES, id, "call res", |dst| {
                r.encode_with(flags, checksum, chunks, dst)
            }),
        }
    }
}

fn encode_chunks<C: AsRef<[u8]>>(chunks: &[C], dst: &mut BytesMut) -> Result<(), EncodeError> {
    for c in chunks {
        let c = c.as_ref();
        if c.is_empty() {
            // Common (arg1 of a response, arg2 of a raw call): the length alone, no copy.
            dst.put_u16(0);
            continue;
        }
        put_bytes2(dst, c, || "arg chunk".into())?;
    }
    Ok(())
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
