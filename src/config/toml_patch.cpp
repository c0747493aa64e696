#include "config/toml_patch.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <vector>

#include "config/toml_value.h"

namespace cmdai::config {
namespace {

struct Leaf {
  std::string parent;  // dotted name of its table, "" at the top
  std::string key;
  const toml::node* node = nullptr;
  bool in_inline = false;  // inside an inline table
};

std::string join(const std::string& prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
}

// Every value that is not a table, by dotted name; and every table written
// as a [header] (not inline), by dotted name.
void walk(const toml::table& table, const std::string& prefix, bool in_inline, std::map<std::string, Leaf>& leaves,
          std::map<std::string, const toml::table*>& tables) {
  for (const auto& [key, node] : table) {
    const std::string name = join(prefix, key.str());
    if (const toml::table* child = node.as_table()) {
      const bool inline_child = in_inline || child->is_inline();
      if (!inline_child) tables[name] = child;
      walk(*child, name, inline_child, leaves, tables);
    } else {
      leaves[name] = {prefix, std::string(key.str()), &node, in_inline};
    }
  }
}

std::string trim(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  return std::string(s.substr(begin, s.find_last_not_of(" \t") - begin + 1));
}

bool bare_key(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// A [header] for a dotted table name whose parts are bare keys.
std::optional<std::string> header_for(const std::string& name) {
  std::size_t from = 0;
  while (from <= name.size()) {
    const auto dot = std::min(name.find('.', from), name.size());
    if (!bare_key(std::string_view(name).substr(from, dot - from))) return std::nullopt;
    from = dot + 1;
  }
  return "[" + name + "]";
}

// toml++ compares tables, not bare nodes.
bool same_value(const toml::node& a, const toml::node& b) {
  toml::table one, other;
  one.insert("k", a);
  other.insert("k", b);
  return one == other;
}

// toml++'s formatting of a key-value line (ending in a newline), and of
// one value (the line without "k = " and the newline).
std::string format_line(std::string_view key, const toml::node& node) {
  toml::table one;
  one.insert(key, node);
  std::ostringstream out;
  out << toml::toml_formatter(one, k_toml_format);
  std::string line = out.str();
  while (!line.empty() && line.back() == '\n') line.pop_back();
  return line + "\n";
}
std::string format_value(const toml::node& node) {
  std::string line = format_line("k", node);
  line.pop_back();
  return line.substr(line.find('=') + 2);
}

// The original text by lines, with toml++ positions (1-based lines,
// columns counted in code points) turned into byte offsets.
class Lines {
 public:
  explicit Lines(std::string_view text) : m_text(text) {
    m_starts.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') m_starts.push_back(i + 1);
    }
  }
  std::size_t count() const { return m_starts.size(); }
  // Start of 0-based line `index` (the text's end past the last line).
  std::size_t start(std::size_t index) const { return index < m_starts.size() ? m_starts[index] : m_text.size(); }
  std::string_view text(std::size_t index) const {
    const std::size_t begin = start(index);
    std::size_t end = start(index + 1);
    if (end > begin && m_text[end - 1] == '\n') --end;
    return m_text.substr(begin, end - begin);
  }
  std::optional<std::size_t> offset(const toml::source_position& p) const {
    if (p.line == 0 || p.line > m_starts.size() || p.column == 0) return std::nullopt;
    const std::string_view line = text(p.line - 1);
    std::size_t at = 0;
    for (std::size_t points = 1; points < p.column; ++points) {
      if (at >= line.size()) return std::nullopt;
      ++at;
      while (at < line.size() && (static_cast<unsigned char>(line[at]) & 0xC0) == 0x80) ++at;
    }
    return start(p.line - 1) + at;
  }

 private:
  std::string_view m_text;
  std::vector<std::size_t> m_starts;
};

struct Edit {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string text;
};

}  // namespace

std::optional<std::string> patch_toml(std::string_view original_text, const toml::table& original,
                                      const toml::table& target) {
  if (original_text.find('\r') != std::string_view::npos) return std::nullopt;
  std::map<std::string, Leaf> old_leaves, new_leaves;
  std::map<std::string, const toml::table*> old_tables, new_tables;
  walk(original, "", false, old_leaves, old_tables);
  walk(target, "", false, new_leaves, new_tables);
  const Lines lines(original_text);

  // Lines inside a multi-line value are not headers, whatever they start with.
  std::vector<bool> inside_value(lines.count(), false);
  for (const auto& [name, leaf] : old_leaves) {
    const auto& region = leaf.node->source();
    for (auto l = region.begin.line; l < region.end.line && l < lines.count(); ++l) inside_value[l] = true;
  }
  std::map<std::string, std::size_t> headers;  // explicit [table] -> 0-based line
  std::optional<std::size_t> first_header;
  for (std::size_t l = 0; l < lines.count(); ++l) {
    const std::string line = trim(lines.text(l));
    if (inside_value[l] || line.empty() || line[0] != '[') continue;
    if (line.rfind("[[", 0) == 0) return std::nullopt;  // arrays of tables
    const auto close = line.find(']');
    if (close == std::string::npos) return std::nullopt;
    std::string name;
    for (const char c : line.substr(1, close - 1)) {
      if (c != ' ' && c != '\t') name += c;
    }
    const std::string rest = trim(std::string_view(line).substr(close + 1));
    if (!rest.empty() && rest[0] != '#') return std::nullopt;
    headers[name] = l;
    if (!first_header) first_header = l;
  }

  std::vector<Edit> edits;
  // Text inserted at the end of a file that lacks its last newline starts a line.
  auto insert = [&](std::size_t at, std::string text) {
    if (at == original_text.size() && !original_text.empty() && original_text.back() != '\n') text.insert(0, "\n");
    edits.push_back({at, at, std::move(text)});
  };
  // The lines [first, last] of a key-value statement, when it has them to itself.
  auto statement_lines = [&](const Leaf& leaf) -> std::optional<Edit> {
    const auto& region = leaf.node->source();
    const auto value_begin = lines.offset(region.begin);
    const auto value_end = lines.offset(region.end);
    if (!value_begin || !value_end) return std::nullopt;
    const std::size_t first = region.begin.line - 1;
    const std::size_t last = region.end.line - 1;
    const std::string before = trim(original_text.substr(lines.start(first), *value_begin - lines.start(first)));
    if (before.empty() || before.back() != '=' ||
        trim(std::string_view(before).substr(0, before.size() - 1)) != leaf.key) {
      return std::nullopt;
    }
    const std::size_t line_end = lines.start(last) + lines.text(last).size();
    const std::string after = trim(original_text.substr(*value_end, line_end - *value_end));
    if (!after.empty() && after[0] != '#') return std::nullopt;
    return Edit{lines.start(first), lines.start(last + 1), {}};
  };

  for (const auto& [name, leaf] : old_leaves) {
    const auto now = new_leaves.find(name);
    if (now == new_leaves.end()) {
      if (leaf.in_inline) return std::nullopt;
      auto removal = statement_lines(leaf);
      if (!removal) return std::nullopt;
      edits.push_back(std::move(*removal));
    } else if (!same_value(*now->second.node, *leaf.node)) {
      const auto begin = lines.offset(leaf.node->source().begin);
      const auto end = lines.offset(leaf.node->source().end);
      if (!begin || !end || *end < *begin) return std::nullopt;
      edits.push_back({*begin, *end, format_value(*now->second.node)});
    }
  }
  for (const auto& [name, line] : headers) {
    if (new_tables.count(name) != 0) continue;
    if (old_tables.count(name) == 0) return std::nullopt;  // a header this walk did not see
    edits.push_back({lines.start(line), lines.start(line + 1), {}});
  }

  // New keys: after the last key of their table, or in a new [table] at the end.
  std::map<std::string, std::size_t> last_line;  // table -> its last 0-based line holding a key
  for (const auto& [name, line] : headers) last_line[name] = line;
  for (const auto& [name, leaf] : old_leaves) {
    if (leaf.in_inline) continue;
    const std::size_t end = leaf.node->source().end.line - 1;
    if (leaf.parent.empty() || headers.count(leaf.parent) != 0) {
      last_line[leaf.parent] = std::max(last_line.count(leaf.parent) ? last_line[leaf.parent] : 0, end);
    }
  }
  std::map<std::string, std::string> new_sections;  // table -> its lines
  std::vector<std::string> section_order;
  for (const auto& [name, leaf] : new_leaves) {
    if (old_leaves.count(name) != 0) continue;
    if (leaf.in_inline) return std::nullopt;
    const std::string line = format_line(leaf.key, *leaf.node);
    if (const auto anchor = last_line.find(leaf.parent); anchor != last_line.end()) {
      insert(lines.start(anchor->second + 1), line);
    } else if (leaf.parent.empty()) {
      insert(first_header ? lines.start(*first_header) : original_text.size(), line);
    } else {
      if (old_tables.count(leaf.parent) != 0 || old_leaves.count(leaf.parent) != 0) return std::nullopt;
      if (new_sections.count(leaf.parent) == 0) section_order.push_back(leaf.parent);
      new_sections[leaf.parent] += line;
    }
  }
  std::string appended;
  for (const auto& table : section_order) {
    const auto header = header_for(table);
    if (!header) return std::nullopt;
    appended += "\n" + *header + "\n" + new_sections[table];
  }
  if (!appended.empty()) insert(original_text.size(), appended);

  // Applied from the end, so each edit's offsets still hold; ranges must not overlap.
  std::stable_sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
  for (std::size_t i = 1; i < edits.size(); ++i) {
    if (edits[i].begin < edits[i - 1].end) return std::nullopt;
  }
  std::string out(original_text);
  for (auto it = edits.rbegin(); it != edits.rend(); ++it) out.replace(it->begin, it->end - it->begin, it->text);

  try {
    if (toml::parse(out) != target) return std::nullopt;
  } catch (const toml::parse_error&) {
    return std::nullopt;
  }
  return out;
}

}  // namespace cmdai::config
