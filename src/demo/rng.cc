#include "demo/rng.h"

namespace nbapc::demo {
namespace {

inline uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

uint64_t Fnv1a64(std::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

uint64_t SplitMix64::Next() {
  state_ += 0x9e3779b97f4a7c15ULL;
  uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Rng::Rng(uint64_t seed) {
  SplitMix64 sm(seed);
  for (uint64_t& word : s_) word = sm.Next();
}

uint64_t Rng::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

double Rng::Uniform01() { return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0); }

double Rng::Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform01(); }

int Rng::UniformInt(int lo, int hi) {
  if (hi <= lo) return lo;
  const double span = static_cast<double>(hi - lo + 1);
  int value = lo + static_cast<int>(Uniform01() * span);
  return value > hi ? hi : value;
}

double Rng::Normal(double mu, double sigma) {
  double sum = 0.0;
  for (int draw = 0; draw < 12; ++draw) sum += Uniform01();
  return mu + sigma * (sum - 6.0);
}

int Rng::Binomial(int n, double p) {
  int successes = 0;
  for (int trial = 0; trial < n; ++trial) {
    if (Uniform01() < p) ++successes;
  }
  return successes;
}

int Rng::Geometric(double p) {
  int trials = 1;
  while (!(Uniform01() < p)) ++trials;
  return trials;
}

size_t Rng::Categorical(std::span<const double> weights) {
  double total = 0.0;
  for (double w : weights) total += w;
  const double target = Uniform01() * total;
  double cumulative = 0.0;
  size_t last_positive = 0;
  for (size_t idx = 0; idx < weights.size(); ++idx) {
    if (weights[idx] <= 0.0) continue;
    cumulative += weights[idx];
    last_positive = idx;
    if (target < cumulative) return idx;
  }
  return last_positive;
}

Rng Stream(uint64_t seed, std::string_view key) {
  SplitMix64 sm(seed ^ Fnv1a64(key));
  return Rng(sm.Next());
}

}  // namespace nbapc::demo
