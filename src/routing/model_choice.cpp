#include "routing/model_choice.h"
#include "core/utf8.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace cmdai::routing {
namespace {

constexpr auto k_embedding_hints =
    std::to_array<std::string_view>({"embed", "minilm", "bge", "e5-", "gte-", "bert", "rerank"});
constexpr auto k_code_hints = std::to_array<std::string_view>({"coder", "code"});
constexpr auto k_instruct_hints = std::to_array<std::string_view>({"instruct", "chat", "-it"});

// The last path component, lower-cased: "/models/Qwen2.5-Coder.gguf" -> "qwen2.5-coder.gguf".
std::string comparable(std::string_view name) {
  if (const auto slash = name.find_last_of('/'); slash != std::string_view::npos && slash + 1 < name.size())
    name = name.substr(slash + 1);
  return ascii_lower(name);
}

template <std::size_t N>
bool has_any(const std::string& name, const std::array<std::string_view, N>& hints) {
  return std::any_of(hints.begin(), hints.end(), [&](std::string_view hint) { return name.find(hint) != name.npos; });
}

std::string_view kind_words(ModelKind kind) {
  switch (kind) {
    case ModelKind::code: return "a code model";
    case ModelKind::instruct: return "an instruct/chat model (no code model listed)";
    case ModelKind::other: return "the first model listed that is not embedding-only (none is named for code or chat)";
    case ModelKind::embedding: return "an embedding model";
  }
  return "";
}

// The first model of `wanted` kind, with a reason naming how many shared it.
std::optional<ModelChoice> first_of(std::span<const std::string> models, std::span<const std::string> marked,
                                    ModelKind wanted) {
  const std::string* first = nullptr;
  std::size_t count = 0;
  for (const auto& model : models) {
    const bool is_marked = std::find(marked.begin(), marked.end(), model) != marked.end();
    if (model_kind(model, is_marked) != wanted) continue;
    if (first == nullptr) first = &model;
    ++count;
  }
  if (first == nullptr) return std::nullopt;
  std::string reason(kind_words(wanted));
  if (models.size() > 1) {
    reason += count > 1 ? ", first of " + std::to_string(count) + " such among " : ", of ";
    reason += std::to_string(models.size()) + " listed";
  }
  return ModelChoice{*first, reason};
}

}  // namespace

ModelKind model_kind(std::string_view name, bool marked_embedding) {
  const std::string text = comparable(name);
  if (marked_embedding || has_any(text, k_embedding_hints)) return ModelKind::embedding;
  if (has_any(text, k_code_hints)) return ModelKind::code;
  if (has_any(text, k_instruct_hints)) return ModelKind::instruct;
  return ModelKind::other;
}

std::optional<ModelChoice> choose_model(std::span<const std::string> models,
                                        std::span<const std::string> embedding_models) {
  for (auto kind : {ModelKind::code, ModelKind::instruct, ModelKind::other}) {
    if (auto choice = first_of(models, embedding_models, kind)) return choice;
  }
  return std::nullopt;
}

std::optional<ModelChoice> choose_embedding_model(std::span<const std::string> models,
                                                  std::span<const std::string> embedding_models) {
  return first_of(models, embedding_models, ModelKind::embedding);
}

}  // namespace cmdai::routing
