//! The Thrift binary protocol (strict `TBinaryProtocol`), used by generated code.
