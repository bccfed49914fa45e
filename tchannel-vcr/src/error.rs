//! [`VcrError`]: what can go wrong with a cassette file.

use std::fmt;
use std::path::{Path, PathBuf};

/// A cassette that cannot be used: it cannot be read or written, is not YAML, is not a
/// tchannel VCR cassette, or is of another format version. Every one names the file.
///
/// ```
/// use tchannel_vcr::{RecordMode, VcrError};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("bad.yaml");
/// std::fs::write(&path, "interactions: [").unwrap();
/// let err: VcrError = tchannel_vcr::use_cassette(&path, RecordMode::Once).unwrap_err();
/// assert!(err.to_string().contains("bad.yaml"));
/// assert_eq!(err.path(), path.as_path());
/// ```
#[derive(Debug)]
pub struct VcrError {
    path: PathBuf,
    kind: VcrErrorKind,
}

/// The kinds of [`VcrError`].
///
/// ```
/// use tchannel_vcr::VcrErrorKind;
/// let k = VcrErrorKind::UnsupportedVersion(2);
/// assert!(matches!(k, VcrErrorKind::UnsupportedVersion(2)));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum VcrErrorKind {
    /// Reading or writing the file failed.
    Io(std::io::Error),
    /// The file is not valid YAML (or not UTF-8): what and where.
    Corrupt(String),
    /// The file is YAML but not a tchannel VCR cassette: which field is wrong and why.
    Foreign(String),
    /// The cassette is of a format version other than 1.
    UnsupportedVersion(i64),
    /// The file does not exist and the record mode is [`RecordMode::None`](crate::RecordMode::None),
    /// which never records: every call through it would fail.
    Missing,
}

impl VcrError {
    pub(crate) fn io(path: &Path, e: std::io::Error) -> Self {
        VcrError {
            path: path.to_owned(),
            kind: VcrErrorKind::Io(e),
        }
    }
    pub(crate) fn corrupt(path: &Path, what: impl Into<String>) -> Self {
        VcrError {
            path: path.to_owned(),
            kind: VcrErrorKind::Corrupt(what.into()),
        }
    }
    pub(crate) fn foreign(path: &Path, what: impl Into<String>) -> Self {
        VcrError {
            path: path.to_owned(),
            kind: VcrErrorKind::Foreign(what.into()),
        }
    }
    pub(crate) fn missing(path: &Path) -> Self {
        VcrError {
            path: path.to_owned(),
            kind: VcrErrorKind::Missing,
        }
    }
    pub(crate) fn unsupported_version(path: &Path, version: i64) -> Self {
        VcrError {
            path: path.to_owned(),
            kind: VcrErrorKind::UnsupportedVersion(version),
        }
    }

    /// The cassette file concerned.
    ///
    /// ```
    /// use tchannel_vcr::{use_cassette, RecordMode, VcrErrorKind};
    /// # let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("c.yaml");
    /// std::fs::write(&path, "interactions: []\nversion: 2\n").unwrap();
    /// let err = use_cassette(&path, RecordMode::Once).unwrap_err();
    /// assert_eq!(err.path(), path);
    /// assert!(matches!(err.kind(), VcrErrorKind::UnsupportedVersion(2)));
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What is wrong.
    ///
    /// ```
    /// use tchannel_vcr::{use_cassette, RecordMode, VcrErrorKind};
    /// # let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("c.yaml");
    /// std::fs::write(&path, "interactions: []\nversion: 2\n").unwrap();
    /// let err = use_cassette(&path, RecordMode::Once).unwrap_err();
    /// assert_eq!(err.path(), path);
    /// assert!(matches!(err.kind(), VcrErrorKind::UnsupportedVersion(2)));
    /// ```
    pub fn kind(&self) -> &VcrErrorKind {
        &self.kind
    }
}

impl fmt::Display for VcrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.path.display();
        match &self.kind {
            VcrErrorKind::Io(e) => write!(f, "cassette {p}: {e}"),
            VcrErrorKind::Corrupt(what) => write!(f, "cassette {p} is not valid YAML: {what}"),
            VcrErrorKind::Foreign(what) => {
                write!(f, "cassette {p} is not a tchannel VCR cassette: {what}")
            }
            VcrErrorKind::UnsupportedVersion(v) => write!(
                f,
                "cassette {p} is an unsupported version of the format: version {v} (only 1 is known)"
            ),
            VcrErrorKind::Missing => write!(
                f,
                "cassette {p} does not exist, and record mode `none` never records, so every \
                 call through it would fail: check the path, or record it first (record mode `once`)"
            ),
        }
    }
}

impl std::error::Error for VcrError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            VcrErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}
