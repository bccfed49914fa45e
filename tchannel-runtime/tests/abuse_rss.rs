//! Server memory under hostile clients, measured as the RSS of a server in a child process
//! (this test binary run again with `ABUSE_RSS_SERVER` set), so that the clients' own memory
//! is not counted: bytes per idle connection, and the growth caused by a client that writes
//! calls and never reads the answers.

mod common;

use common::call_req;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;
use tchannel_runtime::checksum::ChecksumType;
use tchannel_runtime::frame::{Frame, FrameBody, Init};
use tchannel_runtime::{Raw, Response, TChannel};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const SERVER_ENV: &str = "ABUSE_RSS_SERVER";

/// The server, when run as the child: prints its address, serves until its stdin closes.
#[test]
fn rss_server_child() {
    if std::env::var_os(SERVER_ENV).is_none() {
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let server = TChannel::new("svc");
        let big = bytes::Bytes::from(vec![7u8; 1024]);
        server.register("big", Raw, move |_req| {
            let big = big.clone();
            async move { Ok(Response::new(big)) }
        });
        let addr = server.listen("127.0.0.1:0").await.unwrap();
        println!("\nADDR={addr}");
        std::io::stdout().flush().unwrap();
        // Until the parent closes our stdin.
        tokio::task::spawn_blocking(|| {
            let mut line = String::new();
            while std::io::stdin()
                .read_line(&mut line)
                .map(|n| n > 0)
                .unwrap_or(false)
            {}
        })
        .await
        .unwrap();
        drop(server);
    });
}

struct Child {
    child: std::process::Child,
    addr: std::net::SocketAddr,
}

impl Child {
    fn start() -> Child {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "rss_server_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(SERVER_ENV, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let out = BufReader::new(child.stdout.take().unwrap());
        for line in out.lines() {
            let line = line.unwrap();
            // (libtest may print the test's name on the same line first.)
            if let Some(a) = line.split("ADDR=").nth(1) {
                return Child {
                    child,
                    addr: a.parse().unwrap(),
                };
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the server child printed no address");
    }

    /// Resident bytes of the child.
    fn rss(&self) -> usize {
        let statm = std::fs::read_to_string(format!("/proc/{}/statm", self.child.id())).unwrap();
        let pages: usize = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
        pages * 4096
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client that completes the handshake and keeps only its socket.
async fn handshake(addr: std::net::SocketAddr) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let init = Frame {
        id: 1,
        body: FrameBody::InitReq(Init {
            version: 2,
            headers: vec![
                ("host_port".into(), "0.0.0.0:0".into()),
                ("process_name".into(), "idle".into()),
            ],
        }),
    };
    s.write_all(&init.to_bytes().expect("encodes"))
        .await
        .unwrap();
    let mut head = [0u8; 16];
    s.read_exact(&mut head).await.unwrap();
    let mut rest = vec![0u8; u16::from_be_bytes([head[0], head[1]]) as usize - 16];
    s.read_exact(&mut rest).await.unwrap();
    assert_eq!(head[2], 0x02, "init res");
    s
}

async fn served(addr: std::net::SocketAddr) {
    let client = TChannel::new("client");
    let res = client
        .raw("svc", "big")
        .hostport(addr.to_string())
        .timeout(Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(res.body.len(), 1024);
    client.close().await;
}

/// Lets the server settle (its tasks run on other threads) before its RSS is read.
fn settle() {
    std::thread::sleep(Duration::from_millis(300));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_memory_under_idle_and_never_reading_clients() {
    if std::env::var_os(SERVER_ENV).is_some() {
        return;
    }
    let server = Child::start();
    let addr = server.addr;
    // Warm up: one connection served, so that what is allocated once is counted out.
    served(addr).await;
    drop(handshake(addr).await);
    settle();

    // 2,000 idle connections, each through its handshake.
    let before = server.rss();
    let mut idle = Vec::new();
    for _ in 0..2000 {
        idle.push(handshake(addr).await);
    }
    settle();
    let per_conn = server.rss().saturating_sub(before) / idle.len();
    eprintln!("RSS per idle connection: {per_conn} bytes");
    assert!(per_conn < 64 * 1024, "{per_conn} bytes per idle connection");
    served(addr).await;
    drop(idle);
    settle();

    // A client that writes 50 MB of calls (each answered with 1 KiB) and never reads.
    let before = server.rss();
    let mut s = handshake(addr).await;
    let one = call_req(
        1,
        "svc",
        "raw",
        60_000,
        [b"big", b"", b""],
        ChecksumType::None,
    );
    let per = one.to_bytes().expect("encodes").len();
    let total = 50 << 20;
    let mut id = 2u32;
    let mut written = 0;
    let mut chunk = Vec::with_capacity(64 * 1024);
    while written < total {
        chunk.clear();
        while chunk.len() + per <= 64 * 1024 {
            let mut f = one.clone();
            f.id = id;
            id += 1;
            chunk.extend_from_slice(&f.to_bytes().expect("encodes"));
        }
        // The server stops reading once its queue for us is full: our writes then block.
        match tokio::time::timeout(Duration::from_secs(1), s.write_all(&chunk)).await {
            Ok(r) => r.unwrap(),
            Err(_) => break,
        }
        written += chunk.len();
    }
    settle();
    let grew = server.rss().saturating_sub(before);
    eprintln!(
        "a client that never reads wrote {written} bytes of calls before it was held back; \
         server RSS grew by {grew} bytes"
    );
    // Its other connections are served meanwhile.
    served(addr).await;
    assert!(
        grew < 32 << 20,
        "the server grew by {grew} bytes for a client that never reads"
    );
    drop(s);
}
