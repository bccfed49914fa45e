fn main() {
    tchannel_build::configure()
        .include_dir("../../tchannel-thrift-gen/tests/golden/idl")
        .runtime_path("::rt")
        .extern_path("shared", "::thrift_build_test::shared")
        .type_attribute("ext.Point", "#[derive(serde::Serialize)]")
        .field_attribute("ext.Point.x", "#[serde(rename = \"X\")]")
        .include_file("thrift.rs")
        .compile(&["thrift/ext.thrift"]);
}
