#include "history/shell_history.h"

#include <algorithm>
#include <charconv>

#include "core/time.h"

namespace cmdai::history {
namespace {

// Lines without their "\n" (and a "\r" before it), numbered from 1.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

std::optional<long long> parse_seconds(std::string_view digits) {
  long long value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size() || value < 0) return std::nullopt;
  return value;
}

ShellCommand shell_command(std::size_t line, std::string command, std::optional<Timestamp> when) {
  ShellCommand out;
  out.line = line;
  out.command = std::move(command);
  out.timestamp = when;
  return out;
}

// "#1700000000": a bash HISTTIMEFORMAT stamp.
std::optional<long long> bash_stamp(std::string_view line) {
  if (line.size() < 2 || line[0] != '#') return std::nullopt;
  return parse_seconds(line.substr(1));
}

// zsh stores bytes 0x83..0xa2 as 0x83 followed by the byte xor 0x20.
std::string unmetafy(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) == 0x83 && i + 1 < text.size()) {
      out += static_cast<char>(text[++i] ^ 0x20);
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string fish_unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == 'n' || text[i + 1] == '\\')) {
      out += text[++i] == 'n' ? '\n' : '\\';
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

ShellHistory read_bash_history(std::string_view text) {
  ShellHistory out;
  const auto lines = split_lines(text);
  // With HISTTIMEFORMAT set, bash writes "#<seconds>" before each command
  // and reads every line up to the next stamp back as that one command: a
  // multi-line command or a heredoc. Without stamps a line is a command.
  const bool stamped = std::any_of(lines.begin(), lines.end(), [](std::string_view l) { return bash_stamp(l); });
  std::optional<Timestamp> pending;
  bool open = false;  // the last command began after a stamp and may go on
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (auto seconds = bash_stamp(line)) {
      pending = from_unix_seconds(*seconds);
      open = false;
      continue;
    }
    if (open) {
      out.commands.back().command += "\n" + std::string(line);
      continue;
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    out.commands.push_back(shell_command(i + 1, std::string(line), pending));
    open = stamped && pending.has_value();
    pending.reset();
  }
  for (auto& command : out.commands) {
    // The blank lines before the next stamp are not part of the command.
    const auto last = command.command.find_last_not_of(" \t\n");
    command.command.erase(last + 1);
  }
  return out;
}

ShellHistory read_zsh_history(std::string_view text) {
  ShellHistory out;
  const auto lines = split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::size_t first = i;
    std::string line = unmetafy(lines[i]);
    // A command's embedded newlines are written as backslash-newline.
    while (!line.empty() && line.back() == '\\' && i + 1 < lines.size()) {
      line.back() = '\n';
      line += unmetafy(lines[++i]);
    }
    if (line.find_first_not_of(" \t\n") == std::string::npos) continue;
    if (line.rfind(": ", 0) != 0) {
      out.commands.push_back(shell_command(first + 1, line, std::nullopt));
      continue;
    }
    const std::size_t colon = line.find(':', 2);
    const std::size_t semicolon = line.find(';', 2);
    if (colon == std::string::npos || semicolon == std::string::npos || colon > semicolon) {
      out.errors.push_back({first + 1, "not a zsh extended-history line (expected ': <seconds>:<duration>;command')"});
      continue;
    }
    auto seconds = parse_seconds(std::string_view(line).substr(2, colon - 2));
    if (!seconds) {
      out.errors.push_back({first + 1, "bad timestamp in zsh extended-history line"});
      continue;
    }
    std::string command = line.substr(semicolon + 1);
    if (command.find_first_not_of(" \t\n") == std::string::npos) continue;
    ShellCommand parsed = shell_command(first + 1, std::move(command), from_unix_seconds(*seconds));
    if (auto duration = parse_seconds(std::string_view(line).substr(colon + 1, semicolon - colon - 1))) {
      parsed.duration = std::chrono::duration_cast<Micros>(std::chrono::seconds{*duration});
    }
    out.commands.push_back(std::move(parsed));
  }
  return out;
}

ShellHistory read_fish_history(std::string_view text) {
  ShellHistory out;
  const auto lines = split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (line.rfind("- cmd: ", 0) == 0) {
      out.commands.push_back(shell_command(i + 1, fish_unescape(line.substr(7)), std::nullopt));
    } else if (line.rfind("  when: ", 0) == 0) {
      auto seconds = parse_seconds(line.substr(8));
      if (out.commands.empty() || !seconds) {
        out.errors.push_back({i + 1, out.commands.empty() ? "'when:' before any '- cmd:'" : "bad 'when:' value"});
        continue;
      }
      out.commands.back().timestamp = from_unix_seconds(*seconds);
    } else if (line.rfind("    - ", 0) == 0 && !out.commands.empty()) {
      out.commands.back().paths.push_back(fish_unescape(line.substr(6)));
    } else if (line.rfind("  paths:", 0) == 0 || line.empty()) {
      continue;
    } else {
      out.errors.push_back({i + 1, "not a fish history line (expected '- cmd:', '  when:' or '  paths:')"});
    }
  }
  return out;
}

std::string bash_history_line(const std::string& command, Timestamp when) {
  return "#" + std::to_string(to_unix_seconds(when)) + "\n" + command + "\n";
}

std::string zsh_history_line(const std::string& command, Timestamp when) {
  std::string escaped;
  for (char c : command) escaped += c == '\n' ? std::string("\\\n") : std::string(1, c);
  return ": " + std::to_string(to_unix_seconds(when)) + ":0;" + escaped + "\n";
}

std::string fish_history_line(const std::string& command, Timestamp when) {
  std::string escaped;
  for (char c : command) {
    if (c == '\n') {
      escaped += "\\n";
    } else if (c == '\\') {
      escaped += "\\\\";
    } else {
      escaped += c;
    }
  }
  return "- cmd: " + escaped + "\n  when: " + std::to_string(to_unix_seconds(when)) + "\n";
}

}  // namespace cmdai::history
