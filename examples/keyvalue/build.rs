fn main() {
    // Generates $OUT_DIR/service.rs: the KeyValue trait, KeyValueServer, KeyValueClient and
    // the NotFoundError exception. Reruns when the IDL changes.
    tchannel_build::compile("thrift/service.thrift");
}
