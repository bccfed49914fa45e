//! The length limits of the wire fields: one constant per limit, used by the encoder, the
//! decoder and the checks where values enter the API (call builders, handler responses).
//!
//! | field | limit | why |
//! |---|---|---|
//! | service name (`service~1`) | 255 bytes | one-byte length |
//! | transport headers (`nh:1`) | 128 headers | spec; Node refuses more |
//! | transport header key (`hk~1`) | 1..=16 bytes | spec (Node accepts at most 15, Go any) |
//! | transport header value (`hv~1`) | 255 bytes | one-byte length |
//! | arg1 (the endpoint) | 16 KiB (16,384 bytes) | spec, Go `maxMethodSize`, Node `MaxArg1Size` |
//! | ttl (the call's timeout) | 4,294,967,295 ms (`u32::MAX`, about 49.7 days) | four-byte field |
//! | error message (`message~2`) | 65,491 bytes | what fits one frame |
//! | a whole frame | 65,535 bytes (`MAX_FRAME_LEN`) | two-byte size |
//!
//! A value over a limit is never truncated. Where a caller sets it, the call fails at once
//! with a bad request ([`crate::Error::is_bad_request`]) whose message names the field, its
//! length and the limit; nothing is sent. A frame from a peer that breaks a limit is refused
//! as malformed (a bad-request error frame for that call).

use super::{Tracing, MAX_PAYLOAD_LEN};
use crate::frame::TransportHeaders;
use std::fmt;
use std::time::Duration;

/// The longest service name: 255 bytes (`service~1`).
pub const MAX_SERVICE_LEN: usize = u8::MAX as usize;
/// The most transport headers a call may carry: 128 (spec; tchannel-node refuses more).
pub const MAX_TRANSPORT_HEADERS: usize = 128;
/// The longest transport header key: 16 bytes (spec). tchannel-node accepts at most 15.
pub const MAX_HEADER_KEY_LEN: usize = 16;
/// The longest transport header value: 255 bytes (`hv~1`).
pub const MAX_HEADER_VALUE_LEN: usize = u8::MAX as usize;
/// The longest arg1 (a call's endpoint or method): 16 KiB, 16,384 bytes.
pub const MAX_ARG1_LEN: usize = 16 * 1024;
/// The longest ttl, hence the longest call timeout: `u32::MAX` milliseconds (about 49.7
/// days). A longer timeout is a bad request, not clamped: the spec does not say to clamp,
/// and a caller asking for more than the wire can say should hear so.
pub const MAX_TTL_MS: u64 = u32::MAX as u64;
/// The longest error frame message: what fits one frame after `code:1 tracing:25`.
pub const MAX_ERROR_MESSAGE_LEN: usize = MAX_PAYLOAD_LEN - 1 - Tracing::LEN - 2;

/// A value that does not fit its wire field: the encoder's only error. Nothing is written
/// when it is returned. It converts into a bad-request [`crate::Error`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodeError {
    /// `field` is `len` long (`unit`: bytes, headers, ms), over `limit`.
    TooLong {
        /// Which field, e.g. "service name" or "transport header `sk` value".
        field: String,
        /// Its length.
        len: u64,
        /// The most the field holds.
        limit: u64,
        /// What `len` and `limit` count.
        unit: &'static str,
    },
    /// `field` holds a value the protocol does not allow (an empty or repeated header key).
    Invalid {
        /// Which field.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl EncodeError {
    /// The field at fault.
    pub fn field(&self) -> &str {
        match self {
            EncodeError::TooLong { field, .. } | EncodeError::Invalid { field, .. } => field,
        }
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::TooLong {
                field,
                len,
                limit,
                unit: "headers",
            } => write!(f, "{field}: {len} headers, the limit is {limit}"),
            EncodeError::TooLong {
                field,
                len,
                limit,
                unit,
            } => write!(f, "{field} is {len} {unit} long, the limit is {limit}"),
            EncodeError::Invalid { field, reason } => write!(f, "invalid {field}: {reason}"),
        }
    }
}

impl std::error::Error for EncodeError {}

/// `len` if it is at most `limit`, else the error naming `field` (built only then).
///
/// Inlined into every caller (a dozen checks per call on the hot path: one compare each),
/// with the error built out of line: out of line, the checks of one call cost ~450
/// instructions.
#[inline(always)]
pub(crate) fn check_len(
    field: impl FnOnce() -> String,
    len: usize,
    limit: usize,
    unit: &'static str,
) -> Result<usize, EncodeError> {
    if len <= limit {
        Ok(len)
    } else {
        Err(too_long(field(), len, limit, unit))
    }
}

#[cold]
#[inline(never)]
fn too_long(field: String, len: usize, limit: usize, unit: &'static str) -> EncodeError {
    EncodeError::TooLong {
        field,
        len: len as u64,
        limit: limit as u64,
        unit,
    }
}

/// A call timeout as the ttl's milliseconds, or the error naming `timeout` and the limit.
fn check_timeout(timeout: Duration) -> Result<u32, EncodeError> {
    u32::try_from(timeout.as_millis()).map_err(|_| EncodeError::TooLong {
        field: "timeout".into(),
        len: u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
        limit: MAX_TTL_MS,
        unit: "ms",
    })
}

/// Everything of an outgoing call whose length has a wire limit: the service name, the
/// transport headers (as they will be sent), arg1 and the timeout.
///
/// `headers` is `None` for headers validated already (a channel's prebuilt defaults, checked
/// once when it was built): the other fields are checked all the same.
pub(crate) fn check_request(
    service: &[u8],
    headers: Option<&TransportHeaders>,
    arg1: &[u8],
    timeout: Duration,
) -> Result<(), EncodeError> {
    check_len(
        || "service name".into(),
        service.len(),
        MAX_SERVICE_LEN,
        "bytes",
    )?;
    if let Some(headers) = headers {
        headers.validate()?;
    }
    check_len(
        || "arg1 (the endpoint)".into(),
        arg1.len(),
        MAX_ARG1_LEN,
        "bytes",
    )?;
    check_timeout(timeout)?;
    Ok(())
}

/// A value that does not fit its wire field is a bad request: the message names the field,
/// its length and the limit. (Here rather than in `error.rs`, so that the error type stays a
/// leaf that the wire layer uses.)
impl From<EncodeError> for crate::error::Error {
    fn from(e: EncodeError) -> Self {
        crate::error::Error::bad_request(e.to_string()).with_source(e)
    }
}
