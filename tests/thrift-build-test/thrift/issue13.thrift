/** Generated-code cases from issue 13. This comment documents the file, not `Color`. */

enum Color {
  RED = 1,
  GREEN = 2,
}

/** An enum with a member named `UNKNOWN`. */
enum Level {
  UNKNOWN = 0,
  LOW = 1,
}

/** A point: two doubles. */
struct Point {
  1: double x,
  2: double y,
}

/** Doubles reached from set elements and map keys. */
struct Shapes {
  1: set<Point> points,
  2: map<Point, string> names,
  3: set<list<double>> paths,
  4: map<list<double>, list<double>> scaled,
}

/** No `message` field. */
exception NotFound {
  1: string key,
  2: optional i32 shard,
}

exception Empty {}

struct Documented {
  /**
   * The key. It may be:
   * - short
   * or long, and this line continues the text, not the list.
   */
  1: optional string key = "k",
  /** The count. */
  2: required i32 count,
  3: i64 plain,
}

typedef list<double> Path

/** A typedef'd container of doubles as a set element, and constants of key types. */
struct Paths {
  1: set<Path> named,
  2: optional map<Point, Path> by_point,
}

const set<Point> ORIGINS = [{"x": 0, "y": 0.5}]
const map<list<double>, i32> SCALES = {[1.5, 2]: 3}

typedef string Name

/** Arguments a caller passes as literals: string, typedef'd string and binary. */
service Blobs {
  binary tag(1: Name name, 2: binary data, 3: optional string note, 4: i32 n)
}
