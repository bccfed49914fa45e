//! The KeyValue service of the Getting Started guide: the generated code for
//! `thrift/service.thrift`, and an in-memory implementation of it.
//!
//! ```no_run
//! # async fn f() -> Result<(), Box<dyn std::error::Error>> {
//! use keyvalue::service::{KeyValueClient, KeyValueServer};
//! use tchannel_runtime::TChannel;
//!
//! let server = TChannel::new("keyvalue-server");
//! server.register_service(KeyValueServer::new(keyvalue::Store::default()));
//! let addr = server.listen("127.0.0.1:0").await?;
//!
//! let client = TChannel::new("keyvalue-client");
//! let kv = KeyValueClient::new(client.thrift_client("keyvalue-server").hostport(addr.to_string()));
//! kv.set_value("foo", "bar").await?;
//! assert_eq!(kv.get_value("foo").await?, "bar");
//!
//! // One call's own options and headers, and the headers of its response:
//! let reply = kv
//!     .get_value("foo")
//!     .timeout(std::time::Duration::from_millis(500))
//!     .header("user", "alice")
//!     .with_response()
//!     .await?;
//! assert_eq!(reply.value, "bar");
//! assert_eq!(reply.header("user"), Some("alice")); // `Store` echoes the caller's headers
//! # Ok(()) }
//! ```

/// Generated from `thrift/service.thrift`.
pub mod service {
    tchannel_runtime::include_thrift!("service");
}

use service::key_value::GetValueError;
use service::{KeyValue, KeyValueClient, NotFoundError};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tchannel_runtime::thrift::{Error, NoException, RequestContext};

/// The service name the guide's server uses.
pub const SERVICE: &str = "keyvalue-server";

/// An in-memory KeyValue store.
#[derive(Debug, Default)]
pub struct Store {
    values: Mutex<HashMap<String, String>>,
}

impl KeyValue for Store {
    async fn get_value(
        &self,
        ctx: &RequestContext,
        key: String,
    ) -> Result<String, Error<GetValueError>> {
        // Application headers travel both ways: echo the caller's back.
        for (k, v) in &ctx.headers {
            ctx.set_response_header(k.clone(), v.clone());
        }
        let values = self.values.lock().unwrap_or_else(|p| p.into_inner());
        match values.get(&key) {
            Some(v) => Ok(v.clone()),
            None => Err(NotFoundError { key }.into()),
        }
    }

    async fn set_value(
        &self,
        _ctx: &RequestContext,
        key: String,
        value: String,
    ) -> Result<(), Error<NoException>> {
        self.values
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, value);
        Ok(())
    }
}

/// The guide's client steps: set a value, read it back (once plainly, once with a header of
/// its own and the response's headers), read a missing key (which fails with the declared
/// `NotFoundError`). Prints each step.
pub async fn walkthrough(
    kv: &KeyValueClient<tchannel_runtime::ThriftClient>,
) -> Result<(), Box<dyn std::error::Error>> {
    kv.set_value("foo", "bar").await?;
    println!("setValue(\"foo\", \"bar\")");
    println!("getValue(\"foo\") = {:?}", kv.get_value("foo").await?);
    let reply = kv
        .get_value("foo")
        .timeout(Duration::from_millis(500))
        .header("user", "alice")
        .with_response()
        .await?;
    println!(
        "getValue(\"foo\") with header user=alice = {:?}, response headers {:?}",
        reply.value, reply.headers
    );
    match kv.get_value("missing").await {
        Err(Error::Exception(GetValueError::NotFound(nf))) => {
            println!(
                "getValue(\"missing\") -> NotFoundError {{ key: {:?} }}",
                nf.key
            );
            Ok(())
        }
        Err(e) => Err(e.into()),
        Ok(v) => Err(format!("expected NotFoundError, got {v:?}").into()),
    }
}
