//! Frame checksums (protocol section 4).
//!
//! The checksum covers the data bytes of the arg chunks only (never their length prefixes),
//! and it runs across every frame of one message: frame *k* carries the checksum of all arg
//! bytes in frames 1..=k. CRC-32 and CRC-32C chain by seeding with the previous value.

use std::fmt;

/// The checksum algorithm named by a frame's `csumtype` byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ChecksumType {
    /// `0x00`: no checksum; no checksum bytes on the wire.
    #[default]
    None,
    /// `0x01`: CRC-32/IEEE (zlib's `crc32`).
    Crc32,
    /// `0x02`: farmhash Fingerprint32. Only tchannel-node implements it, and not in a way
    /// that chains, so we never send it and do not verify it on receipt.
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

    /// Whether received values of this type are verified.
    pub(crate) fn verifies(self) -> bool {
        matches!(self, ChecksumType::Crc32 | ChecksumType::Crc32c)
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

    /// Adds arg data bytes.
    pub fn update(&mut self, data: &[u8]) {
        match self.kind {
            ChecksumType::None | ChecksumType::Farmhash32 => {}
            ChecksumType::Crc32 => {
                let mut h = crc32fast::Hasher::new_with_initial(self.state);
                h.update(data);
                self.state = h.finalize();
            }
            ChecksumType::Crc32c => self.state = crc32c::crc32c_append(self.state, data),
        }
    }

    /// The value over everything added so far.
    pub fn value(&self) -> u32 {
        self.state
    }

    /// The value as it goes in a frame.
    pub fn checksum(&self) -> Checksum {
        Checksum {
            kind: self.kind,
            value: self.state,
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

    #[test]
    fn codes_round_trip() {
        for code in 0..=3 {
            assert_eq!(ChecksumType::from_code(code).unwrap().code(), code);
        }
        assert_eq!(ChecksumType::from_code(4), None);
    }
}
