//! The whole guide in one process: a `keyvalue-server` channel serving the generated
//! `KeyValue` service, and a client calling it with `KeyValueClient`.
//!
//! ```text
//! cargo run -p keyvalue
//! ```

use keyvalue::service::{KeyValueClient, KeyValueServer};
use std::time::Duration;
use tchannel_runtime::TChannel;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The server: a channel named after the service, serving the KeyValue implementation.
    let server = TChannel::new(keyvalue::SERVICE);
    server.register_service(KeyValueServer::new(keyvalue::Store::default()));
    let addr = server.listen("127.0.0.1:0").await?;
    println!("listening on {addr}");

    // The client: generated KeyValueClient over a transport to that service.
    let client = TChannel::new("keyvalue-client");
    let kv = KeyValueClient::new(
        client
            .thrift_client(keyvalue::SERVICE)
            .hostport(addr.to_string())
            .timeout(Duration::from_secs(1)),
    );

    keyvalue::walkthrough(&kv).await?;

    // Every channel also answers Meta::health.
    let meta = tchannel_runtime::meta::MetaClient::new(
        client
            .thrift_client(keyvalue::SERVICE)
            .hostport(addr.to_string()),
    );
    println!(
        "Meta::health ok = {}",
        meta.health(Default::default()).await?.ok
    );

    server.close().await;
    Ok(())
}
