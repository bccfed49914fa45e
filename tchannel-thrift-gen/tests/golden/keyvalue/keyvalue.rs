/// A key was not found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct NotFoundError {
    pub key: ::std::string::String,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl ::tchannel_runtime::thrift::ThriftValue for NotFoundError {
    const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
    fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
        w.write_field_begin(::tchannel_runtime::thrift::TType::String, 1);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.key, w);
        w.write_field_stop();
    }
    fn read(
        r: &mut ::tchannel_runtime::thrift::Reader,
    ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
        r.enter()?;
        let mut f_key: ::std::option::Option<::std::string::String> = ::std::option::Option::None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == ::tchannel_runtime::thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, ::tchannel_runtime::thrift::TType::String) => {
                    f_key = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("NotFoundError", "key"))?,
                    );
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        ::std::result::Result::Ok(NotFoundError {
            key: f_key.unwrap_or_default(),
        })
    }
}
impl ::tchannel_runtime::thrift::ThriftStruct for NotFoundError {
    const NAME: &'static str = "NotFoundError";
}
impl ::std::fmt::Display for NotFoundError {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        write!(f, "NotFoundError {:?}", self)
    }
}
impl ::std::error::Error for NotFoundError {}
/// Argument, result and exception types of the `KeyValue` service's methods.
#[allow(clippy::module_inception)]
pub mod key_value {
    /// The arguments of `KeyValue::getValue`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct GetValueArgs {
        pub key: ::std::string::String,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl ::tchannel_runtime::thrift::ThriftValue for GetValueArgs {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            w.write_field_begin(::tchannel_runtime::thrift::TType::String, 1);
            ::tchannel_runtime::thrift::ThriftValue::write(&self.key, w);
            w.write_field_stop();
        }
        fn read(
            r: &mut ::tchannel_runtime::thrift::Reader,
        ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
            r.enter()?;
            let mut f_key: ::std::option::Option<::std::string::String> = ::std::option::Option::None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == ::tchannel_runtime::thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, ::tchannel_runtime::thrift::TType::String) => {
                        f_key = ::std::option::Option::Some(
                            ::tchannel_runtime::thrift::ThriftValue::read(r)
                                .map_err(|e| e.in_field("getValue_args", "key"))?,
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            ::std::result::Result::Ok(GetValueArgs {
                key: f_key.unwrap_or_default(),
            })
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for GetValueArgs {
        const NAME: &'static str = "getValue_args";
    }
    /// The result of `KeyValue::getValue`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum GetValueResult {
        /// The method returned normally.
        Success(::std::string::String),
        /// The method threw `notFound`.
        NotFound(super::NotFoundError),
    }
    impl ::tchannel_runtime::thrift::ThriftValue for GetValueResult {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            match self {
                GetValueResult::Success(v) => {
                    w.write_field_begin(::tchannel_runtime::thrift::TType::String, 0);
                    ::tchannel_runtime::thrift::ThriftValue::write(v, w);
                }
                GetValueResult::NotFound(v) => {
                    w.write_field_begin(::tchannel_runtime::thrift::TType::Struct, 1);
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
                    (0, ::tchannel_runtime::thrift::TType::String) => {
                        out = ::std::option::Option::Some(
                            GetValueResult::Success(
                                ::tchannel_runtime::thrift::ThriftValue::read(r)
                                    .map_err(|e| e.in_field("getValue_result", "success"))?,
                            ),
                        );
                    }
                    (1, ::tchannel_runtime::thrift::TType::Struct) => {
                        out = ::std::option::Option::Some(
                            GetValueResult::NotFound(
                                ::tchannel_runtime::thrift::ThriftValue::read(r)
                                    .map_err(|e| e.in_field("getValue_result", "notFound"))?,
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
                            "getValue_result",
                            0,
                        ),
                    )
                }
            }
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for GetValueResult {
        const NAME: &'static str = "getValue_result";
    }
    /// The exceptions `KeyValue::getValue` declares.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum GetValueError {
        /// `notFound`.
        NotFound(super::NotFoundError),
    }
    impl ::std::fmt::Display for GetValueError {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match self {
                GetValueError::NotFound(e) => ::std::fmt::Display::fmt(e, f),
            }
        }
    }
    impl ::std::error::Error for GetValueError {
        fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
            match self {
                GetValueError::NotFound(e) => ::std::option::Option::Some(e),
            }
        }
    }
    impl ::std::convert::From<GetValueError> for GetValueResult {
        fn from(e: GetValueError) -> Self {
            match e {
                GetValueError::NotFound(e) => GetValueResult::NotFound(e),
            }
        }
    }
    impl ::std::convert::From<super::NotFoundError> for GetValueError {
        fn from(e: super::NotFoundError) -> Self {
            GetValueError::NotFound(e)
        }
    }
    impl ::std::convert::From<super::NotFoundError>
    for ::tchannel_runtime::thrift::Error<GetValueError> {
        fn from(e: super::NotFoundError) -> Self {
            ::tchannel_runtime::thrift::Error::Exception(GetValueError::NotFound(e))
        }
    }
    /// The arguments of `KeyValue::setValue`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct SetValueArgs {
        pub key: ::std::string::String,
        pub value: ::std::string::String,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl ::tchannel_runtime::thrift::ThriftValue for SetValueArgs {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            w.write_field_begin(::tchannel_runtime::thrift::TType::String, 1);
            ::tchannel_runtime::thrift::ThriftValue::write(&self.key, w);
            w.write_field_begin(::tchannel_runtime::thrift::TType::String, 2);
            ::tchannel_runtime::thrift::ThriftValue::write(&self.value, w);
            w.write_field_stop();
        }
        fn read(
            r: &mut ::tchannel_runtime::thrift::Reader,
        ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
            r.enter()?;
            let mut f_key: ::std::option::Option<::std::string::String> = ::std::option::Option::None;
            let mut f_value: ::std::option::Option<::std::string::String> = ::std::option::Option::None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == ::tchannel_runtime::thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, ::tchannel_runtime::thrift::TType::String) => {
                        f_key = ::std::option::Option::Some(
                            ::tchannel_runtime::thrift::ThriftValue::read(r)
                                .map_err(|e| e.in_field("setValue_args", "key"))?,
                        );
                    }
                    (2, ::tchannel_runtime::thrift::TType::String) => {
                        f_value = ::std::option::Option::Some(
                            ::tchannel_runtime::thrift::ThriftValue::read(r)
                                .map_err(|e| e.in_field("setValue_args", "value"))?,
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            ::std::result::Result::Ok(SetValueArgs {
                key: f_key.unwrap_or_default(),
                value: f_value.unwrap_or_default(),
            })
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for SetValueArgs {
        const NAME: &'static str = "setValue_args";
    }
    /// The result of `KeyValue::setValue`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum SetValueResult {
        /// The method returned normally.
        Success,
    }
    impl ::tchannel_runtime::thrift::ThriftValue for SetValueResult {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            match self {
                SetValueResult::Success => {}
            }
            w.write_field_stop();
        }
        fn read(
            r: &mut ::tchannel_runtime::thrift::Reader,
        ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
            r.skip(::tchannel_runtime::thrift::TType::Struct)?;
            ::std::result::Result::Ok(SetValueResult::Success)
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for SetValueResult {
        const NAME: &'static str = "setValue_result";
    }
}
/// Values by key.
///
/// The `KeyValue` service: implement it and serve it with [`KeyValueServer`].
pub trait KeyValue: ::std::marker::Send + ::std::marker::Sync + 'static {
    /// Gets a value.
    ///
    /// Called as `KeyValue::getValue`.
    #[allow(clippy::too_many_arguments)]
    fn get_value(
        &self,
        ctx: &::tchannel_runtime::thrift::RequestContext,
        key: ::std::string::String,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            ::std::string::String,
            ::tchannel_runtime::thrift::Error<key_value::GetValueError>,
        >,
    > + ::std::marker::Send;
    /// Called as `KeyValue::setValue`.
    #[allow(clippy::too_many_arguments)]
    fn set_value(
        &self,
        ctx: &::tchannel_runtime::thrift::RequestContext,
        key: ::std::string::String,
        value: ::std::string::String,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            (),
            ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
        >,
    > + ::std::marker::Send;
}
/// Serves a [`KeyValue`] implementation: decodes each call's arguments, calls the method and encodes its result. Answers `KeyValue::getValue`, `KeyValue::setValue`.
#[derive(Debug)]
pub struct KeyValueServer<T> {
    inner: ::std::sync::Arc<T>,
}
impl<T> ::std::clone::Clone for KeyValueServer<T> {
    fn clone(&self) -> Self {
        KeyValueServer {
            inner: ::std::sync::Arc::clone(&self.inner),
        }
    }
}
impl<T: KeyValue> KeyValueServer<T> {
    /// Serves `inner`.
    pub fn new(inner: T) -> Self {
        KeyValueServer {
            inner: ::std::sync::Arc::new(inner),
        }
    }
    /// Serves a shared `inner`.
    pub fn from_arc(inner: ::std::sync::Arc<T>) -> Self {
        KeyValueServer { inner }
    }
    /// The implementation being served.
    pub fn get_ref(&self) -> &T {
        &self.inner
    }
}
impl<T: KeyValue> ::tchannel_runtime::thrift::Service for KeyValueServer<T> {
    fn name(&self) -> &'static str {
        "KeyValue"
    }
    fn methods(&self) -> &'static [&'static str] {
        &["KeyValue::getValue", "KeyValue::setValue"]
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
            "KeyValue::getValue" => {
                ::std::boxed::Box::pin(async move {
                    let args = match <key_value::GetValueArgs as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
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
                    let key = args.key;
                    let out = match <T as KeyValue>::get_value(&inner, &ctx, key).await {
                        ::std::result::Result::Ok(v) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: true,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &key_value::GetValueResult::Success(v),
                                ),
                            })
                        }
                        ::std::result::Result::Err(
                            ::tchannel_runtime::thrift::Error::Exception(e),
                        ) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: false,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &key_value::GetValueResult::from(e),
                                ),
                            })
                        }
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
            "KeyValue::setValue" => {
                ::std::boxed::Box::pin(async move {
                    let args = match <key_value::SetValueArgs as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
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
                    let key = args.key;
                    let value = args.value;
                    let out = match <T as KeyValue>::set_value(&inner, &ctx, key, value)
                        .await
                    {
                        ::std::result::Result::Ok(v) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: true,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &{
                                        let () = v;
                                        key_value::SetValueResult::Success
                                    },
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
/// A client of the `KeyValue` service, sending calls through a [`Transport`](::tchannel_runtime::thrift::Transport).
#[derive(Debug, Clone)]
pub struct KeyValueClient<T> {
    transport: T,
}
impl<T: ::tchannel_runtime::thrift::Transport> KeyValueClient<T> {
    /// A client that sends its calls through `transport`.
    pub fn new(transport: T) -> Self {
        KeyValueClient { transport }
    }
    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }
    /// Gets a value.
    ///
    /// Sends `KeyValue::getValue`.
    #[allow(clippy::too_many_arguments)]
    pub async fn get_value(
        &self,
        key: ::std::string::String,
    ) -> ::std::result::Result<
        ::std::string::String,
        ::tchannel_runtime::thrift::Error<key_value::GetValueError>,
    > {
        let args = key_value::GetValueArgs { key };
        let response = self
            .transport
            .call(
                "KeyValue::getValue",
                ::tchannel_runtime::thrift::ThriftStruct::to_bytes(&args),
            )
            .await
            .map_err(::tchannel_runtime::thrift::Error::Failure)?;
        let result = <key_value::GetValueResult as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
                response.body,
            )
            .map_err(|e| ::tchannel_runtime::thrift::Error::Failure(
                ::std::boxed::Box::new(e),
            ))?;
        match result {
            key_value::GetValueResult::Success(v) => ::std::result::Result::Ok(v),
            key_value::GetValueResult::NotFound(e) => {
                ::std::result::Result::Err(
                    ::tchannel_runtime::thrift::Error::Exception(
                        key_value::GetValueError::NotFound(e),
                    ),
                )
            }
        }
    }
    /// Sends `KeyValue::setValue`.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_value(
        &self,
        key: ::std::string::String,
        value: ::std::string::String,
    ) -> ::std::result::Result<
        (),
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        let args = key_value::SetValueArgs {
            key,
            value,
        };
        let response = self
            .transport
            .call(
                "KeyValue::setValue",
                ::tchannel_runtime::thrift::ThriftStruct::to_bytes(&args),
            )
            .await
            .map_err(::tchannel_runtime::thrift::Error::Failure)?;
        let result = <key_value::SetValueResult as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
                response.body,
            )
            .map_err(|e| ::tchannel_runtime::thrift::Error::Failure(
                ::std::boxed::Box::new(e),
            ))?;
        match result {
            key_value::SetValueResult::Success => ::std::result::Result::Ok(()),
        }
    }
}
/// A blocking client of the `KeyValue` service: the methods of [`KeyValueClient`], each waiting for its result, for code without an async runtime. Calls run on the `BlockingRuntime`'s own thread; to have several in flight at once, `spawn` calls of [`KeyValueClient`] on the runtime and `wait` for them.
#[derive(Debug, Clone)]
pub struct KeyValueBlockingClient<T> {
    client: KeyValueClient<T>,
    runtime: ::tchannel_runtime::thrift::BlockingRuntime,
}
impl<T: ::tchannel_runtime::thrift::Transport> KeyValueBlockingClient<T> {
    /// A blocking client sending through `transport` on `runtime`.
    pub fn new(
        transport: T,
        runtime: &::tchannel_runtime::thrift::BlockingRuntime,
    ) -> Self {
        KeyValueBlockingClient {
            client: KeyValueClient::new(transport),
            runtime: runtime.clone(),
        }
    }
    /// The async client underneath (to `spawn` several calls at once).
    pub fn client(&self) -> &KeyValueClient<T> {
        &self.client
    }
    /// The runtime the calls run on (its `spawn` starts several at once).
    pub fn runtime(&self) -> &::tchannel_runtime::thrift::BlockingRuntime {
        &self.runtime
    }
    /// [`KeyValueClient::get_value`], waiting for its result.
    #[allow(clippy::too_many_arguments)]
    pub fn get_value(
        &self,
        key: ::std::string::String,
    ) -> ::std::result::Result<
        ::std::string::String,
        ::tchannel_runtime::thrift::Error<key_value::GetValueError>,
    > {
        self.runtime.block_on(self.client.get_value(key))
    }
    /// [`KeyValueClient::set_value`], waiting for its result.
    #[allow(clippy::too_many_arguments)]
    pub fn set_value(
        &self,
        key: ::std::string::String,
        value: ::std::string::String,
    ) -> ::std::result::Result<
        (),
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        self.runtime.block_on(self.client.set_value(key, value))
    }
}
