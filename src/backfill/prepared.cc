#include "backfill/prepared.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/hash.h"
#include "core/version.h"

namespace nbapc::backfill {

Result<std::unique_ptr<PreparedProcessor>> Prepare(const ProcessorInfo& info, PrepareContext& context) {
  if (info.alias == "tdza") return PrepareTdza(context);
  if (info.alias == "psza") return PreparePsza(context);
  if (info.alias == "pdc") return PreparePdc(context);
  if (info.alias == "pcf") return PreparePcf(context);
  if (info.alias == "mlfs") return PrepareMlfs(context);
  return Status::Internal(fmt::format("no adapter for processor {}", info.name));
}

Status LoadInputsOf(const ProcessorInfo& info, InputStore& inputs) {
  // The getters each adapter calls (adapter_<alias>.cc).
  if (info.alias == "tdza") return inputs.TeamDefense().status();
  NBAPC_RETURN_IF_ERROR(inputs.PlayerGames().status());
  if (info.alias == "psza") return Status::Ok();
  NBAPC_RETURN_IF_ERROR(inputs.TeamOffense().status());
  NBAPC_RETURN_IF_ERROR(inputs.UpcomingPlayers().status());
  return inputs.Schedule().status();
}

std::string OutputHash(std::vector<std::pair<std::string_view, std::string_view>> entity_hashes) {
  std::sort(entity_hashes.begin(), entity_hashes.end());
  Sha256 sha;
  for (const auto& [entity, hash] : entity_hashes) {
    sha.Update(entity);
    sha.Update("\t");
    sha.Update(hash);
    sha.Update("\n");
  }
  return sha.HexDigest().substr(0, 16);
}

Result<Row> ToOutputRow(const store::TableDef& table, processors::NamedValues&& values,
                        const std::string& processed_at) {
  Row row(table.columns.size());
  size_t guess = 0;
  for (auto& [name, value] : values) {
    // Processors emit columns in table order: try the next position first.
    int idx = guess < table.columns.size() && table.columns[guess].name == name ? static_cast<int>(guess)
                                                                               : table.ColumnIndex(name);
    guess = static_cast<size_t>(idx) + 1;
    if (idx < 0) return Status::Internal(fmt::format("{} has no column {}", table.FullName(), name));
    if (const double* d = std::get_if<double>(&value); d && !std::isfinite(*d)) {
      return Status::Internal(fmt::format("column {} is {} (a computed NaN/Inf is a bug)", name, *d));
    }
    row[static_cast<size_t>(idx)] = std::move(value);
  }
  // The two write-time columns close every output table: look from the end
  // (this runs for every row written).
  const auto from_back = [&table](std::string_view column) {
    for (size_t idx = table.columns.size(); idx-- > 0;) {
      if (table.columns[idx].name == column) return static_cast<int>(idx);
    }
    return -1;
  };
  int processed_idx = from_back("processed_at");
  int version_idx = from_back("engine_version");
  if (processed_idx >= 0) row[static_cast<size_t>(processed_idx)] = processed_at;
  if (version_idx >= 0) row[static_cast<size_t>(version_idx)] = std::string(kEngineVersion);
  for (size_t idx = 0; idx < table.columns.size(); ++idx) {
    if (!table.columns[idx].nullable && IsNull(row[idx])) {
      return Status::Internal(fmt::format("NOT NULL column {} of {} has no value", table.columns[idx].name,
                                          table.FullName()));
    }
  }
  return row;
}

}  // namespace nbapc::backfill
