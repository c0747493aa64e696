#include "guard/hook_event.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace cmdai::guard {
namespace {

Error bad_event(const Protocol& protocol, const std::string& what) {
  return Error{ErrorCode::invalid_argument, "the " + std::string(protocol.display_name) + " hook event " + what,
               "cmdai guard " + std::string(protocol.name) + " reads the agent's " + std::string(protocol.event_name) +
                   " event on stdin"};
}

// A string field, or "" when absent; an error when present with another type.
Result<std::string> optional_text(const Protocol& protocol, const nlohmann::json& object, std::string_view field) {
  if (field.empty() || !object.contains(std::string(field))) return std::string();
  const auto& value = object[std::string(field)];
  if (value.is_null()) return std::string();
  if (!value.is_string()) return fail(bad_event(protocol, "has a '" + std::string(field) + "' that is not a string"));
  return value.get<std::string>();
}

Result<nlohmann::json> arguments_of(const Protocol& protocol, const nlohmann::json& event) {
  if (protocol.args_field.empty()) return event;
  const std::string field(protocol.args_field);
  if (!event.contains(field)) return fail(bad_event(protocol, "has no '" + field + "'"));
  nlohmann::json args = event[field];
  if (args.is_string() && protocol.args_may_be_text) {
    args = nlohmann::json::parse(args.get<std::string>(), nullptr, false);
    if (args.is_discarded()) return fail(bad_event(protocol, "has a '" + field + "' text that is not JSON"));
  }
  if (!args.is_object()) return fail(bad_event(protocol, "has a '" + field + "' that is not an object"));
  return args;
}

Result<std::string> tool_of(const Protocol& protocol, const nlohmann::json& event) {
  if (protocol.tool_field.empty()) return std::string();
  auto tool = optional_text(protocol, event, protocol.tool_field);
  if (!tool) return tool;
  if (tool->empty()) return fail(bad_event(protocol, "names no tool ('" + std::string(protocol.tool_field) + "')"));
  return tool;
}

}  // namespace

Result<HookEvent> read_event(const Protocol& protocol, std::string_view text) {
  if (text.size() > k_max_event_bytes) {
    return fail(bad_event(protocol, "is " + std::to_string(text.size()) + " bytes, more than cmdai reads"));
  }
  const auto event = nlohmann::json::parse(text, nullptr, false);
  if (event.is_discarded()) return fail(bad_event(protocol, "is not valid JSON"));
  if (!event.is_object()) return fail(bad_event(protocol, "is not a JSON object"));
  auto name = optional_text(protocol, event, protocol.event_field);
  if (!name) return fail(name.error());
  if (!protocol.event_field.empty() && *name != protocol.event_name) {
    return fail(bad_event(protocol, "is '" + *name + "', not " + std::string(protocol.event_name)));
  }
  HookEvent out;
  auto tool = tool_of(protocol, event);
  if (!tool) return fail(tool.error());
  out.tool_name = std::move(*tool);
  const auto& shell = protocol.shell_tools;
  out.is_shell = protocol.tool_field.empty() || std::find(shell.begin(), shell.end(), out.tool_name) != shell.end();
  auto cwd = optional_text(protocol, event, protocol.cwd_field);
  auto session = optional_text(protocol, event, protocol.session_field);
  if (!cwd) return fail(cwd.error());
  if (!session) return fail(session.error());
  out.cwd = std::move(*cwd);
  out.session_id = std::move(*session);
  if (!out.is_shell) return out;
  auto args = arguments_of(protocol, event);
  if (!args) return fail(args.error());
  auto command = optional_text(protocol, *args, protocol.command_field);
  if (!command) return fail(command.error());
  if (!args->contains(std::string(protocol.command_field))) return fail(bad_event(protocol, "has no shell command"));
  out.command = std::move(*command);
  if (out.command.find_first_not_of(" \t\r\n") == std::string::npos) {
    return fail(bad_event(protocol, "has an empty shell command"));
  }
  return out;
}

}  // namespace cmdai::guard
