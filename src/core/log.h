#pragma once
// Structured logging to the XDG state log file. Nothing is logged until
// configure_logging() is called, and the logger is created on first use, so
// commands that never log pay nothing at start-up.
//
// Never pass secrets, API keys or (in privacy mode) prompts to these
// functions: log sizes, ids and durations instead.

#include <chrono>
#include <filesystem>
#include <string_view>

namespace cmdai::log {

enum class Level { error, warn, info, debug, trace };

// Where and how much to log; -v gives info, -vv debug, -vvv trace.
void configure_logging(const std::filesystem::path& file, Level level);
bool enabled(Level level);

void write(Level level, std::string_view message);
inline void error(std::string_view message) { write(Level::error, message); }
inline void warn(std::string_view message) { write(Level::warn, message); }
inline void info(std::string_view message) { write(Level::info, message); }
inline void debug(std::string_view message) { write(Level::debug, message); }

// Logs "<stage> took <ms> ms" at debug level when it goes out of scope.
class StageTimer {
 public:
  explicit StageTimer(std::string_view stage);
  ~StageTimer();
  StageTimer(const StageTimer&) = delete;
  StageTimer& operator=(const StageTimer&) = delete;

 private:
  std::string_view m_stage;
  std::chrono::steady_clock::time_point m_start;
};

}  // namespace cmdai::log
