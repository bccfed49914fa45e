//! [`Name`]: the shared text of a call's names (service, endpoint, caller, scheme, peer). A
//! leaf module: `call`, `addr` and everything above them use it.

use bytes::Bytes;

/// A name a call carries: its service, endpoint (arg1), caller (`cn`) or scheme (`as`).
///
/// UTF-8 text in shared bytes: cloning it is a reference count (or nothing, for a static
/// name), and an inbound call's names are the frame's own bytes, so neither side copies a
/// call's names on the way between the builder, the middleware, the wire and the handler.
/// It reads as a `&str` (`Deref`), compares with `str` and `String`, and prints as text.
///
/// Every method that takes a call's names (`TChannel::raw`, `json`, `call`, `hostport`...)
/// takes `impl Into<Name>`: a `String` is taken as it is, a `&str` is copied once, and a
/// `Name` is shared. The fast path is to make the names once and clone them per call:
///
/// ```no_run
/// use tchannel_runtime::{Name, TChannel};
/// # async fn f(ch: TChannel, peer: String) -> Result<(), tchannel_runtime::Error> {
/// let (service, endpoint) = (Name::from_static("kv"), Name::from_static("get"));
/// let peer = Name::from(peer);
/// for _ in 0..1000 {
///     // no allocation for the names of any of these calls
///     ch.raw(service.clone(), endpoint.clone()).hostport(peer.clone()).await?;
/// }
/// # Ok(()) }
/// ```
///
/// ```
/// use tchannel_runtime::Name;
/// let service = Name::from_static("keyvalue");      // no allocation
/// let endpoint = Name::from(String::from("get"));   // takes the String's buffer
/// assert_eq!(service, "keyvalue");
/// assert!(endpoint.starts_with('g'));               // any `str` method
/// let same = service.clone();                       // no copy
/// assert_eq!(same.as_str(), "keyvalue");
/// assert_eq!(format!("{service}/{endpoint}"), "keyvalue/get");
/// ```
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Name(Bytes);

/// Whether `b` is UTF-8. Names on the wire are ASCII nearly always, which is checked a word at
/// a time (a tenth of `from_utf8`'s cost for a short name).
/// (Inlined into the call's path with only the ASCII check; the rest out of line.)
#[inline(always)]
fn is_utf8(b: &[u8]) -> bool {
    is_ascii(b) || is_utf8_slow(b)
}

/// The 8 bytes of `s` at `i` as a word (`i + 8 <= s.len()`).
#[inline(always)]
fn word8(s: &[u8], i: usize) -> u64 {
    u64::from_ne_bytes(s[i..i + 8].try_into().expect("8 bytes"))
}

/// The 4 bytes of `s` at `i` as a word (`i + 4 <= s.len()`).
#[inline(always)]
fn word4(s: &[u8], i: usize) -> u32 {
    u32::from_ne_bytes(s[i..i + 4].try_into().expect("4 bytes"))
}

/// Whether `b` is ASCII, a word at a time with overlapping loads (a name of 4 to 8 bytes is
/// two loads; `<[u8]>::is_ascii` goes a byte at a time below 8 bytes, as most names are).
#[inline(always)]
pub(crate) fn is_ascii(b: &[u8]) -> bool {
    let n = b.len();
    if n >= 8 {
        let mut acc = 0;
        let mut i = 0;
        while i + 8 < n {
            acc |= word8(b, i);
            i += 8;
        }
        (acc | word8(b, n - 8)) & 0x8080_8080_8080_8080 == 0
    } else if n >= 4 {
        (word4(b, 0) | word4(b, n - 4)) & 0x8080_8080 == 0
    } else {
        b.iter().all(|&c| c < 0x80)
    }
}

/// Whether two names (or header keys) are equal, a word at a time with overlapping loads:
/// names are short, where a byte loop or a call to `memcmp` costs several times as much.
#[inline(always)]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            if word8(a, i) != word8(b, i) {
                return false;
            }
            i += 8;
        }
        word8(a, n - 8) == word8(b, n - 8)
    } else if n >= 4 {
        word4(a, 0) == word4(b, 0) && word4(a, n - 4) == word4(b, n - 4)
    } else {
        // 0 to 3 bytes: the first, middle and last cover them all.
        n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1])
    }
}

#[cold]
#[inline(never)]
fn is_utf8_slow(b: &[u8]) -> bool {
    std::str::from_utf8(b).is_ok()
}

/// `b` with each bad UTF-8 sequence replaced by U+FFFD, copied.
#[cold]
#[inline(never)]
fn lossy(b: &[u8]) -> Bytes {
    Bytes::from(String::from_utf8_lossy(b).into_owned())
}

impl Name {
    /// A name from a string literal: no allocation, ever.
    pub const fn from_static(s: &'static str) -> Self {
        Name(Bytes::from_static(s.as_bytes()))
    }

    /// A name from bytes off the wire: shared as they are when they are UTF-8, else copied
    /// with each bad sequence replaced by U+FFFD (as `String::from_utf8_lossy`).
    #[inline]
    pub(crate) fn from_wire(b: Bytes) -> Self {
        if is_utf8(&b) {
            Name(b)
        } else {
            Name(lossy(&b))
        }
    }

    /// The static name of a usual arg scheme (`raw`, `json`, `thrift`, `http`) spelled by
    /// `b`, if it is one: no count of references to take and drop for it.
    #[inline]
    pub(crate) fn known_scheme(b: &[u8]) -> Option<Self> {
        Some(Name::from_static(match b {
            b"raw" => "raw",
            b"json" => "json",
            b"thrift" => "thrift",
            b"http" => "http",
            _ => return None,
        }))
    }

    /// A name from bytes off the wire if they are UTF-8 (shared, not copied).
    #[inline]
    pub(crate) fn utf8(b: Bytes) -> Option<Self> {
        is_utf8(&b).then_some(Name(b))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // SAFETY: the bytes are valid UTF-8. Every constructor starts from a `str`
        // (`from_static`, `From<&str>`, `From<String>`, `From<&String>`) or checks them
        // (`from_wire`, `utf8`), the field is private, and `Bytes` is immutable. Checking them
        // again on each read cost about 80 instructions per read, five reads per served call.
        unsafe { std::str::from_utf8_unchecked(&self.0) }
    }

    /// The bytes, shared (what goes on the wire).
    pub fn as_bytes(&self) -> &Bytes {
        &self.0
    }

    /// The bytes, shared, without a copy.
    pub fn into_bytes(self) -> Bytes {
        self.0
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Name {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

/// As `str` hashes, so that a `Name` key is found by a `&str` (`Borrow<str>`).
impl std::hash::Hash for Name {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

/// A copied name's text inline in the block `Bytes::from_owner` allocates: the text, its
/// reference count and its length in one allocation, and a clone only counts a reference.
/// (`Bytes::copy_from_slice` makes a block that a first clone promotes to a shared one with a
/// second allocation, and a call clones its names.)
struct Inline<const N: usize> {
    len: usize,
    buf: [u8; N],
}

impl<const N: usize> AsRef<[u8]> for Inline<N> {
    fn as_ref(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// `s` in one block of `N` bytes and a header (`s.len() <= N`).
fn inline<const N: usize>(s: &[u8]) -> Bytes {
    let mut buf = [0; N];
    buf[..s.len()].copy_from_slice(s);
    Bytes::from_owner(Inline { len: s.len(), buf })
}

/// A copy of `s` that clones without allocating, in one allocation (none when empty). The
/// block is the next size of 32, 64 or 256 bytes (a service name is at most 255 bytes, and
/// endpoints and callers are short in practice); a longer text takes two (no bigger block
/// is built on the stack and mostly wasted for it).
fn copy(s: &str) -> Bytes {
    let b = s.as_bytes();
    match b.len() {
        0 => Bytes::new(),
        1..=32 => inline::<32>(b),
        33..=64 => inline::<64>(b),
        65..=256 => inline::<256>(b),
        _ => {
            let owned: Box<[u8]> = b.into();
            Bytes::from_owner(owned)
        }
    }
}

/// Copies the text (`&str` may be borrowed for less than the call) in one allocation, which the
/// call's clones of the name share. For a literal without a copy, use [`Name::from_static`];
/// for a name used by many calls, keep one `Name` and clone it.
impl From<&str> for Name {
    fn from(s: &str) -> Self {
        Name(copy(s))
    }
}

/// Takes the `String`'s buffer, without a copy.
impl From<String> for Name {
    fn from(s: String) -> Self {
        Name(Bytes::from(s))
    }
}

/// Copies the text (a borrowed `String` may not outlive the call).
impl From<&String> for Name {
    fn from(s: &String) -> Self {
        Name(copy(s))
    }
}

impl From<Name> for Bytes {
    fn from(n: Name) -> Self {
        n.0
    }
}

impl From<Name> for String {
    fn from(n: Name) -> Self {
        n.as_str().to_owned()
    }
}

/// As a string (so a name goes into `serde_json::json!` as one).
impl serde::Serialize for Name {
    fn serialize<Ser: serde::Serializer>(&self, s: Ser) -> Result<Ser::Ok, Ser::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        other == self
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        other == self
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        other == self
    }
}

#[cfg(test)]
mod tests {
    use super::Name;
    use bytes::Bytes;

    #[test]
    fn wire_names_share_the_frame_bytes_and_replace_bad_utf8() {
        let frame = Bytes::from_static(b"svc\xffx");
        let good = Name::from_wire(frame.slice(0..3));
        assert_eq!(good, "svc");
        assert_eq!(good.as_bytes().as_ptr(), frame.as_ptr(), "not copied");
        assert_eq!(Name::from_wire(frame.slice(..)), "svc\u{fffd}x");
        assert!(Name::utf8(frame.clone()).is_none());
        assert_eq!(Name::utf8(frame.slice(0..3)).unwrap(), "svc");
    }

    /// The word-at-a-time comparison and ASCII check agree with the plain ones at every
    /// length around their word sizes, whichever byte differs or is not ASCII.
    #[test]
    fn word_compare_and_ascii_check_agree_with_the_plain_ones() {
        for n in 0..40usize {
            let a: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
            assert!(super::same_bytes(&a, &a.clone()), "{n}");
            assert!(super::is_ascii(&a), "{n}");
            if n > 0 {
                assert!(!super::same_bytes(&a, &a[..n - 1]), "{n}: lengths");
            }
            for at in 0..n {
                let mut b = a.clone();
                b[at] ^= 0x01;
                assert!(!super::same_bytes(&a, &b), "{n}: byte {at}");
                b[at] = 0x80 | a[at];
                assert!(!super::is_ascii(&b), "{n}: byte {at}");
            }
        }
    }

    #[test]
    fn a_copied_name_keeps_its_text_at_every_size_and_its_clones_share_it() {
        for len in [
            0, 1, 32, 33, 64, 65, 256, 257, 1024, 1025, 16384, 16385, 40_000,
        ] {
            let text: String = (0..len)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            let name = Name::from(text.as_str());
            assert_eq!(name, text, "{len} bytes");
            assert_eq!(name.len(), len);
            let clone = name.clone();
            assert_eq!(
                clone.as_bytes().as_ptr(),
                name.as_bytes().as_ptr(),
                "shared"
            );
            drop(name);
            assert_eq!(clone, text);
            assert_eq!(Name::from(&text), text);
        }
        let multibyte = "s\u{e9}rvice-\u{1f600}";
        assert_eq!(Name::from(multibyte).as_str(), multibyte);
    }

    #[test]
    fn a_name_is_found_by_str_in_maps_and_compares_both_ways() {
        let mut m = std::collections::HashMap::new();
        m.insert(Name::from(String::from("echo")), 1);
        assert_eq!(m.get("echo"), Some(&1));
        let n = Name::from_static("echo");
        let owned = String::from("echo");
        assert_eq!(n, "echo");
        assert_eq!("echo", n);
        assert_eq!(n, owned);
        assert_eq!(owned, n);
        assert_eq!(format!("{n} {n:?}"), "echo \"echo\"");
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"echo\"");
        let s: String = n.into();
        assert_eq!(s, "echo");
    }
}
