//! Arg schemes (`as` transport header): how arg2 (application headers) and arg3 (body) are
//! encoded. [`Raw`] passes bytes through, [`Json`] carries JSON, [`Thrift`] carries the
//! `nh:2` header map and a Thrift binary struct.

use crate::error::{Error, Kind};
use crate::frame::EncodeError;
use bytes::{BufMut, Bytes, BytesMut};
use std::collections::BTreeMap;
use std::fmt::Debug;

/// Application headers as a map of strings (the `json` and `thrift` schemes).
pub type HeaderMap = BTreeMap<String, String>;

/// An arg scheme: the encoding of arg2 and arg3.
pub trait Scheme: Send + Sync + Copy + Default + 'static {
    /// The `as` header value.
    const NAME: &'static str;
    /// Decoded arg2.
    type Headers: Default + Clone + Debug + Send + Sync + 'static;
    /// Decoded arg3.
    type Body: Default + Clone + Debug + Send + Sync + 'static;
    /// Encodes arg2.
    fn encode_headers(headers: &Self::Headers) -> Result<Bytes, Error>;
    /// Decodes arg2.
    fn decode_headers(arg2: Bytes) -> Result<Self::Headers, Error>;
    /// Encodes arg3.
    fn encode_body(body: &Self::Body) -> Result<Bytes, Error>;
    /// Encodes arg3, taking the body (what the channel calls when it sends one). A scheme
    /// whose body is already bytes hands them over: cloning bytes built from a `Vec` (an
    /// encoded thrift struct) costs an allocation. By default [`encode_body`](Self::encode_body).
    ///
    /// ```
    /// use tchannel_runtime::scheme::{Raw, Scheme};
    /// let body = bytes::Bytes::from(vec![1, 2, 3]);
    /// assert_eq!(&Raw::into_body(body).unwrap()[..], [1, 2, 3]);
    /// ```
    fn into_body(body: Self::Body) -> Result<Bytes, Error> {
        Self::encode_body(&body)
    }
    /// Decodes arg3.
    fn decode_body(arg3: Bytes) -> Result<Self::Body, Error>;
    /// Encodes arg2 from headers that are not used after (a handler's response): by default
    /// [`encode_headers`](Self::encode_headers); [`Raw`] hands its bytes on as they are.
    ///
    /// ```
    /// use tchannel_runtime::scheme::{Raw, Scheme};
    /// let h = bytes::Bytes::from_static(b"h");
    /// assert_eq!(Raw::into_headers(h.clone()).unwrap(), Raw::encode_headers(&h).unwrap());
    /// ```
    fn into_headers(headers: Self::Headers) -> Result<Bytes, Error> {
        Self::encode_headers(&headers)
    }
}

fn scheme_error(msg: String) -> Error {
    Error::new(Kind::Scheme, msg)
}

/// `as=raw`: arg2 and arg3 are opaque bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Raw;

impl Scheme for Raw {
    const NAME: &'static str = "raw";
    type Headers = Bytes;
    type Body = Bytes;
    fn encode_headers(h: &Bytes) -> Result<Bytes, Error> {
        Ok(h.clone())
    }
    fn decode_headers(arg2: Bytes) -> Result<Bytes, Error> {
        Ok(arg2)
    }
    fn encode_body(b: &Bytes) -> Result<Bytes, Error> {
        Ok(b.clone())
    }
    fn decode_body(arg3: Bytes) -> Result<Bytes, Error> {
        Ok(arg3)
    }
    // Moved, not cloned: no count of references taken and dropped per call.
    fn into_headers(h: Bytes) -> Result<Bytes, Error> {
        Ok(h)
    }
    fn into_body(b: Bytes) -> Result<Bytes, Error> {
        Ok(b)
    }
}

/// `as=json`: arg2 is a JSON object of strings, arg3 any JSON value.
///
/// On receipt, arg2 may be empty, `null` or `{}` (all three appear on the wire), and both
/// args may end in whitespace (Go appends `\n`). An empty arg3 reads as `null`.
///
/// ```
/// use tchannel_runtime::scheme::{Json, Scheme};
/// let h = Json::decode_headers("null\n".into()).unwrap();
/// assert!(h.is_empty());
/// let v = Json::decode_body(r#"{"a":1}"#.into()).unwrap();
/// assert_eq!(v["a"], 1);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Json;

impl Scheme for Json {
    const NAME: &'static str = "json";
    type Headers = HeaderMap;
    type Body = serde_json::Value;
    fn encode_headers(h: &HeaderMap) -> Result<Bytes, Error> {
        Ok(serde_json::to_vec(h)
            .expect("a string map always encodes")
            .into())
    }
    fn decode_headers(arg2: Bytes) -> Result<HeaderMap, Error> {
        let text = trim(&arg2);
        if text.is_empty() || text == b"null" {
            return Ok(HeaderMap::new());
        }
        serde_json::from_slice(text)
            .map_err(|e| scheme_error(format!("json arg2 is not an object of strings: {e}")))
    }
    fn encode_body(b: &serde_json::Value) -> Result<Bytes, Error> {
        serde_json::to_vec(b)
            .map(Bytes::from)
            .map_err(|e| scheme_error(format!("cannot encode json body: {e}")))
    }
    fn decode_body(arg3: Bytes) -> Result<serde_json::Value, Error> {
        let text = trim(&arg3);
        if text.is_empty() {
            return Ok(serde_json::Value::Null);
        }
        serde_json::from_slice(text)
            .map_err(|e| scheme_error(format!("json arg3 does not parse: {e}")))
    }
}

fn trim(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &b[start..end]
}

/// `as=thrift`: arg2 is `nh:2 (k~2 v~2){nh}`, arg3 a Thrift struct in the binary protocol
/// (encoded and decoded by generated code, so the body here is bytes).
///
/// ```
/// use tchannel_runtime::scheme::{Scheme, Thrift, HeaderMap};
/// let mut h = HeaderMap::new();
/// h.insert("k".into(), "v".into());
/// assert_eq!(&Thrift::encode_headers(&h).unwrap()[..], b"\x00\x01\x00\x01k\x00\x01v");
/// assert_eq!(&Thrift::encode_headers(&HeaderMap::new()).unwrap()[..], b"\x00\x00");
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Thrift;

/// The most application headers a `thrift` call carries, and the longest key or value:
/// 65,535 (their counts and lengths are 2-byte fields in arg2). Past it, encoding the
/// headers fails with a bad request ([`Error::is_bad_request`]) naming the header, its
/// length and the limit; nothing is sent.
pub const MAX_THRIFT_HEADER_LEN: usize = u16::MAX as usize;

/// A header key for an error message: the first 32 characters of it.
fn short(k: &str) -> String {
    match k.char_indices().nth(32) {
        Some((i, _)) => format!("`{}...`", &k[..i]),
        None => format!("`{k}`"),
    }
}

impl Scheme for Thrift {
    const NAME: &'static str = "thrift";
    type Headers = HeaderMap;
    type Body = Bytes;
    fn encode_headers(h: &HeaderMap) -> Result<Bytes, Error> {
        if h.is_empty() {
            // Most calls and responses carry no application headers: no allocation for them.
            return Ok(Bytes::from_static(b"\0\0"));
        }
        let mut b = BytesMut::with_capacity(
            2 + h.iter().map(|(k, v)| 4 + k.len() + v.len()).sum::<usize>(),
        );
        let n = u16::try_from(h.len()).map_err(|_| EncodeError::TooLong {
            field: "thrift application headers".into(),
            len: h.len() as u64,
            limit: MAX_THRIFT_HEADER_LEN as u64,
            unit: "headers",
        })?;
        b.put_u16(n);
        for (k, v) in h {
            for (s, what) in [(k, "key"), (v, "value")] {
                let n = u16::try_from(s.len()).map_err(|_| EncodeError::TooLong {
                    field: format!("thrift application header {what} ({})", short(k)),
                    len: s.len() as u64,
                    limit: MAX_THRIFT_HEADER_LEN as u64,
                    unit: "bytes",
                })?;
                b.put_u16(n);
                b.put_slice(s.as_bytes());
            }
        }
        Ok(b.freeze())
    }
    fn decode_headers(arg2: Bytes) -> Result<HeaderMap, Error> {
        let mut h = HeaderMap::new();
        if arg2.is_empty() {
            return Ok(h); // Node and Python accept an empty arg2 as no headers
        }
        let mut r = crate::frame::Reader::new(arg2);
        let err = |e: crate::frame::DecodeError| scheme_error(format!("thrift arg2: {e}"));
        let n = r.u16("header count").map_err(err)?;
        for _ in 0..n {
            let k = r.string2("header key").map_err(err)?;
            let v = r.string2("header value").map_err(err)?;
            h.insert(k, v);
        }
        r.finish("thrift arg2").map_err(err)?;
        Ok(h)
    }
    fn encode_body(b: &Bytes) -> Result<Bytes, Error> {
        Ok(b.clone())
    }
    fn into_body(b: Bytes) -> Result<Bytes, Error> {
        Ok(b)
    }
    fn decode_body(arg3: Bytes) -> Result<Bytes, Error> {
        Ok(arg3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thrift_headers_over_two_byte_lengths_are_bad_requests() {
        let mut h = HeaderMap::new();
        h.insert("k".into(), "v".repeat(MAX_THRIFT_HEADER_LEN + 1));
        let e = Thrift::encode_headers(&h).unwrap_err();
        assert!(e.is_bad_request(), "{e}");
        assert_eq!(
            e.message(),
            "thrift application header value (`k`) is 65536 bytes long, the limit is 65535"
        );
        let mut h = HeaderMap::new();
        h.insert("k".repeat(70_000), String::new());
        let e = Thrift::encode_headers(&h).unwrap_err();
        assert!(e.is_bad_request(), "{e}");
        assert!(e.message().contains("header key (`kkkk"), "{}", e.message());
        assert!(e.message().contains("70000 bytes long, the limit is 65535"));
        let h: HeaderMap = (0..=MAX_THRIFT_HEADER_LEN)
            .map(|i| (i.to_string(), String::new()))
            .collect();
        let e = Thrift::encode_headers(&h).unwrap_err();
        assert!(e.is_bad_request(), "{e}");
        assert_eq!(
            e.message(),
            "thrift application headers: 65536 headers, the limit is 65535"
        );
        // At the limit, the headers encode and decode back.
        let mut h = HeaderMap::new();
        h.insert("k".into(), "v".repeat(MAX_THRIFT_HEADER_LEN));
        let b = Thrift::encode_headers(&h).unwrap();
        assert_eq!(Thrift::decode_headers(b).unwrap(), h);
    }

    #[test]
    fn json_headers_accept_all_empty_forms() {
        for s in ["", "null", "null\n", "{}", " {} \n"] {
            assert!(
                Json::decode_headers(Bytes::from(s)).unwrap().is_empty(),
                "{s:?}"
            );
        }
        assert!(Json::decode_headers(Bytes::from("[1]"))
            .unwrap_err()
            .is_scheme());
        assert_eq!(
            Json::decode_body(Bytes::new()).unwrap(),
            serde_json::Value::Null
        );
        assert_eq!(
            Json::decode_body(Bytes::from("{\"sum\":3}\n")).unwrap()["sum"],
            3
        );
    }

    #[test]
    fn thrift_headers_round_trip() {
        let mut h = HeaderMap::new();
        h.insert("a".into(), "1".into());
        h.insert("$tracing$x".into(), String::new());
        let b = Thrift::encode_headers(&h).unwrap();
        assert_eq!(Thrift::decode_headers(b).unwrap(), h);
        assert!(Thrift::decode_headers(Bytes::new()).unwrap().is_empty());
        assert!(Thrift::decode_headers(Bytes::from_static(b"\x00\x01\x00")).is_err());
        assert!(Thrift::decode_headers(Bytes::from_static(b"\x00\x00\x01")).is_err());
    }
}
