'use strict';
// process-reporter requires 'gc-stats/binding' directly and registers a GC
// callback; the stand-in never calls it.
exports.afterGC = function afterGC() {};
