#include "cli/clipboard.h"

#include <unistd.h>

#include <array>
#include <vector>

#include "exec/pipe_to.h"
#include "exec/runner.h"

namespace cmdai::cli {
namespace {

std::string base64(std::string_view bytes) {
  static constexpr std::string_view k_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    unsigned value = 0;
    for (std::size_t k = 0; k < 3; ++k) value = (value << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0U);
    for (std::size_t k = 0; k < 4; ++k) out += k <= n ? k_alphabet[(value >> (18 - 6 * k)) & 63U] : '=';
  }
  return out;
}

// The tools in the order they are tried, with the arguments that make each
// read the clipboard text from stdin.
struct ClipboardTool {
  std::string_view name;
  std::array<std::string_view, 2> args;
};
constexpr std::array<ClipboardTool, 3> k_tools{{
    {"wl-copy", {"", ""}},
    {"xclip", {"-selection", "clipboard"}},
    {"xsel", {"--clipboard", "--input"}},
}};

}  // namespace

std::string osc52_sequence(std::string_view text) { return "\033]52;c;" + base64(text) + "\a"; }

Result<std::string> copy_to_clipboard(const Env& env, std::string_view text, int terminal_fd) {
  if (terminal_fd >= 0) {
    const std::string sequence = osc52_sequence(text);
    if (::write(terminal_fd, sequence.data(), sequence.size()) == static_cast<ssize_t>(sequence.size()))
      return std::string("the terminal (OSC 52)");
  }
  std::string problems;
  for (const auto& tool : k_tools) {
    const auto path = exec::find_executable(std::string(tool.name), env.get_var("PATH"));
    if (!path) continue;
    std::vector<std::string> argv{*path};
    for (auto arg : tool.args) {
      if (!arg.empty()) argv.emplace_back(arg);
    }
    auto piped = exec::pipe_to(argv, text);
    if (piped) return std::string(tool.name);
    problems += (problems.empty() ? "" : "; ") + piped.error().message;
  }
  if (problems.empty()) {
    return fail(ErrorCode::unavailable, "nothing to copy with: not on a terminal and no wl-copy, xclip or xsel",
                "install one, e.g. apt install wl-clipboard or xclip");
  }
  return fail(ErrorCode::unavailable, "could not copy: " + problems);
}

}  // namespace cmdai::cli
