//! The cassette file: tchannel-python's format read and written byte for byte, replay of a
//! cassette tchannel-python 2.1.0 recorded (tests/data/python_keyvalue.yaml, made by
//! peers/python/vcr_client.py against peers/python/server.py), bad files, atomic saves.

use bytes::Bytes;
use keyvalue::service::key_value::GetValueError;
use keyvalue::service::KeyValueClient;
use serde_json::json;
use std::io::Read;
use std::path::{Path, PathBuf};
use tchannel_vcr::{
    cassette_yaml, read_cassette, use_cassette, ArgScheme, Cassette, RecordMode, RecordedRequest,
    RecordedResponse, VcrErrorKind,
};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

const PYTHON_CASSETTE: &str = "python_keyvalue.yaml";

#[test]
fn a_python_cassette_reads_field_by_field() {
    let interactions = read_cassette(data(PYTHON_CASSETTE)).unwrap();
    assert_eq!(interactions.len(), 9);
    let get = &interactions[1];
    let q = &get.request;
    assert_eq!(q.service_name, "interop");
    assert_eq!(q.endpoint, "KeyValue::getValue");
    assert_eq!(q.arg_scheme, ArgScheme::Thrift);
    assert_eq!(q.headers, Bytes::from_static(b"\x00\x00")); // nh:2, no headers
    assert_eq!(
        q.body,
        Bytes::from_static(b"\x0b\x00\x01\x00\x00\x00\x01k\x00")
    );
    assert!(q.host_port.starts_with("127.0.0.1:"), "{}", q.host_port);
    assert_eq!(q.known_peers, vec![q.host_port.clone()]);
    let th: Vec<(&[u8], &[u8])> = q
        .transport_headers
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .collect();
    assert_eq!(
        th,
        [(&b"as"[..], &b"thrift"[..]), (b"cn", b"interop-client")]
    );
    assert_eq!(get.response.code, 0);
    // getValue's result struct: field 0 (success), string "v1".
    assert_eq!(
        get.response.body,
        Bytes::from_static(b"\x0b\x00\x00\x00\x00\x00\x02v1\x00")
    );
    assert!(get.response.error.is_none());
    let missing = &interactions[4];
    assert_eq!(missing.response.code, 1);
    let notok = &interactions[7];
    assert_eq!(notok.request.arg_scheme, ArgScheme::Json);
    assert_eq!(notok.request.headers, r#"{"x": "y"}"#);
    assert_eq!(notok.response.code, 1);
    let echo = &interactions[8];
    assert_eq!(echo.request.arg_scheme, ArgScheme::Raw);
    assert_eq!(echo.request.body, Bytes::from_static(b"\xff\x00"));
}

#[test]
fn a_python_cassette_is_written_back_byte_for_byte() {
    let text = std::fs::read_to_string(data(PYTHON_CASSETTE)).unwrap();
    let interactions = read_cassette(data(PYTHON_CASSETTE)).unwrap();
    assert_eq!(cassette_yaml(&interactions), text);
}

#[tokio::test]
async fn a_python_cassette_replays_through_the_generated_client_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kv.yaml");
    std::fs::copy(data(PYTHON_CASSETTE), &path).unwrap();
    let cassette = use_cassette(&path, RecordMode::Once).unwrap();
    // The recorded hostport: nothing listens there now.
    let ch = cassette
        .channel_builder("interop-client")
        .known_peers(["127.0.0.1:9"])
        .build();
    let kv = KeyValueClient::new(ch.thrift_client("interop"));
    kv.set_value("k", "v1").await.unwrap();
    assert_eq!(kv.get_value("k").await.unwrap(), "v1");
    kv.set_value("k", "v2").await.unwrap();
    assert_eq!(kv.get_value("k").await.unwrap(), "v2");
    let err = kv.get_value("missing").await.unwrap_err();
    assert!(matches!(err.exception(), Some(GetValueError::NotFound(nf)) if nf.key == "missing"));
    let mut headers = tchannel_runtime::scheme::HeaderMap::new();
    headers.insert("h".into(), "1".into());
    let kv_h = KeyValueClient::new(ch.thrift_client("interop").headers(headers));
    assert_eq!(kv_h.get_value("k").await.unwrap(), "v2");
    // json: python sent `{"a": 1, "b": 2}`, we send `{"a":1,"b":2}`: equal JSON, a match.
    let sum = ch
        .json("interop", "add")
        .body(json!({"a": 1, "b": 2}))
        .await
        .unwrap();
    assert_eq!(sum.body, json!({"sum": 3}));
    let mut h = tchannel_runtime::scheme::HeaderMap::new();
    h.insert("x".into(), "y".into());
    let notok = ch
        .json("interop", "notok")
        .headers(h)
        .body(json!({"a": 1}))
        .await
        .unwrap();
    assert!(!notok.ok);
    assert_eq!(notok.body["type"], "interop.notok");
    let echo = ch
        .raw("interop", "echo")
        .headers(&b"\x01\x02"[..])
        .body(&b"\xff\x00"[..])
        .await
        .unwrap();
    assert_eq!(echo.body, Bytes::from_static(b"\xff\x00"));
    assert_eq!(echo.headers, Bytes::from_static(b"\x01\x02"));
    assert_eq!(cassette.play_count(), 9);
    drop(cassette);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        std::fs::read(data(PYTHON_CASSETTE)).unwrap()
    );
}

fn load_err(text: &str) -> (String, tchannel_vcr::VcrError) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.yaml");
    std::fs::write(&path, text).unwrap();
    let err = use_cassette(&path, RecordMode::Once).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert_eq!(err.path(), path);
    (msg, err)
}

#[test]
fn corrupt_yaml_is_an_error_naming_file_and_line() {
    let (msg, err) = load_err("interactions:\n- request: [\n");
    assert!(matches!(err.kind(), VcrErrorKind::Corrupt(_)), "{msg}");
    assert!(
        msg.contains("is not valid YAML") && msg.contains("line"),
        "{msg}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("binary.yaml");
    std::fs::write(&path, b"interactions: []\nversion: 1\n\xff\xfe").unwrap();
    let msg = use_cassette(&path, RecordMode::Once)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("binary.yaml is not valid YAML: not UTF-8 text"),
        "{msg}"
    );
}

#[test]
fn foreign_yaml_is_an_error_naming_what_is_wrong() {
    // A vcrpy (HTTP) cassette: same top level, other interactions.
    let (msg, err) = load_err(
        "interactions:\n- request:\n    body: null\n    method: GET\n    uri: http://x/\n  response:\n    status: {code: 200}\nversion: 1\n",
    );
    assert!(matches!(err.kind(), VcrErrorKind::Foreign(_)), "{msg}");
    assert!(msg.contains("not a tchannel VCR cassette"), "{msg}");
    assert!(
        msg.contains("interactions[0].request (line 3): missing required field `serviceName`"),
        "{msg}"
    );

    let (msg, _) = load_err("just: a mapping\n");
    assert!(msg.contains("no `interactions` key"), "{msg}");
    let (msg, _) = load_err("- a list\n");
    assert!(msg.contains("found a list"), "{msg}");
    let (msg, _) = load_err(
        "interactions:\n- request:\n    serviceName: s\n    endpoint: e\n    body: !!binary |\n      not*base64\n  response:\n    code: 0\n    body: ''\nversion: 1\n",
    );
    assert!(
        msg.contains("interactions[0].request.body (line 6): bad base64"),
        "{msg}"
    );
    let (msg, _) = load_err(
        "interactions:\n- request:\n    serviceName: s\n    endpoint: e\n    body: ''\n    argScheme: 7\n  response:\n    code: 0\n    body: ''\nversion: 1\n",
    );
    assert!(
        msg.contains("argScheme (line 6): 7 is not 0 (raw), 1 (json) or 2 (thrift)"),
        "{msg}"
    );
}

#[test]
fn another_version_is_refused() {
    let (msg, err) = load_err("interactions: []\nversion: 2\n");
    assert!(
        matches!(err.kind(), VcrErrorKind::UnsupportedVersion(2)),
        "{msg}"
    );
    assert!(
        msg.contains("unsupported version of the format: version 2"),
        "{msg}"
    );
}

#[test]
fn an_empty_file_is_an_empty_cassette_that_existed_as_in_python() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.yaml");
    std::fs::write(&path, "").unwrap();
    let cassette = use_cassette(&path, RecordMode::Once).unwrap();
    assert!(cassette.existed() && !cassette.can_record());
}

fn interaction(body: &'static str) -> (RecordedRequest, RecordedResponse) {
    let mut req = RecordedRequest::new("svc", "echo", ArgScheme::Raw);
    req.body = Bytes::from_static(body.as_bytes());
    (req, RecordedResponse::ok("", body))
}

#[test]
fn saving_replaces_the_file_whole_through_a_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.yaml");
    {
        let c = Cassette::builder(&path)
            .record_mode(RecordMode::NewEpisodes)
            .load()
            .unwrap();
        let (q, r) = interaction("first");
        c.record(q, r);
    }
    let old = std::fs::read(&path).unwrap();
    // Someone holding the old file open keeps reading the old cassette, whole: the new one
    // is a new file renamed over it, not the old one rewritten in place.
    let mut reader = std::fs::File::open(&path).unwrap();
    {
        let c = Cassette::builder(&path)
            .record_mode(RecordMode::NewEpisodes)
            .load()
            .unwrap();
        let (q, r) = interaction("second");
        c.record(q, r);
        c.save().unwrap();
    }
    let mut seen = Vec::new();
    reader.read_to_end(&mut seen).unwrap();
    assert_eq!(seen, old);
    assert_eq!(read_cassette(&path).unwrap().len(), 2);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["c.yaml"], "no temporary file left behind");
}

#[test]
fn a_failed_save_names_the_file_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-dir");
    let path = blocker.join("c.yaml");
    let c = Cassette::builder(&path).load().unwrap();
    // The cassette's directory would now have to be inside a file.
    std::fs::write(&blocker, "x").unwrap();
    let (q, r) = interaction("x");
    c.record(q, r);
    let err = c.save().unwrap_err();
    assert!(matches!(err.kind(), VcrErrorKind::Io(_)));
    assert!(err.to_string().contains("not-a-dir/c.yaml"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_cassette_with_a_missing_directory_creates_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/c.yaml");
    let c = use_cassette(&path, RecordMode::Once).unwrap();
    let (q, r) = interaction("x");
    c.record(q, r);
    c.save().unwrap();
    assert_eq!(read_cassette(&path).unwrap()[0].response.body, "x");
}

#[test]
fn a_python_cassette_replays_through_the_generated_blocking_client() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kv.yaml");
    std::fs::copy(data(PYTHON_CASSETTE), &path).unwrap();
    let runtime = tchannel_runtime::blocking::BlockingRuntime::new().unwrap();
    let cassette = use_cassette(&path, RecordMode::None).unwrap();
    let ch = cassette.channel("interop-client");
    let kv = keyvalue::service::KeyValueBlockingClient::new(ch.thrift_client("interop"), &runtime);
    kv.set_value("k", "v1").unwrap();
    assert_eq!(kv.get_value("k").unwrap(), "v1");
    kv.set_value("k", "v2").unwrap();
    assert_eq!(kv.get_value("k").unwrap(), "v2");
    // In order, once each: a third identical getValue has nothing left to replay.
    let err = kv.get_value("k").unwrap_err();
    let call_error = err.call_error().expect("a call failure, not an exception");
    assert!(tchannel_vcr::is_unmatched(call_error), "{err}");
    assert!(call_error.message().contains("already replayed"), "{err}");
}

#[test]
fn damaged_cassettes_are_errors_never_panics() {
    let text = std::fs::read_to_string(data(PYTHON_CASSETTE)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("damaged.yaml");
    let mut variants: Vec<Vec<u8>> = Vec::new();
    // Every truncation on a line boundary and inside lines.
    for cut in (0..text.len()).step_by(61) {
        variants.push(text.as_bytes()[..cut].to_vec());
    }
    // Single-byte damage: indentation, tags, base64, structure.
    for (i, b) in text.bytes().enumerate().step_by(97) {
        for with in [b' ', b'!', b'*', b'-', b':', b'[', b'\n'] {
            if b != with {
                let mut v = text.as_bytes().to_vec();
                v[i] = with;
                variants.push(v);
            }
        }
    }
    // Deep nesting and an alias to nowhere.
    for n in [100_000, 1_000_000] {
        let (open, close) = ("[".repeat(n), "]".repeat(n));
        variants.push(format!("interactions: {open}\nversion: 1\n").into_bytes());
        variants.push(format!("interactions: {open}{close}\nversion: 1\n").into_bytes());
        variants
            .push(format!("version: 1\ninteractions:\n- request: {open}{close}\n").into_bytes());
    }
    variants.push(b"interactions: *nowhere\nversion: 1\n".to_vec());
    let mut errors = 0;
    for v in &variants {
        std::fs::write(&path, v).unwrap();
        if let Err(e) = read_cassette(&path) {
            assert!(e.to_string().contains("damaged.yaml"), "{e}");
            errors += 1;
        }
    }
    assert!(
        errors > variants.len() / 2,
        "{errors} of {}",
        variants.len()
    );
}
