#pragma once
// The seed's entities (shared/seed/data-model.md). Field names are the
// contract for JSON, JSONL import/export and the SQLite columns.
//
// Durations are held as std::chrono::microseconds and written to JSON as
// milliseconds (a floating-point number), e.g. "generation_time": 1.25.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cmdai {

using Clock = std::chrono::system_clock;
using Timestamp = Clock::time_point;
using Micros = std::chrono::microseconds;

enum class RiskLevel { safe, moderate, high, critical };
enum class ShellType { bash, zsh, fish, sh, powershell };
enum class BackendType { llama, ollama, openai, vllm, mlx, rules };
// GNU coreutils/findutils (Linux) or BSD userland (macOS, *BSD).
enum class Userland { gnu, bsd };

std::string_view to_string(RiskLevel level);
std::string_view to_string(ShellType shell);
std::string_view to_string(BackendType backend);
Result<RiskLevel> parse_risk_level(std::string_view text);
Result<ShellType> parse_shell_type(std::string_view text);
Result<BackendType> parse_backend_type(std::string_view text);

struct ExecutionMetadata {
  std::optional<int> exit_code;
  std::optional<Micros> execution_time;
  std::optional<std::uint64_t> output_size;  // bytes of output produced
  std::string backend_used;
  Micros generation_time{0};
  Micros validation_time{0};

  bool operator==(const ExecutionMetadata&) const = default;
};

struct SafetyMetadata {
  RiskLevel risk_level = RiskLevel::safe;
  std::vector<std::string> patterns_matched;
  bool user_confirmed = false;
  double safety_score = 1.0;  // [0,1]; 1 is harmless

  bool operator==(const SafetyMetadata&) const = default;
};

struct CommandHistoryEntry {
  std::string id;  // UUID v4
  Timestamp timestamp;
  std::string command;
  std::optional<std::string> user_input;
  std::string explanation;
  ShellType shell_type = ShellType::bash;
  std::string working_directory;
  std::optional<ExecutionMetadata> execution_metadata;
  std::optional<SafetyMetadata> safety_metadata;
  std::vector<std::string> tags;
  std::optional<std::vector<float>> embedding_vector;
  std::optional<double> relevance_score;

  bool operator==(const CommandHistoryEntry&) const = default;
};

// The seed's validation rules: UUID v4 id, safety_score in [0,1], a
// non-empty embedding, non-empty command. Timestamps are valid by
// construction (they are parsed, never stored as text). An embedding's
// length is its model's dimension, which only the history knows: it checks
// it when it stores the entry (history/embeddings.h).
Result<void> validate(const CommandHistoryEntry& entry);

}  // namespace cmdai
