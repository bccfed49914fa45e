use std::path::PathBuf;

/// Apache Thrift's test IDLs that its compiler accepts (BrokenConstants.thrift is the one it
/// rejects), compiled to check that real-world IDL generates code that builds without warnings.
const CORPUS: &[&str] = &[
    "AnnotationTest",
    "ConstantsDemo",
    "DebugProtoTest",
    "DenseLinkingTest",
    "DocTest",
    "DoubleConstantsTest",
    "EnumContainersTest",
    "EnumTest",
    "FullCamelTest",
    "Identifiers",
    "Include",
    "Int64Test",
    "JsDeepConstructorTest",
    "ManyOptionals",
    "ManyTypedefs",
    // NameConflictTest is left out: its struct TheEdgeCase has fields `theEdgeCase` and
    // `TheEdgeCase`, both `the_edge_case` in Rust, a located error (tchannel-thrift-gen tests).
    "OptionalRequiredTest",
    "Recursive",
    "ReuseObjects",
    "Service",
    "SmallTest",
    "SpecificNameTest",
    "StressTest",
    "ThriftTest",
    "TypedefTest",
    "Types",
    "UnsafeTypes",
    "VoidMethExceptionsTest",
];

fn main() {
    tchannel_build::compile("thrift/keyvalue.thrift");
    tchannel_build::compile("thrift/issue13.thrift");
    tchannel_build::compile("thrift/clash.thrift");
    tchannel_build::configure()
        .ordered_doubles(true)
        .compile(&["thrift/ordered.thrift"]);
    // Apache's cross-language test IDL, from the generator's corpus (one copy of it).
    tchannel_build::compile("../../tchannel-thrift-gen/tests/data/apache/ThriftTest.thrift");
    // `extends` and types across files: inherit.thrift includes shared.thrift.
    tchannel_build::compile("../../tchannel-thrift-gen/tests/golden/idl/inherit.thrift");

    let corpus = PathBuf::from("../../tchannel-thrift-gen/tests/data/apache");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap()).join("corpus");
    std::fs::create_dir_all(&out).unwrap();
    let files: Vec<PathBuf> = CORPUS
        .iter()
        .map(|f| corpus.join(format!("{f}.thrift")))
        .collect();
    tchannel_build::configure().out_dir(out).compile(&files);
}
