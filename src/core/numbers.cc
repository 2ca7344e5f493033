#include "core/numbers.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace nbapc {

namespace {

// 10^0 .. 10^22: every one is an exact double.
constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// Largest |integer| handled by the fast paths: far below 2^53, so the integer
// and its neighbours are exact doubles and products carry at most one
// rounding error that is tiny next to the distance to a half-integer.
constexpr double kFastIntLimit = 1e15;

}  // namespace

double RoundPy(double x, int ndigits) {
  if (!std::isfinite(x)) return x;
  // Fast path: y = x * 10^n carries one rounding error (relative <= 2^-53).
  // When y is clearly not near a half-integer, the correctly rounded decimal
  // is m / 10^n with m = the integer nearest to the exact x * 10^n, and the
  // double nearest to it is the correctly rounded quotient m / 10^n (m and
  // 10^n exact) -- the value the parse below would give. Near-ties (and
  // exact ties) take the exact path.
  if (ndigits >= 0 && ndigits <= 22) {
    const double y = x * kPow10[ndigits];
    if (std::fabs(y) < kFastIntLimit) {
      const double floor_y = std::floor(y);
      const double frac = y - floor_y;  // exact for |y| < 2^52
      const double margin = std::fabs(y) * 1e-15 + 1e-300;
      if (std::fabs(frac - 0.5) > margin) {
        const double m = frac > 0.5 ? floor_y + 1.0 : floor_y;
        double out = m / kPow10[ndigits];
        if (out == 0.0) out = 0.0;  // -0.0 -> +0.0
        return out;
      }
    }
  }
  char buf[512];
  auto res = std::to_chars(buf, buf + sizeof(buf), x, std::chars_format::fixed, ndigits);
  double out = 0.0;
  std::from_chars(buf, res.ptr, out);
  if (out == 0.0) out = 0.0;  // -0.0 -> +0.0
  return out;
}

std::optional<double> RoundPy(const std::optional<double>& x, int ndigits) {
  if (!x) return std::nullopt;
  return RoundPy(*x, ndigits);
}

std::string FormatFloat(double x) {
  std::string out;
  AppendFormatFloat(out, x);
  return out;
}

void AppendFormatFloat(std::string& out, double x) {
  if (std::isnan(x)) {
    out += "nan";
    return;
  }
  if (std::isinf(x)) {
    out += x > 0 ? "inf" : "-inf";
    return;
  }
  if (x == 0.0) {  // spec: zero (either sign) is written 0.0
    out += "0.0";
    return;
  }
  // Fast path for positional values with at most 15 significant digits:
  // the smallest d such that x = double(m / 10^d) for the integer m nearest
  // to x * 10^d. Such a decimal round-trips to x, no decimal with fewer
  // digits does (it would have been found at a smaller d), and no other
  // decimal of the same length does (15-digit decimals are > 4 ulp apart), so
  // it is the shortest round-trip repr that the general path computes.
  {
    const double ax = std::fabs(x);
    if (ax >= 1e-4 && ax < kFastIntLimit) {
      for (int d = 0; d <= 12; ++d) {  // longer fractions: the general path
        const double m = std::nearbyint(ax * kPow10[d]);
        if (m >= kFastIntLimit) break;
        if (m / kPow10[d] != ax) continue;
        // m has no trailing zero when d > 0 (else d - 1 would have matched).
        char digits[24];
        auto res = std::to_chars(digits, digits + sizeof(digits), static_cast<int64_t>(m));
        const int ndig = static_cast<int>(res.ptr - digits);
        if (x < 0) out += '-';
        if (d == 0) {
          out.append(digits, res.ptr);
          out += ".0";
        } else if (ndig > d) {
          out.append(digits, static_cast<size_t>(ndig - d));
          out += '.';
          out.append(digits + (ndig - d), static_cast<size_t>(d));
        } else {
          out += "0.";
          out.append(static_cast<size_t>(d - ndig), '0');
          out.append(digits, static_cast<size_t>(ndig));
        }
        return;
      }
    }
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), x, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
  // sci = [-]d[.ddd]e±XX
  const bool negative = sci.front() == '-';
  if (negative) sci.remove_prefix(1);
  const size_t epos = sci.find('e');
  const std::string_view mantissa = sci.substr(0, epos);
  int exponent = 0;
  {
    std::string_view exp_text = sci.substr(epos + 1);
    const bool exp_negative = !exp_text.empty() && exp_text.front() == '-';
    if (!exp_text.empty() && (exp_text.front() == '-' || exp_text.front() == '+')) exp_text.remove_prefix(1);
    for (char c : exp_text) exponent = exponent * 10 + (c - '0');
    if (exp_negative) exponent = -exponent;
  }
  // Significant digits without the decimal point (at most 17).
  char digit_buf[32];
  size_t ndigits = 0;
  for (char c : mantissa) {
    if (c != '.') digit_buf[ndigits++] = c;
  }
  const std::string_view digits(digit_buf, ndigits);
  if (negative) out += '-';
  if (exponent >= -4 && exponent < 16) {
    const int ndig = static_cast<int>(digits.size());
    if (exponent < 0) {
      out += "0.";
      out.append(static_cast<size_t>(-exponent - 1), '0');
      out += digits;
    } else if (exponent + 1 >= ndig) {
      out += digits;
      out.append(static_cast<size_t>(exponent + 1 - ndig), '0');
      out += ".0";
    } else {
      out += digits.substr(0, static_cast<size_t>(exponent + 1));
      out += '.';
      out += digits.substr(static_cast<size_t>(exponent + 1));
    }
    return;
  }
  out += digits.substr(0, 1);
  if (digits.size() > 1) {
    out += '.';
    out += digits.substr(1);
  }
  char exp_buf[16];
  std::snprintf(exp_buf, sizeof(exp_buf), "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
  out += exp_buf;
}

}  // namespace nbapc
