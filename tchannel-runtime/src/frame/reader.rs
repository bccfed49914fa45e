//! A cursor over a frame payload that never copies: every field it hands out is a slice of
//! the frame's `Bytes`. Each read names the field, so a short or wrong frame says which field
//! was at fault.

use bytes::{Buf, Bytes};
use std::fmt;

/// Why a frame could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The frame ended before `field` was complete.
    Short {
        /// The field being read.
        field: &'static str,
        /// Bytes the field needed.
        needed: usize,
        /// Bytes that were left.
        remaining: usize,
    },
    /// `field` held a value the protocol does not allow.
    Invalid {
        /// The field that was wrong.
        field: &'static str,
        /// What was wrong with it.
        reason: String,
    },
    /// The frame had bytes left over after its last field.
    Trailing {
        /// Which frame type.
        frame: &'static str,
        /// How many bytes were left.
        remaining: usize,
    },
}

impl DecodeError {
    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        DecodeError::Invalid {
            field,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Short {
                field,
                needed,
                remaining,
            } => write!(
                f,
                "frame too short for {field}: needed {needed} bytes, {remaining} left"
            ),
            DecodeError::Invalid { field, reason } => write!(f, "invalid {field}: {reason}"),
            DecodeError::Trailing { frame, remaining } => {
                write!(f, "{remaining} unexpected trailing bytes in {frame} frame")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

/// Zero-copy reader over one frame payload.
pub(crate) struct Reader {
    buf: Bytes,
}

impl Reader {
    pub(crate) fn new(buf: Bytes) -> Self {
        Reader { buf }
    }

    /// What is left, without taking it.
    pub(crate) fn peek(&self) -> &[u8] {
        &self.buf
    }

    /// Passes over `n` bytes that [`peek`](Self::peek) showed are there.
    pub(crate) fn skip(&mut self, n: usize) {
        self.buf.advance(n);
    }

    pub(crate) fn remaining(&self) -> usize {
        self.buf.len()
    }

    fn need(&self, field: &'static str, n: usize) -> Result<(), DecodeError> {
        if self.buf.len() < n {
            Err(DecodeError::Short {
                field,
                needed: n,
                remaining: self.buf.len(),
            })
        } else {
            Ok(())
        }
    }

    pub(crate) fn u8(&mut self, field: &'static str) -> Result<u8, DecodeError> {
        self.need(field, 1)?;
        Ok(self.buf.get_u8())
    }

    pub(crate) fn u16(&mut self, field: &'static str) -> Result<u16, DecodeError> {
        self.need(field, 2)?;
        Ok(self.buf.get_u16())
    }

    pub(crate) fn u32(&mut self, field: &'static str) -> Result<u32, DecodeError> {
        self.need(field, 4)?;
        Ok(self.buf.get_u32())
    }

    pub(crate) fn u64(&mut self, field: &'static str) -> Result<u64, DecodeError> {
        self.need(field, 8)?;
        Ok(self.buf.get_u64())
    }

    /// `n` raw bytes, as a slice of the frame.
    pub(crate) fn take(&mut self, field: &'static str, n: usize) -> Result<Bytes, DecodeError> {
        self.need(field, n)?;
        Ok(self.buf.split_to(n))
    }

    /// A `field~1` value: one length byte, then that many bytes.
    pub(crate) fn bytes1(&mut self, field: &'static str) -> Result<Bytes, DecodeError> {
        let n = self.u8(field)? as usize;
        self.take(field, n)
    }

    /// A `field~2` value: a big-endian u16 length, then that many bytes.
    pub(crate) fn bytes2(&mut self, field: &'static str) -> Result<Bytes, DecodeError> {
        let n = self.u16(field)? as usize;
        self.take(field, n)
    }

    /// A `field~2` value that must be UTF-8.
    pub(crate) fn string2(&mut self, field: &'static str) -> Result<String, DecodeError> {
        let b = self.bytes2(field)?;
        String::from_utf8(b.to_vec()).map_err(|_| DecodeError::invalid(field, "not UTF-8"))
    }

    /// Everything left.
    pub(crate) fn rest(&mut self) -> Bytes {
        std::mem::take(&mut self.buf)
    }

    pub(crate) fn finish(&self, frame: &'static str) -> Result<(), DecodeError> {
        if self.buf.is_empty() {
            Ok(())
        } else {
            Err(DecodeError::Trailing {
                frame,
                remaining: self.buf.len(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_short_field() {
        let mut r = Reader::new(Bytes::from_static(&[0, 5, b'a']));
        let err = r.bytes2("service").unwrap_err();
        assert_eq!(
            err,
            DecodeError::Short {
                field: "service",
                needed: 5,
                remaining: 1
            }
        );
        assert_eq!(
            err.to_string(),
            "frame too short for service: needed 5 bytes, 1 left"
        );
    }

    #[test]
    fn slices_without_copying() {
        let buf = Bytes::from_static(b"\x03abcdef");
        let mut r = Reader::new(buf.clone());
        let v = r.bytes1("k").unwrap();
        assert_eq!(&v[..], b"abc");
        // Same backing memory: a slice, not a copy.
        assert_eq!(v.as_ptr(), buf[1..].as_ptr());
        assert_eq!(r.remaining(), 3);
    }
}
