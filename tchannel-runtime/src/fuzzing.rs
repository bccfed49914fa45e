//! Entry points for the fuzz targets in `fuzz/` (feature `fuzzing`). Not a public API: it
//! exposes crate-internal pieces (the fragment reader and writer) so that they can be driven
//! directly with arbitrary input, and may change at any time.
#![allow(missing_docs)]

use crate::checksum::{Checksum, ChecksumType};
use crate::fragment::{self, FirstFrame, FragmentError};
use crate::frame::{CallReq, CallRes, Chunks, Frame};
use bytes::Bytes;

/// [`fragment::ArgReader`]: puts one message's args back together.
#[derive(Debug)]
pub struct ArgReader(fragment::ArgReader);

impl ArgReader {
    pub fn new(limit: usize) -> Self {
        ArgReader(fragment::ArgReader::new(limit))
    }

    pub fn push(
        &mut self,
        flags: u8,
        checksum: Checksum,
        chunks: &Chunks,
    ) -> Result<Option<[Bytes; 3]>, FragmentError> {
        self.0.push(flags, checksum, chunks)
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
