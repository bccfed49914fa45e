//! Examples for tchannel-rs live in `src/bin`.
