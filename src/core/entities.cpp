#include "core/entities.h"

#include <array>
#include <utility>

#include "core/uuid.h"

namespace cmdai {
namespace {

template <typename Enum, std::size_t N>
Result<Enum> parse_enum(std::string_view text, const std::array<std::pair<std::string_view, Enum>, N>& names,
                        std::string_view what) {
  for (const auto& [name, value] : names) {
    if (name == text) return value;
  }
  std::string known;
  for (const auto& [name, value] : names) {
    if (!known.empty()) known += ", ";
    known += name;
  }
  return fail(ErrorCode::invalid_argument, "unknown " + std::string(what) + " '" + std::string(text) + "'",
              "expected one of: " + known);
}

constexpr std::array<std::pair<std::string_view, RiskLevel>, 4> k_risk_names{{
    {"safe", RiskLevel::safe},
    {"moderate", RiskLevel::moderate},
    {"high", RiskLevel::high},
    {"critical", RiskLevel::critical},
}};

constexpr std::array<std::pair<std::string_view, ShellType>, 5> k_shell_names{{
    {"bash", ShellType::bash},
    {"zsh", ShellType::zsh},
    {"fish", ShellType::fish},
    {"sh", ShellType::sh},
    {"powershell", ShellType::powershell},
}};

constexpr std::array<std::pair<std::string_view, BackendType>, 6> k_backend_names{{
    {"llama", BackendType::llama},
    {"ollama", BackendType::ollama},
    {"openai", BackendType::openai},
    {"vllm", BackendType::vllm},
    {"mlx", BackendType::mlx},
    {"rules", BackendType::rules},
}};

template <typename Enum, std::size_t N>
std::string_view name_of(Enum value, const std::array<std::pair<std::string_view, Enum>, N>& names) {
  for (const auto& [name, v] : names) {
    if (v == value) return name;
  }
  return "unknown";
}

}  // namespace

std::string_view to_string(RiskLevel level) { return name_of(level, k_risk_names); }
std::string_view to_string(ShellType shell) { return name_of(shell, k_shell_names); }
std::string_view to_string(BackendType backend) { return name_of(backend, k_backend_names); }

Result<RiskLevel> parse_risk_level(std::string_view text) { return parse_enum(text, k_risk_names, "risk level"); }
Result<ShellType> parse_shell_type(std::string_view text) { return parse_enum(text, k_shell_names, "shell"); }
Result<BackendType> parse_backend_type(std::string_view text) { return parse_enum(text, k_backend_names, "backend"); }

Result<void> validate(const CommandHistoryEntry& entry) {
  if (!is_uuid_v4(entry.id)) {
    return fail(ErrorCode::invalid_argument, "id '" + entry.id + "' is not a UUID v4");
  }
  if (entry.command.empty()) return fail(ErrorCode::invalid_argument, "command is empty");
  if (entry.safety_metadata) {
    const double score = entry.safety_metadata->safety_score;
    if (!(score >= 0.0 && score <= 1.0)) {
      return fail(ErrorCode::invalid_argument, "safety_score must be in [0, 1]");
    }
  }
  if (entry.embedding_vector && entry.embedding_vector->empty()) {
    return fail(ErrorCode::invalid_argument, "embedding_vector is empty");
  }
  return {};
}

}  // namespace cmdai
