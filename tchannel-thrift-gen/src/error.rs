//! Errors with a location a person can act on.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::ast::Span;

/// An error in an IDL file (or in reading one), with the file, line and column, the offending
/// line and a caret under the spot.
///
/// ```
/// let err = tchannel_thrift_gen::parse_str("x.thrift", "struct S { 1: i32 }").unwrap_err();
/// let text = err.to_string();
/// assert!(text.starts_with("x.thrift:1:19: "), "{text}");
/// assert!(text.contains("struct S { 1: i32 }\n  |                   ^"), "{text}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    file: PathBuf,
    line: usize,
    col: usize,
    source_line: Option<String>,
    message: String,
}

impl Error {
    /// An error at `span` of `source` (the text of `file`).
    pub fn at(file: &Path, source: &str, span: Span, message: impl Into<String>) -> Self {
        let source_line = source
            .lines()
            .nth(span.line.saturating_sub(1))
            .map(str::to_owned);
        Error {
            file: file.to_owned(),
            line: span.line,
            col: span.col,
            source_line,
            message: message.into(),
        }
    }

    /// An error about a whole file (it cannot be read, say).
    pub fn file(file: &Path, message: impl Into<String>) -> Self {
        Error {
            file: file.to_owned(),
            line: 0,
            col: 0,
            source_line: None,
            message: message.into(),
        }
    }

    /// The file the error is in.
    pub fn path(&self) -> &Path {
        &self.file
    }

    /// The line, from 1 (0 when the error is about the whole file).
    pub fn line(&self) -> usize {
        self.line
    }

    /// The column, from 1 (0 when the error is about the whole file).
    pub fn column(&self) -> usize {
        self.col
    }

    /// What is wrong, without the location.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            return write!(f, "{}: {}", self.file.display(), self.message);
        }
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.col,
            self.message
        )?;
        if let Some(src) = &self.source_line {
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            let caret: String = src
                .chars()
                .take(self.col.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(f, "\n{pad} |\n{gutter} | {src}\n{pad} | {caret}^")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}
