"""Apache Thrift's Python TBinaryProtocol as an oracle for ThriftTest.thrift types.

usage: thrifttest_values.py GEN_PY_DIR encode   -> prints {"name": "hex", ...}
       thrifttest_values.py GEN_PY_DIR check    <- reads {"name": "hex", ...} from stdin,
          decodes each into the type of the same-named value, checks it equals the value
          and re-encodes to the same bytes; prints "ok" or the mismatches and exits 1.
"""
import json
import sys

sys.path.insert(0, sys.argv[1])

from thrift.protocol import TBinaryProtocol  # noqa: E402
from thrift.transport import TTransport  # noqa: E402
from ThriftTest.ttypes import *  # noqa: E402,F401,F403

xtruct = Xtruct(string_thing="hello \u2713", byte_thing=-3, i32_thing=-100000, i64_thing=1 << 40)
insanity = Insanity(userMap={Numberz.ONE: 5, Numberz.FIVE: -1},
                    xtructs=[xtruct, Xtruct(string_thing="", byte_thing=0, i32_thing=0, i64_thing=0)])
v2 = VersioningTestV2(begin_in_both=1, newint=2, newbyte=3, newshort=-4, newlong=-(1 << 50),
                      newdouble=6.5, newstruct=Bonk(message="m", type=9), newlist=[1, 2, 3],
                      newset={1, 2, 3}, newmap={1: 10, 2: 20}, newstring="str", end_in_both=12)
bools = Bools(im_true=True, im_false=False)

VALUES = {
    "xtruct": xtruct,
    "xtruct2": Xtruct2(byte_thing=1, struct_thing=xtruct, i32_thing=7),
    "bools": bools,
    "insanity": insanity,
    "crazy": CrazyNesting(string_field="s", list_field=[], binary_field=b"\x00\xff"),
    "union_string": SomeUnion(string_thing="u"),
    "union_insanity": SomeUnion(insanity_thing=insanity),
    "xception": Xception(errorCode=1001, message="boom"),
    "xception2": Xception2(errorCode=2, struct_thing=xtruct),
    "v2": v2,
    "nested_mixed": NestedMixedx2(int_set_list=[{1, 2}, {3}], map_int_strset={1: {"a"}},
                                  map_int_strset_list=[{2: {"b"}}]),
    "large_deltas": LargeDeltas(b1=bools, b10=bools, b100=bools, check_true=True, b1000=bools,
                                check_false=False, vertwo2000=v2, a_set2500={"x"}, vertwo3000=v2,
                                big_numbers=[2**31 - 1, -2**31]),
    "struct_b": StructB(ab=StructA(s="req")),
    "bool_test": BoolTest(),
    "empty": EmptyStruct(),
    "one_field": OneField(field=EmptyStruct()),
    "nested_bonk": NestedListsBonk(bonk=[[[Bonk(message="a", type=1)], []]]),
    "optional_binary": OptionalBinary(bin_set={b"ab"}, bin_map={b"k": 3}),
    "guess": GuessProtocolStruct(map_field={"a": "1", "b": "2"}),
}


def encode(obj):
    buf = TTransport.TMemoryBuffer()
    obj.write(TBinaryProtocol.TBinaryProtocol(buf, strictRead=True, strictWrite=True))
    return buf.getvalue().hex()


def decode(cls, data):
    prot = TBinaryProtocol.TBinaryProtocol(TTransport.TMemoryBuffer(data), strictRead=True)
    obj = cls()
    # Immutable types (exceptions, `python.immutable`) read through a classmethod that
    # returns the new object; mutable ones fill `obj` in and return None.
    res = obj.read(prot)
    return obj if res is None else res


if sys.argv[2] == "encode":
    print(json.dumps({k: encode(v) for k, v in VALUES.items()}))
else:
    got = json.load(sys.stdin)
    bad = []
    for name, hexdata in got.items():
        expected = VALUES[name]
        obj = decode(type(expected), bytes.fromhex(hexdata))
        if obj != expected:
            bad.append("%s: decoded %r, expected %r" % (name, obj, expected))
        elif encode(obj) != hexdata:
            bad.append("%s: re-encoded %s, rust sent %s" % (name, encode(obj), hexdata))
    missing = set(VALUES) - set(got)
    if missing:
        bad.append("not sent: %s" % sorted(missing))
    if bad:
        print("\n".join(bad))
        sys.exit(1)
    print("ok")
