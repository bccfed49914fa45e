//! Streaming interop with the real tchannel-node 4.0.1:
//!
//! - tchannel-node's own `test/streaming_bisect.js`, run against our `test_server` binary
//!   (the cross-language test protocol of uber/tchannel): Node streams requests of growing
//!   head and body sizes (up to 4 MiB) into our streaming handler and reads the streamed
//!   response;
//! - our streaming client against tchannel-node's streaming `test_as_raw::streaming_echo`
//!   (`peers/node/streaming_server.js`): our streamed request in, Node's streamed response
//!   read piece by piece.

use bytes::Bytes;
use std::process::Stdio;
use std::time::Duration;
use tchannel_runtime::TChannel;
use tchannel_tests::{listening, peers_dir};
use tokio::process::Command;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_streaming_bisect_passes_against_test_server() {
    let (_server, hp) = listening(Command::new(env!("CARGO_BIN_EXE_test_server"))).await;
    let peers = peers_dir();
    let out = Command::new("node")
        .current_dir(&peers)
        // Adapts the shipped harness to today's Node and a busy machine; see the file.
        .arg("-r")
        .arg(peers.join("node/streaming_bisect_preload.js"))
        .arg(peers.join("node_modules/tchannel/test/streaming_bisect.js"))
        .args(["--host", &hp, "--sizeLimit", "4MiB", "--timeout", "20000"])
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(600), out)
        .await
        .expect("the bisect finished within 10 minutes")
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let failures: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("not ok") || l.starts_with("# Failure"))
        .take(20)
        .collect();
    assert!(
        out.status.success() && failures.is_empty(),
        "streaming_bisect failed ({}):\n{}\n--- stderr:\n{}",
        out.status,
        failures.join("\n"),
        String::from_utf8_lossy(&out.stderr)
    );
    // It ran (and explored up to the size limit), it did not just exit 0.
    let passed: usize = stdout
        .lines()
        .find_map(|l| l.strip_prefix("# pass"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a tape summary");
    assert!(passed > 100, "only {passed} assertions passed:\n{stdout}");
    for size in ["head 4MiB", "body 4MiB"] {
        assert!(stdout.contains(size), "no round with {size}");
    }
}

fn pattern(n: usize, seed: u8) -> Bytes {
    (0..n)
        .map(|i| ((i * 7 + seed as usize) % 253) as u8)
        .collect::<Vec<u8>>()
        .into()
}

#[tokio::test]
async fn rust_streams_through_node_streaming_echo() {
    let peers = peers_dir();
    let mut cmd = Command::new("node");
    cmd.arg(peers.join("node/streaming_server.js"));
    let (_node, hp) = listening(cmd).await;
    let client = TChannel::new("rust-streamer");
    for (h, b) in [(0, 0), (1, 1), (70_000, 5), (100 * 1024, 3 << 20)] {
        let head = pattern(h, 1);
        let body = pattern(b, 2);
        let (mut req, res) = client
            .stream("test_as_raw", "streaming_echo")
            .hostport(&hp)
            .start()
            .await
            .unwrap();
        let (h2, b2) = (head.clone(), body.clone());
        let writer = tokio::spawn(async move {
            for c in h2.chunks(10_000) {
                req.write_arg2(h2.slice_ref(c)).await?;
            }
            req.flush().await?;
            for c in b2.chunks(50_000) {
                req.write_arg3(b2.slice_ref(c)).await?;
                req.flush().await?;
            }
            req.finish().await
        });
        let mut res = res.await.unwrap();
        assert!(res.ok, "{h}/{b}");
        assert_eq!(res.transport.get("as"), Some("raw"));
        let got_head = res.args.read_arg2().await.unwrap();
        assert!(
            got_head == head,
            "head of {h}/{b}: {} bytes",
            got_head.len()
        );
        let (mut got, mut pieces) = (0, 0);
        while let Some(p) = res.args.arg3_chunk().await.unwrap() {
            assert!(
                p[..] == body[got..got + p.len()],
                "body of {h}/{b} at {got}"
            );
            got += p.len();
            pieces += 1;
        }
        assert_eq!(got, b, "body of {h}/{b}");
        if b > 1 << 20 {
            assert!(pieces > 1, "a {b}-byte body came in {pieces} piece(s)");
        }
        writer.await.unwrap().unwrap();
    }
}
