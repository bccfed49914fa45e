//! Outbound and inbound middleware: order, what layers see, changing requests and responses,
//! short-circuits, errors, and every kind of client (raw, json, thrift, generated async and
//! blocking) going through the chain.

use bytes::Bytes;
use std::sync::{Arc, Mutex};
use tchannel_runtime::middleware::{
    InboundNext, InboundRequest, InboundResponse, OutboundNext, OutboundRequest, OutboundResponse,
};
use tchannel_runtime::scheme::HeaderMap;
use tchannel_runtime::{Error, ErrorCode, HandlerError, Json, Raw, Response, TChannel, Thrift};

#[allow(dead_code)]
mod meta {
    include!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/meta/generated.rs"
    ));
}

type Log = Arc<Mutex<Vec<String>>>;

fn log() -> Log {
    Arc::new(Mutex::new(Vec::new()))
}

fn push(log: &Log, s: impl Into<String>) {
    log.lock().unwrap().push(s.into());
}

fn entries(log: &Log) -> Vec<String> {
    log.lock().unwrap().clone()
}

/// An outbound layer that logs `name>` before and `<name` after.
fn outbound_marker(
    log: &Log,
    name: &'static str,
) -> impl Fn(
    OutboundRequest,
    OutboundNext,
) -> std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<OutboundResponse, Error>> + Send>,
> + Send
       + Sync
       + 'static {
    let log = log.clone();
    move |req, next| {
        let log = log.clone();
        Box::pin(async move {
            push(&log, format!("{name}>"));
            let res = next.run(req).await;
            push(&log, format!("<{name}"));
            res
        })
    }
}

async fn echo_server(builder: tchannel_runtime::ChannelBuilder) -> (TChannel, String) {
    let server = builder.build();
    server.register("echo", Raw, |req| async move {
        Ok(Response::new(req.body).with_headers(req.headers))
    });
    server.register("json", Json, |req| async move {
        let mut h = req.headers.clone();
        h.insert("seen".into(), req.headers.len().to_string());
        Ok(Response::new(req.body).with_headers(h))
    });
    server.register("busy", Raw, |_req| async move {
        Err::<Response<Raw>, _>(HandlerError::busy("full"))
    });
    server.register("thrift-fail", Thrift, |_req| async move {
        Ok(Response::app_error(Bytes::from_static(b"\x00")))
    });
    let addr = server.listen("127.0.0.1:0").await.unwrap().to_string();
    (server, addr)
}

#[tokio::test]
async fn outbound_layers_run_outermost_first_and_see_the_encoded_call() {
    let (server, addr) = echo_server(TChannel::builder("server")).await;
    let l = log();
    let seen = Arc::new(Mutex::new(None::<OutboundRequest>));
    let seen2 = seen.clone();
    let client = TChannel::builder("client")
        .outbound(outbound_marker(&l, "a"))
        .outbound(outbound_marker(&l, "b"))
        .outbound(move |req: OutboundRequest, next: OutboundNext| {
            *seen2.lock().unwrap() = Some(req.clone());
            next.run(req)
        })
        .build();
    let res = client
        .raw("server", "echo")
        .hostport(addr.clone())
        .headers("h")
        .body("hello")
        .shard_key("k1")
        .await
        .unwrap();
    assert_eq!(res.body, "hello");
    assert_eq!(entries(&l), ["a>", "b>", "<b", "<a"]);
    let req = seen.lock().unwrap().take().unwrap();
    assert_eq!(req.service, "server");
    assert_eq!(req.endpoint, "echo");
    assert_eq!(req.scheme(), "raw");
    assert_eq!(req.headers, "h");
    assert_eq!(req.body, "hello");
    assert_eq!(req.transport.get("as"), Some("raw"));
    assert_eq!(req.transport.get("cn"), Some("client"));
    assert_eq!(req.transport.get("re"), Some("c"));
    assert_eq!(req.transport.get("sk"), Some("k1"));
    assert_eq!(req.options.get_hostport(), Some(addr.as_str()));
    let span = req
        .options
        .get_tracing()
        .expect("the span is fixed before layers run");
    assert_eq!(span.parent_id, 0);
    assert_eq!(span.trace_id, span.span_id);
    server.close().await;
}

#[tokio::test]
async fn outbound_layers_change_request_and_response() {
    let (server, addr) = echo_server(TChannel::builder("server")).await;
    let client = TChannel::builder("client")
        .outbound(|mut req: OutboundRequest, next: OutboundNext| async move {
            let mut h = req.json_headers()?;
            h.insert("added".into(), "yes".into());
            req.set_header_map(&h)?;
            let mut res = next.run(req).await?;
            res.body = Bytes::from(format!(
                "{{\"wrapped\":{}}}",
                std::str::from_utf8(&res.body).unwrap()
            ));
            Ok(res)
        })
        .build();
    let res = client
        .json("server", "json")
        .hostport(addr)
        .body(serde_json::json!(7))
        .await
        .unwrap();
    assert_eq!(res.headers.get("added").map(String::as_str), Some("yes"));
    assert_eq!(res.headers.get("seen").map(String::as_str), Some("1"));
    assert_eq!(res.body, serde_json::json!({"wrapped": 7}));
    server.close().await;
}

#[tokio::test]
async fn outbound_layer_short_circuits_without_the_network() {
    // No peers at all: only the layer can answer.
    let client = TChannel::builder("client")
        .outbound(|req: OutboundRequest, _next: OutboundNext| async move {
            if req.endpoint == "cached" {
                Ok(OutboundResponse::new(true, "{}", "\"from cache\""))
            } else {
                Err(Error::from_code(ErrorCode::Declined, "not cached"))
            }
        })
        .build();
    let res = client.json("nowhere", "cached").await.unwrap();
    assert_eq!(res.body, serde_json::json!("from cache"));
    let err = client.json("nowhere", "other").await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::Declined));
}

#[tokio::test]
async fn outbound_layers_see_error_frames_and_application_errors() {
    let (server, addr) = echo_server(TChannel::builder("server")).await;
    let outcomes = log();
    let o = outcomes.clone();
    let client = TChannel::builder("client")
        .outbound(move |req: OutboundRequest, next: OutboundNext| {
            let o = o.clone();
            async move {
                let scheme = req.scheme().to_owned();
                let res = next.run(req).await;
                push(
                    &o,
                    match &res {
                        Ok(r) => format!("{scheme} ok={}", r.ok),
                        Err(e) => format!("{scheme} err={:?}", e.code()),
                    },
                );
                res
            }
        })
        .build();
    let err = client
        .raw("server", "busy")
        .hostport(addr.clone())
        .retry_on(tchannel_runtime::RetryOn::Never)
        .await
        .unwrap_err();
    assert!(err.is_busy());
    let res = client
        .call::<Thrift>("server", "thrift-fail")
        .hostport(addr.clone())
        .await
        .unwrap();
    assert!(!res.ok);
    assert_eq!(
        entries(&outcomes),
        ["raw err=Some(Busy)", "thrift ok=false"]
    );
    server.close().await;
}

#[tokio::test]
async fn generated_thrift_clients_async_and_blocking_go_through_the_chain() {
    let (server, addr) = echo_server(TChannel::builder("server")).await;
    let l = log();
    let l2 = l.clone();
    let client = TChannel::builder("client")
        .outbound(move |req: OutboundRequest, next: OutboundNext| {
            push(
                &l2,
                format!("{} {} {}", req.scheme(), req.service, req.endpoint),
            );
            let token = req.json_headers().unwrap().get("token").cloned();
            push(&l2, format!("token={token:?}"));
            next.run(req)
        })
        .build();
    let transport = client
        .thrift_client("server")
        .hostport(addr.clone())
        .header("token", "t1");
    let meta = meta::MetaClient::new(transport.clone());
    assert!(meta.health(Default::default()).await.unwrap().ok);

    let rt = tchannel_runtime::blocking::BlockingRuntime::new().unwrap();
    let ok = tokio::task::spawn_blocking(move || {
        let blocking = meta::MetaBlockingClient::new(transport, &rt);
        blocking.health(Default::default()).unwrap().ok
    })
    .await
    .unwrap();
    assert!(ok);
    assert_eq!(
        entries(&l),
        [
            "thrift server Meta::health",
            "token=Some(\"t1\")",
            "thrift server Meta::health",
            "token=Some(\"t1\")"
        ]
    );
    server.close().await;
}

#[tokio::test]
async fn inbound_auth_check_declines_or_passes() {
    let (server, addr) = echo_server(TChannel::builder("server").inbound(
        |req: InboundRequest, next: InboundNext| async move {
            if req.json_headers()?.get("auth").map(String::as_str) != Some("secret") {
                return Err(Error::from_code(ErrorCode::Declined, "no auth"));
            }
            next.run(req).await
        },
    ))
    .await;
    let client = TChannel::new("client");
    let err = client
        .json("server", "json")
        .hostport(addr.clone())
        .retry_on(tchannel_runtime::RetryOn::Never)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::Declined));
    assert!(err.to_string().contains("no auth"), "{err}");

    let mut h = HeaderMap::new();
    h.insert("auth".into(), "secret".into());
    let res = client
        .json("server", "json")
        .hostport(addr.clone())
        .headers(h)
        .body(serde_json::json!("x"))
        .await
        .unwrap();
    assert_eq!(res.body, "x");
    // Undecodable json headers (spoiled by an outbound layer): the `?` on json_headers()
    // answers bad request.
    let spoiler = TChannel::builder("client")
        .outbound(|mut req: OutboundRequest, next: OutboundNext| {
            req.headers = Bytes::from_static(b"[not an object");
            next.run(req)
        })
        .build();
    let err = spoiler
        .json("server", "json")
        .hostport(addr)
        .await
        .unwrap_err();
    assert!(err.is_bad_request(), "{err}");
    server.close().await;
}

#[tokio::test]
async fn inbound_layers_order_short_circuit_rewrite_and_see_unknown_endpoints() {
    let l = log();
    let l_a = l.clone();
    let l_b = l.clone();
    let (server, addr) = echo_server(
        TChannel::builder("server")
            .inbound(move |req: InboundRequest, next: InboundNext| {
                let l = l_a.clone();
                async move {
                    push(
                        &l,
                        format!(
                            "a> {} {} as={}",
                            req.service, req.endpoint, req.transport.scheme
                        ),
                    );
                    let res = next.run(req).await;
                    push(
                        &l,
                        format!(
                            "<a {}",
                            match &res {
                                Ok(r) => format!("ok={}", r.ok),
                                Err(e) => format!("{:?}", e.code()),
                            }
                        ),
                    );
                    res
                }
            })
            .inbound(move |mut req: InboundRequest, next: InboundNext| {
                let l = l_b.clone();
                async move {
                    push(&l, "b>");
                    if req.endpoint == "canned" {
                        return Ok(InboundResponse::new(true, "", "canned answer"));
                    }
                    if req.endpoint == "alias" {
                        req.endpoint = "echo".into();
                    }
                    let mut res = next.run(req).await?;
                    res.transport.insert("x-mw", "1");
                    Ok(res)
                }
            }),
    )
    .await;
    let client = TChannel::new("client");
    let res = client
        .raw("server", "alias")
        .hostport(addr.clone())
        .body("b")
        .await
        .unwrap();
    assert_eq!(res.body, "b");
    assert_eq!(res.transport.get("x-mw"), Some("1"));
    assert_eq!(res.transport.get("as"), Some("raw"));
    let res = client
        .raw("server", "canned")
        .hostport(addr.clone())
        .await
        .unwrap();
    assert_eq!(res.body, "canned answer");
    assert_eq!(res.transport.get("as"), Some("raw"));
    let err = client
        .raw("server", "nope")
        .hostport(addr.clone())
        .await
        .unwrap_err();
    assert!(err.is_bad_request(), "{err}");
    assert_eq!(
        entries(&l),
        [
            "a> server alias as=raw",
            "b>",
            "<a ok=true",
            "a> server canned as=raw",
            "b>",
            "<a ok=true",
            "a> server nope as=raw",
            "b>",
            "<a Some(BadRequest)",
        ]
    );
    server.close().await;
}

#[tokio::test]
async fn inbound_layer_errors_keep_their_code_and_others_are_unexpected() {
    let (server, addr) = echo_server(TChannel::builder("server").inbound(
        |req: InboundRequest, next: InboundNext| async move {
            match req.endpoint.as_str() {
                "busy-mw" => Err(Error::from_code(ErrorCode::Busy, "shed")),
                "codeless" => {
                    // An error without a wire code (here a scheme error).
                    use tchannel_runtime::Scheme;
                    Json::decode_headers(Bytes::from_static(b"[1]"))?;
                    unreachable!("[1] is not a header map")
                }
                _ => next.run(req).await,
            }
        },
    ))
    .await;
    let client = TChannel::new("client");
    let err = client
        .raw("server", "busy-mw")
        .hostport(addr.clone())
        .retry_on(tchannel_runtime::RetryOn::Never)
        .await
        .unwrap_err();
    assert!(err.is_busy(), "{err}");
    let err = client
        .raw("server", "codeless")
        .hostport(addr.clone())
        .retry_on(tchannel_runtime::RetryOn::Never)
        .await
        .unwrap_err();
    assert!(err.is_unexpected(), "{err}");
    // The handler's own error frame passes through the layer unchanged.
    let err = client
        .raw("server", "busy")
        .hostport(addr)
        .retry_on(tchannel_runtime::RetryOn::Never)
        .await
        .unwrap_err();
    assert!(err.is_busy(), "{err}");
    server.close().await;
}

#[tokio::test]
async fn inbound_layers_see_thrift_calls_of_generated_services() {
    // Every channel serves the generated Meta service: guard it with a thrift header check.
    let seen = log();
    let s2 = seen.clone();
    let (server, addr) = echo_server(TChannel::builder("server").inbound(
        move |req: InboundRequest, next: InboundNext| {
            let seen = s2.clone();
            async move {
                let token = req.json_headers()?.get("token").cloned();
                push(
                    &seen,
                    format!("{} {} {token:?}", req.transport.scheme, req.endpoint),
                );
                if token.as_deref() != Some("t1") {
                    return Err(Error::from_code(ErrorCode::Declined, "no token"));
                }
                next.run(req).await
            }
        },
    ))
    .await;
    let client = TChannel::new("client");
    let with = meta::MetaClient::new(
        client
            .thrift_client("server")
            .hostport(addr.clone())
            .header("token", "t1"),
    );
    assert!(with.health(Default::default()).await.unwrap().ok);
    let without = meta::MetaClient::new(
        client
            .thrift_client("server")
            .hostport(addr)
            .retry_on(tchannel_runtime::RetryOn::Never),
    );
    let err = without.health(Default::default()).await.unwrap_err();
    assert!(err.to_string().contains("no token"), "{err}");
    assert_eq!(
        entries(&seen),
        [
            "thrift Meta::health Some(\"t1\")",
            "thrift Meta::health None"
        ]
    );
    server.close().await;
}

/// Time an outbound layer spends before it passes the call on counts against the call's
/// timeout: a call whose layer takes longer than its timeout fails as a timeout at the
/// timeout (its request is not sent after it), and one whose layer takes part of it is sent
/// with what is left as its ttl.
#[tokio::test(start_paused = true)]
async fn time_in_an_outbound_layer_counts_against_the_timeout() {
    use std::time::Duration;
    let (server, addr) = echo_server(TChannel::builder("svc")).await;
    let ttls = log();
    let seen = ttls.clone();
    server.register("ttl", Raw, move |req| {
        let seen = seen.clone();
        async move {
            push(&seen, req.transport.ttl.as_millis().to_string());
            Ok(Response::new(req.body))
        }
    });
    let client = TChannel::builder("client")
        .outbound(|req: OutboundRequest, next: OutboundNext| async move {
            let ms: u64 = std::str::from_utf8(&req.body).unwrap().parse().unwrap();
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(req).await
        })
        .build();

    let start = tokio::time::Instant::now();
    let e = client
        .raw("svc", "ttl")
        .hostport(&addr)
        .body("300")
        .timeout(Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(e.is_timeout(), "{e}");
    assert!(
        start.elapsed() <= Duration::from_millis(210),
        "{:?}",
        start.elapsed()
    );
    assert!(
        entries(&ttls).is_empty(),
        "sent after its timeout: {:?}",
        entries(&ttls)
    );

    client
        .raw("svc", "ttl")
        .hostport(&addr)
        .body("400")
        .timeout(Duration::from_secs(1))
        .await
        .unwrap();
    let ttl: u64 = entries(&ttls)[0].parse().unwrap();
    assert!(ttl <= 600, "ttl {ttl} ms after 400 ms in the layer");
}
