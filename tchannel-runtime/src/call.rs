//! The data of a call that every layer above the connection shares: its names ([`Name`]),
//! the options a caller sets ([`CallOptions`]) and what the transport says about an inbound
//! call ([`TransportInfo`]). A module of its own, below `middleware` and `channel`, so that the
//! middleware types do not depend on the channel that runs them.

use crate::checksum::ChecksumType;
use crate::connection::PeerInfo;
use crate::frame::{Tracing, TransportHeaders};
use crate::retry::RetryOn;
use bytes::Bytes;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// A name a call carries: its service, endpoint (arg1), caller (`cn`) or scheme (`as`).
///
/// UTF-8 text in shared bytes: cloning it is a reference count (or nothing, for a static
/// name), and an inbound call's names are the frame's own bytes, so neither side copies a
/// call's names on the way between the builder, the middleware, the wire and the handler.
/// It reads as a `&str` (`Deref`), compares with `str` and `String`, and prints as text.
///
/// Every method that takes a call's names (`TChannel::raw`, `json`, `call`, `hostport`...)
/// takes `impl Into<Name>`: a `String` is taken as it is, a `&str` is copied once, and a
/// `Name` is shared. The fast path is to make the names once and clone them per call:
///
/// ```no_run
/// use tchannel_runtime::{Name, TChannel};
/// # async fn f(ch: TChannel, peer: String) -> Result<(), tchannel_runtime::Error> {
/// let (service, endpoint) = (Name::from_static("kv"), Name::from_static("get"));
/// let peer = Name::from(peer);
/// for _ in 0..1000 {
///     // no allocation for the names of any of these calls
///     ch.raw(service.clone(), endpoint.clone()).hostport(peer.clone()).await?;
/// }
/// # Ok(()) }
/// ```
///
/// ```
/// use tchannel_runtime::Name;
/// let service = Name::from_static("keyvalue");      // no allocation
/// let endpoint = Name::from(String::from("get"));   // takes the String's buffer
/// assert_eq!(service, "keyvalue");
/// assert!(endpoint.starts_with('g'));               // any `str` method
/// let same = service.clone();                       // no copy
/// assert_eq!(same.as_str(), "keyvalue");
/// assert_eq!(format!("{service}/{endpoint}"), "keyvalue/get");
/// ```
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Name(Bytes);

impl Name {
    /// A name from a string literal: no allocation, ever.
    pub const fn from_static(s: &'static str) -> Self {
        Name(Bytes::from_static(s.as_bytes()))
    }

    /// A name from bytes off the wire: shared as they are when they are UTF-8, else copied
    /// with each bad sequence replaced by U+FFFD (as `String::from_utf8_lossy`).
    pub(crate) fn from_wire(b: Bytes) -> Self {
        match std::str::from_utf8(&b) {
            Ok(_) => Name(b),
            Err(_) => Name(Bytes::from(String::from_utf8_lossy(&b).into_owned())),
        }
    }

    /// A name from bytes off the wire if they are UTF-8 (shared, not copied).
    pub(crate) fn utf8(b: &Bytes) -> Option<Self> {
        std::str::from_utf8(b).ok().map(|_| Name(b.clone()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // SAFETY: the bytes are valid UTF-8. Every constructor starts from a `str`
        // (`from_static`, `From<&str>`, `From<String>`, `From<&String>`) or checks them
        // (`from_wire`, `utf8`), the field is private, and `Bytes` is immutable. Checking them
        // again on each read cost about 80 instructions per read, five reads per served call.
        unsafe { std::str::from_utf8_unchecked(&self.0) }
    }

    /// The bytes, shared (what goes on the wire).
    pub fn as_bytes(&self) -> &Bytes {
        &self.0
    }

    /// The bytes, shared, without a copy.
    pub fn into_bytes(self) -> Bytes {
        self.0
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Name {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

/// As `str` hashes, so that a `Name` key is found by a `&str` (`Borrow<str>`).
impl std::hash::Hash for Name {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

/// Copies the text: `&str` may be borrowed for less than the call. For a literal without a
/// copy, use [`Name::from_static`]; for a name used by many calls, keep one `Name` and
/// clone it.
impl From<&str> for Name {
    fn from(s: &str) -> Self {
        Name(Bytes::copy_from_slice(s.as_bytes()))
    }
}

/// Takes the `String`'s buffer, without a copy.
impl From<String> for Name {
    fn from(s: String) -> Self {
        Name(Bytes::from(s))
    }
}

/// Copies the text (a borrowed `String` may not outlive the call).
impl From<&String> for Name {
    fn from(s: &String) -> Self {
        Name(Bytes::copy_from_slice(s.as_bytes()))
    }
}

impl From<Name> for Bytes {
    fn from(n: Name) -> Self {
        n.0
    }
}

impl From<Name> for String {
    fn from(n: Name) -> Self {
        n.as_str().to_owned()
    }
}

/// As a string (so a name goes into `serde_json::json!` as one).
impl serde::Serialize for Name {
    fn serialize<Ser: serde::Serializer>(&self, s: Ser) -> Result<Ser::Ok, Ser::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        other == self
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        other == self
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        other == self
    }
}

/// The options of a call: timeout, routing, retries, transport headers, checksum, tracing.
/// [`Call`](crate::Call) sets them one by one; [`ThriftClient`](crate::ThriftClient) keeps a set for every
/// call it sends.
///
/// ```
/// use std::time::Duration;
/// use tchannel_runtime::{CallOptions, RetryOn};
/// let opts = CallOptions::default()
///     .timeout(Duration::from_millis(250))
///     .retry_on(RetryOn::Never)
///     .shard_key("user-42");
/// assert_eq!(opts.get_timeout(), Some(Duration::from_millis(250)));
/// ```
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) hostport: Option<Name>,
    pub(crate) retry_on: RetryOn,
    pub(crate) retry_limit: Option<u32>,
    pub(crate) transport: TransportHeaders,
    pub(crate) checksum: Option<ChecksumType>,
    pub(crate) tracing: Option<Tracing>,
}

impl CallOptions {
    /// How long to wait, connecting and retries included; sent as the ttl, in whole
    /// milliseconds. At most
    /// [`MAX_TTL_MS`](crate::frame::MAX_TTL_MS) (`u32::MAX` ms, about 49.7 days): a longer
    /// timeout (`Duration::MAX` say) fails the call at once with a bad request naming
    /// `timeout`, rather than being clamped.
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = Some(t);
        self
    }
    /// The timeout, if set.
    pub fn get_timeout(&self) -> Option<Duration> {
        self.timeout
    }
    /// Send to this `host:port` rather than choosing a known peer (no retries then, as in
    /// tchannel-python).
    /// A [`Name`]: a literal or a `String` is taken without a copy, and one kept and cloned
    /// costs nothing per call.
    pub fn hostport(mut self, hp: impl Into<Name>) -> Self {
        self.hostport = Some(hp.into());
        self
    }
    /// Retry flags (`re`).
    pub fn retry_on(mut self, r: RetryOn) -> Self {
        self.retry_on = r;
        self
    }
    /// Retries after the first attempt (each on a peer not tried yet).
    pub fn retry_limit(mut self, n: u32) -> Self {
        self.retry_limit = Some(n);
        self
    }
    /// Shard key (`sk`), at most 255 bytes (see [`transport_header`](Self::transport_header)).
    pub fn shard_key(self, k: impl Into<String>) -> Self {
        self.transport_header("sk", k)
    }
    /// Routing delegate (`rd`), at most 255 bytes.
    pub fn routing_delegate(self, s: impl Into<String>) -> Self {
        self.transport_header("rd", s)
    }
    /// Routing key (`rk`), at most 255 bytes.
    pub fn routing_key(self, k: impl Into<String>) -> Self {
        self.transport_header("rk", k)
    }
    /// The caller name (`cn`); the channel's service name by default. At most 255 bytes,
    /// the channel's name included: a longer one fails each call it is sent with.
    pub fn caller_name(self, cn: impl Into<String>) -> Self {
        self.transport_header("cn", cn)
    }
    /// Any other transport header.
    ///
    /// Limits (the wire's, [`frame`](crate::frame)): keys of 1 to 16 bytes (tchannel-node
    /// accepts at most 15), values of at most 255 bytes, at most 128 headers on a call,
    /// counting `as`, `cn` and `re`. A call that breaks one fails when it is awaited, before
    /// anything is sent, with a bad request ([`Error::is_bad_request`](crate::Error::is_bad_request)) whose message names
    /// the header, its length and the limit:
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let ch = tchannel_runtime::TChannel::new("client");
    /// let e = ch
    ///     .raw("svc", "echo")
    ///     .hostport("127.0.0.1:1")
    ///     .shard_key("k".repeat(300))
    ///     .await
    ///     .unwrap_err();
    /// assert!(e.is_bad_request());
    /// assert_eq!(e.message(), "transport header `sk` value is 300 bytes long, the limit is 255");
    /// # }
    /// ```
    pub fn transport_header(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.transport.insert(key.into(), value.into());
        self
    }
    /// Checksum type for the call.
    pub fn checksum(mut self, c: ChecksumType) -> Self {
        self.checksum = Some(c);
        self
    }
    /// The span to send the call as, exactly (by default a child of the span of the handler
    /// the calling task serves, else a new root).
    pub fn tracing(mut self, t: Tracing) -> Self {
        self.tracing = Some(t);
        self
    }
    /// The span set, if any. In middleware this is always set: the span the call goes as.
    pub fn get_tracing(&self) -> Option<Tracing> {
        self.tracing
    }
    /// The fixed `host:port`, if set.
    pub fn get_hostport(&self) -> Option<&str> {
        self.hostport.as_ref().map(Name::as_str)
    }
    /// The retry flags.
    pub fn get_retry_on(&self) -> RetryOn {
        self.retry_on
    }
    /// The retry limit, if set (else the channel's).
    pub fn get_retry_limit(&self) -> Option<u32> {
        self.retry_limit
    }
    /// The checksum type, if set (else the channel's).
    pub fn get_checksum(&self) -> Option<ChecksumType> {
        self.checksum
    }
    /// The transport headers set on the call (`sk`, `rd`, ...; `as`, `cn` and `re` are
    /// added when it is sent).
    pub fn get_transport_headers(&self) -> &TransportHeaders {
        &self.transport
    }
}

/// What the transport says about a call: tchannel-python's `request.transport`.
#[derive(Debug, Clone)]
pub struct TransportInfo {
    /// The calling service (`cn`).
    pub caller: Name,
    /// The service the call was addressed to.
    pub service: Name,
    /// The arg scheme (`as`).
    pub scheme: Name,
    /// The ttl the caller sent.
    pub ttl: Duration,
    /// When the caller gives up: the frame's arrival plus its ttl.
    pub deadline: Instant,
    /// All transport headers as received.
    pub headers: TransportHeaders,
    /// The tracing field.
    pub tracing: Tracing,
    /// The peer the call came from.
    pub peer: Arc<PeerInfo>,
    /// The checksum type of the request's frames.
    pub checksum: ChecksumType,
}

impl TransportInfo {
    /// The transport of a request as it arrived: caller (`cn`) and scheme (`as`, `raw` when
    /// absent) read from its transport headers. Whole and streamed requests both use it.
    /// The names share the frame's bytes: nothing is copied.
    #[inline(always)]
    pub(crate) fn from_request(
        service: Bytes,
        headers: TransportHeaders,
        ttl: Duration,
        deadline: Instant,
        tracing: Tracing,
        peer: Arc<PeerInfo>,
        checksum: ChecksumType,
    ) -> Self {
        TransportInfo {
            // As `headers.get`: a value that is not UTF-8 counts as absent.
            caller: headers
                .get_shared("cn")
                .and_then(Name::utf8)
                .unwrap_or_default(),
            service: Name::from_wire(service),
            scheme: headers
                .get_shared("as")
                .and_then(Name::utf8)
                .unwrap_or(Name::from_static("raw")),
            ttl,
            deadline,
            headers,
            tracing,
            peer,
            checksum,
        }
    }

    /// The retry flags (`re`), `c` when absent.
    pub fn retry_flags(&self) -> RetryOn {
        self.headers
            .get("re")
            .and_then(RetryOn::from_header)
            .unwrap_or_default()
    }

    /// The shard key (`sk`).
    pub fn shard_key(&self) -> Option<&str> {
        self.headers.get("sk")
    }

    /// The routing delegate (`rd`).
    pub fn routing_delegate(&self) -> Option<&str> {
        self.headers.get("rd")
    }

    /// The routing key (`rk`).
    pub fn routing_key(&self) -> Option<&str> {
        self.headers.get("rk")
    }

    /// Time left before the deadline.
    pub fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }
}

#[cfg(test)]
mod tests {
    use super::Name;
    use bytes::Bytes;

    #[test]
    fn wire_names_share_the_frame_bytes_and_replace_bad_utf8() {
        let frame = Bytes::from_static(b"svc\xffx");
        let good = Name::from_wire(frame.slice(0..3));
        assert_eq!(good, "svc");
        assert_eq!(good.as_bytes().as_ptr(), frame.as_ptr(), "not copied");
        assert_eq!(Name::from_wire(frame.slice(..)), "svc\u{fffd}x");
        assert!(Name::utf8(&frame).is_none());
        assert_eq!(Name::utf8(&frame.slice(0..3)).unwrap(), "svc");
    }

    #[test]
    fn a_name_is_found_by_str_in_maps_and_compares_both_ways() {
        let mut m = std::collections::HashMap::new();
        m.insert(Name::from(String::from("echo")), 1);
        assert_eq!(m.get("echo"), Some(&1));
        let n = Name::from_static("echo");
        let owned = String::from("echo");
        assert_eq!(n, "echo");
        assert_eq!("echo", n);
        assert_eq!(n, owned);
        assert_eq!(owned, n);
        assert_eq!(format!("{n} {n:?}"), "echo \"echo\"");
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"echo\"");
        let s: String = n.into();
        assert_eq!(s, "echo");
    }
}
