/// Types and a base service shared by other IDL files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// `OK` = 0
    #[default]
    Ok,
    /// `DEGRADED` = 1
    Degraded,
    /// `DOWN` = 2
    Down,
    /// A value this code does not know, kept as it was on the wire.
    Unknown(i32),
}
impl Status {
    /// The wire value.
    pub fn value(self) -> i32 {
        match self {
            Status::Ok => 0,
            Status::Degraded => 1,
            Status::Down => 2,
            Status::Unknown(v) => v,
        }
    }
    /// The value for a wire value; unknown values are kept.
    #[allow(clippy::match_single_binding)]
    pub fn from_value(value: i32) -> Self {
        match value {
            0 => Status::Ok,
            1 => Status::Degraded,
            2 => Status::Down,
            other => Status::Unknown(other),
        }
    }
    /// The name the IDL gives the value, if it is a known one.
    pub fn name(self) -> ::std::option::Option<&'static str> {
        match self {
            Status::Ok => ::std::option::Option::Some("OK"),
            Status::Degraded => ::std::option::Option::Some("DEGRADED"),
            Status::Down => ::std::option::Option::Some("DOWN"),
            Status::Unknown(_) => ::std::option::Option::None,
        }
    }
}
impl ::std::convert::From<i32> for Status {
    fn from(value: i32) -> Self {
        Status::from_value(value)
    }
}
impl ::std::convert::From<Status> for i32 {
    fn from(value: Status) -> i32 {
        value.value()
    }
}
impl ::tchannel_runtime::thrift::ThriftValue for Status {
    const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::I32;
    fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
        w.write_i32(self.value());
    }
    fn read(
        r: &mut ::tchannel_runtime::thrift::Reader,
    ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
        r.read_i32().map(Status::from_value)
    }
}
impl Status {
    #[doc(hidden)]
    pub const __IDL_NAME: &'static str = "Status";
}
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct SharedStruct {
    pub key: i32,
    pub value: ::std::string::String,
    pub status: ::std::option::Option<Status>,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl ::tchannel_runtime::thrift::ThriftValue for SharedStruct {
    const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
    fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
        w.write_field_begin(::tchannel_runtime::thrift::TType::I32, 1);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.key, w);
        w.write_field_begin(::tchannel_runtime::thrift::TType::String, 2);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.value, w);
        if let ::std::option::Option::Some(v) = &self.status {
            w.write_field_begin(::tchannel_runtime::thrift::TType::I32, 3);
            ::tchannel_runtime::thrift::ThriftValue::write(v, w);
        }
        w.write_field_stop();
    }
    fn read(
        r: &mut ::tchannel_runtime::thrift::Reader,
    ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
        r.enter()?;
        let mut f_key: ::std::option::Option<i32> = ::std::option::Option::None;
        let mut f_value: ::std::option::Option<::std::string::String> = ::std::option::Option::None;
        let mut f_status: ::std::option::Option<Status> = ::std::option::Option::None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == ::tchannel_runtime::thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, ::tchannel_runtime::thrift::TType::I32) => {
                    f_key = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("SharedStruct", "key"))?,
                    );
                }
                (2, ::tchannel_runtime::thrift::TType::String) => {
                    f_value = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("SharedStruct", "value"))?,
                    );
                }
                (3, ::tchannel_runtime::thrift::TType::I32) => {
                    f_status = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("SharedStruct", "status"))?,
                    );
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        ::std::result::Result::Ok(SharedStruct {
            key: f_key.unwrap_or_default(),
            value: f_value.unwrap_or_default(),
            status: f_status,
        })
    }
}
impl ::tchannel_runtime::thrift::ThriftStruct for SharedStruct {
    const NAME: &'static str = "SharedStruct";
}
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct SharedError {
    pub message: ::std::string::String,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl ::tchannel_runtime::thrift::ThriftValue for SharedError {
    const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
    fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
        w.write_field_begin(::tchannel_runtime::thrift::TType::String, 1);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.message, w);
        w.write_field_stop();
    }
    fn read(
        r: &mut ::tchannel_runtime::thrift::Reader,
    ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
        r.enter()?;
        let mut f_message: ::std::option::Option<::std::string::String> = ::std::option::Option::None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == ::tchannel_runtime::thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, ::tchannel_runtime::thrift::TType::String) => {
                    f_message = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("SharedError", "message"))?,
                    );
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        ::std::result::Result::Ok(SharedError {
            message: f_message.unwrap_or_default(),
        })
    }
}
impl ::tchannel_runtime::thrift::ThriftStruct for SharedError {
    const NAME: &'static str = "SharedError";
}
impl ::std::fmt::Display for SharedError {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        write!(f, "SharedError: {}", self.message)
    }
}
impl ::std::error::Error for SharedError {}
/// Argument, result and exception types of the `SharedService` service's methods.
#[allow(clippy::module_inception)]
pub mod shared_service {
    /// The arguments of `SharedService::getStruct`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct GetStructArgs {
        pub key: i32,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl ::tchannel_runtime::thrift::ThriftValue for GetStructArgs {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            w.write_field_begin(::tchannel_runtime::thrift::TType::I32, 1);
            ::tchannel_runtime::thrift::ThriftValue::write(&self.key, w);
            w.write_field_stop();
        }
        fn read(
            r: &mut ::tchannel_runtime::thrift::Reader,
        ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
            r.enter()?;
            let mut f_key: ::std::option::Option<i32> = ::std::option::Option::None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == ::tchannel_runtime::thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, ::tchannel_runtime::thrift::TType::I32) => {
                        f_key = ::std::option::Option::Some(
                            ::tchannel_runtime::thrift::ThriftValue::read(r)
                                .map_err(|e| e.in_field("getStruct_args", "key"))?,
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            ::std::result::Result::Ok(GetStructArgs {
                key: f_key.unwrap_or_default(),
            })
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for GetStructArgs {
        const NAME: &'static str = "getStruct_args";
    }
    /// The result of `SharedService::getStruct`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum GetStructResult {
        /// The method returned normally.
        Success(super::SharedStruct),
        /// The method threw `err`.
        Err(super::SharedError),
    }
    impl ::tchannel_runtime::thrift::ThriftValue for GetStructResult {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            match self {
                GetStructResult::Success(v) => {
                    w.write_field_begin(::tchannel_runtime::thrift::TType::Struct, 0);
                    ::tchannel_runtime::thrift::ThriftValue::write(v, w);
                }
                GetStructResult::Err(v) => {
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
                    (0, ::tchannel_runtime::thrift::TType::Struct) => {
                        out = ::std::option::Option::Some(
                            GetStructResult::Success(
                                ::tchannel_runtime::thrift::ThriftValue::read(r)
                                    .map_err(|e| e.in_field("getStruct_result", "success"))?,
                            ),
                        );
                    }
                    (1, ::tchannel_runtime::thrift::TType::Struct) => {
                        out = ::std::option::Option::Some(
                            GetStructResult::Err(
                                ::tchannel_runtime::thrift::ThriftValue::read(r)
                                    .map_err(|e| e.in_field("getStruct_result", "err"))?,
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
                            "getStruct_result",
                            0,
                        ),
                    )
                }
            }
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for GetStructResult {
        const NAME: &'static str = "getStruct_result";
    }
    /// The exceptions `SharedService::getStruct` declares.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum GetStructError {
        /// `err`.
        Err(super::SharedError),
    }
    impl ::std::fmt::Display for GetStructError {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match self {
                GetStructError::Err(e) => ::std::fmt::Display::fmt(e, f),
            }
        }
    }
    impl ::std::error::Error for GetStructError {
        fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
            match self {
                GetStructError::Err(e) => ::std::option::Option::Some(e),
            }
        }
    }
    impl ::std::convert::From<GetStructError> for GetStructResult {
        fn from(e: GetStructError) -> Self {
            match e {
                GetStructError::Err(e) => GetStructResult::Err(e),
            }
        }
    }
    impl ::std::convert::From<super::SharedError> for GetStructError {
        fn from(e: super::SharedError) -> Self {
            GetStructError::Err(e)
        }
    }
    impl ::std::convert::From<super::SharedError>
    for ::tchannel_runtime::thrift::Error<GetStructError> {
        fn from(e: super::SharedError) -> Self {
            ::tchannel_runtime::thrift::Error::Exception(GetStructError::Err(e))
        }
    }
    /// The arguments of `SharedService::health`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct HealthArgs {}
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl ::tchannel_runtime::thrift::ThriftValue for HealthArgs {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            w.write_field_stop();
        }
        fn read(
            r: &mut ::tchannel_runtime::thrift::Reader,
        ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
            r.enter()?;
            loop {
                let (ty, _) = r.read_field_begin()?;
                if ty == ::tchannel_runtime::thrift::TType::Stop {
                    break;
                }
                r.skip(ty)?;
            }
            r.leave();
            ::std::result::Result::Ok(HealthArgs {})
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for HealthArgs {
        const NAME: &'static str = "health_args";
    }
    /// The result of `SharedService::health`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum HealthResult {
        /// The method returned normally.
        Success(super::Status),
    }
    impl ::tchannel_runtime::thrift::ThriftValue for HealthResult {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            match self {
                HealthResult::Success(v) => {
                    w.write_field_begin(::tchannel_runtime::thrift::TType::I32, 0);
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
                    (0, ::tchannel_runtime::thrift::TType::I32) => {
                        out = ::std::option::Option::Some(
                            HealthResult::Success(
                                ::tchannel_runtime::thrift::ThriftValue::read(r)
                                    .map_err(|e| e.in_field("health_result", "success"))?,
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
                            "health_result",
                            0,
                        ),
                    )
                }
            }
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for HealthResult {
        const NAME: &'static str = "health_result";
    }
}
/// Every service can say how it is.
///
/// The `SharedService` service: implement it and serve it with [`SharedServiceServer`].
pub trait SharedService: ::std::marker::Send + ::std::marker::Sync + 'static {
    /// Gets a shared struct by key.
    ///
    /// Called as `SharedService::getStruct`.
    #[allow(clippy::too_many_arguments)]
    fn get_struct(
        &self,
        ctx: &::tchannel_runtime::thrift::RequestContext,
        key: i32,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            SharedStruct,
            ::tchannel_runtime::thrift::Error<shared_service::GetStructError>,
        >,
    > + ::std::marker::Send;
    /// Called as `SharedService::health`.
    #[allow(clippy::too_many_arguments)]
    fn health(
        &self,
        ctx: &::tchannel_runtime::thrift::RequestContext,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            Status,
            ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
        >,
    > + ::std::marker::Send;
}
/// Serves a [`SharedService`] implementation: decodes each call's arguments, calls the method and encodes its result. Answers `SharedService::getStruct`, `SharedService::health`.
#[derive(Debug)]
pub struct SharedServiceServer<T> {
    inner: ::std::sync::Arc<T>,
}
impl<T> ::std::clone::Clone for SharedServiceServer<T> {
    fn clone(&self) -> Self {
        SharedServiceServer {
            inner: ::std::sync::Arc::clone(&self.inner),
        }
    }
}
impl<T: SharedService> SharedServiceServer<T> {
    /// Serves `inner`.
    pub fn new(inner: T) -> Self {
        SharedServiceServer {
            inner: ::std::sync::Arc::new(inner),
        }
    }
    /// Serves a shared `inner`.
    pub fn from_arc(inner: ::std::sync::Arc<T>) -> Self {
        SharedServiceServer { inner }
    }
    /// The implementation being served.
    pub fn get_ref(&self) -> &T {
        &self.inner
    }
}
impl<T: SharedService> ::tchannel_runtime::thrift::Service for SharedServiceServer<T> {
    fn name(&self) -> &'static str {
        "SharedService"
    }
    fn methods(&self) -> &'static [&'static str] {
        &["SharedService::getStruct", "SharedService::health"]
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
            "SharedService::getStruct" => {
                ::std::boxed::Box::pin(async move {
                    let args = match <shared_service::GetStructArgs as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
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
                    let out = match <T as SharedService>::get_struct(&inner, &ctx, key)
                        .await
                    {
                        ::std::result::Result::Ok(v) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: true,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &shared_service::GetStructResult::Success(v),
                                ),
                            })
                        }
                        ::std::result::Result::Err(
                            ::tchannel_runtime::thrift::Error::Exception(e),
                        ) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: false,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &shared_service::GetStructResult::from(e),
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
            "SharedService::health" => {
                ::std::boxed::Box::pin(async move {
                    let _ = match <shared_service::HealthArgs as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
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
                    let out = match <T as SharedService>::health(&inner, &ctx).await {
                        ::std::result::Result::Ok(v) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: true,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &shared_service::HealthResult::Success(v),
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
/// A client of the `SharedService` service, sending calls through a [`Transport`](::tchannel_runtime::thrift::Transport).
#[derive(Debug, Clone)]
pub struct SharedServiceClient<T> {
    transport: T,
}
impl<T: ::tchannel_runtime::thrift::Transport> SharedServiceClient<T> {
    /// A client that sends its calls through `transport`.
    pub fn new(transport: T) -> Self {
        SharedServiceClient { transport }
    }
    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }
    /// Gets a shared struct by key.
    ///
    /// Sends `SharedService::getStruct`.
    #[allow(clippy::too_many_arguments)]
    pub async fn get_struct(
        &self,
        key: i32,
    ) -> ::std::result::Result<
        SharedStruct,
        ::tchannel_runtime::thrift::Error<shared_service::GetStructError>,
    > {
        let args = shared_service::GetStructArgs {
            key,
        };
        let response = self
            .transport
            .call(
                "SharedService::getStruct",
                ::tchannel_runtime::thrift::ThriftStruct::to_bytes(&args),
            )
            .await
            .map_err(::tchannel_runtime::thrift::Error::Failure)?;
        let result = <shared_service::GetStructResult as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
                response.body,
            )
            .map_err(|e| ::tchannel_runtime::thrift::Error::Failure(
                ::std::boxed::Box::new(e),
            ))?;
        match result {
            shared_service::GetStructResult::Success(v) => ::std::result::Result::Ok(v),
            shared_service::GetStructResult::Err(e) => {
                ::std::result::Result::Err(
                    ::tchannel_runtime::thrift::Error::Exception(
                        shared_service::GetStructError::Err(e),
                    ),
                )
            }
        }
    }
    /// Sends `SharedService::health`.
    #[allow(clippy::too_many_arguments)]
    pub async fn health(
        &self,
    ) -> ::std::result::Result<
        Status,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        let args = shared_service::HealthArgs {};
        let response = self
            .transport
            .call(
                "SharedService::health",
                ::tchannel_runtime::thrift::ThriftStruct::to_bytes(&args),
            )
            .await
            .map_err(::tchannel_runtime::thrift::Error::Failure)?;
        let result = <shared_service::HealthResult as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
                response.body,
            )
            .map_err(|e| ::tchannel_runtime::thrift::Error::Failure(
                ::std::boxed::Box::new(e),
            ))?;
        match result {
            shared_service::HealthResult::Success(v) => ::std::result::Result::Ok(v),
        }
    }
}
/// A blocking client of the `SharedService` service: the methods of [`SharedServiceClient`], each waiting for its result, for code without an async runtime. Calls run on the `BlockingRuntime`'s own thread; to have several in flight at once, `spawn` calls of [`SharedServiceClient`] on the runtime and `wait` for them.
#[derive(Debug, Clone)]
pub struct SharedServiceBlockingClient<T> {
    client: SharedServiceClient<T>,
    runtime: ::tchannel_runtime::thrift::BlockingRuntime,
}
impl<T: ::tchannel_runtime::thrift::Transport> SharedServiceBlockingClient<T> {
    /// A blocking client sending through `transport` on `runtime`.
    pub fn new(
        transport: T,
        runtime: &::tchannel_runtime::thrift::BlockingRuntime,
    ) -> Self {
        SharedServiceBlockingClient {
            client: SharedServiceClient::new(transport),
            runtime: runtime.clone(),
        }
    }
    /// The async client underneath (to `spawn` several calls at once).
    pub fn client(&self) -> &SharedServiceClient<T> {
        &self.client
    }
    /// The runtime the calls run on (its `spawn` starts several at once).
    pub fn runtime(&self) -> &::tchannel_runtime::thrift::BlockingRuntime {
        &self.runtime
    }
    /// [`SharedServiceClient::get_struct`], waiting for its result.
    #[allow(clippy::too_many_arguments)]
    pub fn get_struct(
        &self,
        key: i32,
    ) -> ::std::result::Result<
        SharedStruct,
        ::tchannel_runtime::thrift::Error<shared_service::GetStructError>,
    > {
        self.runtime.block_on(self.client.get_struct(key))
    }
    /// [`SharedServiceClient::health`], waiting for its result.
    #[allow(clippy::too_many_arguments)]
    pub fn health(
        &self,
    ) -> ::std::result::Result<
        Status,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        self.runtime.block_on(self.client.health())
    }
}
