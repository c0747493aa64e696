#pragma once
// Turns Ctrl-C (SIGINT) and SIGTERM into a stop request on a std::stop_source
// while an InterruptScope is alive. The signals are waited for on a thread of
// its own (sigtimedwait), so nothing unsafe runs in a signal handler; when
// the scope ends the thread is woken (a SIGTERM sent to it alone, which it
// takes as the end) and joined, so ending costs no wait.

#include <signal.h>
#include <atomic>
#include <stop_token>
#include <thread>

namespace cmdai::cli {

class InterruptScope {
 public:
  explicit InterruptScope(std::stop_source& source);
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

  bool interrupted() const { return m_interrupted.load(); }

 private:
  std::stop_source& m_source;
  sigset_t m_previous_mask{};
  std::atomic<bool> m_done{false};
  std::atomic<bool> m_interrupted{false};
  std::thread m_thread;
};

}  // namespace cmdai::cli
