//! Parses and checks IDL files given on the command line, printing errors.
fn main() {
    let mut failed = false;
    for arg in std::env::args().skip(1) {
        let path = std::path::PathBuf::from(&arg);
        let dir = path.parent().map(|p| p.to_path_buf()).unwrap_or_default();
        match tchannel_thrift_gen::load(&path, &[dir]) {
            Ok(p) => println!("ok {arg}: {} files", p.files.len()),
            Err(e) => {
                failed = true;
                println!("{e}")
            }
        }
    }
    std::process::exit(failed as i32);
}
