#!/usr/bin/env node
'use strict';
// tchannel-node 4.0.1 interop server. See peers/README.md for the contract.
//
// node peers/node/server.js [--service NAME] [--host H] [--port P]
//                           [--advertise ROUTER_HOSTPORT]... [--thrift FILE]...
//                           [--verbose]
//
// Prints exactly one line `listening on HOST:PORT` on stdout once it serves
// calls (with --advertise: once the router also answered the first `ad`).

var fs = require('fs');

var common = require('./common.js');
var TChannel = require('tchannel');
var TChannelJSON = require('tchannel/as/json');
var TChannelAsThrift = require('tchannel/as/thrift');
var HyperbahnClient = require('tchannel/hyperbahn');

var args = common.parseArgs(process.argv.slice(2), ['verbose']);
var serviceName = args.service || 'interop';
var host = args.host || '127.0.0.1';
var port = args.port === undefined ? 0 : Number(args.port);
var routers = common.hostPortList(args.advertise);

var logger = common.stderrLogger(Boolean(args.verbose));
var root = new TChannel({logger: logger, trace: true});
var chan = root.makeSubChannel({serviceName: serviceName});

// ---------------------------------------------------------------- raw + json
// tchannel-node keys handlers by endpoint name only, so `echo` and `notok`
// exist once and dispatch on the `as` transport header: `json` goes through
// tchannel-node's own JSON scheme (as/json.js), everything else is raw.

var tchannelJSON = new TChannelJSON({logger: logger});
var handlers = Object.create(null);

function registerScheme(endpoint, scheme, fn) {
    if (!handlers[endpoint]) {
        handlers[endpoint] = {};
        chan.register(endpoint, function dispatch(req, res, arg2, arg3) {
            var h = handlers[endpoint];
            var fn2 = (req.headers.as === 'json' && h.json) || h.raw || h.json;
            fn2(req, res, arg2, arg3);
        });
    }
    handlers[endpoint][scheme] = fn;
}

function registerRaw(endpoint, fn) {
    registerScheme(endpoint, 'raw', function raw(req, res, arg2, arg3) {
        res.headers.as = req.headers.as || 'raw';
        fn(req, res, arg2, arg3);
    });
}

function registerJSON(endpoint, fn) {
    // TChannelJSON.register calls channel.register(name, handler): capture it.
    var captured = null;
    tchannelJSON.register({
        logger: logger,
        register: function capture(name, handler) {
            captured = handler;
        }
    }, endpoint, null, fn);
    registerScheme(endpoint, 'json', captured);
}

function messageFrom(arg3, fallback) {
    return arg3 && arg3.length ? arg3.toString('utf8') : fallback;
}

function inspect(req) {
    var conn = req.connection || null;
    return {
        peer: 'node',
        service: req.serviceName,
        endpoint: req.endpoint,
        caller_name: req.callerName,
        transport_headers: req.headers,
        ttl_ms: req.timeout,
        checksum_type: req.checksum ? req.checksum.type : null,
        retry_flags: req.retryFlags || null,
        tracing: common.tracingHex(req.tracing),
        remote_host_port: conn ? conn.remoteName : null,
        socket_remote_addr: conn ? conn.socketRemoteAddr : null
    };
}

registerRaw('echo', function echo(req, res, arg2, arg3) {
    res.sendOk(arg2, arg3);
});
registerRaw('notok', function notok(req, res, arg2, arg3) {
    res.sendNotOk(arg2, arg3);
});
registerRaw('unexpected', function unexpected(req, res, arg2, arg3) {
    res.sendError('UnexpectedError', messageFrom(arg3, 'unexpected error requested by the caller'));
});
registerRaw('busy', function busy(req, res, arg2, arg3) {
    res.sendError('Busy', messageFrom(arg3, 'busy requested by the caller'));
});
registerRaw('declined', function declined(req, res, arg2, arg3) {
    res.sendError('Declined', messageFrom(arg3, 'declined requested by the caller'));
});
registerRaw('badrequest', function badrequest(req, res, arg2, arg3) {
    res.sendError('BadRequest', messageFrom(arg3, 'bad request requested by the caller'));
});
registerRaw('slow', function slow(req, res, arg2, arg3) {
    var ms = parseInt(arg3.toString('ascii'), 10) || 0;
    setTimeout(function later() {
        try {
            res.sendOk(arg2, arg3);
        } catch (e) {
            // the call already timed out or was cancelled
        }
    }, ms);
});
registerRaw('inspect', function inspectRaw(req, res, arg2, arg3) {
    var info = inspect(req);
    info.arg2_hex = arg2.toString('hex');
    info.arg3_len = arg3.length;
    res.sendOk('', JSON.stringify(info));
});

registerJSON('echo', function echoJSON(opts, req, head, body, cb) {
    cb(null, {ok: true, head: head, body: body});
});
registerJSON('add', function addJSON(opts, req, head, body, cb) {
    cb(null, {ok: true, head: head, body: {sum: body.a + body.b}});
});
registerJSON('notok', function notokJSON(opts, req, head, body, cb) {
    cb(null, {
        ok: false,
        head: head,
        body: {type: 'interop.notok', message: 'not ok requested by the caller', request: body}
    });
});
registerJSON('inspect', function inspectJSON(opts, req, head, body, cb) {
    cb(null, {ok: true, head: head, body: inspect(req)});
});

// -------------------------------------------------------------------- thrift

var store = Object.create(null);
var tchannelThrift = new TChannelAsThrift({
    source: fs.readFileSync(common.KEYVALUE_THRIFT, 'utf8'),
    strict: false,
    channel: chan,
    logger: logger,
    isHealthy: function isHealthy() {
        return {ok: true};
    },
    loadMetaAsync: false
});
tchannelThrift.registerHealthSync();

tchannelThrift.register(chan, 'KeyValue::getValue', null, function getValue(opts, req, head, body, cb) {
    if (Object.prototype.hasOwnProperty.call(store, body.key)) {
        cb(null, {ok: true, head: head, body: store[body.key]});
    } else {
        cb(null, {ok: false, head: head, typeName: 'notFound', body: {key: body.key}});
    }
});
tchannelThrift.register(chan, 'KeyValue::setValue', null, function setValue(opts, req, head, body, cb) {
    store[body.key] = body.value;
    cb(null, {ok: true, head: head, body: null});
});

// Extra IDLs (--thrift FILE, repeatable): every method of every service
// (inherited ones included) answers with its first argument, or, when the
// application header `throw` names one of its declared exceptions, with that
// exception, its value taken from the request argument of the same name.
function echoThriftEndpoint(spec, endpoint) {
    var argFields = spec.getType(endpoint + '_args').fields;
    var resultFields = spec.getType(endpoint + '_result').fields;
    var returnsValue = resultFields.some(function isSuccess(f) {
        return f.name === 'success';
    });
    return function echoThrift(opts, req, head, body, cb) {
        var throwName = head && head.throw;
        if (throwName) {
            var declared = resultFields.some(function isException(f) {
                return f.name === throwName && f.name !== 'success';
            });
            if (declared) {
                cb(null, {ok: false, head: head, typeName: throwName, body: body[throwName]});
                return;
            }
        }
        var value = returnsValue && argFields.length ? body[argFields[0].name] : null;
        cb(null, {ok: true, head: head, body: value});
    };
}

common.hostPortList(args.thrift).forEach(function registerIDL(file) {
    var extra = new TChannelAsThrift({
        source: fs.readFileSync(file, 'utf8'),
        strict: false,
        channel: chan,
        logger: logger
    });
    extra.getServiceEndpoints().forEach(function registerEndpoint(endpoint) {
        if (chan.handler.endpoints && chan.handler.endpoints[endpoint]) {
            return;
        }
        extra.register(chan, endpoint, null, echoThriftEndpoint(extra.spec, endpoint));
    });
});

// -------------------------------------------------------------------- listen

root.on('listening', function onListening() {
    var addr = root.hostPort;
    if (!routers.length) {
        process.stdout.write('listening on ' + addr + '\n');
        return;
    }
    var hyperbahn = new HyperbahnClient({
        tchannel: root,
        serviceName: serviceName,
        callerName: serviceName,
        hostPortList: routers,
        hardFail: false,
        reportTracing: false,
        logger: logger
    });
    var printed = false;
    hyperbahn.on('advertised', function onAdvertised() {
        if (!printed) {
            printed = true;
            process.stdout.write('listening on ' + addr + '\n');
        }
    });
    hyperbahn.on('error', function onError(err) {
        process.stderr.write('advertise failed: ' + (err && err.message) + '\n');
    });
    hyperbahn.advertise();
});

root.listen(port, host);

process.on('SIGTERM', function onTerm() {
    root.close(function closed() {
        process.exit(0);
    });
    setTimeout(function exitNow() { process.exit(0); }, 2000).unref();
});
common.exitWithParent();
