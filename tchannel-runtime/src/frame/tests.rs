use super::*;
use crate::checksum::ChecksumType;
use crate::error::ErrorCode;
use crate::frame::Decoded;
use std::path::PathBuf;

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/vectors")
}

fn read_hex(name: &str) -> Bytes {
    let text = std::fs::read_to_string(vectors().join(name)).unwrap();
    Bytes::from(hex::decode(text.trim()).unwrap())
}

fn decode_one(bytes: &Bytes) -> Frame {
    let mut buf = BytesMut::from(&bytes[..]);
    match FrameCodec::decode(&mut buf).unwrap().unwrap() {
        Decoded::Frame(f) => {
            assert!(buf.is_empty(), "one frame per vector");
            f
        }
        Decoded::Malformed { error, .. } => panic!("malformed: {error}"),
    }
}

fn roundtrip(name: &str) -> Frame {
    let bytes = read_hex(name);
    let frame = decode_one(&bytes);
    assert_eq!(
        frame.to_bytes().unwrap(),
        bytes,
        "{name} re-encodes to the same bytes"
    );
    frame
}

fn args(chunks: &Chunks) -> Vec<&[u8]> {
    chunks.as_slice().iter().map(|c| c.as_ref()).collect()
}

#[test]
fn init_vectors() {
    let f = roundtrip("init_req.hex");
    assert_eq!(f.id, 1);
    let FrameBody::InitReq(init) = f.body else {
        panic!("not init req")
    };
    assert_eq!(init.version, 2);
    assert_eq!(init.header("host_port"), Some("0.0.0.0:0"));
    assert_eq!(init.header("tchannel_language"), Some("node"));
    assert_eq!(init.header("tchannel_version"), Some("4.0.1"));

    let f = roundtrip("init_res.hex");
    let FrameBody::InitRes(init) = f.body else {
        panic!("not init res")
    };
    assert_eq!(init.header("host_port"), Some("127.0.0.1:4080"));
}

#[test]
fn call_req_thrift_vector() {
    let f = roundtrip("call_req_thrift_getValue.hex");
    assert_eq!(f.id, 3);
    let FrameBody::CallReq(c) = f.body else {
        panic!("not call req")
    };
    assert_eq!(c.flags, 0);
    assert_eq!(c.ttl, 1500);
    assert_eq!(&c.service[..], b"keyvalue");
    assert_eq!(c.headers.get("cn"), Some("capture-client"));
    assert_eq!(c.headers.get("as"), Some("thrift"));
    assert_eq!(c.headers.get("re"), Some("n"));
    assert_eq!(c.checksum.kind, ChecksumType::Crc32c);
    assert_eq!(c.checksum.value, 0xb196_a327);
    assert_eq!(
        args(&c.chunks),
        vec![
            &b"KeyValue::getValue"[..],
            &[0, 0][..],
            &hex::decode("0b000100000003666f6f00").unwrap()[..]
        ]
    );
    assert_eq!(c.tracing.parent_id, 0);
    assert_eq!(c.tracing.span_id, c.tracing.trace_id);
}

#[test]
fn call_res_vectors() {
    let f = roundtrip("call_res_thrift_getValue_notfound.hex");
    let FrameBody::CallRes(c) = f.body else {
        panic!("not call res")
    };
    assert_eq!(c.code, 1);
    assert_eq!(c.headers.get("as"), Some("thrift"));
    for name in [
        "call_req_json_add.hex",
        "call_res_json_add.hex",
        "call_req_raw_echo.hex",
        "call_res_raw_echo.hex",
        "call_req_thrift_setValue.hex",
        "call_res_thrift_getValue_ok.hex",
        "call_res_thrift_setValue_void.hex",
    ] {
        roundtrip(name);
    }
    let f = roundtrip("call_res_raw_echo.hex");
    let FrameBody::CallRes(c) = f.body else {
        panic!()
    };
    assert_eq!(args(&c.chunks), vec![&b""[..], b"head", b"body"]);
}

#[test]
fn error_vectors() {
    for (name, code, text) in [
        (
            "error_unexpected.hex",
            ErrorCode::Unexpected,
            "intentional unexpected error",
        ),
        ("error_busy.hex", ErrorCode::Busy, ""),
        (
            "error_bad_request_no_such_endpoint.hex",
            ErrorCode::BadRequest,
            "no such endpoint",
        ),
        ("error_timeout.hex", ErrorCode::Timeout, "request timed out"),
        (
            "error_declined_hyperbahn.hex",
            ErrorCode::Declined,
            "no peer available",
        ),
    ] {
        let f = roundtrip(name);
        let FrameBody::Error(e) = f.body else {
            panic!("{name} is not an error frame")
        };
        assert_eq!(e.code, code, "{name}");
        assert!(
            String::from_utf8_lossy(&e.message).contains(text),
            "{name}: {:?}",
            e.message
        );
    }
}

#[test]
fn ping_vectors() {
    let req = roundtrip("ping_req.hex");
    let res = roundtrip("ping_res.hex");
    assert_eq!(req.body, FrameBody::PingReq);
    assert_eq!(res.body, FrameBody::PingRes);
    assert_eq!(req.id, res.id);
}

/// Every frame of every full capture decodes, re-encodes byte for byte, and every call
/// message's checksums verify when its frames are put back together.
#[test]
fn all_captured_frames() {
    use crate::fragment::ArgReader;
    use std::collections::HashMap;
    let mut count = 0;
    let mut messages = 0;
    for dir in ["node", "python-server", "python-client", "hyperbahn"] {
        let text = std::fs::read_to_string(vectors().join("captures").join(dir).join("all.jsonl"))
            .unwrap();
        let mut readers: HashMap<(u64, String, u32), ArgReader> = HashMap::new();
        for line in text.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let bytes = Bytes::from(hex::decode(v["hex"].as_str().unwrap()).unwrap());
            let frame = decode_one(&bytes);
            assert_eq!(frame.to_bytes().unwrap(), bytes, "{dir} seq {}", v["seq"]);
            count += 1;
            let key = (
                v["conn"].as_u64().unwrap(),
                v["dir"].as_str().unwrap().to_owned(),
                frame.id,
            );
            let (flags, csum, chunks) = match &frame.body {
                FrameBody::CallReq(c) => (c.flags, c.checksum, &c.chunks),
                FrameBody::CallRes(c) => (c.flags, c.checksum, &c.chunks),
                FrameBody::CallReqContinue(c) | FrameBody::CallResContinue(c) => {
                    (c.flags, c.checksum, &c.chunks)
                }
                _ => continue,
            };
            let r = readers
                .entry(key.clone())
                .or_insert_with(|| ArgReader::new(usize::MAX));
            if let Some(_args) = r.push(flags, csum, chunks).unwrap() {
                readers.remove(&key);
                messages += 1;
            }
        }
    }
    assert!(count > 80, "read {count} frames");
    assert!(messages > 30, "reassembled {messages} messages");
}

#[test]
fn protocol_examples() {
    // V1: ping res with id 1.
    let f = Frame {
        id: 1,
        body: FrameBody::PingRes,
    };
    assert_eq!(
        hex::encode(f.to_bytes().unwrap()),
        "0010d100000000010000000000000000"
    );
    // V2: reserved bytes are ignored; a payload-carrying header parses.
    let mut b = BytesMut::from(&hex::decode("001001020000000309080706050403020000").unwrap()[..]);
    // (An init req needs a body, so this one is malformed, but its header reads right.)
    let Decoded::Malformed { frame_type, id, .. } = FrameCodec::decode(&mut b).unwrap().unwrap()
    else {
        panic!()
    };
    assert_eq!((frame_type, id), (1, 3));
    assert_eq!(b.len(), 2, "the next frame's bytes stay in the buffer");
    // V5: tracing order is span, parent, trace, flags.
    let t = Tracing {
        span_id: 0x0102030405060708,
        parent_id: 0x090a0b0c0d0e0f10,
        trace_id: 0x1112131415161718,
        flags: 42,
    };
    let mut out = BytesMut::new();
    t.encode(&mut out);
    assert_eq!(
        hex::encode(&out),
        "0102030405060708090a0b0c0d0e0f1011121314151617182a"
    );
    // V7: call req payload without checksum (tchannel-python's test).
    let payload = hex::decode("000000040000010203040506070809 0a0b0c0d0e0f1011121314151617 0106617061636865 01036b6579 0376616c 00 00026f6e 0002746f 00027465".replace(' ', "")).unwrap();
    let f = Frame::decode(types::CALL_REQ, 9, Bytes::from(payload.clone())).unwrap();
    let FrameBody::CallReq(c) = &f.body else {
        panic!()
    };
    assert_eq!(c.ttl, 1024);
    assert_eq!(&c.service[..], b"apache");
    assert_eq!(c.headers.get("key"), Some("val"));
    assert_eq!(c.checksum.kind, ChecksumType::None);
    assert_eq!(args(&c.chunks), vec![&b"on"[..], b"to", b"te"]);
    assert_eq!(&f.to_bytes().unwrap()[16..], &payload[..]);
    // V9: transport headers.
    let mut r = Reader::new(Bytes::from(
        hex::decode("0103 6b6579 0376616c".replace(' ', "")).unwrap(),
    ));
    let h = TransportHeaders::decode(&mut r).unwrap();
    assert_eq!(h.get("key"), Some("val"));
    let dup = hex::decode("02036b6579 0376616c 036b6579 0356414c".replace(' ', "")).unwrap();
    assert!(TransportHeaders::decode(&mut Reader::new(Bytes::from(dup))).is_err());
    let null_key = hex::decode("0100026565").unwrap();
    assert!(TransportHeaders::decode(&mut Reader::new(Bytes::from(null_key))).is_err());
    let empty_value = hex::decode("0102657600").unwrap();
    let h = TransportHeaders::decode(&mut Reader::new(Bytes::from(empty_value))).unwrap();
    assert_eq!(h.get("ev"), Some(""));
    // V10: error, cancel, claim payloads with tracing T = 00..17 flags 18.
    let t_hex: String = (0u8..0x18).map(|b| format!("{b:02x}")).collect::<String>() + "18";
    let err = Frame::decode(
        types::ERROR,
        1,
        Bytes::from(hex::decode(format!("ff{t_hex}0008746f6f206261642e")).unwrap()),
    )
    .unwrap();
    let FrameBody::Error(e) = &err.body else {
        panic!()
    };
    assert_eq!(e.code, ErrorCode::Protocol);
    assert_eq!(&e.message[..], b"too bad.");
    let cancel_payload = hex::decode(format!("0000002a{t_hex}0008746f6f206261642e")).unwrap();
    let cancel = Frame::decode(types::CANCEL, 1, Bytes::from(cancel_payload.clone())).unwrap();
    assert!(
        matches!(&cancel.body, FrameBody::Cancel(c) if c.ttl == 42 && &c.why[..] == b"too bad.")
    );
    assert_eq!(&cancel.to_bytes().unwrap()[16..], &cancel_payload[..]);
    let claim_payload = hex::decode(format!("0000002a{t_hex}")).unwrap();
    let claim = Frame::decode(types::CLAIM, 1, Bytes::from(claim_payload)).unwrap();
    assert!(matches!(&claim.body, FrameBody::Claim(c) if c.ttl == 42 && c.tracing.flags == 0x18));
}

#[test]
fn derived_vectors() {
    // Section 13.2: init req with host_port=0.0.0.0:0, process_name=p.
    let f = Frame {
        id: 1,
        body: FrameBody::InitReq(Init {
            version: 2,
            headers: vec![
                ("host_port".into(), "0.0.0.0:0".into()),
                ("process_name".into(), "p".into()),
            ],
        }),
    };
    assert_eq!(hex::encode(f.to_bytes().unwrap()), "003b0100000000010000000000000000000200020009686f73745f706f72740009302e302e302e303a30000c70726f636573735f6e616d65000170");
    // error busy "busy" for id 2.
    let f = Frame {
        id: 2,
        body: FrameBody::Error(ErrorFrame {
            code: ErrorCode::Busy,
            tracing: Tracing::default(),
            message: Bytes::from_static(b"busy"),
        }),
    };
    let expect = format!(
        "0030ff0000000002000000000000000003{}000462757379",
        "00".repeat(25)
    );
    assert_eq!(hex::encode(f.to_bytes().unwrap()), expect);
}

#[test]
fn bad_sizes() {
    for hex_in in ["0000", "000f0100000000000000000000000000"] {
        let mut b = BytesMut::from(&hex::decode(hex_in).unwrap()[..]);
        let e = FrameCodec::decode(&mut b).unwrap_err();
        assert!(e.to_string().contains("invalid frame size"), "{e}");
    }
    // Size 0x18 with only 2 payload bytes: incomplete, not an error.
    let mut b = BytesMut::from(&hex::decode("0018d000000000010000000000000000abcd").unwrap()[..]);
    assert!(FrameCodec::decode(&mut b).unwrap().is_none());
    // A max-size frame is valid.
    let mut big = vec![0u8; MAX_FRAME_LEN];
    big[0] = 0xff;
    big[1] = 0xff;
    big[2] = 0x42; // unknown type: kept, not fatal
    let mut b = BytesMut::from(&big[..]);
    let Decoded::Frame(f) = FrameCodec::decode(&mut b).unwrap().unwrap() else {
        panic!()
    };
    assert!(
        matches!(f.body, FrameBody::Unknown { frame_type: 0x42, ref payload } if payload.len() == MAX_PAYLOAD_LEN)
    );
}

#[test]
fn malformed_payloads_name_the_field() {
    let mut b =
        BytesMut::from(&hex::decode("0014030000000007000000000000000000000003").unwrap()[..]);
    let Decoded::Malformed { id, error, .. } = FrameCodec::decode(&mut b).unwrap().unwrap() else {
        panic!()
    };
    assert_eq!(id, 7);
    assert!(error.to_string().contains("ttl"), "{error}");
    // Call frame with no chunks.
    let f = CallContinue {
        flags: 0,
        checksum: Default::default(),
        chunks: Chunks::new(),
    };
    let mut out = BytesMut::new();
    Frame {
        id: 1,
        body: FrameBody::CallReqContinue(f),
    }
    .encode(&mut out)
    .unwrap();
    let Decoded::Malformed { error, .. } = FrameCodec::decode(&mut out).unwrap().unwrap() else {
        panic!()
    };
    assert!(error.to_string().contains("no arg chunk"), "{error}");
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    fn bytes(max: usize) -> impl Strategy<Value = Bytes> {
        proptest::collection::vec(any::<u8>(), 0..max).prop_map(Bytes::from)
    }

    fn tracing() -> impl Strategy<Value = Tracing> {
        (any::<u64>(), any::<u64>(), any::<u64>(), any::<u8>()).prop_map(|(s, p, t, f)| Tracing {
            span_id: s,
            parent_id: p,
            trace_id: t,
            flags: f,
        })
    }

    fn headers() -> impl Strategy<Value = TransportHeaders> {
        proptest::collection::btree_map("[a-z]{1,15}", "[ -~]{0,40}", 0..6)
            .prop_map(|m| m.into_iter().collect())
    }

    fn checksum() -> impl Strategy<Value = Checksum> {
        (0u8..4, any::<u32>()).prop_map(|(c, v)| {
            let kind = ChecksumType::from_code(c).unwrap();
            Checksum {
                kind,
                value: if kind.is_empty() { 0 } else { v },
            }
        })
    }

    fn chunks() -> impl Strategy<Value = Chunks> {
        proptest::collection::vec(bytes(300), 1..=3).prop_map(|v| {
            let mut c = Chunks::new();
            for b in v {
                c.push(b);
            }
            c
        })
    }

    fn frame() -> impl Strategy<Value = Frame> {
        let body = prop_oneof![
            (
                tracing(),
                bytes(40),
                headers(),
                checksum(),
                chunks(),
                0u8..2,
                1u32..
            )
                .prop_map(
                    |(tracing, service, headers, checksum, chunks, flags, ttl)| {
                        FrameBody::CallReq(CallReq {
                            flags,
                            ttl,
                            tracing,
                            service,
                            headers,
                            checksum,
                            chunks,
                        })
                    }
                ),
            (tracing(), headers(), checksum(), chunks(), 0u8..2, 0u8..2).prop_map(
                |(tracing, headers, checksum, chunks, flags, code)| {
                    FrameBody::CallRes(CallRes {
                        flags,
                        code,
                        tracing,
                        headers,
                        checksum,
                        chunks,
                    })
                }
            ),
            (checksum(), chunks(), 0u8..2).prop_map(|(checksum, chunks, flags)| {
                FrameBody::CallReqContinue(CallContinue {
                    flags,
                    checksum,
                    chunks,
                })
            }),
            (checksum(), chunks(), 0u8..2).prop_map(|(checksum, chunks, flags)| {
                FrameBody::CallResContinue(CallContinue {
                    flags,
                    checksum,
                    chunks,
                })
            }),
            (any::<u32>(), tracing(), bytes(50))
                .prop_map(|(ttl, tracing, why)| FrameBody::Cancel(Cancel { ttl, tracing, why })),
            (any::<u32>(), tracing())
                .prop_map(|(ttl, tracing)| FrameBody::Claim(Claim { ttl, tracing })),
            Just(FrameBody::PingReq),
            Just(FrameBody::PingRes),
            (any::<u8>(), tracing(), bytes(50)).prop_map(|(c, tracing, message)| FrameBody::Error(
                ErrorFrame {
                    code: ErrorCode::from_u8(c),
                    tracing,
                    message
                }
            )),
            proptest::collection::vec(("[a-z_]{1,12}", "[ -~]{0,20}"), 0..5).prop_map(|headers| {
                FrameBody::InitReq(Init {
                    version: 2,
                    headers,
                })
            }),
        ];
        (any::<u32>(), body).prop_map(|(id, body)| Frame { id, body })
    }

    proptest! {
        #[test]
        fn decode_of_encode_is_identity(f in frame()) {
            let mut buf = BytesMut::new();
            f.encode(&mut buf).unwrap();
            match FrameCodec::decode(&mut buf).unwrap().unwrap() {
                Decoded::Frame(g) => prop_assert_eq!(g, f),
                Decoded::Malformed { error, .. } => prop_assert!(false, "malformed: {}", error),
            }
            prop_assert!(buf.is_empty());
        }

        #[test]
        fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..600)) {
            let mut buf = BytesMut::from(&data[..]);
            while let Ok(Some(_)) = FrameCodec::decode(&mut buf) {}
        }

        #[test]
        fn arbitrary_payloads_never_panic(ty in any::<u8>(), data in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = Frame::decode(ty, 1, Bytes::from(data));
        }
    }
}

/// A call req payload written by hand, with `headers` as raw (key, value) pairs, so that a
/// test can break limits the encoder refuses.
fn hand_built_call_req(service: &[u8], headers: &[(Vec<u8>, Vec<u8>)]) -> Bytes {
    let mut p = BytesMut::new();
    p.put_u8(0); // flags
    p.put_u32(1000); // ttl
    p.put_slice(&[0; Tracing::LEN]);
    p.put_u8(service.len() as u8);
    p.put_slice(service);
    p.put_u8(headers.len() as u8);
    for (k, v) in headers {
        p.put_u8(k.len() as u8);
        p.put_slice(k);
        p.put_u8(v.len() as u8);
        p.put_slice(v);
    }
    p.put_u8(0); // no checksum
    for arg in [&b"echo"[..], b"", b""] {
        p.put_u16(arg.len() as u16);
        p.put_slice(arg);
    }
    p.freeze()
}

#[test]
fn decoder_refuses_what_the_encoder_refuses() {
    let ok = |k: &[u8]| vec![(k.to_vec(), b"v".to_vec())];
    // A 16-byte key is the limit; 17 bytes is refused on both sides.
    let f = Frame::decode(
        types::CALL_REQ,
        1,
        hand_built_call_req(b"svc", &ok(&[b'k'; 16])),
    )
    .unwrap();
    let FrameBody::CallReq(r) = &f.body else {
        panic!()
    };
    assert_eq!(r.headers.len(), 1);
    let e = Frame::decode(
        types::CALL_REQ,
        1,
        hand_built_call_req(b"svc", &ok(&[b'k'; 17])),
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("17 bytes long, the limit is 16"),
        "{e}"
    );
    let mut h = TransportHeaders::new();
    h.insert(vec![b'k'; 17], "v");
    let e = h.validate().unwrap_err();
    assert_eq!(e.field(), "transport header key `kkkkkkkkkkkkkkkkk`");

    // 128 headers is the limit; 129 is refused on both sides.
    let many = |n: usize| -> Vec<(Vec<u8>, Vec<u8>)> {
        (0..n)
            .map(|i| (format!("h{i}").into_bytes(), b"v".to_vec()))
            .collect()
    };
    assert!(Frame::decode(types::CALL_REQ, 1, hand_built_call_req(b"s", &many(128))).is_ok());
    let e = Frame::decode(types::CALL_REQ, 1, hand_built_call_req(b"s", &many(129))).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid transport headers count: 129 headers, the limit is 128"
    );
    let h: TransportHeaders = many(129).into_iter().collect();
    assert_eq!(
        h.validate().unwrap_err().to_string(),
        "transport headers: 129 headers, the limit is 128"
    );

    // Empty and duplicate keys, as before.
    assert!(Frame::decode(types::CALL_REQ, 1, hand_built_call_req(b"s", &ok(b""))).is_err());
    let dup = vec![
        (b"a".to_vec(), b"1".to_vec()),
        (b"a".to_vec(), b"2".to_vec()),
    ];
    assert!(Frame::decode(types::CALL_REQ, 1, hand_built_call_req(b"s", &dup)).is_err());
}

#[test]
fn encode_refuses_each_over_long_field_and_writes_nothing() {
    let base = CallReq {
        ttl: 1,
        service: Bytes::from_static(b"svc"),
        chunks: {
            let mut c = Chunks::new();
            c.push(Bytes::new());
            c
        },
        ..Default::default()
    };
    let expect = |body: FrameBody, msg: &str| {
        let mut buf = BytesMut::from(&b"before"[..]);
        let e = Frame { id: 1, body }.encode(&mut buf).unwrap_err();
        assert_eq!(e.to_string(), msg);
        assert_eq!(&buf[..], b"before", "nothing appended");
    };
    let mut r = base.clone();
    r.service = Bytes::from(vec![b's'; 256]);
    expect(
        FrameBody::CallReq(r),
        "service name is 256 bytes long, the limit is 255",
    );
    let mut r = base.clone();
    r.headers.insert("sk", vec![b'v'; 65_486]);
    expect(
        FrameBody::CallReq(r),
        "transport header `sk` value is 65486 bytes long, the limit is 255",
    );
    let mut r = base.clone();
    r.chunks = Chunks::new();
    r.chunks.push(Bytes::from(vec![0; 65_536]));
    expect(
        FrameBody::CallReq(r),
        "arg chunk is 65536 bytes long, the limit is 65535",
    );
    let mut r = base.clone();
    r.chunks = Chunks::new();
    r.chunks.push(Bytes::from(vec![0; 40_000]));
    r.chunks.push(Bytes::from(vec![0; 40_000]));
    expect(
        FrameBody::CallReq(r),
        "call req frame is 80056 bytes long, the limit is 65535",
    );
    expect(
        FrameBody::Error(ErrorFrame {
            code: ErrorCode::Unexpected,
            tracing: Tracing::default(),
            message: Bytes::from(vec![b'm'; MAX_ERROR_MESSAGE_LEN + 1]),
        }),
        "error frame is 65536 bytes long, the limit is 65535",
    );
    expect(
        FrameBody::InitReq(Init {
            version: 2,
            headers: vec![("k".into(), "v".repeat(70_000))],
        }),
        "init header `k` value is 70000 bytes long, the limit is 65535",
    );
    // An error message at its limit fits exactly, and `ErrorFrame::new` shortens to it.
    let e = ErrorFrame::new(ErrorCode::Busy, Tracing::default(), &"m".repeat(100_000));
    assert_eq!(e.message.len(), MAX_ERROR_MESSAGE_LEN);
    let b = Frame {
        id: 1,
        body: FrameBody::Error(e),
    }
    .to_bytes()
    .unwrap();
    assert_eq!(b.len(), MAX_FRAME_LEN);
}

mod never_truncates {
    use super::*;
    use proptest::prelude::*;

    fn sized(max: usize) -> impl Strategy<Value = Bytes> {
        (0..=max, any::<u8>()).prop_map(|(n, b)| Bytes::from(vec![b; n]))
    }

    /// Headers whose keys and values may break their limits, and whose count may too.
    fn headers() -> impl Strategy<Value = Vec<(Bytes, Bytes)>> {
        let entry = || {
            (
                prop_oneof![sized(20), "[a-z]{0,20}".prop_map(Bytes::from)],
                sized(300),
            )
        };
        prop_oneof![
            proptest::collection::vec(entry(), 0..4),
            proptest::collection::vec(entry(), 120..140),
        ]
    }

    /// What the wire allows, computed apart from the encoder.
    fn fits(service: &[u8], headers: &TransportHeaders, chunks: &Chunks) -> bool {
        let total = HEADER_LEN
            + 1
            + 4
            + Tracing::LEN
            + 1
            + service.len()
            + 1
            + headers
                .iter()
                .map(|(k, v)| 2 + k.len() + v.len())
                .sum::<usize>()
            + 1
            + chunks.encoded_len();
        service.len() <= 255
            && headers.len() <= 128
            && headers
                .iter()
                .all(|(k, v)| !k.is_empty() && k.len() <= 16 && v.len() <= 255)
            && chunks.as_slice().iter().all(|c| c.len() <= 65_535)
            && total <= MAX_FRAME_LEN
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Encoding a call req either fails, appending nothing, or gives bytes that decode
        /// to the same frame: it fails exactly when a field is over its wire limit.
        #[test]
        fn encode_errors_or_round_trips(
            service in sized(300),
            entries in headers(),
            chunk_sizes in proptest::collection::vec(0usize..70_000, 1..=3),
        ) {
            let headers: TransportHeaders = entries.into_iter().collect();
            let mut chunks = Chunks::new();
            for n in chunk_sizes {
                chunks.push(Bytes::from(vec![7u8; n]));
            }
            let expected_ok = fits(&service, &headers, &chunks);
            let f = Frame {
                id: 9,
                body: FrameBody::CallReq(CallReq {
                    ttl: 5,
                    service,
                    headers,
                    chunks,
                    ..Default::default()
                }),
            };
            let mut buf = BytesMut::from(&b"xy"[..]);
            match f.encode(&mut buf) {
                Ok(()) => {
                    prop_assert!(expected_ok, "encoded a frame over a limit");
                    let _ = buf.split_to(2);
                    prop_assert!(buf.len() <= MAX_FRAME_LEN);
                    match FrameCodec::decode(&mut buf).unwrap().unwrap() {
                        Decoded::Frame(g) => prop_assert_eq!(g, f),
                        Decoded::Malformed { error, .. } => {
                            prop_assert!(false, "malformed: {}", error)
                        }
                    }
                    prop_assert!(buf.is_empty());
                }
                Err(_) => {
                    prop_assert!(!expected_ok, "refused a frame within the limits");
                    prop_assert_eq!(&buf[..], b"xy");
                }
            }
        }

        /// Error frames: `ErrorFrame::new` always encodes, whatever the message length.
        #[test]
        fn error_frames_from_new_always_encode(n in 0usize..200_000, c in any::<char>()) {
            let msg: String = std::iter::repeat_n(c, n / c.len_utf8().max(1)).collect();
            let e = ErrorFrame::new(ErrorCode::Unexpected, Tracing::default(), &msg);
            prop_assert!(msg.as_bytes().starts_with(&e.message));
            let b = Frame { id: 1, body: FrameBody::Error(e) }.to_bytes().unwrap();
            prop_assert!(b.len() <= MAX_FRAME_LEN);
        }
    }
}

/// The wire form of `entries` as a header block, `nh:1 (k~1 v~1){nh}`.
fn header_block(entries: &[(&str, &str)]) -> Bytes {
    let mut b = vec![entries.len() as u8];
    for (k, v) in entries {
        b.push(k.len() as u8);
        b.extend_from_slice(k.as_bytes());
        b.push(v.len() as u8);
        b.extend_from_slice(v.as_bytes());
    }
    Bytes::from(b)
}

/// Received headers (kept as one slice of the frame) behave as built ones: lookups, shared
/// values, changes, equality, and encoding back to the same bytes.
#[test]
fn received_headers_behave_as_built_ones() {
    let keys: Vec<String> = (0..12).map(|i| format!("k{i}")).collect();
    // Kept small: it is moved with every call. (40 bytes: the shared block and where its
    // well-known headers are, which makes reading them no walk.)
    assert!(std::mem::size_of::<TransportHeaders>() <= 40);
    for n in [0, 1, 3, 8, 9, 12] {
        let entries: Vec<(&str, &str)> = keys[..n].iter().map(|k| (k.as_str(), "v")).collect();
        let block = header_block(&entries);
        let mut r = Reader::new(block.clone());
        let mut got = TransportHeaders::decode(&mut r).unwrap();
        assert_eq!(r.remaining(), 0);
        let built: TransportHeaders = entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(got, built, "{n} headers");
        assert_eq!(got.len(), n);
        assert_eq!(got.encoded_len(), block.len());
        let mut out = BytesMut::new();
        got.encode(&mut out).unwrap();
        assert_eq!(&out[..], &block[..]);
        assert!(got.validate().is_ok());
        for (k, _) in &entries {
            assert_eq!(got.get(k), Some("v"));
            let shared = got.get_shared(k).unwrap();
            // A slice of the frame, not a copy.
            assert!(block.as_ptr_range().contains(&shared.as_ptr()));
        }
        assert_eq!(got.get("absent"), None);
        // Changes: replace, add, add-if-absent, remove.
        let mut want = built.clone();
        for h in [&mut got, &mut want] {
            h.insert("k0", "w");
            h.insert("new", "x");
            h.insert_default("new", "ignored");
            h.insert_default("d", "y");
            assert_eq!(h.remove("new").as_deref(), Some(&b"x"[..]));
            assert_eq!(h.remove("absent"), None);
        }
        assert_eq!(got, want);
        assert_eq!(got.get("k0"), Some("w"));
        assert_eq!(got.get("d"), Some("y"));
        assert_eq!(got.iter().count(), want.len());
    }
}

/// A cut or bad header block gives the errors of the per-field reader: the field, what it
/// needed and what was left; a key repeated anywhere among many headers is refused.
#[test]
fn bad_header_blocks_name_the_field() {
    let decode = |hex_str: &str| {
        TransportHeaders::decode(&mut Reader::new(Bytes::from(
            hex::decode(hex_str.replace(' ', "")).unwrap(),
        )))
    };
    let short = |field, needed, remaining| DecodeError::Short {
        field,
        needed,
        remaining,
    };
    for (bytes, field, needed, remaining) in [
        ("01", "transport header key", 1, 0),
        ("01 03 6b65", "transport header key", 3, 2),
        ("01 03 6b6579", "transport header value", 1, 0),
        (
            "02 01 61 01 62 03 6b6579 04 7661",
            "transport header value",
            4,
            2,
        ),
    ] {
        assert_eq!(decode(bytes).unwrap_err(), short(field, needed, remaining));
    }
    let long_key = format!("01 11 {} 00", "61".repeat(17));
    assert!(matches!(
        decode(&long_key).unwrap_err(),
        DecodeError::Invalid {
            field: "transport header key",
            ..
        }
    ));
    let mut keys: Vec<String> = (0..10).map(|i| format!("k{i}")).collect();
    keys.push("k3".into());
    let entries: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), "")).collect();
    let e = TransportHeaders::decode(&mut Reader::new(header_block(&entries))).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid transport header key: duplicate key \"k3\""
    );
}

/// A lone `as` of a well-known scheme (a response's) is kept without a vector, and behaves as
/// any other header: replaced, joined by others, removed, encoded.
#[test]
fn a_single_well_known_header_behaves_as_any() {
    let mut h = TransportHeaders::new();
    h.insert_default("as", "raw");
    h.insert_default("as", "ignored");
    assert_eq!((h.get("as"), h.len()), (Some("raw"), 1));
    assert_eq!(h.get_shared("as").as_deref(), Some(&b"raw"[..]));
    assert!(h.validate().is_ok());
    let mut out = BytesMut::new();
    h.encode(&mut out).unwrap();
    assert_eq!(&out[..], &header_block(&[("as", "raw")])[..]);
    h.insert("as", "json");
    assert_eq!((h.get("as"), h.len()), (Some("json"), 1));
    h.insert("cn", "me");
    assert_eq!(
        h.iter().collect::<Vec<_>>(),
        [(&b"as"[..], &b"json"[..]), (b"cn", b"me")]
    );
    assert_eq!(h.remove("as").as_deref(), Some(&b"json"[..]));
    assert_eq!(h, [("cn", "me")].into_iter().collect());
    let mut long = TransportHeaders::new();
    long.insert("sk", "k".repeat(300));
    assert_eq!(
        long.validate().unwrap_err().to_string(),
        "transport header `sk` value is 300 bytes long, the limit is 255"
    );
}

#[test]
fn shared_transport_headers_are_copied_on_change_not_before() {
    let base: TransportHeaders = [("as", "raw"), ("cn", "client"), ("re", "c")]
        .into_iter()
        .collect::<TransportHeaders>()
        .into_shared();
    let mut a = base.clone();
    let mut b = base.clone();
    assert_eq!(a, base);
    assert!(matches!(a.repr, Repr::Wire(..)), "a clone shares the block");
    a.insert("re", "n");
    b.insert("sk", "k");
    let c = base.clone().remove("cn");
    // Each change made its own copy; the shared list is as it was.
    assert_eq!(a.get("re"), Some("n"));
    assert_eq!(b.get("sk"), Some("k"));
    assert_eq!(c.as_deref(), Some(&b"client"[..]));
    assert_eq!(base.get("re"), Some("c"));
    assert_eq!(base.get("sk"), None);
    assert_eq!(base.len(), 3);
    // Shared or not, the same headers encode alike and compare equal.
    let owned: TransportHeaders = [("as", "raw"), ("cn", "client"), ("re", "c")]
        .into_iter()
        .collect();
    assert_eq!(owned, base);
    let (mut x, mut y) = (BytesMut::new(), BytesMut::new());
    owned.encode(&mut x).unwrap();
    base.encode(&mut y).unwrap();
    assert_eq!(x, y);
    assert_eq!(format!("{owned:?}"), format!("{base:?}"));
    // Headers that do not fit their wire fields are not made a block (their encoding fails).
    let long: TransportHeaders = [("sk", "k".repeat(300))].into_iter().collect();
    let long = long.into_shared();
    assert!(matches!(long.repr, Repr::Many(_)));
    assert!(long.encode(&mut BytesMut::new()).is_err());
}

/// Call frames decoded in one pass (`decode_fast`) give exactly what the field-by-field
/// decoder gives: the same frame for every valid payload, and for every cut or corrupted
/// one the same error (the one pass declines it and the field-by-field decoder names the
/// field). Payloads: requests and responses with 0 to 3 chunks, several header blocks and
/// every checksum type, each cut at every length and with every byte changed to a few values.
#[test]
fn one_pass_call_decoding_agrees_with_the_field_decoder() {
    let mut payloads = Vec::new();
    for kind in [
        ChecksumType::None,
        ChecksumType::Crc32,
        ChecksumType::Farmhash32,
        ChecksumType::Crc32c,
    ] {
        for headers in [
            vec![],
            vec![("as", "raw")],
            vec![("cn", "caller"), ("as", "thrift"), ("re", "c")],
        ] {
            let headers: TransportHeaders = headers.into_iter().collect();
            for n in 1..=3 {
                let mut chunks = Chunks::new();
                for i in 0..n {
                    chunks.push(Bytes::from(vec![b'a' + i as u8; i * 3]));
                }
                let checksum = Checksum { kind, value: 7 };
                let req = FrameBody::CallReq(CallReq {
                    flags: 0,
                    ttl: 100,
                    tracing: Tracing::default(),
                    service: Bytes::from_static(b"svc"),
                    headers: headers.clone(),
                    checksum,
                    chunks: chunks.clone(),
                });
                let res = FrameBody::CallRes(CallRes {
                    flags: 1,
                    code: 1,
                    headers: headers.clone(),
                    checksum,
                    chunks,
                    ..Default::default()
                });
                for body in [req, res] {
                    let b = Frame { id: 9, body }.to_bytes().unwrap();
                    payloads.push((b[2], b.slice(16..)));
                }
            }
        }
    }
    let mut checked = 0;
    let agree = |t: u8, p: Bytes| {
        let fast = Frame::decode(t, 9, p.clone());
        let fields = Frame::decode_fields(t, 9, p.clone());
        assert_eq!(fast, fields, "type {t:#04x} payload {}", hex::encode(&p));
    };
    for (t, p) in &payloads {
        for t in [*t, types::CALL_REQ, types::CALL_RES] {
            for cut in 0..=p.len() {
                agree(t, p.slice(..cut));
                checked += 1;
            }
            for i in 0..p.len() {
                for v in [0x00, 0x01, 0x02, 0x03, 0x04, 0x11, 0x80, 0xFF] {
                    let mut m = p.to_vec();
                    m[i] = v;
                    agree(t, Bytes::from(m));
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 10_000);
}

/// A key seen twice is refused wherever the two are, in blocks of every size on both sides
/// of where the classes `check_block` sorts keys into start to collide; distinct keys
/// (same length and ends included) are accepted.
#[test]
fn a_repeated_key_is_refused_at_any_place_in_small_and_large_blocks() {
    for n in 1..=10usize {
        // Same length, same first and last byte: only the middle tells them apart.
        let keys: Vec<String> = (0..n)
            .map(|i| format!("k{}k", (b'a' + i as u8) as char))
            .collect();
        let entries: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), "v")).collect();
        let ok = TransportHeaders::decode(&mut Reader::new(header_block(&entries)));
        assert_eq!(ok.unwrap().len(), n, "{n} distinct keys");
        for i in 0..n {
            for j in i + 1..n {
                let mut dup = entries.clone();
                dup[j].0 = entries[i].0;
                let e = TransportHeaders::decode(&mut Reader::new(header_block(&dup))).unwrap_err();
                assert_eq!(
                    e.to_string(),
                    format!("invalid transport header key: duplicate key {:?}", keys[i]),
                    "{n} keys, {j} repeats {i}"
                );
            }
        }
    }
}
