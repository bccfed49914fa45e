/** Types that use shared.thrift's (generated in thrift-build-test) and const.thrift's. */

include "shared.thrift"
include "const.thrift"

struct Point {
  1: i32 x,
  2: i32 y,
}

struct Holder {
  1: shared.SharedStruct item,
  2: i32 limit = const.LIMIT,
}

service Ext extends shared.SharedService {
  Holder hold(1: shared.SharedStruct item) throws (1: shared.SharedError err)
}
