'use strict';
// JS stand-in for the native `toobusy` addon (does not build on Node 20):
// the process is never too busy and its event-loop lag is always 0.
var maxLag = 70;
function toobusy() { return false; }
toobusy.lag = function lag() { return 0; };
toobusy.maxLag = function setMaxLag(n) { if (typeof n === 'number') { maxLag = n; } return maxLag; };
toobusy.interval = function interval(n) { return n; };
toobusy.shutdown = function shutdown() {};
toobusy.started = function started() { return true; };
module.exports = toobusy;
