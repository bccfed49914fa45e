//! The strict Thrift binary protocol: a [`Reader`] over [`Bytes`] and a [`Writer`] into
//! [`BytesMut`].
//!
//! Struct encoding is the same in strict and non-strict `TBinaryProtocol` (strictness concerns
//! only the message envelope, which TChannel does not use). Every integer is big-endian, a field
//! is `type:1 id:2 value`, a struct ends with a `0` byte, a string or binary is `len:4 bytes`, a
//! list or set is `elem_type:1 count:4 elems`, a map is `key_type:1 value_type:1 count:4 pairs`.

use bytes::{BufMut, Bytes, BytesMut};

use super::error::{DecodeError, DecodeErrorKind};
use super::value::ThriftValue;

/// How deep structs and containers may nest before decoding gives up.
pub const MAX_DEPTH: u32 = 64;

/// A Thrift wire type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum TType {
    /// End of a struct's fields.
    Stop = 0,
    /// `bool`.
    Bool = 2,
    /// `byte` / `i8`.
    I8 = 3,
    /// `double`.
    Double = 4,
    /// `i16`.
    I16 = 6,
    /// `i32` and enums.
    I32 = 8,
    /// `i64`.
    I64 = 10,
    /// `string` and `binary`.
    String = 11,
    /// structs, unions and exceptions.
    Struct = 12,
    /// `map`.
    Map = 13,
    /// `set`.
    Set = 14,
    /// `list`.
    List = 15,
}

impl TType {
    /// The type for a wire byte, if it names one.
    pub fn from_u8(b: u8) -> Option<TType> {
        Some(match b {
            0 => TType::Stop,
            2 => TType::Bool,
            3 => TType::I8,
            4 => TType::Double,
            6 => TType::I16,
            8 => TType::I32,
            10 => TType::I64,
            11 => TType::String,
            12 => TType::Struct,
            13 => TType::Map,
            14 => TType::Set,
            15 => TType::List,
            _ => return None,
        })
    }

    /// The fewest bytes one value of this type takes on the wire; used to reject container
    /// lengths that cannot fit in the remaining input before allocating for them.
    pub fn min_size(self) -> usize {
        match self {
            TType::Stop | TType::Bool | TType::I8 | TType::Struct => 1,
            TType::I16 => 2,
            TType::I32 | TType::String => 4,
            TType::Double | TType::I64 => 8,
            TType::Set | TType::List => 5,
            TType::Map => 6,
        }
    }
}

fn eof() -> DecodeError {
    DecodeError::new(DecodeErrorKind::UnexpectedEof)
}

/// A cursor over Thrift binary protocol bytes.
///
/// `binary` values are returned as slices of the input [`Bytes`] without copying. Nesting is
/// bounded by [`MAX_DEPTH`], and no length read from the input is trusted for an allocation
/// until the input is known to be long enough to hold it.
///
/// ```
/// use tchannel_runtime::thrift::{Reader, TType};
/// let mut r = Reader::new(bytes::Bytes::from_static(&[8, 0, 1, 0, 0, 0, 42, 0]));
/// assert_eq!(r.read_field_begin().unwrap(), (TType::I32, 1));
/// assert_eq!(r.read_i32().unwrap(), 42);
/// assert_eq!(r.read_field_begin().unwrap(), (TType::Stop, 0));
/// assert!(r.is_empty());
/// ```
#[derive(Debug, Clone)]
pub struct Reader {
    buf: Bytes,
    pos: usize,
    depth: u32,
}

impl Reader {
    /// A reader over `buf`, positioned at its start.
    pub fn new(buf: Bytes) -> Self {
        Reader {
            buf,
            pos: 0,
            depth: 0,
        }
    }

    /// How many bytes are left to read.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Whether all the input has been read.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    #[inline]
    fn take<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let end = self.pos.checked_add(N).ok_or_else(eof)?;
        let bytes = self.buf.get(self.pos..end).ok_or_else(eof)?;
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        self.pos = end;
        Ok(out)
    }

    /// Enters a nested struct or container; fails past [`MAX_DEPTH`]. Pair with
    /// [`leave`](Self::leave).
    #[inline]
    pub fn enter(&mut self) -> Result<(), DecodeError> {
        if self.depth >= MAX_DEPTH {
            return Err(DecodeError::new(DecodeErrorKind::DepthLimit));
        }
        self.depth += 1;
        Ok(())
    }

    /// Leaves a nested struct or container.
    #[inline]
    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Reads a `bool` (any non-zero byte is `true`, as Apache Thrift reads it).
    #[inline]
    pub fn read_bool(&mut self) -> Result<bool, DecodeError> {
        Ok(self.take::<1>()?[0] != 0)
    }

    /// Reads a `byte`.
    #[inline]
    pub fn read_i8(&mut self) -> Result<i8, DecodeError> {
        Ok(self.take::<1>()?[0] as i8)
    }

    /// Reads an `i16`.
    #[inline]
    pub fn read_i16(&mut self) -> Result<i16, DecodeError> {
        Ok(i16::from_be_bytes(self.take()?))
    }

    /// Reads an `i32`.
    #[inline]
    pub fn read_i32(&mut self) -> Result<i32, DecodeError> {
        Ok(i32::from_be_bytes(self.take()?))
    }

    /// Reads an `i64`.
    #[inline]
    pub fn read_i64(&mut self) -> Result<i64, DecodeError> {
        Ok(i64::from_be_bytes(self.take()?))
    }

    /// Reads a `double`.
    #[inline]
    pub fn read_double(&mut self) -> Result<f64, DecodeError> {
        Ok(f64::from_bits(u64::from_be_bytes(self.take()?)))
    }

    /// Reads a type byte.
    #[inline]
    pub fn read_type(&mut self) -> Result<TType, DecodeError> {
        let b = self.take::<1>()?[0];
        TType::from_u8(b).ok_or_else(|| DecodeError::new(DecodeErrorKind::InvalidType(b)))
    }

    /// Reads a length or count and checks that `min_each` bytes per item fit in the input.
    #[inline]
    fn read_size(&mut self, min_each: usize) -> Result<usize, DecodeError> {
        let n = self.read_i32()?;
        let n =
            usize::try_from(n).map_err(|_| DecodeError::new(DecodeErrorKind::NegativeSize(n)))?;
        if n.saturating_mul(min_each) > self.remaining() {
            return Err(DecodeError::new(DecodeErrorKind::SizeTooLarge(n)));
        }
        Ok(n)
    }

    /// Reads a `binary` as a slice of the input, without copying.
    #[inline]
    pub fn read_binary(&mut self) -> Result<Bytes, DecodeError> {
        let n = self.read_size(1)?;
        let out = self.buf.slice(self.pos..self.pos + n);
        self.pos += n;
        Ok(out)
    }

    /// Reads a `binary` as borrowed bytes.
    #[inline]
    pub fn read_binary_ref(&mut self) -> Result<&[u8], DecodeError> {
        let n = self.read_size(1)?;
        let start = self.pos;
        self.pos += n;
        Ok(&self.buf[start..start + n])
    }

    /// Reads a `string`, which must be UTF-8.
    #[inline]
    pub fn read_string(&mut self) -> Result<String, DecodeError> {
        let bytes = self.read_binary_ref()?;
        // Most strings on the wire are ASCII, which a word-at-a-time check validates faster
        // than the general UTF-8 decoder for the short strings typical of RPC payloads.
        if is_ascii(bytes) {
            // SAFETY: ASCII is valid UTF-8.
            return Ok(unsafe { std::str::from_utf8_unchecked(bytes) }.to_owned());
        }
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_owned()),
            Err(_) => Err(DecodeError::new(DecodeErrorKind::InvalidUtf8)),
        }
    }

    /// Reads a field header: its type and id. At the end of a struct the type is
    /// [`TType::Stop`] and the id `0`.
    #[inline]
    pub fn read_field_begin(&mut self) -> Result<(TType, i16), DecodeError> {
        let ty = self.read_type()?;
        if ty == TType::Stop {
            return Ok((TType::Stop, 0));
        }
        Ok((ty, self.read_i16()?))
    }

    /// Reads a list or set header: the element type and the count.
    #[inline]
    pub fn read_list_begin(&mut self) -> Result<(TType, usize), DecodeError> {
        let ty = self.read_type()?;
        let n = self.read_size(ty.min_size())?;
        Ok((ty, n))
    }

    /// Reads a map header: key type, value type and the count.
    #[inline]
    pub fn read_map_begin(&mut self) -> Result<(TType, TType, usize), DecodeError> {
        let k = self.read_type()?;
        let v = self.read_type()?;
        let n = self.read_size(k.min_size() + v.min_size())?;
        Ok((k, v, n))
    }

    /// Reads the value of field `field` of struct `strukt`; an error names them.
    #[inline]
    pub fn read_field<T: ThriftValue>(
        &mut self,
        strukt: &'static str,
        field: &'static str,
    ) -> Result<T, DecodeError> {
        T::read(self).map_err(|e| e.in_field(strukt, field))
    }

    /// Skips one value of type `ty`, however deeply nested (up to [`MAX_DEPTH`]).
    pub fn skip(&mut self, ty: TType) -> Result<(), DecodeError> {
        let n = match ty {
            TType::Stop => return Err(DecodeError::new(DecodeErrorKind::InvalidType(0))),
            TType::Bool | TType::I8 => 1,
            TType::I16 => 2,
            TType::I32 => 4,
            TType::I64 | TType::Double => 8,
            TType::String => self.read_size(1)?,
            TType::Struct => {
                self.enter()?;
                loop {
                    let (fty, _) = self.read_field_begin()?;
                    if fty == TType::Stop {
                        break;
                    }
                    self.skip(fty)?;
                }
                self.leave();
                return Ok(());
            }
            TType::List | TType::Set => {
                self.enter()?;
                let (ety, n) = self.read_list_begin()?;
                for _ in 0..n {
                    self.skip(ety)?;
                }
                self.leave();
                return Ok(());
            }
            TType::Map => {
                self.enter()?;
                let (kty, vty, n) = self.read_map_begin()?;
                for _ in 0..n {
                    self.skip(kty)?;
                    self.skip(vty)?;
                }
                self.leave();
                return Ok(());
            }
        };
        if n > self.remaining() {
            return Err(eof());
        }
        self.pos += n;
        Ok(())
    }
}

/// Checks a container's element type against the declared one. Empty containers are accepted
/// with any element type, as some encoders write `0` there.
#[inline]
pub fn check_element_type(expected: TType, found: TType, len: usize) -> Result<(), DecodeError> {
    if expected == found || len == 0 {
        Ok(())
    } else {
        Err(DecodeError::new(DecodeErrorKind::WrongElementType {
            expected: expected as u8,
            found: found as u8,
        }))
    }
}

/// Whether every byte is ASCII: the bytes OR-ed eight at a time with no early exit, which
/// the compiler unrolls (`<[u8]>::is_ascii` tests a byte at a time here: about 2.5
/// instructions per byte, 267 per 100-byte string).
#[inline]
fn is_ascii(bytes: &[u8]) -> bool {
    let chunks = bytes.chunks_exact(8);
    let mut tail = 0u8;
    for &b in chunks.remainder() {
        tail |= b;
    }
    let mut acc = 0u64;
    for c in chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        acc |= u64::from_ne_bytes(w);
    }
    acc & 0x8080_8080_8080_8080 == 0 && tail < 0x80
}

/// Writes Thrift binary protocol into a [`BytesMut`].
///
/// ```
/// use tchannel_runtime::thrift::{TType, Writer};
/// let mut w = Writer::new();
/// w.write_field_begin(TType::I32, 1);
/// w.write_i32(42);
/// w.write_field_stop();
/// assert_eq!(&w.into_bytes()[..], &[8, 0, 1, 0, 0, 0, 42, 0]);
/// ```
#[derive(Debug, Default)]
pub struct Writer {
    buf: BytesMut,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Writer::default()
    }

    /// An empty writer with room for `cap` bytes.
    pub fn with_capacity(cap: usize) -> Self {
        Writer {
            buf: BytesMut::with_capacity(cap),
        }
    }

    /// A writer that appends to `buf`.
    pub fn from_buf(buf: BytesMut) -> Self {
        Writer { buf }
    }

    /// The bytes written so far.
    pub fn into_buf(self) -> BytesMut {
        self.buf
    }

    /// The bytes written so far, frozen.
    pub fn into_bytes(self) -> Bytes {
        self.buf.freeze()
    }

    /// Forgets what was written, keeping the buffer's capacity for reuse.
    pub fn clear(&mut self) {
        self.buf.clear();
    }

    /// How many bytes have been written.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether nothing has been written.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Writes a `bool` as one byte, `1` or `0`.
    #[inline]
    pub fn write_bool(&mut self, v: bool) {
        self.buf.put_u8(v as u8);
    }

    /// Writes a `byte`.
    #[inline]
    pub fn write_i8(&mut self, v: i8) {
        self.buf.put_i8(v);
    }

    /// Writes an `i16`.
    #[inline]
    pub fn write_i16(&mut self, v: i16) {
        self.buf.put_i16(v);
    }

    /// Writes an `i32`.
    #[inline]
    pub fn write_i32(&mut self, v: i32) {
        self.buf.put_i32(v);
    }

    /// Writes an `i64`.
    #[inline]
    pub fn write_i64(&mut self, v: i64) {
        self.buf.put_i64(v);
    }

    /// Writes a `double`.
    #[inline]
    pub fn write_double(&mut self, v: f64) {
        self.buf.put_u64(v.to_bits());
    }

    /// Writes a length. Thrift lengths are `i32`; longer values are not representable, and
    /// are clamped so that the output stays well-formed up to the length that fits.
    #[inline]
    fn write_len(&mut self, n: usize) -> usize {
        let n = n.min(i32::MAX as usize);
        self.buf.put_i32(n as i32);
        n
    }

    /// Writes a `binary` or `string` payload with its 4-byte length.
    #[inline]
    pub fn write_binary(&mut self, v: &[u8]) {
        let n = self.write_len(v.len());
        self.buf.put_slice(&v[..n]);
    }

    /// Writes a `string`.
    #[inline]
    pub fn write_string(&mut self, v: &str) {
        self.write_binary(v.as_bytes());
    }

    /// Writes a field header.
    #[inline]
    pub fn write_field_begin(&mut self, ty: TType, id: i16) {
        self.buf.put_u8(ty as u8);
        self.buf.put_i16(id);
    }

    /// Writes a field: its header (with the value's wire type) and the value.
    #[inline]
    pub fn write_field<T: ThriftValue>(&mut self, id: i16, value: &T) {
        self.write_field_begin(T::TTYPE, id);
        value.write(self);
    }

    /// Writes the end of a struct.
    #[inline]
    pub fn write_field_stop(&mut self) {
        self.buf.put_u8(0);
    }

    /// Writes a list or set header.
    #[inline]
    pub fn write_list_begin(&mut self, elem: TType, len: usize) {
        self.buf.put_u8(elem as u8);
        self.write_len(len);
    }

    /// Writes a map header.
    #[inline]
    pub fn write_map_begin(&mut self, key: TType, value: TType, len: usize) {
        self.buf.put_u8(key as u8);
        self.buf.put_u8(value as u8);
        self.write_len(len);
    }
}
