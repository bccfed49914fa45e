//! The bare TChannel framing used by the plain echo: a 16-byte header (2-byte big-endian
//! size counting the header itself, type, reserved, 4-byte id, 8 reserved) and a payload.

use bytes::{BufMut, BytesMut};

/// Length of the frame header.
pub const HEADER_LEN: usize = 16;
/// Largest frame: the size field is 16 bits.
pub const MAX_FRAME: usize = 0xFFFF;
/// Largest payload of one frame.
pub const MAX_PAYLOAD: usize = MAX_FRAME - HEADER_LEN;
/// Type byte the plain load generator sends (call req).
pub const TYPE_REQUEST: u8 = 0x03;
/// Type byte the plain echo answers with (call res).
pub const TYPE_RESPONSE: u8 = 0x04;

/// Why a byte stream cannot be cut into frames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadSize(pub usize);

impl std::fmt::Display for BadSize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid frame size {}", self.0)
    }
}

impl std::error::Error for BadSize {}

/// Appends one frame with `payload` bytes of filler to `buf`.
///
/// ```
/// let mut b = bytes::BytesMut::new();
/// tchannel_bench::framing::put_frame(&mut b, 0x03, 7, 4);
/// assert_eq!(&b[..8], &[0, 20, 0x03, 0, 0, 0, 0, 7]);
/// assert_eq!(b.len(), 20);
/// ```
pub fn put_frame(buf: &mut BytesMut, frame_type: u8, id: u32, payload: usize) {
    assert!(payload <= MAX_PAYLOAD, "payload of {payload} bytes");
    buf.reserve(HEADER_LEN + payload);
    buf.put_u16((HEADER_LEN + payload) as u16);
    buf.put_u8(frame_type);
    buf.put_u8(0);
    buf.put_u32(id);
    buf.put_u64(0);
    buf.put_bytes(b'x', payload);
}

/// Takes one whole frame off the front of `buf`, or `None` when more bytes are needed
/// (after reserving room for the rest of the frame).
pub fn take_frame(buf: &mut BytesMut) -> Result<Option<BytesMut>, BadSize> {
    if buf.len() < 2 {
        return Ok(None);
    }
    let size = u16::from_be_bytes([buf[0], buf[1]]) as usize;
    if size < HEADER_LEN {
        return Err(BadSize(size));
    }
    if buf.len() < size {
        buf.reserve(size - buf.len());
        return Ok(None);
    }
    Ok(Some(buf.split_to(size)))
}

/// The message id of a whole frame.
pub fn frame_id(frame: &[u8]) -> u32 {
    u32::from_be_bytes([frame[4], frame[5], frame[6], frame[7]])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_frames_and_waits_for_partial_ones() {
        let mut b = BytesMut::new();
        put_frame(&mut b, TYPE_REQUEST, 1, 0);
        put_frame(&mut b, TYPE_REQUEST, 2, 100);
        let tail = b.split_off(50);
        let f = take_frame(&mut b).unwrap().unwrap();
        assert_eq!((f.len(), frame_id(&f)), (16, 1));
        assert!(take_frame(&mut b).unwrap().is_none());
        b.extend_from_slice(&tail);
        let f = take_frame(&mut b).unwrap().unwrap();
        assert_eq!((f.len(), frame_id(&f)), (116, 2));
        assert!(b.is_empty());
        b.extend_from_slice(&[0, 15, 0]);
        assert_eq!(take_frame(&mut b), Err(BadSize(15)));
    }
}
