#[allow(unused_imports)]
use ::tchannel_runtime::thrift as _thrift;
/// Argument, result and exception types of the `Service` service's methods.
#[allow(clippy::module_inception)]
pub mod service {
    #[allow(unused_imports)]
    use ::tchannel_runtime::thrift as _thrift;
    /// The arguments of `Service::testEpisode`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct TestEpisodeArgs {
        /// `arg`: field 1, default requiredness.
        pub arg: super::super::types::Type1,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl _thrift::ThriftValue for TestEpisodeArgs {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            w.write_field(1, &self.arg);
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            #[allow(unused_mut)]
            let mut n = 1;
            n += 3 + _thrift::ThriftValue::encoded_len(&self.arg);
            n
        }
        fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
            r.enter()?;
            let mut f_arg: Option<super::super::types::Type1> = None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == _thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, _thrift::TType::Struct) => {
                        f_arg = Some(r.read_field("testEpisode_args", "arg")?);
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            Ok(TestEpisodeArgs {
                arg: f_arg.unwrap_or_default(),
            })
        }
    }
    impl _thrift::ThriftStruct for TestEpisodeArgs {
        const NAME: &'static str = "testEpisode_args";
    }
    /// The result of `Service::testEpisode`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum TestEpisodeResult {
        /// The method returned normally.
        Success(super::super::types::Type1),
    }
    impl _thrift::ThriftValue for TestEpisodeResult {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            match self {
                TestEpisodeResult::Success(v) => {
                    w.write_field(0, v);
                }
            }
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            1
                + match self {
                    TestEpisodeResult::Success(v) => {
                        3 + _thrift::ThriftValue::encoded_len(v)
                    }
                }
        }
        fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
            r.enter()?;
            let mut out = None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == _thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (0, _thrift::TType::Struct) => {
                        out = Some(
                            TestEpisodeResult::Success(
                                r.read_field("testEpisode_result", "success")?,
                            ),
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            match out {
                Some(v) => Ok(v),
                None => Err(_thrift::DecodeError::invalid_union("testEpisode_result", 0)),
            }
        }
    }
    impl _thrift::ThriftStruct for TestEpisodeResult {
        const NAME: &'static str = "testEpisode_result";
    }
}
///
/// The `Service` service: implement it and serve it with [`ServiceServer`].
pub trait Service: Send + Sync + 'static {
    /// Called as `Service::testEpisode`.
    #[allow(clippy::too_many_arguments, clippy::wrong_self_convention)]
    fn test_episode(
        &self,
        ctx: &_thrift::RequestContext,
        arg: super::types::Type1,
    ) -> impl ::std::future::Future<
        Output = Result<super::types::Type1, _thrift::Error<_thrift::NoException>>,
    > + Send;
}
/// Serves a [`Service`] implementation: decodes each call's arguments, calls the method and encodes its result. Answers `Service::testEpisode`.
#[derive(Debug)]
pub struct ServiceServer<T> {
    inner: ::std::sync::Arc<T>,
}
impl<T> Clone for ServiceServer<T> {
    fn clone(&self) -> Self {
        ServiceServer {
            inner: ::std::sync::Arc::clone(&self.inner),
        }
    }
}
impl<T: Service> ServiceServer<T> {
    /// Serves `inner`.
    pub fn new(inner: T) -> Self {
        ServiceServer {
            inner: ::std::sync::Arc::new(inner),
        }
    }
    /// Serves a shared `inner`.
    pub fn from_arc(inner: ::std::sync::Arc<T>) -> Self {
        ServiceServer { inner }
    }
    /// The implementation being served.
    pub fn get_ref(&self) -> &T {
        &self.inner
    }
}
impl<T: Service> _thrift::Service for ServiceServer<T> {
    fn name(&self) -> &'static str {
        "Service"
    }
    fn methods(&self) -> &'static [&'static str] {
        &["Service::testEpisode"]
    }
    fn call(
        &self,
        ctx: _thrift::RequestContext,
        method: &str,
        args: _thrift::Bytes,
    ) -> _thrift::BoxFuture<
        'static,
        (_thrift::RequestContext, Result<_thrift::Response, _thrift::DispatchError>),
    > {
        let this = self.clone();
        let method = method.to_string();
        Box::pin(async move { _thrift::Service::serve(&this, ctx, &method, args).await })
    }
    async fn serve(
        &self,
        ctx: _thrift::RequestContext,
        method: &str,
        args: _thrift::Bytes,
    ) -> (_thrift::RequestContext, Result<_thrift::Response, _thrift::DispatchError>) {
        match method {
            "Service::testEpisode" => {
                let args = match <service::TestEpisodeArgs as _thrift::ThriftStruct>::from_bytes(
                    args,
                ) {
                    Ok(a) => a,
                    Err(e) => {
                        return (ctx, Err(_thrift::DispatchError::BadRequest(e)));
                    }
                };
                let arg = args.arg;
                let out = match <T as Service>::test_episode(&self.inner, &ctx, arg)
                    .await
                {
                    Ok(v) => {
                        Ok(_thrift::Response {
                            ok: true,
                            body: _thrift::ThriftStruct::to_bytes(
                                &service::TestEpisodeResult::Success(v),
                            ),
                        })
                    }
                    Err(e) => {
                        match e.into_exception_or_failure() {
                            Ok(e) => match e {}
                            Err(e) => Err(_thrift::DispatchError::Unexpected(e)),
                        }
                    }
                };
                (ctx, out)
            }
            other => (ctx, Err(_thrift::DispatchError::UnknownMethod(other.to_string()))),
        }
    }
}
/// A client of the `Service` service, sending calls through a [`Transport`](::tchannel_runtime::thrift::Transport).
#[derive(Debug, Clone)]
pub struct ServiceClient<T> {
    transport: T,
}
impl<T: _thrift::Transport> ServiceClient<T> {
    /// A client that sends its calls through `transport`.
    pub fn new(transport: T) -> Self {
        ServiceClient { transport }
    }
    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }
    /// Sends `Service::testEpisode`: `.await` the call for the value, or set this call's options first and `.with_response()` for the response's headers too.
    #[allow(clippy::too_many_arguments)]
    pub fn test_episode(
        &self,
        arg: super::types::Type1,
    ) -> _thrift::Call<'_, T, super::types::Type1, _thrift::NoException> {
        #[allow(unused_mut)]
        let mut __len = 1;
        __len += 3 + _thrift::ThriftValue::encoded_len(&arg);
        let mut __w = _thrift::Writer::with_capacity(__len);
        __w.write_field(1, &arg);
        __w.write_field_stop();
        _thrift::Call::new(
            &self.transport,
            "Service::testEpisode",
            __w.into_bytes(),
            |response| {
                let ok = response.ok;
                match _thrift::decode_result::<
                    service::TestEpisodeResult,
                    _,
                >("Service::testEpisode", response)? {
                    service::TestEpisodeResult::Success(v) if ok => Ok(v),
                    _ => {
                        Err(
                            _thrift::Error::UnknownException(_thrift::UnknownException {
                                method: "Service::testEpisode",
                            }),
                        )
                    }
                }
            },
        )
    }
}
/// A blocking client of the `Service` service: the methods of [`ServiceClient`], each waiting for its result, for code without an async runtime. Calls run on the `BlockingRuntime`'s own thread; to have several in flight at once, `spawn` calls of [`ServiceClient`] on the runtime and `wait` for them.
#[derive(Debug, Clone)]
pub struct ServiceBlockingClient<T> {
    client: ServiceClient<T>,
    runtime: _thrift::BlockingRuntime,
}
impl<T: _thrift::Transport> ServiceBlockingClient<T> {
    /// A blocking client sending through `transport` on `runtime`.
    pub fn new(transport: T, runtime: &_thrift::BlockingRuntime) -> Self {
        ServiceBlockingClient {
            client: ServiceClient::new(transport),
            runtime: runtime.clone(),
        }
    }
    /// The async client underneath (to `spawn` several calls at once).
    pub fn client(&self) -> &ServiceClient<T> {
        &self.client
    }
    /// The runtime the calls run on (its `spawn` starts several at once).
    pub fn runtime(&self) -> &_thrift::BlockingRuntime {
        &self.runtime
    }
    /// [`ServiceClient::test_episode`], waiting for its result. For this call's own options or the response's headers, build the call on [`client`](Self::client) and wait with [`runtime`](Self::runtime)`().block_on(..)`.
    #[allow(clippy::too_many_arguments)]
    pub fn test_episode(
        &self,
        arg: super::types::Type1,
    ) -> Result<super::types::Type1, _thrift::Error<_thrift::NoException>> {
        self.runtime
            .block_on(self.client.test_episode(arg).with_response())
            .map(_thrift::Reply::into_value)
    }
}
