// A richer IDL for interop: nested structs, containers, enums, unions, binary, several
// exceptions, and a service that extends another. Every method echoes its first argument.

enum Color {
    RED = 1,
    GREEN = 2,
    BLUE = 7,
}

union Shape {
    1: double radius
    2: list<double> sides
    3: string name
}

struct Point {
    1: required i32 x
    2: required i32 y
}

struct Item {
    1: required string name
    2: optional i64 id
    3: required list<Point> path
    4: required map<string, i32> counts
    5: required set<string> tags
    6: required Color color
    7: optional binary blob
    8: optional Shape shape
    9: required bool flag
    10: required double ratio
    11: required i16 small
    12: required byte tiny
    13: optional map<i32, list<Point>> nested
}

exception Invalid {
    1: required string reason
}

exception Missing {
    1: required string what
    2: optional i32 code
}

service Base {
    Item echoItem(1: Item item) throws (1: Invalid invalid, 2: Missing missing)
    // For peers that echo: the exception to throw travels as an argument of the same name.
    // The `throw` application header names the one to throw.
    Item check(1: Item item, 2: Invalid invalid, 3: Missing missing)
        throws (1: Invalid invalid, 2: Missing missing)
}

service Rich extends Base {
    Shape echoShape(1: Shape shape) throws (1: Invalid invalid)
    Color echoColor(1: Color color)
    list<map<string, set<i32>>> echoNested(1: list<map<string, set<i32>>> v)
}
