'use strict';
// Stand-in for the native `bignum` addon (does not build on Node 20). Only the
// Kafka log backend reaches it, which the interop setup never enables.
function BigNum() {
    throw new Error('bignum stand-in: not available in the tchannel-rs interop peers');
}
module.exports = BigNum;
