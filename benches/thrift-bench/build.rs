fn main() {
    tchannel_build::compile("thrift/bench.thrift");
}
