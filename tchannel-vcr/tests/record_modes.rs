//! Every record mode's documented behaviour, matchers, ordered replay, error frames and the
//! unmatched-call error, against a Rust server that counts the calls it serves (so a replay
//! that reached the network would show).

use bytes::Bytes;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tchannel_runtime::{ErrorCode, HandlerError, Json, Raw, Response, TChannel};
use tchannel_vcr::{is_unmatched, Cassette, Matcher, RecordMode, VcrErrorKind};

struct Server {
    channel: TChannel,
    hostport: String,
    served: Arc<AtomicUsize>,
}

impl Server {
    async fn start() -> Server {
        let channel = TChannel::new("svc");
        let served = Arc::new(AtomicUsize::new(0));
        let n = served.clone();
        channel.register("echo", Raw, move |req| {
            n.fetch_add(1, Ordering::SeqCst);
            async move { Ok(Response::new(req.body).with_headers(req.headers)) }
        });
        // Answers 1, 2, 3, ...: identical requests, different responses.
        let n = served.clone();
        channel.register("count", Raw, move |_req| {
            let i = n.fetch_add(1, Ordering::SeqCst) + 1;
            async move { Ok(Response::new(Bytes::from(i.to_string()))) }
        });
        let n = served.clone();
        channel.register("add", Json, move |req| {
            n.fetch_add(1, Ordering::SeqCst);
            async move {
                let sum = req.body["a"].as_i64().unwrap_or(0) + req.body["b"].as_i64().unwrap_or(0);
                Ok(Response::new(json!({ "sum": sum })).with_headers(req.headers))
            }
        });
        let n = served.clone();
        channel.register("notok", Raw, move |req| {
            n.fetch_add(1, Ordering::SeqCst);
            async move { Ok(Response::app_error(req.body)) }
        });
        let n = served.clone();
        channel.register("busy", Raw, move |_req| {
            n.fetch_add(1, Ordering::SeqCst);
            async move { Err::<Response<Raw>, _>(HandlerError::busy("too busy, try later")) }
        });
        let hostport = channel.listen("127.0.0.1:0").await.unwrap().to_string();
        Server {
            channel,
            hostport,
            served,
        }
    }

    fn served(&self) -> usize {
        self.served.load(Ordering::SeqCst)
    }
}

fn cassette_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("cassettes").join("calls.yaml")
}

fn open(path: &Path, mode: RecordMode) -> Cassette {
    Cassette::builder(path).record_mode(mode).load().unwrap()
}

/// A channel through `cassette` whose only peer is `hostport` (a closed port in replays).
fn client(cassette: &Cassette, hostport: &str) -> TChannel {
    cassette
        .channel_builder("vcr-test")
        .known_peers([hostport])
        .build()
}

async fn echo(ch: &TChannel, body: &'static str) -> Result<Bytes, tchannel_runtime::Error> {
    ch.raw("svc", "echo").body(body).await.map(|r| r.body)
}

/// A hostport nothing listens on.
async fn dead_hostport() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().to_string()
}

#[tokio::test]
async fn once_records_a_new_cassette_then_replays_it_without_a_server() {
    let dir = tempfile::tempdir().unwrap();
    let path = cassette_path(&dir);
    let server = Server::start().await;
    {
        let cassette = open(&path, RecordMode::Once);
        assert!(!cassette.existed() && cassette.can_record());
        let ch = client(&cassette, &server.hostport);
        assert_eq!(echo(&ch, "hello").await.unwrap(), "hello");
        let sum = ch
            .json("svc", "add")
            .body(json!({"a": 1, "b": 2}))
            .await
            .unwrap();
        assert_eq!(sum.body, json!({"sum": 3}));
        let notok = ch.raw("svc", "notok").body("nope").await.unwrap();
        assert!(!notok.ok);
        assert_eq!(server.served(), 3);
        assert_eq!(cassette.recorded_count(), 3);
        assert!(!path.exists(), "nothing is written before the guard goes");
    }
    assert!(path.exists());
    server.channel.close().await;
    drop(server);

    let cassette = open(&path, RecordMode::Once);
    assert!(cassette.existed() && !cassette.can_record());
    let ch = client(&cassette, &dead_hostport().await);
    assert_eq!(echo(&ch, "hello").await.unwrap(), "hello");
    let sum = ch
        .json("svc", "add")
        .body(json!({"a": 1, "b": 2}))
        .await
        .unwrap();
    assert_eq!(sum.body, json!({"sum": 3}));
    assert!(sum.ok);
    assert_eq!(sum.transport.get("as"), Some("json"));
    let notok = ch.raw("svc", "notok").body("nope").await.unwrap();
    assert!(!notok.ok);
    assert_eq!(notok.body, "nope");
    assert_eq!(cassette.play_count(), 3);
}

#[tokio::test]
async fn once_with_an_existing_cassette_refuses_new_calls_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = cassette_path(&dir);
    let server = Server::start().await;
    {
        let cassette = open(&path, RecordMode::Once);
        let ch = client(&cassette, &server.hostport);
        echo(&ch, "hello").await.unwrap();
        ch.json("svc", "add")
            .body(json!({"a": 1, "b": 2}))
            .await
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let cassette = open(&path, RecordMode::Once);
    let ch = client(&cassette, &server.hostport);
    let err = ch
        .json("svc", "add")
        .body(json!({"a": 1, "b": 5}))
        .await
        .unwrap_err();
    assert_eq!(server.served(), 2, "the refused call did not go out");
    assert!(is_unmatched(&err), "{err}");
    assert_eq!(err.code(), Some(ErrorCode::Unexpected));
    let msg = err.message();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains("record mode `once`"), "{msg}");
    assert!(
        msg.contains(r#"request: json svc::add headers="{}" body="{\"a\":1,\"b\":5}""#),
        "{msg}"
    );
    // The nearest candidate first: the `add` call, differing only in its body.
    let nearest = msg.find("#1 json svc::add").expect(msg);
    assert!(
        msg[nearest..].contains(
            r#"body differs: recorded "{\"a\":1,\"b\":2}", requested "{\"a\":1,\"b\":5}""#
        ),
        "{msg}"
    );
    // Then the echo call, differing in endpoint, body and scheme.
    let second = msg.find("#0 raw svc::echo").expect(msg);
    assert!(second > nearest, "{msg}");
    assert!(
        msg[second..].contains(r#"endpoint differs: recorded "echo", requested "add""#),
        "{msg}"
    );
    assert!(
        msg[second..].contains("argScheme differs: recorded raw, requested json"),
        "{msg}"
    );

    let unmatched = cassette.unmatched();
    assert_eq!(unmatched.len(), 1);
    assert_eq!(unmatched[0].candidates.len(), 2);
    assert_eq!(unmatched[0].candidates[0].differences.len(), 1);
    assert_eq!(
        unmatched[0].candidates[0].differences[0].matcher,
        Matcher::Body
    );

    // The recorded calls still replay; nothing is written.
    assert_eq!(echo(&ch, "hello").await.unwrap(), "hello");
    drop(cassette);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[tokio::test]
async fn identical_requests_replay_in_recorded_order_once_each() {
    let dir = tempfile::tempdir().unwrap();
    let path = cassette_path(&dir);
    let server = Server::start().await;
    {
        let cassette = open(&path, RecordMode::Once);
        let ch = client(&cassette, &server.hostport);
        for want in ["1", "2", "3"] {
            assert_eq!(ch.raw("svc", "count").await.unwrap().body, want);
        }
    }
    let cassette = open(&path, RecordMode::None);
    let ch = client(&cassette, &dead_hostport().await);
    for want in ["1", "2", "3"] {
        assert_eq!(ch.raw("svc", "count").await.unwrap().body, want);
    }
    let err = ch.raw("svc", "count").await.unwrap_err();
    assert!(is_unmatched(&err), "{err}");
    assert!(
        err.message().contains("record mode `none` never records"),
        "{err}"
    );
    assert!(
        err.message().contains("matches, but was already replayed"),
        "{err}"
    );
    assert!(cassette.unmatched()[0]
        .candidates
        .iter()
        .all(|c| c.already_played));
}

#[tokio::test]
async fn new_episodes_replays_what_it_has_and_records_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = cassette_path(&dir);
    let server = Server::start().await;
    {
        let cassette = open(&path, RecordMode::Once);
        let ch = client(&cassette, &server.hostport);
        echo(&ch, "a").await.unwrap();
        echo(&ch, "b").await.unwrap();
    }
    assert_eq!(server.served(), 2);
    {
        let cassette = open(&path, RecordMode::NewEpisodes);
        assert!(cassette.existed() && cassette.can_record());
        let ch = client(&cassette, &server.hostport);
        assert_eq!(echo(&ch, "b").await.unwrap(), "b"); // replayed
        assert_eq!(server.served(), 2);
        assert_eq!(echo(&ch, "c").await.unwrap(), "c"); // recorded
        assert_eq!(server.served(), 3);
    }
    // Saved: played (b), then unplayed (a), then new (c).
    let bodies: Vec<Bytes> = open(&path, RecordMode::None)
        .interactions()
        .into_iter()
        .map(|i| i.request.body)
        .collect();
    assert_eq!(bodies, ["b", "a", "c"]);
}

#[tokio::test]
async fn none_replays_and_never_records_even_an_empty_cassette() {
    let dir = tempfile::tempdir().unwrap();
    let path = cassette_path(&dir);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let empty = "interactions: []\nversion: 1\n";
    std::fs::write(&path, empty).unwrap();
    let server = Server::start().await;
    let cassette = open(&path, RecordMode::None);
    assert!(!cassette.can_record());
    let ch = client(&cassette, &server.hostport);
    let err = echo(&ch, "x").await.unwrap_err();
    assert!(is_unmatched(&err), "{err}");
    assert!(
        err.message().contains("the cassette holds no interactions"),
        "{err}"
    );
    assert_eq!(server.served(), 0);
    drop(cassette);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        empty,
        "mode none never writes"
    );
}

/// Failed before: a missing file in mode `none` loaded as an empty cassette, and the mistake
/// (a wrong path, a cassette never recorded) showed only as every call failing.
#[test]
fn none_on_a_missing_file_says_so_when_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let path = cassette_path(&dir);
    let err = Cassette::builder(&path)
        .record_mode(RecordMode::None)
        .load()
        .unwrap_err();
    assert!(matches!(err.kind(), VcrErrorKind::Missing), "{err:?}");
    assert_eq!(err.path(), path);
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains("does not exist"), "{msg}");
    assert!(msg.contains("record mode `none` never records"), "{msg}");
    assert!(!path.exists());
    // The modes that record start a new cassette there, as before.
    for mode in [RecordMode::Once, RecordMode::NewEpisodes, RecordMode::All] {
        assert!(!open(&path, mode).existed());
    }
}

/// Failed before: `is_unmatched` read the message, so a remote error that only reads like a
/// refusal (here a server whose own cassette refused its call, relaying the message) was
/// taken for this cassette's, recorded and replayed alike.
#[tokio::test]
async fn an_error_that_only_reads_like_a_refusal_is_not_unmatched() {
    let dir = tempfile::tempdir().unwrap();
    let path = cassette_path(&dir);
    let server = TChannel::new("svc");
    server.register("relay", Raw, |_req| async {
        Err::<Response<Raw>, _>(HandlerError::unexpected(
            "tchannel-vcr: no recorded interaction in cassette /srv/kv.yaml matches this request",
        ))
    });
    let hostport = server.listen("127.0.0.1:0").await.unwrap().to_string();
    {
        let cassette = open(&path, RecordMode::Once);
        let ch = client(&cassette, &hostport);
        let err = ch.raw("svc", "relay").await.unwrap_err();
        assert!(err.is_unexpected(), "{err}");
        assert!(!is_unmatched(&err), "a remote error: {err}");
        assert!(tchannel_vcr::unmatched_request(&err).is_none());
    }
    let cassette = open(&path, RecordMode::None);
    let ch = client(&cassette, &dead_hostport().await);
    let err = ch.raw("svc", "relay").await.unwrap_err();
    assert!(
        err.message().starts_with("tchannel-vcr: no recorded"),
        "{err}"
    );
    assert!(!is_unmatched(&err), "a replayed remote error: {err}");
    // This cassette's own refusal is one, and carries the report.
    let err = ch.raw("svc", "other").await.unwrap_err();
    assert!(is_unmatched(&err), "{err}");
    let report = tchannel_vcr::unmatched_request(&err).unwrap();
    assert_eq!(report.request.endpoint, "other");
    assert_eq!(report.cassette, path);
}

/// Failed before: the guard saved on drop during the panic, so a test that failed half way
/// left a cassette holding its first calls only, which the next run (mode `once`, file
/// present) replayed and refused the rest of.
#[test]
fn a_test_that_panics_does_not_save_a_half_recorded_cassette() {
    let dir = tempfile::tempdir().unwrap();
    let path = cassette_path(&dir);
    // The server's runtime runs on its own threads while the test thread is stopped.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(Server::start());
    let hostport = server.hostport.clone();
    let test = {
        let path = path.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                let cassette = open(&path, RecordMode::Once);
                let ch = client(&cassette, &hostport);
                echo(&ch, "first").await.unwrap();
                assert_eq!(cassette.recorded_count(), 1);
                panic!("the test fails before its second call");
            })
        })
    };
    assert!(test.join().is_err(), "the test thread panicked");
    assert_eq!(server.served(), 1, "the first call was made");
    assert!(!path.exists(), "nothing saved");

    // An existing cassette is left exactly as it was.
    {
        let cassette = open(&path, RecordMode::NewEpisodes);
        runtime
            .block_on(echo(&client(&cassette, &server.hostport), "kept"))
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let result = std::panic::catch_unwind(|| {
        let cassette = open(&path, RecordMode::NewEpisodes);
        let ch = client(&cassette, &server.hostport);
        runtime.block_on(async {
            assert_eq!(echo(&ch, "kept").await.unwrap(), "kept"); // replayed
            echo(&ch, "half").await.unwrap(); // recorded
        });
        panic!("the test fails");
    });
    assert!(result.is_err());
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // `save` called explicitly still saves, and a guard dropped normally too.
    let cassette = open(&path, RecordMode::NewEpisodes);
    runtime
        .block_on(echo(&client(&cassette, &server.hostport), "new"))
        .unwrap();
    drop(cassette);
    assert_eq!(tchannel_vcr::read_cassette(&path).unwrap().len(), 2);
}

#[tokio::test]
async fn all_replays_nothing_and_keeps_only_the_new_recordings() {
    let dir = tempfile::tempdir().unwrap();
    let path = cassette_path(&dir);
    let server = Server::start().await;
    {
        let cassette = open(&path, RecordMode::Once);
        let ch = client(&cassette, &server.hostport);
        echo(&ch, "old-1").await.unwrap();
        echo(&ch, "old-2").await.unwrap();
    }
    {
        let cassette = open(&path, RecordMode::All);
        let ch = client(&cassette, &server.hostport);
        assert_eq!(echo(&ch, "old-1").await.unwrap(), "old-1");
        assert_eq!(server.served(), 3, "all does not replay");
        echo(&ch, "new").await.unwrap();
    }
    let bodies: Vec<Bytes> = open(&path, RecordMode::None)
        .interactions()
        .into_iter()
        .map(|i| i.request.body)
        .collect();
    assert_eq!(bodies, ["old-1", "new"]);
}

#[tokio::test]
async fn error_frames_are_recorded_and_replayed_with_code_and_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = cassette_path(&dir);
    let server = Server::start().await;
    {
        let cassette = open(&path, RecordMode::Once);
        let ch = client(&cassette, &server.hostport);
        let err = ch.raw("svc", "busy").await.unwrap_err();
        assert!(err.is_busy(), "{err}");
        // A local failure (no such peer) is not an interaction: nothing recorded.
        let dead = dead_hostport().await;
        let err = ch.raw("svc", "echo").hostport(dead).await.unwrap_err();
        assert!(err.is_network(), "{err}");
        assert_eq!(cassette.recorded_count(), 1);
    }
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("    error:\n      code: 3\n      message: too busy, try later\n"),
        "{text}"
    );
    let cassette = open(&path, RecordMode::Once);
    let ch = client(&cassette, &dead_hostport().await);
    let err = ch.raw("svc", "busy").await.unwrap_err();
    assert!(err.is_busy(), "{err}");
    assert_eq!(err.message(), "too busy, try later");
    assert_eq!(server.served(), 1);
}

#[tokio::test]
async fn matchers_decide_what_must_be_equal() {
    let dir = tempfile::tempdir().unwrap();
    let path = cassette_path(&dir);
    let server = Server::start().await;
    {
        let cassette = open(&path, RecordMode::Once);
        let ch = client(&cassette, &server.hostport);
        ch.raw("svc", "echo")
            .body("recorded")
            .hostport(server.hostport.clone())
            .await
            .unwrap();
    }
    let other_hostport = dead_hostport().await;

    // Without the body matcher, another body replays the recorded response; hostPort is not
    // a default matcher either.
    let matchers = [Matcher::ServiceName, Matcher::Endpoint, Matcher::ArgScheme];
    let cassette = Cassette::builder(&path).matchers(matchers).load().unwrap();
    let ch = client(&cassette, &other_hostport);
    let res = ch
        .raw("svc", "echo")
        .body("other")
        .hostport(other_hostport.clone())
        .await
        .unwrap();
    assert_eq!(res.body, "recorded");
    drop(cassette);

    // Default matchers: the body must be equal.
    let cassette = Cassette::builder(&path).load().unwrap();
    let ch = client(&cassette, &other_hostport);
    let err = ch.raw("svc", "echo").body("other").await.unwrap_err();
    assert!(
        is_unmatched(&err) && err.message().contains("body differs"),
        "{err}"
    );
    drop(cassette);

    // With hostPort: another hostport does not match.
    let cassette = Cassette::builder(&path)
        .matchers(Matcher::DEFAULT.into_iter().chain([Matcher::HostPort]))
        .load()
        .unwrap();
    let ch = client(&cassette, &other_hostport);
    let err = echo_to(&ch, &other_hostport).await.unwrap_err();
    assert!(err.message().contains("hostPort differs"), "{err}");
    assert_eq!(
        echo_to(&ch, &server.hostport).await.unwrap().body,
        "recorded"
    );
    drop(cassette);

    // Transport headers: a shard key the recording did not have.
    let cassette = Cassette::builder(&path)
        .matchers([Matcher::Endpoint, Matcher::TransportHeaders])
        .load()
        .unwrap();
    let ch = client(&cassette, &other_hostport);
    let err = echo_to(&ch, &server.hostport)
        .shard_key("k")
        .await
        .unwrap_err();
    assert!(err.message().contains("transportHeaders differs"), "{err}");
    assert_eq!(
        echo_to(&ch, &server.hostport).await.unwrap().body,
        "recorded"
    );
}

/// The call the matchers test recorded, pinned to `hostport`.
fn echo_to(ch: &TChannel, hostport: &str) -> tchannel_runtime::Call<Raw> {
    ch.raw("svc", "echo").body("recorded").hostport(hostport)
}

#[tokio::test]
async fn recording_captures_what_was_sent_and_where() {
    let dir = tempfile::tempdir().unwrap();
    let path = cassette_path(&dir);
    let server = Server::start().await;
    let cassette = open(&path, RecordMode::Once);
    let ch = client(&cassette, &server.hostport);
    let mut headers = tchannel_runtime::scheme::HeaderMap::new();
    headers.insert("h".into(), "1".into());
    ch.json("svc", "add")
        .headers(headers)
        .body(json!({"a": 2, "b": 2}))
        .shard_key("user-1")
        .await
        .unwrap();
    let i = &cassette.interactions()[0];
    let q = &i.request;
    assert_eq!(
        (q.service_name.as_str(), q.endpoint.as_str()),
        ("svc", "add")
    );
    assert_eq!(q.arg_scheme, tchannel_vcr::ArgScheme::Json);
    assert_eq!(q.headers, r#"{"h":"1"}"#);
    assert_eq!(q.body, r#"{"a":2,"b":2}"#);
    assert_eq!(q.host_port, "");
    assert_eq!(q.known_peers, vec![server.hostport.clone()]);
    let th: Vec<(String, String)> = q
        .transport_headers
        .iter()
        .map(|(k, v)| {
            (
                String::from_utf8_lossy(k).into(),
                String::from_utf8_lossy(v).into(),
            )
        })
        .collect();
    for (k, v) in [("as", "json"), ("sk", "user-1"), ("cn", "vcr-test")] {
        assert!(th.contains(&(k.into(), v.into())), "{th:?}");
    }
    assert_eq!(i.response.code, 0);
    assert_eq!(i.response.headers, r#"{"h":"1"}"#);
    assert_eq!(i.response.body, r#"{"sum":4}"#);
}

#[test]
fn a_blocking_client_replays_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = cassette_path(&dir);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    // A cassette written by hand in tchannel-python's format.
    std::fs::write(
        &path,
        "interactions:\n- request:\n    argScheme: 0\n    body: !!binary |\n      aGk=\n    endpoint: echo\n    serviceName: svc\n  response:\n    body: !!binary |\n      aGkgdGhlcmU=\n    code: 0\nversion: 1\n",
    )
    .unwrap();
    let runtime = tchannel_runtime::blocking::BlockingRuntime::new().unwrap();
    let cassette = tchannel_vcr::use_cassette(&path, RecordMode::Once).unwrap();
    let ch = cassette.channel("blocking");
    let res = runtime
        .block_on(std::future::IntoFuture::into_future(
            ch.raw("svc", "echo").body("hi"),
        ))
        .unwrap();
    assert_eq!(res.body, "hi there");
}

#[tokio::test]
async fn tracing_headers_are_recorded_but_not_matched() {
    use tchannel_runtime::trace::Baggage;
    let dir = tempfile::tempdir().unwrap();
    let path = cassette_path(&dir);
    let server = Server::start().await;
    // Baggage before the cassette: each call carries a fresh `$tracing$uber-trace-id`.
    let traced = |cassette: &Cassette, hostport: &str| {
        TChannel::builder("vcr-test")
            .known_peers([hostport])
            .outbound(Baggage)
            .outbound(cassette.middleware())
            .build()
    };
    let recorded_headers = {
        let cassette = open(&path, RecordMode::Once);
        let ch = traced(&cassette, &server.hostport);
        ch.json("svc", "add")
            .body(json!({"a": 1, "b": 1}))
            .await
            .unwrap();
        cassette.interactions()[0].request.headers.clone()
    };
    assert!(
        String::from_utf8_lossy(&recorded_headers).contains("$tracing$uber-trace-id"),
        "{recorded_headers:?}"
    );
    let cassette = open(&path, RecordMode::None);
    let ch = traced(&cassette, &dead_hostport().await);
    let res = ch
        .json("svc", "add")
        .body(json!({"a": 1, "b": 1}))
        .await
        .unwrap();
    assert_eq!(res.body, json!({"sum": 2}));
    // An application header that is not tracing still has to match.
    let mut h = tchannel_runtime::scheme::HeaderMap::new();
    h.insert("user".into(), "alice".into());
    let err = ch
        .json("svc", "add")
        .headers(h)
        .body(json!({"a": 1, "b": 1}))
        .await
        .unwrap_err();
    assert!(err.message().contains("headers differs"), "{err}");
}
