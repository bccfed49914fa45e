#!/usr/bin/env node
'use strict';
// Starts the real Hyperbahn router (npm hyperbahn@2.20.1, from peers/node_modules)
// on 127.0.0.1 as a one-node ring bootstrapped with itself, and prints exactly
// one line `listening on HOST:PORT` on stdout once it accepts calls.
//
// Usage: node peers/hyperbahn/start.js [--port P] [--host H] [--verbose]
//   --port P    TChannel port (default 0: ephemeral)
//   --host H    address to bind (default 127.0.0.1; must be dotted-quad IPv4)
//   --verbose   Hyperbahn's own logs (logtron console backend) on stderr
//
// This replaces hyperbahn's server.js main(), which reads its config from
// node_modules/hyperbahn/config (logs to /var/log, statsd, a host picked
// from the machine's interfaces). It builds the same Application from
// peers/hyperbahn/config.json instead. SIGTERM drains and exits
// (hyperbahn's own handler); SIGINT exits at once.

var net = require('net');
var os = require('os');
var path = require('path');

var PEERS = path.resolve(__dirname, '..');
var HB = path.join(PEERS, 'node_modules', 'hyperbahn');

var argv = require(path.join(PEERS, 'node_modules', 'minimist'))(process.argv.slice(2), {
    string: ['host'],
    boolean: ['verbose']
});
var host = argv.host || '127.0.0.1';
var port = argv.port === undefined ? 0 : Number(argv.port);

// Everything the router writes goes to stderr: stdout carries only our line.
var writeStdout = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr);

// The REPL and the HTTP control server call listen(port) with no host,
// which binds every interface. Bind such side servers to the router's host.
var origListen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenLocal() {
    var args = Array.prototype.slice.call(arguments);
    var first = args[0];
    if ((first === undefined || first === null || typeof first === 'number') &&
        typeof args[1] !== 'string') {
        args.splice(0, 1, first || 0, host);
    }
    return origListen.apply(this, args);
};

// hyperbahn 2.20.1 ships tchannel 3.10.1 in its own node_modules, but ringpop
// (hoisted next to it) requires 'tchannel' without declaring it and would get
// the top-level tchannel 4.0.1; tchannel refuses to load two versions in one
// process. Resolve every 'tchannel' request the way hyperbahn itself does.
var Module = require('module');
var origResolve = Module._resolveFilename;
Module._resolveFilename = function resolveTChannel(request, parent, isMain, options) {
    if (request === 'tchannel' || request.indexOf('tchannel/') === 0) {
        return origResolve.call(this, request, parent, isMain, {paths: [HB]});
    }
    return origResolve.call(this, request, parent, isMain, options);
};

var StaticConfig = require(path.join(PEERS, 'node_modules', 'static-config'));
var Application = require(path.join(HB, 'app.js'));

var config = StaticConfig({
    files: [path.join(__dirname, 'config.json')],
    seedConfig: {
        'tchannel.host': host,
        'clients.logtron.console': Boolean(argv.verbose),
        'clients.remote-config.file': path.join(__dirname, 'remote-config.json'),
        'clients.uncaught-exception.file': path.join(os.tmpdir(), 'hyperbahn-interop-uncaught.log'),
        'clients.heapsnapshot': {folder: path.join(os.tmpdir(), 'hyperbahn-heap-snapshots')}
    }
});

var app = Application(config, {
    argv: {port: port, host: host, controlPort: 0},
    processTitle: 'hyperbahn-interop'
});

process.on('uncaughtException', function logToStderr(err) {
    process.stderr.write('hyperbahn uncaught exception: ' + (err && err.stack || err) + '\n');
});
process.on('uncaughtException', app.clients.onError);

// raynos-replr's close(cb) calls cb unconditionally, hyperbahn's destroy()
// passes none: without this the SIGTERM drain ends in a TypeError.
var replClose = app.clients.repl.close;
app.clients.repl.close = function closeRepl(cb) {
    return replClose.call(this, typeof cb === 'function' ? cb : function noop() {});
};
app.hookupSignals();
// Whatever the drain does, be gone a few seconds after SIGTERM.
var terminating = false;
process.on('SIGTERM', function hardStop() {
    terminating = true;
    setTimeout(function exitNow() { process.exit(0); }, 5000).unref();
});
// After the drain hyperbahn destroys the app, and ringpop's destroy throws
// (a TypeError on a timer it never started): exit as soon as the drain is over.
var appDestroy = app.destroy;
app.destroy = function destroyThenExit(opts) {
    try {
        appDestroy.call(app, opts);
    } catch (err) {
        if (!terminating) {
            throw err;
        }
    }
    if (terminating) {
        setImmediate(function exitNow() { process.exit(0); });
    }
};

// A one-node ring whose bootstrap list is the router itself. Its port is
// known only once it listens; ringpop is set up after that, so fill the
// list in from the 'listening' event.
// (tchannel 3's channel has on() but no once().)
app.clients.tchannel.on('listening', function onListening() {
    if (!app.clients.autobahnHostPortList) {
        app.clients.autobahnHostPortList = [app.clients.tchannel.hostPort];
    }
});

app.bootstrapAndListen(function onReady(err) {
    if (err) {
        process.stderr.write('hyperbahn failed to start: ' + (err.stack || err) + '\n');
        process.exit(1);
        return;
    }
    writeStdout('listening on ' + app.clients.tchannel.hostPort + '\n');
});

// Do not outlive the process that started us (a test that crashed).
var parentPid = process.ppid;
setInterval(function watchParent() {
    if (process.ppid !== parentPid) {
        process.exit(0);
    }
}, 1000).unref();
