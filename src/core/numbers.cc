#include "core/numbers.h"

#include <charconv>
#include <cmath>
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
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  if (x == 0.0) return "0.0";  // spec: zero (either sign) is written 0.0
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), x, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
  // sci = [-]d[.ddd]e±XX
  bool negative = sci.front() == '-';
  if (negative) sci.remove_prefix(1);
  size_t epos = sci.find('e');
  std::string_view mantissa = sci.substr(0, epos);
  int exponent = std::atoi(std::string(sci.substr(epos + 1)).c_str());
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits.push_back(c);
  }
  std::string out = negative ? "-" : "";
  if (exponent >= -4 && exponent < 16) {
    int ndig = static_cast<int>(digits.size());
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
    return out;
  }
  out += digits.substr(0, 1);
  if (digits.size() > 1) {
    out += '.';
    out += digits.substr(1);
  }
  char exp_buf[16];
  std::snprintf(exp_buf, sizeof(exp_buf), "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
  out += exp_buf;
  return out;
}

}  // namespace nbapc
