include "shared.thrift"

const shared.Status DEFAULT_STATUS = shared.Status.DEGRADED
const map<string, shared.SharedStruct> SEED = {"one": {"key": 1, "value": "uno"}}

/** A binary tree: recursive through a direct field. */
struct Tree {
  1: i32 value
  2: optional Tree left
  3: optional Tree right
}

union Shape {
  1: double circle_radius
  2: list<double> polygon
  3: Tree tree
}

exception Overloaded {
  1: i32 retry_after_ms
}

/** A calculator that extends the shared service from another file. */
service Calculator extends shared.SharedService {
  i64 add(1: i64 a, 2: i64 b)
  double area(1: Shape shape) throws (1: Overloaded overloaded, 2: shared.SharedError shared)
  Tree mirror(1: Tree tree)
  oneway void log(1: string line)
  map<string, shared.SharedStruct> seed()
}
