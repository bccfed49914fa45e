//! Streamed calls through a cassette (issue 14 item 7): recorded as their whole args, in
//! the same YAML as a whole call, and replayed to a streaming caller with the server gone.

use bytes::Bytes;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tchannel_runtime::{RetryOn, TChannel};
use tchannel_vcr::{is_unmatched, Cassette, RecordMode};

/// A server whose streaming `upload` answers arg2 as it came and arg3 upper-cased, piece by
/// piece; counts its runs.
async fn server() -> (TChannel, String, Arc<AtomicUsize>) {
    let ch = TChannel::new("files");
    let runs = Arc::new(AtomicUsize::new(0));
    let r = runs.clone();
    ch.register_streaming("upload", move |mut req, mut res| {
        r.fetch_add(1, Ordering::SeqCst);
        async move {
            res.write_arg2(req.args.read_arg2().await?).await?;
            while let Some(piece) = req.args.arg3_chunk().await? {
                res.write_arg3(Bytes::from(piece.to_ascii_uppercase()))
                    .await?;
                res.flush().await?;
            }
            res.finish().await?;
            Ok(())
        }
    });
    let hp = ch.listen("127.0.0.1:0").await.unwrap().to_string();
    (ch, hp, runs)
}

fn open(path: &Path, mode: RecordMode) -> Cassette {
    Cassette::builder(path).record_mode(mode).load().unwrap()
}

/// A streamed `upload` of arg2 `meta` and arg3 `body`, each written in pieces; the
/// response's arg2 and arg3, read piece by piece, and how many pieces arg3 came in.
async fn upload(
    ch: &TChannel,
    body: &[&'static str],
) -> Result<(Bytes, Bytes, usize), tchannel_runtime::Error> {
    let (mut req, res) = ch.stream("files", "upload").start().await?;
    req.write_arg2("me").await?;
    req.write_arg2("ta").await?;
    for piece in body {
        req.write_arg3(*piece).await?;
        req.flush().await?;
    }
    req.finish().await?;
    let mut res = res.await?;
    assert!(res.ok);
    let arg2 = res.args.read_arg2().await?;
    let (mut arg3, mut pieces) = (Vec::new(), 0);
    while let Some(piece) = res.args.arg3_chunk().await? {
        arg3.extend_from_slice(&piece);
        pieces += 1;
    }
    Ok((arg2, Bytes::from(arg3), pieces))
}

#[tokio::test]
async fn a_streamed_call_is_recorded_whole_and_replayed_without_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let (streamed, whole) = (
        dir.path().join("streamed.yaml"),
        dir.path().join("whole.yaml"),
    );
    let (server, hp, runs) = server().await;
    {
        let cassette = open(&streamed, RecordMode::Once);
        let ch = cassette
            .channel_builder("vcr-test")
            .known_peers([hp.as_str()])
            .build();
        let (arg2, arg3, _) = upload(&ch, &["hel", "lo ", "world"]).await.unwrap();
        assert_eq!((&arg2[..], &arg3[..]), (&b"meta"[..], &b"HELLO WORLD"[..]));
        assert_eq!(runs.load(Ordering::SeqCst), 1, "recorded from the server");
        assert_eq!(cassette.recorded_count(), 1);
    }
    {
        // The same call made whole (a stream goes with `re: n`: so does this one).
        let cassette = open(&whole, RecordMode::Once);
        let ch = cassette
            .channel_builder("vcr-test")
            .known_peers([hp.as_str()])
            .build();
        let res = ch
            .raw("files", "upload")
            .headers("meta")
            .body("hello world")
            .retry_on(RetryOn::Never)
            .await
            .unwrap();
        assert_eq!(res.body, "HELLO WORLD");
    }
    // The cassette cannot tell the streamed call from the whole one.
    let (s, w) = (
        std::fs::read_to_string(&streamed).unwrap(),
        std::fs::read_to_string(&whole).unwrap(),
    );
    assert_eq!(s, w);
    assert!(
        s.contains("SEVMTE8gV09STEQ="),
        "the response body, as !!binary: {s}"
    );
    server.close().await;
    drop(server);

    // Replayed: the server is gone, the only peer a closed port.
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .to_string();
    let cassette = open(&streamed, RecordMode::Once);
    assert!(cassette.existed() && !cassette.can_record());
    let ch = cassette
        .channel_builder("vcr-test")
        .known_peers([dead.as_str()])
        .build();
    // Written in other pieces: the same whole args.
    let (arg2, arg3, pieces) = upload(&ch, &["hello", " world"]).await.unwrap();
    assert_eq!((&arg2[..], &arg3[..]), (&b"meta"[..], &b"HELLO WORLD"[..]));
    assert_eq!(pieces, 1, "a replayed arg comes in one piece");
    assert_eq!(cassette.play_count(), 1);
    assert_eq!(
        runs.load(Ordering::SeqCst),
        2,
        "the whole call only; nothing replayed reached a server"
    );
    // Other args: not in the cassette, refused.
    let e = upload(&ch, &["bye"]).await.unwrap_err();
    assert!(is_unmatched(&e), "{e}");
}
