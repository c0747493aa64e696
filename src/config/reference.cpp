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

std::string default_words(const KeySpec& spec) {
  if (!spec.default_text.empty()) return "`" + std::string(spec.default_text) + "`";
  return spec.optional ? "unset" : "empty";
}

}  // namespace

std::string reference_markdown() {
  std::string out = "| key | type | default | environment | meaning |\n|---|---|---|---|---|\n";
  for (const auto& spec : key_table()) {
    out += "| `" + std::string(spec.name) + "` | " + type_words(spec) + " | " + default_words(spec) + " | `" +
           std::string(spec.env_var) + "` | " + std::string(spec.help) + " |\n";
  }
  return out;
}

std::string reference_text() {
  std::string out;
  for (const auto& spec : key_table()) {
    std::string type = type_words(spec);
    for (auto pos = type.find(" \\| "); pos != std::string::npos; pos = type.find(" \\| ")) type.replace(pos, 4, ", ");
    out += std::string(spec.name) + " (" + type + ", default " + default_words(spec) + ", env " +
           std::string(spec.env_var) + ")\n    " + std::string(spec.help) + "\n";
  }
  return out;
}

}  // namespace cmdai::config
