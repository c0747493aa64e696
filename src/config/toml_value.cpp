#include "config/toml_value.h"

namespace cmdai::config {

std::string describe_parse_error(const toml::parse_error& error, const std::string& source) {
  const auto& begin = error.source().begin;
  const std::string where = source + ":" + std::to_string(begin.line) + ":" + std::to_string(begin.column) + ": ";
  const std::string description(error.description());
  if (description.find("utf-8") != std::string::npos || description.find("UTF-8") != std::string::npos) {
    return where + "invalid UTF-8 (a TOML file must be UTF-8 text; save it as UTF-8)";
  }
  return where + description;
}

Result<ConfigValue> from_toml(KeyType type, const toml::node& node) {
  switch (type) {
    case KeyType::boolean:
      if (auto b = node.value_exact<bool>()) return ConfigValue{*b};
      return fail(ErrorCode::invalid_argument, "must be true or false");
    case KeyType::integer:
      if (auto n = node.value_exact<std::int64_t>()) return ConfigValue{*n};
      return fail(ErrorCode::invalid_argument, "must be a whole number");
    case KeyType::text:
    case KeyType::choice:
      if (auto s = node.value_exact<std::string>()) return ConfigValue{*s};
      return fail(ErrorCode::invalid_argument, "must be a string in quotes");
    case KeyType::list: {
      const toml::array* array = node.as_array();
      if (array == nullptr) return fail(ErrorCode::invalid_argument, "must be a list of strings, e.g. [\"a\", \"b\"]");
      std::vector<std::string> items;
      for (const auto& element : *array) {
        auto s = element.value_exact<std::string>();
        if (!s) return fail(ErrorCode::invalid_argument, "must be a list of strings, e.g. [\"a\", \"b\"]");
        items.push_back(*s);
      }
      return ConfigValue{std::move(items)};
    }
  }
  return fail(ErrorCode::invalid_argument, "unsupported type");
}

void assign_toml(toml::table& root, std::string_view dotted, const ConfigValue& value) {
  toml::table* table = &root;
  std::string_view rest = dotted;
  for (auto dot = rest.find('.'); dot != std::string_view::npos; dot = rest.find('.')) {
    const std::string part(rest.substr(0, dot));
    toml::node* child = table->get(part);
    if (child == nullptr || !child->is_table()) {
      table->insert_or_assign(part, toml::table{});
      child = table->get(part);
    }
    table = child->as_table();
    rest = rest.substr(dot + 1);
  }
  const std::string leaf(rest);
  if (const bool* b = std::get_if<bool>(&value)) {
    table->insert_or_assign(leaf, *b);
  } else if (const auto* n = std::get_if<std::int64_t>(&value)) {
    table->insert_or_assign(leaf, *n);
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    table->insert_or_assign(leaf, *s);
  } else if (const auto* items = std::get_if<std::vector<std::string>>(&value)) {
    toml::array array;
    for (const auto& item : *items) array.push_back(item);
    table->insert_or_assign(leaf, std::move(array));
  }
}

bool erase_toml(toml::table& root, std::string_view dotted) {
  const auto dot = dotted.find('.');
  if (dot == std::string_view::npos) return root.erase(std::string(dotted)) > 0;
  toml::table* child = root.get_as<toml::table>(std::string(dotted.substr(0, dot)));
  if (child == nullptr) return false;
  const bool erased = erase_toml(*child, dotted.substr(dot + 1));
  if (erased && child->empty()) root.erase(std::string(dotted.substr(0, dot)));
  return erased;
}

void collect_leaves(const toml::table& table, const std::string& prefix, std::vector<TomlLeaf>& out) {
  for (const auto& [key, node] : table) {
    const std::string name = prefix + std::string(key.str());
    if (const toml::table* child = node.as_table()) {
      collect_leaves(*child, name + ".", out);
    } else {
      out.push_back({name, &node, static_cast<int>(node.source().begin.line)});
    }
  }
}

}  // namespace cmdai::config
