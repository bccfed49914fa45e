'use strict';
// No-op stand-in for the native `heapdump` addon (does not build on Node 20).
exports.writeSnapshot = function writeSnapshot(file, cb) {
    if (typeof file === 'function') { cb = file; file = null; }
    if (typeof cb === 'function') { process.nextTick(cb, null, file || ''); }
    return true;
};
