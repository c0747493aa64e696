#include "cli/signals.h"

#include <pthread.h>

#include <ctime>

namespace cmdai::cli {

InterruptScope::InterruptScope(std::stop_source& source) : m_source(source) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, &m_previous_mask);
  m_thread = std::thread([this, set] {
    const timespec tick{0, 20'000'000};  // 20 ms: how soon the scope can end
    while (!m_done.load()) {
      const int signal = sigtimedwait(&set, nullptr, &tick);
      if (signal == SIGINT || signal == SIGTERM) {
        m_interrupted.store(true);
        m_source.request_stop();
      }
    }
  });
}

InterruptScope::~InterruptScope() {
  m_done.store(true);
  m_thread.join();
  pthread_sigmask(SIG_SETMASK, &m_previous_mask, nullptr);
}

}  // namespace cmdai::cli
