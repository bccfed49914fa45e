#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/seeds/ from the repository's test data. Run from the
repository root: python3 fuzz/make_seeds.py. The seeds are committed; rerun after changing
the test data or this script."""
import os
import struct
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "fuzz", "seeds")
VECTORS = os.path.join(ROOT, "tchannel-runtime", "tests", "data", "vectors")


def write(target, name, data):
    d = os.path.join(SEEDS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def hexfile(path):
    with open(path) as f:
        return bytes.fromhex("".join(f.read().split()))


# frame: each curated capture alone, and one connection's frames back to back.
frames = {}
for name in sorted(os.listdir(VECTORS)):
    if name.endswith(".hex"):
        frames[name[:-4]] = hexfile(os.path.join(VECTORS, name))
        write("frame", name[:-4], frames[name[:-4]])
write("frame", "stream_init_call_ping", b"".join(
    frames[n] for n in ["init_req", "init_res", "call_req_thrift_getValue",
                        "call_res_thrift_getValue_ok", "ping_req", "ping_res", "error_busy"]))


# fragment: mode 0 (hand-built frames) and mode 1 (fragmenter round trip), for each checksum.
def crc32c(data, crc=0):
    crc ^= 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def chunk(data):
    assert len(data) <= 0xEF
    return bytes([len(data)]) + data


for kind in range(4):
    # mode 0, no limit, checksum `kind`: one frame holding three args, no more fragments.
    write("fragment", f"frames_one_{kind}",
          bytes([kind << 3, 0b1000]) + chunk(b"echo") + chunk(b"head") + chunk(b"body"))
    # mode 0: arg1 split over two frames, then arg2 and arg3.
    write("fragment", f"frames_two_{kind}",
          bytes([kind << 3, 0b0001]) + chunk(b"ec") +
          bytes([0b1000]) + chunk(b"ho") + chunk(b"h") + chunk(b"b"))
    # mode 1: response?, checksum `kind`, continue frames of 7+16, first frame 3+10 bytes.
    body = b"KeyValue::getValue" + b"\x00\x00" + bytes.fromhex("0b0001000000036b657900")
    write("fragment", f"round_trip_{kind}",
          bytes([1 | (kind << 2), 16, 10]) + struct.pack(">HH", 18, 2) + body)
write("fragment", "round_trip_response_big",
      bytes([3 | (3 << 2), 200, 50]) + struct.pack(">HH", 100, 300) + bytes(range(256)) * 3)


# Thrift bodies for rich.thrift (TBinaryProtocol).
def fld(ty, fid, v):
    return struct.pack(">bh", ty, fid) + v


def i32(v): return struct.pack(">i", v)
def i64(v): return struct.pack(">q", v)
def s(v): return i32(len(v)) + v
def dbl(v): return struct.pack(">d", v)


STOP = b"\x00"
point = fld(8, 1, i32(3)) + fld(8, 2, i32(-4)) + STOP
shape_sides = fld(15, 2, bytes([4]) + i32(3) + dbl(1.0) + dbl(2.5) + dbl(3.25)) + STOP
shape_radius = fld(4, 1, dbl(1.5)) + STOP
item = (fld(11, 1, s(b"widget")) + fld(10, 2, i64(7)) +
        fld(15, 3, bytes([12]) + i32(2) + point + point) +
        fld(13, 4, bytes([11, 8]) + i32(1) + s(b"a") + i32(1)) +
        fld(14, 5, bytes([11]) + i32(2) + s(b"x") + s(b"y")) +
        fld(8, 6, i32(7)) + fld(11, 7, s(b"\x00\xff")) + fld(12, 8, shape_sides) +
        fld(2, 9, b"\x01") + fld(4, 10, dbl(0.5)) + fld(6, 11, struct.pack(">h", -2)) +
        fld(3, 12, b"\x7f") +
        fld(13, 13, bytes([8, 15]) + i32(1) + i32(9) + bytes([12]) + i32(1) + point) + STOP)
missing = fld(11, 1, s(b"key")) + fld(8, 2, i32(404)) + STOP
check_args = fld(12, 1, item) + fld(12, 2, fld(11, 1, s(b"bad")) + STOP) + fld(12, 3, missing) + STOP
echo_item_result = fld(12, 0, item) + STOP
nested = fld(15, 1, bytes([13]) + i32(1) + bytes([11, 14]) + i32(1) + s(b"k") +
             bytes([8]) + i32(2) + i32(1) + i32(2)) + STOP
echo_shape_result = fld(12, 0, shape_radius) + STOP
# Selector byte % 8 as in thrift_struct: Item, Shape, Point, Missing, CheckArgs, EchoItemResult,
# EchoNestedArgs, EchoShapeResult.
bodies = [("item", item), ("shape", shape_sides), ("point", point), ("missing", missing),
          ("check_args", check_args), ("echo_item_result", echo_item_result),
          ("echo_nested_args", nested), ("echo_shape_result", echo_shape_result)]
for i, (name, body) in enumerate(bodies):
    write("thrift_struct", name, bytes([i]) + body)
# thrift_dynamic: high nibble % 5 picks Item, Shape, Point, Invalid, Missing; low nibble is the
# wire type given to Reader::skip (12 = struct).
for i, (name, body) in enumerate([("item", item), ("shape", shape_sides), ("point", point),
                                  ("invalid", fld(11, 1, s(b"why")) + STOP),
                                  ("missing", missing)]):
    write("thrift_dynamic", name, bytes([(i << 4) | 12]) + body)

# idl: the generator's test IDLs that are small enough (the whole corpus is read by the
# stable replay test from tchannel-thrift-gen/tests anyway).
for d in ["tchannel-thrift-gen/tests/data/apache", "tchannel-thrift-gen/tests/golden/idl",
          "tests/thrift"]:
    for name in sorted(os.listdir(os.path.join(ROOT, d))):
        p = os.path.join(ROOT, d, name)
        if name.endswith(".thrift") and os.path.getsize(p) <= 4096:
            with open(p, "rb") as f:
                write("idl", name, f.read())

# cassette: the two cassettes in the tests, and YAML with anchors and aliases.
for p in ["tchannel-vcr/tests/cassettes/keyvalue.yaml", "tchannel-vcr/tests/data/python_keyvalue.yaml"]:
    with open(os.path.join(ROOT, p), "rb") as f:
        write("cassette", os.path.basename(p), f.read())
write("cassette", "aliases.yaml", b"""interactions:
- request: &req
    argScheme: 0
    body: !!binary ""
    endpoint: echo
    headers: !!binary ""
    hostPort: ''
    knownPeers: &peers [a, b]
    serviceName: svc
    transportHeaders: []
  response:
    body: !!binary aGk=
    code: 0
    headers: !!binary ""
    status: 0
- request: *req
  response:
    body: !!binary ""
    code: 1
    headers: !!binary ""
    status: 0
version: 1
""")
