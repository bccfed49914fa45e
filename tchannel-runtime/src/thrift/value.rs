//! [`ThriftValue`]: how each Rust type that stands for a Thrift type is encoded, and
//! [`ThriftStruct`] for the structs, unions and exceptions generated code defines.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasher, Hash, Hasher};

use bytes::Bytes;

use super::error::{DecodeError, DecodeErrorKind};
use super::protocol::{check_element_type, Reader, TType, Writer};

/// A Rust type that stands for a Thrift type and can be written and read in the binary
/// protocol. Generated structs, unions, exceptions and enums implement it, as do the base
/// types and containers below.
///
/// ```
/// use tchannel_runtime::thrift::{Reader, ThriftValue, Writer};
/// let mut w = Writer::new();
/// vec![1i32, 2].write(&mut w);
/// let mut r = Reader::new(w.into_bytes());
/// assert_eq!(Vec::<i32>::read(&mut r).unwrap(), vec![1, 2]);
/// ```
pub trait ThriftValue: Sized {
    /// The wire type of this value.
    const TTYPE: TType;
    /// Writes the value (without a field header).
    fn write(&self, w: &mut Writer);
    /// Reads a value (without a field header).
    fn read(r: &mut Reader) -> Result<Self, DecodeError>;
    /// How many bytes [`write`](Self::write) writes: exact for generated types and the types
    /// of this crate. It sizes the buffer a value is encoded into
    /// ([`ThriftStruct::to_bytes`]), so one allocation holds it; a wrong size only costs a
    /// reallocation or some unused capacity. By default 64.
    ///
    /// ```
    /// use tchannel_runtime::thrift::{ThriftValue, Writer};
    /// let v = vec!["a".to_string(), "bc".to_string()];
    /// let mut w = Writer::new();
    /// v.write(&mut w);
    /// assert_eq!(v.encoded_len(), w.into_bytes().len()); // 5 + (4 + 1) + (4 + 2)
    /// ```
    #[inline]
    fn encoded_len(&self) -> usize {
        64
    }
}

/// A generated struct, union or exception: a [`ThriftValue`] of wire type `Struct` that can
/// stand alone as a TChannel `arg3`.
pub trait ThriftStruct: ThriftValue {
    /// The name the IDL gives the type.
    const NAME: &'static str;

    /// Encodes the value into new bytes: one allocation of
    /// [`encoded_len`](ThriftValue::encoded_len) bytes.
    fn to_bytes(&self) -> Bytes {
        let mut w = Writer::with_capacity(self.encoded_len());
        self.write(&mut w);
        w.into_bytes()
    }

    /// Decodes a value that must take up all of `bytes`.
    fn from_bytes(bytes: Bytes) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        let v = Self::read(&mut r)?;
        if !r.is_empty() {
            return Err(
                DecodeError::new(DecodeErrorKind::TrailingBytes(r.remaining()))
                    .in_field(Self::NAME, ""),
            );
        }
        Ok(v)
    }
}

macro_rules! scalar {
    ($t:ty, $tt:ident, $w:ident, $r:ident) => {
        impl ThriftValue for $t {
            const TTYPE: TType = TType::$tt;
            #[inline]
            fn write(&self, w: &mut Writer) {
                w.$w(*self);
            }
            #[inline]
            fn read(r: &mut Reader) -> Result<Self, DecodeError> {
                r.$r()
            }
            #[inline]
            fn encoded_len(&self) -> usize {
                // bool is one byte on the wire, as i8.
                std::mem::size_of::<$t>()
            }
        }
    };
}

scalar!(bool, Bool, write_bool, read_bool);
scalar!(i8, I8, write_i8, read_i8);
scalar!(i16, I16, write_i16, read_i16);
scalar!(i32, I32, write_i32, read_i32);
scalar!(i64, I64, write_i64, read_i64);
scalar!(f64, Double, write_double, read_double);

impl ThriftValue for String {
    const TTYPE: TType = TType::String;
    #[inline]
    fn write(&self, w: &mut Writer) {
        w.write_string(self);
    }
    #[inline]
    fn read(r: &mut Reader) -> Result<Self, DecodeError> {
        r.read_string()
    }
    #[inline]
    fn encoded_len(&self) -> usize {
        4 + self.len()
    }
}

/// `binary` as [`Bytes`]: decoding slices the input without copying.
impl ThriftValue for Bytes {
    const TTYPE: TType = TType::String;
    #[inline]
    fn write(&self, w: &mut Writer) {
        w.write_binary(self);
    }
    #[inline]
    fn read(r: &mut Reader) -> Result<Self, DecodeError> {
        r.read_binary()
    }
    #[inline]
    fn encoded_len(&self) -> usize {
        4 + self.len()
    }
}

/// `binary` as `Vec<u8>` (`list<byte>` is `Vec<i8>`, so the two never meet).
impl ThriftValue for Vec<u8> {
    const TTYPE: TType = TType::String;
    #[inline]
    fn write(&self, w: &mut Writer) {
        w.write_binary(self);
    }
    #[inline]
    fn read(r: &mut Reader) -> Result<Self, DecodeError> {
        Ok(r.read_binary_ref()?.to_vec())
    }
    #[inline]
    fn encoded_len(&self) -> usize {
        4 + self.len()
    }
}

impl<T: ThriftValue> ThriftValue for Box<T> {
    const TTYPE: TType = T::TTYPE;
    #[inline]
    fn write(&self, w: &mut Writer) {
        (**self).write(w);
    }
    #[inline]
    fn read(r: &mut Reader) -> Result<Self, DecodeError> {
        T::read(r).map(Box::new)
    }
    #[inline]
    fn encoded_len(&self) -> usize {
        (**self).encoded_len()
    }
}

impl<T: ThriftValue> ThriftValue for Vec<T> {
    const TTYPE: TType = TType::List;
    fn write(&self, w: &mut Writer) {
        write_elems(w, self.len(), self);
    }
    fn read(r: &mut Reader) -> Result<Self, DecodeError> {
        read_elems(r)
    }
    fn encoded_len(&self) -> usize {
        elems_len(self)
    }
}

/// The most memory a container's declared count may reserve before its elements are read.
///
/// The count is checked against the input only at the smallest wire size of one element (a
/// struct can be one stop byte), while each element may take a kilobyte in memory: reserving
/// the whole count up front let a 16 MiB body reserve gigabytes for elements that were never
/// there. Past this much the vector grows as elements actually arrive.
const MAX_PREALLOC: usize = 64 * 1024;

/// The capacity to reserve for `n` declared elements of type `T`: all of them if they fit in
/// [`MAX_PREALLOC`], otherwise as many as do.
#[inline]
fn prealloc<T>(n: usize) -> usize {
    n.min(MAX_PREALLOC / std::mem::size_of::<T>().max(1))
}

/// Reads the elements of a list or set (the two share a layout).
fn read_elems<T: ThriftValue>(r: &mut Reader) -> Result<Vec<T>, DecodeError> {
    r.enter()?;
    let (ty, n) = r.read_list_begin()?;
    check_element_type(T::TTYPE, ty, n)?;
    let mut out = Vec::with_capacity(prealloc::<T>(n));
    for _ in 0..n {
        out.push(T::read(r)?);
    }
    r.leave();
    Ok(out)
}

/// Writes a list or set: the header, then each element.
fn write_elems<'a, T: ThriftValue + 'a>(
    w: &mut Writer,
    len: usize,
    elems: impl IntoIterator<Item = &'a T>,
) {
    w.write_list_begin(T::TTYPE, len);
    for v in elems {
        v.write(w);
    }
}

/// The encoded size of a list or set: the header (type and count), then each element.
fn elems_len<'a, T: ThriftValue + 'a>(elems: impl IntoIterator<Item = &'a T>) -> usize {
    5 + elems.into_iter().map(T::encoded_len).sum::<usize>()
}

/// The encoded size of a map: the header (two types and count), then each key and value.
fn pairs_len<'a, K: ThriftValue + 'a, V: ThriftValue + 'a>(
    pairs: impl IntoIterator<Item = (&'a K, &'a V)>,
) -> usize {
    6 + pairs
        .into_iter()
        .map(|(k, v)| k.encoded_len() + v.encoded_len())
        .sum::<usize>()
}

/// Writes a map: the header, then each key and value.
fn write_pairs<'a, K: ThriftValue + 'a, V: ThriftValue + 'a>(
    w: &mut Writer,
    len: usize,
    pairs: impl IntoIterator<Item = (&'a K, &'a V)>,
) {
    w.write_map_begin(K::TTYPE, V::TTYPE, len);
    for (k, v) in pairs {
        k.write(w);
        v.write(w);
    }
}

/// Reads a set. The elements are collected first: building a `BTreeSet` from a whole sorted
/// run (the usual wire order) is much cheaper than inserting one at a time.
fn read_set<T: ThriftValue, C: FromIterator<T>>(r: &mut Reader) -> Result<C, DecodeError> {
    Ok(read_elems::<T>(r)?.into_iter().collect())
}

fn read_map<K: ThriftValue, V: ThriftValue, C: FromIterator<(K, V)>>(
    r: &mut Reader,
) -> Result<C, DecodeError> {
    r.enter()?;
    let (kt, vt, n) = r.read_map_begin()?;
    check_element_type(K::TTYPE, kt, n)?;
    check_element_type(V::TTYPE, vt, n)?;
    let mut pairs = Vec::with_capacity(prealloc::<(K, V)>(n));
    for _ in 0..n {
        let k = K::read(r)?;
        let v = V::read(r)?;
        pairs.push((k, v));
    }
    r.leave();
    Ok(pairs.into_iter().collect())
}

impl<T: ThriftValue + Ord> ThriftValue for BTreeSet<T> {
    const TTYPE: TType = TType::Set;
    fn write(&self, w: &mut Writer) {
        write_elems(w, self.len(), self);
    }
    fn read(r: &mut Reader) -> Result<Self, DecodeError> {
        read_set(r)
    }
    fn encoded_len(&self) -> usize {
        elems_len(self)
    }
}

impl<T: ThriftValue + Eq + Hash, S: BuildHasher + Default> ThriftValue for HashSet<T, S> {
    const TTYPE: TType = TType::Set;
    fn write(&self, w: &mut Writer) {
        write_elems(w, self.len(), self);
    }
    fn read(r: &mut Reader) -> Result<Self, DecodeError> {
        read_set(r)
    }
    fn encoded_len(&self) -> usize {
        elems_len(self)
    }
}

impl<K: ThriftValue + Ord, V: ThriftValue> ThriftValue for BTreeMap<K, V> {
    const TTYPE: TType = TType::Map;
    fn write(&self, w: &mut Writer) {
        write_pairs(w, self.len(), self);
    }
    fn read(r: &mut Reader) -> Result<Self, DecodeError> {
        read_map(r)
    }
    fn encoded_len(&self) -> usize {
        pairs_len(self)
    }
}

impl<K: ThriftValue + Eq + Hash, V: ThriftValue, S: BuildHasher + Default> ThriftValue
    for HashMap<K, V, S>
{
    const TTYPE: TType = TType::Map;
    fn write(&self, w: &mut Writer) {
        write_pairs(w, self.len(), self);
    }
    fn read(r: &mut Reader) -> Result<Self, DecodeError> {
        read_map(r)
    }
    fn encoded_len(&self) -> usize {
        pairs_len(self)
    }
}

/// A `double` that can be a map key or set element: ordered with [`f64::total_cmp`] and
/// hashed by its bits, so `NaN` equals itself and `-0.0` differs from `0.0`.
///
/// ```
/// use tchannel_runtime::thrift::OrderedF64;
/// let mut set = std::collections::BTreeSet::new();
/// set.insert(OrderedF64(1.5));
/// assert!(set.contains(&OrderedF64(1.5)));
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct OrderedF64(pub f64);

impl PartialEq for OrderedF64 {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}
impl Eq for OrderedF64 {}
impl PartialOrd for OrderedF64 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for OrderedF64 {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}
impl Hash for OrderedF64 {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.to_bits().hash(state);
    }
}
impl From<f64> for OrderedF64 {
    fn from(v: f64) -> Self {
        OrderedF64(v)
    }
}
impl ThriftValue for OrderedF64 {
    const TTYPE: TType = TType::Double;
    #[inline]
    fn write(&self, w: &mut Writer) {
        w.write_double(self.0);
    }
    #[inline]
    fn read(r: &mut Reader) -> Result<Self, DecodeError> {
        r.read_double().map(OrderedF64)
    }
    #[inline]
    fn encoded_len(&self) -> usize {
        8
    }
}
