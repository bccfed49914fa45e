//! The guide's KeyValue server.
//!
//! ```text
//! cargo run -p keyvalue --bin keyvalue-server [HOST:PORT]   # default 127.0.0.1:0
//! ```

use keyvalue::service::KeyValueServer;
use std::time::Duration;
use tchannel_runtime::TChannel;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".into());
    let server = TChannel::new(keyvalue::SERVICE);
    server.register_service(KeyValueServer::new(keyvalue::Store::default()));
    let bound = server.listen(&addr).await?;
    println!("listening on {bound}");
    tokio::signal::ctrl_c().await?;
    server.close_within(Duration::from_secs(5)).await;
    Ok(())
}
