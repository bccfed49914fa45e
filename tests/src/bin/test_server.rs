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
//! And of service `test_control` (`as=raw`), the endpoints that manage peers:
//!
//! - `add_peer`: arg2 a service name (empty: the channel's own peers, else that
//!   sub-channel's), arg3 `host:port`s one a line; adds them without connecting, and answers
//!   arg2 back and, in arg3, the ones that were new;
//! - `clear_peers`: arg2 as for `add_peer`; forgets every peer of it, and answers arg2 back and
//!   the peers forgotten in arg3.
//!
//! The protocol's `close_connections` and `connect_to` (a new connection even when one
//! exists, answered with its init response) are not served: the channel does not expose its
//! connections for that.
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

/// The peers `service` names (empty: the channel's known peers).
fn peers_of(ch: &TChannel, service: &str) -> Vec<String> {
    match service {
        "" => ch.known_peers(),
        s => ch.sub_channel(s).peers(),
    }
}

/// Serves `test_control::add_peer` and `clear_peers` (see the module docs). The handlers
/// hold the channel: this process serves until it is killed.
fn control(ch: &TChannel) {
    let c = ch.clone();
    ch.register_for("test_control", "add_peer", Raw, move |req| {
        let c = c.clone();
        async move {
            expect_raw(&req.transport)?;
            let service = String::from_utf8_lossy(&req.headers).into_owned();
            let before = peers_of(&c, &service);
            let mut added = Vec::new();
            for hp in String::from_utf8_lossy(&req.body).lines().map(str::trim) {
                if hp.is_empty() || before.iter().chain(&added).any(|p| p == hp) {
                    continue;
                }
                match service.as_str() {
                    "" => c.add_peer(hp),
                    s => c.sub_channel(s).add_peer(hp),
                }
                added.push(hp.to_owned());
            }
            Ok(Response::<Raw>::new(added.join("\n").into()).with_headers(req.headers))
        }
    });
    let c = ch.clone();
    ch.register_for("test_control", "clear_peers", Raw, move |req| {
        let c = c.clone();
        async move {
            expect_raw(&req.transport)?;
            let service = String::from_utf8_lossy(&req.headers).into_owned();
            let cleared = peers_of(&c, &service);
            for hp in &cleared {
                match service.as_str() {
                    "" => c.remove_peer(hp.as_str()),
                    s => c.sub_channel(s).remove_peer(hp),
                }
            }
            Ok(Response::<Raw>::new(cleared.join("\n").into()).with_headers(req.headers))
        }
    });
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
    control(&ch);
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
