fn main() {
    tchannel_build::compile("thrift/rich.thrift");
}
