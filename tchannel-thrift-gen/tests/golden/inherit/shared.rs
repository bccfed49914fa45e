#[allow(unused_imports)]
use ::tchannel_runtime::thrift as _thrift;
/// `enum Status` in the IDL.
///
/// Equality, hashing and order go by [`value()`](Self::value), so
/// `Unknown(v)` built by hand with a known `v` equals the named variant;
/// [`from_value`](Self::from_value) (used when decoding) always gives the named
/// one.
#[derive(Debug, Clone, Copy, Default)]
pub enum Status {
    /// `OK` = 0
    #[default]
    Ok,
    /// `DEGRADED` = 1
    Degraded,
    /// `DOWN` = 2
    Down,
    /// A value the IDL does not name, kept as it was on the wire.
    Unknown(i32),
}
impl PartialEq for Status {
    fn eq(&self, other: &Self) -> bool {
        self.value() == other.value()
    }
}
impl Eq for Status {}
impl ::std::hash::Hash for Status {
    fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
        self.value().hash(state)
    }
}
impl PartialOrd for Status {
    fn partial_cmp(&self, other: &Self) -> Option<::std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Status {
    fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
        self.value().cmp(&other.value())
    }
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
    pub fn name(self) -> Option<&'static str> {
        match Status::from_value(self.value()) {
            Status::Ok => Some("OK"),
            Status::Degraded => Some("DEGRADED"),
            Status::Down => Some("DOWN"),
            Status::Unknown(_) => None,
        }
    }
}
impl From<i32> for Status {
    fn from(value: i32) -> Self {
        Status::from_value(value)
    }
}
impl From<Status> for i32 {
    fn from(value: Status) -> i32 {
        value.value()
    }
}
impl _thrift::ThriftValue for Status {
    const TTYPE: _thrift::TType = _thrift::TType::I32;
    fn write(&self, w: &mut _thrift::Writer) {
        w.write_i32(self.value());
    }
    fn encoded_len(&self) -> usize {
        4
    }
    fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
        r.read_i32().map(Status::from_value)
    }
}
/// `struct SharedStruct` in the IDL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct SharedStruct {
    /// `key`: field 1, default requiredness.
    pub key: i32,
    /// `value`: field 2, default requiredness.
    pub value: String,
    /// `status`: field 3, optional.
    pub status: Option<Status>,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl _thrift::ThriftValue for SharedStruct {
    const TTYPE: _thrift::TType = _thrift::TType::Struct;
    fn write(&self, w: &mut _thrift::Writer) {
        w.write_field(1, &self.key);
        w.write_field(2, &self.value);
        if let Some(v) = &self.status {
            w.write_field(3, v);
        }
        w.write_field_stop();
    }
    fn encoded_len(&self) -> usize {
        #[allow(unused_mut)]
        let mut n = 1;
        n += 3 + _thrift::ThriftValue::encoded_len(&self.key);
        n += 3 + _thrift::ThriftValue::encoded_len(&self.value);
        if let Some(v) = &self.status {
            n += 3 + _thrift::ThriftValue::encoded_len(v);
        }
        n
    }
    fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
        r.enter()?;
        let mut f_key: Option<i32> = None;
        let mut f_value: Option<String> = None;
        let mut f_status: Option<Status> = None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == _thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, _thrift::TType::I32) => {
                    f_key = Some(r.read_field("SharedStruct", "key")?);
                }
                (2, _thrift::TType::String) => {
                    f_value = Some(r.read_field("SharedStruct", "value")?);
                }
                (3, _thrift::TType::I32) => {
                    f_status = Some(r.read_field("SharedStruct", "status")?);
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        Ok(SharedStruct {
            key: f_key.unwrap_or_default(),
            value: f_value.unwrap_or_default(),
            status: f_status,
        })
    }
}
impl _thrift::ThriftStruct for SharedStruct {
    const NAME: &'static str = "SharedStruct";
}
/// `exception SharedError` in the IDL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct SharedError {
    /// `message`: field 1, default requiredness.
    pub message: String,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl _thrift::ThriftValue for SharedError {
    const TTYPE: _thrift::TType = _thrift::TType::Struct;
    fn write(&self, w: &mut _thrift::Writer) {
        w.write_field(1, &self.message);
        w.write_field_stop();
    }
    fn encoded_len(&self) -> usize {
        #[allow(unused_mut)]
        let mut n = 1;
        n += 3 + _thrift::ThriftValue::encoded_len(&self.message);
        n
    }
    fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
        r.enter()?;
        let mut f_message: Option<String> = None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == _thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, _thrift::TType::String) => {
                    f_message = Some(r.read_field("SharedError", "message")?);
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        Ok(SharedError {
            message: f_message.unwrap_or_default(),
        })
    }
}
impl _thrift::ThriftStruct for SharedError {
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
    #[allow(unused_imports)]
    use ::tchannel_runtime::thrift as _thrift;
    /// The arguments of `SharedService::getStruct`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct GetStructArgs {
        /// `key`: field 1, default requiredness.
        pub key: i32,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl _thrift::ThriftValue for GetStructArgs {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            w.write_field(1, &self.key);
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            #[allow(unused_mut)]
            let mut n = 1;
            n += 3 + _thrift::ThriftValue::encoded_len(&self.key);
            n
        }
        fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
            r.enter()?;
            let mut f_key: Option<i32> = None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == _thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, _thrift::TType::I32) => {
                        f_key = Some(r.read_field("getStruct_args", "key")?);
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            Ok(GetStructArgs {
                key: f_key.unwrap_or_default(),
            })
        }
    }
    impl _thrift::ThriftStruct for GetStructArgs {
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
    impl _thrift::ThriftValue for GetStructResult {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            match self {
                GetStructResult::Success(v) => {
                    w.write_field(0, v);
                }
                GetStructResult::Err(v) => {
                    w.write_field(1, v);
                }
            }
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            1
                + match self {
                    GetStructResult::Success(v) => {
                        3 + _thrift::ThriftValue::encoded_len(v)
                    }
                    GetStructResult::Err(v) => 3 + _thrift::ThriftValue::encoded_len(v),
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
                            GetStructResult::Success(
                                r.read_field("getStruct_result", "success")?,
                            ),
                        );
                    }
                    (1, _thrift::TType::Struct) => {
                        out = Some(
                            GetStructResult::Err(
                                r.read_field("getStruct_result", "err")?,
                            ),
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            match out {
                Some(v) => Ok(v),
                None => Err(_thrift::DecodeError::invalid_union("getStruct_result", 0)),
            }
        }
    }
    impl _thrift::ThriftStruct for GetStructResult {
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
        fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
            match self {
                GetStructError::Err(e) => Some(e),
            }
        }
    }
    impl From<GetStructError> for GetStructResult {
        fn from(e: GetStructError) -> Self {
            match e {
                GetStructError::Err(e) => GetStructResult::Err(e),
            }
        }
    }
    impl From<super::SharedError> for GetStructError {
        fn from(e: super::SharedError) -> Self {
            GetStructError::Err(e)
        }
    }
    impl From<super::SharedError> for _thrift::Error<GetStructError> {
        fn from(e: super::SharedError) -> Self {
            _thrift::Error::Exception(GetStructError::Err(e))
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
    impl _thrift::ThriftValue for HealthArgs {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            #[allow(unused_mut)]
            let mut n = 1;
            n
        }
        fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
            r.enter()?;
            loop {
                let (ty, _) = r.read_field_begin()?;
                if ty == _thrift::TType::Stop {
                    break;
                }
                r.skip(ty)?;
            }
            r.leave();
            Ok(HealthArgs {})
        }
    }
    impl _thrift::ThriftStruct for HealthArgs {
        const NAME: &'static str = "health_args";
    }
    /// The result of `SharedService::health`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum HealthResult {
        /// The method returned normally.
        Success(super::Status),
    }
    impl _thrift::ThriftValue for HealthResult {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            match self {
                HealthResult::Success(v) => {
                    w.write_field(0, v);
                }
            }
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            1
                + match self {
                    HealthResult::Success(v) => 3 + _thrift::ThriftValue::encoded_len(v),
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
                    (0, _thrift::TType::I32) => {
                        out = Some(
                            HealthResult::Success(
                                r.read_field("health_result", "success")?,
                            ),
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            match out {
                Some(v) => Ok(v),
                None => Err(_thrift::DecodeError::invalid_union("health_result", 0)),
            }
        }
    }
    impl _thrift::ThriftStruct for HealthResult {
        const NAME: &'static str = "health_result";
    }
}
/// Every service can say how it is.
///
/// The `SharedService` service: implement it and serve it with [`SharedServiceServer`].
pub trait SharedService: Send + Sync + 'static {
    /// Gets a shared struct by key.
    ///
    /// Called as `SharedService::getStruct`.
    #[allow(clippy::too_many_arguments, clippy::wrong_self_convention)]
    fn get_struct(
        &self,
        ctx: &_thrift::RequestContext,
        key: i32,
    ) -> impl ::std::future::Future<
        Output = Result<SharedStruct, _thrift::Error<shared_service::GetStructError>>,
    > + Send;
    /// Called as `SharedService::health`.
    #[allow(clippy::too_many_arguments, clippy::wrong_self_convention)]
    fn health(
        &self,
        ctx: &_thrift::RequestContext,
    ) -> impl ::std::future::Future<
        Output = Result<Status, _thrift::Error<_thrift::NoException>>,
    > + Send;
}
/// Serves a [`SharedService`] implementation: decodes each call's arguments, calls the method and encodes its result. Answers `SharedService::getStruct`, `SharedService::health`.
#[derive(Debug)]
pub struct SharedServiceServer<T> {
    inner: ::std::sync::Arc<T>,
}
impl<T> Clone for SharedServiceServer<T> {
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
impl<T: SharedService> _thrift::Service for SharedServiceServer<T> {
    fn name(&self) -> &'static str {
        "SharedService"
    }
    fn methods(&self) -> &'static [&'static str] {
        &["SharedService::getStruct", "SharedService::health"]
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
            "SharedService::getStruct" => {
                let args = match <shared_service::GetStructArgs as _thrift::ThriftStruct>::from_bytes(
                    args,
                ) {
                    Ok(a) => a,
                    Err(e) => {
                        return (ctx, Err(_thrift::DispatchError::BadRequest(e)));
                    }
                };
                let key = args.key;
                let out = match <T as SharedService>::get_struct(&self.inner, &ctx, key)
                    .await
                {
                    Ok(v) => {
                        Ok(_thrift::Response {
                            ok: true,
                            body: _thrift::ThriftStruct::to_bytes(
                                &shared_service::GetStructResult::Success(v),
                            ),
                        })
                    }
                    Err(e) => {
                        match e.into_exception_or_failure() {
                            Ok(e) => {
                                Ok(_thrift::Response {
                                    ok: false,
                                    body: _thrift::ThriftStruct::to_bytes(
                                        &shared_service::GetStructResult::from(e),
                                    ),
                                })
                            }
                            Err(e) => Err(_thrift::DispatchError::Unexpected(e)),
                        }
                    }
                };
                (ctx, out)
            }
            "SharedService::health" => {
                let _ = match <shared_service::HealthArgs as _thrift::ThriftStruct>::from_bytes(
                    args,
                ) {
                    Ok(a) => a,
                    Err(e) => {
                        return (ctx, Err(_thrift::DispatchError::BadRequest(e)));
                    }
                };
                let out = match <T as SharedService>::health(&self.inner, &ctx).await {
                    Ok(v) => {
                        Ok(_thrift::Response {
                            ok: true,
                            body: _thrift::ThriftStruct::to_bytes(
                                &shared_service::HealthResult::Success(v),
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
/// A client of the `SharedService` service, sending calls through a [`Transport`](::tchannel_runtime::thrift::Transport).
#[derive(Debug, Clone)]
pub struct SharedServiceClient<T> {
    transport: T,
}
impl<T: _thrift::Transport> SharedServiceClient<T> {
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
    /// Sends `SharedService::getStruct`: `.await` the call for the value, or set this call's options first and `.with_response()` for the response's headers too.
    #[allow(clippy::too_many_arguments)]
    pub fn get_struct(
        &self,
        key: i32,
    ) -> _thrift::Call<'_, T, SharedStruct, shared_service::GetStructError> {
        #[allow(unused_mut)]
        let mut __len = 1;
        __len += 3 + _thrift::ThriftValue::encoded_len(&key);
        let mut __w = _thrift::Writer::with_capacity(__len);
        __w.write_field(1, &key);
        __w.write_field_stop();
        _thrift::Call::new(
            &self.transport,
            "SharedService::getStruct",
            __w.into_bytes(),
            |response| {
                let ok = response.ok;
                match _thrift::decode_result::<
                    shared_service::GetStructResult,
                    _,
                >("SharedService::getStruct", response)? {
                    shared_service::GetStructResult::Success(v) if ok => Ok(v),
                    shared_service::GetStructResult::Err(e) => {
                        Err(
                            _thrift::Error::Exception(
                                shared_service::GetStructError::Err(e),
                            ),
                        )
                    }
                    _ => {
                        Err(
                            _thrift::Error::UnknownException(_thrift::UnknownException {
                                method: "SharedService::getStruct",
                            }),
                        )
                    }
                }
            },
        )
    }
    /// Sends `SharedService::health`: `.await` the call for the value, or set this call's options first and `.with_response()` for the response's headers too.
    #[allow(clippy::too_many_arguments)]
    pub fn health(&self) -> _thrift::Call<'_, T, Status, _thrift::NoException> {
        #[allow(unused_mut)]
        let mut __len = 1;
        let mut __w = _thrift::Writer::with_capacity(__len);
        __w.write_field_stop();
        _thrift::Call::new(
            &self.transport,
            "SharedService::health",
            __w.into_bytes(),
            |response| {
                let ok = response.ok;
                match _thrift::decode_result::<
                    shared_service::HealthResult,
                    _,
                >("SharedService::health", response)? {
                    shared_service::HealthResult::Success(v) if ok => Ok(v),
                    _ => {
                        Err(
                            _thrift::Error::UnknownException(_thrift::UnknownException {
                                method: "SharedService::health",
                            }),
                        )
                    }
                }
            },
        )
    }
}
/// A blocking client of the `SharedService` service: the methods of [`SharedServiceClient`], each waiting for its result, for code without an async runtime. Calls run on the `BlockingRuntime`'s own thread; to have several in flight at once, `spawn` calls of [`SharedServiceClient`] on the runtime and `wait` for them.
#[derive(Debug, Clone)]
pub struct SharedServiceBlockingClient<T> {
    client: SharedServiceClient<T>,
    runtime: _thrift::BlockingRuntime,
}
impl<T: _thrift::Transport> SharedServiceBlockingClient<T> {
    /// A blocking client sending through `transport` on `runtime`.
    pub fn new(transport: T, runtime: &_thrift::BlockingRuntime) -> Self {
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
    pub fn runtime(&self) -> &_thrift::BlockingRuntime {
        &self.runtime
    }
    /// [`SharedServiceClient::get_struct`], waiting for its result. For this call's own options or the response's headers, build the call on [`client`](Self::client) and wait with [`runtime`](Self::runtime)`().block_on(..)`.
    #[allow(clippy::too_many_arguments)]
    pub fn get_struct(
        &self,
        key: i32,
    ) -> Result<SharedStruct, _thrift::Error<shared_service::GetStructError>> {
        self.runtime
            .block_on(self.client.get_struct(key).with_response())
            .map(_thrift::Reply::into_value)
    }
    /// [`SharedServiceClient::health`], waiting for its result. For this call's own options or the response's headers, build the call on [`client`](Self::client) and wait with [`runtime`](Self::runtime)`().block_on(..)`.
    #[allow(clippy::too_many_arguments)]
    pub fn health(&self) -> Result<Status, _thrift::Error<_thrift::NoException>> {
        self.runtime
            .block_on(self.client.health().with_response())
            .map(_thrift::Reply::into_value)
    }
}
