//! Typed JSON bodies, `Response::into_result` and `Call::header`, end to end over loopback.

use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;
use tchannel_runtime::{Json, Response, TChannel};

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Add {
    a: i64,
    b: i64,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Sum {
    sum: i64,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Overflow {
    kind: String,
    limit: i64,
}

async fn math() -> (TChannel, TChannel) {
    let server = TChannel::new("math");
    server.register("add", Json, |req| async move {
        let add: Add = req.json()?;
        match add.a.checked_add(add.b) {
            Some(sum) => Ok(Response::from_json(&Sum { sum })?),
            None => {
                let body = serde_json::to_value(Overflow {
                    kind: "overflow".into(),
                    limit: i64::MAX,
                })?;
                Ok(Response::app_error(body))
            }
        }
    });
    server.register("headers", Json, |req| async move {
        Ok(Response::from_json(&req.headers)?.with_headers(req.headers))
    });
    let addr = server.listen("127.0.0.1:0").await.unwrap();
    let client = TChannel::builder("client").known_peers([addr]).build();
    (server, client)
}

#[tokio::test]
async fn typed_call_to_typed_handler() {
    let (server, client) = math().await;
    let sum: Sum = client
        .json("math", "add")
        .body_json(&Add { a: 40, b: 2 })
        .unwrap()
        .await
        .unwrap()
        .into_result()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(sum, Sum { sum: 42 });
    // Untyped on the same endpoint: the wire is the same JSON.
    let res = client
        .json("math", "add")
        .body(json!({"a": 1, "b": 2}))
        .await
        .unwrap();
    assert_eq!(res.body, json!({"sum": 3}));
    server.close().await;
}

#[tokio::test]
async fn an_application_error_becomes_an_error_value_with_its_body() {
    let (server, client) = math().await;
    let res = client
        .json("math", "add")
        .body_json(&Add { a: i64::MAX, b: 1 })
        .unwrap()
        .await
        .unwrap();
    assert!(!res.ok);
    let e = res.into_result().unwrap_err();
    assert_eq!(
        e.response.json::<Overflow>().unwrap(),
        Overflow {
            kind: "overflow".into(),
            limit: i64::MAX
        }
    );
    let e = tchannel_runtime::Error::from(e);
    assert!(e.is_application_error(), "{e}");
    assert!(!e.is_unexpected() && !e.is_scheme());
    assert!(e.message().contains("overflow"), "{e}");
    server.close().await;
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_is_a_bad_request_naming_the_type() {
    let (server, client) = math().await;
    let e = client
        .json("math", "add")
        .body(json!({"a": "one", "b": 2}))
        .await
        .unwrap_err();
    assert!(e.is_bad_request(), "{e}");
    assert!(
        e.message().contains("json body is not a `typed_json::Add`"),
        "{e}"
    );
    assert!(e.message().contains("invalid type: string"), "{e}");
    // And a response of the wrong shape is a scheme error on the caller's side.
    let res = client
        .json("math", "add")
        .body_json(&Add { a: 1, b: 1 })
        .unwrap()
        .await
        .unwrap();
    let e = res.json::<Add>().unwrap_err();
    assert!(e.is_scheme(), "{e}");
    assert!(e.message().contains("missing field `a`"), "{e}");
    server.close().await;
}

#[tokio::test]
async fn a_body_json_cannot_hold_fails_before_sending() {
    let mut m = BTreeMap::new();
    m.insert(vec![1u8], 1);
    let client = TChannel::new("client");
    let Err(e) = client.json("math", "add").body_json(&m) else {
        panic!("a map with byte-string keys is not json");
    };
    assert!(e.is_scheme(), "{e}");
    assert!(e.message().contains("cannot encode"), "{e}");
}

#[tokio::test]
async fn header_adds_one_application_header_at_a_time() {
    let (server, client) = math().await;
    let res = client
        .json("math", "headers")
        .header("tenant", "7")
        .header("request-id", "r-1")
        .header("tenant", "8") // replaces
        .await
        .unwrap();
    assert_eq!(res.body, json!({"tenant": "8", "request-id": "r-1"}));
    assert_eq!(res.headers.get("tenant").map(String::as_str), Some("8"));
    assert_eq!(res.headers.len(), 2);
    server.close().await;
}

/// A response whose body does not decode fails the call with an error naming its service and
/// endpoint, however the call went: its first call (which connects), a call on the open
/// connection, and a call through an outbound middleware.
#[tokio::test]
async fn a_body_that_does_not_decode_names_the_call() {
    use tchannel_runtime::middleware::{OutboundNext, OutboundRequest};
    let server = TChannel::new("svc");
    server.register("bad", tchannel_runtime::Raw, |_req| async move {
        Ok(Response::new(bytes::Bytes::from_static(b"not json")))
    });
    let addr = server.listen("127.0.0.1:0").await.unwrap();
    let plain = TChannel::builder("client").known_peers([addr]).build();
    let layered = TChannel::builder("client")
        .known_peers([addr])
        .outbound(|req: OutboundRequest, next: OutboundNext| async move { next.run(req).await })
        .build();
    for (client, what) in [
        (&plain, "first call"),
        (&plain, "on the connection"),
        (&layered, "first call, with a layer"),
        (&layered, "on the connection, with a layer"),
    ] {
        let err = client
            .json("svc", "bad")
            .body(json!({}))
            .await
            .expect_err("not json");
        assert_eq!(err.service(), Some("svc"), "{what}: {err}");
        assert_eq!(err.endpoint(), Some("bad"), "{what}: {err}");
    }
    server.close().await;
}
