//! Compile Thrift IDL into Rust from build.rs, the way `tonic-build` does for protobuf.
//!
//! The common case is one line in `build.rs`:
//!
//! ```no_run
//! // in build.rs, inside `fn main`
//! tchannel_build::compile("thrift/service.thrift");
//! ```
//!
//! and one module per IDL file in the crate, each including what was generated for it:
//!
//! ```ignore
//! pub mod service {
//!     tchannel_runtime::include_thrift!("service");
//! }
//! ```
//!
//! Files included by the compiled file are generated too, as sibling modules named after them
//! (code for `a.thrift` that uses `b.Type` refers to `super::b::Type`); with
//! [`Builder::include_file`] the generator writes that module tree for you. [`configure`]
//! returns a [`Builder`] for the rest: output folder, include folders, client or server only,
//! type and field attributes, the runtime's path ([`Builder::runtime_path`]), types from
//! another crate ([`Builder::extern_path`]), and the Rust types for `binary`, `map` and `set`.
#![deny(missing_docs)]

use std::path::{Path, PathBuf};

pub use tchannel_thrift_gen::{BinaryType, CollectionType};

/// Compiles one IDL file (and everything it includes) into `OUT_DIR`, with servers and
/// clients. On an error it prints the error's located message and exits the build script with
/// a failure, so the build stops there.
pub fn compile(path: impl AsRef<Path>) {
    configure().compile(&[path]);
}

/// A builder for the options [`compile`] does not cover.
///
/// ```no_run
/// tchannel_build::configure()
///     .build_client(false)
///     .include_dir("thrift/common")
///     .type_attribute(".", "#[derive(serde::Serialize)]")
///     .map_type(tchannel_build::CollectionType::Hash)
///     .compile(&["thrift/service.thrift"]);
/// ```
pub fn configure() -> Builder {
    Builder {
        options: tchannel_thrift_gen::Options::default(),
        out_dir: None,
        include_dirs: Vec::new(),
        emit_rerun: true,
        include_file: None,
    }
}

/// Options for compiling IDL; made by [`configure`].
#[derive(Debug, Clone)]
pub struct Builder {
    options: tchannel_thrift_gen::Options,
    out_dir: Option<PathBuf>,
    include_dirs: Vec<PathBuf>,
    emit_rerun: bool,
    include_file: Option<PathBuf>,
}

impl Builder {
    /// Generate server traits and dispatchers (default: on).
    pub fn build_server(mut self, on: bool) -> Self {
        self.options.server = on;
        self
    }

    /// Generate clients (default: on).
    pub fn build_client(mut self, on: bool) -> Self {
        self.options.client = on;
        self
    }

    /// Where to write the generated files (default: `OUT_DIR`).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// A folder to search for included files, after the including file's own folder.
    pub fn include_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.include_dirs.push(dir.into());
        self
    }

    /// Puts `attribute` (e.g. `#[derive(serde::Serialize)]`) on the generated types that
    /// `path` matches: `.` for all types, `module` for those of one IDL file, `module.Type` for
    /// one (IDL names; `module` is the IDL file name without `.thrift`).
    pub fn type_attribute(mut self, path: impl Into<String>, attribute: impl Into<String>) -> Self {
        self.options
            .type_attributes
            .push((path.into(), attribute.into()));
        self
    }

    /// Puts `attribute` (e.g. `#[serde(rename = "id")]`) on the generated fields that `path`
    /// matches: `module.Type.field` for one field, `module.Type` for every field of a struct,
    /// exception or union, `module` or `.` for all (IDL names, as for
    /// [`type_attribute`](Self::type_attribute)).
    pub fn field_attribute(
        mut self,
        path: impl Into<String>,
        attribute: impl Into<String>,
    ) -> Self {
        self.options
            .field_attributes
            .push((path.into(), attribute.into()));
        self
    }

    /// The path generated code reaches the runtime by (default `::tchannel_runtime`). Set it
    /// when the dependency is renamed (with `rt = { package = "tchannel-runtime", .. }` in
    /// Cargo.toml, `runtime_path("::rt")`) or re-exported (`"::my_crate::tchannel"`).
    /// Generated code uses nothing else of the runtime's crate name.
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.options.runtime_path = path.into();
        self
    }

    /// Uses types generated elsewhere for the IDL module `module` (an included file's name
    /// without `.thrift`): no code is generated for it, and code that uses its types refers
    /// to `rust_path` (e.g. `extern_path("shared", "::common_types::shared")` when the crate
    /// `common_types` already compiles `shared.thrift`).
    pub fn extern_path(mut self, module: impl Into<String>, rust_path: impl Into<String>) -> Self {
        self.options
            .extern_paths
            .push((module.into(), rust_path.into()));
        self
    }

    /// Also writes `name` (in the output folder): one module per generated file, with the
    /// IDL file's doc comment, so a crate includes every IDL file and what it includes with
    /// one line, and the modules are the siblings generated code expects:
    ///
    /// ```ignore
    /// // build.rs: tchannel_build::configure().include_file("thrift.rs").compile(&["a.thrift"]);
    /// include!(concat!(env!("OUT_DIR"), "/thrift.rs")); // mod a { .. } mod shared { .. }
    /// ```
    ///
    /// A module named after a Rust keyword is written raw (`pub mod r#const`).
    pub fn include_file(mut self, name: impl Into<PathBuf>) -> Self {
        self.include_file = Some(name.into());
        self
    }

    /// Makes every `double` an `OrderedF64`, so that every generated type derives `Eq`,
    /// `Hash` and `Ord` and adding a `double` field to an IDL struct removes none of them
    /// (default: off; then a type with a `double` outside set elements and map keys has only
    /// `PartialEq`, and its doc says so).
    pub fn ordered_doubles(mut self, on: bool) -> Self {
        self.options.ordered_doubles = on;
        self
    }

    /// The Rust type for `binary` (default: `bytes::Bytes`, re-exported by the runtime).
    pub fn binary_type(mut self, ty: BinaryType) -> Self {
        self.options.binary = ty;
        self
    }

    /// The Rust type for `map` (default: `BTreeMap`).
    pub fn map_type(mut self, ty: CollectionType) -> Self {
        self.options.map = ty;
        self
    }

    /// The Rust type for `set` (default: `BTreeSet`).
    pub fn set_type(mut self, ty: CollectionType) -> Self {
        self.options.set = ty;
        self
    }

    /// Whether to print `cargo:rerun-if-changed` for each file parsed (default: on).
    pub fn emit_rerun_if_changed(mut self, on: bool) -> Self {
        self.emit_rerun = on;
        self
    }

    /// Compiles the files, exiting the build script with the error's message on failure.
    pub fn compile(self, paths: &[impl AsRef<Path>]) {
        if let Err(e) = self.try_compile(paths) {
            eprintln!("error: {e}");
            println!(
                "cargo:warning=Thrift compilation failed: {}",
                first_line(&e)
            );
            std::process::exit(1);
        }
    }

    /// Compiles the files and says what was read and written, or returns the first error.
    ///
    /// ```
    /// let dir = std::env::temp_dir().join(format!("tchannel-build-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// std::fs::write(dir.join("ping.thrift"), "service Ping { void ping() }").unwrap();
    /// let out = tchannel_build::configure()
    ///     .out_dir(&dir)
    ///     .emit_rerun_if_changed(false)
    ///     .try_compile(&[dir.join("ping.thrift")])
    ///     .unwrap();
    /// assert_eq!(out.written, vec![dir.join("ping.rs")]);
    /// ```
    pub fn try_compile(&self, paths: &[impl AsRef<Path>]) -> Result<Compiled, Error> {
        let out_dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| {
                    Error::Config("OUT_DIR is not set (is this a build script?)".into())
                })?,
        };
        let mut written = Vec::new();
        let mut modules = Vec::new();
        let mut sources = Vec::new();
        let mut seen_sources = std::collections::BTreeSet::new();
        for path in paths {
            let program =
                tchannel_thrift_gen::load(path.as_ref(), &self.include_dirs).map_err(Error::Idl)?;
            // Exactly one `rerun-if-changed` per file parsed, however many roots include it.
            for f in &program.files {
                if seen_sources.insert(f.path.clone()) {
                    if self.emit_rerun {
                        println!("cargo:rerun-if-changed={}", f.path.display());
                    }
                    sources.push(f.path.clone());
                }
            }
            let files =
                tchannel_thrift_gen::generate(&program, &self.options).map_err(Error::Idl)?;
            for f in files {
                let out = out_dir.join(format!("{}.rs", f.module));
                // Leave an unchanged file alone so that cargo does not rebuild for nothing.
                if std::fs::read_to_string(&out).ok().as_deref() != Some(f.code.as_str()) {
                    std::fs::write(&out, &f.code)
                        .map_err(|e| Error::Io(out.clone(), e.to_string()))?;
                }
                if !written.contains(&out) {
                    written.push(out);
                    modules.push((f.module, f.idl, f.doc));
                }
            }
        }
        if let Some(name) = &self.include_file {
            let mut text = String::from("// @generated by tchannel-build. Do not edit.\n");
            for (module, idl, doc) in &modules {
                let doc = match doc {
                    Some(d) => d.clone(),
                    None => format!(
                        "Generated from `{}`.",
                        idl.file_name().unwrap_or_default().to_string_lossy()
                    ),
                };
                for line in doc.lines() {
                    text.push_str(&format!("#[doc = {:?}]\n", format!(" {line}")));
                }
                text.push_str(&format!(
                    "pub mod {} {{\n    include!({:?});\n}}\n",
                    tchannel_thrift_gen::module_ident(module),
                    format!("{module}.rs")
                ));
            }
            let out = out_dir.join(name);
            if std::fs::read_to_string(&out).ok().as_deref() != Some(text.as_str()) {
                std::fs::write(&out, &text).map_err(|e| Error::Io(out.clone(), e.to_string()))?;
            }
            written.push(out);
        }
        Ok(Compiled { written, sources })
    }
}

/// What [`Builder::try_compile`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Compiled {
    /// The generated files, one per IDL file, then the [`Builder::include_file`] if any.
    pub written: Vec<PathBuf>,
    /// Every IDL file parsed, includes included, each once (what `rerun-if-changed` names).
    pub sources: Vec<PathBuf>,
}

fn first_line(e: &Error) -> String {
    e.to_string().lines().next().unwrap_or_default().to_string()
}

/// Why compiling failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// An error in the IDL, with its location.
    Idl(tchannel_thrift_gen::Error),
    /// A generated file could not be written.
    Io(PathBuf, String),
    /// The builder's settings are not usable.
    Config(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Idl(e) => write!(f, "{e}"),
            Error::Io(p, e) => write!(f, "cannot write {}: {e}", p.display()),
            Error::Config(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}
