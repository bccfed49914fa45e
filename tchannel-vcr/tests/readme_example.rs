// The README's "Record and replay (VCR)" example, verbatim (a test checks they agree).
use keyvalue::service::key_value::GetValueError;
use keyvalue::service::KeyValueClient;
use tchannel_vcr::{use_cassette, RecordMode};

/// The first run records against a KeyValue server on 127.0.0.1:4040
/// (`cargo run -p keyvalue --bin keyvalue-server 127.0.0.1:4040`) into the cassette;
/// every later run replays it, with no server and no connection.
#[tokio::test]
async fn get_value_replays_from_the_cassette() -> Result<(), Box<dyn std::error::Error>> {
    let cassette = use_cassette("tests/cassettes/keyvalue.yaml", RecordMode::Once)?;
    let channel = cassette
        .channel_builder("keyvalue-test")
        .known_peers(["127.0.0.1:4040"])
        .build();
    let kv = KeyValueClient::new(channel.thrift_client(keyvalue::SERVICE));

    kv.set_value("foo", "bar").await?;
    assert_eq!(kv.get_value("foo").await?, "bar");
    let missing = kv.get_value("nothing").await.unwrap_err();
    assert!(matches!(
        missing.exception(),
        Some(GetValueError::NotFound(_))
    ));
    Ok(()) // the cassette is saved here, when dropped, if anything new was recorded
}

/// The README shows this file: keep them the same.
#[test]
fn the_readme_shows_this_example() {
    let readme = include_str!("../../README.md");
    let section = &readme[readme
        .find("## Record and replay (VCR)")
        .expect("the README section")..];
    let start =
        section.find("```rust,ignore\n").expect("its Rust block") + "```rust,ignore\n".len();
    let block = &section[start..start + section[start..].find("```").unwrap()];
    let this = include_str!("readme_example.rs");
    let example = &this[this.find('\n').unwrap() + 1..this.find("\n/// The README shows").unwrap()];
    assert_eq!(
        block, example,
        "README.md and tchannel-vcr/tests/readme_example.rs differ"
    );
}
