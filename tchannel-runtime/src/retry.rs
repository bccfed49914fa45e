//! Retry flags (`re` transport header) and when an error may be retried.

use crate::error::{Error, ErrorCode, Kind};

mod budget;
pub(crate) use budget::Bucket;
pub use budget::{Backoff, RetryBudget};

/// When a failed call may be retried on another peer: the `re` transport header.
///
/// Whatever the flags, an application error is never retried, and a call is never retried
/// on a peer that was already tried or past its deadline.
///
/// ```
/// use tchannel_runtime::RetryOn;
/// assert_eq!(RetryOn::default(), RetryOn::ConnectionError);
/// assert_eq!(RetryOn::ConnectionErrorAndTimeout.as_header(), "ct");
/// assert_eq!(RetryOn::from_header("tc"), Some(RetryOn::ConnectionErrorAndTimeout));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RetryOn {
    /// `n`: never retry.
    Never,
    /// `c`: retry on connection errors (the default).
    #[default]
    ConnectionError,
    /// `t`: retry on timeouts.
    Timeout,
    /// `ct`: retry on connection errors and timeouts.
    ConnectionErrorAndTimeout,
}

impl RetryOn {
    /// The header value.
    pub fn as_header(self) -> &'static str {
        match self {
            RetryOn::Never => "n",
            RetryOn::ConnectionError => "c",
            RetryOn::Timeout => "t",
            RetryOn::ConnectionErrorAndTimeout => "ct",
        }
    }

    /// Parses a header value (`n` wins over the others; absent means `c`).
    pub fn from_header(v: &str) -> Option<Self> {
        if v.contains('n') {
            return Some(RetryOn::Never);
        }
        match (v.contains('c'), v.contains('t')) {
            (true, true) => Some(RetryOn::ConnectionErrorAndTimeout),
            (true, false) => Some(RetryOn::ConnectionError),
            (false, true) => Some(RetryOn::Timeout),
            (false, false) => None,
        }
    }

    fn on_connection_errors(self) -> bool {
        matches!(
            self,
            RetryOn::ConnectionError | RetryOn::ConnectionErrorAndTimeout
        )
    }

    fn on_timeouts(self) -> bool {
        matches!(self, RetryOn::Timeout | RetryOn::ConnectionErrorAndTimeout)
    }

    /// Whether `err` may be retried on another peer (Node's and Python's rules).
    pub fn should_retry(self, err: &Error) -> bool {
        if self == RetryOn::Never {
            return false;
        }
        match err.kind() {
            Kind::Code(code) => match code {
                ErrorCode::Busy | ErrorCode::Declined => true,
                ErrorCode::Timeout => self.on_timeouts(),
                ErrorCode::Unexpected | ErrorCode::Network | ErrorCode::Protocol => {
                    self.on_connection_errors()
                }
                _ => false,
            },
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_table() {
        let e = |c| Error::from_code(c, "");
        use ErrorCode::{BadRequest, Busy, Cancelled, Declined, Network, Unexpected, Unhealthy};
        use RetryOn::{ConnectionError, ConnectionErrorAndTimeout, Never};
        const T: ErrorCode = ErrorCode::Timeout;
        for (flags, code, expect) in [
            (Never, Busy, false),
            (ConnectionError, Busy, true),
            (ConnectionError, Declined, true),
            (ConnectionError, T, false),
            (RetryOn::Timeout, T, true),
            (RetryOn::Timeout, Network, false),
            (ConnectionError, Network, true),
            (ConnectionError, Unexpected, true),
            (ConnectionErrorAndTimeout, T, true),
            (ConnectionErrorAndTimeout, BadRequest, false),
            (ConnectionErrorAndTimeout, Cancelled, false),
            (ConnectionErrorAndTimeout, Unhealthy, false),
        ] {
            assert_eq!(flags.should_retry(&e(code)), expect, "{flags:?} {code:?}");
        }
    }

    #[test]
    fn header_round_trip() {
        for r in [
            RetryOn::Never,
            RetryOn::ConnectionError,
            RetryOn::Timeout,
            RetryOn::ConnectionErrorAndTimeout,
        ] {
            assert_eq!(RetryOn::from_header(r.as_header()), Some(r));
        }
        assert_eq!(RetryOn::from_header("nc"), Some(RetryOn::Never));
        assert_eq!(RetryOn::from_header(""), None);
    }
}
