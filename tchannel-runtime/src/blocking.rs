//! Calls without an async runtime of your own: tchannel-python's synchronous client.
//!
//! A [`BlockingRuntime`] owns a Tokio runtime on its own thread. Generated
//! `<Service>BlockingClient`s wait on it for each call; [`BlockingRuntime::spawn`] starts
//! several calls at once and [`Pending::wait`] collects them.
//!
//! ```no_run
//! # mod kv { include!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/meta/generated.rs")); }
//! use tchannel_runtime::blocking::BlockingRuntime;
//! use tchannel_runtime::TChannel;
//!
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let runtime = BlockingRuntime::new()?;
//!     let channel = TChannel::new("my-client");
//!     let transport = channel.thrift_client("keyvalue-server").hostport("127.0.0.1:4040");
//!     // `MetaBlockingClient` is generated, as `KeyValueBlockingClient` would be.
//!     let meta = kv::MetaBlockingClient::new(transport, &runtime);
//!     assert!(meta.health(Default::default())?.ok);
//!
//!     // Several calls in flight at once:
//!     let calls: Vec<_> = (0..10)
//!         .map(|_| {
//!             let client = meta.client().clone();
//!             runtime.spawn(async move { client.health(Default::default()).await })
//!         })
//!         .collect();
//!     for c in calls {
//!         assert!(c.wait()?.ok);
//!     }
//!     Ok(())
//! }
//! ```

use std::future::{Future, IntoFuture};
use std::sync::Arc;

/// A Tokio runtime on its own thread, for blocking callers. Cheap to clone.
#[derive(Clone)]
pub struct BlockingRuntime {
    inner: Arc<Owned>,
}

struct Owned(Option<tokio::runtime::Runtime>);

impl Drop for Owned {
    fn drop(&mut self) {
        // Never block in drop: the last handle may be dropped inside async code.
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

impl std::fmt::Debug for BlockingRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockingRuntime").finish_non_exhaustive()
    }
}

impl BlockingRuntime {
    /// Starts the runtime thread.
    pub fn new() -> std::io::Result<Self> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("tchannel-blocking")
            .enable_all()
            .build()?;
        Ok(BlockingRuntime {
            inner: Arc::new(Owned(Some(rt))),
        })
    }

    fn rt(&self) -> &tokio::runtime::Runtime {
        self.inner.0.as_ref().expect("present until dropped")
    }

    /// Runs `f` to completion on the runtime, blocking this thread. `f` is a future, or a call
    /// of a generated async client with its own options:
    /// `runtime.block_on(kv.client().get_value("k").timeout(d).with_response())`.
    ///
    /// Call it from plain threads only: inside async code it panics, as Tokio's `block_on`
    /// does (use the async client there).
    pub fn block_on<F: IntoFuture>(&self, f: F) -> F::Output {
        self.rt().block_on(f.into_future())
    }

    /// Starts `f` on the runtime and returns at once; [`Pending::wait`] gets its output.
    pub fn spawn<F>(&self, f: F) -> Pending<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        Pending {
            task: self.rt().spawn(f),
            runtime: self.clone(),
        }
    }
}

/// A call started with [`BlockingRuntime::spawn`].
#[derive(Debug)]
pub struct Pending<T> {
    task: tokio::task::JoinHandle<T>,
    runtime: BlockingRuntime,
}

impl<T> Pending<T> {
    /// Waits for the output. A panic in the call is resumed here.
    pub fn wait(self) -> T {
        match self.runtime.block_on(self.task) {
            Ok(v) => v,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => panic!("call task ended without a result: {e}"),
        }
    }

    /// Whether the output is ready.
    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }
}
