#[allow(clippy::approx_constant)]
pub const DEFAULT_STATUS: super::shared::Status = super::shared::Status::Degraded;
#[allow(clippy::approx_constant)]
pub static SEED: ::std::sync::LazyLock<
    ::std::collections::BTreeMap<::std::string::String, super::shared::SharedStruct>,
> = ::std::sync::LazyLock::new(|| {
    [
        (
            ::std::string::String::from("one"),
            super::shared::SharedStruct {
                key: 1i32,
                value: ::std::string::String::from("uno"),
                ..::std::default::Default::default()
            },
        ),
    ]
        .into_iter()
        .collect()
});
/// A binary tree: recursive through a direct field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct Tree {
    pub value: i32,
    pub left: ::std::option::Option<::std::boxed::Box<Tree>>,
    pub right: ::std::option::Option<::std::boxed::Box<Tree>>,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl ::tchannel_runtime::thrift::ThriftValue for Tree {
    const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
    fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
        w.write_field_begin(::tchannel_runtime::thrift::TType::I32, 1);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.value, w);
        if let ::std::option::Option::Some(v) = &self.left {
            w.write_field_begin(::tchannel_runtime::thrift::TType::Struct, 2);
            ::tchannel_runtime::thrift::ThriftValue::write(v, w);
        }
        if let ::std::option::Option::Some(v) = &self.right {
            w.write_field_begin(::tchannel_runtime::thrift::TType::Struct, 3);
            ::tchannel_runtime::thrift::ThriftValue::write(v, w);
        }
        w.write_field_stop();
    }
    fn read(
        r: &mut ::tchannel_runtime::thrift::Reader,
    ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
        r.enter()?;
        let mut f_value: ::std::option::Option<i32> = ::std::option::Option::None;
        let mut f_left: ::std::option::Option<::std::boxed::Box<Tree>> = ::std::option::Option::None;
        let mut f_right: ::std::option::Option<::std::boxed::Box<Tree>> = ::std::option::Option::None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == ::tchannel_runtime::thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, ::tchannel_runtime::thrift::TType::I32) => {
                    f_value = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("Tree", "value"))?,
                    );
                }
                (2, ::tchannel_runtime::thrift::TType::Struct) => {
                    f_left = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("Tree", "left"))?,
                    );
                }
                (3, ::tchannel_runtime::thrift::TType::Struct) => {
                    f_right = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("Tree", "right"))?,
                    );
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        ::std::result::Result::Ok(Tree {
            value: f_value.unwrap_or_default(),
            left: f_left,
            right: f_right,
        })
    }
}
impl ::tchannel_runtime::thrift::ThriftStruct for Tree {
    const NAME: &'static str = "Tree";
}
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Shape {
    CircleRadius(f64),
    Polygon(::std::vec::Vec<f64>),
    Tree(Tree),
}
impl ::std::default::Default for Shape {
    fn default() -> Self {
        Shape::CircleRadius(::std::default::Default::default())
    }
}
impl ::tchannel_runtime::thrift::ThriftValue for Shape {
    const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
    fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
        match self {
            Shape::CircleRadius(v) => {
                w.write_field_begin(::tchannel_runtime::thrift::TType::Double, 1);
                ::tchannel_runtime::thrift::ThriftValue::write(v, w);
            }
            Shape::Polygon(v) => {
                w.write_field_begin(::tchannel_runtime::thrift::TType::List, 2);
                ::tchannel_runtime::thrift::ThriftValue::write(v, w);
            }
            Shape::Tree(v) => {
                w.write_field_begin(::tchannel_runtime::thrift::TType::Struct, 3);
                ::tchannel_runtime::thrift::ThriftValue::write(v, w);
            }
        }
        #[allow(unreachable_code)] w.write_field_stop();
    }
    fn read(
        r: &mut ::tchannel_runtime::thrift::Reader,
    ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
        r.enter()?;
        let mut out = ::std::option::Option::None;
        let mut count = 0usize;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == ::tchannel_runtime::thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, ::tchannel_runtime::thrift::TType::Double) => {
                    out = ::std::option::Option::Some(
                        Shape::CircleRadius(
                            ::tchannel_runtime::thrift::ThriftValue::read(r)
                                .map_err(|e| e.in_field("Shape", "circle_radius"))?,
                        ),
                    );
                    count += 1;
                }
                (2, ::tchannel_runtime::thrift::TType::List) => {
                    out = ::std::option::Option::Some(
                        Shape::Polygon(
                            ::tchannel_runtime::thrift::ThriftValue::read(r)
                                .map_err(|e| e.in_field("Shape", "polygon"))?,
                        ),
                    );
                    count += 1;
                }
                (3, ::tchannel_runtime::thrift::TType::Struct) => {
                    out = ::std::option::Option::Some(
                        Shape::Tree(
                            ::tchannel_runtime::thrift::ThriftValue::read(r)
                                .map_err(|e| e.in_field("Shape", "tree"))?,
                        ),
                    );
                    count += 1;
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        match out {
            ::std::option::Option::Some(v) if count == 1 => ::std::result::Result::Ok(v),
            _ => {
                ::std::result::Result::Err(
                    ::tchannel_runtime::thrift::DecodeError::invalid_union(
                        "Shape",
                        count,
                    ),
                )
            }
        }
    }
}
impl ::tchannel_runtime::thrift::ThriftStruct for Shape {
    const NAME: &'static str = "Shape";
}
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct Overloaded {
    pub retry_after_ms: i32,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl ::tchannel_runtime::thrift::ThriftValue for Overloaded {
    const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
    fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
        w.write_field_begin(::tchannel_runtime::thrift::TType::I32, 1);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.retry_after_ms, w);
        w.write_field_stop();
    }
    fn read(
        r: &mut ::tchannel_runtime::thrift::Reader,
    ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
        r.enter()?;
        let mut f_retry_after_ms: ::std::option::Option<i32> = ::std::option::Option::None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == ::tchannel_runtime::thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, ::tchannel_runtime::thrift::TType::I32) => {
                    f_retry_after_ms = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("Overloaded", "retry_after_ms"))?,
                    );
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        ::std::result::Result::Ok(Overloaded {
            retry_after_ms: f_retry_after_ms.unwrap_or_default(),
        })
    }
}
impl ::tchannel_runtime::thrift::ThriftStruct for Overloaded {
    const NAME: &'static str = "Overloaded";
}
impl ::std::fmt::Display for Overloaded {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        write!(f, "Overloaded {:?}", self)
    }
}
impl ::std::error::Error for Overloaded {}
/// Argument, result and exception types of the `Calculator` service's methods.
#[allow(clippy::module_inception)]
pub mod calculator {
    /// The arguments of `Calculator::add`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct AddArgs {
        pub a: i64,
        pub b: i64,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl ::tchannel_runtime::thrift::ThriftValue for AddArgs {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            w.write_field_begin(::tchannel_runtime::thrift::TType::I64, 1);
            ::tchannel_runtime::thrift::ThriftValue::write(&self.a, w);
            w.write_field_begin(::tchannel_runtime::thrift::TType::I64, 2);
            ::tchannel_runtime::thrift::ThriftValue::write(&self.b, w);
            w.write_field_stop();
        }
        fn read(
            r: &mut ::tchannel_runtime::thrift::Reader,
        ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
            r.enter()?;
            let mut f_a: ::std::option::Option<i64> = ::std::option::Option::None;
            let mut f_b: ::std::option::Option<i64> = ::std::option::Option::None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == ::tchannel_runtime::thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, ::tchannel_runtime::thrift::TType::I64) => {
                        f_a = ::std::option::Option::Some(
                            ::tchannel_runtime::thrift::ThriftValue::read(r)
                                .map_err(|e| e.in_field("add_args", "a"))?,
                        );
                    }
                    (2, ::tchannel_runtime::thrift::TType::I64) => {
                        f_b = ::std::option::Option::Some(
                            ::tchannel_runtime::thrift::ThriftValue::read(r)
                                .map_err(|e| e.in_field("add_args", "b"))?,
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            ::std::result::Result::Ok(AddArgs {
                a: f_a.unwrap_or_default(),
                b: f_b.unwrap_or_default(),
            })
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for AddArgs {
        const NAME: &'static str = "add_args";
    }
    /// The result of `Calculator::add`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum AddResult {
        /// The method returned normally.
        Success(i64),
    }
    impl ::tchannel_runtime::thrift::ThriftValue for AddResult {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            match self {
                AddResult::Success(v) => {
                    w.write_field_begin(::tchannel_runtime::thrift::TType::I64, 0);
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
                    (0, ::tchannel_runtime::thrift::TType::I64) => {
                        out = ::std::option::Option::Some(
                            AddResult::Success(
                                ::tchannel_runtime::thrift::ThriftValue::read(r)
                                    .map_err(|e| e.in_field("add_result", "success"))?,
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
                            "add_result",
                            0,
                        ),
                    )
                }
            }
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for AddResult {
        const NAME: &'static str = "add_result";
    }
    /// The arguments of `Calculator::area`.
    #[derive(Debug, Clone, Default, PartialEq)]
    #[allow(clippy::type_complexity)]
    pub struct AreaArgs {
        pub shape: super::Shape,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl ::tchannel_runtime::thrift::ThriftValue for AreaArgs {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            w.write_field_begin(::tchannel_runtime::thrift::TType::Struct, 1);
            ::tchannel_runtime::thrift::ThriftValue::write(&self.shape, w);
            w.write_field_stop();
        }
        fn read(
            r: &mut ::tchannel_runtime::thrift::Reader,
        ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
            r.enter()?;
            let mut f_shape: ::std::option::Option<super::Shape> = ::std::option::Option::None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == ::tchannel_runtime::thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, ::tchannel_runtime::thrift::TType::Struct) => {
                        f_shape = ::std::option::Option::Some(
                            ::tchannel_runtime::thrift::ThriftValue::read(r)
                                .map_err(|e| e.in_field("area_args", "shape"))?,
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            ::std::result::Result::Ok(AreaArgs {
                shape: f_shape.unwrap_or_default(),
            })
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for AreaArgs {
        const NAME: &'static str = "area_args";
    }
    /// The result of `Calculator::area`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum AreaResult {
        /// The method returned normally.
        Success(f64),
        /// The method threw `overloaded`.
        Overloaded(super::Overloaded),
        /// The method threw `shared`.
        Shared(super::super::shared::SharedError),
    }
    impl ::tchannel_runtime::thrift::ThriftValue for AreaResult {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            match self {
                AreaResult::Success(v) => {
                    w.write_field_begin(::tchannel_runtime::thrift::TType::Double, 0);
                    ::tchannel_runtime::thrift::ThriftValue::write(v, w);
                }
                AreaResult::Overloaded(v) => {
                    w.write_field_begin(::tchannel_runtime::thrift::TType::Struct, 1);
                    ::tchannel_runtime::thrift::ThriftValue::write(v, w);
                }
                AreaResult::Shared(v) => {
                    w.write_field_begin(::tchannel_runtime::thrift::TType::Struct, 2);
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
                    (0, ::tchannel_runtime::thrift::TType::Double) => {
                        out = ::std::option::Option::Some(
                            AreaResult::Success(
                                ::tchannel_runtime::thrift::ThriftValue::read(r)
                                    .map_err(|e| e.in_field("area_result", "success"))?,
                            ),
                        );
                    }
                    (1, ::tchannel_runtime::thrift::TType::Struct) => {
                        out = ::std::option::Option::Some(
                            AreaResult::Overloaded(
                                ::tchannel_runtime::thrift::ThriftValue::read(r)
                                    .map_err(|e| e.in_field("area_result", "overloaded"))?,
                            ),
                        );
                    }
                    (2, ::tchannel_runtime::thrift::TType::Struct) => {
                        out = ::std::option::Option::Some(
                            AreaResult::Shared(
                                ::tchannel_runtime::thrift::ThriftValue::read(r)
                                    .map_err(|e| e.in_field("area_result", "shared"))?,
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
                            "area_result",
                            0,
                        ),
                    )
                }
            }
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for AreaResult {
        const NAME: &'static str = "area_result";
    }
    /// The exceptions `Calculator::area` declares.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum AreaError {
        /// `overloaded`.
        Overloaded(super::Overloaded),
        /// `shared`.
        Shared(super::super::shared::SharedError),
    }
    impl ::std::fmt::Display for AreaError {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match self {
                AreaError::Overloaded(e) => ::std::fmt::Display::fmt(e, f),
                AreaError::Shared(e) => ::std::fmt::Display::fmt(e, f),
            }
        }
    }
    impl ::std::error::Error for AreaError {
        fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
            match self {
                AreaError::Overloaded(e) => ::std::option::Option::Some(e),
                AreaError::Shared(e) => ::std::option::Option::Some(e),
            }
        }
    }
    impl ::std::convert::From<AreaError> for AreaResult {
        fn from(e: AreaError) -> Self {
            match e {
                AreaError::Overloaded(e) => AreaResult::Overloaded(e),
                AreaError::Shared(e) => AreaResult::Shared(e),
            }
        }
    }
    impl ::std::convert::From<super::Overloaded> for AreaError {
        fn from(e: super::Overloaded) -> Self {
            AreaError::Overloaded(e)
        }
    }
    impl ::std::convert::From<super::Overloaded>
    for ::tchannel_runtime::thrift::Error<AreaError> {
        fn from(e: super::Overloaded) -> Self {
            ::tchannel_runtime::thrift::Error::Exception(AreaError::Overloaded(e))
        }
    }
    impl ::std::convert::From<super::super::shared::SharedError> for AreaError {
        fn from(e: super::super::shared::SharedError) -> Self {
            AreaError::Shared(e)
        }
    }
    impl ::std::convert::From<super::super::shared::SharedError>
    for ::tchannel_runtime::thrift::Error<AreaError> {
        fn from(e: super::super::shared::SharedError) -> Self {
            ::tchannel_runtime::thrift::Error::Exception(AreaError::Shared(e))
        }
    }
    /// The arguments of `Calculator::mirror`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct MirrorArgs {
        pub tree: super::Tree,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl ::tchannel_runtime::thrift::ThriftValue for MirrorArgs {
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
            let mut f_tree: ::std::option::Option<super::Tree> = ::std::option::Option::None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == ::tchannel_runtime::thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, ::tchannel_runtime::thrift::TType::Struct) => {
                        f_tree = ::std::option::Option::Some(
                            ::tchannel_runtime::thrift::ThriftValue::read(r)
                                .map_err(|e| e.in_field("mirror_args", "tree"))?,
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            ::std::result::Result::Ok(MirrorArgs {
                tree: f_tree.unwrap_or_default(),
            })
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for MirrorArgs {
        const NAME: &'static str = "mirror_args";
    }
    /// The result of `Calculator::mirror`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum MirrorResult {
        /// The method returned normally.
        Success(super::Tree),
    }
    impl ::tchannel_runtime::thrift::ThriftValue for MirrorResult {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            match self {
                MirrorResult::Success(v) => {
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
                            MirrorResult::Success(
                                ::tchannel_runtime::thrift::ThriftValue::read(r)
                                    .map_err(|e| e.in_field("mirror_result", "success"))?,
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
                            "mirror_result",
                            0,
                        ),
                    )
                }
            }
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for MirrorResult {
        const NAME: &'static str = "mirror_result";
    }
    /// The arguments of `Calculator::log`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct LogArgs {
        pub line: ::std::string::String,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl ::tchannel_runtime::thrift::ThriftValue for LogArgs {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            w.write_field_begin(::tchannel_runtime::thrift::TType::String, 1);
            ::tchannel_runtime::thrift::ThriftValue::write(&self.line, w);
            w.write_field_stop();
        }
        fn read(
            r: &mut ::tchannel_runtime::thrift::Reader,
        ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
            r.enter()?;
            let mut f_line: ::std::option::Option<::std::string::String> = ::std::option::Option::None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == ::tchannel_runtime::thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, ::tchannel_runtime::thrift::TType::String) => {
                        f_line = ::std::option::Option::Some(
                            ::tchannel_runtime::thrift::ThriftValue::read(r)
                                .map_err(|e| e.in_field("log_args", "line"))?,
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            ::std::result::Result::Ok(LogArgs {
                line: f_line.unwrap_or_default(),
            })
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for LogArgs {
        const NAME: &'static str = "log_args";
    }
    /// The result of `Calculator::log`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum LogResult {
        /// The method returned normally.
        Success,
    }
    impl ::tchannel_runtime::thrift::ThriftValue for LogResult {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            match self {
                LogResult::Success => {}
            }
            w.write_field_stop();
        }
        fn read(
            r: &mut ::tchannel_runtime::thrift::Reader,
        ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
            r.skip(::tchannel_runtime::thrift::TType::Struct)?;
            ::std::result::Result::Ok(LogResult::Success)
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for LogResult {
        const NAME: &'static str = "log_result";
    }
    /// The arguments of `Calculator::seed`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct SeedArgs {}
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl ::tchannel_runtime::thrift::ThriftValue for SeedArgs {
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
            ::std::result::Result::Ok(SeedArgs {})
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for SeedArgs {
        const NAME: &'static str = "seed_args";
    }
    /// The result of `Calculator::seed`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum SeedResult {
        /// The method returned normally.
        Success(
            ::std::collections::BTreeMap<
                ::std::string::String,
                super::super::shared::SharedStruct,
            >,
        ),
    }
    impl ::tchannel_runtime::thrift::ThriftValue for SeedResult {
        const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
        fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
            match self {
                SeedResult::Success(v) => {
                    w.write_field_begin(::tchannel_runtime::thrift::TType::Map, 0);
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
                    (0, ::tchannel_runtime::thrift::TType::Map) => {
                        out = ::std::option::Option::Some(
                            SeedResult::Success(
                                ::tchannel_runtime::thrift::ThriftValue::read(r)
                                    .map_err(|e| e.in_field("seed_result", "success"))?,
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
                            "seed_result",
                            0,
                        ),
                    )
                }
            }
        }
    }
    impl ::tchannel_runtime::thrift::ThriftStruct for SeedResult {
        const NAME: &'static str = "seed_result";
    }
}
/// A calculator that extends the shared service from another file.
///
/// The `Calculator` service: implement it and serve it with [`CalculatorServer`].
pub trait Calculator: super::shared::SharedService {
    /// Called as `Calculator::add`.
    #[allow(clippy::too_many_arguments)]
    fn add(
        &self,
        ctx: &::tchannel_runtime::thrift::RequestContext,
        a: i64,
        b: i64,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            i64,
            ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
        >,
    > + ::std::marker::Send;
    /// Called as `Calculator::area`.
    #[allow(clippy::too_many_arguments)]
    fn area(
        &self,
        ctx: &::tchannel_runtime::thrift::RequestContext,
        shape: Shape,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            f64,
            ::tchannel_runtime::thrift::Error<calculator::AreaError>,
        >,
    > + ::std::marker::Send;
    /// Called as `Calculator::mirror`.
    #[allow(clippy::too_many_arguments)]
    fn mirror(
        &self,
        ctx: &::tchannel_runtime::thrift::RequestContext,
        tree: Tree,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            Tree,
            ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
        >,
    > + ::std::marker::Send;
    ///
    /// `oneway` in the IDL: TChannel has no one-way calls, so this is served as an
    /// ordinary call whose reply is empty.
    /// Called as `Calculator::log`.
    #[allow(clippy::too_many_arguments)]
    fn log(
        &self,
        ctx: &::tchannel_runtime::thrift::RequestContext,
        line: ::std::string::String,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            (),
            ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
        >,
    > + ::std::marker::Send;
    /// Called as `Calculator::seed`.
    #[allow(clippy::too_many_arguments)]
    fn seed(
        &self,
        ctx: &::tchannel_runtime::thrift::RequestContext,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            ::std::collections::BTreeMap<
                ::std::string::String,
                super::shared::SharedStruct,
            >,
            ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
        >,
    > + ::std::marker::Send;
}
/// Serves a [`Calculator`] implementation: decodes each call's arguments, calls the method and encodes its result. Answers `Calculator::getStruct`, `Calculator::health`, `Calculator::add`, `Calculator::area`, `Calculator::mirror`, `Calculator::log`, `Calculator::seed`.
#[derive(Debug)]
pub struct CalculatorServer<T> {
    inner: ::std::sync::Arc<T>,
}
impl<T> ::std::clone::Clone for CalculatorServer<T> {
    fn clone(&self) -> Self {
        CalculatorServer {
            inner: ::std::sync::Arc::clone(&self.inner),
        }
    }
}
impl<T: Calculator> CalculatorServer<T> {
    /// Serves `inner`.
    pub fn new(inner: T) -> Self {
        CalculatorServer {
            inner: ::std::sync::Arc::new(inner),
        }
    }
    /// Serves a shared `inner`.
    pub fn from_arc(inner: ::std::sync::Arc<T>) -> Self {
        CalculatorServer { inner }
    }
    /// The implementation being served.
    pub fn get_ref(&self) -> &T {
        &self.inner
    }
}
impl<T: Calculator> ::tchannel_runtime::thrift::Service for CalculatorServer<T> {
    fn name(&self) -> &'static str {
        "Calculator"
    }
    fn methods(&self) -> &'static [&'static str] {
        &[
            "Calculator::getStruct",
            "Calculator::health",
            "Calculator::add",
            "Calculator::area",
            "Calculator::mirror",
            "Calculator::log",
            "Calculator::seed",
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
            "Calculator::getStruct" => {
                ::std::boxed::Box::pin(async move {
                    let args = match <super::shared::shared_service::GetStructArgs as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
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
                    let out = match <T as super::shared::SharedService>::get_struct(
                            &inner,
                            &ctx,
                            key,
                        )
                        .await
                    {
                        ::std::result::Result::Ok(v) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: true,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &super::shared::shared_service::GetStructResult::Success(v),
                                ),
                            })
                        }
                        ::std::result::Result::Err(
                            ::tchannel_runtime::thrift::Error::Exception(e),
                        ) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: false,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &super::shared::shared_service::GetStructResult::from(e),
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
            "Calculator::health" => {
                ::std::boxed::Box::pin(async move {
                    let _ = match <super::shared::shared_service::HealthArgs as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
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
                    let out = match <T as super::shared::SharedService>::health(
                            &inner,
                            &ctx,
                        )
                        .await
                    {
                        ::std::result::Result::Ok(v) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: true,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &super::shared::shared_service::HealthResult::Success(v),
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
            "Calculator::add" => {
                ::std::boxed::Box::pin(async move {
                    let args = match <calculator::AddArgs as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
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
                    let a = args.a;
                    let b = args.b;
                    let out = match <T as Calculator>::add(&inner, &ctx, a, b).await {
                        ::std::result::Result::Ok(v) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: true,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &calculator::AddResult::Success(v),
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
            "Calculator::area" => {
                ::std::boxed::Box::pin(async move {
                    let args = match <calculator::AreaArgs as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
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
                    let shape = args.shape;
                    let out = match <T as Calculator>::area(&inner, &ctx, shape).await {
                        ::std::result::Result::Ok(v) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: true,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &calculator::AreaResult::Success(v),
                                ),
                            })
                        }
                        ::std::result::Result::Err(
                            ::tchannel_runtime::thrift::Error::Exception(e),
                        ) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: false,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &calculator::AreaResult::from(e),
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
            "Calculator::mirror" => {
                ::std::boxed::Box::pin(async move {
                    let args = match <calculator::MirrorArgs as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
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
                    let out = match <T as Calculator>::mirror(&inner, &ctx, tree).await {
                        ::std::result::Result::Ok(v) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: true,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &calculator::MirrorResult::Success(v),
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
            "Calculator::log" => {
                ::std::boxed::Box::pin(async move {
                    let args = match <calculator::LogArgs as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
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
                    let line = args.line;
                    let out = match <T as Calculator>::log(&inner, &ctx, line).await {
                        ::std::result::Result::Ok(v) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: true,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &{
                                        let () = v;
                                        calculator::LogResult::Success
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
            "Calculator::seed" => {
                ::std::boxed::Box::pin(async move {
                    let _ = match <calculator::SeedArgs as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
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
                    let out = match <T as Calculator>::seed(&inner, &ctx).await {
                        ::std::result::Result::Ok(v) => {
                            ::std::result::Result::Ok(::tchannel_runtime::thrift::Response {
                                ok: true,
                                body: ::tchannel_runtime::thrift::ThriftStruct::to_bytes(
                                    &calculator::SeedResult::Success(v),
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
/// A client of the `Calculator` service, sending calls through a [`Transport`](::tchannel_runtime::thrift::Transport).
#[derive(Debug, Clone)]
pub struct CalculatorClient<T> {
    transport: T,
}
impl<T: ::tchannel_runtime::thrift::Transport> CalculatorClient<T> {
    /// A client that sends its calls through `transport`.
    pub fn new(transport: T) -> Self {
        CalculatorClient { transport }
    }
    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }
    /// Gets a shared struct by key.
    ///
    /// Sends `Calculator::getStruct`.
    #[allow(clippy::too_many_arguments)]
    pub async fn get_struct(
        &self,
        key: i32,
    ) -> ::std::result::Result<
        super::shared::SharedStruct,
        ::tchannel_runtime::thrift::Error<super::shared::shared_service::GetStructError>,
    > {
        let args = super::shared::shared_service::GetStructArgs {
            key,
        };
        let response = self
            .transport
            .call(
                "Calculator::getStruct",
                ::tchannel_runtime::thrift::ThriftStruct::to_bytes(&args),
            )
            .await
            .map_err(::tchannel_runtime::thrift::Error::Failure)?;
        let result = <super::shared::shared_service::GetStructResult as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
                response.body,
            )
            .map_err(|e| ::tchannel_runtime::thrift::Error::Failure(
                ::std::boxed::Box::new(e),
            ))?;
        match result {
            super::shared::shared_service::GetStructResult::Success(v) => {
                ::std::result::Result::Ok(v)
            }
            super::shared::shared_service::GetStructResult::Err(e) => {
                ::std::result::Result::Err(
                    ::tchannel_runtime::thrift::Error::Exception(
                        super::shared::shared_service::GetStructError::Err(e),
                    ),
                )
            }
        }
    }
    /// Sends `Calculator::health`.
    #[allow(clippy::too_many_arguments)]
    pub async fn health(
        &self,
    ) -> ::std::result::Result<
        super::shared::Status,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        let args = super::shared::shared_service::HealthArgs {
        };
        let response = self
            .transport
            .call(
                "Calculator::health",
                ::tchannel_runtime::thrift::ThriftStruct::to_bytes(&args),
            )
            .await
            .map_err(::tchannel_runtime::thrift::Error::Failure)?;
        let result = <super::shared::shared_service::HealthResult as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
                response.body,
            )
            .map_err(|e| ::tchannel_runtime::thrift::Error::Failure(
                ::std::boxed::Box::new(e),
            ))?;
        match result {
            super::shared::shared_service::HealthResult::Success(v) => {
                ::std::result::Result::Ok(v)
            }
        }
    }
    /// Sends `Calculator::add`.
    #[allow(clippy::too_many_arguments)]
    pub async fn add(
        &self,
        a: i64,
        b: i64,
    ) -> ::std::result::Result<
        i64,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        let args = calculator::AddArgs { a, b };
        let response = self
            .transport
            .call(
                "Calculator::add",
                ::tchannel_runtime::thrift::ThriftStruct::to_bytes(&args),
            )
            .await
            .map_err(::tchannel_runtime::thrift::Error::Failure)?;
        let result = <calculator::AddResult as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
                response.body,
            )
            .map_err(|e| ::tchannel_runtime::thrift::Error::Failure(
                ::std::boxed::Box::new(e),
            ))?;
        match result {
            calculator::AddResult::Success(v) => ::std::result::Result::Ok(v),
        }
    }
    /// Sends `Calculator::area`.
    #[allow(clippy::too_many_arguments)]
    pub async fn area(
        &self,
        shape: Shape,
    ) -> ::std::result::Result<
        f64,
        ::tchannel_runtime::thrift::Error<calculator::AreaError>,
    > {
        let args = calculator::AreaArgs { shape };
        let response = self
            .transport
            .call(
                "Calculator::area",
                ::tchannel_runtime::thrift::ThriftStruct::to_bytes(&args),
            )
            .await
            .map_err(::tchannel_runtime::thrift::Error::Failure)?;
        let result = <calculator::AreaResult as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
                response.body,
            )
            .map_err(|e| ::tchannel_runtime::thrift::Error::Failure(
                ::std::boxed::Box::new(e),
            ))?;
        match result {
            calculator::AreaResult::Success(v) => ::std::result::Result::Ok(v),
            calculator::AreaResult::Overloaded(e) => {
                ::std::result::Result::Err(
                    ::tchannel_runtime::thrift::Error::Exception(
                        calculator::AreaError::Overloaded(e),
                    ),
                )
            }
            calculator::AreaResult::Shared(e) => {
                ::std::result::Result::Err(
                    ::tchannel_runtime::thrift::Error::Exception(
                        calculator::AreaError::Shared(e),
                    ),
                )
            }
        }
    }
    /// Sends `Calculator::mirror`.
    #[allow(clippy::too_many_arguments)]
    pub async fn mirror(
        &self,
        tree: Tree,
    ) -> ::std::result::Result<
        Tree,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        let args = calculator::MirrorArgs { tree };
        let response = self
            .transport
            .call(
                "Calculator::mirror",
                ::tchannel_runtime::thrift::ThriftStruct::to_bytes(&args),
            )
            .await
            .map_err(::tchannel_runtime::thrift::Error::Failure)?;
        let result = <calculator::MirrorResult as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
                response.body,
            )
            .map_err(|e| ::tchannel_runtime::thrift::Error::Failure(
                ::std::boxed::Box::new(e),
            ))?;
        match result {
            calculator::MirrorResult::Success(v) => ::std::result::Result::Ok(v),
        }
    }
    ///
    /// `oneway` in the IDL: TChannel has no one-way calls, so this waits for the
    /// server's empty reply.
    /// Sends `Calculator::log`.
    #[allow(clippy::too_many_arguments)]
    pub async fn log(
        &self,
        line: ::std::string::String,
    ) -> ::std::result::Result<
        (),
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        let args = calculator::LogArgs { line };
        let response = self
            .transport
            .call(
                "Calculator::log",
                ::tchannel_runtime::thrift::ThriftStruct::to_bytes(&args),
            )
            .await
            .map_err(::tchannel_runtime::thrift::Error::Failure)?;
        let result = <calculator::LogResult as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
                response.body,
            )
            .map_err(|e| ::tchannel_runtime::thrift::Error::Failure(
                ::std::boxed::Box::new(e),
            ))?;
        match result {
            calculator::LogResult::Success => ::std::result::Result::Ok(()),
        }
    }
    /// Sends `Calculator::seed`.
    #[allow(clippy::too_many_arguments)]
    pub async fn seed(
        &self,
    ) -> ::std::result::Result<
        ::std::collections::BTreeMap<::std::string::String, super::shared::SharedStruct>,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        let args = calculator::SeedArgs {};
        let response = self
            .transport
            .call(
                "Calculator::seed",
                ::tchannel_runtime::thrift::ThriftStruct::to_bytes(&args),
            )
            .await
            .map_err(::tchannel_runtime::thrift::Error::Failure)?;
        let result = <calculator::SeedResult as ::tchannel_runtime::thrift::ThriftStruct>::from_bytes(
                response.body,
            )
            .map_err(|e| ::tchannel_runtime::thrift::Error::Failure(
                ::std::boxed::Box::new(e),
            ))?;
        match result {
            calculator::SeedResult::Success(v) => ::std::result::Result::Ok(v),
        }
    }
}
/// A blocking client of the `Calculator` service: the methods of [`CalculatorClient`], each waiting for its result, for code without an async runtime. Calls run on the `BlockingRuntime`'s own thread; to have several in flight at once, `spawn` calls of [`CalculatorClient`] on the runtime and `wait` for them.
#[derive(Debug, Clone)]
pub struct CalculatorBlockingClient<T> {
    client: CalculatorClient<T>,
    runtime: ::tchannel_runtime::thrift::BlockingRuntime,
}
impl<T: ::tchannel_runtime::thrift::Transport> CalculatorBlockingClient<T> {
    /// A blocking client sending through `transport` on `runtime`.
    pub fn new(
        transport: T,
        runtime: &::tchannel_runtime::thrift::BlockingRuntime,
    ) -> Self {
        CalculatorBlockingClient {
            client: CalculatorClient::new(transport),
            runtime: runtime.clone(),
        }
    }
    /// The async client underneath (to `spawn` several calls at once).
    pub fn client(&self) -> &CalculatorClient<T> {
        &self.client
    }
    /// The runtime the calls run on (its `spawn` starts several at once).
    pub fn runtime(&self) -> &::tchannel_runtime::thrift::BlockingRuntime {
        &self.runtime
    }
    /// [`CalculatorClient::get_struct`], waiting for its result.
    #[allow(clippy::too_many_arguments)]
    pub fn get_struct(
        &self,
        key: i32,
    ) -> ::std::result::Result<
        super::shared::SharedStruct,
        ::tchannel_runtime::thrift::Error<super::shared::shared_service::GetStructError>,
    > {
        self.runtime.block_on(self.client.get_struct(key))
    }
    /// [`CalculatorClient::health`], waiting for its result.
    #[allow(clippy::too_many_arguments)]
    pub fn health(
        &self,
    ) -> ::std::result::Result<
        super::shared::Status,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        self.runtime.block_on(self.client.health())
    }
    /// [`CalculatorClient::add`], waiting for its result.
    #[allow(clippy::too_many_arguments)]
    pub fn add(
        &self,
        a: i64,
        b: i64,
    ) -> ::std::result::Result<
        i64,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        self.runtime.block_on(self.client.add(a, b))
    }
    /// [`CalculatorClient::area`], waiting for its result.
    #[allow(clippy::too_many_arguments)]
    pub fn area(
        &self,
        shape: Shape,
    ) -> ::std::result::Result<
        f64,
        ::tchannel_runtime::thrift::Error<calculator::AreaError>,
    > {
        self.runtime.block_on(self.client.area(shape))
    }
    /// [`CalculatorClient::mirror`], waiting for its result.
    #[allow(clippy::too_many_arguments)]
    pub fn mirror(
        &self,
        tree: Tree,
    ) -> ::std::result::Result<
        Tree,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        self.runtime.block_on(self.client.mirror(tree))
    }
    /// [`CalculatorClient::log`], waiting for its result.
    #[allow(clippy::too_many_arguments)]
    pub fn log(
        &self,
        line: ::std::string::String,
    ) -> ::std::result::Result<
        (),
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        self.runtime.block_on(self.client.log(line))
    }
    /// [`CalculatorClient::seed`], waiting for its result.
    #[allow(clippy::too_many_arguments)]
    pub fn seed(
        &self,
    ) -> ::std::result::Result<
        ::std::collections::BTreeMap<::std::string::String, super::shared::SharedStruct>,
        ::tchannel_runtime::thrift::Error<::tchannel_runtime::thrift::NoException>,
    > {
        self.runtime.block_on(self.client.seed())
    }
}
