//! Compile Thrift IDL from build.rs.
