#include "core/log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

namespace cmdai::log {
namespace {

struct State {
  std::mutex mutex;
  std::filesystem::path file;
  Level level = Level::warn;
  bool configured = false;
  bool failed = false;
  std::shared_ptr<spdlog::logger> logger;
};

State& state() {
  static State s;
  return s;
}

spdlog::level::level_enum to_spdlog(Level level) {
  switch (level) {
    case Level::error: return spdlog::level::err;
    case Level::warn: return spdlog::level::warn;
    case Level::info: return spdlog::level::info;
    case Level::debug: return spdlog::level::debug;
    case Level::trace: return spdlog::level::trace;
  }
  return spdlog::level::warn;
}

// Opens the log file on first use; a log that cannot be opened is not an
// error for the user's command, it just stays silent.
spdlog::logger* logger_locked(State& s) {
  if (s.logger) return s.logger.get();
  if (!s.configured || s.failed) return nullptr;
  try {
    std::error_code ec;
    std::filesystem::create_directories(s.file.parent_path(), ec);
    auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(s.file.string(), false);
    s.logger = std::make_shared<spdlog::logger>("cmdai", std::move(sink));
    s.logger->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ [%l] pid=%P %v", spdlog::pattern_time_type::utc);
    s.logger->set_level(to_spdlog(s.level));
    s.logger->flush_on(spdlog::level::trace);
    // A log that cannot be written (a full disk) is turned off with one
    // line, instead of spdlog's raw "LOG ERROR" line for every message.
    s.logger->set_error_handler([&s](const std::string&) {
      if (s.failed) return;
      s.failed = true;
      std::fprintf(stderr, "cmdai: warning: cannot write the log %s (is the disk full?); logging is off\n",
                   s.file.c_str());
    });
  } catch (const std::exception&) {
    s.failed = true;
    return nullptr;
  }
  return s.logger.get();
}

}  // namespace

void configure_logging(const std::filesystem::path& file, Level level) {
  State& s = state();
  std::lock_guard lock(s.mutex);
  s.file = file;
  s.level = level;
  s.configured = true;
  if (s.logger) s.logger->set_level(to_spdlog(level));
}

bool enabled(Level level) {
  State& s = state();
  std::lock_guard lock(s.mutex);
  return s.configured && static_cast<int>(level) <= static_cast<int>(s.level);
}

void write(Level level, std::string_view message) {
  State& s = state();
  std::lock_guard lock(s.mutex);
  if (!s.configured || static_cast<int>(level) > static_cast<int>(s.level)) return;
  if (s.failed) return;
  if (auto* logger = logger_locked(s)) logger->log(to_spdlog(level), "{}", message);
}

StageTimer::StageTimer(std::string_view stage) : m_stage(stage), m_start(std::chrono::steady_clock::now()) {}

StageTimer::~StageTimer() {
  if (!enabled(Level::debug)) return;
  const auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_start);
  write(Level::debug, "stage=" + std::string(m_stage) + " duration_ms=" + std::to_string(elapsed.count()));
}

}  // namespace cmdai::log
