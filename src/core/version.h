#pragma once
// engine_version (spec/README.md §8.7), written on every output and history row.

namespace nbapc {

#ifndef NBAPC_ENGINE_VERSION
#define NBAPC_ENGINE_VERSION "0.1.0"
#endif
inline constexpr const char* kEngineVersion = NBAPC_ENGINE_VERSION;

}  // namespace nbapc
