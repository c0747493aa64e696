#include "cli/output.h"

#include <ostream>

#include "core/entity_json.h"
#include "core/terminal_text.h"

namespace cmdai::cli {
namespace {

void emit_yaml(const nlohmann::json& value, int indent, std::string& out, bool in_list);

std::string pad(int indent) { return std::string(static_cast<std::size_t>(indent) * 2, ' '); }

std::string scalar(const nlohmann::json& value) {
  if (value.is_string()) return json_text(value);  // JSON strings are YAML strings
  if (value.is_null()) return "null";
  return json_text(value);
}

bool is_container(const nlohmann::json& value) { return (value.is_object() || value.is_array()) && !value.empty(); }

void emit_yaml(const nlohmann::json& value, int indent, std::string& out, bool in_list) {
  if (value.is_object()) {
    if (value.empty()) {
      out += "{}\n";
      return;
    }
    bool first = true;
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (!(in_list && first)) out += pad(indent);
      first = false;
      out += json_text(nlohmann::json(it.key())) + ":";
      if (is_container(it.value())) {
        out += "\n";
        emit_yaml(it.value(), indent + 1, out, false);
      } else {
        out += " " +
               (it.value().is_array()    ? std::string("[]")
                : it.value().is_object() ? "{}"
                                         : scalar(it.value())) +
               "\n";
      }
    }
    return;
  }
  if (value.is_array()) {
    if (value.empty()) {
      out += "[]\n";
      return;
    }
    for (const auto& item : value) {
      out += pad(indent) + "- ";
      if (is_container(item)) {
        emit_yaml(item, indent + 1, out, true);
      } else {
        out += scalar(item) + "\n";
      }
    }
    return;
  }
  out += scalar(value) + "\n";
}

}  // namespace

std::string to_yaml(const nlohmann::json& value) {
  std::string out;
  if (!is_container(value)) return scalar(value) + "\n";
  emit_yaml(value, 0, out, false);
  return out;
}

// JSON escapes C0 controls but passes C1 and bidi controls through; shown
// as \uXXXX they are the same JSON (and YAML double-quoted) string and can
// no longer act on a terminal.
void write_structured(Invocation& invocation, const nlohmann::json& value) {
  const std::string text = invocation.format == OutputFormat::yaml ? to_yaml(value) : json_text(value, 2) + "\n";
  invocation.out << terminal_text(text, LineBreaks::keep);
}

std::string_view risk_color(RiskLevel level, bool color) {
  if (!color) return "";
  switch (level) {
    case RiskLevel::safe: return "\033[32m";
    case RiskLevel::moderate: return "\033[33m";
    case RiskLevel::high: return "\033[31m";
    case RiskLevel::critical: return "\033[1;41;97m";
  }
  return "";
}

std::string_view reset_color(bool color) { return color ? "\033[0m" : ""; }
std::string_view bold(bool color) { return color ? "\033[1m" : ""; }
std::string_view dim(bool color) { return color ? "\033[2m" : ""; }

}  // namespace cmdai::cli
