#[allow(unused_imports)]
use ::tchannel_runtime::thrift as _thrift;
/// `struct Goodbyez` in the IDL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct Goodbyez {
    /// `val`: field 1, default requiredness, default `325`.
    pub val: i32,
}
#[allow(clippy::approx_constant)]
impl Default for Goodbyez {
    fn default() -> Self {
        Goodbyez { val: 325i32 }
    }
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl _thrift::ThriftValue for Goodbyez {
    const TTYPE: _thrift::TType = _thrift::TType::Struct;
    fn write(&self, w: &mut _thrift::Writer) {
        w.write_field(1, &self.val);
        w.write_field_stop();
    }
    fn encoded_len(&self) -> usize {
        #[allow(unused_mut)]
        let mut n = 1;
        n += 3 + _thrift::ThriftValue::encoded_len(&self.val);
        n
    }
    fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
        r.enter()?;
        let mut f_val: Option<i32> = None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == _thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, _thrift::TType::I32) => {
                    f_val = Some(r.read_field("Goodbyez", "val")?);
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        Ok(Goodbyez {
            val: f_val.unwrap_or(325i32),
        })
    }
}
impl _thrift::ThriftStruct for Goodbyez {
    const NAME: &'static str = "Goodbyez";
}
/// `struct BoolPasser` in the IDL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct BoolPasser {
    /// `value`: field 1, default requiredness, default `1`.
    pub value: bool,
}
#[allow(clippy::approx_constant)]
impl Default for BoolPasser {
    fn default() -> Self {
        BoolPasser { value: true }
    }
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl _thrift::ThriftValue for BoolPasser {
    const TTYPE: _thrift::TType = _thrift::TType::Struct;
    fn write(&self, w: &mut _thrift::Writer) {
        w.write_field(1, &self.value);
        w.write_field_stop();
    }
    fn encoded_len(&self) -> usize {
        #[allow(unused_mut)]
        let mut n = 1;
        n += 3 + _thrift::ThriftValue::encoded_len(&self.value);
        n
    }
    fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
        r.enter()?;
        let mut f_value: Option<bool> = None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == _thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, _thrift::TType::Bool) => {
                    f_value = Some(r.read_field("BoolPasser", "value")?);
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        Ok(BoolPasser {
            value: f_value.unwrap_or(true),
        })
    }
}
impl _thrift::ThriftStruct for BoolPasser {
    const NAME: &'static str = "BoolPasser";
}
/// `struct Hello` in the IDL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct Hello {
    /// `simple`: field 1, default requiredness, default `53`.
    pub simple: i32,
    /// `complex`: field 2, default requiredness, default `{23:532, 6243:632, 2355:532}`.
    pub complex: ::std::collections::BTreeMap<i32, i32>,
    /// `complexer`: field 3, default requiredness.
    pub complexer: ::std::collections::BTreeMap<
        i32,
        ::std::collections::BTreeMap<i32, i32>,
    >,
    /// `words`: field 4, default requiredness, default `"words"`.
    pub words: String,
    /// `thinz`: field 5, default requiredness, default `{'val' : 36632}`.
    pub thinz: Goodbyez,
}
#[allow(clippy::approx_constant)]
impl Default for Hello {
    fn default() -> Self {
        Hello {
            simple: 53i32,
            complex: [(23i32, 532i32), (6243i32, 632i32), (2355i32, 532i32)]
                .into_iter()
                .collect(),
            complexer: Default::default(),
            words: String::from("words"),
            thinz: Goodbyez { val: 36632i32 },
        }
    }
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl _thrift::ThriftValue for Hello {
    const TTYPE: _thrift::TType = _thrift::TType::Struct;
    fn write(&self, w: &mut _thrift::Writer) {
        w.write_field(1, &self.simple);
        w.write_field(2, &self.complex);
        w.write_field(3, &self.complexer);
        w.write_field(4, &self.words);
        w.write_field(5, &self.thinz);
        w.write_field_stop();
    }
    fn encoded_len(&self) -> usize {
        #[allow(unused_mut)]
        let mut n = 1;
        n += 3 + _thrift::ThriftValue::encoded_len(&self.simple);
        n += 3 + _thrift::ThriftValue::encoded_len(&self.complex);
        n += 3 + _thrift::ThriftValue::encoded_len(&self.complexer);
        n += 3 + _thrift::ThriftValue::encoded_len(&self.words);
        n += 3 + _thrift::ThriftValue::encoded_len(&self.thinz);
        n
    }
    fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
        r.enter()?;
        let mut f_simple: Option<i32> = None;
        let mut f_complex: Option<::std::collections::BTreeMap<i32, i32>> = None;
        let mut f_complexer: Option<
            ::std::collections::BTreeMap<i32, ::std::collections::BTreeMap<i32, i32>>,
        > = None;
        let mut f_words: Option<String> = None;
        let mut f_thinz: Option<Goodbyez> = None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == _thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, _thrift::TType::I32) => {
                    f_simple = Some(r.read_field("Hello", "simple")?);
                }
                (2, _thrift::TType::Map) => {
                    f_complex = Some(r.read_field("Hello", "complex")?);
                }
                (3, _thrift::TType::Map) => {
                    f_complexer = Some(r.read_field("Hello", "complexer")?);
                }
                (4, _thrift::TType::String) => {
                    f_words = Some(r.read_field("Hello", "words")?);
                }
                (5, _thrift::TType::Struct) => {
                    f_thinz = Some(r.read_field("Hello", "thinz")?);
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        Ok(Hello {
            simple: f_simple.unwrap_or(53i32),
            complex: f_complex
                .unwrap_or_else(|| {
                    [(23i32, 532i32), (6243i32, 632i32), (2355i32, 532i32)]
                        .into_iter()
                        .collect()
                }),
            complexer: f_complexer.unwrap_or_default(),
            words: f_words.unwrap_or_else(|| String::from("words")),
            thinz: f_thinz.unwrap_or_else(|| Goodbyez { val: 36632i32 }),
        })
    }
}
impl _thrift::ThriftStruct for Hello {
    const NAME: &'static str = "Hello";
}
/// `const CMAP` in the IDL.
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
/// `const CINT` in the IDL.
#[allow(clippy::approx_constant)]
pub const CINT: i32 = 325i32;
/// `const WHOA` in the IDL.
#[allow(clippy::approx_constant)]
pub static WHOA: ::std::sync::LazyLock<Hello> = ::std::sync::LazyLock::new(|| Hello {
    simple: 532i32,
    ..Default::default()
});
/// `exception Goodbye` in the IDL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct Goodbye {
    /// `simple`: field 1, default requiredness.
    pub simple: i32,
    /// `complex`: field 2, default requiredness.
    pub complex: ::std::collections::BTreeMap<i32, i32>,
    /// `complexer`: field 3, default requiredness.
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
impl _thrift::ThriftValue for Goodbye {
    const TTYPE: _thrift::TType = _thrift::TType::Struct;
    fn write(&self, w: &mut _thrift::Writer) {
        w.write_field(1, &self.simple);
        w.write_field(2, &self.complex);
        w.write_field(3, &self.complexer);
        w.write_field_stop();
    }
    fn encoded_len(&self) -> usize {
        #[allow(unused_mut)]
        let mut n = 1;
        n += 3 + _thrift::ThriftValue::encoded_len(&self.simple);
        n += 3 + _thrift::ThriftValue::encoded_len(&self.complex);
        n += 3 + _thrift::ThriftValue::encoded_len(&self.complexer);
        n
    }
    fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
        r.enter()?;
        let mut f_simple: Option<i32> = None;
        let mut f_complex: Option<::std::collections::BTreeMap<i32, i32>> = None;
        let mut f_complexer: Option<
            ::std::collections::BTreeMap<i32, ::std::collections::BTreeMap<i32, i32>>,
        > = None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == _thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, _thrift::TType::I32) => {
                    f_simple = Some(r.read_field("Goodbye", "simple")?);
                }
                (2, _thrift::TType::Map) => {
                    f_complex = Some(r.read_field("Goodbye", "complex")?);
                }
                (3, _thrift::TType::Map) => {
                    f_complexer = Some(r.read_field("Goodbye", "complexer")?);
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        Ok(Goodbye {
            simple: f_simple.unwrap_or_default(),
            complex: f_complex.unwrap_or_default(),
            complexer: f_complexer.unwrap_or_default(),
        })
    }
}
impl _thrift::ThriftStruct for Goodbye {
    const NAME: &'static str = "Goodbye";
}
impl ::std::fmt::Display for Goodbye {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str("Goodbye")?;
        write!(f, " {{ simple: {:?}", self.simple)?;
        write!(f, ", complex: {:?}", self.complex)?;
        write!(f, ", complexer: {:?}", self.complexer)?;
        f.write_str(" }")
    }
}
impl ::std::error::Error for Goodbye {}
/// `struct Thinger` in the IDL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct Thinger {
    /// `dummy`: field 1, default requiredness.
    pub dummy: i32,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl _thrift::ThriftValue for Thinger {
    const TTYPE: _thrift::TType = _thrift::TType::Struct;
    fn write(&self, w: &mut _thrift::Writer) {
        w.write_field(1, &self.dummy);
        w.write_field_stop();
    }
    fn encoded_len(&self) -> usize {
        #[allow(unused_mut)]
        let mut n = 1;
        n += 3 + _thrift::ThriftValue::encoded_len(&self.dummy);
        n
    }
    fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
        r.enter()?;
        let mut f_dummy: Option<i32> = None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == _thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, _thrift::TType::I32) => {
                    f_dummy = Some(r.read_field("Thinger", "dummy")?);
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        Ok(Thinger {
            dummy: f_dummy.unwrap_or_default(),
        })
    }
}
impl _thrift::ThriftStruct for Thinger {
    const NAME: &'static str = "Thinger";
}
/// Argument, result and exception types of the `SmallService` service's methods.
#[allow(clippy::module_inception)]
pub mod small_service {
    #[allow(unused_imports)]
    use ::tchannel_runtime::thrift as _thrift;
    /// The arguments of `SmallService::testThinger`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct TestThingerArgs {
        /// `bootz`: field 1, default requiredness.
        pub bootz: super::Thinger,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl _thrift::ThriftValue for TestThingerArgs {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            w.write_field(1, &self.bootz);
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            #[allow(unused_mut)]
            let mut n = 1;
            n += 3 + _thrift::ThriftValue::encoded_len(&self.bootz);
            n
        }
        fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
            r.enter()?;
            let mut f_bootz: Option<super::Thinger> = None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == _thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, _thrift::TType::Struct) => {
                        f_bootz = Some(r.read_field("testThinger_args", "bootz")?);
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            Ok(TestThingerArgs {
                bootz: f_bootz.unwrap_or_default(),
            })
        }
    }
    impl _thrift::ThriftStruct for TestThingerArgs {
        const NAME: &'static str = "testThinger_args";
    }
    /// The result of `SmallService::testThinger`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum TestThingerResult {
        /// The method returned normally.
        Success(super::Thinger),
    }
    impl _thrift::ThriftValue for TestThingerResult {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            match self {
                TestThingerResult::Success(v) => {
                    w.write_field(0, v);
                }
            }
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            1
                + match self {
                    TestThingerResult::Success(v) => {
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
                            TestThingerResult::Success(
                                r.read_field("testThinger_result", "success")?,
                            ),
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            match out {
                Some(v) => Ok(v),
                None => Err(_thrift::DecodeError::invalid_union("testThinger_result", 0)),
            }
        }
    }
    impl _thrift::ThriftStruct for TestThingerResult {
        const NAME: &'static str = "testThinger_result";
    }
    /// The arguments of `SmallService::testMe`.
    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct TestMeArgs {
        /// `hello`: field 1, default requiredness, default `64`.
        pub hello: i32,
        /// `wonk`: field 2, default requiredness.
        pub wonk: super::Hello,
    }
    #[allow(clippy::approx_constant)]
    impl Default for TestMeArgs {
        fn default() -> Self {
            TestMeArgs {
                hello: 64i32,
                wonk: Default::default(),
            }
        }
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl _thrift::ThriftValue for TestMeArgs {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            w.write_field(1, &self.hello);
            w.write_field(2, &self.wonk);
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            #[allow(unused_mut)]
            let mut n = 1;
            n += 3 + _thrift::ThriftValue::encoded_len(&self.hello);
            n += 3 + _thrift::ThriftValue::encoded_len(&self.wonk);
            n
        }
        fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
            r.enter()?;
            let mut f_hello: Option<i32> = None;
            let mut f_wonk: Option<super::Hello> = None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == _thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, _thrift::TType::I32) => {
                        f_hello = Some(r.read_field("testMe_args", "hello")?);
                    }
                    (2, _thrift::TType::Struct) => {
                        f_wonk = Some(r.read_field("testMe_args", "wonk")?);
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            Ok(TestMeArgs {
                hello: f_hello.unwrap_or(64i32),
                wonk: f_wonk.unwrap_or_default(),
            })
        }
    }
    impl _thrift::ThriftStruct for TestMeArgs {
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
    impl _thrift::ThriftValue for TestMeResult {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            match self {
                TestMeResult::Success(v) => {
                    w.write_field(0, v);
                }
                TestMeResult::G(v) => {
                    w.write_field(1, v);
                }
            }
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            1
                + match self {
                    TestMeResult::Success(v) => 3 + _thrift::ThriftValue::encoded_len(v),
                    TestMeResult::G(v) => 3 + _thrift::ThriftValue::encoded_len(v),
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
                            TestMeResult::Success(
                                r.read_field("testMe_result", "success")?,
                            ),
                        );
                    }
                    (1, _thrift::TType::Struct) => {
                        out = Some(TestMeResult::G(r.read_field("testMe_result", "g")?));
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            match out {
                Some(v) => Ok(v),
                None => Err(_thrift::DecodeError::invalid_union("testMe_result", 0)),
            }
        }
    }
    impl _thrift::ThriftStruct for TestMeResult {
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
        fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
            match self {
                TestMeError::G(e) => Some(e),
            }
        }
    }
    impl From<TestMeError> for TestMeResult {
        fn from(e: TestMeError) -> Self {
            match e {
                TestMeError::G(e) => TestMeResult::G(e),
            }
        }
    }
    impl From<super::Goodbye> for TestMeError {
        fn from(e: super::Goodbye) -> Self {
            TestMeError::G(e)
        }
    }
    impl From<super::Goodbye> for _thrift::Error<TestMeError> {
        fn from(e: super::Goodbye) -> Self {
            _thrift::Error::Exception(TestMeError::G(e))
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
    impl _thrift::ThriftValue for TestVoidArgs {
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
            Ok(TestVoidArgs {})
        }
    }
    impl _thrift::ThriftStruct for TestVoidArgs {
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
    impl _thrift::ThriftValue for TestVoidResult {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            match self {
                TestVoidResult::Success => {}
                TestVoidResult::G(v) => {
                    w.write_field(1, v);
                }
            }
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            1
                + match self {
                    TestVoidResult::Success => 0,
                    TestVoidResult::G(v) => 3 + _thrift::ThriftValue::encoded_len(v),
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
                    (1, _thrift::TType::Struct) => {
                        out = Some(
                            TestVoidResult::G(r.read_field("testVoid_result", "g")?),
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            match out {
                Some(v) => Ok(v),
                None => Ok(TestVoidResult::Success),
            }
        }
    }
    impl _thrift::ThriftStruct for TestVoidResult {
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
        fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
            match self {
                TestVoidError::G(e) => Some(e),
            }
        }
    }
    impl From<TestVoidError> for TestVoidResult {
        fn from(e: TestVoidError) -> Self {
            match e {
                TestVoidError::G(e) => TestVoidResult::G(e),
            }
        }
    }
    impl From<super::Goodbye> for TestVoidError {
        fn from(e: super::Goodbye) -> Self {
            TestVoidError::G(e)
        }
    }
    impl From<super::Goodbye> for _thrift::Error<TestVoidError> {
        fn from(e: super::Goodbye) -> Self {
            _thrift::Error::Exception(TestVoidError::G(e))
        }
    }
    /// The arguments of `SmallService::testI32`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct TestI32Args {
        /// `boo`: field 1, default requiredness.
        pub boo: i32,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl _thrift::ThriftValue for TestI32Args {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            w.write_field(1, &self.boo);
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            #[allow(unused_mut)]
            let mut n = 1;
            n += 3 + _thrift::ThriftValue::encoded_len(&self.boo);
            n
        }
        fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
            r.enter()?;
            let mut f_boo: Option<i32> = None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == _thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, _thrift::TType::I32) => {
                        f_boo = Some(r.read_field("testI32_args", "boo")?);
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            Ok(TestI32Args {
                boo: f_boo.unwrap_or_default(),
            })
        }
    }
    impl _thrift::ThriftStruct for TestI32Args {
        const NAME: &'static str = "testI32_args";
    }
    /// The result of `SmallService::testI32`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum TestI32Result {
        /// The method returned normally.
        Success(i32),
    }
    impl _thrift::ThriftValue for TestI32Result {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            match self {
                TestI32Result::Success(v) => {
                    w.write_field(0, v);
                }
            }
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            1
                + match self {
                    TestI32Result::Success(v) => 3 + _thrift::ThriftValue::encoded_len(v),
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
                            TestI32Result::Success(
                                r.read_field("testI32_result", "success")?,
                            ),
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            match out {
                Some(v) => Ok(v),
                None => Err(_thrift::DecodeError::invalid_union("testI32_result", 0)),
            }
        }
    }
    impl _thrift::ThriftStruct for TestI32Result {
        const NAME: &'static str = "testI32_result";
    }
}
///
/// The `SmallService` service: implement it and serve it with [`SmallServiceServer`].
pub trait SmallService: Send + Sync + 'static {
    /// Called as `SmallService::testThinger`.
    #[allow(clippy::too_many_arguments, clippy::wrong_self_convention)]
    fn test_thinger(
        &self,
        ctx: &_thrift::RequestContext,
        bootz: Thinger,
    ) -> impl ::std::future::Future<
        Output = Result<Thinger, _thrift::Error<_thrift::NoException>>,
    > + Send;
    /// Called as `SmallService::testMe`.
    #[allow(clippy::too_many_arguments, clippy::wrong_self_convention)]
    fn test_me(
        &self,
        ctx: &_thrift::RequestContext,
        hello: i32,
        wonk: Hello,
    ) -> impl ::std::future::Future<
        Output = Result<Hello, _thrift::Error<small_service::TestMeError>>,
    > + Send;
    /// Called as `SmallService::testVoid`.
    #[allow(clippy::too_many_arguments, clippy::wrong_self_convention)]
    fn test_void(
        &self,
        ctx: &_thrift::RequestContext,
    ) -> impl ::std::future::Future<
        Output = Result<(), _thrift::Error<small_service::TestVoidError>>,
    > + Send;
    /// Called as `SmallService::testI32`.
    #[allow(clippy::too_many_arguments, clippy::wrong_self_convention)]
    fn test_i32(
        &self,
        ctx: &_thrift::RequestContext,
        boo: i32,
    ) -> impl ::std::future::Future<
        Output = Result<i32, _thrift::Error<_thrift::NoException>>,
    > + Send;
}
/// Serves a [`SmallService`] implementation: decodes each call's arguments, calls the method and encodes its result. Answers `SmallService::testThinger`, `SmallService::testMe`, `SmallService::testVoid`, `SmallService::testI32`.
#[derive(Debug)]
pub struct SmallServiceServer<T> {
    inner: ::std::sync::Arc<T>,
}
impl<T> Clone for SmallServiceServer<T> {
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
impl<T: SmallService> _thrift::Service for SmallServiceServer<T> {
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
            "SmallService::testThinger" => {
                let args = match <small_service::TestThingerArgs as _thrift::ThriftStruct>::from_bytes(
                    args,
                ) {
                    Ok(a) => a,
                    Err(e) => {
                        return (ctx, Err(_thrift::DispatchError::BadRequest(e)));
                    }
                };
                let bootz = args.bootz;
                let out = match <T as SmallService>::test_thinger(
                        &self.inner,
                        &ctx,
                        bootz,
                    )
                    .await
                {
                    Ok(v) => {
                        Ok(_thrift::Response {
                            ok: true,
                            body: _thrift::ThriftStruct::to_bytes(
                                &small_service::TestThingerResult::Success(v),
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
            "SmallService::testMe" => {
                let args = match <small_service::TestMeArgs as _thrift::ThriftStruct>::from_bytes(
                    args,
                ) {
                    Ok(a) => a,
                    Err(e) => {
                        return (ctx, Err(_thrift::DispatchError::BadRequest(e)));
                    }
                };
                let hello = args.hello;
                let wonk = args.wonk;
                let out = match <T as SmallService>::test_me(
                        &self.inner,
                        &ctx,
                        hello,
                        wonk,
                    )
                    .await
                {
                    Ok(v) => {
                        Ok(_thrift::Response {
                            ok: true,
                            body: _thrift::ThriftStruct::to_bytes(
                                &small_service::TestMeResult::Success(v),
                            ),
                        })
                    }
                    Err(e) => {
                        match e.into_exception_or_failure() {
                            Ok(e) => {
                                Ok(_thrift::Response {
                                    ok: false,
                                    body: _thrift::ThriftStruct::to_bytes(
                                        &small_service::TestMeResult::from(e),
                                    ),
                                })
                            }
                            Err(e) => Err(_thrift::DispatchError::Unexpected(e)),
                        }
                    }
                };
                (ctx, out)
            }
            "SmallService::testVoid" => {
                let _ = match <small_service::TestVoidArgs as _thrift::ThriftStruct>::from_bytes(
                    args,
                ) {
                    Ok(a) => a,
                    Err(e) => {
                        return (ctx, Err(_thrift::DispatchError::BadRequest(e)));
                    }
                };
                let out = match <T as SmallService>::test_void(&self.inner, &ctx).await {
                    Ok(v) => {
                        Ok(_thrift::Response {
                            ok: true,
                            body: _thrift::ThriftStruct::to_bytes(
                                &{
                                    let () = v;
                                    small_service::TestVoidResult::Success
                                },
                            ),
                        })
                    }
                    Err(e) => {
                        match e.into_exception_or_failure() {
                            Ok(e) => {
                                Ok(_thrift::Response {
                                    ok: false,
                                    body: _thrift::ThriftStruct::to_bytes(
                                        &small_service::TestVoidResult::from(e),
                                    ),
                                })
                            }
                            Err(e) => Err(_thrift::DispatchError::Unexpected(e)),
                        }
                    }
                };
                (ctx, out)
            }
            "SmallService::testI32" => {
                let args = match <small_service::TestI32Args as _thrift::ThriftStruct>::from_bytes(
                    args,
                ) {
                    Ok(a) => a,
                    Err(e) => {
                        return (ctx, Err(_thrift::DispatchError::BadRequest(e)));
                    }
                };
                let boo = args.boo;
                let out = match <T as SmallService>::test_i32(&self.inner, &ctx, boo)
                    .await
                {
                    Ok(v) => {
                        Ok(_thrift::Response {
                            ok: true,
                            body: _thrift::ThriftStruct::to_bytes(
                                &small_service::TestI32Result::Success(v),
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
/// A client of the `SmallService` service, sending calls through a [`Transport`](::tchannel_runtime::thrift::Transport).
#[derive(Debug, Clone)]
pub struct SmallServiceClient<T> {
    transport: T,
}
impl<T: _thrift::Transport> SmallServiceClient<T> {
    /// A client that sends its calls through `transport`.
    pub fn new(transport: T) -> Self {
        SmallServiceClient { transport }
    }
    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }
    /// Sends `SmallService::testThinger`: `.await` the call for the value, or set this call's options first and `.with_response()` for the response's headers too.
    #[allow(clippy::too_many_arguments)]
    pub fn test_thinger(
        &self,
        bootz: Thinger,
    ) -> _thrift::Call<'_, T, Thinger, _thrift::NoException> {
        #[allow(unused_mut)]
        let mut __len = 1;
        __len += 3 + _thrift::ThriftValue::encoded_len(&bootz);
        let mut __w = _thrift::Writer::with_capacity(__len);
        __w.write_field(1, &bootz);
        __w.write_field_stop();
        _thrift::Call::new(
            &self.transport,
            "SmallService::testThinger",
            __w.into_bytes(),
            |response| {
                let ok = response.ok;
                match _thrift::decode_result::<
                    small_service::TestThingerResult,
                    _,
                >("SmallService::testThinger", response)? {
                    small_service::TestThingerResult::Success(v) if ok => Ok(v),
                    _ => {
                        Err(
                            _thrift::Error::UnknownException(_thrift::UnknownException {
                                method: "SmallService::testThinger",
                            }),
                        )
                    }
                }
            },
        )
    }
    /// Sends `SmallService::testMe`: `.await` the call for the value, or set this call's options first and `.with_response()` for the response's headers too.
    #[allow(clippy::too_many_arguments)]
    pub fn test_me(
        &self,
        hello: i32,
        wonk: Hello,
    ) -> _thrift::Call<'_, T, Hello, small_service::TestMeError> {
        #[allow(unused_mut)]
        let mut __len = 1;
        __len += 3 + _thrift::ThriftValue::encoded_len(&hello);
        __len += 3 + _thrift::ThriftValue::encoded_len(&wonk);
        let mut __w = _thrift::Writer::with_capacity(__len);
        __w.write_field(1, &hello);
        __w.write_field(2, &wonk);
        __w.write_field_stop();
        _thrift::Call::new(
            &self.transport,
            "SmallService::testMe",
            __w.into_bytes(),
            |response| {
                let ok = response.ok;
                match _thrift::decode_result::<
                    small_service::TestMeResult,
                    _,
                >("SmallService::testMe", response)? {
                    small_service::TestMeResult::Success(v) if ok => Ok(v),
                    small_service::TestMeResult::G(e) => {
                        Err(_thrift::Error::Exception(small_service::TestMeError::G(e)))
                    }
                    _ => {
                        Err(
                            _thrift::Error::UnknownException(_thrift::UnknownException {
                                method: "SmallService::testMe",
                            }),
                        )
                    }
                }
            },
        )
    }
    /// Sends `SmallService::testVoid`: `.await` the call for the value, or set this call's options first and `.with_response()` for the response's headers too.
    #[allow(clippy::too_many_arguments)]
    pub fn test_void(&self) -> _thrift::Call<'_, T, (), small_service::TestVoidError> {
        #[allow(unused_mut)]
        let mut __len = 1;
        let mut __w = _thrift::Writer::with_capacity(__len);
        __w.write_field_stop();
        _thrift::Call::new(
            &self.transport,
            "SmallService::testVoid",
            __w.into_bytes(),
            |response| {
                let ok = response.ok;
                match _thrift::decode_result::<
                    small_service::TestVoidResult,
                    _,
                >("SmallService::testVoid", response)? {
                    small_service::TestVoidResult::Success if ok => Ok(()),
                    small_service::TestVoidResult::G(e) => {
                        Err(
                            _thrift::Error::Exception(small_service::TestVoidError::G(e)),
                        )
                    }
                    _ => {
                        Err(
                            _thrift::Error::UnknownException(_thrift::UnknownException {
                                method: "SmallService::testVoid",
                            }),
                        )
                    }
                }
            },
        )
    }
    /// Sends `SmallService::testI32`: `.await` the call for the value, or set this call's options first and `.with_response()` for the response's headers too.
    #[allow(clippy::too_many_arguments)]
    pub fn test_i32(&self, boo: i32) -> _thrift::Call<'_, T, i32, _thrift::NoException> {
        #[allow(unused_mut)]
        let mut __len = 1;
        __len += 3 + _thrift::ThriftValue::encoded_len(&boo);
        let mut __w = _thrift::Writer::with_capacity(__len);
        __w.write_field(1, &boo);
        __w.write_field_stop();
        _thrift::Call::new(
            &self.transport,
            "SmallService::testI32",
            __w.into_bytes(),
            |response| {
                let ok = response.ok;
                match _thrift::decode_result::<
                    small_service::TestI32Result,
                    _,
                >("SmallService::testI32", response)? {
                    small_service::TestI32Result::Success(v) if ok => Ok(v),
                    _ => {
                        Err(
                            _thrift::Error::UnknownException(_thrift::UnknownException {
                                method: "SmallService::testI32",
                            }),
                        )
                    }
                }
            },
        )
    }
}
/// A blocking client of the `SmallService` service: the methods of [`SmallServiceClient`], each waiting for its result, for code without an async runtime. Calls run on the `BlockingRuntime`'s own thread; to have several in flight at once, `spawn` calls of [`SmallServiceClient`] on the runtime and `wait` for them.
#[derive(Debug, Clone)]
pub struct SmallServiceBlockingClient<T> {
    client: SmallServiceClient<T>,
    runtime: _thrift::BlockingRuntime,
}
impl<T: _thrift::Transport> SmallServiceBlockingClient<T> {
    /// A blocking client sending through `transport` on `runtime`.
    pub fn new(transport: T, runtime: &_thrift::BlockingRuntime) -> Self {
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
    pub fn runtime(&self) -> &_thrift::BlockingRuntime {
        &self.runtime
    }
    /// [`SmallServiceClient::test_thinger`], waiting for its result. For this call's own options or the response's headers, build the call on [`client`](Self::client) and wait with [`runtime`](Self::runtime)`().block_on(..)`.
    #[allow(clippy::too_many_arguments)]
    pub fn test_thinger(
        &self,
        bootz: Thinger,
    ) -> Result<Thinger, _thrift::Error<_thrift::NoException>> {
        self.runtime
            .block_on(self.client.test_thinger(bootz).with_response())
            .map(_thrift::Reply::into_value)
    }
    /// [`SmallServiceClient::test_me`], waiting for its result. For this call's own options or the response's headers, build the call on [`client`](Self::client) and wait with [`runtime`](Self::runtime)`().block_on(..)`.
    #[allow(clippy::too_many_arguments)]
    pub fn test_me(
        &self,
        hello: i32,
        wonk: Hello,
    ) -> Result<Hello, _thrift::Error<small_service::TestMeError>> {
        self.runtime
            .block_on(self.client.test_me(hello, wonk).with_response())
            .map(_thrift::Reply::into_value)
    }
    /// [`SmallServiceClient::test_void`], waiting for its result. For this call's own options or the response's headers, build the call on [`client`](Self::client) and wait with [`runtime`](Self::runtime)`().block_on(..)`.
    #[allow(clippy::too_many_arguments)]
    pub fn test_void(&self) -> Result<(), _thrift::Error<small_service::TestVoidError>> {
        self.runtime
            .block_on(self.client.test_void().with_response())
            .map(_thrift::Reply::into_value)
    }
    /// [`SmallServiceClient::test_i32`], waiting for its result. For this call's own options or the response's headers, build the call on [`client`](Self::client) and wait with [`runtime`](Self::runtime)`().block_on(..)`.
    #[allow(clippy::too_many_arguments)]
    pub fn test_i32(
        &self,
        boo: i32,
    ) -> Result<i32, _thrift::Error<_thrift::NoException>> {
        self.runtime
            .block_on(self.client.test_i32(boo).with_response())
            .map(_thrift::Reply::into_value)
    }
}
