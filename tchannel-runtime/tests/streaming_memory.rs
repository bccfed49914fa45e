//! A streamed body far larger than anything the channel may buffer passes through in constant
//! memory: 256 MiB echoed through a streaming handler, between two channels whose largest
//! message is 4 MiB, while a counting global allocator (this test binary's own) tracks the
//! peak of live heap memory of both ends together.

use bytes::Bytes;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use tchannel_runtime::{Raw, Response, TChannel};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    let now = LIVE.fetch_add(n, Ordering::Relaxed) + n;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size > layout.size() {
                grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const PIECE: usize = 64 * 1024;
const TOTAL: usize = 256 << 20;
const MAX_MESSAGE: usize = 4 << 20;
const PEAK_BOUND: usize = 32 << 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_256_mib_stream_passes_in_constant_memory() {
    let server = TChannel::builder("big")
        .max_message_size(MAX_MESSAGE)
        .build();
    server.register_streaming("echo", |mut req, mut res| async move {
        while let Some(piece) = req.args.arg3_chunk().await? {
            res.write_arg3(piece).await?;
        }
        res.finish().await?;
        Ok(())
    });
    server.register(
        "whole",
        Raw,
        |req| async move { Ok(Response::new(req.body)) },
    );
    let hp = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::builder("client")
        .max_message_size(MAX_MESSAGE)
        .build();

    // A whole message of this size is refused: the limit is real.
    let too_big = client
        .raw("big", "whole")
        .hostport(&hp)
        .body(vec![0u8; MAX_MESSAGE + 1])
        .await
        .unwrap_err();
    assert!(too_big.is_bad_request(), "{too_big}");

    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let (mut req, res) = client
        .stream("big", "echo")
        .hostport(&hp)
        .start()
        .await
        .unwrap();
    let piece: Bytes = (0..PIECE)
        .map(|i| (i % 251) as u8)
        .collect::<Vec<_>>()
        .into();
    let writer = tokio::spawn(async move {
        for _ in 0..TOTAL / PIECE {
            req.write_arg3(piece.clone()).await?;
        }
        req.finish().await
    });
    let mut res = res.await.unwrap();
    assert!(res.ok);
    let mut got = 0;
    while let Some(p) = res.args.arg3_chunk().await.unwrap() {
        // The pattern restarts every PIECE bytes: spot-check where this piece starts.
        assert_eq!(p[0], ((got % PIECE) % 251) as u8, "at byte {got}");
        got += p.len();
    }
    writer.await.unwrap().unwrap();
    assert_eq!(got, TOTAL);
    let peak = PEAK.load(Ordering::Relaxed) - base;
    eprintln!(
        "{} MiB echoed; peak live heap above the start: {:.1} MiB",
        TOTAL >> 20,
        peak as f64 / (1 << 20) as f64
    );
    assert!(
        peak < PEAK_BOUND,
        "peak live heap grew by {peak} bytes while streaming"
    );
    server.close().await;
}
