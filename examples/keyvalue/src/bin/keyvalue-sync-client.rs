//! The guide's client without async: a plain `fn main` and the generated blocking client.
//!
//! ```text
//! cargo run -p keyvalue --bin keyvalue-sync-client HOST:PORT
//! ```

use keyvalue::service::KeyValueBlockingClient;
use std::time::Duration;
use tchannel_runtime::blocking::BlockingRuntime;
use tchannel_runtime::TChannel;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let hostport = std::env::args()
        .nth(1)
        .ok_or("usage: keyvalue-sync-client HOST:PORT")?;
    // The runtime owns its thread; nothing async is needed here.
    let runtime = BlockingRuntime::new()?;
    let channel = TChannel::new("keyvalue-sync-client");
    let kv = KeyValueBlockingClient::new(
        channel
            .thrift_client(keyvalue::SERVICE)
            .hostport(hostport)
            .timeout(Duration::from_secs(1)),
        &runtime,
    );
    kv.set_value("foo".into(), "bar".into())?;
    println!("getValue(\"foo\") = {:?}", kv.get_value("foo".into())?);
    match kv.get_value("missing".into()) {
        Err(e) if e.exception().is_some() => println!("getValue(\"missing\") -> {e:?}"),
        other => println!("unexpected: {other:?}"),
    }
    Ok(())
}
