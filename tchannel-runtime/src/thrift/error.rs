//! Decode errors that say where in a message the bytes went wrong.

use std::fmt;

/// What went wrong while decoding Thrift binary protocol bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input ended before the value did.
    UnexpectedEof,
    /// A type byte that is not a Thrift type.
    InvalidType(u8),
    /// A container or string length that is negative.
    NegativeSize(i32),
    /// A length that claims more bytes than the input holds.
    SizeTooLarge(usize),
    /// A string that is not valid UTF-8.
    InvalidUtf8,
    /// Values nested deeper than [`MAX_DEPTH`](super::MAX_DEPTH).
    DepthLimit,
    /// A container whose element types are not the declared ones.
    WrongElementType {
        /// The type the IDL declares.
        expected: u8,
        /// The type found on the wire.
        found: u8,
    },
    /// A required field was absent.
    MissingField,
    /// A union with no field set, or with more than one.
    InvalidUnion(usize),
    /// Bytes remained after the top-level value.
    TrailingBytes(usize),
}

/// Where a decode error happened: a struct and one of its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    /// The Thrift name of the struct, union or exception.
    pub strukt: &'static str,
    /// The Thrift name of the field, or empty when the error is about the struct itself.
    pub field: &'static str,
}

/// A Thrift decode error: what went wrong and the path of structs and fields it happened in,
/// outermost first.
///
/// ```
/// use tchannel_runtime::thrift::{DecodeError, DecodeErrorKind};
/// let err = DecodeError::missing_field("NotFoundError", "key").in_field("GetValueResult", "notFound");
/// assert_eq!(err.kind(), &DecodeErrorKind::MissingField);
/// assert_eq!(
///     err.to_string(),
///     "GetValueResult.notFound: NotFoundError: required field `key` is missing",
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(Box<Inner>);

// Boxed so that `Result<T, DecodeError>` stays small on the decoding hot path.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    kind: DecodeErrorKind,
    // Innermost first while the error bubbles up; reversed for display.
    path: Vec<FieldPath>,
}

impl DecodeError {
    /// An error of the given kind with no location yet.
    #[cold]
    pub fn new(kind: DecodeErrorKind) -> Self {
        DecodeError(Box::new(Inner {
            kind,
            path: Vec::new(),
        }))
    }

    /// A required field `field` of `strukt` was not in the input.
    #[cold]
    pub fn missing_field(strukt: &'static str, field: &'static str) -> Self {
        DecodeError::new(DecodeErrorKind::MissingField).in_field(strukt, field)
    }

    /// A union `strukt` had `count` fields set instead of exactly one.
    #[cold]
    pub fn invalid_union(strukt: &'static str, count: usize) -> Self {
        DecodeError::new(DecodeErrorKind::InvalidUnion(count)).in_field(strukt, "")
    }

    /// Records that this error happened while decoding `field` of `strukt`.
    #[must_use]
    #[cold]
    pub fn in_field(mut self, strukt: &'static str, field: &'static str) -> Self {
        self.0.path.push(FieldPath { strukt, field });
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.0.kind
    }

    /// The structs and fields the error happened in, outermost first.
    pub fn path(&self) -> impl Iterator<Item = &FieldPath> {
        self.0.path.iter().rev()
    }

    /// The innermost struct and field, if the error has a location.
    pub fn innermost(&self) -> Option<&FieldPath> {
        self.0.path.first()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let DecodeError(inner) = self;
        let mut segments = inner.path.iter().rev().peekable();
        let mut wrote = false;
        while let Some(p) = segments.next() {
            let last = segments.peek().is_none();
            if last && matches!(inner.kind, DecodeErrorKind::MissingField) {
                if wrote {
                    f.write_str(": ")?;
                }
                return write!(f, "{}: required field `{}` is missing", p.strukt, p.field);
            }
            if wrote {
                f.write_str(": ")?;
            }
            if p.field.is_empty() {
                f.write_str(p.strukt)?;
            } else {
                write!(f, "{}.{}", p.strukt, p.field)?;
            }
            wrote = true;
        }
        if wrote {
            f.write_str(": ")?;
        }
        match &inner.kind {
            DecodeErrorKind::UnexpectedEof => f.write_str("unexpected end of input"),
            DecodeErrorKind::InvalidType(t) => write!(f, "invalid type byte {t:#04x}"),
            DecodeErrorKind::NegativeSize(n) => write!(f, "negative size {n}"),
            DecodeErrorKind::SizeTooLarge(n) => {
                write!(f, "size {n} is larger than the remaining input")
            }
            DecodeErrorKind::InvalidUtf8 => f.write_str("string is not valid UTF-8"),
            DecodeErrorKind::DepthLimit => write!(f, "nested deeper than {}", super::MAX_DEPTH),
            DecodeErrorKind::WrongElementType { expected, found } => write!(
                f,
                "container element type {found:#04x}, expected {expected:#04x}"
            ),
            DecodeErrorKind::MissingField => f.write_str("required field is missing"),
            DecodeErrorKind::InvalidUnion(n) => {
                write!(f, "union must have exactly one field set, found {n}")
            }
            DecodeErrorKind::TrailingBytes(n) => write!(f, "{n} bytes after the end of the value"),
        }
    }
}

impl std::error::Error for DecodeError {}
