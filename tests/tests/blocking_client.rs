//! The blocking client from plain threads: no async runtime of the caller's.

use keyvalue::service::key_value::GetValueError;
use keyvalue::service::{KeyValueBlockingClient, KeyValueServer};
use std::time::Duration;
use tchannel_runtime::blocking::BlockingRuntime;
use tchannel_runtime::TChannel;

/// A KeyValue server on its own runtime (standing in for another process).
fn start_server(runtime: &BlockingRuntime, addr: &str) -> (TChannel, String) {
    let server = TChannel::new(keyvalue::SERVICE);
    server.register_service(KeyValueServer::new(keyvalue::Store::default()));
    let bound = runtime.block_on(server.listen(addr)).unwrap();
    (server, bound.to_string())
}

#[test]
fn blocking_calls_concurrency_and_reconnect() {
    let server_rt = BlockingRuntime::new().unwrap();
    let (server, hp) = start_server(&server_rt, "127.0.0.1:0");

    let runtime = BlockingRuntime::new().unwrap();
    let channel = TChannel::new("sync-client");
    let kv = KeyValueBlockingClient::new(
        channel
            .thrift_client(keyvalue::SERVICE)
            .hostport(&hp)
            .timeout(Duration::from_secs(2)),
        &runtime,
    );
    kv.set_value("a", "1").unwrap();
    assert_eq!(kv.get_value("a").unwrap(), "1");
    let e = kv.get_value("zz").unwrap_err();
    assert!(matches!(e.exception(), Some(GetValueError::NotFound(nf)) if nf.key == "zz"));

    // Many calls in flight at once, then wait for each.
    let pending: Vec<_> = (0..50)
        .map(|i| {
            let c = kv.client().clone();
            runtime.spawn(async move { c.set_value(format!("k{i}"), i.to_string()).await })
        })
        .collect();
    for p in pending {
        p.wait().unwrap();
    }
    assert_eq!(kv.get_value("k42").unwrap(), "42");

    // The server restarts on the same address: calls fail while it is down, then work again
    // over a new connection.
    server_rt.block_on(server.close());
    drop(server);
    let e = kv.get_value("a").unwrap_err();
    let ce = e.call_error().expect("a call failure");
    assert!(ce.is_network() || ce.is_closed(), "{ce}");
    let (_server, hp2) = start_server(&server_rt, &hp);
    assert_eq!(hp2, hp);
    kv.set_value("b", "2").unwrap();
    assert_eq!(kv.get_value("b").unwrap(), "2");
}
