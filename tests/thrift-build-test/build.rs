fn main() {
    tchannel_build::compile("thrift/keyvalue.thrift");
    tchannel_build::compile("thrift/ThriftTest.thrift");
}
