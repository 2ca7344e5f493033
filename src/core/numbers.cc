#include "core/numbers.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace nbapc {

double RoundPy(double x, int ndigits) {
  if (!std::isfinite(x)) return x;
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
