//! Cutting a byte stream into frames.
//!
//! As in tokio-util's `LengthDelimitedCodec`: check the 2-byte size first, reserve for the
//! rest, and split the frame off the buffer without copying once it is all there.

use super::{DecodeError, Frame, HEADER_LEN};
use bytes::{Buf, Bytes, BytesMut};

/// Stateless frame codec over a read buffer.
#[derive(Debug, Default, Clone, Copy)]
pub struct FrameCodec;

/// What the codec found at the front of the buffer.
#[derive(Debug)]
pub enum Decoded {
    /// A whole frame.
    Frame(Frame),
    /// A whole frame whose payload did not parse. The framing is intact, so the connection
    /// can answer this message id with an error and go on.
    Malformed {
        /// The frame's type byte.
        frame_type: u8,
        /// The frame's message id.
        id: u32,
        /// What was wrong.
        error: DecodeError,
    },
}

impl FrameCodec {
    /// Takes one frame off the front of `buf`, or returns `Ok(None)` when more bytes are
    /// needed. A size below 16 is fatal: the stream can no longer be cut into frames.
    pub fn decode(buf: &mut BytesMut) -> Result<Option<Decoded>, DecodeError> {
        let Some((frame_type, id, frame)) = Self::split(buf)? else {
            return Ok(None);
        };
        Ok(Some(match Frame::decode(frame_type, id, frame) {
            Ok(f) => Decoded::Frame(f),
            Err(error) => Decoded::Malformed {
                frame_type,
                id,
                error,
            },
        }))
    }

    /// Cuts one frame off the front of `buf` as [`decode`](Self::decode) does, without
    /// decoding its payload: its type, id and payload (the bytes after the 16-byte header).
    #[inline]
    pub(crate) fn split(buf: &mut BytesMut) -> Result<Option<(u8, u32, Bytes)>, DecodeError> {
        if buf.len() < 2 {
            return Ok(None);
        }
        let size = u16::from_be_bytes([buf[0], buf[1]]) as usize;
        if size < HEADER_LEN {
            return Err(DecodeError::invalid(
                "frame size",
                format!("invalid frame size {size}"),
            ));
        }
        if buf.len() < size {
            buf.reserve(size - buf.len());
            return Ok(None);
        }
        // The header read in place (`size >= HEADER_LEN` bytes are there), then one split.
        let frame_type = buf[2];
        let id = u32::from_be_bytes([buf[4], buf[5], buf[6], buf[7]]);
        let mut frame = buf.split_to(size).freeze();
        frame.advance(HEADER_LEN);
        Ok(Some((frame_type, id, frame)))
    }
}
