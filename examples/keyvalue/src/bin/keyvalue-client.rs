//! The guide's KeyValue client: set a value, get it back, get a missing key.
//!
//! ```text
//! cargo run -p keyvalue --bin keyvalue-client HOST:PORT
//! ```

use keyvalue::service::KeyValueClient;
use std::time::Duration;
use tchannel_runtime::TChannel;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let hostport = std::env::args()
        .nth(1)
        .ok_or("usage: keyvalue-client HOST:PORT")?;
    let channel = TChannel::new("keyvalue-client");
    let kv = KeyValueClient::new(
        channel
            .thrift_client(keyvalue::SERVICE)
            .hostport(hostport)
            .timeout(Duration::from_secs(1)),
    );
    keyvalue::walkthrough(&kv).await
}
