#include "cli/completion.h"

#include "cli/commands.h"
#include "config/key_table.h"
#include "core/entities.h"

namespace cmdai::cli {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

const FlagSpec* flag_named(std::string_view word, std::string_view scope) {
  for (const auto& flag : flag_table()) {
    if (!flag.scope.empty() && flag.scope != scope) continue;
    if (word == "--" + std::string(flag.name)) return &flag;
    if (flag.short_name && word.size() == 2 && word[0] == '-' && word[1] == flag.short_name) return &flag;
  }
  return nullptr;
}

// The subcommand and the operand words typed before the cursor.
struct Context {
  const SubcommandSpec* sub = nullptr;
  std::vector<std::string_view> operands;  // after the subcommand's name
  bool request = false;                    // the words are a request: nothing to complete
  const FlagSpec* pending = nullptr;       // the word before the cursor is this flag, waiting for its value
};

Context context_of(std::span<const std::string> before) {
  Context c;
  for (const auto& word : before) {
    if (c.pending != nullptr) {  // this word is the flag's value
      c.pending = nullptr;
      continue;
    }
    if (word.size() > 1 && word[0] == '-') {
      const FlagSpec* flag = flag_named(word, c.sub ? c.sub->name : "");
      if (flag != nullptr && flag->value == Value::required) c.pending = flag;
    } else if (c.sub != nullptr) {
      c.operands.push_back(word);
    } else if (!c.request) {
      const SubcommandSpec* sub = find_subcommand(word);
      if (sub != nullptr && !sub->usage.empty()) c.sub = sub;
      c.request = c.sub == nullptr;
    }
  }
  return c;
}

std::vector<Completion> flags_for(const SubcommandSpec* sub, std::string_view prefix) {
  std::vector<Completion> out;
  for (const auto& flag : flag_table()) {
    const bool in_scope = flag.scope.empty() || (sub != nullptr && flag.scope == sub->name);
    const std::string word = "--" + std::string(flag.name);
    if (in_scope && starts_with(word, prefix)) out.push_back({word, std::string(flag.help)});
  }
  return out;
}

std::vector<Completion> values_for(Complete kind, const ValueSource& source, std::string_view prefix) {
  std::vector<std::string> values = static_values(kind);
  if (values.empty() && kind != Complete::none && source) values = source(kind);
  std::vector<Completion> out;
  for (auto& value : values) {
    if (starts_with(value, prefix)) out.push_back({std::move(value), ""});
  }
  return out;
}

std::vector<Completion> subcommands(std::string_view prefix) {
  std::vector<Completion> out;
  for (const auto& sub : subcommand_table()) {
    if (!sub.usage.empty() && starts_with(sub.name, prefix))
      out.push_back({std::string(sub.name), std::string(sub.summary)});
  }
  return out;
}

// The action word (history list, init bash) first, then the subcommand's
// values after it (config set KEY).
std::vector<Completion> operand(const Context& c, std::string_view prefix, const ValueSource& source) {
  const auto actions = action_words(*c.sub);
  if (!actions.empty() && c.operands.empty()) {
    std::vector<Completion> out;
    for (const auto& action : actions) {
      if (starts_with(action, prefix)) out.push_back({action, ""});
    }
    return out;
  }
  const std::size_t before_value = actions.empty() ? 0 : 1;
  return c.operands.size() == before_value ? values_for(c.sub->values, source, prefix) : std::vector<Completion>{};
}

}  // namespace

std::vector<std::string> static_values(Complete kind) {
  std::vector<std::string> out;
  switch (kind) {
    case Complete::shell:
      for (auto shell : {ShellType::bash, ShellType::zsh, ShellType::fish, ShellType::sh, ShellType::powershell})
        out.emplace_back(to_string(shell));
      return out;
    case Complete::config_key:
      for (const auto& key : config::key_table()) out.emplace_back(key.name);
      return out;
    case Complete::subcommand: return subcommand_names();
    case Complete::output_format: return {"plain", "json", "yaml"};
    case Complete::color_when: return {"auto", "always", "never"};
    case Complete::search_mode: return {"lexical", "semantic", "hybrid"};
    case Complete::risk_level:
      for (auto level : {RiskLevel::safe, RiskLevel::moderate, RiskLevel::high, RiskLevel::critical})
        out.emplace_back(to_string(level));
      return out;
    case Complete::history_format: return {"jsonl", "bash", "zsh", "fish"};
    case Complete::none:
    case Complete::backend:
    case Complete::instance: return out;
  }
  return out;
}

std::vector<Completion> complete(std::span<const std::string> words, const ValueSource& values) {
  if (words.empty()) return subcommands("");
  const std::string_view current = words.back();
  const Context c = context_of(words.first(words.size() - 1));
  if (c.pending != nullptr) return values_for(c.pending->complete, values, current);
  if (starts_with(current, "-")) return flags_for(c.sub, current);
  if (c.sub == nullptr) return c.request ? std::vector<Completion>{} : subcommands(current);
  return operand(c, current, values);
}

}  // namespace cmdai::cli
