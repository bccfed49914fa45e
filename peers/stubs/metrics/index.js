'use strict';
// Stand-in for the npm package `metrics`, which the registry answers with 404.
// tchannel uses it only in its own benchmarks; ringpop instantiates Meter and
// Histogram and reads a few fields. Everything here is a no-op.
function Meter() {
    this.count = 0;
}
Meter.prototype.mark = function mark(n) { this.count += (n === undefined ? 1 : n); };
Meter.prototype.rates = function rates() { return {1: 0, 5: 0, 15: 0, mean: 0}; };
Meter.prototype.meanRate = function meanRate() { return 0; };
Meter.prototype.oneMinuteRate = function oneMinuteRate() { return 0; };
Meter.prototype.fiveMinuteRate = function fiveMinuteRate() { return 0; };
Meter.prototype.fifteenMinuteRate = function fifteenMinuteRate() { return 0; };
Meter.prototype.printObj = function printObj() { return {type: 'meter', count: this.count}; };
Meter.prototype.tick = function tick() {};

function Histogram() {
    this.count = 0;
}
Histogram.createUniformHistogram = function createUniformHistogram() { return new Histogram(); };
Histogram.createExponentialDecayHistogram = function createExponentialDecayHistogram() { return new Histogram(); };
Histogram.prototype.update = function update() { this.count += 1; };
Histogram.prototype.clear = function clear() { this.count = 0; };
Histogram.prototype.percentiles = function percentiles(ps) {
    var out = {};
    (ps || [0.5, 0.75, 0.95, 0.99, 0.999]).forEach(function each(p) { out[p] = 0; });
    return out;
};
Histogram.prototype.mean = function mean() { return 0; };
Histogram.prototype.variance = function variance() { return 0; };
Histogram.prototype.stdDev = function stdDev() { return 0; };
Histogram.prototype.printObj = function printObj() { return {type: 'histogram', count: this.count}; };

function Counter() { this.count = 0; }
Counter.prototype.inc = function inc(n) { this.count += (n === undefined ? 1 : n); };
Counter.prototype.dec = function dec(n) { this.count -= (n === undefined ? 1 : n); };
Counter.prototype.clear = function clear() { this.count = 0; };
Counter.prototype.printObj = function printObj() { return {type: 'counter', count: this.count}; };

function Timer() { Meter.call(this); this.histogram = new Histogram(); }
Timer.prototype = Object.create(Meter.prototype);
Timer.prototype.update = function update() { this.mark(); };

function Report() {}
Report.prototype.addMetric = function addMetric() {};
Report.prototype.summary = function summary() { return {}; };

module.exports = {
    Meter: Meter,
    Histogram: Histogram,
    Counter: Counter,
    Timer: Timer,
    Report: Report
};
