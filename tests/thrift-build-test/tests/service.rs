//! A server trait implementation called through the generated dispatcher, and the generated
//! client talking to it through an in-memory transport.

use std::collections::BTreeMap;
use std::sync::Mutex;

use tchannel_runtime::thrift::{
    Bytes, DecodeErrorKind, DispatchError, Error, RequestContext, Response, Service, ThriftStruct,
};
use thrift_build_test::keyvalue::{
    key_value, KeyValue, KeyValueClient, KeyValueServer, NotFoundError,
};
use thrift_build_test::support::{block_on, Loopback};

#[derive(Default)]
struct Store {
    values: Mutex<BTreeMap<String, String>>,
}

impl KeyValue for Store {
    async fn get_value(
        &self,
        ctx: &RequestContext,
        key: String,
    ) -> Result<String, Error<key_value::GetValueError>> {
        ctx.set_response_header("served-by", "store");
        if key == "boom" {
            return Err(Error::failure("storage is on fire"));
        }
        match self.values.lock().unwrap().get(&key) {
            Some(v) => Ok(v.clone()),
            None => Err(NotFoundError { key }.into()),
        }
    }

    async fn set_value(
        &self,
        _ctx: &RequestContext,
        key: String,
        value: String,
    ) -> Result<(), Error<tchannel_runtime::thrift::NoException>> {
        self.values.lock().unwrap().insert(key, value);
        Ok(())
    }
}

#[test]
fn dispatcher_serves_methods_by_arg1() {
    block_on(async {
        let server = KeyValueServer::new(Store::default());
        assert_eq!(server.name(), "KeyValue");
        assert_eq!(
            server.methods(),
            &["KeyValue::getValue", "KeyValue::setValue"]
        );

        let args = key_value::SetValueArgs {
            key: "a".into(),
            value: "1".into(),
        };
        let (_, res) = server
            .call(
                RequestContext::default(),
                "KeyValue::setValue",
                args.to_bytes(),
            )
            .await;
        let res = res.unwrap();
        // void result: an empty struct, a lone STOP byte.
        assert_eq!(
            res,
            Response {
                ok: true,
                body: Bytes::from_static(&[0])
            }
        );

        let args = key_value::GetValueArgs { key: "a".into() };
        let (mut ctx, res) = server
            .call(
                RequestContext::default(),
                "KeyValue::getValue",
                args.to_bytes(),
            )
            .await;
        let res = res.unwrap();
        assert!(res.ok);
        // field 0: string "1"
        assert_eq!(&res.body[..], &[11, 0, 0, 0, 0, 0, 1, b'1', 0]);
        assert_eq!(ctx.take_response_headers()["served-by"], "store");

        // A declared exception: not ok, the exception in field 1.
        let args = key_value::GetValueArgs { key: "zz".into() };
        let (_, res) = server
            .call(
                RequestContext::default(),
                "KeyValue::getValue",
                args.to_bytes(),
            )
            .await;
        let res = res.unwrap();
        assert!(!res.ok);
        assert_eq!(
            key_value::GetValueResult::from_bytes(res.body).unwrap(),
            key_value::GetValueResult::NotFound(NotFoundError { key: "zz".into() })
        );
    });
}

#[test]
fn dispatcher_errors_are_typed() {
    block_on(async {
        let server = KeyValueServer::new(Store::default());
        let (_, res) = server
            .call(
                RequestContext::default(),
                "KeyValue::nope",
                Bytes::from_static(&[0]),
            )
            .await;
        assert!(matches!(res, Err(DispatchError::UnknownMethod(m)) if m == "KeyValue::nope"));

        // key has the wrong length: a bad request naming the struct and field.
        let (_, res) = server
            .call(
                RequestContext::default(),
                "KeyValue::getValue",
                Bytes::from_static(&[11, 0, 1, 0, 0, 0, 9, b'x', 0]),
            )
            .await;
        match res {
            Err(DispatchError::BadRequest(e)) => {
                assert_eq!(e.kind(), &DecodeErrorKind::SizeTooLarge(9));
                assert_eq!(
                    e.to_string(),
                    "getValue_args.key: size 9 is larger than the remaining input"
                );
            }
            other => panic!("{other:?}"),
        }

        // An undeclared failure of the handler: unexpected, with its message.
        let args = key_value::GetValueArgs { key: "boom".into() };
        let (_, res) = server
            .call(
                RequestContext::default(),
                "KeyValue::getValue",
                args.to_bytes(),
            )
            .await;
        match res {
            Err(DispatchError::Unexpected(e)) => assert_eq!(e.to_string(), "storage is on fire"),
            other => panic!("{other:?}"),
        }
    });
}

#[test]
fn client_separates_exceptions_from_failures() {
    block_on(async {
        let client = KeyValueClient::new(Loopback(KeyValueServer::new(Store::default())));
        client.set_value("k", "v").await.unwrap();
        assert_eq!(client.get_value("k").await.unwrap(), "v");
        match client.get_value("missing").await {
            Err(Error::Exception(key_value::GetValueError::NotFound(e))) => {
                assert_eq!(e.key, "missing")
            }
            other => panic!("{other:?}"),
        }
        match client.get_value("boom").await {
            Err(Error::Failure(e)) => assert!(e.to_string().contains("storage is on fire")),
            other => panic!("{other:?}"),
        }
    });
}

/// arg3 bytes of frames tchannel-node 4.0.1 sent for the KeyValue service (the captures in
/// `tchannel-runtime/tests/data/vectors/`): ours decode them and encode the same bytes.
#[test]
fn node_captured_arg3_round_trips() {
    let get_args = [0x0b, 0, 1, 0, 0, 0, 3, b'f', b'o', b'o', 0];
    let v = key_value::GetValueArgs::from_bytes(Bytes::copy_from_slice(&get_args)).unwrap();
    assert_eq!(v.key, "foo");
    assert_eq!(&v.to_bytes()[..], &get_args);

    let ok = [0x0b, 0, 0, 0, 0, 0, 3, b'b', b'a', b'r', 0];
    let r = key_value::GetValueResult::from_bytes(Bytes::copy_from_slice(&ok)).unwrap();
    assert_eq!(r, key_value::GetValueResult::Success("bar".into()));
    assert_eq!(&r.to_bytes()[..], &ok);

    let mut not_found = vec![0x0c, 0, 1, 0x0b, 0, 1, 0, 0, 0, 7];
    not_found.extend_from_slice(b"missing");
    not_found.extend_from_slice(&[0, 0]);
    let r = key_value::GetValueResult::from_bytes(Bytes::from(not_found.clone())).unwrap();
    assert_eq!(
        r,
        key_value::GetValueResult::NotFound(NotFoundError {
            key: "missing".into()
        })
    );
    assert_eq!(&r.to_bytes()[..], &not_found[..]);

    let mut set_args = vec![0x0b, 0, 1, 0, 0, 0, 3];
    set_args.extend_from_slice(b"foo");
    set_args.extend_from_slice(&[0x0b, 0, 2, 0, 0, 0, 3]);
    set_args.extend_from_slice(b"bar");
    set_args.push(0);
    let v = key_value::SetValueArgs::from_bytes(Bytes::from(set_args.clone())).unwrap();
    assert_eq!((v.key.as_str(), v.value.as_str()), ("foo", "bar"));
    assert_eq!(&v.to_bytes()[..], &set_args[..]);

    let void = key_value::SetValueResult::from_bytes(Bytes::from_static(&[0])).unwrap();
    assert_eq!(&void.to_bytes()[..], &[0]);
}

/// A transport that answers every call with one fixed reply.
struct Answer(Response);

impl tchannel_runtime::thrift::Transport for Answer {
    async fn call(
        &self,
        _: &'static str,
        _: Bytes,
    ) -> Result<Response, tchannel_runtime::thrift::BoxError> {
        Ok(self.0.clone())
    }
}

/// An application error whose result struct holds an exception this IDL does not declare
/// (field 9) is an `UnknownException`, for a void method too: before, `setValue` took it as
/// `Ok(())`, since its result struct decodes with no field set.
#[test]
fn an_undeclared_exception_fails_a_void_method_instead_of_succeeding() {
    block_on(async {
        let reply = Response {
            ok: false,
            body: Bytes::from_static(b"\x0c\x00\x09\x00\x00"),
        };
        let client = KeyValueClient::new(Answer(reply.clone()));
        match client.set_value("k", "v").await {
            Err(Error::UnknownException(u)) => assert_eq!(u.method, "KeyValue::setValue"),
            other => panic!("{other:?}"),
        }
        match client.get_value("k").await {
            Err(Error::UnknownException(u)) => assert_eq!(u.method, "KeyValue::getValue"),
            other => panic!("{other:?}"),
        }
        // The same body as a success is what a void method returns: no field set.
        let client = KeyValueClient::new(Answer(Response { ok: true, ..reply }));
        client.set_value("k", "v").await.unwrap();
    });
}

/// A transport that keeps the args of the last call and answers with a void success.
#[derive(Default)]
struct Record(Mutex<Option<(&'static str, Bytes)>>);

impl tchannel_runtime::thrift::Transport for Record {
    async fn call(
        &self,
        method: &'static str,
        args: Bytes,
    ) -> Result<Response, tchannel_runtime::thrift::BoxError> {
        *self.0.lock().unwrap() = Some((method, args));
        Ok(Response {
            ok: true,
            body: Bytes::from_static(&[0]),
        })
    }
}

/// Client methods write their args from the parameters (a string borrowed, not copied into
/// a `String`): the bytes are exactly the args struct's encoding, for a `&str`, a `String`
/// and an empty string alike.
#[test]
fn client_args_are_the_args_structs_encoding() {
    block_on(async {
        let client = KeyValueClient::new(Record::default());
        let last = |c: &KeyValueClient<Record>| c.transport().0.lock().unwrap().take().unwrap();
        let _ = client.set_value("foo", String::from("bar")).await;
        let (method, args) = last(&client);
        assert_eq!(method, "KeyValue::setValue");
        let want = key_value::SetValueArgs {
            key: "foo".into(),
            value: "bar".into(),
        };
        assert_eq!(args, want.to_bytes());
        for key in ["", "k", "ключ"] {
            let _ = client.get_value(key).await;
            let (method, args) = last(&client);
            assert_eq!(method, "KeyValue::getValue");
            let want = key_value::GetValueArgs { key: key.into() };
            assert_eq!(args, want.to_bytes(), "{key:?}");
        }
    });
}
