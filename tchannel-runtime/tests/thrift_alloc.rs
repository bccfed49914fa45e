//! Container decoding must not reserve memory for elements that are not there (issue 11,
//! item 10): a list, set or map declares its count before its elements, and a lying count
//! must not make the decoder allocate for it. The count can only be checked against the
//! smallest encoding of one element (a struct can be a single stop byte), so reserving `n`
//! elements up front lets a 16 MiB body reserve gigabytes.
//!
//! A counting allocator (one test in this binary, so nothing else allocates meanwhile)
//! records the largest single allocation made while decoding.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use tchannel_runtime::thrift::{DecodeError, Reader, TType, ThriftValue, Writer};

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

/// A struct that takes 1 KiB in memory and one stop byte on the wire when empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Big([u64; 128]);

impl ThriftValue for Big {
    const TTYPE: TType = TType::Struct;
    fn write(&self, w: &mut Writer) {
        w.write_field_stop();
    }
    fn read(r: &mut Reader) -> Result<Self, DecodeError> {
        r.enter()?;
        loop {
            let (ty, _) = r.read_field_begin()?;
            if ty == TType::Stop {
                break;
            }
            r.skip(ty)?;
        }
        r.leave();
        Ok(Big([0; 128]))
    }
}

/// The largest allocation `f` makes.
fn largest_allocation(f: impl FnOnce()) -> usize {
    LARGEST.store(0, Ordering::Relaxed);
    f();
    LARGEST.load(Ordering::Relaxed)
}

/// A container header declaring `n` elements, then `n` bytes of `0xff` (not a Thrift type):
/// the count passes the size check, and decoding fails at the first element.
fn lying(header: &[u8], n: u32) -> Bytes {
    let mut b = header.to_vec();
    b.extend_from_slice(&n.to_be_bytes());
    b.resize(b.len() + n as usize, 0xff);
    Bytes::from(b)
}

#[test]
fn a_lying_count_reserves_no_more_than_the_input() {
    const N: u32 = 1 << 20; // 1 MiB of input, claiming 1 Mi elements of 1 KiB each
    let input_len = N as usize + 6;
    let budget = 2 * input_len;

    let list = lying(&[TType::Struct as u8], N);
    let got = largest_allocation(|| {
        assert!(Vec::<Big>::read(&mut Reader::new(list.clone())).is_err());
    });
    assert!(
        got <= budget,
        "list<Big>: reserved {got} bytes for {input_len} bytes of input"
    );

    let got = largest_allocation(|| {
        assert!(HashSet::<Big>::read(&mut Reader::new(list.clone())).is_err());
    });
    assert!(
        got <= budget,
        "set<Big>: reserved {got} bytes for {input_len} bytes of input"
    );

    // A map from i8 to Big: 2 bytes per pair at the least.
    let map = lying(&[TType::I8 as u8, TType::Struct as u8], N / 2);
    let got = largest_allocation(|| {
        assert!(BTreeMap::<i8, Big>::read(&mut Reader::new(map.clone())).is_err());
    });
    assert!(
        got <= budget,
        "map<byte, Big>: reserved {got} bytes for {input_len} bytes of input"
    );

    // Honest containers still decode in full, however large.
    let mut w = Writer::new();
    vec![Big([0; 128]); 100_000].write(&mut w);
    let v = Vec::<Big>::read(&mut Reader::new(w.into_bytes())).unwrap();
    assert_eq!(v.len(), 100_000);
}
