#[allow(unused_imports)]
use ::tchannel_runtime::thrift as _thrift;
/// `const DEFAULT_STATUS` in the IDL.
#[allow(clippy::approx_constant)]
pub const DEFAULT_STATUS: super::shared::Status = super::shared::Status::Degraded;
/// `const SEED` in the IDL.
#[allow(clippy::approx_constant)]
pub static SEED: ::std::sync::LazyLock<
    ::std::collections::BTreeMap<String, super::shared::SharedStruct>,
> = ::std::sync::LazyLock::new(|| {
    [
        (
            String::from("one"),
            super::shared::SharedStruct {
                key: 1i32,
                value: String::from("uno"),
                ..Default::default()
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
    /// `value`: field 1, default requiredness.
    pub value: i32,
    /// `left`: field 2, optional.
    pub left: Option<Box<Tree>>,
    /// `right`: field 3, optional.
    pub right: Option<Box<Tree>>,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl _thrift::ThriftValue for Tree {
    const TTYPE: _thrift::TType = _thrift::TType::Struct;
    fn write(&self, w: &mut _thrift::Writer) {
        w.write_field(1, &self.value);
        if let Some(v) = &self.left {
            w.write_field(2, v);
        }
        if let Some(v) = &self.right {
            w.write_field(3, v);
        }
        w.write_field_stop();
    }
    fn encoded_len(&self) -> usize {
        #[allow(unused_mut)]
        let mut n = 1;
        n += 3 + _thrift::ThriftValue::encoded_len(&self.value);
        if let Some(v) = &self.left {
            n += 3 + _thrift::ThriftValue::encoded_len(v);
        }
        if let Some(v) = &self.right {
            n += 3 + _thrift::ThriftValue::encoded_len(v);
        }
        n
    }
    fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
        r.enter()?;
        let mut f_value: Option<i32> = None;
        let mut f_left: Option<Box<Tree>> = None;
        let mut f_right: Option<Box<Tree>> = None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == _thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, _thrift::TType::I32) => {
                    f_value = Some(r.read_field("Tree", "value")?);
                }
                (2, _thrift::TType::Struct) => {
                    f_left = Some(r.read_field("Tree", "left")?);
                }
                (3, _thrift::TType::Struct) => {
                    f_right = Some(r.read_field("Tree", "right")?);
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        Ok(Tree {
            value: f_value.unwrap_or_default(),
            left: f_left,
            right: f_right,
        })
    }
}
impl _thrift::ThriftStruct for Tree {
    const NAME: &'static str = "Tree";
}
/// `union Shape` in the IDL.
///
/// Not `Eq`, `Hash` or `Ord`, only `PartialEq`: field `circle_radius` holds a `double` (`f64`). Adding such a field to a type removes these derives.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Shape {
    /// `circle_radius`: field 1, optional.
    CircleRadius(f64),
    /// `polygon`: field 2, optional.
    Polygon(Vec<f64>),
    /// `tree`: field 3, optional.
    Tree(Tree),
}
impl Default for Shape {
    fn default() -> Self {
        Shape::CircleRadius(Default::default())
    }
}
impl _thrift::ThriftValue for Shape {
    const TTYPE: _thrift::TType = _thrift::TType::Struct;
    fn write(&self, w: &mut _thrift::Writer) {
        match self {
            Shape::CircleRadius(v) => {
                w.write_field(1, v);
            }
            Shape::Polygon(v) => {
                w.write_field(2, v);
            }
            Shape::Tree(v) => {
                w.write_field(3, v);
            }
        }
        #[allow(unreachable_code)] w.write_field_stop();
    }
    fn encoded_len(&self) -> usize {
        1
            + match self {
                Shape::CircleRadius(v) => 3 + _thrift::ThriftValue::encoded_len(v),
                Shape::Polygon(v) => 3 + _thrift::ThriftValue::encoded_len(v),
                Shape::Tree(v) => 3 + _thrift::ThriftValue::encoded_len(v),
            }
    }
    fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
        r.enter()?;
        let mut out = None;
        let mut count = 0usize;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == _thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, _thrift::TType::Double) => {
                    out = Some(
                        Shape::CircleRadius(r.read_field("Shape", "circle_radius")?),
                    );
                    count += 1;
                }
                (2, _thrift::TType::List) => {
                    out = Some(Shape::Polygon(r.read_field("Shape", "polygon")?));
                    count += 1;
                }
                (3, _thrift::TType::Struct) => {
                    out = Some(Shape::Tree(r.read_field("Shape", "tree")?));
                    count += 1;
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        match out {
            Some(v) if count == 1 => Ok(v),
            _ => Err(_thrift::DecodeError::invalid_union("Shape", count)),
        }
    }
}
impl _thrift::ThriftStruct for Shape {
    const NAME: &'static str = "Shape";
}
/// `exception Overloaded` in the IDL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct Overloaded {
    /// `retry_after_ms`: field 1, default requiredness.
    pub retry_after_ms: i32,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl _thrift::ThriftValue for Overloaded {
    const TTYPE: _thrift::TType = _thrift::TType::Struct;
    fn write(&self, w: &mut _thrift::Writer) {
        w.write_field(1, &self.retry_after_ms);
        w.write_field_stop();
    }
    fn encoded_len(&self) -> usize {
        #[allow(unused_mut)]
        let mut n = 1;
        n += 3 + _thrift::ThriftValue::encoded_len(&self.retry_after_ms);
        n
    }
    fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
        r.enter()?;
        let mut f_retry_after_ms: Option<i32> = None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == _thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, _thrift::TType::I32) => {
                    f_retry_after_ms = Some(
                        r.read_field("Overloaded", "retry_after_ms")?,
                    );
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        Ok(Overloaded {
            retry_after_ms: f_retry_after_ms.unwrap_or_default(),
        })
    }
}
impl _thrift::ThriftStruct for Overloaded {
    const NAME: &'static str = "Overloaded";
}
impl ::std::fmt::Display for Overloaded {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str("Overloaded")?;
        write!(f, " {{ retry_after_ms: {:?}", self.retry_after_ms)?;
        f.write_str(" }")
    }
}
impl ::std::error::Error for Overloaded {}
/// Argument, result and exception types of the `Calculator` service's methods.
#[allow(clippy::module_inception)]
pub mod calculator {
    #[allow(unused_imports)]
    use ::tchannel_runtime::thrift as _thrift;
    /// The arguments of `Calculator::add`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct AddArgs {
        /// `a`: field 1, default requiredness.
        pub a: i64,
        /// `b`: field 2, default requiredness.
        pub b: i64,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl _thrift::ThriftValue for AddArgs {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            w.write_field(1, &self.a);
            w.write_field(2, &self.b);
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            #[allow(unused_mut)]
            let mut n = 1;
            n += 3 + _thrift::ThriftValue::encoded_len(&self.a);
            n += 3 + _thrift::ThriftValue::encoded_len(&self.b);
            n
        }
        fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
            r.enter()?;
            let mut f_a: Option<i64> = None;
            let mut f_b: Option<i64> = None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == _thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, _thrift::TType::I64) => {
                        f_a = Some(r.read_field("add_args", "a")?);
                    }
                    (2, _thrift::TType::I64) => {
                        f_b = Some(r.read_field("add_args", "b")?);
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            Ok(AddArgs {
                a: f_a.unwrap_or_default(),
                b: f_b.unwrap_or_default(),
            })
        }
    }
    impl _thrift::ThriftStruct for AddArgs {
        const NAME: &'static str = "add_args";
    }
    /// The result of `Calculator::add`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum AddResult {
        /// The method returned normally.
        Success(i64),
    }
    impl _thrift::ThriftValue for AddResult {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            match self {
                AddResult::Success(v) => {
                    w.write_field(0, v);
                }
            }
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            1
                + match self {
                    AddResult::Success(v) => 3 + _thrift::ThriftValue::encoded_len(v),
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
                    (0, _thrift::TType::I64) => {
                        out = Some(
                            AddResult::Success(r.read_field("add_result", "success")?),
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            match out {
                Some(v) => Ok(v),
                None => Err(_thrift::DecodeError::invalid_union("add_result", 0)),
            }
        }
    }
    impl _thrift::ThriftStruct for AddResult {
        const NAME: &'static str = "add_result";
    }
    /// The arguments of `Calculator::area`.
    ///
    /// Not `Eq`, `Hash` or `Ord`, only `PartialEq`: field `shape` holds a `double` (`f64`). Adding such a field to a type removes these derives.
    #[derive(Debug, Clone, Default, PartialEq)]
    #[allow(clippy::type_complexity)]
    pub struct AreaArgs {
        /// `shape`: field 1, default requiredness.
        pub shape: super::Shape,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl _thrift::ThriftValue for AreaArgs {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            w.write_field(1, &self.shape);
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            #[allow(unused_mut)]
            let mut n = 1;
            n += 3 + _thrift::ThriftValue::encoded_len(&self.shape);
            n
        }
        fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
            r.enter()?;
            let mut f_shape: Option<super::Shape> = None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == _thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, _thrift::TType::Struct) => {
                        f_shape = Some(r.read_field("area_args", "shape")?);
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            Ok(AreaArgs {
                shape: f_shape.unwrap_or_default(),
            })
        }
    }
    impl _thrift::ThriftStruct for AreaArgs {
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
    impl _thrift::ThriftValue for AreaResult {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            match self {
                AreaResult::Success(v) => {
                    w.write_field(0, v);
                }
                AreaResult::Overloaded(v) => {
                    w.write_field(1, v);
                }
                AreaResult::Shared(v) => {
                    w.write_field(2, v);
                }
            }
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            1
                + match self {
                    AreaResult::Success(v) => 3 + _thrift::ThriftValue::encoded_len(v),
                    AreaResult::Overloaded(v) => 3 + _thrift::ThriftValue::encoded_len(v),
                    AreaResult::Shared(v) => 3 + _thrift::ThriftValue::encoded_len(v),
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
                    (0, _thrift::TType::Double) => {
                        out = Some(
                            AreaResult::Success(r.read_field("area_result", "success")?),
                        );
                    }
                    (1, _thrift::TType::Struct) => {
                        out = Some(
                            AreaResult::Overloaded(
                                r.read_field("area_result", "overloaded")?,
                            ),
                        );
                    }
                    (2, _thrift::TType::Struct) => {
                        out = Some(
                            AreaResult::Shared(r.read_field("area_result", "shared")?),
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            match out {
                Some(v) => Ok(v),
                None => Err(_thrift::DecodeError::invalid_union("area_result", 0)),
            }
        }
    }
    impl _thrift::ThriftStruct for AreaResult {
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
        fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
            match self {
                AreaError::Overloaded(e) => Some(e),
                AreaError::Shared(e) => Some(e),
            }
        }
    }
    impl From<AreaError> for AreaResult {
        fn from(e: AreaError) -> Self {
            match e {
                AreaError::Overloaded(e) => AreaResult::Overloaded(e),
                AreaError::Shared(e) => AreaResult::Shared(e),
            }
        }
    }
    impl From<super::Overloaded> for AreaError {
        fn from(e: super::Overloaded) -> Self {
            AreaError::Overloaded(e)
        }
    }
    impl From<super::Overloaded> for _thrift::Error<AreaError> {
        fn from(e: super::Overloaded) -> Self {
            _thrift::Error::Exception(AreaError::Overloaded(e))
        }
    }
    impl From<super::super::shared::SharedError> for AreaError {
        fn from(e: super::super::shared::SharedError) -> Self {
            AreaError::Shared(e)
        }
    }
    impl From<super::super::shared::SharedError> for _thrift::Error<AreaError> {
        fn from(e: super::super::shared::SharedError) -> Self {
            _thrift::Error::Exception(AreaError::Shared(e))
        }
    }
    /// The arguments of `Calculator::mirror`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct MirrorArgs {
        /// `tree`: field 1, default requiredness.
        pub tree: super::Tree,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl _thrift::ThriftValue for MirrorArgs {
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
            let mut f_tree: Option<super::Tree> = None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == _thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, _thrift::TType::Struct) => {
                        f_tree = Some(r.read_field("mirror_args", "tree")?);
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            Ok(MirrorArgs {
                tree: f_tree.unwrap_or_default(),
            })
        }
    }
    impl _thrift::ThriftStruct for MirrorArgs {
        const NAME: &'static str = "mirror_args";
    }
    /// The result of `Calculator::mirror`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum MirrorResult {
        /// The method returned normally.
        Success(super::Tree),
    }
    impl _thrift::ThriftValue for MirrorResult {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            match self {
                MirrorResult::Success(v) => {
                    w.write_field(0, v);
                }
            }
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            1
                + match self {
                    MirrorResult::Success(v) => 3 + _thrift::ThriftValue::encoded_len(v),
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
                            MirrorResult::Success(
                                r.read_field("mirror_result", "success")?,
                            ),
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            match out {
                Some(v) => Ok(v),
                None => Err(_thrift::DecodeError::invalid_union("mirror_result", 0)),
            }
        }
    }
    impl _thrift::ThriftStruct for MirrorResult {
        const NAME: &'static str = "mirror_result";
    }
    /// The arguments of `Calculator::log`.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[allow(clippy::type_complexity)]
    pub struct LogArgs {
        /// `line`: field 1, default requiredness.
        pub line: String,
    }
    #[allow(
        clippy::type_complexity,
        clippy::approx_constant,
        clippy::unnecessary_lazy_evaluations
    )]
    impl _thrift::ThriftValue for LogArgs {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            w.write_field(1, &self.line);
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            #[allow(unused_mut)]
            let mut n = 1;
            n += 3 + _thrift::ThriftValue::encoded_len(&self.line);
            n
        }
        fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
            r.enter()?;
            let mut f_line: Option<String> = None;
            loop {
                let (ty, id) = r.read_field_begin()?;
                if ty == _thrift::TType::Stop {
                    break;
                }
                match (id, ty) {
                    (1, _thrift::TType::String) => {
                        f_line = Some(r.read_field("log_args", "line")?);
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            Ok(LogArgs {
                line: f_line.unwrap_or_default(),
            })
        }
    }
    impl _thrift::ThriftStruct for LogArgs {
        const NAME: &'static str = "log_args";
    }
    /// The result of `Calculator::log`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum LogResult {
        /// The method returned normally.
        Success,
    }
    impl _thrift::ThriftValue for LogResult {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            match self {
                LogResult::Success => {}
            }
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            1
                + match self {
                    LogResult::Success => 0,
                }
        }
        fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
            r.skip(_thrift::TType::Struct)?;
            Ok(LogResult::Success)
        }
    }
    impl _thrift::ThriftStruct for LogResult {
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
    impl _thrift::ThriftValue for SeedArgs {
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
            Ok(SeedArgs {})
        }
    }
    impl _thrift::ThriftStruct for SeedArgs {
        const NAME: &'static str = "seed_args";
    }
    /// The result of `Calculator::seed`: the return value (field 0) or one declared exception.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum SeedResult {
        /// The method returned normally.
        Success(
            ::std::collections::BTreeMap<String, super::super::shared::SharedStruct>,
        ),
    }
    impl _thrift::ThriftValue for SeedResult {
        const TTYPE: _thrift::TType = _thrift::TType::Struct;
        fn write(&self, w: &mut _thrift::Writer) {
            match self {
                SeedResult::Success(v) => {
                    w.write_field(0, v);
                }
            }
            w.write_field_stop();
        }
        fn encoded_len(&self) -> usize {
            1
                + match self {
                    SeedResult::Success(v) => 3 + _thrift::ThriftValue::encoded_len(v),
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
                    (0, _thrift::TType::Map) => {
                        out = Some(
                            SeedResult::Success(r.read_field("seed_result", "success")?),
                        );
                    }
                    _ => r.skip(ty)?,
                }
            }
            r.leave();
            match out {
                Some(v) => Ok(v),
                None => Err(_thrift::DecodeError::invalid_union("seed_result", 0)),
            }
        }
    }
    impl _thrift::ThriftStruct for SeedResult {
        const NAME: &'static str = "seed_result";
    }
}
/// A calculator that extends the shared service from another file.
///
/// The `Calculator` service: implement it and serve it with [`CalculatorServer`].
pub trait Calculator: super::shared::SharedService {
    /// Called as `Calculator::add`.
    #[allow(clippy::too_many_arguments, clippy::wrong_self_convention)]
    fn add(
        &self,
        ctx: &_thrift::RequestContext,
        a: i64,
        b: i64,
    ) -> impl ::std::future::Future<
        Output = Result<i64, _thrift::Error<_thrift::NoException>>,
    > + Send;
    /// Called as `Calculator::area`.
    #[allow(clippy::too_many_arguments, clippy::wrong_self_convention)]
    fn area(
        &self,
        ctx: &_thrift::RequestContext,
        shape: Shape,
    ) -> impl ::std::future::Future<
        Output = Result<f64, _thrift::Error<calculator::AreaError>>,
    > + Send;
    /// Called as `Calculator::mirror`.
    #[allow(clippy::too_many_arguments, clippy::wrong_self_convention)]
    fn mirror(
        &self,
        ctx: &_thrift::RequestContext,
        tree: Tree,
    ) -> impl ::std::future::Future<
        Output = Result<Tree, _thrift::Error<_thrift::NoException>>,
    > + Send;
    ///
    /// `oneway` in the IDL: TChannel has no one-way calls, so this is served as an
    /// ordinary call whose reply is empty.
    /// Called as `Calculator::log`.
    #[allow(clippy::too_many_arguments, clippy::wrong_self_convention)]
    fn log(
        &self,
        ctx: &_thrift::RequestContext,
        line: String,
    ) -> impl ::std::future::Future<
        Output = Result<(), _thrift::Error<_thrift::NoException>>,
    > + Send;
    /// Called as `Calculator::seed`.
    #[allow(clippy::too_many_arguments, clippy::wrong_self_convention)]
    fn seed(
        &self,
        ctx: &_thrift::RequestContext,
    ) -> impl ::std::future::Future<
        Output = Result<
            ::std::collections::BTreeMap<String, super::shared::SharedStruct>,
            _thrift::Error<_thrift::NoException>,
        >,
    > + Send;
}
/// Serves a [`Calculator`] implementation: decodes each call's arguments, calls the method and encodes its result. Answers `Calculator::getStruct`, `Calculator::health`, `Calculator::add`, `Calculator::area`, `Calculator::mirror`, `Calculator::log`, `Calculator::seed`.
#[derive(Debug)]
pub struct CalculatorServer<T> {
    inner: ::std::sync::Arc<T>,
}
impl<T> Clone for CalculatorServer<T> {
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
impl<T: Calculator> _thrift::Service for CalculatorServer<T> {
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
            "Calculator::getStruct" => {
                let args = match <super::shared::shared_service::GetStructArgs as _thrift::ThriftStruct>::from_bytes(
                    args,
                ) {
                    Ok(a) => a,
                    Err(e) => {
                        return (ctx, Err(_thrift::DispatchError::BadRequest(e)));
                    }
                };
                let key = args.key;
                let out = match <T as super::shared::SharedService>::get_struct(
                        &self.inner,
                        &ctx,
                        key,
                    )
                    .await
                {
                    Ok(v) => {
                        Ok(_thrift::Response {
                            ok: true,
                            body: _thrift::ThriftStruct::to_bytes(
                                &super::shared::shared_service::GetStructResult::Success(v),
                            ),
                        })
                    }
                    Err(e) => {
                        match e.into_exception_or_failure() {
                            Ok(e) => {
                                Ok(_thrift::Response {
                                    ok: false,
                                    body: _thrift::ThriftStruct::to_bytes(
                                        &super::shared::shared_service::GetStructResult::from(e),
                                    ),
                                })
                            }
                            Err(e) => Err(_thrift::DispatchError::Unexpected(e)),
                        }
                    }
                };
                (ctx, out)
            }
            "Calculator::health" => {
                let _ = match <super::shared::shared_service::HealthArgs as _thrift::ThriftStruct>::from_bytes(
                    args,
                ) {
                    Ok(a) => a,
                    Err(e) => {
                        return (ctx, Err(_thrift::DispatchError::BadRequest(e)));
                    }
                };
                let out = match <T as super::shared::SharedService>::health(
                        &self.inner,
                        &ctx,
                    )
                    .await
                {
                    Ok(v) => {
                        Ok(_thrift::Response {
                            ok: true,
                            body: _thrift::ThriftStruct::to_bytes(
                                &super::shared::shared_service::HealthResult::Success(v),
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
            "Calculator::add" => {
                let args = match <calculator::AddArgs as _thrift::ThriftStruct>::from_bytes(
                    args,
                ) {
                    Ok(a) => a,
                    Err(e) => {
                        return (ctx, Err(_thrift::DispatchError::BadRequest(e)));
                    }
                };
                let a = args.a;
                let b = args.b;
                let out = match <T as Calculator>::add(&self.inner, &ctx, a, b).await {
                    Ok(v) => {
                        Ok(_thrift::Response {
                            ok: true,
                            body: _thrift::ThriftStruct::to_bytes(
                                &calculator::AddResult::Success(v),
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
            "Calculator::area" => {
                let args = match <calculator::AreaArgs as _thrift::ThriftStruct>::from_bytes(
                    args,
                ) {
                    Ok(a) => a,
                    Err(e) => {
                        return (ctx, Err(_thrift::DispatchError::BadRequest(e)));
                    }
                };
                let shape = args.shape;
                let out = match <T as Calculator>::area(&self.inner, &ctx, shape).await {
                    Ok(v) => {
                        Ok(_thrift::Response {
                            ok: true,
                            body: _thrift::ThriftStruct::to_bytes(
                                &calculator::AreaResult::Success(v),
                            ),
                        })
                    }
                    Err(e) => {
                        match e.into_exception_or_failure() {
                            Ok(e) => {
                                Ok(_thrift::Response {
                                    ok: false,
                                    body: _thrift::ThriftStruct::to_bytes(
                                        &calculator::AreaResult::from(e),
                                    ),
                                })
                            }
                            Err(e) => Err(_thrift::DispatchError::Unexpected(e)),
                        }
                    }
                };
                (ctx, out)
            }
            "Calculator::mirror" => {
                let args = match <calculator::MirrorArgs as _thrift::ThriftStruct>::from_bytes(
                    args,
                ) {
                    Ok(a) => a,
                    Err(e) => {
                        return (ctx, Err(_thrift::DispatchError::BadRequest(e)));
                    }
                };
                let tree = args.tree;
                let out = match <T as Calculator>::mirror(&self.inner, &ctx, tree).await
                {
                    Ok(v) => {
                        Ok(_thrift::Response {
                            ok: true,
                            body: _thrift::ThriftStruct::to_bytes(
                                &calculator::MirrorResult::Success(v),
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
            "Calculator::log" => {
                let args = match <calculator::LogArgs as _thrift::ThriftStruct>::from_bytes(
                    args,
                ) {
                    Ok(a) => a,
                    Err(e) => {
                        return (ctx, Err(_thrift::DispatchError::BadRequest(e)));
                    }
                };
                let line = args.line;
                let out = match <T as Calculator>::log(&self.inner, &ctx, line).await {
                    Ok(v) => {
                        Ok(_thrift::Response {
                            ok: true,
                            body: _thrift::ThriftStruct::to_bytes(
                                &{
                                    let () = v;
                                    calculator::LogResult::Success
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
            "Calculator::seed" => {
                let _ = match <calculator::SeedArgs as _thrift::ThriftStruct>::from_bytes(
                    args,
                ) {
                    Ok(a) => a,
                    Err(e) => {
                        return (ctx, Err(_thrift::DispatchError::BadRequest(e)));
                    }
                };
                let out = match <T as Calculator>::seed(&self.inner, &ctx).await {
                    Ok(v) => {
                        Ok(_thrift::Response {
                            ok: true,
                            body: _thrift::ThriftStruct::to_bytes(
                                &calculator::SeedResult::Success(v),
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
/// A client of the `Calculator` service, sending calls through a [`Transport`](::tchannel_runtime::thrift::Transport).
#[derive(Debug, Clone)]
pub struct CalculatorClient<T> {
    transport: T,
}
impl<T: _thrift::Transport> CalculatorClient<T> {
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
    /// Sends `Calculator::getStruct`: `.await` the call for the value, or set this call's options first and `.with_response()` for the response's headers too.
    #[allow(clippy::too_many_arguments)]
    pub fn get_struct(
        &self,
        key: i32,
    ) -> _thrift::Call<
        '_,
        T,
        super::shared::SharedStruct,
        super::shared::shared_service::GetStructError,
    > {
        #[allow(unused_mut)]
        let mut __len = 1;
        __len += 3 + _thrift::ThriftValue::encoded_len(&key);
        let mut __w = _thrift::Writer::with_capacity(__len);
        __w.write_field(1, &key);
        __w.write_field_stop();
        _thrift::Call::new(
            &self.transport,
            "Calculator::getStruct",
            __w.into_bytes(),
            |response| {
                let ok = response.ok;
                match _thrift::decode_result::<
                    super::shared::shared_service::GetStructResult,
                    _,
                >("Calculator::getStruct", response)? {
                    super::shared::shared_service::GetStructResult::Success(v) if ok => {
                        Ok(v)
                    }
                    super::shared::shared_service::GetStructResult::Err(e) => {
                        Err(
                            _thrift::Error::Exception(
                                super::shared::shared_service::GetStructError::Err(e),
                            ),
                        )
                    }
                    _ => {
                        Err(
                            _thrift::Error::UnknownException(_thrift::UnknownException {
                                method: "Calculator::getStruct",
                            }),
                        )
                    }
                }
            },
        )
    }
    /// Sends `Calculator::health`: `.await` the call for the value, or set this call's options first and `.with_response()` for the response's headers too.
    #[allow(clippy::too_many_arguments)]
    pub fn health(
        &self,
    ) -> _thrift::Call<'_, T, super::shared::Status, _thrift::NoException> {
        #[allow(unused_mut)]
        let mut __len = 1;
        let mut __w = _thrift::Writer::with_capacity(__len);
        __w.write_field_stop();
        _thrift::Call::new(
            &self.transport,
            "Calculator::health",
            __w.into_bytes(),
            |response| {
                let ok = response.ok;
                match _thrift::decode_result::<
                    super::shared::shared_service::HealthResult,
                    _,
                >("Calculator::health", response)? {
                    super::shared::shared_service::HealthResult::Success(v) if ok => {
                        Ok(v)
                    }
                    _ => {
                        Err(
                            _thrift::Error::UnknownException(_thrift::UnknownException {
                                method: "Calculator::health",
                            }),
                        )
                    }
                }
            },
        )
    }
    /// Sends `Calculator::add`: `.await` the call for the value, or set this call's options first and `.with_response()` for the response's headers too.
    #[allow(clippy::too_many_arguments)]
    pub fn add(
        &self,
        a: i64,
        b: i64,
    ) -> _thrift::Call<'_, T, i64, _thrift::NoException> {
        #[allow(unused_mut)]
        let mut __len = 1;
        __len += 3 + _thrift::ThriftValue::encoded_len(&a);
        __len += 3 + _thrift::ThriftValue::encoded_len(&b);
        let mut __w = _thrift::Writer::with_capacity(__len);
        __w.write_field(1, &a);
        __w.write_field(2, &b);
        __w.write_field_stop();
        _thrift::Call::new(
            &self.transport,
            "Calculator::add",
            __w.into_bytes(),
            |response| {
                let ok = response.ok;
                match _thrift::decode_result::<
                    calculator::AddResult,
                    _,
                >("Calculator::add", response)? {
                    calculator::AddResult::Success(v) if ok => Ok(v),
                    _ => {
                        Err(
                            _thrift::Error::UnknownException(_thrift::UnknownException {
                                method: "Calculator::add",
                            }),
                        )
                    }
                }
            },
        )
    }
    /// Sends `Calculator::area`: `.await` the call for the value, or set this call's options first and `.with_response()` for the response's headers too.
    #[allow(clippy::too_many_arguments)]
    pub fn area(
        &self,
        shape: Shape,
    ) -> _thrift::Call<'_, T, f64, calculator::AreaError> {
        #[allow(unused_mut)]
        let mut __len = 1;
        __len += 3 + _thrift::ThriftValue::encoded_len(&shape);
        let mut __w = _thrift::Writer::with_capacity(__len);
        __w.write_field(1, &shape);
        __w.write_field_stop();
        _thrift::Call::new(
            &self.transport,
            "Calculator::area",
            __w.into_bytes(),
            |response| {
                let ok = response.ok;
                match _thrift::decode_result::<
                    calculator::AreaResult,
                    _,
                >("Calculator::area", response)? {
                    calculator::AreaResult::Success(v) if ok => Ok(v),
                    calculator::AreaResult::Overloaded(e) => {
                        Err(
                            _thrift::Error::Exception(
                                calculator::AreaError::Overloaded(e),
                            ),
                        )
                    }
                    calculator::AreaResult::Shared(e) => {
                        Err(_thrift::Error::Exception(calculator::AreaError::Shared(e)))
                    }
                    _ => {
                        Err(
                            _thrift::Error::UnknownException(_thrift::UnknownException {
                                method: "Calculator::area",
                            }),
                        )
                    }
                }
            },
        )
    }
    /// Sends `Calculator::mirror`: `.await` the call for the value, or set this call's options first and `.with_response()` for the response's headers too.
    #[allow(clippy::too_many_arguments)]
    pub fn mirror(
        &self,
        tree: Tree,
    ) -> _thrift::Call<'_, T, Tree, _thrift::NoException> {
        #[allow(unused_mut)]
        let mut __len = 1;
        __len += 3 + _thrift::ThriftValue::encoded_len(&tree);
        let mut __w = _thrift::Writer::with_capacity(__len);
        __w.write_field(1, &tree);
        __w.write_field_stop();
        _thrift::Call::new(
            &self.transport,
            "Calculator::mirror",
            __w.into_bytes(),
            |response| {
                let ok = response.ok;
                match _thrift::decode_result::<
                    calculator::MirrorResult,
                    _,
                >("Calculator::mirror", response)? {
                    calculator::MirrorResult::Success(v) if ok => Ok(v),
                    _ => {
                        Err(
                            _thrift::Error::UnknownException(_thrift::UnknownException {
                                method: "Calculator::mirror",
                            }),
                        )
                    }
                }
            },
        )
    }
    ///
    /// `oneway` in the IDL: TChannel has no one-way calls, so this waits for the
    /// server's empty reply.
    /// Sends `Calculator::log`: `.await` the call for the value, or set this call's options first and `.with_response()` for the response's headers too.
    #[allow(clippy::too_many_arguments)]
    pub fn log(
        &self,
        line: impl AsRef<str>,
    ) -> _thrift::Call<'_, T, (), _thrift::NoException> {
        let line: &str = line.as_ref();
        #[allow(unused_mut)]
        let mut __len = 1;
        __len += 3 + 4 + line.len();
        let mut __w = _thrift::Writer::with_capacity(__len);
        __w.write_field_begin(_thrift::TType::String, 1);
        __w.write_string(line);
        __w.write_field_stop();
        _thrift::Call::new(
            &self.transport,
            "Calculator::log",
            __w.into_bytes(),
            |response| {
                let ok = response.ok;
                match _thrift::decode_result::<
                    calculator::LogResult,
                    _,
                >("Calculator::log", response)? {
                    calculator::LogResult::Success if ok => Ok(()),
                    _ => {
                        Err(
                            _thrift::Error::UnknownException(_thrift::UnknownException {
                                method: "Calculator::log",
                            }),
                        )
                    }
                }
            },
        )
    }
    /// Sends `Calculator::seed`: `.await` the call for the value, or set this call's options first and `.with_response()` for the response's headers too.
    #[allow(clippy::too_many_arguments)]
    pub fn seed(
        &self,
    ) -> _thrift::Call<
        '_,
        T,
        ::std::collections::BTreeMap<String, super::shared::SharedStruct>,
        _thrift::NoException,
    > {
        #[allow(unused_mut)]
        let mut __len = 1;
        let mut __w = _thrift::Writer::with_capacity(__len);
        __w.write_field_stop();
        _thrift::Call::new(
            &self.transport,
            "Calculator::seed",
            __w.into_bytes(),
            |response| {
                let ok = response.ok;
                match _thrift::decode_result::<
                    calculator::SeedResult,
                    _,
                >("Calculator::seed", response)? {
                    calculator::SeedResult::Success(v) if ok => Ok(v),
                    _ => {
                        Err(
                            _thrift::Error::UnknownException(_thrift::UnknownException {
                                method: "Calculator::seed",
                            }),
                        )
                    }
                }
            },
        )
    }
}
/// A blocking client of the `Calculator` service: the methods of [`CalculatorClient`], each waiting for its result, for code without an async runtime. Calls run on the `BlockingRuntime`'s own thread; to have several in flight at once, `spawn` calls of [`CalculatorClient`] on the runtime and `wait` for them.
#[derive(Debug, Clone)]
pub struct CalculatorBlockingClient<T> {
    client: CalculatorClient<T>,
    runtime: _thrift::BlockingRuntime,
}
impl<T: _thrift::Transport> CalculatorBlockingClient<T> {
    /// A blocking client sending through `transport` on `runtime`.
    pub fn new(transport: T, runtime: &_thrift::BlockingRuntime) -> Self {
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
    pub fn runtime(&self) -> &_thrift::BlockingRuntime {
        &self.runtime
    }
    /// [`CalculatorClient::get_struct`], waiting for its result. For this call's own options or the response's headers, build the call on [`client`](Self::client) and wait with [`runtime`](Self::runtime)`().block_on(..)`.
    #[allow(clippy::too_many_arguments)]
    pub fn get_struct(
        &self,
        key: i32,
    ) -> Result<
        super::shared::SharedStruct,
        _thrift::Error<super::shared::shared_service::GetStructError>,
    > {
        self.runtime
            .block_on(self.client.get_struct(key).with_response())
            .map(_thrift::Reply::into_value)
    }
    /// [`CalculatorClient::health`], waiting for its result. For this call's own options or the response's headers, build the call on [`client`](Self::client) and wait with [`runtime`](Self::runtime)`().block_on(..)`.
    #[allow(clippy::too_many_arguments)]
    pub fn health(
        &self,
    ) -> Result<super::shared::Status, _thrift::Error<_thrift::NoException>> {
        self.runtime
            .block_on(self.client.health().with_response())
            .map(_thrift::Reply::into_value)
    }
    /// [`CalculatorClient::add`], waiting for its result. For this call's own options or the response's headers, build the call on [`client`](Self::client) and wait with [`runtime`](Self::runtime)`().block_on(..)`.
    #[allow(clippy::too_many_arguments)]
    pub fn add(
        &self,
        a: i64,
        b: i64,
    ) -> Result<i64, _thrift::Error<_thrift::NoException>> {
        self.runtime
            .block_on(self.client.add(a, b).with_response())
            .map(_thrift::Reply::into_value)
    }
    /// [`CalculatorClient::area`], waiting for its result. For this call's own options or the response's headers, build the call on [`client`](Self::client) and wait with [`runtime`](Self::runtime)`().block_on(..)`.
    #[allow(clippy::too_many_arguments)]
    pub fn area(
        &self,
        shape: Shape,
    ) -> Result<f64, _thrift::Error<calculator::AreaError>> {
        self.runtime
            .block_on(self.client.area(shape).with_response())
            .map(_thrift::Reply::into_value)
    }
    /// [`CalculatorClient::mirror`], waiting for its result. For this call's own options or the response's headers, build the call on [`client`](Self::client) and wait with [`runtime`](Self::runtime)`().block_on(..)`.
    #[allow(clippy::too_many_arguments)]
    pub fn mirror(
        &self,
        tree: Tree,
    ) -> Result<Tree, _thrift::Error<_thrift::NoException>> {
        self.runtime
            .block_on(self.client.mirror(tree).with_response())
            .map(_thrift::Reply::into_value)
    }
    /// [`CalculatorClient::log`], waiting for its result. For this call's own options or the response's headers, build the call on [`client`](Self::client) and wait with [`runtime`](Self::runtime)`().block_on(..)`.
    #[allow(clippy::too_many_arguments)]
    pub fn log(
        &self,
        line: impl AsRef<str>,
    ) -> Result<(), _thrift::Error<_thrift::NoException>> {
        self.runtime
            .block_on(self.client.log(line).with_response())
            .map(_thrift::Reply::into_value)
    }
    /// [`CalculatorClient::seed`], waiting for its result. For this call's own options or the response's headers, build the call on [`client`](Self::client) and wait with [`runtime`](Self::runtime)`().block_on(..)`.
    #[allow(clippy::too_many_arguments)]
    pub fn seed(
        &self,
    ) -> Result<
        ::std::collections::BTreeMap<String, super::shared::SharedStruct>,
        _thrift::Error<_thrift::NoException>,
    > {
        self.runtime
            .block_on(self.client.seed().with_response())
            .map(_thrift::Reply::into_value)
    }
}
