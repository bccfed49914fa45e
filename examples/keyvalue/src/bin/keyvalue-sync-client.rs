//! The guide's client without async: a plain `fn main` and the generated blocking client.
//!
//! ```text
//! cargo run -p keyvalue --bin keyvalue-sync-client HOST:PORT
//! ```

use keyvalue::service::key_value::GetValueError;
use keyvalue::service::KeyValueBlockingClient;
use std::time::Duration;
use tchannel_runtime::blocking::BlockingRuntime;
use tchannel_runtime::thrift::Error;
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
    kv.set_value("foo", "bar")?;
    println!("getValue(\"foo\") = {:?}", kv.get_value("foo")?);
    // One call's own options and the response's headers: build the call on the async client
    // and wait for it on the runtime.
    let reply = kv.runtime().block_on(
        kv.client()
            .get_value("foo")
            .timeout(Duration::from_millis(500))
            .header("user", "alice")
            .with_response(),
    )?;
    println!(
        "getValue(\"foo\") with header user=alice = {:?}, response headers {:?}",
        reply.value, reply.headers
    );
    match kv.get_value("missing") {
        Err(Error::Exception(GetValueError::NotFound(nf))) => {
            println!(
                "getValue(\"missing\") -> NotFoundError {{ key: {:?} }}",
                nf.key
            )
        }
        other => println!("unexpected: {other:?}"),
    }
    Ok(())
}
