//! A raw and a json endpoint served and called over TChannel, in one process.
//!
//! ```text
//! cargo run -p tchannel-examples --bin echo            # serve on an ephemeral port and call it
//! cargo run -p tchannel-examples --bin echo -- 127.0.0.1:4040   # serve there and keep serving
//! ```

use bytes::Bytes;
use serde_json::json;
use std::time::Duration;
use tchannel_runtime::{Json, Raw, Response, TChannel};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let listen = std::env::args().nth(1);

    // The server: a channel named after its service, with one handler per endpoint.
    let server = TChannel::new("echo-service");
    server.register("echo", Raw, |req| async move {
        // arg2 (headers) and arg3 (body) come back unchanged.
        Ok(Response::new(req.body).with_headers(req.headers))
    });
    server.register("add", Json, |req| async move {
        let a = req.body["a"].as_i64().unwrap_or(0);
        let b = req.body["b"].as_i64().unwrap_or(0);
        Ok(Response::new(json!({ "sum": a + b })))
    });
    let addr = server
        .listen(listen.as_deref().unwrap_or("127.0.0.1:0"))
        .await?;
    println!("listening on {addr}");

    if listen.is_some() {
        // Serve until interrupted; try it with tcurl:
        //   tcurl -p 127.0.0.1:4040 echo-service echo --raw -3 hello
        tokio::signal::ctrl_c().await?;
        server.close_within(Duration::from_secs(5)).await;
        return Ok(());
    }

    // The client: its own channel, calling the server by host:port.
    let client = TChannel::new("echo-client");
    let res = client
        .raw("echo-service", "echo")
        .hostport(addr.to_string())
        .headers(Bytes::from_static(b"a header"))
        .body("hello, tchannel")
        .timeout(Duration::from_secs(1))
        .await?;
    println!(
        "raw echo -> ok={} headers={:?} body={:?}",
        res.ok,
        String::from_utf8_lossy(&res.headers),
        String::from_utf8_lossy(&res.body)
    );

    let res = client
        .json("echo-service", "add")
        .hostport(addr.to_string())
        .body(json!({"a": 40, "b": 2}))
        .await?;
    println!("json add -> ok={} body={}", res.ok, res.body);

    let err = client
        .raw("echo-service", "missing")
        .hostport(addr.to_string())
        .await
        .unwrap_err();
    println!(
        "unknown endpoint -> bad request: {} ({err})",
        err.is_bad_request()
    );

    server.close().await;
    Ok(())
}
