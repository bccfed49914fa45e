//! The dynamic codec must not reserve memory for list elements that are not there (issue 11,
//! item 10): a `list<Point>` declaring 1 Mi elements over 1 MiB of input passes the size check
//! (a struct can be one stop byte) and fails at its first element, and must not have reserved
//! 1 Mi JSON values first. A counting allocator (the only test in this binary) records the
//! largest single allocation.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use tcurl::codec::Idl;

struct Counting;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LARGEST.fetch_max(new_size, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

#[test]
fn a_lying_list_count_reserves_no_more_than_the_input() {
    let idl = Idl::parse(
        "t.thrift",
        "struct Point { 1: i32 x }\nstruct Path { 1: list<Point> points }",
    )
    .unwrap();
    const N: u32 = 1 << 20;
    // Path { 1: list<struct> of N } followed by N bytes that are no Thrift type.
    let mut body = vec![15, 0, 1, 12];
    body.extend_from_slice(&N.to_be_bytes());
    body.resize(body.len() + N as usize, 0xff);
    let input_len = body.len();
    let body = Bytes::from(body);

    LARGEST.store(0, Ordering::Relaxed);
    assert!(idl.decode_struct("Path", body).is_err());
    let got = LARGEST.load(Ordering::Relaxed);
    assert!(
        got <= 2 * input_len,
        "reserved {got} bytes for {input_len} bytes of input"
    );
}
