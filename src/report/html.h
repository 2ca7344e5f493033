#pragma once
// Small HTML helpers of the report (spec/validation.md §8): escaping, the
// external-resource scan the rules demand, and deterministic number text.
// Pure functions; thread-safe.

#include <string>
#include <string_view>
#include <vector>

namespace nbapc::report {

// Escapes text for element content and double-quoted attribute values:
// & < > " ' become entities. A "://" sequence is written as ":&#47;&#47;" so
// that user text (a --title, a store message) never puts a literal
// "http://" into the file (§8: no "http://" anywhere); browsers display it
// unchanged.
std::string HtmlEscape(std::string_view text);

// Appends HtmlEscape(text) to `out`.
void AppendEscaped(std::string& out, std::string_view text);

// Scans a finished document for anything that would load an external
// resource (§8 rules): "http://", "https://", "<link", "<script" with a src,
// "src=" / "href=" to anything but "#fragment", "url(" not followed by '#',
// "@import", "@font-face", "xlink:href" to a non-fragment, "//" protocol-
// relative references in src/href. Returns one human-readable finding per
// occurrence (empty = clean). Case-insensitive.
std::vector<std::string> FindExternalResources(std::string_view html);

// Deterministic short number text for labels and captions: "-0" never
// appears; integers print without a fraction; otherwise up to `digits`
// significant digits without trailing zeros ("0.5", "91.32", "1.2e-05").
std::string ShortNumber(double value, int digits = 4);

// Fixed decimals ("92.5"), "-0.0" normalised to "0.0".
std::string Fixed(double value, int decimals);

// Thousands separators for counts ("171,244").
std::string Count(long long value);

}  // namespace nbapc::report
