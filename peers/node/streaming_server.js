#!/usr/bin/env node
'use strict';
// tchannel-node 4.0.1 streaming server for the streaming interop tests: service
// `test_as_raw` with `echo` and `streaming_echo`, registered by tchannel-node's
// own test helper (node_modules/tchannel/test/lib/raw_service.js), the service the
// cross-language streaming bisect test calls.
//
// node peers/node/streaming_server.js [--host H] [--port P]
//
// Prints exactly one line `listening on HOST:PORT` on stdout once it serves calls.

var common = require('./common.js');
var TChannel = require('tchannel');
var setupRawTestService = require('tchannel/test/lib/raw_service');

var args = common.parseArgs(process.argv.slice(2), []);
var host = args.host || '127.0.0.1';
var port = args.port === undefined ? 0 : Number(args.port);

var root = new TChannel({logger: common.stderrLogger(false)});
setupRawTestService(root.makeSubChannel({serviceName: 'test_as_raw'}));

root.on('listening', function onListening() {
    var a = root.address();
    process.stdout.write('listening on ' + a.address + ':' + a.port + '\n');
});
root.listen(port, host);
