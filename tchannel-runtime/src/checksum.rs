//! Frame checksums (protocol section 4).
//!
//! The checksum covers the data bytes of the arg chunks only (never their length prefixes),
//! and it runs across every frame of one message: frame *k* carries the checksum of all arg
//! bytes in frames 1..=k. CRC-32 and CRC-32C chain by seeding with the previous value.
//!
//! Farmhash (0x02) is the exception: it is computed as tchannel-node, the one implementation
//! that sends it, computes it. Node's `fingerprint32(chunk, prior)` ignores `prior` (the npm
//! function takes no seed), so each frame carries farmhash `Fingerprint32` of **its last arg
//! chunk only**. It does not chain and covers only that chunk: it detects less than CRC-32C
//! does, so prefer [`ChecksumType::Crc32c`]. Go sends 0x00 when asked for farmhash and
//! refuses received 0x02; Python refuses it.

use std::fmt;

/// The checksum algorithm named by a frame's `csumtype` byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ChecksumType {
    /// `0x00`: no checksum; no checksum bytes on the wire.
    #[default]
    None,
    /// `0x01`: CRC-32/IEEE (zlib's `crc32`).
    Crc32,
    /// `0x02`: farmhash Fingerprint32, as tchannel-node computes it: each frame carries the
    /// fingerprint of its last arg chunk (see the [module docs](self)). Sent and verified;
    /// it interoperates with tchannel-node only (Go and Python refuse it).
    Farmhash32,
    /// `0x03`: CRC-32C (Castagnoli). What tchannel-node and tchannel-python send by default,
    /// and what a channel sends unless told otherwise.
    Crc32c,
}

impl ChecksumType {
    /// The wire code.
    pub fn code(self) -> u8 {
        match self {
            ChecksumType::None => 0,
            ChecksumType::Crc32 => 1,
            ChecksumType::Farmhash32 => 2,
            ChecksumType::Crc32c => 3,
        }
    }

    /// The type for a wire code, if it is one we know.
    pub fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => ChecksumType::None,
            1 => ChecksumType::Crc32,
            2 => ChecksumType::Farmhash32,
            3 => ChecksumType::Crc32c,
            _ => return None,
        })
    }

    /// How many checksum bytes follow the type byte on the wire.
    pub fn len(self) -> usize {
        match self {
            ChecksumType::None => 0,
            _ => 4,
        }
    }

    /// True when no checksum bytes follow the type byte.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Whether received values of this type are verified: all but `None`.
    pub(crate) fn verifies(self) -> bool {
        !self.is_empty()
    }
}

impl fmt::Display for ChecksumType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChecksumType::None => "none",
            ChecksumType::Crc32 => "crc32",
            ChecksumType::Farmhash32 => "farmhash32",
            ChecksumType::Crc32c => "crc32c",
        })
    }
}

/// Below this many bytes, CRC-32C is computed a word at a time here rather than by the
/// `crc32c` crate, whose set-up for its three-way parallel loops (and alignment of the start)
/// costs more than the CRC of a small arg itself.
const SHORT_CRC32C: usize = 512;

/// CRC-32C of `data` continuing from `crc` (as `crc32c::crc32c_append`).
#[inline(always)]
fn crc32c_append(crc: u32, data: &[u8]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    if data.len() < SHORT_CRC32C && std::arch::is_x86_feature_detected!("sse4.2") {
        // SAFETY: `short_crc32c` needs SSE 4.2, which the CPU was just seen to have.
        return unsafe { short_crc32c(crc, data) };
    }
    crc32c::crc32c_append(crc, data)
}

/// CRC-32C with the SSE 4.2 instruction, sixteen bytes at a time (unaligned loads), then the
/// tail in at most four steps (eight bytes, four, two, one): for short inputs, where the latency
/// the `crc32c` crate hides with three interleaved streams does not matter.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse4.2")]
fn short_crc32c(crc: u32, data: &[u8]) -> u32 {
    use std::arch::x86_64::{_mm_crc32_u16, _mm_crc32_u32, _mm_crc32_u64, _mm_crc32_u8};
    let mut c = u64::from(!crc);
    // Two words a turn (a loop of one costs as much again in its own upkeep).
    let mut p = data;
    while let Some((w, rest)) = p.split_first_chunk::<16>() {
        let (a, b) = w.split_at(8);
        c = _mm_crc32_u64(c, u64::from_le_bytes(a.try_into().expect("8 bytes")));
        c = _mm_crc32_u64(c, u64::from_le_bytes(b.try_into().expect("8 bytes")));
        p = rest;
    }
    if let Some((w, rest)) = p.split_first_chunk::<8>() {
        c = _mm_crc32_u64(c, u64::from_le_bytes(*w));
        p = rest;
    }
    let mut c = c as u32;
    let mut tail = p;
    if let Some((w, rest)) = tail.split_first_chunk::<4>() {
        c = _mm_crc32_u32(c, u32::from_le_bytes(*w));
        tail = rest;
    }
    if let Some((w, rest)) = tail.split_first_chunk::<2>() {
        c = _mm_crc32_u16(c, u16::from_le_bytes(*w));
        tail = rest;
    }
    if let Some(&b) = tail.first() {
        c = _mm_crc32_u8(c, b);
    }
    !c
}

/// A checksum as it appears in a frame: the type and, unless the type is `None`, its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Checksum {
    /// The algorithm.
    pub kind: ChecksumType,
    /// The value (0 when `kind` is `None`).
    pub value: u32,
}

/// The checksum of one message so far, updated chunk by chunk.
///
/// ```
/// use tchannel_runtime::checksum::{ChecksumType, RunningChecksum};
/// let mut c = RunningChecksum::new(ChecksumType::Crc32c);
/// c.update(b"1234");
/// c.update(b"56789");
/// assert_eq!(c.value(), 0xe306_9283);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunningChecksum {
    kind: ChecksumType,
    state: u32,
}

impl RunningChecksum {
    /// A fresh checksum (seed 0) of the given type.
    pub fn new(kind: ChecksumType) -> Self {
        RunningChecksum { kind, state: 0 }
    }

    /// The algorithm.
    pub fn kind(&self) -> ChecksumType {
        self.kind
    }

    /// Adds arg data bytes. (Farmhash has no running state: see
    /// [`frame_checksum`](Self::frame_checksum).)
    #[inline(always)]
    pub fn update(&mut self, data: &[u8]) {
        if data.is_empty() {
            // Nothing to add (empty args are common: arg1 of a response, arg2 of raw calls),
            // and the CRC's set-up is not free.
            return;
        }
        match self.kind {
            ChecksumType::None | ChecksumType::Farmhash32 => {}
            ChecksumType::Crc32 => {
                let mut h = crc32fast::Hasher::new_with_initial(self.state);
                h.update(data);
                self.state = h.finalize();
            }
            ChecksumType::Crc32c => self.state = crc32c_append(self.state, data),
        }
    }

    /// The value over everything added so far.
    pub fn value(&self) -> u32 {
        self.state
    }

    /// The value as it goes in a frame, for the CRCs and `None`: the running value.
    pub fn checksum(&self) -> Checksum {
        Checksum {
            kind: self.kind,
            value: self.state,
        }
    }

    /// The checksum of a frame whose arg chunks are `chunks`, after they were added with
    /// [`update`](Self::update): the running value, except for farmhash, where it is the
    /// fingerprint of the frame's last chunk (tchannel-node's computation).
    ///
    /// ```
    /// use tchannel_runtime::checksum::{ChecksumType, RunningChecksum};
    /// let c = RunningChecksum::new(ChecksumType::Farmhash32);
    /// // tchannel-node's test vector for args on/to/te in one frame.
    /// assert_eq!(c.frame_checksum(&[&b"on"[..], b"to", b"te"]).value, 0x8e09_a1bd);
    /// ```
    pub fn frame_checksum<C: AsRef<[u8]>>(&self, chunks: &[C]) -> Checksum {
        match self.kind {
            ChecksumType::Farmhash32 => Checksum {
                kind: self.kind,
                value: chunks
                    .last()
                    .map_or(0, |c| farmhash::fingerprint32(c.as_ref())),
            },
            _ => self.checksum(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crc(kind: ChecksumType, parts: &[&[u8]]) -> u32 {
        let mut c = RunningChecksum::new(kind);
        for p in parts {
            c.update(p);
        }
        c.value()
    }

    #[test]
    fn check_values() {
        assert_eq!(crc(ChecksumType::Crc32, &[b"123456789"]), 0xcbf4_3926);
        assert_eq!(crc(ChecksumType::Crc32c, &[b"123456789"]), 0xe306_9283);
        assert_eq!(crc(ChecksumType::Crc32c, &[b"ABC"]), 0x8839_a97f);
        assert_eq!(crc(ChecksumType::None, &[b"ABC"]), 0);
    }

    #[test]
    fn chaining_equals_one_piece() {
        // Protocol V8: crc32 of on|to|te chained = crc32("ontote").
        assert_eq!(crc(ChecksumType::Crc32, &[b"on"]), 0x09b6_29c8);
        assert_eq!(crc(ChecksumType::Crc32, &[b"on", b"to"]), 0x9616_1e58);
        assert_eq!(
            crc(ChecksumType::Crc32, &[b"on", b"to", b"te"]),
            0xbf3f_47f3
        );
        assert_eq!(
            crc(ChecksumType::Crc32, &[b"arg1", b"arg2", b"arg3"]),
            0x8c38_c3af
        );
        assert_eq!(crc(ChecksumType::Crc32c, &[b"AB", b"C"]), 0x8839_a97f);
    }

    /// tchannel-node's vectors (`test/v2/checksum.js`, `test/v2/call.js`) and values computed
    /// with the npm `farmhash` 3.3.1 module tchannel-node uses (`fingerprint32(Buffer)`):
    /// the empty input, the short-input branches (1..4, 5..12, 13..24 bytes) and a long one.
    #[test]
    fn farmhash_matches_tchannel_node() {
        let fp = |chunks: &[&[u8]]| {
            RunningChecksum::new(ChecksumType::Farmhash32)
                .frame_checksum(chunks)
                .value
        };
        assert_eq!(fp(&[b"on", b"to", b"te"]), 0x8e09_a1bd);
        assert_eq!(fp(&[b"arg1", b"arg2", b"arg3"]), 0xeed8_6ea9);
        assert_eq!(fp(&[b""]), 0xdc56_d17a);
        assert_eq!(fp(&[b"a"]), 0x3c97_3d4d);
        assert_eq!(fp(&[b"hello world"]), 0x19a7_581a);
        assert_eq!(fp(&[b"123456789"]), 0xf88e_ca50);
        assert_eq!(fp(&["x".repeat(100).as_bytes()]), 0x07f6_8798);
        let big: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        assert_eq!(fp(&[&big]), 0xb869_0c11);
        for (n, v) in [
            (3, 0x45d9_2492),
            (4, 0x8ec1_b73f),
            (5, 0x042e_5728),
            (12, 0x7d4d_c6c8),
            (13, 0xf7e3_1044),
            (24, 0xed5e_3d50),
            (25, 0xe8ae_a99d),
            (26, 0x61e0_42c9),
        ] {
            assert_eq!(fp(&[&big[..n]]), v, "{n} bytes");
        }
        // No chunk at all (never a valid frame) gives 0 rather than a panic.
        assert_eq!(fp(&[]), 0);
    }

    proptest::proptest! {
        /// Peer bytes reach farmhash on the reader task: any input, of any length branch,
        /// hashes without a panic (overflow checks are on in tests).
        #[test]
        fn farmhash_never_panics(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600)) {
            let c = RunningChecksum::new(ChecksumType::Farmhash32);
            let _ = c.frame_checksum(&[&data[..]]);
        }
    }

    proptest::proptest! {
        /// The short-input CRC-32C gives the `crc32c` crate's value, from any start, at every
        /// length on both sides of where it hands over.
        #[test]
        fn short_crc32c_matches_the_crate(
            data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..1100),
            seed in proptest::prelude::any::<u32>(),
            skip in 0usize..8,
        ) {
            let data = &data[skip.min(data.len())..];
            proptest::prop_assert_eq!(
                crc32c_append(seed, data),
                crc32c::crc32c_append(seed, data)
            );
        }
    }

    #[test]
    fn codes_round_trip() {
        for code in 0..=3 {
            assert_eq!(ChecksumType::from_code(code).unwrap().code(), code);
        }
        assert_eq!(ChecksumType::from_code(4), None);
    }
}
