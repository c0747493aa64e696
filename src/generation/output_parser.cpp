#include "generation/output_parser.h"

#include <optional>

#include <nlohmann/json.hpp>

#include "core/utf8.h"

namespace cmdai::generation {
namespace {

using nlohmann::json;

std::string_view trim(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const auto end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

Result<ParsedOutput> check_command(ParsedOutput out) {
  out.command = std::string(trim(out.command));
  out.explanation = std::string(trim(out.explanation));
  if (out.command.empty()) return fail(ErrorCode::model_output_invalid, "the model returned an empty command");
  // A command is never cut (a shorter command is another command); an
  // explanation is only words about it, so it is shortened.
  if (out.command.size() > k_max_command_bytes) {
    return fail(ErrorCode::model_output_invalid, "the model returned a command of " +
                                                     std::to_string(out.command.size()) + " bytes (cmdai takes up to " +
                                                     std::to_string(k_max_command_bytes) + ")");
  }
  if (out.explanation.size() > k_max_explanation_bytes) {
    out.explanation = std::string(utf8_prefix(out.explanation, k_max_explanation_bytes - 3)) + "...";
  }
  if (out.command.find_first_of("\r\n") != std::string::npos) {
    return fail(ErrorCode::model_output_invalid, "the model returned a multi-line command");
  }
  if (!is_valid_utf8(out.command)) return fail(ErrorCode::model_output_invalid, "the command is not valid UTF-8");
  for (const char c : out.command) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
      return fail(ErrorCode::model_output_invalid, "the command contains control characters");
    }
  }
  return out;
}

Result<ParsedOutput> from_object(const json& object, ParseRoute route) {
  if (!object.is_object()) return fail(ErrorCode::model_output_invalid, "the model's answer is not a JSON object");
  auto command = object.find("command");
  if (command == object.end() || !command->is_string()) {
    return fail(ErrorCode::model_output_invalid, "the model's answer has no \"command\" string");
  }
  ParsedOutput out;
  out.command = command->get<std::string>();
  if (auto explanation = object.find("explanation"); explanation != object.end() && explanation->is_string()) {
    out.explanation = explanation->get<std::string>();
  }
  out.route = route;
  return check_command(std::move(out));
}

// The body of the first ``` fence (without its language tag), if any.
std::optional<std::string_view> fenced(std::string_view text) {
  const auto open = text.find("```");
  if (open == std::string_view::npos) return std::nullopt;
  auto body_start = text.find('\n', open);
  if (body_start == std::string_view::npos) return std::nullopt;
  const auto close = text.find("```", body_start);
  return text.substr(body_start + 1, (close == std::string_view::npos ? text.size() : close) - body_start - 1);
}

// {'command': 'ls', ...} -> {"command": "ls", ...}: a quote is a delimiter
// when it opens after { : , [ or closes before : , } ].
std::string single_to_double_quotes(std::string_view text) {
  std::string out;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\'' && !in_string) {
      in_string = true;
      out += '"';
    } else if (c == '\'' && in_string) {
      auto next = text.find_first_not_of(" \t", i + 1);
      const char after = next == std::string_view::npos ? '}' : text[next];
      if (after == ':' || after == ',' || after == '}' || after == ']') {
        in_string = false;
        out += '"';
      } else {
        out += c;
      }
    } else if (c == '"' && in_string) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<Result<ParsedOutput>> repaired_json(std::string_view text) {
  const auto open = text.find('{');
  const auto close = text.rfind('}');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return std::nullopt;
  const std::string_view inner = text.substr(open, close - open + 1);
  auto object = json::parse(inner, nullptr, false);
  if (object.is_discarded()) object = json::parse(single_to_double_quotes(inner), nullptr, false);
  if (object.is_discarded()) return std::nullopt;
  return from_object(object, ParseRoute::repaired_json);
}

// A line of prose ("I cannot help with that.", "no json here") is not a
// command: a bare line counts as one when it is at most two words or shows
// shell syntax (an option, a path, a pipe, a redirection, a glob ...).
bool looks_like_prose(std::string_view line) {
  std::size_t words = 1;
  for (const char c : line) words += c == ' ' ? 1 : 0;
  const char last = line.back();
  if (words >= 4 && (last == '.' || last == '!' || last == '?')) return true;
  return words > 2 && line.find_first_of("-/|<>=*$&;~'\"") == std::string_view::npos;
}

}  // namespace

Result<ParsedOutput> parse_model_output(std::string_view text) {
  auto strict = json::parse(text, nullptr, false);
  if (!strict.is_discarded()) return from_object(strict, ParseRoute::strict_json);
  if (auto repaired = repaired_json(text)) return std::move(*repaired);
  std::string_view bare = trim(fenced(text).value_or(text));
  if (bare.starts_with("$ ")) bare.remove_prefix(2);
  if (bare.empty()) return fail(ErrorCode::model_output_invalid, "the model returned nothing");
  if (bare.find('\n') != std::string_view::npos) {
    return fail(ErrorCode::model_output_invalid, "the model's answer is neither JSON nor a single command line");
  }
  if (bare.front() == '{' || looks_like_prose(bare)) {
    return fail(ErrorCode::model_output_invalid, "the model's answer is not valid JSON");
  }
  ParsedOutput out;
  out.command = std::string(bare);
  out.route = ParseRoute::bare_command;
  return check_command(std::move(out));
}

std::string_view output_json_schema() {
  return R"({"type":"object","properties":{"command":{"type":"string","minLength":1,"maxLength":200},)"
         R"("explanation":{"type":"string","maxLength":200}},"required":["command","explanation"]})";
}

}  // namespace cmdai::generation
