#include "config/config_value.h"
#include "config/toml_value.h"

#include <algorithm>
#include <charconv>
#include <sstream>

#include <toml++/toml.h>

#include "core/utf8.h"

namespace cmdai::config {
namespace {

constexpr std::size_t k_max_text_bytes = 64 * 1024;

std::string trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  const auto end = text.find_last_not_of(" \t");
  return std::string(text.substr(begin, end - begin + 1));
}

bool needs_quoting(const std::string& item) {
  return item.empty() || item.find(',') != std::string::npos || item.front() == ' ' || item.back() == ' ' ||
         item.front() == '[';
}

std::string quote_literal(const std::string& item) {
  if (item.find('\'') == std::string::npos && item.find('\n') == std::string::npos) return "'" + item + "'";
  std::ostringstream out;
  out << toml::value<std::string>(item);
  return out.str();
}

Result<ConfigValue> parse_array(std::string_view text, std::string_view hint) {
  try {
    const toml::table doc = toml::parse("v = " + std::string(text));
    auto list = from_toml(KeyType::list, *doc.get("v"));
    if (!list) return fail(ErrorCode::invalid_argument, list.error().message, std::string(hint));
    return list;
  } catch (const toml::parse_error& error) {
    return fail(ErrorCode::invalid_argument, "not a list: " + std::string(error.description()), std::string(hint));
  }
}

Result<ConfigValue> parse_list(std::string_view text) {
  if (text.front() == '[') return parse_array(text, "write a, b, c or ['a', 'b']");
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const auto piece = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (auto item = trim(piece); !item.empty()) items.push_back(std::move(item));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return ConfigValue{std::move(items)};
}

Result<ConfigValue> parse_integer(std::string_view text) {
  std::int64_t number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error == std::errc::result_out_of_range) return fail(ErrorCode::invalid_argument, "number too large");
  if (error != std::errc{} || end != text.data() + text.size()) {
    return fail(ErrorCode::invalid_argument, "'" + std::string(text) + "' is not a whole number");
  }
  return ConfigValue{number};
}

}  // namespace

std::string_view to_string(KeyType type) {
  switch (type) {
    case KeyType::boolean: return "boolean";
    case KeyType::integer: return "integer";
    case KeyType::text: return "string";
    case KeyType::choice: return "choice";
    case KeyType::list: return "list of strings";
  }
  return "string";
}

bool is_clean_text(std::string_view text) { return text.find('\0') == std::string_view::npos && is_valid_utf8(text); }

std::string to_text(const ConfigValue& value) {
  if (std::holds_alternative<std::monostate>(value)) return {};
  if (const bool* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  if (const auto* n = std::get_if<std::int64_t>(&value)) return std::to_string(*n);
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  const auto& items = std::get<std::vector<std::string>>(value);
  bool quoted = false;
  for (const auto& item : items) quoted = quoted || needs_quoting(item);
  std::string out = quoted ? "[" : "";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += quoted ? quote_literal(items[i]) : items[i];
  }
  return quoted ? out + "]" : out;
}

Result<ConfigValue> parse_text(KeyType type, std::string_view text) {
  if (text.size() > k_max_text_bytes) {
    return fail(ErrorCode::invalid_argument, "the value is longer than 64 KiB", "configuration values are short");
  }
  if (!is_clean_text(text)) {
    return fail(ErrorCode::invalid_argument, "the value holds a NUL byte or invalid UTF-8", "type plain text");
  }
  const std::string trimmed = trim(text);
  if (trimmed.empty()) return ConfigValue{};
  switch (type) {
    case KeyType::boolean:
      if (trimmed == "true" || trimmed == "yes" || trimmed == "on" || trimmed == "1") return ConfigValue{true};
      if (trimmed == "false" || trimmed == "no" || trimmed == "off" || trimmed == "0") return ConfigValue{false};
      return fail(ErrorCode::invalid_argument, "'" + trimmed + "' is not true or false");
    case KeyType::integer: return parse_integer(trimmed);
    case KeyType::list: return parse_list(trimmed);
    case KeyType::text:
    case KeyType::choice: return ConfigValue{trimmed};
  }
  return ConfigValue{trimmed};
}

Result<ConfigValue> parse_argument(KeyType type, std::string_view text) {
  if (type != KeyType::list) return parse_text(type, text);
  auto checked = parse_text(KeyType::text, text);  // size, NUL and UTF-8 checks; "" is unset
  if (!checked || std::holds_alternative<std::monostate>(*checked)) return checked;
  const std::string& trimmed = std::get<std::string>(*checked);
  if (trimmed.front() != '[') return ConfigValue{std::vector<std::string>{trimmed}};
  return parse_array(trimmed, "write a TOML array such as '[\"a,b\", \"c\"]', or add one item with --add");
}

Result<std::vector<std::string>> edit_list(std::vector<std::string> list, const std::vector<std::string>& add,
                                           const std::vector<std::string>& remove) {
  for (const auto& item : remove) {
    const auto it = std::ranges::find(list, item);
    if (it == list.end()) {
      return fail(ErrorCode::invalid_argument, "'" + item + "' is not in the list", "see cmdai config get KEY");
    }
    list.erase(it);
  }
  for (const auto& item : add) {
    if (item.empty() || !is_clean_text(item) || item.size() > k_max_text_bytes) {
      return fail(ErrorCode::invalid_argument, "an item to add must be non-empty UTF-8 text of at most 64 KiB");
    }
    if (std::ranges::find(list, item) == list.end()) list.push_back(item);
  }
  return list;
}

}  // namespace cmdai::config
