//! Prints the Rust generated for an IDL file: `cargo run --example gen -- file.thrift [module]`.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = std::path::PathBuf::from(&args[0]);
    let dir = path.parent().map(|p| p.to_path_buf()).unwrap_or_default();
    let program = match tchannel_thrift_gen::load(&path, &[dir]) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    match tchannel_thrift_gen::generate(&program, &Default::default()) {
        Ok(files) => {
            for f in files {
                if args.get(1).is_none_or(|m| *m == f.module) {
                    println!("// ===== {}\n{}", f.module, f.code);
                }
            }
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
