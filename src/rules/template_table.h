#pragma once
// The offline template library as data: one row per template, grouped by
// category in template_table_*.cpp. Rows are compiled once (templates.cpp).
//
// `words`: space-separated groups. A plain group ("find|where|locate") must
// be matched by at least one request word (canonical form, see words.h; a
// trailing '*' matches a prefix). "?a|b" lists words the template explains
// without needing them; "!a|b" words that rule the template out; "$slot"
// requires that slot to be present.
//
// `gnu` / `bsd`: command patterns; an empty `bsd` means the GNU one works on
// BSD/macOS too. `%{...}` is a placeholder (render.h): alternatives separated
// by '|', each a slot name, "after:w1,w2" / "before:w" (the word next to one
// of those words), "=literal" (a default) or "?" (may stay empty); a
// leading "'" always single-quotes the value (patterns, scripts). Every
// value from the request is shell-quoted when rendered; a placeholder that
// cannot be filled rules the template out.

#include <span>
#include <string_view>

namespace cmdai::rules {

struct TemplateRow {
  std::string_view id;
  std::string_view category;
  std::string_view words;
  std::string_view gnu;
  std::string_view bsd;
  std::string_view explanation;  // placeholders allowed; rendered unquoted
};

std::span<const TemplateRow> find_templates();
std::span<const TemplateRow> text_templates();
std::span<const TemplateRow> archive_templates();
std::span<const TemplateRow> disk_templates();
std::span<const TemplateRow> process_templates();
std::span<const TemplateRow> network_templates();
std::span<const TemplateRow> git_templates();
std::span<const TemplateRow> permission_templates();
std::span<const TemplateRow> system_templates();
std::span<const TemplateRow> date_templates();
std::span<const TemplateRow> environment_templates();
std::span<const TemplateRow> container_templates();
std::span<const TemplateRow> package_templates();

}  // namespace cmdai::rules
