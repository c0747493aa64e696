#include "cli/parts_view.h"

#include <ostream>

#include "cli/output.h"
#include "core/terminal_text.h"
#include "shell/parser.h"

namespace cmdai::cli {
namespace {

std::string_view source_name(manual::Source source) {
  switch (source) {
    case manual::Source::man_page: return "man page";
    case manual::Source::builtin: return "cmdai";
    case manual::Source::none: return "";
  }
  return "";
}

void print_stage(std::ostream& out, const manual::StagePart& stage, bool first, bool color) {
  out << "  " << (first ? "" : "then ") << bold(color) << terminal_text(stage.program);
  if (!stage.subcommand.empty()) out << " " << terminal_text(stage.subcommand);
  out << reset_color(color);
  if (!stage.summary.empty()) out << " - " << terminal_text(stage.summary);
  out << "\n";
  for (const auto& flag : stage.flags) {
    out << "    " << terminal_text(flag.flag);
    if (!flag.value.empty()) out << " " << terminal_text(flag.value);
    out << ": " << (flag.description.empty() ? "not documented here" : terminal_text(flag.description));
    if (flag.source != manual::Source::none)
      out << dim(color) << " (" << source_name(flag.source) << ")" << reset_color(color);
    out << "\n";
  }
  for (const auto& argument : stage.arguments) out << "    " << terminal_text(argument) << ": argument\n";
  for (const auto& redirection : stage.redirections) out << "    " << terminal_text(redirection) << "\n";
}

}  // namespace

std::vector<manual::StagePart> parts_of(Invocation& inv, const std::string& command) {
  auto script = shell::parse(command);
  if (!script) return {};
  const auto cache_dir = inv.paths.models_dir.parent_path() / "man";
  return manual::command_parts(*script, manual::installed_documentation(inv.env, cache_dir));
}

void print_parts(std::ostream& out, const std::vector<manual::StagePart>& parts, bool color) {
  for (std::size_t i = 0; i < parts.size(); ++i) print_stage(out, parts[i], i == 0, color);
  if (!parts.empty()) out << "\n";
}

nlohmann::json parts_json(const std::vector<manual::StagePart>& parts) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& stage : parts) {
    nlohmann::json flags = nlohmann::json::array();
    for (const auto& flag : stage.flags) {
      flags.push_back({{"flag", flag.flag},
                       {"value", flag.value},
                       {"description", flag.description},
                       {"source", flag.source == manual::Source::none ? "" : source_name(flag.source)}});
    }
    out.push_back({{"program", stage.program},
                   {"subcommand", stage.subcommand},
                   {"summary", stage.summary},
                   {"flags", flags},
                   {"arguments", stage.arguments},
                   {"redirections", stage.redirections}});
  }
  return out;
}

}  // namespace cmdai::cli
