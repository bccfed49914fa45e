#[allow(unused_imports)]
use ::tchannel_runtime::thrift as _thrift;
/// `struct RecTree` in the IDL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct RecTree {
    /// `children`: field 1, default requiredness.
    pub children: Vec<RecTree>,
    /// `item`: field 2, default requiredness.
    pub item: i16,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl _thrift::ThriftValue for RecTree {
    const TTYPE: _thrift::TType = _thrift::TType::Struct;
    fn write(&self, w: &mut _thrift::Writer) {
        w.write_field(1, &self.children);
        w.write_field(2, &self.item);
        w.write_field_stop();
    }
    fn encoded_len(&self) -> usize {
        #[allow(unused_mut)]
        let mut n = 1;
        n += 3 + _thrift::ThriftValue::encoded_len(&self.children);
        n += 3 + _thrift::ThriftValue::encoded_len(&self.item);
        n
    }
    fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
        r.enter()?;
        let mut f_children: Option<Vec<RecTree>> = None;
        let mut f_item: Option<i16> = None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == _thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, _thrift::TType::List) => {
                    f_children = Some(r.read_field("RecTree", "children")?);
                }
                (2, _thrift::TType::I16) => {
                    f_item = Some(r.read_field("RecTree", "item")?);
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        Ok(RecTree {
            children: f_children.unwrap_or_default(),
            item: f_item.unwrap_or_default(),
        })
    }
}
impl _thrift::ThriftStruct for RecTree {
    const NAME: &'static str = "RecTree";
}
/// `struct RecList` in the IDL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct RecList {
    /// `nextitem`: field 1, default requiredness.
    pub nextitem: Option<Box<RecList>>,
    /// `item`: field 3, default requiredness.
    pub item: i16,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl _thrift::ThriftValue for RecList {
    const TTYPE: _thrift::TType = _thrift::TType::Struct;
    fn write(&self, w: &mut _thrift::Writer) {
        if let Some(v) = &self.nextitem {
            w.write_field(1, v);
        }
        w.write_field(3, &self.item);
        w.write_field_stop();
    }
    fn encoded_len(&self) -> usize {
        #[allow(unused_mut)]
        let mut n = 1;
        if let Some(v) = &self.nextitem {
            n += 3 + _thrift::ThriftValue::encoded_len(v);
        }
        n += 3 + _thrift::ThriftValue::encoded_len(&self.item);
        n
    }
    fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
        r.enter()?;
        let mut f_nextitem: Option<Box<RecList>> = None;
        let mut f_item: Option<i16> = None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == _thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, _thrift::TType::Struct) => {
                    f_nextitem = Some(r.read_field("RecList", "nextitem")?);
                }
                (3, _thrift::TType::I16) => {
                    f_item = Some(r.read_field("RecList", "item")?);
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        Ok(RecList {
            nextitem: f_nextitem,
            item: f_item.unwrap_or_default(),
        })
    }
}
impl _thrift::ThriftStruct for RecList {
    const NAME: &'static str = "RecList";
}
/// `struct CoRec` in the IDL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct CoRec {
    /// `other`: field 1, default requiredness.
    pub other: Option<Box<CoRec2>>,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl _thrift::ThriftValue for CoRec {
    const TTYPE: _thrift::TType = _thrift::TType::Struct;
    fn write(&self, w: &mut _thrift::Writer) {
        if let Some(v) = &self.other {
            w.write_field(1, v);
        }
        w.write_field_stop();
    }
    fn encoded_len(&self) -> usize {
        #[allow(unused_mut)]
        let mut n = 1;
        if let Some(v) = &self.other {
            n += 3 + _thrift::ThriftValue::encoded_len(v);
        }
        n
    }
    fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
        r.enter()?;
        let mut f_other: Option<Box<CoRec2>> = None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == _thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, _thrift::TType::Struct) => {
                    f_other = Some(r.read_field("CoRec", "other")?);
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        Ok(CoRec { other: f_other })
    }
}
impl _thrift::ThriftStruct for CoRec {
    const NAME: &'static str = "CoRec";
}
/// `struct CoRec2` in the IDL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct CoRec2 {
    /// `other`: field 1, default requiredness.
    pub other: Option<Box<CoRec>>,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl _thrift::ThriftValue for CoRec2 {
    const TTYPE: _thrift::TType = _thrift::TType::Struct;
    fn write(&self, w: &mut _thrift::Writer) {
        if let Some(v) = &self.other {
            w.write_field(1, v);
        }
        w.write_field_stop();
    }
    fn encoded_len(&self) -> usize {
        #[allow(unused_mut)]
        let mut n = 1;
        if let Some(v) = &self.other {
            n += 3 + _thrift::ThriftValue::encoded_len(v);
        }
        n
    }
    fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
        r.enter()?;
        let mut f_other: Option<Box<CoRec>> = None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == _thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, _thrift::TType::Struct) => {
                    f_other = Some(r.read_field("CoRec2", "other")?);
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        Ok(CoRec2 { other: f_other })
    }
}
impl _thrift::ThriftStruct for CoRec2 {
    const NAME: &'static str = "CoRec2";
}
/// `struct VectorTest` in the IDL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct VectorTest {
    /// `lister`: field 1, default requiredness.
    pub lister: Vec<RecList>,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl _thrift::ThriftValue for VectorTest {
    const TTYPE: _thrift::TType = _thrift::TType::Struct;
    fn write(&self, w: &mut _thrift::Writer) {
        w.write_field(1, &self.lister);
        w.write_field_stop();
    }
    fn encoded_len(&self) -> usize {
        #[allow(unused_mut)]
        let mut n = 1;
        n += 3 + _thrift::ThriftValue::encoded_len(&self.lister);
        n
    }
    fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
        r.enter()?;
        let mut f_lister: Option<Vec<RecList>> = None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == _thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, _thrift::TType::List) => {
                    f_lister = Some(r.read_field("VectorTest", "lister")?);
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        Ok(VectorTest {
            lister: f_lister.unwrap_or_default(),
        })
    }
}
impl _thrift::ThriftStruct for VectorTest {
    const NAME: &'static str = "VectorTest";
}
/// Argument, result and exception types of the `TestService` service's methods.
#[allow(clippy::module_inception)]
pub mod test_service {
    #[allow(unused_imports)]
    use ::tchannel_runtime::thrift as _thrift;
    /// The arguments of `TestService::echoTree`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct EchoTreeArgs {
        /// `tree`: field 1, default requiredness.
        pub tree: super::RecTree,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl _thrift::ThriftValue for EchoTreeArgs {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            w.write_field(1, &self.tree);
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            #[allow(unused_mut)]
            let mut n = 1;
            n += 3 + _thrift::ThriftValue::encoded_len(&self.tree);
            n
        }
        fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
            r.enter()?;
            let mut f_tree: Option<super::RecTree> = None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == _thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, _thrift::TType::Struct) => {
                        f_tree = Some(r.read_field("echoTree_args", "tree")?);
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            Ok(EchoTreeArgs {
                tree: f_tree.unwrap_or_default(),
            })
        }
    }
    impl _thrift::ThriftStruct for EchoTreeArgs {
        const NAME: &'static str = "echoTree_args";
    }
    /// The result of `TestService::echoTree`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum EchoTreeResult {
        /// The method returned normally.
        Success(super::RecTree),
    }
    impl _thrift::ThriftValue for EchoTreeResult {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            match self {
                EchoTreeResult::Success(v) => {
                    w.write_field(0, v);
                }
            }
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            1
                + match self {
                    EchoTreeResult::Success(v) => {
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
                            EchoTreeResult::Success(
                                r.read_field("echoTree_result", "success")?,
                            ),
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            match out {
                Some(v) => Ok(v),
                None => Err(_thrift::DecodeError::invalid_union("echoTree_result", 0)),
            }
        }
    }
    impl _thrift::ThriftStruct for EchoTreeResult {
        const NAME: &'static str = "echoTree_result";
    }
    /// The arguments of `TestService::echoList`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct EchoListArgs {
        /// `lst`: field 1, default requiredness.
        pub lst: super::RecList,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl _thrift::ThriftValue for EchoListArgs {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            w.write_field(1, &self.lst);
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            #[allow(unused_mut)]
            let mut n = 1;
            n += 3 + _thrift::ThriftValue::encoded_len(&self.lst);
            n
        }
        fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
            r.enter()?;
            let mut f_lst: Option<super::RecList> = None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == _thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, _thrift::TType::Struct) => {
                        f_lst = Some(r.read_field("echoList_args", "lst")?);
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            Ok(EchoListArgs {
                lst: f_lst.unwrap_or_default(),
            })
        }
    }
    impl _thrift::ThriftStruct for EchoListArgs {
        const NAME: &'static str = "echoList_args";
    }
    /// The result of `TestService::echoList`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum EchoListResult {
        /// The method returned normally.
        Success(super::RecList),
    }
    impl _thrift::ThriftValue for EchoListResult {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            match self {
                EchoListResult::Success(v) => {
                    w.write_field(0, v);
                }
            }
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            1
                + match self {
                    EchoListResult::Success(v) => {
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
                            EchoListResult::Success(
                                r.read_field("echoList_result", "success")?,
                            ),
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            match out {
                Some(v) => Ok(v),
                None => Err(_thrift::DecodeError::invalid_union("echoList_result", 0)),
            }
        }
    }
    impl _thrift::ThriftStruct for EchoListResult {
        const NAME: &'static str = "echoList_result";
    }
    /// The arguments of `TestService::echoCoRec`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct EchoCoRecArgs {
        /// `item`: field 1, default requiredness.
        pub item: super::CoRec,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl _thrift::ThriftValue for EchoCoRecArgs {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            w.write_field(1, &self.item);
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            #[allow(unused_mut)]
            let mut n = 1;
            n += 3 + _thrift::ThriftValue::encoded_len(&self.item);
            n
        }
        fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
            r.enter()?;
            let mut f_item: Option<super::CoRec> = None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == _thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, _thrift::TType::Struct) => {
                        f_item = Some(r.read_field("echoCoRec_args", "item")?);
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            Ok(EchoCoRecArgs {
                item: f_item.unwrap_or_default(),
            })
        }
    }
    impl _thrift::ThriftStruct for EchoCoRecArgs {
        const NAME: &'static str = "echoCoRec_args";
    }
    /// The result of `TestService::echoCoRec`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum EchoCoRecResult {
        /// The method returned normally.
        Success(super::CoRec),
    }
    impl _thrift::ThriftValue for EchoCoRecResult {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            match self {
                EchoCoRecResult::Success(v) => {
                    w.write_field(0, v);
                }
            }
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            1
                + match self {
                    EchoCoRecResult::Success(v) => {
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
                            EchoCoRecResult::Success(
                                r.read_field("echoCoRec_result", "success")?,
                            ),
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            match out {
                Some(v) => Ok(v),
                None => Err(_thrift::DecodeError::invalid_union("echoCoRec_result", 0)),
            }
        }
    }
    impl _thrift::ThriftStruct for EchoCoRecResult {
        const NAME: &'static str = "echoCoRec_result";
    }
}
///
/// The `TestService` service: implement it and serve it with [`TestServiceServer`].
pub trait TestService: Send + Sync + 'static {
    /// Called as `TestService::echoTree`.
    #[allow(clippy::too_many_arguments, clippy::wrong_self_convention)]
    fn echo_tree(
        &self,
        ctx: &_thrift::RequestContext,
        tree: RecTree,
    ) -> impl ::std::future::Future<
        Output = Result<RecTree, _thrift::Error<_thrift::NoException>>,
    > + Send;
    /// Called as `TestService::echoList`.
    #[allow(clippy::too_many_arguments, clippy::wrong_self_convention)]
    fn echo_list(
        &self,
        ctx: &_thrift::RequestContext,
        lst: RecList,
    ) -> impl ::std::future::Future<
        Output = Result<RecList, _thrift::Error<_thrift::NoException>>,
    > + Send;
    /// Called as `TestService::echoCoRec`.
    #[allow(clippy::too_many_arguments, clippy::wrong_self_convention)]
    fn echo_co_rec(
        &self,
        ctx: &_thrift::RequestContext,
        item: CoRec,
    ) -> impl ::std::future::Future<
        Output = Result<CoRec, _thrift::Error<_thrift::NoException>>,
    > + Send;
}
/// Serves a [`TestService`] implementation: decodes each call's arguments, calls the method and encodes its result. Answers `TestService::echoTree`, `TestService::echoList`, `TestService::echoCoRec`.
#[derive(Debug)]
pub struct TestServiceServer<T> {
    inner: ::std::sync::Arc<T>,
}
impl<T> Clone for TestServiceServer<T> {
    fn clone(&self) -> Self {
        TestServiceServer {
            inner: ::std::sync::Arc::clone(&self.inner),
        }
    }
}
impl<T: TestService> TestServiceServer<T> {
    /// Serves `inner`.
    pub fn new(inner: T) -> Self {
        TestServiceServer {
            inner: ::std::sync::Arc::new(inner),
        }
    }
    /// Serves a shared `inner`.
    pub fn from_arc(inner: ::std::sync::Arc<T>) -> Self {
        TestServiceServer { inner }
    }
    /// The implementation being served.
    pub fn get_ref(&self) -> &T {
        &self.inner
    }
}
impl<T: TestService> _thrift::Service for TestServiceServer<T> {
    fn name(&self) -> &'static str {
        "TestService"
    }
    fn methods(&self) -> &'static [&'static str] {
        &["TestService::echoTree", "TestService::echoList", "TestService::echoCoRec"]
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
            "TestService::echoTree" => {
                let args = match <test_service::EchoTreeArgs as _thrift::ThriftStruct>::from_bytes(
                    args,
                ) {
                    Ok(a) => a,
                    Err(e) => {
                        return (ctx, Err(_thrift::DispatchError::BadRequest(e)));
                    }
                };
                let tree = args.tree;
                let out = match <T as TestService>::echo_tree(&self.inner, &ctx, tree)
                    .await
                {
                    Ok(v) => {
                        Ok(_thrift::Response {
                            ok: true,
                            body: _thrift::ThriftStruct::to_bytes(
                                &test_service::EchoTreeResult::Success(v),
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
            "TestService::echoList" => {
                let args = match <test_service::EchoListArgs as _thrift::ThriftStruct>::from_bytes(
                    args,
                ) {
                    Ok(a) => a,
                    Err(e) => {
                        return (ctx, Err(_thrift::DispatchError::BadRequest(e)));
                    }
                };
                let lst = args.lst;
                let out = match <T as TestService>::echo_list(&self.inner, &ctx, lst)
                    .await
                {
                    Ok(v) => {
                        Ok(_thrift::Response {
                            ok: true,
                            body: _thrift::ThriftStruct::to_bytes(
                                &test_service::EchoListResult::Success(v),
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
            "TestService::echoCoRec" => {
                let args = match <test_service::EchoCoRecArgs as _thrift::ThriftStruct>::from_bytes(
                    args,
                ) {
                    Ok(a) => a,
                    Err(e) => {
                        return (ctx, Err(_thrift::DispatchError::BadRequest(e)));
                    }
                };
                let item = args.item;
                let out = match <T as TestService>::echo_co_rec(&self.inner, &ctx, item)
                    .await
                {
                    Ok(v) => {
                        Ok(_thrift::Response {
                            ok: true,
                            body: _thrift::ThriftStruct::to_bytes(
                                &test_service::EchoCoRecResult::Success(v),
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
/// A client of the `TestService` service, sending calls through a [`Transport`](::tchannel_runtime::thrift::Transport).
#[derive(Debug, Clone)]
pub struct TestServiceClient<T> {
    transport: T,
}
impl<T: _thrift::Transport> TestServiceClient<T> {
    /// A client that sends its calls through `transport`.
    pub fn new(transport: T) -> Self {
        TestServiceClient { transport }
    }
    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }
    /// Sends `TestService::echoTree`: `.await` the call for the value, or set this call's options first and `.with_response()` for the response's headers too.
    #[allow(clippy::too_many_arguments)]
    pub fn echo_tree(
        &self,
        tree: RecTree,
    ) -> _thrift::Call<'_, T, RecTree, _thrift::NoException> {
        #[allow(unused_mut)]
        let mut __len = 1;
        __len += 3 + _thrift::ThriftValue::encoded_len(&tree);
        let mut __w = _thrift::Writer::with_capacity(__len);
        __w.write_field(1, &tree);
        __w.write_field_stop();
        _thrift::Call::new(
            &self.transport,
            "TestService::echoTree",
            __w.into_bytes(),
            |response| {
                let ok = response.ok;
                match _thrift::decode_result::<
                    test_service::EchoTreeResult,
                    _,
                >("TestService::echoTree", response)? {
                    test_service::EchoTreeResult::Success(v) if ok => Ok(v),
                    _ => {
                        Err(
                            _thrift::Error::UnknownException(_thrift::UnknownException {
                                method: "TestService::echoTree",
                            }),
                        )
                    }
                }
            },
        )
    }
    /// Sends `TestService::echoList`: `.await` the call for the value, or set this call's options first and `.with_response()` for the response's headers too.
    #[allow(clippy::too_many_arguments)]
    pub fn echo_list(
        &self,
        lst: RecList,
    ) -> _thrift::Call<'_, T, RecList, _thrift::NoException> {
        #[allow(unused_mut)]
        let mut __len = 1;
        __len += 3 + _thrift::ThriftValue::encoded_len(&lst);
        let mut __w = _thrift::Writer::with_capacity(__len);
        __w.write_field(1, &lst);
        __w.write_field_stop();
        _thrift::Call::new(
            &self.transport,
            "TestService::echoList",
            __w.into_bytes(),
            |response| {
                let ok = response.ok;
                match _thrift::decode_result::<
                    test_service::EchoListResult,
                    _,
                >("TestService::echoList", response)? {
                    test_service::EchoListResult::Success(v) if ok => Ok(v),
                    _ => {
                        Err(
                            _thrift::Error::UnknownException(_thrift::UnknownException {
                                method: "TestService::echoList",
                            }),
                        )
                    }
                }
            },
        )
    }
    /// Sends `TestService::echoCoRec`: `.await` the call for the value, or set this call's options first and `.with_response()` for the response's headers too.
    #[allow(clippy::too_many_arguments)]
    pub fn echo_co_rec(
        &self,
        item: CoRec,
    ) -> _thrift::Call<'_, T, CoRec, _thrift::NoException> {
        #[allow(unused_mut)]
        let mut __len = 1;
        __len += 3 + _thrift::ThriftValue::encoded_len(&item);
        let mut __w = _thrift::Writer::with_capacity(__len);
        __w.write_field(1, &item);
        __w.write_field_stop();
        _thrift::Call::new(
            &self.transport,
            "TestService::echoCoRec",
            __w.into_bytes(),
            |response| {
                let ok = response.ok;
                match _thrift::decode_result::<
                    test_service::EchoCoRecResult,
                    _,
                >("TestService::echoCoRec", response)? {
                    test_service::EchoCoRecResult::Success(v) if ok => Ok(v),
                    _ => {
                        Err(
                            _thrift::Error::UnknownException(_thrift::UnknownException {
                                method: "TestService::echoCoRec",
                            }),
                        )
                    }
                }
            },
        )
    }
}
/// A blocking client of the `TestService` service: the methods of [`TestServiceClient`], each waiting for its result, for code without an async runtime. Calls run on the `BlockingRuntime`'s own thread; to have several in flight at once, `spawn` calls of [`TestServiceClient`] on the runtime and `wait` for them.
#[derive(Debug, Clone)]
pub struct TestServiceBlockingClient<T> {
    client: TestServiceClient<T>,
    runtime: _thrift::BlockingRuntime,
}
impl<T: _thrift::Transport> TestServiceBlockingClient<T> {
    /// A blocking client sending through `transport` on `runtime`.
    pub fn new(transport: T, runtime: &_thrift::BlockingRuntime) -> Self {
        TestServiceBlockingClient {
            client: TestServiceClient::new(transport),
            runtime: runtime.clone(),
        }
    }
    /// The async client underneath (to `spawn` several calls at once).
    pub fn client(&self) -> &TestServiceClient<T> {
        &self.client
    }
    /// The runtime the calls run on (its `spawn` starts several at once).
    pub fn runtime(&self) -> &_thrift::BlockingRuntime {
        &self.runtime
    }
    /// [`TestServiceClient::echo_tree`], waiting for its result. For this call's own options or the response's headers, build the call on [`client`](Self::client) and wait with [`runtime`](Self::runtime)`().block_on(..)`.
    #[allow(clippy::too_many_arguments)]
    pub fn echo_tree(
        &self,
        tree: RecTree,
    ) -> Result<RecTree, _thrift::Error<_thrift::NoException>> {
        self.runtime
            .block_on(self.client.echo_tree(tree).with_response())
            .map(_thrift::Reply::into_value)
    }
    /// [`TestServiceClient::echo_list`], waiting for its result. For this call's own options or the response's headers, build the call on [`client`](Self::client) and wait with [`runtime`](Self::runtime)`().block_on(..)`.
    #[allow(clippy::too_many_arguments)]
    pub fn echo_list(
        &self,
        lst: RecList,
    ) -> Result<RecList, _thrift::Error<_thrift::NoException>> {
        self.runtime
            .block_on(self.client.echo_list(lst).with_response())
            .map(_thrift::Reply::into_value)
    }
    /// [`TestServiceClient::echo_co_rec`], waiting for its result. For this call's own options or the response's headers, build the call on [`client`](Self::client) and wait with [`runtime`](Self::runtime)`().block_on(..)`.
    #[allow(clippy::too_many_arguments)]
    pub fn echo_co_rec(
        &self,
        item: CoRec,
    ) -> Result<CoRec, _thrift::Error<_thrift::NoException>> {
        self.runtime
            .block_on(self.client.echo_co_rec(item).with_response())
            .map(_thrift::Reply::into_value)
    }
}
