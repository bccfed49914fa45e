//! Entry points for the fuzz targets in `fuzz/` (feature `fuzzing`). Not a public API: it
//! exposes crate-internal pieces (the fragment reader and writer) so that they can be driven
//! directly with arbitrary input, and may change at any time.
#![allow(missing_docs)]

use crate::checksum::{Checksum, ChecksumType};
use crate::fragment::{self, FirstFrame, FragmentError};
use crate::frame::{CallReq, CallRes, Chunks, DecodeError, Frame};
use bytes::Bytes;

/// [`fragment::ArgReader`]: puts one message's args back together. A message whose first
/// frame is also its last and holds three chunks is read with `ArgReader::read_one` too (the
/// connection's path for it), which must give the same result.
#[derive(Debug)]
pub struct ArgReader {
    reader: fragment::ArgReader,
    limit: usize,
    first: bool,
}

impl ArgReader {
    pub fn new(limit: usize) -> Self {
        ArgReader {
            reader: fragment::ArgReader::new(limit),
            limit,
            first: true,
        }
    }

    pub fn push(
        &mut self,
        flags: u8,
        checksum: Checksum,
        chunks: &Chunks,
    ) -> Result<Option<[Bytes; 3]>, FragmentError> {
        let one =
            std::mem::take(&mut self.first) && fragment::ArgReader::is_one_frame(flags, chunks);
        let got = self.reader.push(flags, checksum, chunks);
        if one {
            let fast = fragment::ArgReader::read_one(self.limit, checksum, chunks.clone());
            let want = got
                .clone()
                .map(|args| args.expect("one frame completes the message"));
            assert_eq!(fast, want, "read_one and push disagree");
        }
        got
    }
}

/// [`fragment::StreamCheck`]: checks a streamed message's frames without keeping them.
#[derive(Debug, Default)]
pub struct StreamCheck(fragment::StreamCheck);

impl StreamCheck {
    pub fn push(
        &mut self,
        flags: u8,
        checksum: Checksum,
        chunks: &Chunks,
    ) -> Result<(), FragmentError> {
        self.0.push(flags, checksum, chunks)
    }
}

/// Cuts three args into frames with the given sizes (see `Fragmenter::with_limits`):
/// `max_payload` for continue frames, `first_space` bytes of chunks in the first frame.
pub fn fragment(
    response: bool,
    csum: ChecksumType,
    max_payload: usize,
    first_space: usize,
    args: [Bytes; 3],
) -> Vec<Frame> {
    let first = if response {
        FirstFrame::Res(CallRes::default())
    } else {
        FirstFrame::Req(CallReq {
            ttl: 1000,
            service: Bytes::from_static(b"svc"),
            ..Default::default()
        })
    };
    let mut frames = Vec::new();
    fragment::Fragmenter::with_limits(1, first, csum, max_payload, first_space)
        .write_all(args, &mut |f| frames.push(f));
    frames
}

/// [`Frame::decode`], which decodes whole and valid call frames in one pass, checked against
/// the field-by-field decoder: both must give the same frame, or the same error.
pub fn decode_frame(frame_type: u8, id: u32, payload: Bytes) -> Result<Frame, DecodeError> {
    let got = Frame::decode(frame_type, id, payload.clone());
    let want = Frame::decode_fields(frame_type, id, payload);
    assert_eq!(
        got, want,
        "the one-pass and field-by-field decoders disagree"
    );
    got
}
