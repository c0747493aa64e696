#pragma once
// A tmux server of its own (unique -L socket) running one interactive shell,
// for driving real bash, zsh and fish the way a user does. The server is
// killed when the object dies.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "support/process.h"

namespace cmdai::testing {

class TmuxSession {
 public:
  TmuxSession(const std::vector<std::string>& command, const std::map<std::string, std::string>& env) {
    static std::atomic<int> counter{0};
    m_socket = "cmdai-shtest-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    std::vector<std::string> argv{"/usr/bin/tmux", "-L", m_socket, "-f", "/dev/null", "new-session", "-d", "-x",
                                  "160",           "-y", "50"};
    for (const auto& [name, value] : env) {
      argv.push_back("-e");
      argv.push_back(name + "=" + value);
    }
    argv.insert(argv.end(), command.begin(), command.end());
    m_started = run_process(argv).exit_code == 0;
  }
  ~TmuxSession() { tmux({"kill-server"}); }
  TmuxSession(const TmuxSession&) = delete;
  TmuxSession& operator=(const TmuxSession&) = delete;

  bool started() const { return m_started; }
  // Literal text, typed as is.
  void type(const std::string& text) { tmux({"send-keys", "-l", text}); }
  // tmux key names: "C-g", "M-j", "Enter".
  void press(const std::string& key) { tmux({"send-keys", key}); }
  std::string screen() { return tmux({"capture-pane", "-p", "-J"}).out; }
  // A server option (set-option -g NAME VALUE), e.g. set-clipboard on.
  void set_option(const std::string& name, const std::string& value) { tmux({"set-option", "-g", name, value}); }
  // The paste buffers (list-buffers); with set-clipboard on, an OSC 52 a
  // program wrote shows up here.
  std::string buffers() { return tmux({"list-buffers"}).out; }

  // Polls the screen until predicate holds (true) or the deadline passes
  // (false). The deadline only bounds a failure; passing runs never wait it.
  bool wait_for(const std::function<bool(const std::string&)>& predicate,
                std::chrono::seconds deadline = std::chrono::seconds(30)) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < end) {
      if (predicate(screen())) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

 private:
  ProcessResult tmux(std::vector<std::string> args) {
    args.insert(args.begin(), {"/usr/bin/tmux", "-L", m_socket});
    return run_process(args);
  }
  std::string m_socket;
  bool m_started = false;
};

// How often text occurs in screen.
inline std::size_t occurrences(const std::string& screen, const std::string& text) {
  std::size_t n = 0;
  for (auto at = screen.find(text); at != std::string::npos; at = screen.find(text, at + text.size())) ++n;
  return n;
}

// The last line the shell drew its prompt on (the tests' prompt is "READY> ").
inline std::string last_prompt_line(const std::string& screen) {
  std::string last;
  std::size_t begin = 0;
  while (begin < screen.size()) {
    const auto end = std::min(screen.find('\n', begin), screen.size());
    const std::string line = screen.substr(begin, end - begin);
    if (line.starts_with("READY> ")) last = line;
    begin = end + 1;
  }
  return last;
}

// An interactive bash, zsh or fish that reads only what a test wrote under
// dir: home/.bashrc, home/.zshrc (ZDOTDIR), home/.config/fish/config.fish,
// with cmdai's own files in dir/cmdai.
inline std::vector<std::string> hermetic_shell(const std::string& shell, const std::filesystem::path& dir) {
  if (shell == "bash") return {"/bin/bash", "--rcfile", (dir / "home/.bashrc").string(), "-i"};
  if (shell == "zsh") return {"/usr/bin/zsh", "-i"};
  return {"/usr/bin/fish", "-i"};
}

inline std::map<std::string, std::string> hermetic_shell_env(const std::filesystem::path& dir) {
  return {{"HOME", (dir / "home").string()},
          {"ZDOTDIR", (dir / "home").string()},
          {"XDG_CONFIG_HOME", (dir / "home/.config").string()},
          {"XDG_DATA_HOME", (dir / "home/.local/share").string()},
          {"CMDAI_HOME", (dir / "cmdai").string()},
          {"NO_COLOR", "1"}};
}

// Writes the start-up files hermetic_shell() reads: each shell's prompt is
// "READY> " and it runs `cmdai init SHELL` (with init_flags, e.g. " --guard");
// cmdai's one-time init question counts as answered.
inline void write_hermetic_shell_files(const std::filesystem::path& dir, const std::string& cmdai,
                                       const std::string& init_flags = "") {
  std::filesystem::create_directories(dir / "home/.config/fish");
  std::filesystem::create_directories(dir / "cmdai");
  for (const char* shell : {"bash", "zsh", "fish"}) {
    std::ofstream(dir / "cmdai" / (std::string("shell-init-") + shell)) << "asked\n";
  }
  std::ofstream(dir / "home/.bashrc") << "PS1='READY> '\neval \"$(" << cmdai << " init bash" << init_flags << ")\"\n";
  std::ofstream(dir / "home/.zshrc") << "PS1='READY> '\neval \"$(" << cmdai << " init zsh" << init_flags << ")\"\n";
  std::ofstream(dir / "home/.config/fish/config.fish")
      << "set -g fish_greeting ''\nfunction fish_prompt; echo -n 'READY> '; end\n"
      << cmdai << " init fish" << init_flags << " | source\n";
}

}  // namespace cmdai::testing
