//! tcurl against a Rust server: thrift, json, raw, --health, and the exit code of every error.

mod common;
use common::{kv_idl, rust_server, tcurl};
use serde_json::json;

#[tokio::test]
async fn thrift_keyvalue_set_get_not_found() {
    let (_ch, addr) = rust_server("keyvalue").await;
    let idl = kv_idl();
    let base = ["-p", &addr, "keyvalue", "-t", &idl];

    let set = [
        &base[..],
        &["KeyValue::setValue", "-3", r#"{"key":"foo","value":"bar"}"#],
    ]
    .concat();
    let r = tcurl(&set).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.out["ok"], true);
    assert_eq!(r.out["body"], json!(null));
    assert_eq!(r.out["transport_headers"]["as"], "thrift");

    let get = [
        &base[..],
        &[
            "KeyValue::getValue",
            "-3",
            r#"{"key":"foo"}"#,
            "-2",
            r#"{"h":"v"}"#,
        ],
    ]
    .concat();
    let r = tcurl(&get).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.out["body"], "bar");
    assert!(r.out.get("exception").is_none());

    let missing = [&base[..], &["KeyValue::getValue", "-3", r#"{"key":"zz"}"#]].concat();
    let r = tcurl(&missing).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.out["ok"], false);
    assert_eq!(r.out["exception"], "notFound");
    assert_eq!(r.out["body"], json!({"key": "zz"}));
}

#[tokio::test]
async fn health_json_raw() {
    let (ch, addr) = rust_server("svc").await;
    let r = tcurl(&["-p", &addr, "svc", "--health"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.out["body"]["ok"], true);
    assert_eq!(r.out["body"]["state"], "ACCEPTING");
    ch.set_health(false, Some("draining".into()));
    let r = tcurl(&["-p", &addr, "svc", "--health"]).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.out["ok"], true);
    assert_eq!(
        r.out["body"],
        json!({"ok": false, "message": "draining", "state": "REFUSING"})
    );

    let r = tcurl(&[
        "-p",
        &addr,
        "svc",
        "add",
        "-j",
        "-3",
        r#"{"a":1,"b":2}"#,
        "-2",
        r#"{"x":"y"}"#,
    ])
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.out["body"], json!({"sum": 3}));
    assert_eq!(r.out["headers"], json!({"x": "y"}));
    assert_eq!(r.out["transport_headers"]["as"], "json");
    // json is the default scheme when the endpoint has no `::`; the body may be positional.
    let r = tcurl(&["-p", &addr, "svc", "add", r#"{"a":40,"b":2}"#]).await;
    assert_eq!(r.out["body"], json!({"sum": 42}), "{r:?}");
    let r = tcurl(&["-p", &addr, "svc", "notok", "-j", "-3", r#"{"q":1}"#]).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.out["ok"], false);
    assert_eq!(r.out["body"]["request"], json!({"q": 1}));

    let r = tcurl(&["-p", &addr, "svc", "echo", "-r", "-2", "head", "-3", "body"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.out["headers"], "head");
    assert_eq!(r.out["body"], "body");
    let r = tcurl(&["-p", &addr, "svc", "notok", "-r", "-3", "nope"]).await;
    assert_eq!(
        (r.code, &r.out["ok"], &r.out["body"]),
        (1, &json!(false), &json!("nope"))
    );
}

#[tokio::test]
async fn transport_headers_checksum_retry_flags_reach_the_server() {
    let (_ch, addr) = rust_server("svc").await;
    let r = tcurl(&[
        "-p",
        &addr,
        "svc",
        "inspect",
        "-r",
        "--cn",
        "me",
        "--sk",
        "shard",
        "--rd",
        "deleg",
        "--header",
        "xk=xv",
        "--checksum",
        "crc32",
        "--retry",
        "ct",
        "--timeout",
        "1500",
    ])
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    let seen: serde_json::Value = serde_json::from_str(r.out["body"].as_str().unwrap()).unwrap();
    assert_eq!(seen["caller_name"], "me");
    let th = &seen["transport_headers"];
    assert_eq!(
        (&th["sk"], &th["rd"], &th["xk"], &th["re"], &th["as"]),
        (
            &json!("shard"),
            &json!("deleg"),
            &json!("xv"),
            &json!("ct"),
            &json!("raw")
        )
    );
    assert_eq!(seen["checksum_type"], 1);
    let ttl = seen["ttl_ms"].as_u64().unwrap();
    assert!(ttl > 1000 && ttl <= 1500, "{ttl}");
}

#[tokio::test]
async fn exit_codes() {
    let (_ch, addr) = rust_server("svc").await;
    let kv = kv_idl();
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (vec!["-p", &addr, "svc", "nosuch", "-r"], 16, "bad_request"),
        (vec!["-p", &addr, "svc", "busy", "-r"], 13, "busy"),
        (vec!["-p", &addr, "svc", "declined", "-r"], 14, "declined"),
        (
            vec!["-p", &addr, "svc", "unexpected", "-r", "-3", "boom"],
            15,
            "unexpected",
        ),
        (
            vec![
                "-p",
                &addr,
                "svc",
                "slow",
                "-r",
                "-3",
                "500",
                "--timeout",
                "100",
            ],
            11,
            "timeout",
        ),
        (
            vec!["-p", "127.0.0.1:1", "svc", "echo", "-r"],
            17,
            "network",
        ),
    ];
    for (args, code, kind) in cases {
        let r = tcurl(&args).await;
        assert_eq!(r.code, code, "{args:?}: {r:?}");
        assert_eq!(r.out["ok"], false);
        assert_eq!(r.out["error"]["type"], kind, "{args:?}: {r:?}");
        assert!(
            r.stderr.starts_with(&format!("tcurl: {kind}: ")),
            "{}",
            r.stderr
        );
    }
    let r = tcurl(&["-p", &addr, "svc", "unexpected", "-r", "-3", "boom"]).await;
    assert_eq!(r.out["error"]["message"], "boom");
    assert_eq!(r.out["error"]["code"], 5);

    // Local problems: nothing is sent.
    let bad: Vec<(Vec<&str>, i32, &str)> = vec![
        (
            vec!["-p", &addr, "svc", "-t", &kv, "KeyValue::nope"],
            3,
            "no method \"nope\"",
        ),
        (
            vec![
                "-p",
                &addr,
                "svc",
                "-t",
                "/nonexistent.thrift",
                "KeyValue::getValue",
            ],
            3,
            "cannot read",
        ),
        (
            vec![
                "-p",
                &addr,
                "svc",
                "-t",
                &kv,
                "KeyValue::getValue",
                "-3",
                "{bad",
            ],
            4,
            "not valid JSON",
        ),
        (
            vec![
                "-p",
                &addr,
                "svc",
                "-t",
                &kv,
                "KeyValue::getValue",
                "-3",
                r#"{"key":1}"#,
            ],
            4,
            "key: expected string, got 1",
        ),
        (
            vec![
                "-p",
                &addr,
                "svc",
                "-t",
                &kv,
                "KeyValue::getValue",
                "-3",
                r#"{"kee":"a"}"#,
            ],
            4,
            "unknown field \"kee\"",
        ),
        (
            vec![
                "-p",
                &addr,
                "svc",
                "-t",
                &kv,
                "KeyValue::getValue",
                "-2",
                r#"{"h":1}"#,
            ],
            4,
            "header \"h\" must be a string",
        ),
        (
            vec!["-p", &addr, "svc", "KeyValue::getValue"],
            2,
            "give its IDL with -t",
        ),
        (vec!["svc", "echo"], 2, "no peer"),
        (
            vec!["-p", &addr, "svc", "echo", "--retry", "x"],
            2,
            "invalid value",
        ),
    ];
    for (args, code, msg) in bad {
        let r = tcurl(&args).await;
        assert_eq!(r.code, code, "{args:?}: {r:?}");
        assert!(r.stderr.contains(msg), "{args:?}: {}", r.stderr);
    }
}

#[tokio::test]
async fn several_peers_and_a_peer_list_retry_elsewhere() {
    let (_ch, addr) = rust_server("svc").await;
    let dir = std::env::temp_dir().join(format!("tcurl-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let hosts = dir.join("hosts.json");
    std::fs::write(&hosts, json!(["127.0.0.1:1", addr]).to_string()).unwrap();
    let hosts = hosts.display().to_string();
    // One peer refuses; with retries the call reaches the other, whichever is tried first.
    for _ in 0..4 {
        let r = tcurl(&[
            "-P",
            &hosts,
            "svc",
            "echo",
            "-r",
            "-3",
            "hi",
            "--retry-limit",
            "1",
        ])
        .await;
        assert_eq!(r.code, 0, "{r:?}");
        assert_eq!(r.out["body"], "hi");
        let r = tcurl(&[
            "-p",
            "127.0.0.1:1",
            "-p",
            &addr,
            "svc",
            "echo",
            "-r",
            "-3",
            "hi",
            "--retry-limit",
            "1",
        ])
        .await;
        assert_eq!(r.code, 0, "{r:?}");
    }
    let r = tcurl(&["-t", &kv_idl(), "--list"]).await;
    assert_eq!(r.out, json!({"KeyValue": ["getValue", "setValue"]}));
}

#[tokio::test]
async fn a_response_that_does_not_match_the_idl_exits_5_and_output_starts_with_ok() {
    let (_ch, addr) = rust_server("svc").await;
    let dir = std::env::temp_dir().join(format!("tcurl-wrong-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let wrong = dir.join("wrong.thrift");
    // getValue returns a string on the server; this IDL says i32.
    std::fs::write(&wrong, "service KeyValue { i32 getValue(1: string key) }").unwrap();
    let wrong = wrong.display().to_string();
    let r = tcurl(&[
        "-p",
        &addr,
        "svc",
        "-t",
        &kv_idl(),
        "KeyValue::setValue",
        "-3",
        r#"{"key":"a","value":"b"}"#,
    ])
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    let r = tcurl(&[
        "-p",
        &addr,
        "svc",
        "-t",
        &wrong,
        "KeyValue::getValue",
        "-3",
        r#"{"key":"a"}"#,
    ])
    .await;
    assert_eq!(r.code, 5, "{r:?}");
    assert!(
        r.stderr
            .contains("success: field id 0 has wire type String, the IDL says I32"),
        "{}",
        r.stderr
    );

    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_tcurl"))
        .args(["-p", &addr, "svc", "echo", "-r", "-3", "x"])
        .output()
        .await
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(r#"{"ok":true,"headers":"","body":"x","transport_headers":{"#),
        "{text}"
    );
}

#[tokio::test]
async fn a_not_ok_response_that_is_not_a_declared_result_shows_its_bytes() {
    use tchannel_runtime::{Raw, Response};
    let (ch, addr) = rust_server("svc").await;
    ch.register("Weird::m", Raw, |_req| async {
        Ok(Response::app_error(bytes::Bytes::from_static(b"\x01\x02")))
    });
    let dir = std::env::temp_dir().join(format!("tcurl-weird-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let idl = dir.join("weird.thrift");
    std::fs::write(&idl, "service Weird { string m() }").unwrap();
    let r = tcurl(&[
        "-p",
        &addr,
        "svc",
        "-t",
        &idl.display().to_string(),
        "Weird::m",
    ])
    .await;
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.out["ok"], false);
    assert_eq!(r.out["body"], json!({"base64": "AQI="}));
    assert!(r.stderr.contains("does not decode"), "{}", r.stderr);
}

#[tokio::test]
async fn introspect_prints_the_channel_state() {
    let ch = tchannel_runtime::TChannel::builder("svc")
        .introspection(true)
        .max_inbound_calls(123)
        .build();
    ch.register("echo", tchannel_runtime::Raw, |req| async move {
        Ok(tchannel_runtime::Response::new(req.body))
    });
    let addr = ch.listen("127.0.0.1:0").await.unwrap().to_string();
    let r = tcurl(&["-p", &addr, "svc", "--introspect"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.out["ok"], true);
    let state = &r.out["body"];
    assert_eq!(state["service"], "svc");
    assert_eq!(state["hostport"], addr.as_str());
    assert_eq!(state["limits"]["max_inbound_calls"], 123);
    assert_eq!(state["connections_total"], 1, "tcurl's own: {state:#}");
    assert_eq!(state["connections"][0]["direction"], "inbound");
    assert!(
        state["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["endpoint"] == "echo" && e["scheme"] == "raw"),
        "{state:#}"
    );

    // A channel that does not serve it: a bad request, and a hint why.
    let (_plain, plain) = rust_server("plain").await;
    let r = tcurl(&["-p", &plain, "plain", "--introspect"]).await;
    assert_eq!(r.code, 16, "{r:?}");
    assert!(r.stderr.contains(".introspection(true)"), "{}", r.stderr);
}
