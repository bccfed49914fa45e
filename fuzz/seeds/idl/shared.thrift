/** Types and a base service shared by other IDL files. */

enum Status {
  OK = 0,
  DEGRADED = 1,
  DOWN = 2
}

struct SharedStruct {
  1: i32 key
  2: string value
  3: optional Status status
}

exception SharedError {
  1: string message
}

/** Every service can say how it is. */
service SharedService {
  /** Gets a shared struct by key. */
  SharedStruct getStruct(1: i32 key) throws (1: SharedError err)
  Status health()
}
