//! Thrift calls that go wrong end with the right typed error, and nothing hangs.

use bytes::Bytes;
use keyvalue::service::key_value::GetValueError;
use keyvalue::service::{KeyValue, KeyValueClient, KeyValueServer};
use std::time::Duration;
use tchannel_runtime::thrift::{Error, NoException, RequestContext};
use tchannel_runtime::{TChannel, Thrift};

const SERVICE: &str = "keyvalue-server";

/// Fails in every way a handler can: by key.
struct Faulty;

impl KeyValue for Faulty {
    async fn get_value(
        &self,
        _: &RequestContext,
        key: String,
    ) -> Result<String, Error<GetValueError>> {
        match key.as_str() {
            "slow" => {
                tokio::time::sleep(Duration::from_secs(30)).await;
                Ok("late".into())
            }
            "hang" => std::future::pending().await,
            "fail" => Err(Error::failure("database unreachable")),
            k => Err(
                GetValueError::NotFound(keyvalue::service::NotFoundError { key: k.into() }).into(),
            ),
        }
    }
    async fn set_value(
        &self,
        _: &RequestContext,
        _: String,
        _: String,
    ) -> Result<(), Error<NoException>> {
        Ok(())
    }
}

async fn setup() -> (TChannel, String, TChannel) {
    let server = TChannel::new(SERVICE);
    server.register_service(KeyValueServer::new(Faulty));
    let hp = server.listen("127.0.0.1:0").await.unwrap().to_string();
    (server, hp, TChannel::new("client"))
}

#[tokio::test(start_paused = true)]
async fn timeout_is_a_typed_failure() {
    let (_s, hp, client) = setup().await;
    let kv = KeyValueClient::new(
        client
            .thrift_client(SERVICE)
            .hostport(hp)
            .timeout(Duration::from_millis(100)),
    );
    let e = kv.get_value("slow").await.unwrap_err();
    assert!(e.exception().is_none());
    assert!(e.call_error().expect("a call failure").is_timeout(), "{e}");
}

#[tokio::test]
async fn declared_exception_and_undeclared_failure() {
    let (_s, hp, client) = setup().await;
    let kv = KeyValueClient::new(client.thrift_client(SERVICE).hostport(hp));
    let e = kv.get_value("nothing-here").await.unwrap_err();
    assert!(matches!(e.exception(), Some(GetValueError::NotFound(nf)) if nf.key == "nothing-here"));
    assert!(e.call_error().is_none());
    let e = kv.get_value("fail").await.unwrap_err();
    let ce = e.call_error().expect("a call failure");
    assert!(ce.is_unexpected(), "{ce}");
    assert!(ce.message().contains("database unreachable"), "{ce}");
}

#[tokio::test]
async fn unknown_method_and_garbage_body_are_bad_requests() {
    let (_s, hp, client) = setup().await;
    let e = client
        .call::<Thrift>(SERVICE, "KeyValue::nope")
        .hostport(&hp)
        .body(Bytes::from_static(b"\x00"))
        .await
        .unwrap_err();
    assert!(e.is_bad_request(), "{e}");
    assert!(e.message().contains("KeyValue::nope"), "{e}");
    // A string field whose length runs past the end.
    let e = client
        .call::<Thrift>(SERVICE, "KeyValue::getValue")
        .hostport(&hp)
        .body(Bytes::from_static(b"\x0b\x00\x01\x00\x00\x00\x09ab"))
        .await
        .unwrap_err();
    assert!(e.is_bad_request(), "{e}");
    let m = e.message();
    assert!(
        m.contains("getValue") && m.contains("key"),
        "names the struct and field: {m}"
    );
}

#[tokio::test]
async fn server_gone_mid_call_fails_the_call() {
    let (server, hp, client) = setup().await;
    let kv = KeyValueClient::new(client.thrift_client(SERVICE).hostport(hp));
    let call = tokio::spawn(async move { kv.get_value("hang").await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    server.close().await;
    let e = tokio::time::timeout(Duration::from_secs(5), call)
        .await
        .expect("the call ends")
        .unwrap()
        .unwrap_err();
    let ce = e.call_error().expect("a call failure");
    assert!(ce.is_network() || ce.is_closed(), "{ce}");
}
