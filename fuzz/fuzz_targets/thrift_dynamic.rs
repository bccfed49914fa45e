#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tchannel_fuzz::thrift_dynamic(data));
