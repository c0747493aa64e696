#include "generation/output_parser.h"

#include <nlohmann/json.hpp>

namespace cmdai::generation {
namespace {

Result<ParsedOutput> from_object(const nlohmann::json& json) {
  if (!json.is_object()) return fail(ErrorCode::model_output_invalid, "the model's answer is not a JSON object");
  auto command = json.find("command");
  if (command == json.end() || !command->is_string()) {
    return fail(ErrorCode::model_output_invalid, "the model's answer has no \"command\" string");
  }
  ParsedOutput out;
  out.command = command->get<std::string>();
  if (auto explanation = json.find("explanation"); explanation != json.end() && explanation->is_string()) {
    out.explanation = explanation->get<std::string>();
  }
  while (!out.command.empty() && (out.command.back() == ' ' || out.command.back() == '\n')) out.command.pop_back();
  while (!out.command.empty() && (out.command.front() == ' ' || out.command.front() == '\n')) {
    out.command.erase(out.command.begin());
  }
  if (out.command.empty()) return fail(ErrorCode::model_output_invalid, "the model returned an empty command");
  if (out.command.find('\n') != std::string::npos) {
    return fail(ErrorCode::model_output_invalid, "the model returned a multi-line command");
  }
  return out;
}

}  // namespace

Result<ParsedOutput> parse_model_output(std::string_view text) {
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_discarded()) return from_object(json);
  // Repair: the first '{' to the last '}' (prose or code fences around JSON).
  const auto open = text.find('{');
  const auto close = text.rfind('}');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    auto inner = nlohmann::json::parse(text.substr(open, close - open + 1), nullptr, false);
    if (!inner.is_discarded()) return from_object(inner);
  }
  return fail(ErrorCode::model_output_invalid, "the model's answer is not valid JSON");
}

std::string_view output_json_schema() {
  return R"({"type":"object","properties":{"command":{"type":"string","minLength":1,"maxLength":400},)"
         R"("explanation":{"type":"string","maxLength":400}},"required":["command","explanation"]})";
}

}  // namespace cmdai::generation
