fn main() {
    // The richest IDL in the repository: every field kind (base types, binary, enums, unions,
    // nested structs, lists, sets, maps of lists), for the thrift_struct target.
    tchannel_build::compile("../tests/thrift/rich.thrift");
}
