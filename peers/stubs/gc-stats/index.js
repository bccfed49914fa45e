'use strict';
// No-op stand-in for the native `gc-stats` addon (does not build on Node 20):
// returns an emitter that never emits 'stats'. `gc-stats/binding` is in binding.js.
var EventEmitter = require('events').EventEmitter;
module.exports = function gcStats() { return new EventEmitter(); };
