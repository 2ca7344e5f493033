#include "report/html.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

namespace nbapc::report {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Value of the attribute starting at `pos` (just after `name=`), without quotes.
std::string AttributeValue(std::string_view lower, size_t pos) {
  if (pos >= lower.size()) return "";
  char quote = lower[pos];
  if (quote == '"' || quote == '\'') {
    size_t end = lower.find(quote, pos + 1);
    return std::string(lower.substr(pos + 1, end == std::string_view::npos ? std::string_view::npos : end - pos - 1));
  }
  size_t end = pos;
  while (end < lower.size() && !std::isspace(static_cast<unsigned char>(lower[end])) && lower[end] != '>') ++end;
  return std::string(lower.substr(pos, end - pos));
}

// Start of the tag enclosing `pos` ('<' after the last '>'), or npos when
// `pos` lies in text content.
size_t EnclosingTag(std::string_view lower, size_t pos) {
  size_t open = lower.rfind('<', pos);
  if (open == std::string_view::npos) return open;
  size_t close = lower.rfind('>', pos);
  if (close != std::string_view::npos && close > open) return std::string_view::npos;
  return open;
}

// True when `pos` starts an attribute name (preceded by whitespace inside a tag).
bool AtAttributeStart(std::string_view lower, size_t pos) {
  return pos > 0 && std::isspace(static_cast<unsigned char>(lower[pos - 1])) &&
         EnclosingTag(lower, pos) != std::string_view::npos;
}

}  // namespace

void AppendEscaped(std::string& out, std::string_view text) {
  for (size_t idx = 0; idx < text.size(); ++idx) {
    char c = text[idx];
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case ':':
        if (text.substr(idx, 3) == "://") {
          out += ":&#47;&#47;";
          idx += 2;
        } else {
          out += c;
        }
        break;
      default: out += c;
    }
  }
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  AppendEscaped(out, text);
  return out;
}

std::vector<std::string> FindExternalResources(std::string_view html) {
  std::vector<std::string> findings;
  std::string lower = Lower(html);
  auto each = [&](std::string_view needle, auto&& on_hit) {
    for (size_t pos = lower.find(needle); pos != std::string::npos; pos = lower.find(needle, pos + 1)) on_hit(pos);
  };
  auto context = [&](size_t pos) {
    std::string snippet(html.substr(pos, 60));
    std::replace(snippet.begin(), snippet.end(), '\n', ' ');
    return snippet;
  };
  each("http://", [&](size_t pos) { findings.push_back("http:// at byte " + std::to_string(pos) + ": " + context(pos)); });
  each("https://", [&](size_t pos) { findings.push_back("https:// at byte " + std::to_string(pos) + ": " + context(pos)); });
  each("<link", [&](size_t pos) { findings.push_back("<link> at byte " + std::to_string(pos) + ": " + context(pos)); });
  each("@import", [&](size_t pos) { findings.push_back("@import at byte " + std::to_string(pos)); });
  each("@font-face", [&](size_t pos) { findings.push_back("@font-face at byte " + std::to_string(pos)); });
  each("url(", [&](size_t pos) {
    size_t arg = pos + 4;
    while (arg < lower.size() && (lower[arg] == ' ' || lower[arg] == '"' || lower[arg] == '\'')) ++arg;
    if (arg >= lower.size() || lower[arg] != '#') findings.push_back("url() at byte " + std::to_string(pos) + ": " + context(pos));
  });
  for (std::string_view attr : {"src=", "href=", "xlink:href=", "srcset=", "poster=", "data="}) {
    each(attr, [&](size_t pos) {
      if (!AtAttributeStart(lower, pos)) return;
      std::string value = AttributeValue(lower, pos + attr.size());
      // Only in-document fragments are allowed; <script src> is never allowed.
      bool is_script_src = attr == "src=" && lower.compare(EnclosingTag(lower, pos), 7, "<script") == 0;
      if (is_script_src || value.empty() || value[0] != '#') {
        findings.push_back(std::string(attr) + " at byte " + std::to_string(pos) + ": " + context(pos));
      }
    });
  }
  return findings;
}

std::string ShortNumber(double value, int digits) {
  if (!std::isfinite(value)) return std::isnan(value) ? "NaN" : (value > 0 ? "inf" : "-inf");
  if (value == 0.0) return "0";
  if (value == std::floor(value) && std::fabs(value) < 1e15) return fmt::format("{:.0f}", value);
  std::string text = fmt::format("{:.{}g}", value, digits);
  if (text == "-0") return "0";
  return text;
}

std::string Fixed(double value, int decimals) {
  std::string text = fmt::format("{:.{}f}", value, decimals);
  if (text[0] == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
  return text;
}

std::string Count(long long value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  int since = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (since == 3) {
      out += ',';
      since = 0;
    }
    out += *it;
    ++since;
  }
  if (value < 0) out += '-';
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace nbapc::report
