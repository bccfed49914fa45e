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

/// The `add` endpoint's request and response, as typed JSON bodies.
#[derive(serde::Serialize, serde::Deserialize)]
struct Add {
    a: i64,
    b: i64,
}
#[derive(serde::Serialize, serde::Deserialize)]
struct Sum {
    sum: i64,
}

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
        // A body that is not an `Add` is answered with a bad request naming the type.
        let add: Add = req.json()?;
        Ok(Response::from_json(&Sum {
            sum: add.a.saturating_add(add.b),
        })?)
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
        .hostport(addr)
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

    let sum: Sum = client
        .json("echo-service", "add")
        .hostport(addr)
        .body_json(&Add { a: 40, b: 2 })?
        .await?
        .into_result()? // an application error becomes an error
        .json()?;
    println!("json add -> sum={}", sum.sum);

    let res = client
        .json("echo-service", "add")
        .hostport(addr)
        .body(json!({"a": "forty", "b": 2}))
        .await;
    println!("json add of a string -> {}", res.unwrap_err());

    let err = client
        .raw("echo-service", "missing")
        .hostport(addr)
        .await
        .unwrap_err();
    println!(
        "unknown endpoint -> bad request: {} ({err})",
        err.is_bad_request()
    );

    server.close().await;
    Ok(())
}
