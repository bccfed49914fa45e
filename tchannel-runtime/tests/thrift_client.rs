//! Generated clients over a real channel: each call carries its own options and headers and
//! gets its own response headers back, and each kind of failure arrives as its own variant of
//! `thrift::Error`.

#[allow(dead_code)] // the generated Meta module
mod kv {
    include!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/meta/generated.rs"
    ));
}

use bytes::Bytes;
use std::sync::Arc;
use std::time::Duration;
use tchannel_runtime::blocking::BlockingRuntime;
use tchannel_runtime::thrift::{
    BoxError, Error, NoException, Reply, Request, RequestContext, Response as ThriftResponse,
    Transport,
};
use tchannel_runtime::{Response, TChannel, Thrift};
use tokio::sync::Notify;

const SERVICE: &str = "meta-server";

/// `health` echoes the caller's `id` header as a response header and in its message. The
/// call with id `slow` waits for `gate`; the one with id `never` never answers. The other
/// methods fail.
struct Echo {
    gate: Arc<Notify>,
}

impl kv::Meta for Echo {
    async fn health(
        &self,
        ctx: &RequestContext,
        _: kv::HealthRequest,
    ) -> Result<kv::HealthStatus, Error<NoException>> {
        let id = ctx.headers.get("id").cloned().unwrap_or_default();
        if id == "context" {
            // What the channel put in the context, read back by the caller.
            let t = &ctx.transport_headers;
            let seen = format!(
                "{} {} {} as={:?} sk={:?}",
                ctx.service,
                ctx.method,
                ctx.caller_name,
                t.get("as"),
                t.get("sk")
            );
            return Ok(kv::HealthStatus {
                ok: true,
                message: Some(seen),
                state: None,
            });
        }
        match id.as_str() {
            "slow" => self.gate.notified().await,
            "never" => std::future::pending().await,
            _ => {
                // Let other calls overtake this one, by a different amount for each.
                for _ in 0..id.len() % 5 {
                    tokio::task::yield_now().await;
                }
            }
        }
        ctx.set_response_header("id", id.clone());
        Ok(kv::HealthStatus {
            ok: true,
            message: Some(id),
            state: None,
        })
    }

    async fn thrift_idl(&self, _: &RequestContext) -> Result<kv::ThriftIDLs, Error<NoException>> {
        Err(Error::failure("no IDL is served here"))
    }

    async fn version_info(
        &self,
        _: &RequestContext,
    ) -> Result<kv::VersionInfo, Error<NoException>> {
        Err(Error::failure("no version is served here"))
    }
}

async fn echo_server() -> (TChannel, String, Arc<Notify>) {
    let gate = Arc::new(Notify::new());
    let server = TChannel::new(SERVICE);
    server.register_service(kv::MetaServer::new(Echo { gate: gate.clone() }));
    let hp = server.listen("127.0.0.1:0").await.unwrap().to_string();
    (server, hp, gate)
}

fn client(hp: &str) -> kv::MetaClient<tchannel_runtime::ThriftClient> {
    kv::MetaClient::new(
        TChannel::new("client")
            .thrift_client(SERVICE)
            .hostport(hp)
            .timeout(Duration::from_secs(60)),
    )
}

#[tokio::test]
async fn concurrent_calls_on_one_client_each_get_their_own_response_headers() {
    let (_server, hp, _) = echo_server().await;
    let meta = client(&hp);
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..64 {
        let meta = meta.clone();
        calls.spawn(async move {
            let id = format!("call-{i}{}", "x".repeat(i % 5));
            let reply = meta
                .health(Default::default())
                .header("id", id.clone())
                .with_response()
                .await;
            (id, reply)
        });
    }
    let mut n = 0;
    while let Some(done) = calls.join_next().await {
        let (id, reply) = done.unwrap();
        let reply = reply.unwrap();
        assert_eq!(reply.header("id"), Some(id.as_str()));
        assert_eq!(reply.value.message.as_deref(), Some(id.as_str()));
        n += 1;
    }
    assert_eq!(n, 64);
}

/// The deprecated shared sink holds whichever response came last: a caller that reads it
/// after its own call may get another call's headers. Each `Reply` keeps its own.
#[tokio::test]
async fn a_reply_keeps_its_own_headers_where_the_shared_sink_shows_the_last_response() {
    let (_server, hp, gate) = echo_server().await;
    #[allow(deprecated)]
    let sink = tchannel_runtime::ResponseHeaders::default();
    #[allow(deprecated)]
    let meta = kv::MetaClient::new(
        TChannel::new("client")
            .thrift_client(SERVICE)
            .hostport(&hp)
            .response_headers(&sink),
    );
    let slow = tokio::spawn({
        let meta = meta.clone();
        async move {
            meta.health(Default::default())
                .header("id", "slow")
                .with_response()
                .await
        }
    });
    let fast = meta
        .health(Default::default())
        .header("id", "fast")
        .with_response()
        .await
        .unwrap();
    gate.notify_one();
    let slow = slow.await.unwrap().unwrap();
    assert_eq!(fast.header("id"), Some("fast"));
    assert_eq!(slow.header("id"), Some("slow"));
    #[allow(deprecated)]
    let last = sink.get();
    assert_eq!(
        last.get("id").map(String::as_str),
        Some("slow"),
        "the sink, read by the fast call's caller, shows the slow call's headers"
    );
}

#[tokio::test]
async fn the_plain_await_returns_the_value_and_transport_headers_come_back() {
    let (_server, hp, _) = echo_server().await;
    let meta = client(&hp);
    let status = meta.health(Default::default()).await.unwrap();
    assert!(status.ok);
    let reply: Reply<kv::HealthStatus> = meta
        .health(Default::default())
        .with_response()
        .await
        .unwrap();
    // No `id` was sent: the server echoes an empty one.
    assert_eq!(reply.header("id"), Some(""));
    // The call res frame's transport headers: the server names the scheme.
    assert_eq!(
        reply.transport_headers.get("as"),
        Some("thrift"),
        "{reply:?}"
    );
}

/// A handler's context names the service, method and caller of the call and holds its
/// transport headers (shared with the call frame, not copied into strings).
#[tokio::test]
async fn the_request_context_holds_the_call_names_and_transport_headers() {
    let (_server, hp, _) = echo_server().await;
    let status = client(&hp)
        .health(Default::default())
        .header("id", "context")
        .shard_key("user-42")
        .await
        .unwrap();
    assert_eq!(
        status.message.as_deref(),
        Some("meta-server Meta::health client as=Some(\"thrift\") sk=Some(\"user-42\")")
    );
}

/// The transport's application headers go with every call; a call's own header of the same
/// key replaces the transport's, for that call only.
#[tokio::test]
async fn a_calls_header_replaces_the_transports_of_the_same_key() {
    let (_server, hp, _) = echo_server().await;
    let meta = kv::MetaClient::new(
        TChannel::new("client")
            .thrift_client(SERVICE)
            .hostport(&hp)
            .header("id", "from-transport"),
    );
    let status = meta.health(Default::default()).await.unwrap();
    assert_eq!(status.message.as_deref(), Some("from-transport"));
    let status = meta
        .health(Default::default())
        .header("id", "from-call")
        .await
        .unwrap();
    assert_eq!(status.message.as_deref(), Some("from-call"));
    let status = meta.health(Default::default()).await.unwrap();
    assert_eq!(status.message.as_deref(), Some("from-transport"));
}

// ---- per-call options reach the wire ----

#[tokio::test(start_paused = true)]
async fn a_per_call_timeout_overrides_the_transports_and_is_a_typed_timeout() {
    let (_server, hp, _) = echo_server().await;
    let meta = client(&hp); // 60 s on the transport
    let start = tokio::time::Instant::now();
    let e = meta
        .health(Default::default())
        .header("id", "never")
        .timeout(Duration::from_millis(100))
        .await
        .unwrap_err();
    match &e {
        Error::Call(c) => assert!(c.is_timeout(), "{c:?}"),
        other => panic!("expected a call error, got {other:?}"),
    }
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn a_per_call_transport_header_over_its_limit_is_a_typed_bad_request() {
    let (_server, hp, _) = echo_server().await;
    let e = client(&hp)
        .health(Default::default())
        .shard_key("k".repeat(300))
        .await
        .unwrap_err();
    match &e {
        Error::Call(c) => {
            assert!(c.is_bad_request(), "{c:?}");
            assert!(c.message().contains("`sk`"), "{c}");
        }
        other => panic!("expected a call error, got {other:?}"),
    }
    assert!(e.call_error().is_some_and(|c| c.is_bad_request()));
}

// ---- typed failures ----

#[tokio::test]
async fn a_handler_failure_is_a_call_error_with_the_unexpected_code() {
    let (_server, hp, _) = echo_server().await;
    let e = client(&hp).thrift_idl().await.unwrap_err();
    match &e {
        Error::Call(c) => {
            assert!(c.is_unexpected(), "{c:?}");
            assert!(c.message().contains("no IDL is served here"), "{c}");
        }
        other => panic!("expected a call error, got {other:?}"),
    }
}

/// A server whose `Meta::health` answers with `body`, as a success or an application error.
async fn raw_health_server(ok: bool, body: &'static [u8]) -> (TChannel, String) {
    let server = TChannel::new(SERVICE);
    server.register("Meta::health", Thrift, move |_req| async move {
        let body = Bytes::from_static(body);
        Ok(if ok {
            Response::new(body)
        } else {
            Response::app_error(body)
        })
    });
    let hp = server.listen("127.0.0.1:0").await.unwrap().to_string();
    (server, hp)
}

#[tokio::test]
async fn a_reply_that_does_not_decode_is_a_decode_error_not_a_call_error() {
    // A bool field header with no id: the body ends early.
    let (_server, hp) = raw_health_server(true, b"\x02").await;
    let e = client(&hp).health(Default::default()).await.unwrap_err();
    match &e {
        Error::Decode(d) => assert!(d.to_string().contains("end of input"), "{d}"),
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(e.call_error().is_none());
    assert!(e.decode_error().is_some());
}

#[tokio::test]
async fn an_application_error_with_an_undeclared_exception_is_an_unknown_exception() {
    // The result struct with field 7 (a struct, empty) set: no exception `health` declares.
    let (_server, hp) = raw_health_server(false, b"\x0c\x00\x07\x00\x00").await;
    let e = client(&hp).health(Default::default()).await.unwrap_err();
    match &e {
        Error::UnknownException(u) => assert_eq!(u.method, "Meta::health"),
        other => panic!("expected an unknown exception, got {other:?}"),
    }
    assert!(e.to_string().contains("Meta::health"), "{e}");
}

#[tokio::test]
async fn an_application_error_carrying_a_success_value_is_an_unknown_exception() {
    // Field 0 (the `HealthStatus` success, `ok = true`) set, but sent as an application error.
    let (_server, hp) = raw_health_server(false, b"\x0c\x00\x00\x02\x00\x01\x01\x00\x00").await;
    let e = client(&hp).health(Default::default()).await.unwrap_err();
    assert!(matches!(e, Error::UnknownException(_)), "{e:?}");
}

/// A transport of the test's own that fails every call, and does not implement `send`.
struct Down;

impl Transport for Down {
    async fn call(&self, _: &'static str, _: Bytes) -> Result<ThriftResponse, BoxError> {
        Err("no route to the service".into())
    }
}

#[tokio::test]
async fn a_transport_error_that_is_not_a_tchannel_error_is_a_failure() {
    let meta = kv::MetaClient::new(Down);
    match meta.health(Default::default()).await.unwrap_err() {
        Error::Failure(f) => assert_eq!(f.to_string(), "no route to the service"),
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[tokio::test]
async fn a_transport_without_send_refuses_per_call_options_rather_than_ignoring_them() {
    let meta = kv::MetaClient::new(Down);
    let e = meta
        .health(Default::default())
        .timeout(Duration::from_millis(5))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("per-call options"), "{e}");
    let req = Request::new("Meta::health", Bytes::new());
    assert!(!req.has_options());
}

// ---- the blocking client ----

#[test]
fn a_blocking_client_sends_per_call_headers_and_gets_its_reply_headers() {
    let rt = BlockingRuntime::new().unwrap();
    let (server, hp, _) = rt.block_on(echo_server());
    let client = TChannel::new("client");
    let meta = kv::MetaBlockingClient::new(client.thrift_client(SERVICE).hostport(&hp), &rt);
    assert!(meta.health(Default::default()).unwrap().ok);
    let reply = meta
        .runtime()
        .block_on(
            meta.client()
                .health(Default::default())
                .header("id", "blocking")
                .with_response(),
        )
        .unwrap();
    assert_eq!(reply.header("id"), Some("blocking"));
    // A call with options, awaited for its value alone.
    let status = meta
        .runtime()
        .block_on(
            meta.client()
                .health(Default::default())
                .header("id", "b2")
                .timeout(Duration::from_secs(5)),
        )
        .unwrap();
    assert_eq!(status.message.as_deref(), Some("b2"));
    rt.block_on(server.close());
}
