'use strict';
// Helpers shared by the tchannel-node interop server and client.

var path = require('path');

var PEERS = path.resolve(__dirname, '..');
var KEYVALUE_THRIFT = path.join(PEERS, 'thrift', 'keyvalue.thrift');

// Error frame code -> the kind name both the node and python peer programs
// report (PROTOCOL.md section 7.2).
var KIND_BY_CODE = {
    1: 'timeout',
    2: 'cancelled',
    3: 'busy',
    4: 'declined',
    5: 'unexpected',
    6: 'bad_request',
    7: 'network',
    8: 'unhealthy',
    255: 'protocol'
};

// tchannel-node error `type` -> kind, for errors that did not come from an
// error frame (local timeouts, socket errors, ...).
function kindOfNodeError(err) {
    if (typeof err.errorCode === 'number' && KIND_BY_CODE[err.errorCode]) {
        return KIND_BY_CODE[err.errorCode];
    }
    var t = String(err.type || '');
    if (t.indexOf('timeout') !== -1) {
        return 'timeout';
    }
    if (t === 'tchannel.busy') {
        return 'busy';
    }
    if (t === 'tchannel.declined') {
        return 'declined';
    }
    if (t === 'tchannel.unexpected') {
        return 'unexpected';
    }
    if (t === 'tchannel.bad-request') {
        return 'bad_request';
    }
    if (t === 'tchannel.cancelled') {
        return 'cancelled';
    }
    if (t === 'tchannel.unhealthy') {
        return 'unhealthy';
    }
    if (t.indexOf('tchannel.socket') === 0 || t.indexOf('tchannel.connection') === 0 ||
        t === 'tchannel.network') {
        return 'network';
    }
    if (t.indexOf('tchannel.protocol') === 0 || t.indexOf('tchannel.invalid') === 0) {
        return 'protocol';
    }
    return 'other';
}

// Minimal argv parser: --name value, --flag, repeated options become arrays.
function parseArgs(argv, booleans) {
    var out = {_: []};
    for (var i = 0; i < argv.length; i++) {
        var a = argv[i];
        if (a.slice(0, 2) !== '--') {
            out._.push(a);
            continue;
        }
        var eq = a.indexOf('=');
        var name;
        var value;
        if (eq !== -1) {
            name = a.slice(2, eq);
            value = a.slice(eq + 1);
        } else {
            name = a.slice(2);
            if (booleans.indexOf(name) !== -1) {
                value = true;
            } else {
                if (i + 1 >= argv.length) {
                    throw new Error('option --' + name + ' needs a value');
                }
                value = argv[++i];
            }
        }
        if (out[name] === undefined) {
            out[name] = value;
        } else if (Array.isArray(out[name])) {
            out[name].push(value);
        } else {
            out[name] = [out[name], value];
        }
    }
    return out;
}

// ["a:1,b:2", "c:3"] or "a:1" -> ["a:1", "b:2", "c:3"]
function hostPortList(v) {
    if (v === undefined || v === true) {
        return [];
    }
    var list = Array.isArray(v) ? v : [v];
    var out = [];
    list.forEach(function each(s) {
        String(s).split(',').forEach(function part(p) {
            if (p) {
                out.push(p.trim());
            }
        });
    });
    return out;
}

// Exit when the process that started us is gone (a test that crashed).
function exitWithParent() {
    var parentPid = process.ppid;
    setInterval(function watchParent() {
        if (process.ppid !== parentPid) {
            process.exit(0);
        }
    }, 1000).unref();
}

// A tchannel-node tracing field ({spanid, parentid, traceid} as [hi, lo] pairs of uint32
// or Buffers, and flags) as {span_id, parent_id, trace_id} in 16 hex digits and flags.
function tracingHex(t) {
    function idHex(id) {
        if (!id) {
            return null;
        }
        if (Buffer.isBuffer(id)) {
            return id.toString('hex');
        }
        return Array.prototype.map.call(id, function hex(n) {
            return ('00000000' + (n >>> 0).toString(16)).slice(-8);
        }).join('');
    }
    return t ? {
        span_id: idHex(t.spanid),
        parent_id: idHex(t.parentid),
        trace_id: idHex(t.traceid),
        flags: t.flags
    } : null;
}

function stderrLogger(verbose) {
    function log(level) {
        return function write(msg, info) {
            var line;
            try {
                line = JSON.stringify(info || {});
            } catch (e) {
                line = String(info);
            }
            process.stderr.write('[tchannel ' + level + '] ' + msg + ' ' + line + '\n');
        };
    }
    function nop() {}
    return {
        trace: nop,
        debug: verbose ? log('debug') : nop,
        info: verbose ? log('info') : nop,
        warn: verbose ? log('warn') : nop,
        error: log('error'),
        fatal: log('fatal')
    };
}

module.exports = {
    PEERS: PEERS,
    KEYVALUE_THRIFT: KEYVALUE_THRIFT,
    KIND_BY_CODE: KIND_BY_CODE,
    kindOfNodeError: kindOfNodeError,
    parseArgs: parseArgs,
    hostPortList: hostPortList,
    exitWithParent: exitWithParent,
    stderrLogger: stderrLogger,
    tracingHex: tracingHex
};
