//! Allocations per raw call, client and server in one process (issue 12: at most 3 on the
//! client and 2 on the server, so at most 5 here). A counting allocator (the only test in this binary, so
//! nothing else allocates meanwhile) counts what 1,000 sequential echo calls allocate after
//! a warm-up; the figure is an average, so a rare allocation of tokio's (a timer level, a
//! buffer growing) does not fail it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use tchannel_runtime::{Name, Raw, Response, TChannel};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_raw_call_allocates_five_times_client_and_server_together() {
    let server = TChannel::new("svc");
    server.register(
        "echo",
        Raw,
        |req| async move { Ok(Response::new(req.body)) },
    );
    let hp = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::new("client");
    let body = Bytes::from(vec![b'x'; 100]);
    // Names made once (a `&str` is copied into each call's names: two allocations more).
    let hp = Name::from(hp);
    let call = || async {
        let res = client
            .raw(Name::from_static("svc"), Name::from_static("echo"))
            .hostport(hp.clone())
            .body(body.clone())
            .await
            .unwrap();
        assert!(res.ok);
        assert_eq!(res.body.len(), 100);
    };
    // Connect, and let the buffers and tables reach their working size.
    for _ in 0..200 {
        call().await;
    }
    const CALLS: usize = 1_000;
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..CALLS {
        call().await;
    }
    let per_call = (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / CALLS as f64;
    // The client: its boxed call future, the response's oneshot, the response's transport
    // headers as decoded; the server: its boxed handler future, the request's transport
    // headers as decoded. A call's default headers (`as`, `cn`, `re`) and a response's `as`
    // are lists shared by every call: no allocation (7 per call before they were).
    assert!(
        per_call <= 5.2,
        "{per_call:.2} allocations per call, client and server together"
    );
    client.close().await;
    server.close().await;
}
