//! What a cassette holds: interactions of a recorded request and its response, with the
//! field names and encodings of tchannel-python's `proxy.thrift` (`Request`, `Response`).

use crate::error::VcrError;
use crate::yaml::{Node, Out, Value};
use base64::Engine;
use bytes::Bytes;
use std::fmt;
use std::path::Path;
use tchannel_runtime::ErrorCode;

/// The cassette format version tchannel-python writes and reads.
///
/// ```
/// assert!(tchannel_vcr::cassette_yaml(&[]).ends_with("version: 1\n"));
/// assert_eq!(tchannel_vcr::FORMAT_VERSION, 1);
/// ```
pub const FORMAT_VERSION: i64 = 1;

/// The arg scheme of a recorded call (`argScheme`: 0 raw, 1 json, 2 thrift).
///
/// ```
/// use tchannel_vcr::ArgScheme;
/// assert_eq!(ArgScheme::from_name("thrift"), Some(ArgScheme::Thrift));
/// assert_eq!(ArgScheme::Json.as_str(), "json");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ArgScheme {
    /// `raw` (0), tchannel-python's default.
    #[default]
    Raw,
    /// `json` (1).
    Json,
    /// `thrift` (2).
    Thrift,
}

impl ArgScheme {
    /// The scheme named by an `as` header value.
    ///
    /// ```
    /// use tchannel_vcr::ArgScheme;
    /// assert_eq!(ArgScheme::from_name("json").map(ArgScheme::as_str), Some("json"));
    /// ```
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "raw" => Some(ArgScheme::Raw),
            "json" => Some(ArgScheme::Json),
            "thrift" => Some(ArgScheme::Thrift),
            _ => None,
        }
    }

    /// The `as` header value.
    ///
    /// ```
    /// use tchannel_vcr::ArgScheme;
    /// assert_eq!(ArgScheme::from_name("json").map(ArgScheme::as_str), Some("json"));
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ArgScheme::Raw => "raw",
            ArgScheme::Json => "json",
            ArgScheme::Thrift => "thrift",
        }
    }

    fn number(self) -> i64 {
        match self {
            ArgScheme::Raw => 0,
            ArgScheme::Json => 1,
            ArgScheme::Thrift => 2,
        }
    }
}

/// A recorded request: what the call sent.
///
/// ```
/// use tchannel_vcr::{ArgScheme, RecordedRequest};
/// let req = RecordedRequest::new("kv", "KeyValue::getValue", ArgScheme::Thrift);
/// assert!(req.known_peers.is_empty() && req.host_port.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecordedRequest {
    /// `serviceName`.
    pub service_name: String,
    /// `endpoint` (arg1).
    pub endpoint: String,
    /// `headers`: arg2 as sent (json text; thrift `nh:2` bytes).
    pub headers: Bytes,
    /// `body`: arg3 as sent.
    pub body: Bytes,
    /// `hostPort`: the `host:port` the call was pinned to, empty if none.
    pub host_port: String,
    /// `argScheme`.
    pub arg_scheme: ArgScheme,
    /// `transportHeaders`, in order.
    pub transport_headers: Vec<(Bytes, Bytes)>,
    /// `knownPeers`: the channel's known peers when the call was made.
    pub known_peers: Vec<String>,
}

impl RecordedRequest {
    /// A request with empty headers, body and routing.
    ///
    /// ```
    /// let r = tchannel_vcr::RecordedRequest::new("svc", "ep", tchannel_vcr::ArgScheme::Json);
    /// assert!(r.body.is_empty() && r.transport_headers.is_empty());
    /// ```
    pub fn new(service: impl Into<String>, endpoint: impl Into<String>, scheme: ArgScheme) -> Self {
        RecordedRequest {
            service_name: service.into(),
            endpoint: endpoint.into(),
            arg_scheme: scheme,
            ..Default::default()
        }
    }
}

impl fmt::Display for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}::{} headers={} body={}",
            self.arg_scheme.as_str(),
            self.service_name,
            self.endpoint,
            show_bytes(&self.headers),
            show_bytes(&self.body)
        )?;
        if !self.host_port.is_empty() {
            write!(f, " hostPort={}", self.host_port)?;
        }
        Ok(())
    }
}

/// Bytes for a message: text when they are printable UTF-8, else hex; cut at 200 bytes.
pub(crate) fn show_bytes(b: &[u8]) -> String {
    const MAX: usize = 200;
    let cut = &b[..b.len().min(MAX)];
    let more = if b.len() > MAX {
        format!("... ({} bytes)", b.len())
    } else {
        String::new()
    };
    match std::str::from_utf8(cut) {
        Ok(s) if s.chars().all(|c| !c.is_control()) => format!("{s:?}{more}"),
        _ => {
            let hex: String = cut.iter().map(|x| format!("{x:02x}")).collect();
            format!("0x{hex}{more}")
        }
    }
}

/// An error frame the call got instead of a response.
///
/// tchannel-python 2.1.0 records no interaction for an error frame. tchannel-vcr records it
/// as a response with `code: 1`, the message as its body, and an extra `error` mapping
/// (`{code, message}`) that tchannel-python ignores when it loads the cassette (so there it
/// replays as an application error whose body is the message).
///
/// ```
/// use tchannel_runtime::ErrorCode;
/// use tchannel_vcr::RecordedError;
/// let e = RecordedError { code: ErrorCode::Busy, message: "busy".into() };
/// assert!(e.to_error().is_busy());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedError {
    /// The error frame's code.
    pub code: ErrorCode,
    /// The error frame's message.
    pub message: String,
}

impl RecordedError {
    /// The error a replayed call fails with.
    ///
    /// ```
    /// use tchannel_runtime::ErrorCode;
    /// let e = tchannel_vcr::RecordedResponse::error(ErrorCode::Declined, "no").error.unwrap();
    /// assert_eq!(e.to_error().message(), "no");
    /// ```
    pub fn to_error(&self) -> tchannel_runtime::Error {
        tchannel_runtime::Error::from_code(self.code, self.message.clone())
    }
}

/// A recorded response: what came back.
///
/// ```
/// use tchannel_vcr::RecordedResponse;
/// let res = RecordedResponse::ok("", "pong");
/// assert_eq!(res.code, 0);
/// assert!(res.error.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecordedResponse {
    /// `code`: 0 success, 1 application error.
    pub code: u8,
    /// `headers`: arg2 as received.
    pub headers: Bytes,
    /// `body`: arg3 as received.
    pub body: Bytes,
    /// An error frame instead of a call res (a tchannel-vcr extension, see [`RecordedError`]).
    pub error: Option<RecordedError>,
}

impl RecordedResponse {
    /// A successful response.
    ///
    /// ```
    /// assert_eq!(tchannel_vcr::RecordedResponse::ok("h", "b").headers, "h");
    /// ```
    pub fn ok(headers: impl Into<Bytes>, body: impl Into<Bytes>) -> Self {
        RecordedResponse {
            code: 0,
            headers: headers.into(),
            body: body.into(),
            error: None,
        }
    }

    /// The record of an error frame.
    ///
    /// ```
    /// use tchannel_runtime::ErrorCode;
    /// let r = tchannel_vcr::RecordedResponse::error(ErrorCode::Busy, "busy");
    /// assert_eq!((r.code, r.body.as_ref()), (1, &b"busy"[..]));
    /// ```
    pub fn error(code: ErrorCode, message: impl Into<String>) -> Self {
        let message = message.into();
        RecordedResponse {
            code: 1,
            headers: Bytes::new(),
            body: Bytes::from(message.clone()),
            error: Some(RecordedError { code, message }),
        }
    }
}

/// A request and its response.
///
/// ```
/// use tchannel_vcr::{ArgScheme, Interaction, RecordedRequest, RecordedResponse};
/// let i = Interaction {
///     request: RecordedRequest::new("echo", "echo", ArgScheme::Raw),
///     response: RecordedResponse::ok("", "hi"),
/// };
/// assert_eq!(i.response.body, "hi");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interaction {
    /// What was sent.
    pub request: RecordedRequest,
    /// What came back.
    pub response: RecordedResponse,
}

// ------------------------------------------------------------------ YAML <-> model

/// Where a field is, for errors: `interactions[2].request.body`.
struct At<'a> {
    path: &'a Path,
}

impl At<'_> {
    fn err(&self, node: &Node, field: &str, what: impl fmt::Display) -> VcrError {
        VcrError::foreign(self.path, format!("{field} (line {}): {what}", node.line))
    }
}

fn field<'n>(at: &At, node: &'n Node, name: &str, ctx: &str) -> Result<Option<&'n Node>, VcrError> {
    match &node.value {
        Value::Map(_) => Ok(node.get(name).filter(|n| !n.is_null())),
        _ => Err(at.err(
            node,
            ctx,
            format!("expected a mapping, found a {}", node.kind()),
        )),
    }
}

fn required<'n>(at: &At, node: &'n Node, name: &str, ctx: &str) -> Result<&'n Node, VcrError> {
    field(at, node, name, ctx)?
        .ok_or_else(|| at.err(node, ctx, format!("missing required field `{name}`")))
}

fn binary(at: &At, node: &Node, ctx: &str) -> Result<Bytes, VcrError> {
    match &node.value {
        Value::Scalar { text, tag, .. } => match tag.as_deref() {
            Some("binary") => {
                let clean: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
                base64::engine::general_purpose::STANDARD
                    .decode(clean.as_bytes())
                    .map(Bytes::from)
                    .map_err(|e| at.err(node, ctx, format!("bad base64 in !!binary: {e}")))
            }
            // A plain or quoted string (python 2 wrote bytes as str): its UTF-8.
            None | Some("str") => Ok(Bytes::from(text.clone())),
            Some(t) => Err(at.err(node, ctx, format!("expected !!binary, found tag !!{t}"))),
        },
        _ => Err(at.err(
            node,
            ctx,
            format!("expected !!binary, found a {}", node.kind()),
        )),
    }
}

fn string(at: &At, node: &Node, ctx: &str) -> Result<String, VcrError> {
    match &node.value {
        Value::Scalar { tag: Some(t), .. } if t == "binary" => {
            let b = binary(at, node, ctx)?;
            String::from_utf8(b.to_vec()).map_err(|_| at.err(node, ctx, "not UTF-8"))
        }
        Value::Scalar { text, .. } => Ok(text.clone()),
        _ => Err(at.err(
            node,
            ctx,
            format!("expected a string, found a {}", node.kind()),
        )),
    }
}

fn int(at: &At, node: &Node, ctx: &str) -> Result<i64, VcrError> {
    match &node.value {
        Value::Scalar { text, tag, plain } if *plain || tag.as_deref() == Some("int") => text
            .trim()
            .parse::<i64>()
            .map_err(|_| at.err(node, ctx, format!("expected an integer, found {text:?}"))),
        _ => Err(at.err(
            node,
            ctx,
            format!("expected an integer, found a {}", node.kind()),
        )),
    }
}

fn list<'n>(at: &At, node: &'n Node, ctx: &str) -> Result<&'n [Node], VcrError> {
    match &node.value {
        Value::Seq(items) => Ok(items),
        _ => Err(at.err(
            node,
            ctx,
            format!("expected a list, found a {}", node.kind()),
        )),
    }
}

fn request_from(at: &At, node: &Node, ctx: &str) -> Result<RecordedRequest, VcrError> {
    let f = |name: &str| format!("{ctx}.{name}");
    let scheme = match field(at, node, "argScheme", ctx)? {
        None => ArgScheme::Raw,
        Some(n) => match int(at, n, &f("argScheme"))? {
            0 => ArgScheme::Raw,
            1 => ArgScheme::Json,
            2 => ArgScheme::Thrift,
            other => {
                return Err(at.err(
                    n,
                    &f("argScheme"),
                    format!("{other} is not 0 (raw), 1 (json) or 2 (thrift)"),
                ))
            }
        },
    };
    let mut transport_headers = Vec::new();
    if let Some(n) = field(at, node, "transportHeaders", ctx)? {
        for (i, h) in list(at, n, &f("transportHeaders"))?.iter().enumerate() {
            let hc = format!("{ctx}.transportHeaders[{i}]");
            let k = binary(at, required(at, h, "key", &hc)?, &format!("{hc}.key"))?;
            let v = binary(at, required(at, h, "value", &hc)?, &format!("{hc}.value"))?;
            transport_headers.push((k, v));
        }
    }
    let mut known_peers = Vec::new();
    if let Some(n) = field(at, node, "knownPeers", ctx)? {
        for (i, p) in list(at, n, &f("knownPeers"))?.iter().enumerate() {
            known_peers.push(string(at, p, &format!("{ctx}.knownPeers[{i}]"))?);
        }
    }
    Ok(RecordedRequest {
        service_name: string(
            at,
            required(at, node, "serviceName", ctx)?,
            &f("serviceName"),
        )?,
        endpoint: string(at, required(at, node, "endpoint", ctx)?, &f("endpoint"))?,
        headers: match field(at, node, "headers", ctx)? {
            Some(n) => binary(at, n, &f("headers"))?,
            None => Bytes::new(),
        },
        body: binary(at, required(at, node, "body", ctx)?, &f("body"))?,
        host_port: match field(at, node, "hostPort", ctx)? {
            Some(n) => string(at, n, &f("hostPort"))?,
            None => String::new(),
        },
        arg_scheme: scheme,
        transport_headers,
        known_peers,
    })
}

fn response_from(at: &At, node: &Node, ctx: &str) -> Result<RecordedResponse, VcrError> {
    let f = |name: &str| format!("{ctx}.{name}");
    let code_node = required(at, node, "code", ctx)?;
    let code = match int(at, code_node, &f("code"))? {
        c @ (0 | 1) => c as u8,
        other => {
            return Err(at.err(
                code_node,
                &f("code"),
                format!("{other} is not 0 (success) or 1 (failure)"),
            ))
        }
    };
    let error = match field(at, node, "error", ctx)? {
        None => None,
        Some(e) => {
            let ec = f("error");
            let cn = required(at, e, "code", &ec)?;
            let c = int(at, cn, &format!("{ec}.code"))?;
            let code = u8::try_from(c).map_err(|_| {
                at.err(
                    cn,
                    &format!("{ec}.code"),
                    format!("{c} is not an error code"),
                )
            })?;
            Some(RecordedError {
                code: ErrorCode::from_u8(code),
                message: match field(at, e, "message", &ec)? {
                    Some(m) => string(at, m, &format!("{ec}.message"))?,
                    None => String::new(),
                },
            })
        }
    };
    Ok(RecordedResponse {
        code,
        headers: match field(at, node, "headers", ctx)? {
            Some(n) => binary(at, n, &f("headers"))?,
            None => Bytes::new(),
        },
        body: binary(at, required(at, node, "body", ctx)?, &f("body"))?,
        error,
    })
}

/// Reads a cassette's text: `Ok(None)` when the file holds no document (tchannel-python treats
/// such a file as an empty cassette that exists).
pub(crate) fn from_yaml(path: &Path, text: &str) -> Result<Vec<Interaction>, VcrError> {
    let at = At { path };
    let root = match crate::yaml::parse(text).map_err(|e| VcrError::corrupt(path, e))? {
        None => return Ok(Vec::new()),
        Some(r) if r.is_null() => return Ok(Vec::new()),
        Some(r) => r,
    };
    if !matches!(root.value, Value::Map(_)) {
        return Err(at.err(&root, "the document", format!(
            "expected a mapping with `version` and `interactions`, found a {}; not a tchannel VCR cassette",
            root.kind()
        )));
    }
    let Some(interactions) = root.get("interactions") else {
        return Err(at.err(
            &root,
            "the document",
            "no `interactions` key; not a tchannel VCR cassette",
        ));
    };
    let version_node = required(&at, &root, "version", "the document")?;
    let version = int(&at, version_node, "version")?;
    if version != FORMAT_VERSION {
        return Err(VcrError::unsupported_version(path, version));
    }
    if interactions.is_null() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for (i, node) in list(&at, interactions, "interactions")?.iter().enumerate() {
        let ctx = format!("interactions[{i}]");
        let req_ctx = format!("{ctx}.request");
        let res_ctx = format!("{ctx}.response");
        let request = request_from(&at, required(&at, node, "request", &ctx)?, &req_ctx)?;
        let response = response_from(&at, required(&at, node, "response", &ctx)?, &res_ctx)?;
        out.push(Interaction { request, response });
    }
    Ok(out)
}

/// Writes a cassette as tchannel-python does (`yaml.dump(..., default_flow_style=False)`).
pub(crate) fn to_yaml(interactions: &[Interaction]) -> String {
    let items = interactions
        .iter()
        .map(|i| {
            let q = &i.request;
            let r = &i.response;
            let request = Out::Map(vec![
                ("argScheme", Out::Int(q.arg_scheme.number())),
                ("body", Out::Bytes(q.body.to_vec())),
                ("endpoint", Out::Str(q.endpoint.clone())),
                ("headers", Out::Bytes(q.headers.to_vec())),
                ("hostPort", Out::Bytes(q.host_port.as_bytes().to_vec())),
                (
                    "knownPeers",
                    Out::List(
                        q.known_peers
                            .iter()
                            .map(|p| Out::Bytes(p.as_bytes().to_vec()))
                            .collect(),
                    ),
                ),
                ("serviceName", Out::Str(q.service_name.clone())),
                (
                    "transportHeaders",
                    Out::List(
                        q.transport_headers
                            .iter()
                            .map(|(k, v)| {
                                Out::Map(vec![
                                    ("key", Out::Bytes(k.to_vec())),
                                    ("value", Out::Bytes(v.to_vec())),
                                ])
                            })
                            .collect(),
                    ),
                ),
            ]);
            let mut response = vec![
                ("body", Out::Bytes(r.body.to_vec())),
                ("code", Out::Int(r.code.into())),
                ("headers", Out::Bytes(r.headers.to_vec())),
            ];
            if let Some(e) = &r.error {
                response.push((
                    "error",
                    Out::Map(vec![
                        ("code", Out::Int(e.code.as_u8().into())),
                        ("message", Out::Str(e.message.clone())),
                    ]),
                ));
            }
            Out::Map(vec![("request", request), ("response", Out::Map(response))])
        })
        .collect();
    crate::yaml::emit(&Out::Map(vec![
        ("interactions", Out::List(items)),
        ("version", Out::Int(FORMAT_VERSION)),
    ]))
}
