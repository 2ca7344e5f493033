#include "core/hash.h"

#include <openssl/evp.h>

#include <algorithm>

#include "core/numbers.h"

namespace nbapc {
namespace {

std::string ToHex(const unsigned char* data, unsigned int len) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int idx = 0; idx < len; ++idx) {
    out.push_back(kHex[data[idx] >> 4]);
    out.push_back(kHex[data[idx] & 0xF]);
  }
  return out;
}

std::string_view TrimAscii(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr);
}

Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void Sha256::Update(std::string_view bytes) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), bytes.data(), bytes.size());
}

std::string Sha256::HexDigest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), digest, &len);
  return ToHex(digest, len);
}

std::string Sha256Hex(std::string_view bytes) {
  Sha256 sha;
  sha.Update(bytes);
  return sha.HexDigest();
}

std::string HashFieldText(const Value& value) {
  struct Visitor {
    std::string operator()(std::monostate) const { return "NULL"; }
    std::string operator()(bool b) const { return b ? "True" : "False"; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return FormatFloat(d); }
    std::string operator()(const std::string& s) const { return std::string(TrimAscii(s)); }
  };
  return std::visit(Visitor{}, value);
}

std::string PyListText(const std::vector<Value>& items) {
  std::string out = "[";
  for (size_t idx = 0; idx < items.size(); ++idx) {
    if (idx > 0) out += ", ";
    const Value& item = items[idx];
    if (const auto* s = std::get_if<std::string>(&item)) {
      out += '\'';
      out += *s;
      out += '\'';
    } else if (IsNull(item)) {
      out += "None";
    } else {
      out += HashFieldText(item);
    }
  }
  out += "]";
  return out;
}

std::string CanonicalHashString(std::vector<std::pair<std::string, std::string>> fields) {
  std::sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (size_t idx = 0; idx < fields.size(); ++idx) {
    if (idx > 0) out += '|';
    out += fields[idx].first;
    out += ':';
    out += fields[idx].second;
  }
  return out;
}

std::string DataHash(std::vector<std::pair<std::string, std::string>> fields) {
  return Sha256Hex(CanonicalHashString(std::move(fields))).substr(0, 16);
}

}  // namespace nbapc
