#pragma once
// Number rules shared by every processor (spec/README.md §8.2, pcf.md §6).

#include <cstdint>
#include <optional>
#include <string>

namespace nbapc {

// Python round(x, ndigits): correctly rounded from the exact binary value,
// exact ties to even (README §8.2). Implemented as to_chars(fixed, n) and parse
// back, never as round(x * 10^n) / 10^n. A zero result is +0.0.
double RoundPy(double x, int ndigits);

// Optional-aware rounding: NULL stays NULL.
std::optional<double> RoundPy(const std::optional<double>& x, int ndigits);

// Python repr(float): shortest round-trip digits; positional when the decimal
// exponent e satisfies -4 <= e < 16 (with at least one fractional digit),
// otherwise d[.ddd]e±XX (pcf.md §6 `format_float`).
std::string FormatFloat(double x);

// Appends FormatFloat(x) to `out` (same text, no temporary string).
void AppendFormatFloat(std::string& out, double x);

// Division by zero gives NULL (README §8.5).
inline std::optional<double> SafeDiv(double num, double den) {
  if (den == 0.0) return std::nullopt;
  return num / den;
}

}  // namespace nbapc
