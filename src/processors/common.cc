#include "processors/common.h"

#include <algorithm>

namespace nbapc::processors {

void NameRanker::Finish() {
  std::vector<uint32_t> by_name(names_.size());
  for (uint32_t slot = 0; slot < by_name.size(); ++slot) by_name[slot] = slot;
  std::sort(by_name.begin(), by_name.end(), [this](uint32_t a, uint32_t b) { return names_[a] < names_[b]; });
  rank_.assign(names_.size(), 0);
  sorted_.resize(names_.size());
  for (uint32_t rank = 0; rank < by_name.size(); ++rank) {
    rank_[by_name[rank]] = rank;
    sorted_[rank] = names_[by_name[rank]];
  }
}

}  // namespace nbapc::processors
