#include "config/reference.h"

#include "config/key_table.h"

namespace cmdai::config {
namespace {

std::string type_words(const KeySpec& spec) {
  if (spec.type != KeyType::choice) return std::string(to_string(spec.type));
  std::string out;
  for (auto choice : spec.choices) out += (out.empty() ? "" : " \\| ") + std::string(choice);
  return out;
}

// How `config set` takes a list, said once above the keys.
constexpr std::string_view k_list_note =
    "A list is set as a TOML array, `cmdai config set KEY '[\"a,b\", \"c\"]'`, or one item at a time with "
    "`--add ITEM` / `--remove ITEM` (repeatable); a comma inside an item is part of it.";

// A list's default as the TOML array `config set` takes: ["a", "b"].
std::string array_words(std::string_view default_text) {
  const auto value = parse_text(KeyType::list, default_text);
  std::string out = "[";
  for (const auto& item : std::get<std::vector<std::string>>(*value)) {
    out += (out.size() > 1 ? ", \"" : "\"") + item + "\"";
  }
  return out + "]";
}

std::string default_words(const KeySpec& spec) {
  if (spec.type == KeyType::list && !spec.default_text.empty()) return "`" + array_words(spec.default_text) + "`";
  if (!spec.default_text.empty()) return "`" + std::string(spec.default_text) + "`";
  return spec.optional ? "unset" : "empty";
}

}  // namespace

std::string reference_markdown() {
  std::string out =
      std::string(k_list_note) + "\n\n| key | type | default | environment | meaning |\n|---|---|---|---|---|\n";
  for (const auto& spec : key_table()) {
    out += "| `" + std::string(spec.name) + "` | " + type_words(spec) + " | " + default_words(spec) + " | `" +
           std::string(spec.env_var) + "` | " + std::string(spec.help) + " |\n";
  }
  return out;
}

std::string reference_text() {
  std::string out = std::string(k_list_note) + "\n\n";
  for (const auto& spec : key_table()) {
    std::string type = type_words(spec);
    for (auto pos = type.find(" \\| "); pos != std::string::npos; pos = type.find(" \\| ")) type.replace(pos, 4, ", ");
    out += std::string(spec.name) + " (" + type + ", default " + default_words(spec) + ", env " +
           std::string(spec.env_var) + ")\n    " + std::string(spec.help) + "\n";
  }
  return out;
}

}  // namespace cmdai::config
