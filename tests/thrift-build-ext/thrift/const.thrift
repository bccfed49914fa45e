/** A module named after a Rust keyword. */

const i32 LIMIT = 10
