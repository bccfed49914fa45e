#[allow(unused_imports)]
use ::tchannel_runtime::thrift as _thrift;
/// A key was not found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct NotFoundError {
    /// `key`: field 1, default requiredness.
    pub key: String,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl _thrift::ThriftValue for NotFoundError {
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
        let mut f_key: Option<String> = None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == _thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, _thrift::TType::String) => {
                    f_key = Some(r.read_field("NotFoundError", "key")?);
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        Ok(NotFoundError {
            key: f_key.unwrap_or_default(),
        })
    }
}
impl _thrift::ThriftStruct for NotFoundError {
    const NAME: &'static str = "NotFoundError";
}
impl ::std::fmt::Display for NotFoundError {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str("NotFoundError")?;
        write!(f, " {{ key: {:?}", self.key)?;
        f.write_str(" }")
    }
}
impl ::std::error::Error for NotFoundError {}
/// Argument, result and exception types of the `KeyValue` service's methods.
#[allow(clippy::module_inception)]
pub mod key_value {
    #[allow(unused_imports)]
    use ::tchannel_runtime::thrift as _thrift;
    /// The arguments of `KeyValue::getValue`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct GetValueArgs {
        /// `key`: field 1, default requiredness.
        pub key: String,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl _thrift::ThriftValue for GetValueArgs {
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
            let mut f_key: Option<String> = None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == _thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, _thrift::TType::String) => {
                        f_key = Some(r.read_field("getValue_args", "key")?);
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            Ok(GetValueArgs {
                key: f_key.unwrap_or_default(),
            })
        }
    }
    impl _thrift::ThriftStruct for GetValueArgs {
        const NAME: &'static str = "getValue_args";
    }
    /// The result of `KeyValue::getValue`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum GetValueResult {
        /// The method returned normally.
        Success(String),
        /// The method threw `notFound`.
        NotFound(super::NotFoundError),
    }
    impl _thrift::ThriftValue for GetValueResult {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            match self {
                GetValueResult::Success(v) => {
                    w.write_field(0, v);
                }
                GetValueResult::NotFound(v) => {
                    w.write_field(1, v);
                }
            }
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            1
                + match self {
                    GetValueResult::Success(v) => {
                        3 + _thrift::ThriftValue::encoded_len(v)
                    }
                    GetValueResult::NotFound(v) => {
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
                    (0, _thrift::TType::String) => {
                        out = Some(
                            GetValueResult::Success(
                                r.read_field("getValue_result", "success")?,
                            ),
                        );
                    }
                    (1, _thrift::TType::Struct) => {
                        out = Some(
                            GetValueResult::NotFound(
                                r.read_field("getValue_result", "notFound")?,
                            ),
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            match out {
                Some(v) => Ok(v),
                None => Err(_thrift::DecodeError::invalid_union("getValue_result", 0)),
            }
        }
    }
    impl _thrift::ThriftStruct for GetValueResult {
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
        fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
            match self {
                GetValueError::NotFound(e) => Some(e),
            }
        }
    }
    impl From<GetValueError> for GetValueResult {
        fn from(e: GetValueError) -> Self {
            match e {
                GetValueError::NotFound(e) => GetValueResult::NotFound(e),
            }
        }
    }
    impl From<super::NotFoundError> for GetValueError {
        fn from(e: super::NotFoundError) -> Self {
            GetValueError::NotFound(e)
        }
    }
    impl From<super::NotFoundError> for _thrift::Error<GetValueError> {
        fn from(e: super::NotFoundError) -> Self {
            _thrift::Error::Exception(GetValueError::NotFound(e))
        }
    }
    /// The arguments of `KeyValue::setValue`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct SetValueArgs {
        /// `key`: field 1, default requiredness.
        pub key: String,
        /// `value`: field 2, default requiredness.
        pub value: String,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl _thrift::ThriftValue for SetValueArgs {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            w.write_field(1, &self.key);
            w.write_field(2, &self.value);
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            #[allow(unused_mut)]
            let mut n = 1;
            n += 3 + _thrift::ThriftValue::encoded_len(&self.key);
            n += 3 + _thrift::ThriftValue::encoded_len(&self.value);
            n
        }
        fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
            r.enter()?;
            let mut f_key: Option<String> = None;
            let mut f_value: Option<String> = None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == _thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, _thrift::TType::String) => {
                        f_key = Some(r.read_field("setValue_args", "key")?);
                    }
                    (2, _thrift::TType::String) => {
                        f_value = Some(r.read_field("setValue_args", "value")?);
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            Ok(SetValueArgs {
                key: f_key.unwrap_or_default(),
                value: f_value.unwrap_or_default(),
            })
        }
    }
    impl _thrift::ThriftStruct for SetValueArgs {
        const NAME: &'static str = "setValue_args";
    }
    /// The result of `KeyValue::setValue`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum SetValueResult {
        /// The method returned normally.
        Success,
    }
    impl _thrift::ThriftValue for SetValueResult {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            match self {
                SetValueResult::Success => {}
            }
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            1
                + match self {
                    SetValueResult::Success => 0,
                }
        }
        fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
            r.skip(_thrift::TType::Struct)?;
            Ok(SetValueResult::Success)
        }
    }
    impl _thrift::ThriftStruct for SetValueResult {
        const NAME: &'static str = "setValue_result";
    }
}
/// Values by key.
///
/// The `KeyValue` service: implement it and serve it with [`KeyValueServer`].
pub trait KeyValue: Send + Sync + 'static {
    /// Gets a value.
    ///
    /// Called as `KeyValue::getValue`.
    #[allow(clippy::too_many_arguments, clippy::wrong_self_convention)]
    fn get_value(
        &self,
        ctx: &_thrift::RequestContext,
        key: String,
    ) -> impl ::std::future::Future<
        Output = Result<String, _thrift::Error<key_value::GetValueError>>,
    > + Send;
    /// Called as `KeyValue::setValue`.
    #[allow(clippy::too_many_arguments, clippy::wrong_self_convention)]
    fn set_value(
        &self,
        ctx: &_thrift::RequestContext,
        key: String,
        value: String,
    ) -> impl ::std::future::Future<
        Output = Result<(), _thrift::Error<_thrift::NoException>>,
    > + Send;
}
/// Serves a [`KeyValue`] implementation: decodes each call's arguments, calls the method and encodes its result. Answers `KeyValue::getValue`, `KeyValue::setValue`.
#[derive(Debug)]
pub struct KeyValueServer<T> {
    inner: ::std::sync::Arc<T>,
}
impl<T> Clone for KeyValueServer<T> {
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
impl<T: KeyValue> _thrift::Service for KeyValueServer<T> {
    fn name(&self) -> &'static str {
        "KeyValue"
    }
    fn methods(&self) -> &'static [&'static str] {
        &["KeyValue::getValue", "KeyValue::setValue"]
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
            "KeyValue::getValue" => {
                let args = match <key_value::GetValueArgs as _thrift::ThriftStruct>::from_bytes(
                    args,
                ) {
                    Ok(a) => a,
                    Err(e) => {
                        return (ctx, Err(_thrift::DispatchError::BadRequest(e)));
                    }
                };
                let key = args.key;
                let out = match <T as KeyValue>::get_value(&self.inner, &ctx, key).await
                {
                    Ok(v) => {
                        Ok(_thrift::Response {
                            ok: true,
                            body: _thrift::ThriftStruct::to_bytes(
                                &key_value::GetValueResult::Success(v),
                            ),
                        })
                    }
                    Err(e) => {
                        match e.into_exception_or_failure() {
                            Ok(e) => {
                                Ok(_thrift::Response {
                                    ok: false,
                                    body: _thrift::ThriftStruct::to_bytes(
                                        &key_value::GetValueResult::from(e),
                                    ),
                                })
                            }
                            Err(e) => Err(_thrift::DispatchError::Unexpected(e)),
                        }
                    }
                };
                (ctx, out)
            }
            "KeyValue::setValue" => {
                let args = match <key_value::SetValueArgs as _thrift::ThriftStruct>::from_bytes(
                    args,
                ) {
                    Ok(a) => a,
                    Err(e) => {
                        return (ctx, Err(_thrift::DispatchError::BadRequest(e)));
                    }
                };
                let key = args.key;
                let value = args.value;
                let out = match <T as KeyValue>::set_value(&self.inner, &ctx, key, value)
                    .await
                {
                    Ok(v) => {
                        Ok(_thrift::Response {
                            ok: true,
                            body: _thrift::ThriftStruct::to_bytes(
                                &{
                                    let () = v;
                                    key_value::SetValueResult::Success
                                },
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
/// A client of the `KeyValue` service, sending calls through a [`Transport`](::tchannel_runtime::thrift::Transport).
#[derive(Debug, Clone)]
pub struct KeyValueClient<T> {
    transport: T,
}
impl<T: _thrift::Transport> KeyValueClient<T> {
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
    /// Sends `KeyValue::getValue`: `.await` the call for the value, or set this call's options first and `.with_response()` for the response's headers too.
    #[allow(clippy::too_many_arguments)]
    pub fn get_value(
        &self,
        key: impl AsRef<str>,
    ) -> _thrift::Call<'_, T, String, key_value::GetValueError> {
        let key: &str = key.as_ref();
        #[allow(unused_mut)]
        let mut __len = 1;
        __len += 3 + 4 + key.len();
        let mut __w = _thrift::Writer::with_capacity(__len);
        __w.write_field_begin(_thrift::TType::String, 1);
        __w.write_string(key);
        __w.write_field_stop();
        _thrift::Call::new(
            &self.transport,
            "KeyValue::getValue",
            __w.into_bytes(),
            |response| {
                let ok = response.ok;
                match _thrift::decode_result::<
                    key_value::GetValueResult,
                    _,
                >("KeyValue::getValue", response)? {
                    key_value::GetValueResult::Success(v) if ok => Ok(v),
                    key_value::GetValueResult::NotFound(e) => {
                        Err(
                            _thrift::Error::Exception(
                                key_value::GetValueError::NotFound(e),
                            ),
                        )
                    }
                    _ => {
                        Err(
                            _thrift::Error::UnknownException(_thrift::UnknownException {
                                method: "KeyValue::getValue",
                            }),
                        )
                    }
                }
            },
        )
    }
    /// Sends `KeyValue::setValue`: `.await` the call for the value, or set this call's options first and `.with_response()` for the response's headers too.
    #[allow(clippy::too_many_arguments)]
    pub fn set_value(
        &self,
        key: impl AsRef<str>,
        value: impl AsRef<str>,
    ) -> _thrift::Call<'_, T, (), _thrift::NoException> {
        let key: &str = key.as_ref();
        let value: &str = value.as_ref();
        #[allow(unused_mut)]
        let mut __len = 1;
        __len += 3 + 4 + key.len();
        __len += 3 + 4 + value.len();
        let mut __w = _thrift::Writer::with_capacity(__len);
        __w.write_field_begin(_thrift::TType::String, 1);
        __w.write_string(key);
        __w.write_field_begin(_thrift::TType::String, 2);
        __w.write_string(value);
        __w.write_field_stop();
        _thrift::Call::new(
            &self.transport,
            "KeyValue::setValue",
            __w.into_bytes(),
            |response| {
                let ok = response.ok;
                match _thrift::decode_result::<
                    key_value::SetValueResult,
                    _,
                >("KeyValue::setValue", response)? {
                    key_value::SetValueResult::Success if ok => Ok(()),
                    _ => {
                        Err(
                            _thrift::Error::UnknownException(_thrift::UnknownException {
                                method: "KeyValue::setValue",
                            }),
                        )
                    }
                }
            },
        )
    }
}
/// A blocking client of the `KeyValue` service: the methods of [`KeyValueClient`], each waiting for its result, for code without an async runtime. Calls run on the `BlockingRuntime`'s own thread; to have several in flight at once, `spawn` calls of [`KeyValueClient`] on the runtime and `wait` for them.
#[derive(Debug, Clone)]
pub struct KeyValueBlockingClient<T> {
    client: KeyValueClient<T>,
    runtime: _thrift::BlockingRuntime,
}
impl<T: _thrift::Transport> KeyValueBlockingClient<T> {
    /// A blocking client sending through `transport` on `runtime`.
    pub fn new(transport: T, runtime: &_thrift::BlockingRuntime) -> Self {
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
    pub fn runtime(&self) -> &_thrift::BlockingRuntime {
        &self.runtime
    }
    /// [`KeyValueClient::get_value`], waiting for its result. For this call's own options or the response's headers, build the call on [`client`](Self::client) and wait with [`runtime`](Self::runtime)`().block_on(..)`.
    #[allow(clippy::too_many_arguments)]
    pub fn get_value(
        &self,
        key: impl AsRef<str>,
    ) -> Result<String, _thrift::Error<key_value::GetValueError>> {
        self.runtime
            .block_on(self.client.get_value(key).with_response())
            .map(_thrift::Reply::into_value)
    }
    /// [`KeyValueClient::set_value`], waiting for its result. For this call's own options or the response's headers, build the call on [`client`](Self::client) and wait with [`runtime`](Self::runtime)`().block_on(..)`.
    #[allow(clippy::too_many_arguments)]
    pub fn set_value(
        &self,
        key: impl AsRef<str>,
        value: impl AsRef<str>,
    ) -> Result<(), _thrift::Error<_thrift::NoException>> {
        self.runtime
            .block_on(self.client.set_value(key, value).with_response())
            .map(_thrift::Reply::into_value)
    }
}
