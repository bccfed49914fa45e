//! Running the tcurl binary from tests.
#![allow(dead_code)]

use serde_json::Value;
use std::process::Stdio;
use std::time::Duration;
use tchannel_runtime::TChannel;
use tokio::process::Command;

/// What one run of tcurl gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub out: Value,
    pub stderr: String,
}

/// Runs our tcurl with `args`.
pub async fn tcurl(args: &[&str]) -> Run {
    let out = tokio::time::timeout(
        Duration::from_secs(60),
        Command::new(env!("CARGO_BIN_EXE_tcurl"))
            .args(args)
            .stdin(Stdio::null())
            .output(),
    )
    .await
    .expect("tcurl finished within 60s")
    .expect("tcurl runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let out_json = if stdout.trim().is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("stdout {stdout:?}: {e}"))
    };
    Run {
        code: out.status.code().unwrap_or(-1),
        out: out_json,
        stderr,
    }
}

/// `peers/thrift/keyvalue.thrift`.
pub fn kv_idl() -> String {
    tchannel_tests::keyvalue_idl()
}

/// `tests/thrift/rich.thrift`.
pub fn rich_idl() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/thrift/rich.thrift").to_string()
}

/// A Rust KeyValue server (the Getting Started example) on `service`, plus the interop
/// raw/json endpoints of the test harness.
pub async fn rust_server(service: &str) -> (TChannel, String) {
    let (ch, addr) = tchannel_tests::rust_interop_server(service).await;
    ch.register_service(keyvalue::service::KeyValueServer::new(
        keyvalue::Store::default(),
    ));
    (ch, addr)
}
