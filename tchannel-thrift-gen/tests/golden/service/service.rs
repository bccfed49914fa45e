/// Argument, result and exception types of the `Service` service's methods.
#[allow(clippy::module_inception)]
pub mod service {
    /// The arguments of `Service::testEpisode`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct TestEpisodeArgs {
        pub arg: super::super::types::Type1,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl ::tchannel_runtime::thrift::ThriftValue for TestEpisodeArgs {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            w.write_field_begin(::tchannel_runtime::thrift::TType::Struct, 1);
            ::tchannel_runtime::thrift::ThriftValue::write(&self.arg, w);
            w.write_field_stop();
        }
        fn read(
            r: &mut ::tchannel_runtime::thrift::Reader,
        ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
            r.enter()?;
            let mut f_arg: ::std::option::Option<super::super::types::Type1> = ::std::option::Option::None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == ::tchannel_runtime::thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, ::tchannel_runtime::thrift::TType::Struct) => {
                        f_arg = ::std::option::Option::Some(
                            ::tchannel_runtime::thrift::ThriftValue::read(r)
                                .map_err(|e| e.in_field("testEpisode_args", "arg"))?,
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            ::std::result::Result::Ok(TestEpisodeArgs {
                arg: f_arg.unwrap_or_default(),
            })
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for TestEpisodeArgs {
        const NAME: &'static str = "testEpisode_args";
    }
    /// The result of `Service::testEpisode`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum TestEpisodeResult {
        /// The method returned normally.
        Success(super::super::types::Type1),
    }
    impl ::tchannel_runtime::thrift::ThriftValue for TestEpisodeResult {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            match self {
                TestEpisodeResult::Success(v) => {
                    w.write_field_begin(::tchannel_runtime::thrift::TType::Struct, 0);
                    ::tchannel_runtime::thrift::ThriftValue::write(v, w);
                }
            }
            w.write_field_stop();
        }
        fn read(
            r: &mut ::tchannel_runtime::thrift::Reader,
        ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
            r.enter()?;
            let mut out = ::std::option::Option::None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == ::tchannel_runtime::thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (0, ::tchannel_runtime::thrift::TType::Struct) => {
                        out = ::std::option::Option::Some(
                            TestEpisodeResult::Success(
                                ::tchannel_runtime::thrift::ThriftValue::read(r)
                                    .map_err(|e| e.in_field("testEpisode_result", "success"))?,
                            ),
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            match out {
                ::std::option::Option::Some(v) => ::std::result::Result::Ok(v),
                ::std::option::Option::None => {
                    ::std::result::Result::Err(
                        ::tchannel_runtime::thrift::DecodeError::invalid_union(
                            "testEpisode_result",
                            0,
                        ),
                    )
                }
            }
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for TestEpisodeResult {
        const NAME: &'static str = "testEpisode_result";
    }
}
///
/// The `Service` service: implement it and serve it with [`ServiceServer`].
pub trait Service: ::std::marker::Send + ::std::marker::Sync + 'static {
    /// Called as `Service::testEpisode`.
    #[allow(clippy::too_many_arguments)]
    fn test_episode(
        &self,
        ctx: &::tchannel_runtime::thrift::RequestContext,
        arg: super::types::Type1,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            super::types::Type1,
            ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
        >,
    > + ::std::marker::Send;
}
/// Serves a [`Service`] implementation: decodes each call's arguments, calls the method and encodes its result. Answers `Service::testEpisode`.
#[derive(Debug)]
pub struct ServiceServer<T> {
    inner: ::std::sync::Arc<T>,
}
impl<T> ::std::clone::Clone for ServiceServer<T> {
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
impl<T: Service> ::tchannel_runtime::thrift::Service for ServiceServer<T> {
    fn name(&self) -> &'static str {
        "Service"
    }
    fn methods(&self) -> &'static [&'static str] {
        &["Service::testEpisode"]
    }
    fn call(
        &self,
        ctx: ::tchannel_runtime::thrift::RequestContext,
        method: &str,
        args: ::tchannel_runtime::thrift::Bytes,
    ) -> ::tchannel_runtime::thrift::BoxFuture<
        'static,
        (
            ::tchannel_runtime::thrift::RequestContext,
            ::std::result::Result<
                ::tchannel_runtime::thrift::Response,
                ::tchannel_runtime::thrift::DispatchError,
            >,
        ),
    > {
        let inner = ::std::sync::Arc::clone(&self.inner);
        match method {
            "Service::testEpisode" => {
                ::std::boxed::Box::pin(async move {
                    let args = match <service::TestEpisodeArgs as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
                        args,
                    ) {
                        ::std::result::Result::Ok(a) => a,
                        ::std::result::Result::Err(e) => {
                            return (
                                ctx,
                                ::std::result::Result::Err(
                                    ::tchannel_runtime::thrift::DispatchError::BadRequest(e),
                                ),
                            );
                        }
                    };
                    let arg = args.arg;
                    let out = match <T as Service>::test_episode(&inner, &ctx, arg).await
                    {
                        ::std::result::Result::Ok(v) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: true,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &service::TestEpisodeResult::Success(v),
                                ),
                            })
                        }
                        ::std::result::Result::Err(
                            ::tchannel_runtime::thrift::Error::Exception(e),
                        ) => match e {}
                        ::std::result::Result::Err(
                            ::tchannel_runtime::thrift::Error::Failure(e),
                        ) => {
                            ::std::result::Result::Err(
                                ::tchannel_runtime::thrift::DispatchError::Unexpected(e),
                            )
                        }
                    };
                    (ctx, out)
                })
            }
            other => {
                let other = other.to_string();
                ::std::boxed::Box::pin(async move {
                    (
                        ctx,
                        ::std::result::Result::Err(
                            ::tchannel_runtime::thrift::DispatchError::UnknownMethod(
                                other,
                            ),
                        ),
                    )
                })
            }
        }
    }
}
/// A client of the `Service` service, sending calls through a [`Transport`](::tchannel_runtime::thrift::Transport).
#[derive(Debug, Clone)]
pub struct ServiceClient<T> {
    transport: T,
}
impl<T: ::tchannel_runtime::thrift::Transport> ServiceClient<T> {
    /// A client that sends its calls through `transport`.
    pub fn new(transport: T) -> Self {
        ServiceClient { transport }
    }
    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }
    /// Sends `Service::testEpisode`.
    #[allow(clippy::too_many_arguments)]
    pub async fn test_episode(
        &self,
        arg: super::types::Type1,
    ) -> ::std::result::Result<
        super::types::Type1,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        let args = service::TestEpisodeArgs { arg };
        let response = self
            .transport
            .call(
                "Service::testEpisode",
                ::tchannel_runtime::thrift::ThriftStruct::to_bytes(&args),
            )
            .await
            .map_err(::tchannel_runtime::thrift::Error::Failure)?;
        let result = <service::TestEpisodeResult as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
                response.body,
            )
            .map_err(|e| ::tchannel_runtime::thrift::Error::Failure(
                ::std::boxed::Box::new(e),
            ))?;
        match result {
            service::TestEpisodeResult::Success(v) => ::std::result::Result::Ok(v),
        }
    }
}
/// A blocking client of the `Service` service: the methods of [`ServiceClient`], each waiting for its result, for code without an async runtime. Calls run on the `BlockingRuntime`'s own thread; to have several in flight at once, `spawn` calls of [`ServiceClient`] on the runtime and `wait` for them.
#[derive(Debug, Clone)]
pub struct ServiceBlockingClient<T> {
    client: ServiceClient<T>,
    runtime: ::tchannel_runtime::thrift::BlockingRuntime,
}
impl<T: ::tchannel_runtime::thrift::Transport> ServiceBlockingClient<T> {
    /// A blocking client sending through `transport` on `runtime`.
    pub fn new(
        transport: T,
        runtime: &::tchannel_runtime::thrift::BlockingRuntime,
    ) -> Self {
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
    pub fn runtime(&self) -> &::tchannel_runtime::thrift::BlockingRuntime {
        &self.runtime
    }
    /// [`ServiceClient::test_episode`], waiting for its result.
    #[allow(clippy::too_many_arguments)]
    pub fn test_episode(
        &self,
        arg: super::types::Type1,
    ) -> ::std::result::Result<
        super::types::Type1,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        self.runtime.block_on(self.client.test_episode(arg))
    }
}
