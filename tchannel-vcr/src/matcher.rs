//! Request matchers and record modes, as tchannel-python's `cassette.py` and
//! `record_modes.py` define them.

use crate::model::{show_bytes, ArgScheme, RecordedRequest};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// A request attribute that must be equal for a recorded response to be replayed.
///
/// The names ([`Matcher::name`]) are tchannel-python's. [`Matcher::DEFAULT`] is its
/// `DEFAULT_MATCHERS`: everything but `hostPort` and `transportHeaders`.
///
/// ```
/// use tchannel_vcr::Matcher;
/// assert_eq!("serviceName".parse::<Matcher>(), Ok(Matcher::ServiceName));
/// assert!(!Matcher::DEFAULT.contains(&Matcher::HostPort));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Matcher {
    /// `serviceName`.
    ServiceName,
    /// `hostPort`: the hostport the call was pinned to.
    HostPort,
    /// `endpoint`.
    Endpoint,
    /// `headers`: the application headers. For json and thrift they are compared decoded,
    /// leaving out tracing keys (`$tracing$...`); if either does not decode, as bytes. A
    /// different arg scheme never matches.
    Headers,
    /// `body`: arg3 byte for byte; for json, also equal when both parse to the same JSON
    /// value (tchannel-python's `json.dumps` writes `{"a": 1}` where Rust writes `{"a":1}`).
    Body,
    /// `argScheme`.
    ArgScheme,
    /// `transportHeaders`, in order.
    TransportHeaders,
}

impl Matcher {
    /// tchannel-python's `DEFAULT_MATCHERS`.
    ///
    /// ```
    /// assert_eq!(tchannel_vcr::Matcher::DEFAULT.len(), 5);
    /// ```
    pub const DEFAULT: [Matcher; 5] = [
        Matcher::ServiceName,
        Matcher::Endpoint,
        Matcher::Headers,
        Matcher::Body,
        Matcher::ArgScheme,
    ];

    /// Every matcher.
    ///
    /// ```
    /// assert!(tchannel_vcr::Matcher::ALL.contains(&tchannel_vcr::Matcher::TransportHeaders));
    /// ```
    pub const ALL: [Matcher; 7] = [
        Matcher::ServiceName,
        Matcher::HostPort,
        Matcher::Endpoint,
        Matcher::Headers,
        Matcher::Body,
        Matcher::ArgScheme,
        Matcher::TransportHeaders,
    ];

    /// The name tchannel-python gives it.
    ///
    /// ```
    /// assert_eq!(tchannel_vcr::Matcher::HostPort.name(), "hostPort");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Matcher::ServiceName => "serviceName",
            Matcher::HostPort => "hostPort",
            Matcher::Endpoint => "endpoint",
            Matcher::Headers => "headers",
            Matcher::Body => "body",
            Matcher::ArgScheme => "argScheme",
            Matcher::TransportHeaders => "transportHeaders",
        }
    }

    /// Whether `a` and `b` are equal in this attribute.
    ///
    /// ```
    /// use tchannel_vcr::{ArgScheme, Matcher, RecordedRequest};
    /// let a = RecordedRequest::new("svc", "a", ArgScheme::Raw);
    /// let b = RecordedRequest::new("svc", "b", ArgScheme::Raw);
    /// assert!(Matcher::ServiceName.matches(&a, &b));
    /// assert!(!Matcher::Endpoint.matches(&a, &b));
    /// ```
    pub fn matches(self, a: &RecordedRequest, b: &RecordedRequest) -> bool {
        match self {
            Matcher::ServiceName => a.service_name == b.service_name,
            Matcher::HostPort => a.host_port == b.host_port,
            Matcher::Endpoint => a.endpoint == b.endpoint,
            Matcher::Headers => headers_match(a, b),
            Matcher::Body => {
                a.body == b.body
                    || (a.arg_scheme == ArgScheme::Json
                        && b.arg_scheme == ArgScheme::Json
                        && json_equal(&a.body, &b.body))
            }
            Matcher::ArgScheme => a.arg_scheme == b.arg_scheme,
            Matcher::TransportHeaders => a.transport_headers == b.transport_headers,
        }
    }

    /// This attribute of `r`, for messages.
    pub(crate) fn show(self, r: &RecordedRequest) -> String {
        match self {
            Matcher::ServiceName => format!("{:?}", r.service_name),
            Matcher::HostPort => format!("{:?}", r.host_port),
            Matcher::Endpoint => format!("{:?}", r.endpoint),
            Matcher::Headers => match decode_headers(r.arg_scheme, &r.headers) {
                Some(map) => format!("{map:?}"),
                None => show_bytes(&r.headers),
            },
            Matcher::Body => show_bytes(&r.body),
            Matcher::ArgScheme => r.arg_scheme.as_str().to_string(),
            Matcher::TransportHeaders => {
                let hs: Vec<String> = r
                    .transport_headers
                    .iter()
                    .map(|(k, v)| {
                        format!(
                            "{}={}",
                            String::from_utf8_lossy(k),
                            String::from_utf8_lossy(v)
                        )
                    })
                    .collect();
                format!("[{}]", hs.join(", "))
            }
        }
    }
}

impl fmt::Display for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The name is not one of tchannel-python's matchers.
///
/// ```
/// assert!("method".parse::<tchannel_vcr::Matcher>().unwrap_err().to_string().contains("method"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName(pub String);

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a known matcher or record mode", self.0)
    }
}

impl std::error::Error for UnknownName {}

impl FromStr for Matcher {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        Matcher::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| UnknownName(s.to_string()))
    }
}

const TRACING_PREFIX: &str = "$tracing$";

fn json_equal(a: &[u8], b: &[u8]) -> bool {
    match (
        serde_json::from_slice::<serde_json::Value>(a),
        serde_json::from_slice::<serde_json::Value>(b),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Application headers decoded by their scheme, tracing keys left out; `None` when they do
/// not decode as a map (json) or are raw.
fn decode_headers(scheme: ArgScheme, bytes: &[u8]) -> Option<BTreeMap<String, String>> {
    let map: BTreeMap<String, String> = match scheme {
        ArgScheme::Raw => return None,
        ArgScheme::Json => {
            let v: serde_json::Value = serde_json::from_slice(bytes).ok()?;
            let obj = v.as_object()?;
            obj.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str().map_or_else(|| v.to_string(), str::to_string),
                    )
                })
                .collect()
        }
        ArgScheme::Thrift => thrift_headers(bytes)?,
    };
    Some(
        map.into_iter()
            .filter(|(k, _)| !k.starts_with(TRACING_PREFIX))
            .collect(),
    )
}

/// `nh:2 (k~2 v~2){nh}`; `None` if malformed (then headers compare as bytes, as in python).
fn thrift_headers(b: &[u8]) -> Option<BTreeMap<String, String>> {
    if b.is_empty() {
        return Some(BTreeMap::new());
    }
    fn take<'a>(b: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        if b.len() < n {
            return None;
        }
        let (h, t) = b.split_at(n);
        *b = t;
        Some(h)
    }
    fn u16_at(b: &mut &[u8]) -> Option<usize> {
        let h = take(b, 2)?;
        Some(u16::from_be_bytes([h[0], h[1]]) as usize)
    }
    let mut rest = b;
    let n = u16_at(&mut rest)?;
    let mut map = BTreeMap::new();
    for _ in 0..n {
        let kl = u16_at(&mut rest)?;
        let k = String::from_utf8(take(&mut rest, kl)?.to_vec()).ok()?;
        let vl = u16_at(&mut rest)?;
        let v = String::from_utf8(take(&mut rest, vl)?.to_vec()).ok()?;
        map.insert(k, v);
    }
    rest.is_empty().then_some(map)
}

fn headers_match(a: &RecordedRequest, b: &RecordedRequest) -> bool {
    if a.arg_scheme != b.arg_scheme {
        return false;
    }
    if a.arg_scheme == ArgScheme::Json {
        // python: both parse as JSON -> compare (dicts without tracing keys); else bytes.
        let (x, y) = match (
            serde_json::from_slice::<serde_json::Value>(&a.headers),
            serde_json::from_slice::<serde_json::Value>(&b.headers),
        ) {
            (Ok(x), Ok(y)) => (x, y),
            _ => return a.headers == b.headers,
        };
        return match (x.as_object(), y.as_object()) {
            (Some(_), Some(_)) => {
                decode_headers(ArgScheme::Json, &a.headers)
                    == decode_headers(ArgScheme::Json, &b.headers)
            }
            _ => x == y,
        };
    }
    match (
        decode_headers(a.arg_scheme, &a.headers),
        decode_headers(b.arg_scheme, &b.headers),
    ) {
        (Some(x), Some(y)) => x == y,
        _ => a.headers == b.headers,
    }
}

/// Whether a cassette replays recorded interactions, records new ones, and what it keeps.
/// These are tchannel-python's record modes, with its names.
///
/// ```
/// use tchannel_vcr::RecordMode;
/// assert_eq!(RecordMode::default(), RecordMode::Once);
/// assert_eq!("new_episodes".parse::<RecordMode>(), Ok(RecordMode::NewEpisodes));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum RecordMode {
    /// If the file did not exist, record new interactions and save them. If it existed,
    /// replay its interactions and refuse any new one. The default, and usually what you
    /// want.
    #[default]
    Once,
    /// Replay recorded interactions and record new ones.
    NewEpisodes,
    /// Replay recorded interactions and refuse any new one.
    None,
    /// Replay nothing and record everything anew; the interactions the file had are
    /// forgotten when it is saved.
    All,
}

impl RecordMode {
    /// tchannel-python's name: `once`, `new_episodes`, `none`, `all`.
    ///
    /// ```
    /// use tchannel_vcr::RecordMode;
    /// assert_eq!(RecordMode::NewEpisodes.name(), "new_episodes");
    /// assert!(RecordMode::Once.can_record(false) && !RecordMode::Once.can_record(true));
    /// assert!(!RecordMode::All.replays() && !RecordMode::All.saves_unplayed());
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            RecordMode::Once => "once",
            RecordMode::NewEpisodes => "new_episodes",
            RecordMode::None => "none",
            RecordMode::All => "all",
        }
    }

    /// Whether recorded interactions are replayed.
    ///
    /// ```
    /// use tchannel_vcr::RecordMode;
    /// assert_eq!(RecordMode::NewEpisodes.name(), "new_episodes");
    /// assert!(RecordMode::Once.can_record(false) && !RecordMode::Once.can_record(true));
    /// assert!(!RecordMode::All.replays() && !RecordMode::All.saves_unplayed());
    /// ```
    pub fn replays(self) -> bool {
        !matches!(self, RecordMode::All)
    }

    /// Whether new interactions may be recorded, given whether the file existed.
    ///
    /// ```
    /// use tchannel_vcr::RecordMode;
    /// assert_eq!(RecordMode::NewEpisodes.name(), "new_episodes");
    /// assert!(RecordMode::Once.can_record(false) && !RecordMode::Once.can_record(true));
    /// assert!(!RecordMode::All.replays() && !RecordMode::All.saves_unplayed());
    /// ```
    pub fn can_record(self, existed: bool) -> bool {
        match self {
            RecordMode::Once => !existed,
            RecordMode::NewEpisodes | RecordMode::All => true,
            RecordMode::None => false,
        }
    }

    /// Whether interactions loaded but not played are kept when the cassette is saved.
    ///
    /// ```
    /// use tchannel_vcr::RecordMode;
    /// assert_eq!(RecordMode::NewEpisodes.name(), "new_episodes");
    /// assert!(RecordMode::Once.can_record(false) && !RecordMode::Once.can_record(true));
    /// assert!(!RecordMode::All.replays() && !RecordMode::All.saves_unplayed());
    /// ```
    pub fn saves_unplayed(self) -> bool {
        !matches!(self, RecordMode::All)
    }
}

impl fmt::Display for RecordMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for RecordMode {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        match s.to_ascii_lowercase().as_str() {
            "once" => Ok(RecordMode::Once),
            "new_episodes" => Ok(RecordMode::NewEpisodes),
            "none" => Ok(RecordMode::None),
            "all" => Ok(RecordMode::All),
            _ => Err(UnknownName(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn req(scheme: ArgScheme, headers: &'static [u8], body: &'static [u8]) -> RecordedRequest {
        RecordedRequest {
            headers: Bytes::from_static(headers),
            body: Bytes::from_static(body),
            ..RecordedRequest::new("svc", "ep", scheme)
        }
    }

    #[test]
    fn json_headers_ignore_tracing_keys_and_spacing() {
        let a = req(
            ArgScheme::Json,
            br#"{"a": "1", "$tracing$uber-trace-id": "x"}"#,
            b"{}",
        );
        let b = req(ArgScheme::Json, br#"{"a":"1"}"#, b"{}");
        assert!(Matcher::Headers.matches(&a, &b));
        let c = req(ArgScheme::Json, br#"{"a":"2"}"#, b"{}");
        assert!(!Matcher::Headers.matches(&a, &c));
        // Not JSON: bytes.
        assert!(!Matcher::Headers.matches(
            &req(ArgScheme::Json, b"x", b""),
            &req(ArgScheme::Json, b"y", b"")
        ));
        assert!(Matcher::Headers.matches(
            &req(ArgScheme::Json, b"x", b""),
            &req(ArgScheme::Json, b"x", b"")
        ));
    }

    #[test]
    fn thrift_headers_decode_nh2_and_ignore_tracing() {
        // {"h": "1"} and {"h": "1", "$tracing$x": "y"}
        let a = req(ArgScheme::Thrift, b"\x00\x01\x00\x01h\x00\x011", b"");
        let b = req(
            ArgScheme::Thrift,
            b"\x00\x02\x00\x0a$tracing$x\x00\x01y\x00\x01h\x00\x011",
            b"",
        );
        assert!(Matcher::Headers.matches(&a, &b));
        assert!(Matcher::Headers.matches(
            &req(ArgScheme::Thrift, b"\x00\x00", b""),
            &req(ArgScheme::Thrift, b"", b"")
        ));
        assert!(!Matcher::Headers.matches(&a, &req(ArgScheme::Thrift, b"\x00\x00", b"")));
        // Same headers, other scheme: no match.
        assert!(!Matcher::Headers.matches(
            &req(ArgScheme::Raw, b"", b""),
            &req(ArgScheme::Json, b"", b"")
        ));
    }

    #[test]
    fn json_bodies_match_by_value_raw_by_bytes() {
        let a = req(ArgScheme::Json, b"{}", br#"{"a": 1, "b": [1, 2]}"#);
        let b = req(ArgScheme::Json, b"{}", br#"{"b":[1,2],"a":1}"#);
        assert!(Matcher::Body.matches(&a, &b));
        let r1 = req(ArgScheme::Raw, b"", br#"{"a": 1}"#);
        let r2 = req(ArgScheme::Raw, b"", br#"{"a":1}"#);
        assert!(!Matcher::Body.matches(&r1, &r2));
    }

    #[test]
    fn names_round_trip() {
        for m in Matcher::ALL {
            assert_eq!(m.name().parse::<Matcher>(), Ok(m));
        }
        for m in [
            RecordMode::Once,
            RecordMode::NewEpisodes,
            RecordMode::None,
            RecordMode::All,
        ] {
            assert_eq!(m.name().parse::<RecordMode>(), Ok(m));
        }
        assert!("sometimes".parse::<RecordMode>().is_err());
    }
}
