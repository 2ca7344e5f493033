#include "core/hash.h"

#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <memory>

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

// SHA-256 of `bytes` into `digest` (32 bytes) with the algorithm fetched once
// and one digest context per thread (OpenSSL 3 would otherwise fetch the
// algorithm on every init).
void Sha256Digest(std::string_view bytes, unsigned char* digest, unsigned int* len) {
  static EVP_MD* const kMd = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  struct CtxFree {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  thread_local std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  EVP_DigestInit_ex(ctx.get(), kMd != nullptr ? kMd : EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size());
  EVP_DigestFinal_ex(ctx.get(), digest, len);
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
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  Sha256Digest(bytes, digest, &len);
  return ToHex(digest, len);
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

DateText::DateText(Date date) {
  const Ymd ymd = ToYmd(date);
  if (ymd.year < 0 || ymd.year > 9999) {  // not a warehouse date: as ToString
    const std::string text = date.ToString();
    size_ = std::min(text.size(), sizeof(text_));
    text.copy(text_, size_);
    return;
  }
  // Zero-padded like ToString's {:04d}-{:02d}-{:02d}.
  const auto put = [](char* at, int value, int width) {
    for (int pos = width - 1; pos >= 0; --pos) {
      at[pos] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(text_, ymd.year, 4);
  text_[4] = '-';
  put(text_ + 5, ymd.month, 2);
  text_[7] = '-';
  put(text_ + 8, ymd.day, 2);
  size_ = 10;
}

void AppendHashFieldText(std::string& out, const HashValue& value) {
  // Same texts as HashFieldText (tdza.md §14).
  switch (value.index()) {
    case 0:
      out += "NULL";
      return;
    case 1:
      out += std::get<bool>(value) ? "True" : "False";
      return;
    case 2: {
      char buf[24];
      auto res = std::to_chars(buf, buf + sizeof(buf), std::get<int64_t>(value));
      out.append(buf, res.ptr);
      return;
    }
    case 3:
      AppendFormatFloat(out, std::get<double>(value));
      return;
    default:
      out += TrimAscii(std::get<std::string_view>(value));
      return;
  }
}

std::vector<uint8_t> SortedFieldOrder(std::span<const std::string_view> names) {
  std::vector<uint8_t> order(names.size());
  for (size_t idx = 0; idx < names.size(); ++idx) order[idx] = static_cast<uint8_t>(idx);
  std::stable_sort(order.begin(), order.end(), [&](uint8_t a, uint8_t b) { return names[a] < names[b]; });
  return order;
}

std::string DataHashOrdered(std::span<const std::string_view> names, std::span<const HashValue> values,
                            std::span<const uint8_t> order) {
  thread_local std::string canonical;
  canonical.clear();
  for (size_t pos = 0; pos < order.size(); ++pos) {
    if (pos > 0) canonical += '|';
    const uint8_t field = order[pos];
    canonical += names[field];
    canonical += ':';
    AppendHashFieldText(canonical, values[field]);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  Sha256Digest(canonical, digest, &len);
  // First 16 hex digits = the first 8 digest bytes.
  return ToHex(digest, 8);
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
