#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct RecTree {
    pub children: ::std::vec::Vec<RecTree>,
    pub item: i16,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl ::tchannel_runtime::thrift::ThriftValue for RecTree {
    const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
    fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
        w.write_field_begin(::tchannel_runtime::thrift::TType::List, 1);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.children, w);
        w.write_field_begin(::tchannel_runtime::thrift::TType::I16, 2);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.item, w);
        w.write_field_stop();
    }
    fn read(
        r: &mut ::tchannel_runtime::thrift::Reader,
    ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
        r.enter()?;
        let mut f_children: ::std::option::Option<::std::vec::Vec<RecTree>> = ::std::option::Option::None;
        let mut f_item: ::std::option::Option<i16> = ::std::option::Option::None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == ::tchannel_runtime::thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, ::tchannel_runtime::thrift::TType::List) => {
                    f_children = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("RecTree", "children"))?,
                    );
                }
                (2, ::tchannel_runtime::thrift::TType::I16) => {
                    f_item = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("RecTree", "item"))?,
                    );
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        ::std::result::Result::Ok(RecTree {
            children: f_children.unwrap_or_default(),
            item: f_item.unwrap_or_default(),
        })
    }
}
impl ::tchannel_runtime::thrift::ThriftStruct for RecTree {
    const NAME: &'static str = "RecTree";
}
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct RecList {
    pub nextitem: ::std::option::Option<::std::boxed::Box<RecList>>,
    pub item: i16,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl ::tchannel_runtime::thrift::ThriftValue for RecList {
    const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
    fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
        if let ::std::option::Option::Some(v) = &self.nextitem {
            w.write_field_begin(::tchannel_runtime::thrift::TType::Struct, 1);
            ::tchannel_runtime::thrift::ThriftValue::write(v, w);
        }
        w.write_field_begin(::tchannel_runtime::thrift::TType::I16, 3);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.item, w);
        w.write_field_stop();
    }
    fn read(
        r: &mut ::tchannel_runtime::thrift::Reader,
    ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
        r.enter()?;
        let mut f_nextitem: ::std::option::Option<::std::boxed::Box<RecList>> = ::std::option::Option::None;
        let mut f_item: ::std::option::Option<i16> = ::std::option::Option::None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == ::tchannel_runtime::thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, ::tchannel_runtime::thrift::TType::Struct) => {
                    f_nextitem = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("RecList", "nextitem"))?,
                    );
                }
                (3, ::tchannel_runtime::thrift::TType::I16) => {
                    f_item = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("RecList", "item"))?,
                    );
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        ::std::result::Result::Ok(RecList {
            nextitem: f_nextitem,
            item: f_item.unwrap_or_default(),
        })
    }
}
impl ::tchannel_runtime::thrift::ThriftStruct for RecList {
    const NAME: &'static str = "RecList";
}
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct CoRec {
    pub other: ::std::option::Option<::std::boxed::Box<CoRec2>>,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl ::tchannel_runtime::thrift::ThriftValue for CoRec {
    const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
    fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
        if let ::std::option::Option::Some(v) = &self.other {
            w.write_field_begin(::tchannel_runtime::thrift::TType::Struct, 1);
            ::tchannel_runtime::thrift::ThriftValue::write(v, w);
        }
        w.write_field_stop();
    }
    fn read(
        r: &mut ::tchannel_runtime::thrift::Reader,
    ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
        r.enter()?;
        let mut f_other: ::std::option::Option<::std::boxed::Box<CoRec2>> = ::std::option::Option::None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == ::tchannel_runtime::thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, ::tchannel_runtime::thrift::TType::Struct) => {
                    f_other = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("CoRec", "other"))?,
                    );
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        ::std::result::Result::Ok(CoRec { other: f_other })
    }
}
impl ::tchannel_runtime::thrift::ThriftStruct for CoRec {
    const NAME: &'static str = "CoRec";
}
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct CoRec2 {
    pub other: ::std::option::Option<::std::boxed::Box<CoRec>>,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl ::tchannel_runtime::thrift::ThriftValue for CoRec2 {
    const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
    fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
        if let ::std::option::Option::Some(v) = &self.other {
            w.write_field_begin(::tchannel_runtime::thrift::TType::Struct, 1);
            ::tchannel_runtime::thrift::ThriftValue::write(v, w);
        }
        w.write_field_stop();
    }
    fn read(
        r: &mut ::tchannel_runtime::thrift::Reader,
    ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
        r.enter()?;
        let mut f_other: ::std::option::Option<::std::boxed::Box<CoRec>> = ::std::option::Option::None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == ::tchannel_runtime::thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, ::tchannel_runtime::thrift::TType::Struct) => {
                    f_other = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("CoRec2", "other"))?,
                    );
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        ::std::result::Result::Ok(CoRec2 { other: f_other })
    }
}
impl ::tchannel_runtime::thrift::ThriftStruct for CoRec2 {
    const NAME: &'static str = "CoRec2";
}
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct VectorTest {
    pub lister: ::std::vec::Vec<RecList>,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl ::tchannel_runtime::thrift::ThriftValue for VectorTest {
    const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
    fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
        w.write_field_begin(::tchannel_runtime::thrift::TType::List, 1);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.lister, w);
        w.write_field_stop();
    }
    fn read(
        r: &mut ::tchannel_runtime::thrift::Reader,
    ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
        r.enter()?;
        let mut f_lister: ::std::option::Option<::std::vec::Vec<RecList>> = ::std::option::Option::None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == ::tchannel_runtime::thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, ::tchannel_runtime::thrift::TType::List) => {
                    f_lister = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("VectorTest", "lister"))?,
                    );
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        ::std::result::Result::Ok(VectorTest {
            lister: f_lister.unwrap_or_default(),
        })
    }
}
impl ::tchannel_runtime::thrift::ThriftStruct for VectorTest {
    const NAME: &'static str = "VectorTest";
}
/// Argument, result and exception types of the `TestService` service's methods.
#[allow(clippy::module_inception)]
pub mod test_service {
    /// The arguments of `TestService::echoTree`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct EchoTreeArgs {
        pub tree: super::RecTree,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl ::tchannel_runtime::thrift::ThriftValue for EchoTreeArgs {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            w.write_field_begin(::tchannel_runtime::thrift::TType::Struct, 1);
            ::tchannel_runtime::thrift::ThriftValue::write(&self.tree, w);
            w.write_field_stop();
        }
        fn read(
            r: &mut ::tchannel_runtime::thrift::Reader,
        ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
            r.enter()?;
            let mut f_tree: ::std::option::Option<super::RecTree> = ::std::option::Option::None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == ::tchannel_runtime::thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, ::tchannel_runtime::thrift::TType::Struct) => {
                        f_tree = ::std::option::Option::Some(
                            ::tchannel_runtime::thrift::ThriftValue::read(r)
                                .map_err(|e| e.in_field("echoTree_args", "tree"))?,
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            ::std::result::Result::Ok(EchoTreeArgs {
                tree: f_tree.unwrap_or_default(),
            })
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for EchoTreeArgs {
        const NAME: &'static str = "echoTree_args";
    }
    /// The result of `TestService::echoTree`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum EchoTreeResult {
        /// The method returned normally.
        Success(super::RecTree),
    }
    impl ::tchannel_runtime::thrift::ThriftValue for EchoTreeResult {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            match self {
                EchoTreeResult::Success(v) => {
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
                            EchoTreeResult::Success(
                                ::tchannel_runtime::thrift::ThriftValue::read(r)
                                    .map_err(|e| e.in_field("echoTree_result", "success"))?,
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
                            "echoTree_result",
                            0,
                        ),
                    )
                }
            }
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for EchoTreeResult {
        const NAME: &'static str = "echoTree_result";
    }
    /// The arguments of `TestService::echoList`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct EchoListArgs {
        pub lst: super::RecList,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl ::tchannel_runtime::thrift::ThriftValue for EchoListArgs {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            w.write_field_begin(::tchannel_runtime::thrift::TType::Struct, 1);
            ::tchannel_runtime::thrift::ThriftValue::write(&self.lst, w);
            w.write_field_stop();
        }
        fn read(
            r: &mut ::tchannel_runtime::thrift::Reader,
        ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
            r.enter()?;
            let mut f_lst: ::std::option::Option<super::RecList> = ::std::option::Option::None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == ::tchannel_runtime::thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, ::tchannel_runtime::thrift::TType::Struct) => {
                        f_lst = ::std::option::Option::Some(
                            ::tchannel_runtime::thrift::ThriftValue::read(r)
                                .map_err(|e| e.in_field("echoList_args", "lst"))?,
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            ::std::result::Result::Ok(EchoListArgs {
                lst: f_lst.unwrap_or_default(),
            })
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for EchoListArgs {
        const NAME: &'static str = "echoList_args";
    }
    /// The result of `TestService::echoList`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum EchoListResult {
        /// The method returned normally.
        Success(super::RecList),
    }
    impl ::tchannel_runtime::thrift::ThriftValue for EchoListResult {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            match self {
                EchoListResult::Success(v) => {
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
                            EchoListResult::Success(
                                ::tchannel_runtime::thrift::ThriftValue::read(r)
                                    .map_err(|e| e.in_field("echoList_result", "success"))?,
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
                            "echoList_result",
                            0,
                        ),
                    )
                }
            }
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for EchoListResult {
        const NAME: &'static str = "echoList_result";
    }
    /// The arguments of `TestService::echoCoRec`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct EchoCoRecArgs {
        pub item: super::CoRec,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl ::tchannel_runtime::thrift::ThriftValue for EchoCoRecArgs {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            w.write_field_begin(::tchannel_runtime::thrift::TType::Struct, 1);
            ::tchannel_runtime::thrift::ThriftValue::write(&self.item, w);
            w.write_field_stop();
        }
        fn read(
            r: &mut ::tchannel_runtime::thrift::Reader,
        ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
            r.enter()?;
            let mut f_item: ::std::option::Option<super::CoRec> = ::std::option::Option::None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == ::tchannel_runtime::thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, ::tchannel_runtime::thrift::TType::Struct) => {
                        f_item = ::std::option::Option::Some(
                            ::tchannel_runtime::thrift::ThriftValue::read(r)
                                .map_err(|e| e.in_field("echoCoRec_args", "item"))?,
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            ::std::result::Result::Ok(EchoCoRecArgs {
                item: f_item.unwrap_or_default(),
            })
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for EchoCoRecArgs {
        const NAME: &'static str = "echoCoRec_args";
    }
    /// The result of `TestService::echoCoRec`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum EchoCoRecResult {
        /// The method returned normally.
        Success(super::CoRec),
    }
    impl ::tchannel_runtime::thrift::ThriftValue for EchoCoRecResult {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            match self {
                EchoCoRecResult::Success(v) => {
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
                            EchoCoRecResult::Success(
                                ::tchannel_runtime::thrift::ThriftValue::read(r)
                                    .map_err(|e| e.in_field("echoCoRec_result", "success"))?,
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
                            "echoCoRec_result",
                            0,
                        ),
                    )
                }
            }
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for EchoCoRecResult {
        const NAME: &'static str = "echoCoRec_result";
    }
}
///
/// The `TestService` service: implement it and serve it with [`TestServiceServer`].
pub trait TestService: ::std::marker::Send + ::std::marker::Sync + 'static {
    /// Called as `TestService::echoTree`.
    #[allow(clippy::too_many_arguments)]
    fn echo_tree(
        &self,
        ctx: &::tchannel_runtime::thrift::RequestContext,
        tree: RecTree,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            RecTree,
            ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
        >,
    > + ::std::marker::Send;
    /// Called as `TestService::echoList`.
    #[allow(clippy::too_many_arguments)]
    fn echo_list(
        &self,
        ctx: &::tchannel_runtime::thrift::RequestContext,
        lst: RecList,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            RecList,
            ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
        >,
    > + ::std::marker::Send;
    /// Called as `TestService::echoCoRec`.
    #[allow(clippy::too_many_arguments)]
    fn echo_co_rec(
        &self,
        ctx: &::tchannel_runtime::thrift::RequestContext,
        item: CoRec,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            CoRec,
            ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
        >,
    > + ::std::marker::Send;
}
/// Serves a [`TestService`] implementation: decodes each call's arguments, calls the method and encodes its result. Answers `TestService::echoTree`, `TestService::echoList`, `TestService::echoCoRec`.
#[derive(Debug)]
pub struct TestServiceServer<T> {
    inner: ::std::sync::Arc<T>,
}
impl<T> ::std::clone::Clone for TestServiceServer<T> {
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
impl<T: TestService> ::tchannel_runtime::thrift::Service for TestServiceServer<T> {
    fn name(&self) -> &'static str {
        "TestService"
    }
    fn methods(&self) -> &'static [&'static str] {
        &["TestService::echoTree", "TestService::echoList", "TestService::echoCoRec"]
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
            "TestService::echoTree" => {
                ::std::boxed::Box::pin(async move {
                    let args = match <test_service::EchoTreeArgs as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
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
                    let tree = args.tree;
                    let out = match <T as TestService>::echo_tree(&inner, &ctx, tree)
                        .await
                    {
                        ::std::result::Result::Ok(v) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: true,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &test_service::EchoTreeResult::Success(v),
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
            "TestService::echoList" => {
                ::std::boxed::Box::pin(async move {
                    let args = match <test_service::EchoListArgs as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
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
                    let lst = args.lst;
                    let out = match <T as TestService>::echo_list(&inner, &ctx, lst)
                        .await
                    {
                        ::std::result::Result::Ok(v) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: true,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &test_service::EchoListResult::Success(v),
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
            "TestService::echoCoRec" => {
                ::std::boxed::Box::pin(async move {
                    let args = match <test_service::EchoCoRecArgs as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
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
                    let item = args.item;
                    let out = match <T as TestService>::echo_co_rec(&inner, &ctx, item)
                        .await
                    {
                        ::std::result::Result::Ok(v) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: true,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &test_service::EchoCoRecResult::Success(v),
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
/// A client of the `TestService` service, sending calls through a [`Transport`](::tchannel_runtime::thrift::Transport).
#[derive(Debug, Clone)]
pub struct TestServiceClient<T> {
    transport: T,
}
impl<T: ::tchannel_runtime::thrift::Transport> TestServiceClient<T> {
    /// A client that sends its calls through `transport`.
    pub fn new(transport: T) -> Self {
        TestServiceClient { transport }
    }
    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }
    /// Sends `TestService::echoTree`.
    #[allow(clippy::too_many_arguments)]
    pub async fn echo_tree(
        &self,
        tree: RecTree,
    ) -> ::std::result::Result<
        RecTree,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        let args = test_service::EchoTreeArgs { tree };
        let response = self
            .transport
            .call(
                "TestService::echoTree",
                ::tchannel_runtime::thrift::ThriftStruct::to_bytes(&args),
            )
            .await
            .map_err(::tchannel_runtime::thrift::Error::Failure)?;
        let result = <test_service::EchoTreeResult as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
                response.body,
            )
            .map_err(|e| ::tchannel_runtime::thrift::Error::Failure(
                ::std::boxed::Box::new(e),
            ))?;
        match result {
            test_service::EchoTreeResult::Success(v) => ::std::result::Result::Ok(v),
        }
    }
    /// Sends `TestService::echoList`.
    #[allow(clippy::too_many_arguments)]
    pub async fn echo_list(
        &self,
        lst: RecList,
    ) -> ::std::result::Result<
        RecList,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        let args = test_service::EchoListArgs { lst };
        let response = self
            .transport
            .call(
                "TestService::echoList",
                ::tchannel_runtime::thrift::ThriftStruct::to_bytes(&args),
            )
            .await
            .map_err(::tchannel_runtime::thrift::Error::Failure)?;
        let result = <test_service::EchoListResult as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
                response.body,
            )
            .map_err(|e| ::tchannel_runtime::thrift::Error::Failure(
                ::std::boxed::Box::new(e),
            ))?;
        match result {
            test_service::EchoListResult::Success(v) => ::std::result::Result::Ok(v),
        }
    }
    /// Sends `TestService::echoCoRec`.
    #[allow(clippy::too_many_arguments)]
    pub async fn echo_co_rec(
        &self,
        item: CoRec,
    ) -> ::std::result::Result<
        CoRec,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        let args = test_service::EchoCoRecArgs {
            item,
        };
        let response = self
            .transport
            .call(
                "TestService::echoCoRec",
                ::tchannel_runtime::thrift::ThriftStruct::to_bytes(&args),
            )
            .await
            .map_err(::tchannel_runtime::thrift::Error::Failure)?;
        let result = <test_service::EchoCoRecResult as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
                response.body,
            )
            .map_err(|e| ::tchannel_runtime::thrift::Error::Failure(
                ::std::boxed::Box::new(e),
            ))?;
        match result {
            test_service::EchoCoRecResult::Success(v) => ::std::result::Result::Ok(v),
        }
    }
}
/// A blocking client of the `TestService` service: the methods of [`TestServiceClient`], each waiting for its result, for code without an async runtime. Calls run on the `BlockingRuntime`'s own thread; to have several in flight at once, `spawn` calls of [`TestServiceClient`] on the runtime and `wait` for them.
#[derive(Debug, Clone)]
pub struct TestServiceBlockingClient<T> {
    client: TestServiceClient<T>,
    runtime: ::tchannel_runtime::thrift::BlockingRuntime,
}
impl<T: ::tchannel_runtime::thrift::Transport> TestServiceBlockingClient<T> {
    /// A blocking client sending through `transport` on `runtime`.
    pub fn new(
        transport: T,
        runtime: &::tchannel_runtime::thrift::BlockingRuntime,
    ) -> Self {
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
    pub fn runtime(&self) -> &::tchannel_runtime::thrift::BlockingRuntime {
        &self.runtime
    }
    /// [`TestServiceClient::echo_tree`], waiting for its result.
    #[allow(clippy::too_many_arguments)]
    pub fn echo_tree(
        &self,
        tree: RecTree,
    ) -> ::std::result::Result<
        RecTree,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        self.runtime.block_on(self.client.echo_tree(tree))
    }
    /// [`TestServiceClient::echo_list`], waiting for its result.
    #[allow(clippy::too_many_arguments)]
    pub fn echo_list(
        &self,
        lst: RecList,
    ) -> ::std::result::Result<
        RecList,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        self.runtime.block_on(self.client.echo_list(lst))
    }
    /// [`TestServiceClient::echo_co_rec`], waiting for its result.
    #[allow(clippy::too_many_arguments)]
    pub fn echo_co_rec(
        &self,
        item: CoRec,
    ) -> ::std::result::Result<
        CoRec,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        self.runtime.block_on(self.client.echo_co_rec(item))
    }
}
