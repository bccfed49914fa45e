#!/usr/bin/env node
'use strict';
// tchannel-node 4.0.1 interop client. See peers/README.md for the contract.
//
// node peers/node/client.js --hostport HOST:PORT [--service NAME]
//      [--caller NAME] [--calls JSON | --calls-file PATH] [--parallel] [--verbose]
//
// Reads a JSON array of calls (from --calls, --calls-file, or stdin), makes
// them, and prints one JSON object per call on stdout, in input order.

var crypto = require('crypto');
var fs = require('fs');
var path = require('path');

var common = require('./common.js');
var TChannel = require('tchannel');
var TChannelJSON = require('tchannel/as/json');
var TChannelAsThrift = require('tchannel/as/thrift');
var Checksum = require('tchannel/v2/checksum');

var BIG = 4096;

var args = common.parseArgs(process.argv.slice(2), ['parallel', 'verbose']);
if (!args.hostport) {
    process.stderr.write('usage: client.js --hostport HOST:PORT [--service NAME] ' +
        '[--caller NAME] [--calls JSON | --calls-file PATH] [--parallel]\n');
    process.exit(2);
}
var hostPort = String(args.hostport);
var defaultService = args.service || 'interop';
var callerName = args.caller || 'interop-client';

var logger = common.stderrLogger(Boolean(args.verbose));
var root = new TChannel({logger: logger});
var tchannelJSON = new TChannelJSON({logger: logger});
var thriftByFile = Object.create(null);
var subChannels = Object.create(null);

var CHECKSUMS = {
    none: Checksum.Types.None,
    crc32: Checksum.Types.CRC32,
    farm32: Checksum.Types.Farm32,
    crc32c: Checksum.Types.CRC32C
};

function thriftFor(file, channel) {
    if (!thriftByFile[file]) {
        thriftByFile[file] = new TChannelAsThrift({
            source: fs.readFileSync(file, 'utf8'),
            strict: false,
            logger: logger
        });
    }
    return thriftByFile[file];
}

function subChannel(service) {
    if (!subChannels[service]) {
        subChannels[service] = root.makeSubChannel({
            serviceName: service,
            peers: [hostPort]
        });
    }
    return subChannels[service];
}

function bytesOf(call, name) {
    var rep = call[name + '_repeat'];
    if (rep) {
        var unit = Buffer.from(String(rep.byte === undefined ? '00' : rep.byte), 'hex');
        var out = Buffer.alloc(rep.len);
        if (unit.length && rep.len) {
            out.fill(unit);
        }
        return out;
    }
    var v = call[name];
    if (v === undefined || v === null) {
        return Buffer.alloc(0);
    }
    return Buffer.from(String(v), 'hex');
}

function describeBytes(out, name, buf) {
    out[name + '_len'] = buf.length;
    out[name + '_sha256'] = crypto.createHash('sha256').update(buf).digest('hex');
    out[name + '_hex'] = buf.length <= BIG ? buf.toString('hex') : null;
}

function errorResult(out, err) {
    out.ok = false;
    out.code = null;
    out.error = {
        // a body the client could not serialize never left the process
        type: err.isSerializationError && /out\.request/.test(String(err.direction)) ?
            'client' : common.kindOfNodeError(err),
        code: typeof err.errorCode === 'number' ? err.errorCode : null,
        library_type: err.type || err.name || null,
        message: String(err.message)
    };
    return out;
}

function plain(v) {
    return v === undefined ? null : JSON.parse(JSON.stringify(v));
}

function makeRequest(call, scheme) {
    var service = call.service || defaultService;
    var headers = {cn: call.caller || callerName};
    var extra = call.headers || {};
    Object.keys(extra).forEach(function copy(k) {
        headers[k] = String(extra[k]);
    });
    var opts = {
        serviceName: service,
        timeout: call.timeout_ms === undefined ? 1000 : call.timeout_ms,
        headers: headers,
        hasNoParent: true,
        retryLimit: call.retry_limit === undefined ? 1 : call.retry_limit
    };
    if (call.host !== undefined) {
        opts.host = call.host;
    }
    if (call.retry_flags !== undefined) {
        var f = String(call.retry_flags);
        opts.retryFlags = {
            never: f.indexOf('n') !== -1,
            onConnectionError: f.indexOf('c') !== -1,
            onTimeout: f.indexOf('t') !== -1
        };
    }
    if (call.checksum !== undefined) {
        if (!(call.checksum in CHECKSUMS)) {
            throw new Error('unknown checksum type ' + call.checksum);
        }
        opts.checksumType = CHECKSUMS[call.checksum];
        opts.checksum = new Checksum(CHECKSUMS[call.checksum]);
    }
    return subChannel(service).request(opts);
}

function doRaw(call, out, done) {
    var arg2 = bytesOf(call, 'arg2');
    var arg3 = bytesOf(call, 'arg3');
    var req = makeRequest(call, 'raw');
    req.headers.as = 'raw';
    req.send(call.endpoint, arg2, arg3, function onResponse(err, res, resArg2, resArg3) {
        if (err) {
            return done(errorResult(out, err));
        }
        out.ok = res.ok;
        out.code = res.code;
        out.transport_headers = plain(res.headers);
        describeBytes(out, 'arg2', resArg2 || Buffer.alloc(0));
        describeBytes(out, 'arg3', resArg3 || Buffer.alloc(0));
        out.checksum_type = res.checksum ? res.checksum.type : null;
        done(out);
    });
}

function doJSON(call, out, done) {
    var req = makeRequest(call, 'json');
    var head = call.arg2 === undefined ? null : call.arg2;
    var body = call.arg3 === undefined ? null : call.arg3;
    tchannelJSON.send(req, call.endpoint, head, body, function onResponse(err, res) {
        if (err) {
            return done(errorResult(out, err));
        }
        out.ok = res.ok;
        out.code = res.ok ? 0 : 1;
        out.transport_headers = plain(res.headers);
        out.headers = plain(res.head);
        out.body = plain(res.body);
        done(out);
    });
}

function doThrift(call, out, done, file, endpoint) {
    var thrift = thriftFor(file);
    var req = makeRequest(call, 'thrift');
    var head = call.app_headers || call.arg2 || {};
    var body = call.args || call.arg3 || {};
    thrift.send(req, endpoint, head, body, function onResponse(err, res) {
        if (err) {
            return done(errorResult(out, err));
        }
        out.ok = res.ok;
        out.code = res.ok ? 0 : 1;
        out.transport_headers = plain(res.headers);
        out.headers = plain(res.head);
        out.body = plain(res.body);
        out.exception = res.ok ? null : (res.typeName || null);
        done(out);
    });
}

function doPing(call, out, done) {
    var peer = root.peers.add(hostPort);
    var timeoutMs = call.timeout_ms === undefined ? 1000 : call.timeout_ms;
    var finished = false;
    var timer = setTimeout(function onTimeout() {
        finish(new Error('no ping response within ' + timeoutMs + ' ms'), 'timeout');
    }, timeoutMs);

    function finish(err, kind) {
        if (finished) {
            return;
        }
        finished = true;
        clearTimeout(timer);
        if (err) {
            out.ok = false;
            out.error = {type: kind || 'other', code: null, library_type: err.type || null,
                message: String(err.message)};
        } else {
            out.ok = true;
        }
        out.code = null;
        done(out);
    }

    peer.waitForIdentified(function onIdentified(err) {
        if (err) {
            return finish(err, common.kindOfNodeError(err));
        }
        var conn = peer.getIdentifiedOutConnection() || peer.getOutConnection();
        if (!conn) {
            return finish(new Error('no connection'), 'network');
        }
        var id = conn.ping();
        conn.pingResponseEvent.on(function onPong(res) {
            if (res && (res.id === id || id === undefined)) {
                finish(null);
            }
        });
    });
}

function makeCall(call, index, done) {
    var out = {index: index, scheme: call.scheme || 'raw', endpoint: call.endpoint || call.method || null};
    var start = process.hrtime();
    var reported = false;
    // A safety net: a call never takes much longer than its timeout.
    var guard = setTimeout(function deadline() {
        out.ok = false;
        out.code = null;
        out.error = {type: 'timeout', code: null, library_type: 'client-deadline',
            message: 'no result 5 s after the call timeout'};
        finished(out);
    }, (call.timeout_ms === undefined ? 1000 : call.timeout_ms) + 5000);
    function finished(result) {
        if (reported) {
            return;
        }
        reported = true;
        clearTimeout(guard);
        var d = process.hrtime(start);
        result.elapsed_ms = Math.round((d[0] * 1e3 + d[1] / 1e6) * 1000) / 1000;
        done(result);
    }
    if (call.host !== undefined && !call._identified && out.scheme !== 'ping') {
        // tchannel-node makes a host-pinned request only on an identified connection.
        subChannel(call.service || defaultService).waitForIdentified({host: String(call.host)},
            function onIdentified(err) {
                if (err) {
                    finished(errorResult(out, err));
                    return;
                }
                call._identified = true;
                reported = true;
                clearTimeout(guard);
                makeCall(call, index, done);
            });
        return;
    }
    try {
        var scheme = out.scheme;
        if (scheme === 'raw') {
            doRaw(call, out, finished);
        } else if (scheme === 'json') {
            doJSON(call, out, finished);
        } else if (scheme === 'thrift') {
            var endpoint = call.method || call.endpoint;
            if (endpoint.indexOf('::') === -1) {
                endpoint = 'KeyValue::' + endpoint;
            }
            out.endpoint = endpoint;
            var file = call.thrift ? path.resolve(call.thrift) : common.KEYVALUE_THRIFT;
            doThrift(call, out, finished, file, endpoint);
        } else if (scheme === 'health') {
            out.endpoint = 'Meta::health';
            var meta = path.join(common.PEERS, 'node_modules', 'tchannel', 'as', 'meta.thrift');
            doThrift(call, out, finished, meta, 'Meta::health');
        } else if (scheme === 'ping') {
            doPing(call, out, finished);
        } else {
            throw new Error('unknown scheme ' + scheme);
        }
    } catch (e) {
        out.ok = false;
        out.code = null;
        out.error = {type: 'client', code: null, library_type: null, message: String(e.message)};
        finished(out);
    }
}

function run(calls) {
    var results = new Array(calls.length);
    var next = 0;
    var printed = 0;
    function flush() {
        while (printed < calls.length && results[printed]) {
            process.stdout.write(JSON.stringify(results[printed]) + '\n');
            printed++;
        }
        if (printed === calls.length) {
            root.close(function closed() {});
            setTimeout(function exitSoon() { process.exit(0); }, 50).unref();
        }
    }
    function start(i) {
        makeCall(calls[i], i, function onDone(result) {
            results[i] = result;
            flush();
            if (!args.parallel && next < calls.length) {
                start(next++);
            }
        });
    }
    if (!calls.length) {
        return flush();
    }
    if (args.parallel) {
        for (next = 0; next < calls.length; next++) {
            start(next);
        }
    } else {
        start(next++);
    }
}

function parseCalls(text) {
    var v = JSON.parse(text);
    return Array.isArray(v) ? v : [v];
}

if (args.calls !== undefined) {
    run(parseCalls(String(args.calls)));
} else if (args['calls-file'] !== undefined) {
    run(parseCalls(fs.readFileSync(String(args['calls-file']), 'utf8')));
} else {
    var chunks = [];
    process.stdin.on('data', function onData(c) { chunks.push(c); });
    process.stdin.on('end', function onEnd() {
        run(parseCalls(Buffer.concat(chunks).toString('utf8')));
    });
}
