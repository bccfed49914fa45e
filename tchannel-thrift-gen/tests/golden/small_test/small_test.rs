#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct Goodbyez {
    pub val: i32,
}
#[allow(clippy::approx_constant)]
impl ::std::default::Default for Goodbyez {
    fn default() -> Self {
        Goodbyez { val: 325i32 }
    }
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl ::tchannel_runtime::thrift::ThriftValue for Goodbyez {
    const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
    fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
        w.write_field_begin(::tchannel_runtime::thrift::TType::I32, 1);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.val, w);
        w.write_field_stop();
    }
    fn read(
        r: &mut ::tchannel_runtime::thrift::Reader,
    ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
        r.enter()?;
        let mut f_val: ::std::option::Option<i32> = ::std::option::Option::None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == ::tchannel_runtime::thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, ::tchannel_runtime::thrift::TType::I32) => {
                    f_val = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("Goodbyez", "val"))?,
                    );
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        ::std::result::Result::Ok(Goodbyez {
            val: f_val.unwrap_or(325i32),
        })
    }
}
impl ::tchannel_runtime::thrift::ThriftStruct for Goodbyez {
    const NAME: &'static str = "Goodbyez";
}
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct BoolPasser {
    pub value: bool,
}
#[allow(clippy::approx_constant)]
impl ::std::default::Default for BoolPasser {
    fn default() -> Self {
        BoolPasser { value: true }
    }
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl ::tchannel_runtime::thrift::ThriftValue for BoolPasser {
    const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
    fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
        w.write_field_begin(::tchannel_runtime::thrift::TType::Bool, 1);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.value, w);
        w.write_field_stop();
    }
    fn read(
        r: &mut ::tchannel_runtime::thrift::Reader,
    ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
        r.enter()?;
        let mut f_value: ::std::option::Option<bool> = ::std::option::Option::None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == ::tchannel_runtime::thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, ::tchannel_runtime::thrift::TType::Bool) => {
                    f_value = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("BoolPasser", "value"))?,
                    );
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        ::std::result::Result::Ok(BoolPasser {
            value: f_value.unwrap_or(true),
        })
    }
}
impl ::tchannel_runtime::thrift::ThriftStruct for BoolPasser {
    const NAME: &'static str = "BoolPasser";
}
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct Hello {
    pub simple: i32,
    pub complex: ::std::collections::BTreeMap<i32, i32>,
    pub complexer: ::std::collections::BTreeMap<
        i32,
        ::std::collections::BTreeMap<i32, i32>,
    >,
    pub words: ::std::string::String,
    pub thinz: Goodbyez,
}
#[allow(clippy::approx_constant)]
impl ::std::default::Default for Hello {
    fn default() -> Self {
        Hello {
            simple: 53i32,
            complex: [(23i32, 532i32), (6243i32, 632i32), (2355i32, 532i32)]
                .into_iter()
                .collect(),
            complexer: ::std::default::Default::default(),
            words: ::std::string::String::from("words"),
            thinz: Goodbyez { val: 36632i32 },
        }
    }
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl ::tchannel_runtime::thrift::ThriftValue for Hello {
    const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
    fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
        w.write_field_begin(::tchannel_runtime::thrift::TType::I32, 1);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.simple, w);
        w.write_field_begin(::tchannel_runtime::thrift::TType::Map, 2);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.complex, w);
        w.write_field_begin(::tchannel_runtime::thrift::TType::Map, 3);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.complexer, w);
        w.write_field_begin(::tchannel_runtime::thrift::TType::String, 4);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.words, w);
        w.write_field_begin(::tchannel_runtime::thrift::TType::Struct, 5);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.thinz, w);
        w.write_field_stop();
    }
    fn read(
        r: &mut ::tchannel_runtime::thrift::Reader,
    ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
        r.enter()?;
        let mut f_simple: ::std::option::Option<i32> = ::std::option::Option::None;
        let mut f_complex: ::std::option::Option<
            ::std::collections::BTreeMap<i32, i32>,
        > = ::std::option::Option::None;
        let mut f_complexer: ::std::option::Option<
            ::std::collections::BTreeMap<i32, ::std::collections::BTreeMap<i32, i32>>,
        > = ::std::option::Option::None;
        let mut f_words: ::std::option::Option<::std::string::String> = ::std::option::Option::None;
        let mut f_thinz: ::std::option::Option<Goodbyez> = ::std::option::Option::None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == ::tchannel_runtime::thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, ::tchannel_runtime::thrift::TType::I32) => {
                    f_simple = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("Hello", "simple"))?,
                    );
                }
                (2, ::tchannel_runtime::thrift::TType::Map) => {
                    f_complex = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("Hello", "complex"))?,
                    );
                }
                (3, ::tchannel_runtime::thrift::TType::Map) => {
                    f_complexer = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("Hello", "complexer"))?,
                    );
                }
                (4, ::tchannel_runtime::thrift::TType::String) => {
                    f_words = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("Hello", "words"))?,
                    );
                }
                (5, ::tchannel_runtime::thrift::TType::Struct) => {
                    f_thinz = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("Hello", "thinz"))?,
                    );
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        ::std::result::Result::Ok(Hello {
            simple: f_simple.unwrap_or(53i32),
            complex: f_complex
                .unwrap_or_else(|| {
                    [(23i32, 532i32), (6243i32, 632i32), (2355i32, 532i32)]
                        .into_iter()
                        .collect()
                }),
            complexer: f_complexer.unwrap_or_default(),
            words: f_words.unwrap_or_else(|| ::std::string::String::from("words")),
            thinz: f_thinz.unwrap_or_else(|| Goodbyez { val: 36632i32 }),
        })
    }
}
impl ::tchannel_runtime::thrift::ThriftStruct for Hello {
    const NAME: &'static str = "Hello";
}
#[allow(clippy::approx_constant)]
pub static CMAP: ::std::sync::LazyLock<
    ::std::collections::BTreeMap<i32, ::std::collections::BTreeMap<i32, i32>>,
> = ::std::sync::LazyLock::new(|| {
    [
        (235i32, [(235i32, 235i32)].into_iter().collect()),
        (53i32, [(53i32, 53i32)].into_iter().collect()),
    ]
        .into_iter()
        .collect()
});
#[allow(clippy::approx_constant)]
pub const CINT: i32 = 325i32;
#[allow(clippy::approx_constant)]
pub static WHOA: ::std::sync::LazyLock<Hello> = ::std::sync::LazyLock::new(|| Hello {
    simple: 532i32,
    ..::std::default::Default::default()
});
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct Goodbye {
    pub simple: i32,
    pub complex: ::std::collections::BTreeMap<i32, i32>,
    pub complexer: ::std::collections::BTreeMap<
        i32,
        ::std::collections::BTreeMap<i32, i32>,
    >,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl ::tchannel_runtime::thrift::ThriftValue for Goodbye {
    const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
    fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
        w.write_field_begin(::tchannel_runtime::thrift::TType::I32, 1);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.simple, w);
        w.write_field_begin(::tchannel_runtime::thrift::TType::Map, 2);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.complex, w);
        w.write_field_begin(::tchannel_runtime::thrift::TType::Map, 3);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.complexer, w);
        w.write_field_stop();
    }
    fn read(
        r: &mut ::tchannel_runtime::thrift::Reader,
    ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
        r.enter()?;
        let mut f_simple: ::std::option::Option<i32> = ::std::option::Option::None;
        let mut f_complex: ::std::option::Option<
            ::std::collections::BTreeMap<i32, i32>,
        > = ::std::option::Option::None;
        let mut f_complexer: ::std::option::Option<
            ::std::collections::BTreeMap<i32, ::std::collections::BTreeMap<i32, i32>>,
        > = ::std::option::Option::None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == ::tchannel_runtime::thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, ::tchannel_runtime::thrift::TType::I32) => {
                    f_simple = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("Goodbye", "simple"))?,
                    );
                }
                (2, ::tchannel_runtime::thrift::TType::Map) => {
                    f_complex = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("Goodbye", "complex"))?,
                    );
                }
                (3, ::tchannel_runtime::thrift::TType::Map) => {
                    f_complexer = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("Goodbye", "complexer"))?,
                    );
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        ::std::result::Result::Ok(Goodbye {
            simple: f_simple.unwrap_or_default(),
            complex: f_complex.unwrap_or_default(),
            complexer: f_complexer.unwrap_or_default(),
        })
    }
}
impl ::tchannel_runtime::thrift::ThriftStruct for Goodbye {
    const NAME: &'static str = "Goodbye";
}
impl ::std::fmt::Display for Goodbye {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        write!(f, "Goodbye {:?}", self)
    }
}
impl ::std::error::Error for Goodbye {}
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct Thinger {
    pub dummy: i32,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl ::tchannel_runtime::thrift::ThriftValue for Thinger {
    const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
    fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
        w.write_field_begin(::tchannel_runtime::thrift::TType::I32, 1);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.dummy, w);
        w.write_field_stop();
    }
    fn read(
        r: &mut ::tchannel_runtime::thrift::Reader,
    ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
        r.enter()?;
        let mut f_dummy: ::std::option::Option<i32> = ::std::option::Option::None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == ::tchannel_runtime::thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, ::tchannel_runtime::thrift::TType::I32) => {
                    f_dummy = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("Thinger", "dummy"))?,
                    );
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        ::std::result::Result::Ok(Thinger {
            dummy: f_dummy.unwrap_or_default(),
        })
    }
}
impl ::tchannel_runtime::thrift::ThriftStruct for Thinger {
    const NAME: &'static str = "Thinger";
}
/// Argument, result and exception types of the `SmallService` service's methods.
#[allow(clippy::module_inception)]
pub mod small_service {
    /// The arguments of `SmallService::testThinger`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct TestThingerArgs {
        pub bootz: super::Thinger,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl ::tchannel_runtime::thrift::ThriftValue for TestThingerArgs {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            w.write_field_begin(::tchannel_runtime::thrift::TType::Struct, 1);
            ::tchannel_runtime::thrift::ThriftValue::write(&self.bootz, w);
            w.write_field_stop();
        }
        fn read(
            r: &mut ::tchannel_runtime::thrift::Reader,
        ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
            r.enter()?;
            let mut f_bootz: ::std::option::Option<super::Thinger> = ::std::option::Option::None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == ::tchannel_runtime::thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, ::tchannel_runtime::thrift::TType::Struct) => {
                        f_bootz = ::std::option::Option::Some(
                            ::tchannel_runtime::thrift::ThriftValue::read(r)
                                .map_err(|e| e.in_field("testThinger_args", "bootz"))?,
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            ::std::result::Result::Ok(TestThingerArgs {
                bootz: f_bootz.unwrap_or_default(),
            })
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for TestThingerArgs {
        const NAME: &'static str = "testThinger_args";
    }
    /// The result of `SmallService::testThinger`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum TestThingerResult {
        /// The method returned normally.
        Success(super::Thinger),
    }
    impl ::tchannel_runtime::thrift::ThriftValue for TestThingerResult {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            match self {
                TestThingerResult::Success(v) => {
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
                            TestThingerResult::Success(
                                ::tchannel_runtime::thrift::ThriftValue::read(r)
                                    .map_err(|e| e.in_field("testThinger_result", "success"))?,
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
                            "testThinger_result",
                            0,
                        ),
                    )
                }
            }
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for TestThingerResult {
        const NAME: &'static str = "testThinger_result";
    }
    /// The arguments of `SmallService::testMe`.
    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct TestMeArgs {
        pub hello: i32,
        pub wonk: super::Hello,
    }
    #[allow(clippy::approx_constant)]
    impl ::std::default::Default for TestMeArgs {
        fn default() -> Self {
            TestMeArgs {
                hello: 64i32,
                wonk: ::std::default::Default::default(),
            }
        }
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl ::tchannel_runtime::thrift::ThriftValue for TestMeArgs {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            w.write_field_begin(::tchannel_runtime::thrift::TType::I32, 1);
            ::tchannel_runtime::thrift::ThriftValue::write(&self.hello, w);
            w.write_field_begin(::tchannel_runtime::thrift::TType::Struct, 2);
            ::tchannel_runtime::thrift::ThriftValue::write(&self.wonk, w);
            w.write_field_stop();
        }
        fn read(
            r: &mut ::tchannel_runtime::thrift::Reader,
        ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
            r.enter()?;
            let mut f_hello: ::std::option::Option<i32> = ::std::option::Option::None;
            let mut f_wonk: ::std::option::Option<super::Hello> = ::std::option::Option::None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == ::tchannel_runtime::thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, ::tchannel_runtime::thrift::TType::I32) => {
                        f_hello = ::std::option::Option::Some(
                            ::tchannel_runtime::thrift::ThriftValue::read(r)
                                .map_err(|e| e.in_field("testMe_args", "hello"))?,
                        );
                    }
                    (2, ::tchannel_runtime::thrift::TType::Struct) => {
                        f_wonk = ::std::option::Option::Some(
                            ::tchannel_runtime::thrift::ThriftValue::read(r)
                                .map_err(|e| e.in_field("testMe_args", "wonk"))?,
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            ::std::result::Result::Ok(TestMeArgs {
                hello: f_hello.unwrap_or(64i32),
                wonk: f_wonk.unwrap_or_default(),
            })
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for TestMeArgs {
        const NAME: &'static str = "testMe_args";
    }
    /// The result of `SmallService::testMe`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum TestMeResult {
        /// The method returned normally.
        Success(super::Hello),
        /// The method threw `g`.
        G(super::Goodbye),
    }
    impl ::tchannel_runtime::thrift::ThriftValue for TestMeResult {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            match self {
                TestMeResult::Success(v) => {
                    w.write_field_begin(::tchannel_runtime::thrift::TType::Struct, 0);
                    ::tchannel_runtime::thrift::ThriftValue::write(v, w);
                }
                TestMeResult::G(v) => {
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
                            TestMeResult::Success(
                                ::tchannel_runtime::thrift::ThriftValue::read(r)
                                    .map_err(|e| e.in_field("testMe_result", "success"))?,
                            ),
                        );
                    }
                    (1, ::tchannel_runtime::thrift::TType::Struct) => {
                        out = ::std::option::Option::Some(
                            TestMeResult::G(
                                ::tchannel_runtime::thrift::ThriftValue::read(r)
                                    .map_err(|e| e.in_field("testMe_result", "g"))?,
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
                            "testMe_result",
                            0,
                        ),
                    )
                }
            }
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for TestMeResult {
        const NAME: &'static str = "testMe_result";
    }
    /// The exceptions `SmallService::testMe` declares.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum TestMeError {
        /// `g`.
        G(super::Goodbye),
    }
    impl ::std::fmt::Display for TestMeError {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match self {
                TestMeError::G(e) => ::std::fmt::Display::fmt(e, f),
            }
        }
    }
    impl ::std::error::Error for TestMeError {
        fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
            match self {
                TestMeError::G(e) => ::std::option::Option::Some(e),
            }
        }
    }
    impl ::std::convert::From<TestMeError> for TestMeResult {
        fn from(e: TestMeError) -> Self {
            match e {
                TestMeError::G(e) => TestMeResult::G(e),
            }
        }
    }
    impl ::std::convert::From<super::Goodbye> for TestMeError {
        fn from(e: super::Goodbye) -> Self {
            TestMeError::G(e)
        }
    }
    impl ::std::convert::From<super::Goodbye>
    for ::tchannel_runtime::thrift::Error<TestMeError> {
        fn from(e: super::Goodbye) -> Self {
            ::tchannel_runtime::thrift::Error::Exception(TestMeError::G(e))
        }
    }
    /// The arguments of `SmallService::testVoid`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct TestVoidArgs {}
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl ::tchannel_runtime::thrift::ThriftValue for TestVoidArgs {
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
            ::std::result::Result::Ok(TestVoidArgs {})
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for TestVoidArgs {
        const NAME: &'static str = "testVoid_args";
    }
    /// The result of `SmallService::testVoid`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum TestVoidResult {
        /// The method returned normally.
        Success,
        /// The method threw `g`.
        G(super::Goodbye),
    }
    impl ::tchannel_runtime::thrift::ThriftValue for TestVoidResult {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            match self {
                TestVoidResult::Success => {}
                TestVoidResult::G(v) => {
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
                    (1, ::tchannel_runtime::thrift::TType::Struct) => {
                        out = ::std::option::Option::Some(
                            TestVoidResult::G(
                                ::tchannel_runtime::thrift::ThriftValue::read(r)
                                    .map_err(|e| e.in_field("testVoid_result", "g"))?,
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
                    ::std::result::Result::Ok(TestVoidResult::Success)
                }
            }
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for TestVoidResult {
        const NAME: &'static str = "testVoid_result";
    }
    /// The exceptions `SmallService::testVoid` declares.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum TestVoidError {
        /// `g`.
        G(super::Goodbye),
    }
    impl ::std::fmt::Display for TestVoidError {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match self {
                TestVoidError::G(e) => ::std::fmt::Display::fmt(e, f),
            }
        }
    }
    impl ::std::error::Error for TestVoidError {
        fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
            match self {
                TestVoidError::G(e) => ::std::option::Option::Some(e),
            }
        }
    }
    impl ::std::convert::From<TestVoidError> for TestVoidResult {
        fn from(e: TestVoidError) -> Self {
            match e {
                TestVoidError::G(e) => TestVoidResult::G(e),
            }
        }
    }
    impl ::std::convert::From<super::Goodbye> for TestVoidError {
        fn from(e: super::Goodbye) -> Self {
            TestVoidError::G(e)
        }
    }
    impl ::std::convert::From<super::Goodbye>
    for ::tchannel_runtime::thrift::Error<TestVoidError> {
        fn from(e: super::Goodbye) -> Self {
            ::tchannel_runtime::thrift::Error::Exception(TestVoidError::G(e))
        }
    }
    /// The arguments of `SmallService::testI32`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct TestI32Args {
        pub boo: i32,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl ::tchannel_runtime::thrift::ThriftValue for TestI32Args {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            w.write_field_begin(::tchannel_runtime::thrift::TType::I32, 1);
            ::tchannel_runtime::thrift::ThriftValue::write(&self.boo, w);
            w.write_field_stop();
        }
        fn read(
            r: &mut ::tchannel_runtime::thrift::Reader,
        ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
            r.enter()?;
            let mut f_boo: ::std::option::Option<i32> = ::std::option::Option::None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == ::tchannel_runtime::thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, ::tchannel_runtime::thrift::TType::I32) => {
                        f_boo = ::std::option::Option::Some(
                            ::tchannel_runtime::thrift::ThriftValue::read(r)
                                .map_err(|e| e.in_field("testI32_args", "boo"))?,
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            ::std::result::Result::Ok(TestI32Args {
                boo: f_boo.unwrap_or_default(),
            })
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for TestI32Args {
        const NAME: &'static str = "testI32_args";
    }
    /// The result of `SmallService::testI32`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum TestI32Result {
        /// The method returned normally.
        Success(i32),
    }
    impl ::tchannel_runtime::thrift::ThriftValue for TestI32Result {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            match self {
                TestI32Result::Success(v) => {
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
                            TestI32Result::Success(
                                ::tchannel_runtime::thrift::ThriftValue::read(r)
                                    .map_err(|e| e.in_field("testI32_result", "success"))?,
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
                            "testI32_result",
                            0,
                        ),
                    )
                }
            }
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for TestI32Result {
        const NAME: &'static str = "testI32_result";
    }
}
///
/// The `SmallService` service: implement it and serve it with [`SmallServiceServer`].
pub trait SmallService: ::std::marker::Send + ::std::marker::Sync + 'static {
    /// Called as `SmallService::testThinger`.
    #[allow(clippy::too_many_arguments)]
    fn test_thinger(
        &self,
        ctx: &::tchannel_runtime::thrift::RequestContext,
        bootz: Thinger,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            Thinger,
            ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
        >,
    > + ::std::marker::Send;
    /// Called as `SmallService::testMe`.
    #[allow(clippy::too_many_arguments)]
    fn test_me(
        &self,
        ctx: &::tchannel_runtime::thrift::RequestContext,
        hello: i32,
        wonk: Hello,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            Hello,
            ::tchannel_runtime::thrift::Error<small_service::TestMeError>,
        >,
    > + ::std::marker::Send;
    /// Called as `SmallService::testVoid`.
    #[allow(clippy::too_many_arguments)]
    fn test_void(
        &self,
        ctx: &::tchannel_runtime::thrift::RequestContext,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            (),
            ::tchannel_runtime::thrift::Error<small_service::TestVoidError>,
        >,
    > + ::std::marker::Send;
    /// Called as `SmallService::testI32`.
    #[allow(clippy::too_many_arguments)]
    fn test_i32(
        &self,
        ctx: &::tchannel_runtime::thrift::RequestContext,
        boo: i32,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            i32,
            ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
        >,
    > + ::std::marker::Send;
}
/// Serves a [`SmallService`] implementation: decodes each call's arguments, calls the method and encodes its result. Answers `SmallService::testThinger`, `SmallService::testMe`, `SmallService::testVoid`, `SmallService::testI32`.
#[derive(Debug)]
pub struct SmallServiceServer<T> {
    inner: ::std::sync::Arc<T>,
}
impl<T> ::std::clone::Clone for SmallServiceServer<T> {
    fn clone(&self) -> Self {
        SmallServiceServer {
            inner: ::std::sync::Arc::clone(&self.inner),
        }
    }
}
impl<T: SmallService> SmallServiceServer<T> {
    /// Serves `inner`.
    pub fn new(inner: T) -> Self {
        SmallServiceServer {
            inner: ::std::sync::Arc::new(inner),
        }
    }
    /// Serves a shared `inner`.
    pub fn from_arc(inner: ::std::sync::Arc<T>) -> Self {
        SmallServiceServer { inner }
    }
    /// The implementation being served.
    pub fn get_ref(&self) -> &T {
        &self.inner
    }
}
impl<T: SmallService> ::tchannel_runtime::thrift::Service for SmallServiceServer<T> {
    fn name(&self) -> &'static str {
        "SmallService"
    }
    fn methods(&self) -> &'static [&'static str] {
        &[
            "SmallService::testThinger",
            "SmallService::testMe",
            "SmallService::testVoid",
            "SmallService::testI32",
        ]
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
            "SmallService::testThinger" => {
                ::std::boxed::Box::pin(async move {
                    let args = match <small_service::TestThingerArgs as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
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
                    let bootz = args.bootz;
                    let out = match <T as SmallService>::test_thinger(
                            &inner,
                            &ctx,
                            bootz,
                        )
                        .await
                    {
                        ::std::result::Result::Ok(v) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: true,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &small_service::TestThingerResult::Success(v),
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
            "SmallService::testMe" => {
                ::std::boxed::Box::pin(async move {
                    let args = match <small_service::TestMeArgs as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
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
                    let hello = args.hello;
                    let wonk = args.wonk;
                    let out = match <T as SmallService>::test_me(
                            &inner,
                            &ctx,
                            hello,
                            wonk,
                        )
                        .await
                    {
                        ::std::result::Result::Ok(v) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: true,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &small_service::TestMeResult::Success(v),
                                ),
                            })
                        }
                        ::std::result::Result::Err(
                            ::tchannel_runtime::thrift::Error::Exception(e),
                        ) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: false,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &small_service::TestMeResult::from(e),
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
            "SmallService::testVoid" => {
                ::std::boxed::Box::pin(async move {
                    let _ = match <small_service::TestVoidArgs as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
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
                    let out = match <T as SmallService>::test_void(&inner, &ctx).await {
                        ::std::result::Result::Ok(v) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: true,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &{
                                        let () = v;
                                        small_service::TestVoidResult::Success
                                    },
                                ),
                            })
                        }
                        ::std::result::Result::Err(
                            ::tchannel_runtime::thrift::Error::Exception(e),
                        ) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: false,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &small_service::TestVoidResult::from(e),
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
            "SmallService::testI32" => {
                ::std::boxed::Box::pin(async move {
                    let args = match <small_service::TestI32Args as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
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
                    let boo = args.boo;
                    let out = match <T as SmallService>::test_i32(&inner, &ctx, boo)
                        .await
                    {
                        ::std::result::Result::Ok(v) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: true,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &small_service::TestI32Result::Success(v),
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
/// A client of the `SmallService` service, sending calls through a [`Transport`](::tchannel_runtime::thrift::Transport).
#[derive(Debug, Clone)]
pub struct SmallServiceClient<T> {
    transport: T,
}
impl<T: ::tchannel_runtime::thrift::Transport> SmallServiceClient<T> {
    /// A client that sends its calls through `transport`.
    pub fn new(transport: T) -> Self {
        SmallServiceClient { transport }
    }
    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }
    /// Sends `SmallService::testThinger`.
    #[allow(clippy::too_many_arguments)]
    pub async fn test_thinger(
        &self,
        bootz: Thinger,
    ) -> ::std::result::Result<
        Thinger,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        let args = small_service::TestThingerArgs {
            bootz,
        };
        let response = self
            .transport
            .call(
                "SmallService::testThinger",
                ::tchannel_runtime::thrift::ThriftStruct::to_bytes(&args),
            )
            .await
            .map_err(::tchannel_runtime::thrift::Error::Failure)?;
        let result = <small_service::TestThingerResult as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
                response.body,
            )
            .map_err(|e| ::tchannel_runtime::thrift::Error::Failure(
                ::std::boxed::Box::new(e),
            ))?;
        match result {
            small_service::TestThingerResult::Success(v) => ::std::result::Result::Ok(v),
        }
    }
    /// Sends `SmallService::testMe`.
    #[allow(clippy::too_many_arguments)]
    pub async fn test_me(
        &self,
        hello: i32,
        wonk: Hello,
    ) -> ::std::result::Result<
        Hello,
        ::tchannel_runtime::thrift::Error<small_service::TestMeError>,
    > {
        let args = small_service::TestMeArgs {
            hello,
            wonk,
        };
        let response = self
            .transport
            .call(
                "SmallService::testMe",
                ::tchannel_runtime::thrift::ThriftStruct::to_bytes(&args),
            )
            .await
            .map_err(::tchannel_runtime::thrift::Error::Failure)?;
        let result = <small_service::TestMeResult as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
                response.body,
            )
            .map_err(|e| ::tchannel_runtime::thrift::Error::Failure(
                ::std::boxed::Box::new(e),
            ))?;
        match result {
            small_service::TestMeResult::Success(v) => ::std::result::Result::Ok(v),
            small_service::TestMeResult::G(e) => {
                ::std::result::Result::Err(
                    ::tchannel_runtime::thrift::Error::Exception(
                        small_service::TestMeError::G(e),
                    ),
                )
            }
        }
    }
    /// Sends `SmallService::testVoid`.
    #[allow(clippy::too_many_arguments)]
    pub async fn test_void(
        &self,
    ) -> ::std::result::Result<
        (),
        ::tchannel_runtime::thrift::Error<small_service::TestVoidError>,
    > {
        let args = small_service::TestVoidArgs {};
        let response = self
            .transport
            .call(
                "SmallService::testVoid",
                ::tchannel_runtime::thrift::ThriftStruct::to_bytes(&args),
            )
            .await
            .map_err(::tchannel_runtime::thrift::Error::Failure)?;
        let result = <small_service::TestVoidResult as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
                response.body,
            )
            .map_err(|e| ::tchannel_runtime::thrift::Error::Failure(
                ::std::boxed::Box::new(e),
            ))?;
        match result {
            small_service::TestVoidResult::Success => ::std::result::Result::Ok(()),
            small_service::TestVoidResult::G(e) => {
                ::std::result::Result::Err(
                    ::tchannel_runtime::thrift::Error::Exception(
                        small_service::TestVoidError::G(e),
                    ),
                )
            }
        }
    }
    /// Sends `SmallService::testI32`.
    #[allow(clippy::too_many_arguments)]
    pub async fn test_i32(
        &self,
        boo: i32,
    ) -> ::std::result::Result<
        i32,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        let args = small_service::TestI32Args { boo };
        let response = self
            .transport
            .call(
                "SmallService::testI32",
                ::tchannel_runtime::thrift::ThriftStruct::to_bytes(&args),
            )
            .await
            .map_err(::tchannel_runtime::thrift::Error::Failure)?;
        let result = <small_service::TestI32Result as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
                response.body,
            )
            .map_err(|e| ::tchannel_runtime::thrift::Error::Failure(
                ::std::boxed::Box::new(e),
            ))?;
        match result {
            small_service::TestI32Result::Success(v) => ::std::result::Result::Ok(v),
        }
    }
}
/// A blocking client of the `SmallService` service: the methods of [`SmallServiceClient`], each waiting for its result, for code without an async runtime. Calls run on the `BlockingRuntime`'s own thread; to have several in flight at once, `spawn` calls of [`SmallServiceClient`] on the runtime and `wait` for them.
#[derive(Debug, Clone)]
pub struct SmallServiceBlockingClient<T> {
    client: SmallServiceClient<T>,
    runtime: ::tchannel_runtime::thrift::BlockingRuntime,
}
impl<T: ::tchannel_runtime::thrift::Transport> SmallServiceBlockingClient<T> {
    /// A blocking client sending through `transport` on `runtime`.
    pub fn new(
        transport: T,
        runtime: &::tchannel_runtime::thrift::BlockingRuntime,
    ) -> Self {
        SmallServiceBlockingClient {
            client: SmallServiceClient::new(transport),
            runtime: runtime.clone(),
        }
    }
    /// The async client underneath (to `spawn` several calls at once).
    pub fn client(&self) -> &SmallServiceClient<T> {
        &self.client
    }
    /// The runtime the calls run on (its `spawn` starts several at once).
    pub fn runtime(&self) -> &::tchannel_runtime::thrift::BlockingRuntime {
        &self.runtime
    }
    /// [`SmallServiceClient::test_thinger`], waiting for its result.
    #[allow(clippy::too_many_arguments)]
    pub fn test_thinger(
        &self,
        bootz: Thinger,
    ) -> ::std::result::Result<
        Thinger,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        self.runtime.block_on(self.client.test_thinger(bootz))
    }
    /// [`SmallServiceClient::test_me`], waiting for its result.
    #[allow(clippy::too_many_arguments)]
    pub fn test_me(
        &self,
        hello: i32,
        wonk: Hello,
    ) -> ::std::result::Result<
        Hello,
        ::tchannel_runtime::thrift::Error<small_service::TestMeError>,
    > {
        self.runtime.block_on(self.client.test_me(hello, wonk))
    }
    /// [`SmallServiceClient::test_void`], waiting for its result.
    #[allow(clippy::too_many_arguments)]
    pub fn test_void(
        &self,
    ) -> ::std::result::Result<
        (),
        ::tchannel_runtime::thrift::Error<small_service::TestVoidError>,
    > {
        self.runtime.block_on(self.client.test_void())
    }
    /// [`SmallServiceClient::test_i32`], waiting for its result.
    #[allow(clippy::too_many_arguments)]
    pub fn test_i32(
        &self,
        boo: i32,
    ) -> ::std::result::Result<
        i32,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        self.runtime.block_on(self.client.test_i32(boo))
    }
}
