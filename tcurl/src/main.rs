//! `tcurl`: call any TChannel service from the command line. See `tcurl --help`.

use bytes::Bytes;
use clap::Parser;
use serde_json::{json, Map, Value};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use tchannel_runtime::checksum::ChecksumType;
use tchannel_runtime::scheme::{HeaderMap, Scheme};
use tchannel_runtime::{CallOptions, Raw, RetryOn, TChannel, Thrift, INTROSPECT_ENDPOINT};
use tcurl::codec::{base64_encode, Idl, Outcome};
use tcurl::exit;

const META_THRIFT: &str = tchannel_runtime::meta::IDL;

const AFTER_HELP: &str = "\
OUTPUT
  One JSON object on stdout:
    {\"ok\":true,\"headers\":{...},\"body\":...,\"transport_headers\":{\"as\":\"thrift\"}}
  thrift adds \"exception\": the result field name of a declared exception (ok is false then).
  raw: headers and body are strings (or {\"base64\":\"...\"} when not UTF-8).
  When the call fails without a response, stdout gets
    {\"ok\":false,\"error\":{\"type\":\"declined\",\"code\":4,\"message\":\"...\"}}
  and stderr a one-line explanation.

THRIFT VALUES (-t)
  bool: true/false; byte, i16, i32, i64: numbers (or strings holding one); double: a number
  or \"NaN\"/\"Infinity\"; string: a string; binary: base64, or {\"utf8\":\"text\"}, {\"hex\":\"..\"};
  enum: a name or a number (printed as the name); list, set: arrays; map: an object (keys of
  string, number or enum type) or an array of [key, value] pairs; struct, exception: an object
  by field name; union: an object with one field. Typedefs and includes are followed.

EXIT CODES
   0  ok
   1  application error: the response is not ok (a thrift declared exception, a json/raw
      not-ok response, a health check that is not ok)
   2  usage error (bad flags)
   3  IDL error: the -t file does not load, or has no such service or method
   4  bad input: -2/-3 is not valid JSON or does not match the method's types
   5  the response could not be decoded
  11  timeout          (TChannel error 0x01)
  12  cancelled        (0x02)
  13  busy             (0x03)
  14  declined         (0x04; Hyperbahn: no peer for the service)
  15  unexpected error (0x05)
  16  bad request      (0x06; unknown endpoint, wrong arg scheme, checksum mismatch)
  17  network error    (0x07; connection refused or broken)
  18  unhealthy        (0x08)
  19  protocol error   (0xFF)
  20  other: no peer given, an unknown error code

EXAMPLES
  tcurl -p 127.0.0.1:4040 keyvalue-server KeyValue::setValue -t service.thrift -3 '{\"key\":\"foo\",\"value\":\"bar\"}'
  tcurl -p 127.0.0.1:4040 keyvalue-server KeyValue::getValue -t service.thrift -3 '{\"key\":\"foo\"}'
  tcurl -p 127.0.0.1:4040 keyvalue-server --health
  tcurl -p 127.0.0.1:4040 keyvalue-server --introspect                 # connections, peers, ...
  tcurl -p 127.0.0.1:4040 echo-service add -j -3 '{\"a\":1,\"b\":2}'
  tcurl -p 127.0.0.1:4040 echo-service echo -r -2 head -3 body
  tcurl -p ROUTER:21300 my-service Svc::method -t svc.thrift -3 '{...}'   # through Hyperbahn
  tcurl -P hosts.json my-service echo -r -3 hi --retry ct --retry-limit 2 --timeout 500
  tcurl -t svc.thrift --list                                           # services and methods
";

/// Calls a TChannel service and prints the response as JSON.
///
/// The arg scheme is thrift with -t or --health or when ENDPOINT contains `::`, raw with -r,
/// and json otherwise (as Node's tcurl chooses).
#[derive(Parser, Debug)]
#[command(name = "tcurl", version, after_help = AFTER_HELP)]
struct Args {
    /// The service to call (the `service` of the call; through Hyperbahn, the advertised name).
    #[arg(required_unless_present = "list")]
    service: Option<String>,
    /// The endpoint: `Service::method` for thrift, the endpoint name (arg1) for json and raw.
    #[arg(required_unless_present_any = ["health", "list", "introspect"])]
    endpoint: Option<String>,
    /// The body, as -3 gives it (for Node tcurl's positional form).
    #[arg(value_name = "BODY", conflicts_with = "body")]
    positional_body: Option<String>,

    /// A peer to call, HOST:PORT; repeat for several (the call goes to one, retries to
    /// others). A Hyperbahn router works: calls by service name go through it.
    #[arg(short = 'p', long = "peer", value_name = "HOST:PORT")]
    peers: Vec<String>,
    /// A file holding a JSON array of "HOST:PORT" peers (as Hyperbahn's hosts files).
    #[arg(
        short = 'P',
        long = "peerlist",
        alias = "hostlist",
        value_name = "FILE"
    )]
    peerlist: Option<PathBuf>,

    /// Thrift: the IDL file (parsed at run time; includes are followed). ENDPOINT is
    /// `Service::method` and -3 the JSON object of the method's arguments by name.
    #[arg(short = 't', long = "thrift", value_name = "FILE.thrift")]
    thrift: Option<PathBuf>,
    /// Another folder to search for the IDL's includes (repeatable).
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    include: Vec<PathBuf>,
    /// Accepted for Node tcurl compatibility; the IDL is always read leniently.
    #[arg(long = "no-strict")]
    no_strict: bool,
    /// Use the json arg scheme: -2 and -3 are JSON.
    #[arg(short = 'j', long = "json", conflicts_with_all = ["raw", "thrift", "health"])]
    json: bool,
    /// Use the raw arg scheme: -2 and -3 are sent as given, bytes for bytes.
    #[arg(short = 'r', long = "raw", conflicts_with_all = ["thrift", "health"])]
    raw: bool,
    /// Call the standard `Meta::health` of the service (no IDL needed); exits 1 if not ok.
    #[arg(long)]
    health: bool,
    /// Print the channel's introspection: its connections, peers, endpoints and limits (the
    /// json endpoint a tchannel-rs channel built with `.introspection(true)` serves).
    #[arg(long, conflicts_with_all = ["raw", "thrift", "health", "list", "endpoint"])]
    introspect: bool,
    /// With -t: print the services and methods of the IDL and exit.
    #[arg(long, requires = "thrift")]
    list: bool,

    /// Application headers (arg2): a JSON object of strings for thrift and json (json takes
    /// any JSON), a string for raw. `@FILE` reads the file.
    #[arg(
        short = '2',
        long = "arg2",
        alias = "head",
        alias = "headers",
        value_name = "HEADERS"
    )]
    headers: Option<String>,
    /// The body (arg3): JSON for thrift (the arguments by name) and json, a string for raw.
    /// `@FILE` reads the file, `-` reads stdin.
    #[arg(short = '3', long = "arg3", alias = "body", value_name = "BODY")]
    body: Option<String>,

    /// Caller name (transport header `cn`).
    #[arg(
        long = "cn",
        alias = "caller",
        value_name = "NAME",
        default_value = "tcurl"
    )]
    caller: String,
    /// Shard key (transport header `sk`).
    #[arg(long = "sk", alias = "shard-key", value_name = "KEY")]
    shard_key: Option<String>,
    /// Routing delegate (transport header `rd`).
    #[arg(long = "rd", alias = "routing-delegate", value_name = "SERVICE")]
    routing_delegate: Option<String>,
    /// Routing key (transport header `rk`).
    #[arg(long = "rk", alias = "routing-key", value_name = "KEY")]
    routing_key: Option<String>,
    /// Any transport header, KEY=VALUE (repeatable).
    #[arg(long = "header", value_name = "KEY=VALUE")]
    transport_headers: Vec<String>,

    /// How long the call may take, retries included, in milliseconds (sent as the ttl).
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    timeout: u64,
    /// Retry flags (`re`): n never, c on connection errors, t on timeouts, ct both. Busy and
    /// declined are retried unless n. Retries go to another peer of -p/-P.
    #[arg(long, value_name = "n|c|t|ct", default_value = "c", value_parser = ["n", "c", "t", "ct", "tc"])]
    retry: String,
    /// Retries after the first attempt (each on a peer not tried yet).
    #[arg(long = "retry-limit", value_name = "N", default_value_t = 0)]
    retry_limit: u32,
    /// Checksum type of the call frames.
    #[arg(long, value_name = "TYPE", default_value = "crc32c", value_parser = ["none", "crc32", "crc32c"])]
    checksum: String,
}

/// A failure of tcurl with its exit code.
struct Failure {
    code: u8,
    message: String,
    /// What to print on stdout, if anything.
    stdout: Option<Value>,
}

fn fail(code: u8, message: impl Into<String>) -> Failure {
    Failure {
        code,
        message: message.into(),
        stdout: None,
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tcurl: cannot start the runtime: {e}");
            return ExitCode::from(exit::OTHER);
        }
    };
    match rt.block_on(run(args)) {
        Ok((out, code)) => {
            println!("{}", ordered(&out));
            ExitCode::from(code)
        }
        Err(f) => {
            if let Some(out) = f.stdout {
                println!("{}", ordered(&out));
            }
            eprintln!("tcurl: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

/// The output object as one line of JSON, its top-level keys in a fixed order (`ok` first)
/// rather than serde_json's alphabetical one.
fn ordered(v: &Value) -> String {
    const ORDER: [&str; 6] = [
        "ok",
        "error",
        "headers",
        "body",
        "exception",
        "transport_headers",
    ];
    let Value::Object(o) = v else {
        return v.to_string();
    };
    let mut keys: Vec<&String> = o.keys().collect();
    keys.sort_by_key(|k| ORDER.iter().position(|o| o == k).unwrap_or(ORDER.len()));
    let parts: Vec<String> = keys
        .into_iter()
        .map(|k| format!("{}:{}", Value::String(k.clone()), o[k]))
        .collect();
    format!("{{{}}}", parts.join(","))
}

/// Reads `@FILE` and `-` (stdin) forms.
fn read_arg(v: &str, what: &str) -> Result<Vec<u8>, Failure> {
    if v == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)
            .map_err(|e| fail(exit::BAD_INPUT, format!("{what}: cannot read stdin: {e}")))?;
        return Ok(buf);
    }
    if let Some(path) = v.strip_prefix('@') {
        return std::fs::read(path)
            .map_err(|e| fail(exit::BAD_INPUT, format!("{what}: cannot read {path}: {e}")));
    }
    Ok(v.as_bytes().to_vec())
}

fn parse_json(v: Option<&str>, what: &str, default: Value) -> Result<Value, Failure> {
    let Some(v) = v else { return Ok(default) };
    let bytes = read_arg(v, what)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(default);
    }
    serde_json::from_slice(&bytes)
        .map_err(|e| fail(exit::BAD_INPUT, format!("{what} is not valid JSON: {e}")))
}

fn header_map(v: &Value, what: &str) -> Result<HeaderMap, Failure> {
    match v {
        Value::Null => Ok(HeaderMap::new()),
        Value::Object(o) => o
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                other => Err(fail(
                    exit::BAD_INPUT,
                    format!("{what}: header {k:?} must be a string, got {other}"),
                )),
            })
            .collect(),
        other => Err(fail(
            exit::BAD_INPUT,
            format!("{what} must be a JSON object of strings, got {other}"),
        )),
    }
}

fn text_or_base64(b: &[u8]) -> Value {
    match std::str::from_utf8(b) {
        Ok(s) => Value::String(s.to_owned()),
        Err(_) => json!({ "base64": base64_encode(b) }),
    }
}

fn transport_json(t: &tchannel_runtime::frame::TransportHeaders) -> Value {
    let mut m = Map::new();
    for (k, v) in t.iter() {
        m.insert(
            String::from_utf8_lossy(k).into_owned(),
            Value::String(String::from_utf8_lossy(v).into_owned()),
        );
    }
    Value::Object(m)
}

fn error_failure(e: &tchannel_runtime::Error) -> Failure {
    let (code, kind) = exit::for_error(e);
    Failure {
        code,
        message: format!("{kind}: {e}"),
        stdout: Some(json!({
            "ok": false,
            "error": {
                "type": kind,
                "code": e.code().map(|c| c.as_u8()),
                "message": e.message(),
            }
        })),
    }
}

/// `as=json` with arg2 and arg3 as bytes, so that tcurl sends and shows exactly what the
/// user gave and the server answered (the runtime's `Json` takes only string-map headers).
#[derive(Debug, Clone, Copy, Default)]
struct JsonBytes;

impl Scheme for JsonBytes {
    const NAME: &'static str = "json";
    type Headers = Bytes;
    type Body = Bytes;
    fn encode_headers(h: &Bytes) -> Result<Bytes, tchannel_runtime::Error> {
        Ok(h.clone())
    }
    fn decode_headers(arg2: Bytes) -> Result<Bytes, tchannel_runtime::Error> {
        Ok(arg2)
    }
    fn encode_body(b: &Bytes) -> Result<Bytes, tchannel_runtime::Error> {
        Ok(b.clone())
    }
    fn decode_body(arg3: Bytes) -> Result<Bytes, tchannel_runtime::Error> {
        Ok(arg3)
    }
}

fn json_arg(b: &[u8]) -> Value {
    let text = String::from_utf8_lossy(b);
    let t = text.trim();
    if t.is_empty() {
        return Value::Null;
    }
    serde_json::from_str(t).unwrap_or_else(|_| Value::String(text.into_owned()))
}

async fn run(args: Args) -> Result<(Value, u8), Failure> {
    let idl = match (&args.thrift, args.health) {
        (_, true) => Some(Idl::parse("meta.thrift", META_THRIFT).map_err(|e| fail(exit::IDL, e))?),
        (Some(path), false) => {
            Some(Idl::load(path, &args.include).map_err(|e| fail(exit::IDL, e))?)
        }
        (None, false) => None,
    };
    if args.list {
        let idl = idl.expect("--list requires -t");
        let services: Map<String, Value> = idl
            .services()
            .into_iter()
            .map(|(s, m)| (s, Value::from(m)))
            .collect();
        return Ok((Value::Object(services), exit::OK));
    }
    let service = args.service.clone().expect("required by clap");

    let mut peers = args.peers.clone();
    if let Some(file) = &args.peerlist {
        let text = std::fs::read(file).map_err(|e| {
            fail(
                exit::USAGE,
                format!("cannot read peer list {}: {e}", file.display()),
            )
        })?;
        let list: Vec<String> = serde_json::from_slice(&text).map_err(|e| {
            fail(
                exit::USAGE,
                format!(
                    "peer list {} is not a JSON array of \"host:port\": {e}",
                    file.display()
                ),
            )
        })?;
        peers.extend(list);
    }
    if peers.is_empty() {
        return Err(fail(exit::USAGE, "no peer: give -p HOST:PORT or -P FILE"));
    }

    let checksum = match args.checksum.as_str() {
        "none" => ChecksumType::None,
        "crc32" => ChecksumType::Crc32,
        _ => ChecksumType::Crc32c,
    };
    let timeout = Duration::from_millis(args.timeout.max(1));
    let ch = TChannel::builder("tcurl")
        .known_peers(peers)
        .default_timeout(timeout)
        .checksum(checksum)
        .retry_limit(args.retry_limit)
        .build();
    let mut opts = CallOptions::default()
        .timeout(timeout)
        .retry_on(RetryOn::from_header(&args.retry).unwrap_or_default())
        .retry_limit(args.retry_limit)
        .checksum(checksum)
        .caller_name(args.caller.clone());
    if let Some(sk) = &args.shard_key {
        opts = opts.shard_key(sk.clone());
    }
    if let Some(rd) = &args.routing_delegate {
        opts = opts.routing_delegate(rd.clone());
    }
    if let Some(rk) = &args.routing_key {
        opts = opts.routing_key(rk.clone());
    }
    for h in &args.transport_headers {
        let Some((k, v)) = h.split_once('=') else {
            return Err(fail(
                exit::USAGE,
                format!("--header {h:?} is not KEY=VALUE"),
            ));
        };
        opts = opts.transport_header(k, v);
    }

    let body_arg = match args.introspect {
        true => Some("{}"),
        false => args.body.as_deref().or(args.positional_body.as_deref()),
    };
    let endpoint = match args.introspect {
        true => INTROSPECT_ENDPOINT.to_owned(),
        false => args.endpoint.clone().unwrap_or_default(),
    };
    let thrift = idl.is_some() || endpoint.contains("::");

    if let Some(idl) = &idl {
        let endpoint = if args.health {
            "Meta::health".to_owned()
        } else {
            endpoint
        };
        let method = idl.method(&endpoint).map_err(|e| fail(exit::IDL, e))?;
        let body = parse_json(body_arg, "-3 (the arguments)", Value::Null)?;
        let arg3 = method.encode_args(&body).map_err(|e| {
            fail(
                exit::BAD_INPUT,
                format!("-3 (the arguments of {endpoint}): {e}"),
            )
        })?;
        let headers = header_map(
            &parse_json(args.headers.as_deref(), "-2 (the headers)", Value::Null)?,
            "-2",
        )?;
        let res = ch
            .call::<Thrift>(service, endpoint.clone())
            .headers(headers)
            .body(arg3)
            .options(opts)
            .await
            .map_err(|e| error_failure(&e))?;
        let headers: Map<String, Value> = res
            .headers
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        let outcome = match method.decode_result(res.body.clone()) {
            Ok(o) => o,
            Err(e) if !res.ok => {
                // An application error whose body is not the declared result: show its bytes.
                eprintln!("tcurl: the not-ok response of {endpoint} does not decode: {e}");
                let out = json!({
                    "ok": false,
                    "headers": Value::Object(headers),
                    "body": {"base64": base64_encode(&res.body)},
                    "transport_headers": transport_json(&res.transport),
                });
                return Ok((out, exit::APP_ERROR));
            }
            Err(e) => {
                return Err(fail(
                    exit::BAD_RESPONSE,
                    format!("cannot decode the result of {endpoint}: {e}"),
                ))
            }
        };
        let mut out = Map::new();
        let (body, exception) = match outcome {
            Outcome::Success(v) => (v, None),
            Outcome::Exception(name, v) => (v, Some(name)),
        };
        let ok = res.ok && exception.is_none();
        out.insert("ok".into(), Value::Bool(ok));
        out.insert("headers".into(), Value::Object(headers));
        let health_ok = body.get("ok").and_then(Value::as_bool);
        out.insert("body".into(), body);
        if let Some(name) = exception {
            out.insert("exception".into(), Value::String(name));
        }
        out.insert("transport_headers".into(), transport_json(&res.transport));
        let code = if !ok || (args.health && health_ok != Some(true)) {
            exit::APP_ERROR
        } else {
            exit::OK
        };
        return Ok((Value::Object(out), code));
    }
    if thrift {
        return Err(fail(
            exit::USAGE,
            format!("{endpoint:?} looks like a thrift method: give its IDL with -t, or use -j/-r"),
        ));
    }

    if args.raw {
        let arg2 = match &args.headers {
            Some(h) => read_arg(h, "-2")?,
            None => Vec::new(),
        };
        let arg3 = match body_arg {
            Some(b) => read_arg(b, "-3")?,
            None => Vec::new(),
        };
        let res = ch
            .call::<Raw>(service, endpoint)
            .headers(Bytes::from(arg2))
            .body(Bytes::from(arg3))
            .options(opts)
            .await
            .map_err(|e| error_failure(&e))?;
        let out = json!({
            "ok": res.ok,
            "headers": text_or_base64(&res.headers),
            "body": text_or_base64(&res.body),
            "transport_headers": transport_json(&res.transport),
        });
        return Ok((out, if res.ok { exit::OK } else { exit::APP_ERROR }));
    }

    // json
    let head = parse_json(args.headers.as_deref(), "-2 (the headers)", json!({}))?;
    let body = parse_json(body_arg, "-3 (the body)", Value::Null)?;
    let res = ch
        .call::<JsonBytes>(service, endpoint)
        .headers(Bytes::from(head.to_string()))
        .body(Bytes::from(body.to_string()))
        .options(opts)
        .await
        .map_err(|e| {
            let mut f = error_failure(&e);
            if args.introspect && e.is_bad_request() {
                f.message.push_str(
                    " (introspection is served only by a tchannel-rs channel built with \
                     `.introspection(true)`)",
                );
            }
            f
        })?;
    let out = json!({
        "ok": res.ok,
        "headers": json_arg(&res.headers),
        "body": json_arg(&res.body),
        "transport_headers": transport_json(&res.transport),
    });
    let _ = args.no_strict;
    Ok((out, if res.ok { exit::OK } else { exit::APP_ERROR }))
}
