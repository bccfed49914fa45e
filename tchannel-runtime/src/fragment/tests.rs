use super::*;
use crate::frame::TransportHeaders;

const NO_CSUM: Checksum = Checksum {
    kind: ChecksumType::None,
    value: 0,
};

/// The tracing fields of the one-pass tests: every byte of them distinct from a default.
const SOME_TRACING: Tracing = Tracing {
    span_id: 0x0102_0304_0506_0708,
    parent_id: 9,
    trace_id: 0xFFFF_0000_FFFF_0000,
    flags: 1,
};

/// Every checksum type.
const ALL_CHECKSUMS: [ChecksumType; 4] = [
    ChecksumType::None,
    ChecksumType::Crc32,
    ChecksumType::Farmhash32,
    ChecksumType::Crc32c,
];

fn req() -> FirstFrame {
    FirstFrame::Req(CallReq {
        ttl: 1000,
        service: Bytes::from_static(b"svc"),
        ..Default::default()
    })
}

fn res() -> FirstFrame {
    FirstFrame::Res(CallRes::default())
}

/// The part of each frame after the type-specific fields: `flags csumtype csum chunks`,
/// the form Go's fragmentation tests print.
fn tails(frames: &[Frame]) -> Vec<String> {
    frames
        .iter()
        .map(|f| {
            let full = f.to_bytes().unwrap();
            let skip = 16
                + match &f.body {
                    FrameBody::CallReq(r) => r.prefix_len() - 1,
                    FrameBody::CallRes(r) => r.prefix_len() - 1,
                    _ => 0,
                };
            // Keep the flags byte: it is the first byte of the payload for all three types.
            let mut out = hex::encode(&full[16..17]);
            out.push_str(&hex::encode(&full[skip + 1..]));
            out
        })
        .collect()
}

/// Go's `fragmentation_test.go` cases: 16-byte fragments (6 bytes of flags and CRC-32,
/// then 10 bytes of chunks), the first frame given the same 10 bytes.
fn go_fragment(args: [&'static [u8]; 3]) -> Vec<String> {
    let mut frames = Vec::new();
    Fragmenter::with_limits(1, res(), ChecksumType::Crc32, 16, 10)
        .write_all(args.map(Bytes::from_static), &mut |fr| frames.push(fr));
    tails(&frames)
}

#[test]
fn go_vectors() {
    assert_eq!(
        go_fragment([b"", b"", b""]),
        vec!["000100000000000000000000"]
    );
    assert_eq!(
        go_fragment([b"A", b"B", b"C"]),
        vec!["0001a3830348000141000142000143"]
    );
    let five = go_fragment([b"ABCDEFHIJKLM", b"NOPQRZTUWXYZ", b"012345678"]);
    let h = |s: &str| hex::encode(s);
    assert_eq!(
        five,
        vec![
            format!("010198439a450008{}", h("ABCDEFHI")),
            format!("0101afb99c980004{}0002{}", h("JKLM"), h("NO")),
            format!("010123ae2f370008{}", h("PQRZTUWX")),
            format!("0101a29374d80002{}0004{}", h("YZ"), h("0123")),
            format!("0001f329bbd10005{}", h("45678")),
        ]
    );
}

fn fragment(first: FirstFrame, args: [Bytes; 3], csum: ChecksumType) -> Vec<Frame> {
    let mut frames = Vec::new();
    let arg1_len = args[0].len();
    Fragmenter::new(7, first, csum, arg1_len)
        .unwrap()
        .write_all(args, &mut |f| frames.push(f));
    frames
}

fn reassemble(frames: &[Frame], limit: usize) -> Result<[Bytes; 3], FragmentError> {
    let mut r = ArgReader::new(limit);
    let n = frames.len();
    for (i, f) in frames.iter().enumerate() {
        let (flags, csum, chunks) = match &f.body {
            FrameBody::CallReq(c) => (c.flags, c.checksum, &c.chunks),
            FrameBody::CallRes(c) => (c.flags, c.checksum, &c.chunks),
            FrameBody::CallReqContinue(c) | FrameBody::CallResContinue(c) => {
                (c.flags, c.checksum, &c.chunks)
            }
            _ => unreachable!(),
        };
        if let Some(args) = r.push(flags, csum, chunks)? {
            assert_eq!(i, n - 1, "args complete only at the last frame");
            return Ok(args);
        }
    }
    panic!("message never completed")
}

fn pattern(n: usize, seed: u8) -> Bytes {
    Bytes::from(
        (0..n)
            .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
            .collect::<Vec<_>>(),
    )
}

#[test]
fn every_frame_boundary_round_trips() {
    // Sizes around the boundaries of the first and second frames, for arg2 and arg3.
    let first_space = MAX_PAYLOAD_LEN - req().prefix_len() - 5 - 2 /* arg1 len */ - 4 /* "echo" */;
    let mut sizes = vec![0, 1, 2, 3, 100, 65_535, 65_536, 200_000];
    for base in [first_space - 2, first_space + MAX_PAYLOAD_LEN - 6] {
        for d in 0..8 {
            sizes.push(base + d - 4);
        }
    }
    for &a2 in &sizes {
        for &a3 in &[0usize, 1, 5, first_space - 2] {
            let args = [Bytes::from_static(b"echo"), pattern(a2, 1), pattern(a3, 2)];
            let frames = fragment(req(), args.clone(), ChecksumType::Crc32c);
            for f in &frames {
                assert!(f.to_bytes().unwrap().len() <= crate::frame::MAX_FRAME_LEN);
            }
            let got = reassemble(&frames, usize::MAX).unwrap();
            assert_eq!(got, args, "arg2 {a2} arg3 {a3}");
        }
    }
}

#[test]
fn responses_use_continue_type_0x14() {
    let frames = fragment(
        res(),
        [Bytes::new(), pattern(70_000, 3), Bytes::new()],
        ChecksumType::Crc32,
    );
    assert_eq!(frames.len(), 2);
    assert!(matches!(frames[0].body, FrameBody::CallRes(ref r) if r.flags == 1));
    assert!(matches!(frames[1].body, FrameBody::CallResContinue(ref c) if c.flags == 0));
    assert!(frames.iter().all(|f| f.id == 7));
}

#[test]
fn checksum_errors_are_caught() {
    let mut frames = fragment(
        req(),
        [
            Bytes::from_static(b"a"),
            pattern(100_000, 0),
            Bytes::from_static(b"z"),
        ],
        ChecksumType::Crc32c,
    );
    if let FrameBody::CallReqContinue(c) = &mut frames[1].body {
        c.checksum.value ^= 1;
    }
    assert!(matches!(
        reassemble(&frames, usize::MAX),
        Err(FragmentError::ChecksumMismatch { .. })
    ));
    // A continue frame that switches type.
    let mut frames = fragment(
        req(),
        [Bytes::from_static(b"a"), pattern(100_000, 0), Bytes::new()],
        ChecksumType::Crc32c,
    );
    if let FrameBody::CallReqContinue(c) = &mut frames[1].body {
        c.checksum.kind = ChecksumType::Crc32;
    }
    assert!(matches!(
        reassemble(&frames, usize::MAX),
        Err(FragmentError::ChecksumTypeChanged { .. })
    ));
}

#[test]
fn limits() {
    let frames = fragment(
        req(),
        [Bytes::from_static(b"a"), pattern(100_000, 0), Bytes::new()],
        ChecksumType::None,
    );
    assert_eq!(
        reassemble(&frames, 50_000),
        Err(FragmentError::TooLarge { limit: 50_000 })
    );
    // The fragmenter refuses to write an arg1 over 16 KiB; the reader refuses to read one
    // (a frame built by hand, as a peer could send it).
    let long = pattern(MAX_ARG1_LEN + 1, 0);
    let e = Fragmenter::new(7, req(), ChecksumType::None, long.len()).err();
    assert_eq!(
        e.map(|e| e.to_string()).as_deref(),
        Some("arg1 (the endpoint) is 16385 bytes long, the limit is 16384")
    );
    let mut chunks = Chunks::new();
    for c in [long, Bytes::new(), Bytes::new()] {
        chunks.push(c);
    }
    let mut r = ArgReader::new(usize::MAX);
    assert_eq!(
        r.push(0, NO_CSUM, &chunks),
        Err(FragmentError::Arg1TooLarge(MAX_ARG1_LEN + 1))
    );
}

/// A first frame whose fields break a limit is an error from `Fragmenter::new`, never an
/// underflow of the space left or a frame size that wraps (the 65,486-byte value).
#[test]
fn first_frame_over_its_limits_is_an_error_not_a_wrap() {
    let with = |k: &str, v: Vec<u8>| {
        let FirstFrame::Req(mut r) = req() else {
            unreachable!()
        };
        r.headers.insert(k.to_string(), v);
        FirstFrame::Req(r)
    };
    for n in [256, 65_486, 70_000] {
        let e = Fragmenter::new(1, with("sk", vec![b'v'; n]), ChecksumType::Crc32c, 4)
            .err()
            .expect("refused");
        assert_eq!(
            e.to_string(),
            format!("transport header `sk` value is {n} bytes long, the limit is 255")
        );
    }
    let FirstFrame::Req(mut r) = req() else {
        unreachable!()
    };
    r.service = Bytes::from(vec![b's'; 300]);
    let e = Fragmenter::new(1, FirstFrame::Req(r), ChecksumType::None, 0)
        .err()
        .expect("refused");
    assert_eq!(e.field(), "service name");
    // The response side checks its headers the same way.
    let mut headers = TransportHeaders::new();
    headers.insert("k".repeat(17), "v");
    let res = FirstFrame::Res(CallRes {
        headers,
        ..Default::default()
    });
    assert!(Fragmenter::new(1, res, ChecksumType::None, 0).is_err());
    // At the limits themselves, every frame fits: 128 headers of 16 + 255 bytes, a
    // 255-byte service and a 16 KiB arg1 still leave room in the first frame.
    let FirstFrame::Req(mut r) = req() else {
        unreachable!()
    };
    r.service = Bytes::from(vec![b's'; 255]);
    r.headers = (0..128)
        .map(|i| (format!("{i:0>16}"), vec![b'v'; 255]))
        .collect();
    let frames = fragment(
        FirstFrame::Req(r),
        [
            pattern(MAX_ARG1_LEN, 1),
            pattern(100_000, 2),
            pattern(10, 3),
        ],
        ChecksumType::Crc32c,
    );
    for f in &frames {
        assert!(f.to_bytes().unwrap().len() <= crate::frame::MAX_FRAME_LEN);
    }
    let args = reassemble(&frames, usize::MAX).unwrap();
    assert_eq!(args[0], pattern(MAX_ARG1_LEN, 1));
    assert_eq!(args[1], pattern(100_000, 2));
}

/// Farmhash frames carry the fingerprint of their last chunk, and the reader checks it.
#[test]
fn farmhash_is_sent_and_verified_per_frame() {
    let args = [
        Bytes::from_static(b"echo"),
        pattern(70_000, 4),
        pattern(100_000, 5),
    ];
    let frames = fragment(req(), args.clone(), ChecksumType::Farmhash32);
    assert!(frames.len() >= 3);
    for f in &frames {
        let (checksum, chunks) = match &f.body {
            FrameBody::CallReq(r) => (r.checksum, &r.chunks),
            FrameBody::CallReqContinue(c) => (c.checksum, &c.chunks),
            other => panic!("{other:?}"),
        };
        assert_eq!(checksum.kind, ChecksumType::Farmhash32);
        let last = chunks.as_slice().last().unwrap();
        assert_eq!(checksum.value, farmhash::fingerprint32(last));
    }
    assert_eq!(reassemble(&frames, usize::MAX).unwrap(), args);
    // A wrong value is a mismatch, not silently accepted.
    let mut bad = frames.clone();
    if let FrameBody::CallReqContinue(c) = &mut bad[1].body {
        c.checksum.value ^= 1;
    }
    assert!(matches!(
        reassemble(&bad, usize::MAX),
        Err(FragmentError::ChecksumMismatch {
            kind: ChecksumType::Farmhash32,
            ..
        })
    ));
}

#[test]
fn wrong_arg_counts() {
    let mut two = Chunks::new();
    two.push(Bytes::from_static(b"a"));
    two.push(Bytes::from_static(b"b"));
    let mut r = ArgReader::new(usize::MAX);
    assert_eq!(r.push(0, NO_CSUM, &two), Err(FragmentError::TooFewArgs(2)));
    // Three args complete in frame one (flag set) and one more chunk in the next.
    let mut three = Chunks::new();
    for c in [&b"a"[..], b"b", b"c"] {
        three.push(Bytes::copy_from_slice(c));
    }
    let mut r = ArgReader::new(usize::MAX);
    // With the flag set the third arg is still open, so its continuation is fine...
    assert_eq!(r.push(1, NO_CSUM, &three), Ok(None));
    // ...but a further arg after it is not.
    assert_eq!(r.push(0, NO_CSUM, &two), Err(FragmentError::TooManyArgs));
}

#[test]
fn streaming_writes_and_flush() {
    // Pieces of one arg are joined; an explicit flush ends the frame with the arg open.
    let mut frames = Vec::new();
    let mut emit = |f| frames.push(f);
    let mut f = Fragmenter::new(3, req(), ChecksumType::Crc32c, 2).unwrap();
    f.write(Bytes::from_static(b"ep"), &mut emit);
    f.end_arg(&mut emit);
    f.write(Bytes::from_static(b"he"), &mut emit);
    f.write(Bytes::from_static(b"ad"), &mut emit);
    f.flush(&mut emit);
    f.end_arg(&mut emit);
    f.write(Bytes::from_static(b"bo"), &mut emit);
    f.flush(&mut emit);
    f.write(Bytes::from_static(b"dy"), &mut emit);
    f.end_arg(&mut emit);
    assert_eq!(frames.len(), 3);
    let got = reassemble(&frames, usize::MAX).unwrap();
    assert_eq!(
        got,
        [
            Bytes::from_static(b"ep"),
            Bytes::from_static(b"head"),
            Bytes::from_static(b"body")
        ]
    );
    let _ = TransportHeaders::new();
}

#[test]
fn a_request_must_hold_arg1_whole_in_its_first_frame() {
    let mut part = Chunks::new();
    part.push(Bytes::from_static(b"ec"));
    let mut r = ArgReader::for_request(usize::MAX);
    assert_eq!(
        r.push(FLAG_MORE_FRAGMENTS, NO_CSUM, &part),
        Err(FragmentError::Arg1Fragmented)
    );
    // A response may (its arg1 is empty by convention; streaming peers flush early).
    let mut r = ArgReader::new(usize::MAX);
    assert_eq!(r.push(FLAG_MORE_FRAGMENTS, NO_CSUM, &part), Ok(None));
    // arg1 whole and arg2 begun in the first frame is what the fragmenter writes.
    let mut whole = Chunks::new();
    whole.push(Bytes::from_static(b"echo"));
    whole.push(Bytes::new());
    let mut r = ArgReader::for_request(usize::MAX);
    assert_eq!(r.push(FLAG_MORE_FRAGMENTS, NO_CSUM, &whole), Ok(None));
}

/// The bytes of a whole message cut by `Fragmenter::whole`: its one frame, or the frames of
/// the fragmenter it hands back.
fn whole_bytes(first: FirstFrame, args: [Bytes; 3], csum: ChecksumType) -> (bool, Vec<u8>) {
    let mut out = BytesMut::new();
    match Fragmenter::whole(7, first, csum, args).unwrap() {
        Whole::One(f) => {
            f.encode(&mut out).unwrap();
            (true, out.to_vec())
        }
        Whole::Many(f, args) => {
            f.write_all(args, &mut |fr| fr.encode(&mut out).unwrap());
            (false, out.to_vec())
        }
    }
}

/// The one-frame path writes, byte for byte, the frames the fragmenter writes, for requests
/// and responses, every checksum type, and sizes on both sides of what fits one frame
/// (including a frame filled to its last byte with an empty arg3, which the fragmenter cuts
/// in two).
#[test]
fn the_one_frame_path_writes_what_the_fragmenter_writes() {
    for first in [req(), res()] {
        for csum in [
            ChecksumType::None,
            ChecksumType::Crc32,
            ChecksumType::Farmhash32,
            ChecksumType::Crc32c,
        ] {
            let room = MAX_PAYLOAD_LEN - first.prefix_len() - 1 - csum.len() - 6;
            let mut seen = (false, false);
            for total in [0, 1, 100, room - 2, room - 1, room, room + 1, room + 2] {
                for a3 in [0, 1, total / 2, total] {
                    let a3 = a3.min(total);
                    let a1 = (total - a3).min(4);
                    let a2 = total - a3 - a1;
                    let args = [pattern(a1, 1), pattern(a2, 2), pattern(a3, 3)];
                    let mut want = BytesMut::new();
                    for f in fragment(first.clone(), args.clone(), csum) {
                        f.encode(&mut want).unwrap();
                    }
                    let (one, got) = whole_bytes(first.clone(), args.clone(), csum);
                    assert_eq!(got, want.to_vec(), "{csum} {a1}/{a2}/{a3}");
                    seen.0 |= one;
                    seen.1 |= !one;
                }
            }
            assert_eq!(seen, (true, true), "both paths taken");
        }
    }
    // The same checks as `new`, with the same errors.
    let FirstFrame::Req(mut r) = req() else {
        unreachable!()
    };
    r.service = Bytes::from(vec![b's'; 300]);
    let args = [Bytes::new(), Bytes::new(), Bytes::new()];
    let e = Fragmenter::whole(1, FirstFrame::Req(r), ChecksumType::None, args)
        .err()
        .expect("refused");
    assert_eq!(e.field(), "service name");
    let args = [pattern(MAX_ARG1_LEN + 1, 1), Bytes::new(), Bytes::new()];
    let e = Fragmenter::whole(1, req(), ChecksumType::None, args)
        .err()
        .expect("refused");
    assert_eq!(e.field(), "arg1 (the endpoint)");
}

/// `read_one` takes a one-frame message as `push` does: the same args, and the same error
/// for each limit and a bad checksum.
#[test]
fn reading_one_frame_matches_the_reader() {
    let one = |args: [Bytes; 3], csum: ChecksumType, corrupt: bool| {
        let mut running = RunningChecksum::new(csum);
        for a in &args {
            running.update(a);
        }
        let mut checksum = running.frame_checksum(&args);
        if corrupt {
            checksum.value ^= 1;
        }
        let mut chunks = Chunks::new();
        for a in args {
            chunks.push(a);
        }
        (checksum, chunks)
    };
    let cases = [
        ([pattern(4, 1), pattern(0, 2), pattern(100, 3)], 1000, false),
        ([pattern(4, 1), pattern(10, 2), pattern(100, 3)], 1000, true),
        ([pattern(4, 1), pattern(10, 2), pattern(100, 3)], 113, false),
        ([pattern(4, 1), pattern(10, 2), pattern(100, 3)], 114, false),
        ([pattern(4, 1), Bytes::new(), Bytes::new()], 3, false),
        (
            [pattern(MAX_ARG1_LEN + 1, 1), Bytes::new(), Bytes::new()],
            1 << 20,
            false,
        ),
        (
            [pattern(MAX_ARG1_LEN + 1, 1), Bytes::new(), Bytes::new()],
            MAX_ARG1_LEN,
            false,
        ),
        (
            [pattern(MAX_ARG1_LEN, 1), pattern(100, 2), Bytes::new()],
            MAX_ARG1_LEN,
            false,
        ),
    ];
    for csum in [
        ChecksumType::None,
        ChecksumType::Crc32,
        ChecksumType::Farmhash32,
        ChecksumType::Crc32c,
    ] {
        for (args, limit, corrupt) in cases.clone() {
            let (checksum, chunks) = one(args.clone(), csum, corrupt);
            assert!(ArgReader::is_one_frame(0, &chunks));
            assert!(!ArgReader::is_one_frame(FLAG_MORE_FRAGMENTS, &chunks));
            let want = ArgReader::for_request(limit).push(0, checksum, &chunks);
            let got = ArgReader::read_one(limit, checksum, chunks);
            assert_eq!(got, want.map(|a| a.expect("complete")), "{csum} {limit}");
        }
    }
}

/// A response written in one pass (`one_frame_response` + `CallRes::encode_one`) is, byte for
/// byte, the frame the fragmenter's one-frame path writes, for every checksum type, headers
/// built, static, received or absent, and sizes on both sides of what fits one frame; it
/// declines exactly the responses the fragmenter cuts into several frames, and refuses the
/// headers the fragmenter refuses, with the same error.
#[test]
fn a_response_in_one_pass_is_the_fragmenters_frame() {
    let tracing = SOME_TRACING;
    let mut built = TransportHeaders::new();
    built.insert("as", "json");
    built.insert("cn", "caller");
    let mut lone = TransportHeaders::new();
    lone.insert_default("as", "raw");
    let received = {
        let mut b = BytesMut::new();
        Frame {
            id: 1,
            body: FrameBody::CallRes(CallRes {
                headers: built.clone(),
                chunks: [Bytes::new(), Bytes::new(), Bytes::new()].into_iter().fold(
                    Chunks::new(),
                    |mut c, a| {
                        c.push(a);
                        c
                    },
                ),
                ..Default::default()
            }),
        }
        .encode(&mut b)
        .unwrap();
        match Frame::decode(0x04, 1, b.freeze().slice(16..)).unwrap().body {
            FrameBody::CallRes(r) => r.headers,
            _ => unreachable!(),
        }
    };
    for headers in [TransportHeaders::new(), lone, built, received] {
        for csum in ALL_CHECKSUMS {
            let first = || {
                FirstFrame::Res(CallRes {
                    code: 1,
                    tracing,
                    headers: headers.clone(),
                    ..Default::default()
                })
            };
            let room = MAX_PAYLOAD_LEN - first().prefix_len() - 1 - csum.len() - 6;
            let mut seen = (false, false);
            for total in [0, 1, 100, room - 2, room - 1, room, room + 1, room + 2] {
                for a3 in [0, 1, total / 2, total] {
                    let a3 = a3.min(total);
                    let args = [Bytes::new(), pattern(total - a3, 2), pattern(a3, 3)];
                    let (one, want) = whole_bytes(first(), args.clone(), csum);
                    let sum = one_frame_response(&headers, csum, &args[1], &args[2]).unwrap();
                    assert_eq!(sum.is_some(), one, "{csum} {}/{a3}", total - a3);
                    let Some(sum) = sum else {
                        seen.1 = true;
                        continue;
                    };
                    seen.0 = true;
                    let mut got = BytesMut::from(&b"before"[..]);
                    let a = [&args[0][..], &args[1][..], &args[2][..]];
                    CallRes::encode_one(&mut got, 7, 1, tracing, &headers, sum, a).unwrap();
                    assert_eq!(&got[..6], b"before");
                    assert_eq!(got[6..], want[..], "{csum} {}/{a3}", total - a3);
                }
            }
            assert_eq!(seen, (true, true), "both paths taken");
        }
    }
    // Headers that break a limit: the fragmenter's error.
    let mut bad = TransportHeaders::new();
    bad.insert("as", "raw");
    bad.insert("k", "v".repeat(256));
    let args = [Bytes::new(), Bytes::new(), Bytes::new()];
    let first = FirstFrame::Res(CallRes {
        headers: bad.clone(),
        ..Default::default()
    });
    let want = Fragmenter::whole(1, first, ChecksumType::Crc32c, args)
        .err()
        .expect("refused");
    let got = one_frame_response(&bad, ChecksumType::Crc32c, b"", b"").unwrap_err();
    assert_eq!(got.to_string(), want.to_string());
    assert_eq!(got.field(), "transport header `k` value");
}

/// A request written in one pass (`one_frame_request` + `CallReq::encode_one`) is, byte for
/// byte, the frame the fragmenter's one-frame path writes, for every checksum type, headers
/// built, shared (as a channel prebuilds them) or absent, and sizes of each arg on both sides
/// of what fits one frame; it declines exactly the requests the fragmenter cuts into several
/// frames, and refuses a service name, header or arg1 the fragmenter refuses, with the same
/// error.
#[test]
fn a_request_in_one_pass_is_the_fragmenters_frame() {
    let tracing = SOME_TRACING;
    let mut built = TransportHeaders::new();
    built.insert("as", "raw");
    built.insert("cn", "caller");
    built.insert("re", "c");
    let shared = built.clone().into_shared();
    let service = Bytes::from_static(b"service");
    for headers in [TransportHeaders::new(), built, shared] {
        for csum in ALL_CHECKSUMS {
            let first = || {
                FirstFrame::Req(CallReq {
                    ttl: 0x0102_0304,
                    tracing,
                    service: service.clone(),
                    headers: headers.clone(),
                    ..Default::default()
                })
            };
            let room = MAX_PAYLOAD_LEN - first().prefix_len() - 1 - csum.len() - 6;
            let mut seen = (false, false);
            for total in [0, 1, 100, room - 2, room - 1, room, room + 1, room + 2] {
                // arg1 at most 16 KiB; the rest split between arg2 and arg3.
                for (a1, a3) in [(0, 0), (4, 1), (MAX_ARG1_LEN, total / 2), (1, total)] {
                    let a1 = a1.min(total);
                    let a3 = a3.min(total - a1);
                    let args = [pattern(a1, 1), pattern(total - a1 - a3, 2), pattern(a3, 3)];
                    let (one, want) = whole_bytes(first(), args.clone(), csum);
                    let a = [&args[0][..], &args[1][..], &args[2][..]];
                    let sum = one_frame_request(&service, &headers, csum, a).unwrap();
                    let at = format!("{csum} {a1}/{}/{a3}", total - a1 - a3);
                    assert_eq!(sum.is_some(), one, "{at}");
                    let Some(sum) = sum else {
                        seen.1 = true;
                        continue;
                    };
                    seen.0 = true;
                    let mut got = BytesMut::from(&b"before"[..]);
                    CallReq::encode_one(
                        &mut got,
                        7,
                        0x0102_0304,
                        tracing,
                        &service,
                        &headers,
                        sum,
                        a,
                    )
                    .unwrap();
                    assert_eq!(&got[..6], b"before");
                    assert_eq!(got[6..], want[..], "{at}");
                }
            }
            assert_eq!(seen, (true, true), "both paths taken");
        }
    }
    // Fields that break a limit: the fragmenter's error.
    let mut bad = TransportHeaders::new();
    bad.insert("as", "raw");
    bad.insert("k", "v".repeat(256));
    let long_service = Bytes::from(vec![b's'; 256]);
    let long_arg1 = pattern(MAX_ARG1_LEN + 1, 1);
    for (service, headers, arg1, field) in [
        (
            long_service,
            TransportHeaders::new(),
            Bytes::new(),
            "service name",
        ),
        (
            service.clone(),
            bad,
            Bytes::new(),
            "transport header `k` value",
        ),
        (
            service,
            TransportHeaders::new(),
            long_arg1,
            "arg1 (the endpoint)",
        ),
    ] {
        let first = FirstFrame::Req(CallReq {
            service: service.clone(),
            headers: headers.clone(),
            ..Default::default()
        });
        let args = [arg1.clone(), Bytes::new(), Bytes::new()];
        let want = Fragmenter::whole(1, first, ChecksumType::Crc32c, args)
            .err()
            .expect("refused");
        let a = [&arg1[..], &[][..], &[][..]];
        let got = one_frame_request(&service, &headers, ChecksumType::Crc32c, a).unwrap_err();
        assert_eq!(got.to_string(), want.to_string());
        assert_eq!(got.field(), field);
    }
}
