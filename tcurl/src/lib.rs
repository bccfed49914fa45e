//! tcurl, a command-line TChannel client: the library half.
//!
//! [`codec`] encodes JSON into Thrift's binary protocol and back, driven by an IDL parsed at
//! run time; [`exit`] holds the exit codes. The binary (`src/main.rs`) is the command line.
#![deny(missing_docs)]

pub mod codec;

/// Exit codes of `tcurl` (also listed in `tcurl --help`).
pub mod exit {
    use tchannel_runtime::{Error, ErrorCode};

    /// The call succeeded.
    pub const OK: u8 = 0;
    /// The response is not ok: a declared exception, an application error, health not ok.
    pub const APP_ERROR: u8 = 1;
    /// Bad flags (clap also exits 2).
    pub const USAGE: u8 = 2;
    /// The IDL does not load or lacks the service or method.
    pub const IDL: u8 = 3;
    /// -2/-3 are not valid JSON or do not match the method's types.
    pub const BAD_INPUT: u8 = 4;
    /// The response could not be decoded.
    pub const BAD_RESPONSE: u8 = 5;
    /// Timeout (error code 0x01).
    pub const TIMEOUT: u8 = 11;
    /// Cancelled (0x02).
    pub const CANCELLED: u8 = 12;
    /// Busy (0x03).
    pub const BUSY: u8 = 13;
    /// Declined (0x04).
    pub const DECLINED: u8 = 14;
    /// Unexpected error (0x05).
    pub const UNEXPECTED: u8 = 15;
    /// Bad request (0x06).
    pub const BAD_REQUEST: u8 = 16;
    /// Network error (0x07).
    pub const NETWORK: u8 = 17;
    /// Unhealthy (0x08).
    pub const UNHEALTHY: u8 = 18;
    /// Protocol error (0xFF).
    pub const PROTOCOL: u8 = 19;
    /// Anything else.
    pub const OTHER: u8 = 20;

    /// The exit code and the error type name (as the peers' clients name it) for an error.
    pub fn for_error(e: &Error) -> (u8, &'static str) {
        if e.is_checksum() {
            return (BAD_REQUEST, "bad_request");
        }
        match e.code() {
            Some(ErrorCode::Timeout) => (TIMEOUT, "timeout"),
            Some(ErrorCode::Cancelled) => (CANCELLED, "cancelled"),
            Some(ErrorCode::Busy) => (BUSY, "busy"),
            Some(ErrorCode::Declined) => (DECLINED, "declined"),
            Some(ErrorCode::Unexpected) => (UNEXPECTED, "unexpected"),
            Some(ErrorCode::BadRequest) => (BAD_REQUEST, "bad_request"),
            Some(ErrorCode::Network) => (NETWORK, "network"),
            Some(ErrorCode::Unhealthy) => (UNHEALTHY, "unhealthy"),
            Some(ErrorCode::Protocol) => (PROTOCOL, "protocol"),
            _ if e.is_scheme() => (BAD_RESPONSE, "scheme"),
            _ => (OTHER, "other"),
        }
    }
}
