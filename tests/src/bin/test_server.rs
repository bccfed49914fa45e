//! The cross-language test server of uber/tchannel (`docs/cross_language_testing/`): listens
//! on 127.0.0.1 (an ephemeral port unless `--port` says otherwise), prints
//! `listening on HOST:PORT` on a line by itself once it accepts calls, and serves service
//! `test_as_raw` (`as=raw`):
//!
//! - `echo`: answers arg2 and arg3 as received, whole;
//! - `streaming_echo`: answers each piece of arg2 and arg3 as it arrives, in constant memory.
//!
//! Both answer a call whose `as` header is not `raw` with a bad-request error, as
//! tchannel-node's own test service does. Test programs such as tchannel-node's
//! `test/streaming_bisect.js --host HOST:PORT` run against it.
//!
//! ```text
//! test_server [--host 127.0.0.1] [--port 0]
//! ```

use std::io::Write;
use tchannel_runtime::{HandlerError, Raw, Response, TChannel, TransportInfo};

fn expect_raw(t: &TransportInfo) -> Result<(), HandlerError> {
    if t.scheme == "raw" {
        Ok(())
    } else {
        Err(HandlerError::bad_request(
            "expected as=raw transport header",
        ))
    }
}

#[tokio::main]
async fn main() {
    let mut host = "127.0.0.1".to_owned();
    let mut port = "0".to_owned();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let slot = match a.as_str() {
            "--host" => &mut host,
            "--port" => &mut port,
            _ => {
                eprintln!("usage: test_server [--host HOST] [--port PORT]");
                std::process::exit(2);
            }
        };
        *slot = args.next().unwrap_or_default();
    }

    let ch = TChannel::new("test_as_raw");
    ch.register("echo", Raw, |req| async move {
        expect_raw(&req.transport)?;
        Ok(Response::new(req.body).with_headers(req.headers))
    });
    ch.register_streaming("streaming_echo", |mut req, mut res| async move {
        expect_raw(&req.transport)?;
        while let Some(piece) = req.args.arg2_chunk().await? {
            res.write_arg2(piece).await?;
        }
        // The head goes out before the body starts, as a streaming peer would see it.
        res.flush().await?;
        while let Some(piece) = req.args.arg3_chunk().await? {
            res.write_arg3(piece).await?;
            res.flush().await?;
        }
        res.finish().await?;
        Ok(())
    });
    let addr = match ch.listen(&format!("{host}:{port}")).await {
        Ok(a) => a,
        Err(e) => {
            eprintln!("test_server: {e}");
            std::process::exit(1);
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {addr}");
    let _ = out.flush();
    drop(out);
    std::future::pending::<()>().await;
}
