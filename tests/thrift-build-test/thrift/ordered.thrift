/** Compiled with `ordered_doubles(true)`: every type keeps `Eq`, `Hash` and `Ord`. */

typedef double Ratio

struct Measure {
  1: double value = 1.5,
  2: list<double> samples,
  3: optional Ratio ratio,
}

const double HALF = 0.5
const list<double> STEPS = [0.25, 0.5]

service Meter {
  double scale(1: double by, 2: Measure m)
}
