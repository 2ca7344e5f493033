#pragma once
// Deterministic random streams for the demo-data generator (spec/inputs.md
// §5.1): SplitMix64 seeds xoshiro256**, one independent stream per key string,
// stream(key) = xoshiro256**(splitmix64(seed XOR fnv1a64(key))). Every derived
// distribution uses only + - * / and sqrt on doubles so that results are
// identical on every platform (no std::*_distribution, exp, log, cos).
// Not thread-safe per instance; create one stream per key.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace nbapc::demo {

// FNV-1a 64-bit hash of the bytes of `text`.
uint64_t Fnv1a64(std::string_view text);

// SplitMix64 generator (Steele, Lea, Flood); Next() advances the state by the
// golden-ratio increment and returns the mixed value.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t state) : state_(state) {}
  uint64_t Next();

 private:
  uint64_t state_;
};

class Rng {
 public:
  // xoshiro256** whose four state words are the first four SplitMix64(seed) outputs.
  explicit Rng(uint64_t seed);

  uint64_t Next();
  // (next() >> 11) * 2^-53, in [0, 1).
  double Uniform01();
  // lo + (hi - lo) * uniform01.
  double Uniform(double lo, double hi);
  // Integer uniform in [lo, hi] (inclusive).
  int UniformInt(int lo, int hi);
  bool Bernoulli(double p) { return Uniform01() < p; }
  // mu + sigma * (sum of 12 uniform01 - 6).
  double Normal(double mu, double sigma);
  // Count of successes in n Bernoulli(p) trials.
  int Binomial(int n, double p);
  // Number of trials until the first success (>= 1); p must be > 0.
  int Geometric(double p);
  // Index chosen with probability weight / sum(weights) by the cumulative
  // uniform; weights must be >= 0 with a positive sum.
  size_t Categorical(std::span<const double> weights);

 private:
  uint64_t s_[4];
};

// stream(key) of spec §5.1.
Rng Stream(uint64_t seed, std::string_view key);

}  // namespace nbapc::demo
