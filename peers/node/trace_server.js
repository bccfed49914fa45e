#!/usr/bin/env node
'use strict';
// tchannel-node 4.0.1 trace relay, for the tracing interop test. See peers/README.md.
//
// node peers/node/trace_server.js [--service NAME] [--host H] [--port P] [--verbose]
//
// Serves one json endpoint, `relay`, with body {"leaf": "HOST:PORT", "service": NAME,
// "endpoint": NAME}. It calls that endpoint (json, empty body) on the leaf as a child of
// the inbound request (`parent: req`, as a tchannel-node service does), and answers
//   {"received": <tracing field of the inbound call>,
//    "sent":     <tracing field of the call to the leaf>,
//    "leaf":     <the leaf's json response body>}
// with tracing fields as {"span_id", "parent_id", "trace_id" (16 hex digits), "flags"}.
// Prints exactly one line `listening on HOST:PORT` on stdout once it serves calls.

var common = require('./common.js');
var TChannel = require('tchannel');
var TChannelJSON = require('tchannel/as/json');

var args = common.parseArgs(process.argv.slice(2), ['verbose']);
var serviceName = args.service || 'trace-relay';
var host = args.host || '127.0.0.1';
var port = args.port === undefined ? 0 : Number(args.port);

var logger = common.stderrLogger(Boolean(args.verbose));
// trace: true is tchannel-node's default; a sample rate of 1 keeps every new root.
var root = new TChannel({logger: logger, trace: true, traceSample: 1});
var chan = root.makeSubChannel({serviceName: serviceName});
var tchannelJSON = new TChannelJSON({logger: logger});
var outChannels = Object.create(null);

function subChannel(service) {
    if (!outChannels[service]) {
        outChannels[service] = root.makeSubChannel({serviceName: service});
    }
    return outChannels[service];
}

tchannelJSON.register(chan, 'relay', {}, function relay(opts, req, head, body, cb) {
    var received = common.tracingHex(req.tracing);
    var sub = subChannel(body.service);
    // tchannel-node makes a host-pinned request only on an identified connection.
    sub.waitForIdentified({host: body.leaf}, function onIdentified(idErr) {
        if (idErr) {
            return cb(idErr);
        }
        var out = sub.request({
            serviceName: body.service,
            host: body.leaf,
            parent: req,
            timeout: 2000,
            headers: {cn: serviceName},
            retryLimit: 0
        });
        tchannelJSON.send(out, body.endpoint, null, {}, function onLeaf(err, res) {
            if (err) {
                return cb(err);
            }
            cb(null, {
                ok: true,
                head: null,
                body: {received: received, sent: common.tracingHex(out.tracing), leaf: res.body}
            });
        });
    });
});

root.on('listening', function onListening() {
    process.stdout.write('listening on ' + root.hostPort + '\n');
});
root.listen(port, host);
common.exitWithParent();
