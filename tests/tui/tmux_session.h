#pragma once
// TmuxSession: a real terminal for full-screen tests. Starts a command in a
// detached tmux session on its own server socket (-L cmdai-tui-<pid>-<n>),
// sends keys, captures the screen, and waits for text to appear - polling
// for a condition, never sleeping for a fixed time.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "support/process.h"

namespace cmdai::testing {

class TmuxSession {
 public:
  static constexpr const char* k_tmux = "/usr/bin/tmux";
  static bool available() { return std::filesystem::exists(k_tmux); }

  // shell_command runs under /bin/sh in an 80x24 (or given) window; when it
  // ends the pane prints "[exit N]" and stays until the session is killed.
  explicit TmuxSession(const std::string& shell_command, int cols = 80, int rows = 24) {
    static std::atomic<int> counter{0};
    m_socket = "cmdai-tui-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    tmux({"new-session", "-d", "-x", std::to_string(cols), "-y", std::to_string(rows),
          shell_command + "; echo \"[exit $?]\"; read x"});
  }
  ~TmuxSession() { tmux({"kill-server"}); }
  TmuxSession(const TmuxSession&) = delete;
  TmuxSession& operator=(const TmuxSession&) = delete;

  // Key names as tmux knows them: "Tab", "NPage", "Escape", "F2", "C-u".
  void keys(const std::vector<std::string>& names) {
    std::vector<std::string> args{"send-keys"};
    args.insert(args.end(), names.begin(), names.end());
    tmux(args);
  }
  // Literal text, one key per character.
  void type(const std::string& text) { tmux({"send-keys", "-l", text}); }
  std::string screen() { return tmux({"capture-pane", "-p"}).out; }
  // The screen with colour and attribute escapes.
  std::string screen_with_escapes() { return tmux({"capture-pane", "-e", "-p"}).out; }
  void resize(int cols, int rows) { tmux({"resize-window", "-x", std::to_string(cols), "-y", std::to_string(rows)}); }

  // Polls until the screen satisfies the predicate (true) or 20 s pass (false).
  bool wait_until(const std::function<bool(const std::string&)>& predicate) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (predicate(screen())) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
  bool wait_for(const std::string& text) {
    return wait_until([&](const std::string& s) { return s.find(text) != std::string::npos; });
  }
  bool wait_gone(const std::string& text) {
    return wait_until([&](const std::string& s) { return s.find(text) == std::string::npos; });
  }

 private:
  ProcessResult tmux(std::vector<std::string> args) {
    args.insert(args.begin(), {k_tmux, "-L", m_socket});
    return run_process(args);
  }
  std::string m_socket;
};

}  // namespace cmdai::testing
